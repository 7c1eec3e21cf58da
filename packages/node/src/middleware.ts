/**
 * connect/express-style middleware: `(request, response, next)`.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthContext, Authenticator, AuthOutcome } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import { setHeaderLines } from "./internal/header-lines.ts";
import { passesPreflights } from "./internal/preflight.ts";
import type { CreateAuthRequestOptions, RouteScopes } from "./request.ts";
import { checkMaxBodyLength, checkScopes, createAuthRequest, routeScopes } from "./request.ts";
import { sendFailure } from "./response.ts";

/** The `next` callback of connect and express: no argument to go on, an error to skip to the error handlers. */
export type NextFunction = (error?: unknown) => void;

/** A connect/express middleware, typed structurally: express's `Request` and `Response` extend Node's. */
export type Middleware<Request extends IncomingMessage = IncomingMessage> = (
  request: Request,
  response: ServerResponse,
  next: NextFunction,
) => void;

/** Options of {@linkcode middleware}: `clientAddress` and `maxBodyLength`, as for {@linkcode createAuthRequest}, `corsPreflight` and `scopes`. */
export interface MiddlewareOptions<Request extends IncomingMessage = IncomingMessage>
  extends CreateAuthRequestOptions<Request> {
  /**
   * What to do with a CORS preflight (`OPTIONS` with `Origin` and
   * `Access-Control-Request-Method`, no credentials; `isCorsPreflight` of
   * `@httpauth/core`). `"pass"` (the default) calls `next()` without setting
   * `request.auth`, so the routes after it (your CORS middleware) answer it
   * unauthenticated. `"authenticate"` treats it like any other request.
   */
  corsPreflight?: "pass" | "authenticate";
  /**
   * Scopes the routes behind this middleware need beyond the authenticator's,
   * or a function of the request returning them: a Bearer token without them
   * gets 403 `insufficient_scope` naming them.
   */
  scopes?: RouteScopes<Request>;
}

/**
 * Creates connect/express middleware that authenticates every request it
 * sees (RFC 9110 §11), without depending on either framework.
 *
 * - Success: the success headers (Digest's `Authentication-Info`) are set on
 *   the response, `request.auth` becomes `{ identity, scheme }`, and
 *   `next()` is called.
 * - Failure: the response core decided is sent (see {@linkcode sendFailure})
 *   and `next` is not called.
 * - When `authenticate()` throws (a `verify` callback failed), `next(error)`
 *   passes the error to the framework's error handlers, as express expects.
 * - A CORS preflight without credentials calls `next()` without setting
 *   `request.auth`, unless `options.corsPreflight` is `"authenticate"`.
 *
 * With express, declare `auth` on its `Request` once:
 * `declare global { namespace Express { interface Request { auth?: AuthContext<User> } } }`.
 * Mounted under a path, Digest still sees the full target (`originalUrl`).
 *
 * @param authenticator What `createAuthenticator()` returned.
 * @param options `clientAddress`, to read the client's address another way (express behind a proxy: `(request) => request.ip`);
 *   `maxBodyLength`, the longest buffered body offered to core (see {@linkcode createAuthRequest});
 *   `corsPreflight`, `"pass"` (the default) or `"authenticate"`; `scopes`, what the routes behind it need
 *   beyond the authenticator's (a list, or a function of the request).
 * @returns The middleware.
 * @throws {TypeError} If `authenticator` has no `authenticate` method, `options.corsPreflight` is neither
 *   `"pass"` nor `"authenticate"`, or `options.scopes` is neither a list nor a function.
 * @throws {RangeError} If `options.maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example A connect-style chain: authenticate, then answer
 * ```ts
 * import assert from "node:assert/strict";
 * import type { IncomingMessage, ServerResponse } from "node:http";
 * import { createServer } from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import type { AuthContext } from "@httpauth/node";
 * import { middleware } from "@httpauth/node";
 *
 * const authenticate = middleware(
 *   createAuthenticator({
 *     schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "service-a" } : undefined) })],
 *   }),
 * );
 * function answer(request: IncomingMessage & { auth?: AuthContext<string> }, response: ServerResponse): void {
 *   response.end(`hello ${request.auth?.identity}`);
 * }
 * const server = createServer((request, response) => {
 *   authenticate(request, response, (error) => {
 *     if (error === undefined) answer(request, response);
 *   });
 * });
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 * const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
 *
 * const refused = await fetch(url, { headers: { authorization: "Bearer wrong" } });
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="api", error="invalid_token"');
 * await refused.text();
 *
 * const allowed = await fetch(url, { headers: { authorization: "Bearer t0k3n" } });
 * assert.equal(await allowed.text(), "hello service-a");
 * server.close();
 * ```
 */
export function middleware<Identity, Request extends IncomingMessage = IncomingMessage>(
  authenticator: Authenticator<Identity>,
  options: MiddlewareOptions<Request> = {},
): Middleware<Request> {
  if (typeof authenticator?.authenticate !== "function") {
    throw new TypeError("middleware() needs the authenticator of createAuthenticator()");
  }
  checkMaxBodyLength(options.maxBodyLength, "middleware()");
  const passPreflights = passesPreflights(options.corsPreflight, "middleware():");
  checkScopes(options.scopes, "middleware()");

  async function run(request: Request, response: ServerResponse, next: NextFunction): Promise<void> {
    const authRequest = createAuthRequest(request, options);
    if (passPreflights && isCorsPreflight(authRequest)) {
      // Fetch standard §4.8: a preflight never carries credentials; the routes after this answer it.
      next();
      return;
    }
    let outcome: AuthOutcome<Identity>;
    try {
      outcome = await authenticator.authenticate(authRequest, routeScopes(options.scopes, request));
    } catch (error) {
      next(error);
      return;
    }
    if (outcome.ok) {
      setHeaderLines(response, outcome.headers);
      (request as Request & { auth: AuthContext<Identity> }).auth = {
        identity: outcome.identity,
        scheme: outcome.scheme,
      };
      next();
      return;
    }
    try {
      sendFailure(response, outcome);
    } catch (error) {
      next(error);
    }
  }

  return function httpauth(request: Request, response: ServerResponse, next: NextFunction): void {
    void run(request, response, next);
  };
}
