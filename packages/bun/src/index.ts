/**
 * httpauth for Bun: guard `Bun.serve` handlers — `fetch` and `routes`
 * entries — with an authenticator from `@httpauth/core`
 * ({@linkcode protect}), with the client address from `server.requestIP`
 * for throttling, and hash passwords with `Bun.password` (argon2, bcrypt:
 * {@linkcode hashPassword}, {@linkcode verifyPassword}).
 *
 * Bun 1.4 writes all values of one header name on a single line, so several
 * challenges go out as one `WWW-Authenticate` list; see {@linkcode protect}.
 *
 * @example Guard Bun.serve's fetch handler
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/bun";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
 * });
 * const server = Bun.serve({
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   fetch: protect((_request, _server, { identity, scheme }) => Response.json({ identity, scheme }), authenticator),
 * });
 * const response = await fetch(`http://127.0.0.1:${server.port}/`, {
 *   headers: { Authorization: `Basic ${btoa("ada:secret")}` },
 * });
 * assert.deepEqual(await response.json(), { identity: "ada", scheme: "basic" });
 * await server.stop(true);
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
  OpenAPIAPIKeySecurityScheme,
  OpenAPISecurityScheme,
  ProtectedResourceMetadata,
  ResourceMetadata,
} from "@httpauth/core";
export type { Argon2Algorithm, Argon2Options, BcryptOptions, HashPasswordOptions } from "./password.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export type {
  BunHandler,
  BunServer,
  ProtectedHandler,
  ProtectOptions,
  RouteRequest,
  SocketAddress,
} from "./protect.ts";
export { protect } from "./protect.ts";
export { createResourceMetadataHandler } from "./resource-metadata.ts";
