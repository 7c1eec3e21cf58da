/**
 * Guarding a `Request → Response` handler: workerd and Cloudflare Workers,
 * Deno, Bun, service workers, or any server built on the Fetch API.
 *
 * @module
 */

import type { AuthContext, AuthenticateOptions, Authenticator, HeaderLine } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import { checkMaxBodyLength } from "./internal/body.ts";
import { PREFLIGHT_CONTEXT, passesPreflights } from "./internal/preflight.ts";
import { readRequest } from "./request.ts";
import { createFailureResponse } from "./response.ts";

/** A handler that runs only for authenticated requests. */
export type ProtectedHandler<Identity> = (
  request: Request,
  context: AuthContext<Identity>,
) => Response | Promise<Response>;

/** Options of {@linkcode protect}. */
export interface ProtectOptions {
  /**
   * Reads the client's address from the request, for throttling: on
   * Cloudflare, `(request) => request.headers.get("CF-Connecting-IP") ?? undefined`.
   * The Fetch API has no peer address, so with throttling on this option is
   * needed: a request with credentials and no address makes `authenticate()`
   * reject with a `TypeError` saying so (the returned handler rejects),
   * rather than count every client in one counter.
   */
  clientAddress?: (request: Request) => string | undefined;
  /**
   * The most bytes of the body read for core (a Bearer token in a form body,
   * Digest `auth-int`), 65536 (64 KiB) by default; a longer body is not read
   * and core sees none, as for {@linkcode createAuthRequest}.
   */
  maxBodyLength?: number;
  /**
   * What to do with a CORS preflight (an `OPTIONS` request with `Origin` and
   * `Access-Control-Request-Method` and no credentials, as `isCorsPreflight`
   * of `@httpauth/core` decides; browsers never send credentials on one).
   * `"pass"` (the default) hands it to the handler unauthenticated, with the
   * context `{ identity: undefined, scheme: "cors-preflight" }`: answer it
   * with your CORS headers and no data (route on `request.method` before
   * reading the identity — anyone can send such a request). `"authenticate"`
   * treats it like any other request (401 without credentials).
   */
  corsPreflight?: "pass" | "authenticate";
  /**
   * Scopes this route needs beyond the authenticator's (RFC 6750 §3.1), or a
   * function of the request returning them: a Bearer token without them is
   * answered 403 `insufficient_scope` naming them, as core decides.
   */
  scopes?: readonly string[] | ((request: Request) => readonly string[] | undefined);
  /**
   * Which Digest challenges a 401 (407) carries, as for
   * {@linkcode createFailureResponse}: `"first"` (the default here) sends
   * only the first configured algorithm, because Bun.serve, workerd and
   * Fetch servers on Node write every `WWW-Authenticate` value on one line,
   * where curl, requests and Chromium read two Digest challenges as one.
   * `"all"` sends every one: for a runtime that writes a line per entry
   * (Deno.serve; `@httpauth/deno` does so by default).
   */
  digestChallenges?: "all" | "first";
}

/**
 * A handler that runs only for authenticated requests, for a runtime whose
 * handlers take more than the request: `Args` are what the runtime passes
 * after it (`Deno.serve`'s handler info, `Bun.serve`'s server, a framework's
 * route context), and the authenticated `{ identity, scheme }` comes last.
 * `Result` is `Response`, or `Response | undefined` where the runtime lets a
 * handler that took over the connection (a WebSocket upgrade) return nothing.
 */
export type GuardedHandler<
  Identity,
  Incoming extends Request = Request,
  Args extends unknown[] = [],
  Result extends Response | undefined = Response,
> = (request: Incoming, ...rest: [...Args, AuthContext<Identity>]) => Result | Promise<Result>;

/** Options of {@linkcode guard}. */
export interface GuardOptions<Incoming extends Request = Request, Args extends unknown[] = []> {
  /**
   * Reads the client's address, for throttling, from the request and the
   * runtime's arguments: `(_request, info) => info.remoteAddr.hostname` on
   * Deno, `(request, server) => server.requestIP(request)?.address` on Bun.
   * With throttling on, a request with credentials and no address is
   * refused (`authenticate()` rejects with a `TypeError`).
   */
  clientAddress?: ((request: Incoming, ...args: Args) => string | undefined) | undefined;
  /**
   * The most bytes of the body read for core, 65536 (64 KiB) by default, as
   * for {@linkcode protect}.
   */
  maxBodyLength?: number | undefined;
  /**
   * Scopes this route needs beyond the authenticator's, or a function of the
   * request and the runtime's arguments returning them, as for {@linkcode protect}.
   */
  scopes?: readonly string[] | ((request: Incoming, ...args: Args) => readonly string[] | undefined) | undefined;
  /**
   * What to do with a CORS preflight (an `OPTIONS` request with `Origin` and
   * `Access-Control-Request-Method` and no credentials, as `isCorsPreflight`
   * of `@httpauth/core` decides; browsers never send credentials on one).
   * `"pass"` (the default) hands it to the handler unauthenticated, with the
   * context `{ identity: undefined, scheme: "cors-preflight" }`: answer it
   * with your CORS headers and no data (route on `request.method` before
   * reading the identity — anyone can send such a request). `"authenticate"`
   * treats it like any other request (401 without credentials).
   */
  corsPreflight?: "pass" | "authenticate" | undefined;
  /**
   * Which Digest challenges a 401 (407) carries, as for
   * {@linkcode createFailureResponse}: `"all"` (the default here, the
   * general form) or `"first"`, for a runtime that joins header lines.
   */
  digestChallenges?: "all" | "first" | undefined;
}

/** `options.digestChallenges`, checked; `fallback` when absent. */
function checkDigestChallenges(value: unknown, fallback: "all" | "first", context: string): "all" | "first" {
  if (value === undefined) return fallback;
  if (value === "all" || value === "first") return value;
  throw new TypeError(`${context}: options.digestChallenges must be "all" or "first"`);
}

/**
 * Adds header lines to a handler's response, with `headers.append`. A
 * response whose headers are immutable (one returned by `fetch`, or by
 * `Response.redirect`) is copied first, keeping its status and body. Nothing
 * is added when the handler returned no response (a WebSocket upgrade).
 */
function appendHeaders<Result extends Response | undefined>(
  response: Result,
  lines: readonly HeaderLine[],
): Result | Response {
  if (response === undefined) return response;
  if (!(response instanceof Response)) {
    throw new TypeError("Cannot answer the request: the handler must return a Response");
  }
  if (lines.length === 0) return response;
  try {
    for (const [name, value] of lines) response.headers.append(name, value);
    return response;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const copy = new Response(response.body, response);
  for (const [name, value] of lines) copy.headers.append(name, value);
  return copy;
}

/**
 * Guards a handler that takes the request and more (`Deno.serve`'s info,
 * `Bun.serve`'s server, a framework's context) with an authenticator: the
 * general form of {@linkcode protect}, on which `@httpauth/deno` and
 * `@httpauth/bun` build theirs. Each request is decided by `@httpauth/core`
 * (RFC 9110 §11 and §15.5.2); a refused one is answered with
 * {@linkcode createFailureResponse} (one header entry per challenge), and
 * only an authenticated one reaches `handler`, with `{ identity, scheme }`
 * after the runtime's arguments.
 *
 * - On success the outcome's headers (Digest's `Authentication-Info`,
 *   RFC 7616 §3.5) are appended to the handler's response; a response with
 *   immutable headers is copied first. A handler may return `undefined`
 *   where its runtime allows it (after a WebSocket upgrade): it is passed
 *   through as it is.
 * - An exception thrown by a `verify` callback or by the handler rejects the
 *   returned promise: the runtime (or your error handler) answers 500.
 * - The body is read for core only when it needs it, from a clone, and at
 *   most `maxBodyLength` bytes of it (64 KiB by default).
 * - A CORS preflight without credentials (`isCorsPreflight` of
 *   `@httpauth/core`) reaches `handler` unauthenticated, with the context
 *   `{ identity: undefined, scheme: "cors-preflight" }`, unless
 *   `corsPreflight` is `"authenticate"`: answer `OPTIONS` before reading the
 *   identity.
 *
 * @typeParam Identity The identity the authenticator's schemes produce.
 * @typeParam Incoming The request type the runtime passes (`Request`, or a subclass with route parameters).
 * @typeParam Args The runtime's arguments after the request.
 * @typeParam Result `Response`, or `Response | undefined` for a handler that may take over the connection.
 * @param handler Called with the request, the runtime's arguments and `{ identity, scheme }`.
 * @param authenticator From `createAuthenticator` of `@httpauth/core`.
 * @param options `clientAddress`: reads the client's address for throttling; `maxBodyLength`: the most body bytes read;
 *   `corsPreflight`: `"pass"` (default) or `"authenticate"`; `scopes`: what this route needs beyond the
 *   authenticator's (a list, or a function of the request and the arguments); `digestChallenges`: `"all"`
 *   (default) or `"first"`.
 * @returns A handler that takes the request and the runtime's arguments.
 * @throws {TypeError} If `handler` is not a function, `authenticator` has no
 *   `authenticate` method, `clientAddress` is not a function,
 *   `corsPreflight` is neither `"pass"` nor `"authenticate"`, or `digestChallenges` neither `"all"` nor `"first"`. The returned
 *   handler rejects with whatever a `verify` callback or `handler` throws,
 *   and with a `TypeError` if `handler` returns something other than a `Response` or `undefined`.
 * @throws {RangeError} If `maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example A handler that also takes a route context
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { guard } from "@httpauth/web";
 *
 * interface RouteContext {
 *   params: { id: string };
 *   address: string;
 * }
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
 * });
 * const handle = guard<string, Request, [RouteContext]>(
 *   (_request, route, { identity }) => new Response(`${identity} reads ${route.params.id}`),
 *   authenticator,
 *   { clientAddress: (_request, route) => route.address },
 * );
 * const route: RouteContext = { params: { id: "42" }, address: "192.0.2.7" };
 *
 * const refused = await handle(new Request("https://api.example/users/42"), route);
 * assert.equal(refused.status, 401);
 * const allowed = await handle(
 *   new Request("https://api.example/users/42", { headers: { Authorization: `Basic ${btoa("ada:secret")}` } }),
 *   route,
 * );
 * assert.equal(await allowed.text(), "ada reads 42");
 * ```
 */
export function guard<
  Identity,
  Incoming extends Request = Request,
  Args extends unknown[] = [],
  Result extends Response | undefined = Response,
>(
  handler: GuardedHandler<Identity, Incoming, Args, Result>,
  authenticator: Authenticator<Identity>,
  options?: GuardOptions<Incoming, Args>,
): (request: Incoming, ...args: Args) => Promise<Result | Response> {
  const context = "Cannot protect the handler";
  if (typeof handler !== "function") throw new TypeError(`${context}: handler must be a function`);
  if (typeof authenticator !== "object" || authenticator === null || typeof authenticator.authenticate !== "function") {
    throw new TypeError(`${context}: pass an authenticator from createAuthenticator() of @httpauth/core`);
  }
  const clientAddress = options?.clientAddress;
  if (clientAddress !== undefined && typeof clientAddress !== "function") {
    throw new TypeError(`${context}: options.clientAddress must be a function of the request`);
  }
  const maxBodyLength = checkMaxBodyLength(options?.maxBodyLength, context);
  const passPreflights = passesPreflights(options?.corsPreflight, context);
  const scopes = options?.scopes;
  if (scopes !== undefined && typeof scopes !== "function" && !Array.isArray(scopes)) {
    throw new TypeError(`${context}: options.scopes must be a list of scopes or a function of the request`);
  }
  const failureOptions = { digestChallenges: checkDigestChallenges(options?.digestChallenges, "all", context) };

  return async function guardedHandler(request: Incoming, ...args: Args): Promise<Result | Response> {
    if (!(request instanceof Request)) throw new TypeError("createAuthRequest(): pass a Fetch API Request");
    const authRequest = readRequest(request, maxBodyLength, clientAddress?.(request, ...args));
    if (passPreflights && isCorsPreflight(authRequest)) {
      // Fetch standard §4.8: a preflight never carries credentials; the handler answers it.
      const preflight = PREFLIGHT_CONTEXT as unknown as AuthContext<Identity>;
      return appendHeaders(await handler(request, ...args, preflight), []);
    }
    const needed = typeof scopes === "function" ? scopes(request, ...args) : scopes;
    const authenticateOptions: AuthenticateOptions | undefined = needed === undefined ? undefined : { scopes: needed };
    const outcome = await authenticator.authenticate(authRequest, authenticateOptions);
    if (!outcome.ok) return createFailureResponse(outcome, failureOptions);
    const response = await handler(request, ...args, { identity: outcome.identity, scheme: outcome.scheme });
    return appendHeaders(response, outcome.headers);
  };
}

/**
 * Guards a Fetch API handler with an authenticator: the handler runs only
 * for authenticated requests and receives the identity; every other request
 * is answered from the outcome (401 or 407 with one challenge per header
 * entry, 400, 403 or 429), as `@httpauth/core` decided it.
 *
 * - On success the outcome's headers (Digest's `Authentication-Info`,
 *   RFC 7616 §3.5) are appended to the handler's response; a response with
 *   immutable headers is copied first.
 * - An exception thrown by a `verify` callback or by the handler rejects the
 *   returned promise: the runtime (or your error handler) answers 500, and a
 *   broken user store never looks like a wrong password.
 * - The request body is left for the handler; core reads a clone only when
 *   it needs the body (Bearer tokens in a form body, Digest `auth-int`), and
 *   at most `maxBodyLength` bytes of it (64 KiB by default).
 * - A CORS preflight without credentials reaches the handler
 *   unauthenticated, as for {@linkcode guard}, unless `corsPreflight` is
 *   `"authenticate"`.
 * - **One Digest challenge by default.** Bun.serve, workerd and Fetch
 *   servers on Node write the challenges on one `WWW-Authenticate` line,
 *   where curl, requests and Chromium read two Digest challenges as one,
 *   mixing their parameters. So only the first configured Digest algorithm
 *   is offered (`digestChallenges: "first"`; the others are still accepted),
 *   and the other schemes keep their place: list first the scheme browsers
 *   should use. On Deno.serve, which writes a line per challenge, pass
 *   `digestChallenges: "all"` (or use `@httpauth/deno`).
 *
 * @param handler Called with the request and `{ identity, scheme }` once the request is authenticated.
 * @param authenticator From `createAuthenticator` of `@httpauth/core`.
 * @param options `clientAddress`: reads the client's address for throttling; `maxBodyLength`: the most body bytes read;
 *   `corsPreflight`: `"pass"` (default) or `"authenticate"`; `scopes`: what this route needs beyond the
 *   authenticator's (a list, or a function of the request); `digestChallenges`: `"first"` (default) or `"all"`.
 * @returns A `(request) => Promise<Response>` handler, usable as a Worker's `fetch`.
 * @throws {TypeError} If `handler` is not a function, `authenticator` has no
 *   `authenticate` method, `clientAddress` is not a function, `corsPreflight` is neither `"pass"` nor
 *   `"authenticate"`, or `digestChallenges` neither `"first"` nor `"all"`. The returned handler rejects with whatever a `verify` callback or `handler` throws, and
 *   with a `TypeError` when throttling is on and no client address is known.
 * @throws {RangeError} If `maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Only authenticated requests reach the handler
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/web";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "staff", verify: (user, password) => (password === "open sesame" ? { user } : undefined) })],
 * });
 * const handle = protect((request, { identity }) => new Response(`hello ${identity.user}`), authenticator);
 *
 * const refused = await handle(new Request("https://example.org/"));
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("www-authenticate"), 'Basic realm="staff", charset="UTF-8"');
 *
 * const allowed = await handle(
 *   new Request("https://example.org/", { headers: { Authorization: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" } }),
 * );
 * assert.equal(allowed.status, 200);
 * assert.equal(await allowed.text(), "hello Aladdin");
 * ```
 *
 * @example A CORS preflight reaches the handler, unauthenticated
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/web";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "svc" } : undefined) })],
 * });
 * const cors = { "Access-Control-Allow-Origin": "https://app.example", "Access-Control-Allow-Headers": "Authorization" };
 * const handle = protect((request, { identity }) => {
 *   // Answer OPTIONS first: a preflight has no identity.
 *   if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: cors });
 *   return new Response(`hello ${identity}`, { headers: cors });
 * }, authenticator);
 *
 * const preflight = new Request("https://api.example/reports", {
 *   method: "OPTIONS",
 *   headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
 * });
 * assert.equal((await handle(preflight)).status, 204);
 *
 * const strict = protect(() => new Response("never"), authenticator, { corsPreflight: "authenticate" });
 * assert.equal((await strict(preflight)).status, 401);
 * ```
 *
 * @example Per-route scopes with one authenticator, and CORS for browsers
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/web";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ verify: (token) => (token === "t0k3n" ? { identity: "ada", scopes: ["read"] } : undefined) })],
 *   exposeHeaders: true, // Access-Control-Expose-Headers: WWW-Authenticate, …
 * });
 * const read = protect(() => new Response("report"), authenticator, { scopes: ["read"] });
 * const write = protect(() => new Response("saved"), authenticator, {
 *   scopes: (request) => (request.method === "GET" ? ["read"] : ["write"]),
 * });
 * // Your CORS layer adds Access-Control-Allow-Origin to every answer, refusals included.
 * async function cors(response: Promise<Response>): Promise<Response> {
 *   const answer = await response;
 *   answer.headers.set("Access-Control-Allow-Origin", "https://app.example");
 *   return answer;
 * }
 * const headers = { Authorization: "Bearer t0k3n" };
 * assert.equal((await cors(read(new Request("https://api.example/report", { headers })))).status, 200);
 * const refused = await cors(write(new Request("https://api.example/report", { method: "PUT", headers })));
 * assert.equal(refused.status, 403);
 * assert.equal(refused.headers.get("www-authenticate"), 'Bearer scope="write", error="insufficient_scope"');
 * assert.match(refused.headers.get("access-control-expose-headers") ?? "", /WWW-Authenticate/);
 * assert.equal(refused.headers.get("access-control-allow-origin"), "https://app.example");
 * ```
 */
export function protect<Identity>(
  handler: ProtectedHandler<Identity>,
  authenticator: Authenticator<Identity>,
  options?: ProtectOptions,
): (request: Request) => Promise<Response> {
  const digestChallenges = checkDigestChallenges(options?.digestChallenges, "first", "Cannot protect the handler");
  return guard(handler, authenticator, { ...options, digestChallenges });
}
