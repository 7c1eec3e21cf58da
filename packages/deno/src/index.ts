/**
 * httpauth for Deno: guard `Deno.serve` handlers with an authenticator from
 * `@httpauth/core` ({@linkcode protect}), with the client address taken from
 * the handler info for throttling, and hash passwords with WebCrypto's
 * PBKDF2 ({@linkcode hashPassword}, {@linkcode verifyPassword}).
 *
 * Each challenge is sent on its own `WWW-Authenticate` line (RFC 9110
 * §11.6.1), which strict clients such as Chromium and lynx need.
 *
 * @example Guard a Deno.serve handler
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/deno";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) }),
 *     bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "robot" } : undefined) }),
 *   ],
 * });
 * const server = Deno.serve(
 *   { port: 0, hostname: "127.0.0.1", onListen() {} },
 *   protect((_request, _info, { identity, scheme }) => Response.json({ identity, scheme }), authenticator),
 * );
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/`, { headers: { Authorization: "Bearer t0k3n" } });
 * assert.deepEqual(await response.json(), { identity: "robot", scheme: "bearer" });
 * await server.shutdown();
 * ```
 *
 * @module
 */

export type {
  AuthContext,
  AuthenticateOptions,
  Authenticator,
  AuthFailure,
  AuthFailureReason,
  AuthOutcome,
  AuthRequest,
  AuthSchemeName,
  AuthSuccess,
  HeaderLine,
  NonceCountEntry,
  NonceCountResult,
  NonceCountStore,
  OpenAPIAPIKeySecurityScheme,
  OpenAPISecurityScheme,
  ProtectedResourceMetadata,
  ReplayStore,
  ResourceMetadata,
  ThrottleState,
  ThrottleStore,
} from "@httpauth/core";
export type { KvAtomicOperation, KvDatabase, KvKey, KvKeyPart, KvStore, KvStoreOptions } from "./kv-store.ts";
export { createKvStore } from "./kv-store.ts";
export type { HashPasswordOptions } from "./password.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export type {
  ProtectedHandler,
  ProtectOptions,
  RemoteAddress,
  ServeHandler,
  ServeHandlerInfo,
} from "./protect.ts";
export { protect } from "./protect.ts";
export { createResourceMetadataHandler } from "./resource-metadata.ts";
