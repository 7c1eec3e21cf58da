/**
 * httpauth for Node.js: `protect` for `node:http` handlers, middleware for
 * connect and express, and what only Node has — timing-safe comparison and
 * scrypt password hashes from `node:crypto`, the client address from the
 * socket. Every decision (status, challenges, parsing) is made by
 * `@httpauth/core`; this package only carries it to and from `node:http`,
 * one challenge per `WWW-Authenticate` line.
 *
 * @example Guard a `node:http` server
 * ```ts
 * import assert from "node:assert/strict";
 * import { createServer } from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/node";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({ realm: "api", verify: () => undefined }),
 *     bearerAuth({ realm: "api", verify: () => undefined }),
 *   ],
 * });
 * const server = createServer(protect((_request, response) => response.end("secret"), authenticator));
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 * const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
 * await response.text();
 * server.close();
 * assert.equal(response.status, 401);
 * // fetch joins the two lines the server sent into one value
 * assert.equal(response.headers.get("www-authenticate"), 'Basic realm="api", charset="UTF-8", Bearer realm="api"');
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
export type {
  AuthLocals,
  AuthMiddleware,
  Middleware,
  MiddlewareOptions,
  NextFunction,
  RequestAuth,
  RouteParts,
} from "./middleware.ts";
export { middleware } from "./middleware.ts";
export type { HashPasswordOptions } from "./password.ts";
export { hashPassword, verifyPassword } from "./password.ts";
export type { AuthenticatedRequest, ProtectedHandler, ProtectOptions } from "./protect.ts";
export { protect } from "./protect.ts";
export type { CreateAuthRequestOptions, RouteScopes } from "./request.ts";
export { createAuthRequest } from "./request.ts";
export type { ResourceMetadataHandler } from "./resource-metadata.ts";
export { createResourceMetadataHandler } from "./resource-metadata.ts";
export { sendFailure } from "./response.ts";
export { timingSafeEqual } from "./timing-safe-equal.ts";
