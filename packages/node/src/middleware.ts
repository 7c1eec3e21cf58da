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

/**
 * What {@linkcode middleware} puts on express's `response.locals` (`res.locals`)
 * for an authenticated request: `auth`, the same `{ identity, scheme }` as
 * `request.auth`. Its type is how express's route methods carry the identity
 * type from the middleware to the handlers after it, in the same route:
 * `app.get("/x", auth, (request, response) => …)` sees
 * `response.locals.auth: AuthContext<Identity>`, with no declaration at all.
 */
export interface AuthLocals<Identity> {
  /** Who made the request, and by which scheme. */
  auth: AuthContext<Identity>;
}

/**
 * The type of `request.auth` in an express route whose `res.locals` type is
 * `Locals`: `AuthContext<Identity>` behind {@linkcode middleware} in the same
 * route, `AuthContext<unknown> | undefined` elsewhere (a route the middleware
 * may or may not guard: check it). For a module augmentation of your own
 * that types `request.auth` per route without claiming it where it may be
 * missing (see the README):
 * `declare module "express-serve-static-core" { interface Request<P, ResBody, ReqBody, ReqQuery, LocalsObj extends Record<string, any>> { auth: RequestAuth<LocalsObj> } }`.
 */
export type RequestAuth<Locals> =
  Locals extends AuthLocals<infer Identity> ? AuthContext<Identity> : AuthContext<unknown> | undefined;

/**
 * What the middleware's second signature shows of a framework's request, for
 * its route methods to infer their type parameters from: express's `params`,
 * `query` and `body` when `Request` has them, and of `res` only a `send`
 * taking `unknown` (the response body type). The rest of `res` is left out:
 * its `locals` type would outweigh {@linkcode AuthLocals}. Only a type.
 */
export type RouteParts<Request> = {
  [Key in "params" | "query" | "body" as Key extends keyof Request ? Key : never]: Key extends keyof Request
    ? Request[Key]
    : never;
} & ("res" extends keyof Request ? { res?: { send(body?: unknown): unknown } } : unknown);

/**
 * What {@linkcode middleware} returns: the middleware itself, and
 * `handler()`, which types a route handler placed after it.
 */
export interface AuthMiddleware<Identity, Request extends IncomingMessage = IncomingMessage> {
  (request: Request, response: ServerResponse, next: NextFunction): void;
  /**
   * The same middleware as express's route methods see it: a response whose
   * `locals` hold {@linkcode AuthLocals}. TypeScript infers express's
   * `LocalsObj` from this (last) signature, so the handlers after the
   * middleware in the same `app.get(path, auth, handler)` see
   * `response.locals.auth` (and `request.auth` through {@linkcode RequestAuth})
   * typed with the authenticator's identity. A handler typed with another
   * `LocalsObj` in the same call (express's default `RequestHandler`) makes
   * the route fall back to express's default; use `handler()` there.
   */
  (
    request: IncomingMessage & RouteParts<Request>,
    response: ServerResponse & { locals: AuthLocals<Identity> },
    next: NextFunction,
  ): void;
  /**
   * Types a route handler that runs after this middleware: its request has
   * `auth: AuthContext<Identity>`, the identity type of the authenticator,
   * with no global `Express.Request` augmentation. Request, response and the
   * other parameters are the framework's own (express's `Request`, `Response`,
   * `next`), inferred where the handler is passed.
   *
   * At run time the handler is called as it is, once `request.auth` is set;
   * if it is not (the middleware is not in front of the route, or a CORS
   * preflight passed unauthenticated), a `TypeError` is thrown instead, which
   * express hands to its error handlers.
   *
   * @param handler The route handler.
   * @returns The same handler, typed for the framework's route methods.
   */
  handler<HandlerRequest extends IncomingMessage, Response, Rest extends unknown[], Result>(
    handler: (request: HandlerRequest & { auth: AuthContext<Identity> }, response: Response, ...rest: Rest) => Result,
  ): (request: HandlerRequest, response: Response, ...rest: Rest) => Result;
}

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
 * With express, the identity is typed per route: in `app.get(path, auth, (request, response) => …)`,
 * `response.locals.auth` (also set, see {@linkcode AuthLocals}) is `AuthContext<Identity>` with no
 * declaration, and `request.auth` too with the module augmentation of {@linkcode RequestAuth};
 * `auth.handler(…)` types one handler without either. A global
 * `declare global { namespace Express { interface Request { auth?: AuthContext<User> } } }` also
 * works, for every route alike. Mounted under a path, Digest still sees the full target (`originalUrl`).
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
): AuthMiddleware<Identity, Request> {
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
      const auth: AuthContext<Identity> = { identity: outcome.identity, scheme: outcome.scheme };
      (request as Request & { auth: AuthContext<Identity> }).auth = auth;
      // express's res.locals (connect has none): what the route's types promise (see AuthLocals).
      const { locals } = response as ServerResponse & { locals?: unknown };
      if (typeof locals === "object" && locals !== null) (locals as Partial<AuthLocals<Identity>>).auth = auth;
      next();
      return;
    }
    try {
      sendFailure(response, outcome);
    } catch (error) {
      next(error);
    }
  }

  function httpauth(request: Request, response: ServerResponse, next: NextFunction): void {
    void run(request, response, next);
  }
  return Object.assign(httpauth, { handler: typedHandler }) as AuthMiddleware<Identity, Request>;
}

function typedHandler<Rest extends unknown[], Result>(
  handler: (request: IncomingMessage, response: unknown, ...rest: Rest) => Result,
): (request: IncomingMessage, response: unknown, ...rest: Rest) => Result {
  if (typeof handler !== "function") throw new TypeError("handler() needs the route handler");
  return function authenticatedHandler(request: IncomingMessage, response: unknown, ...rest: Rest): Result {
    if ((request as { auth?: unknown }).auth === undefined) {
      throw new TypeError("handler(): request.auth is not set; put the httpauth middleware in front of this route");
    }
    return handler(request, response, ...rest);
  };
}
