/**
 * `protect`: guard a `Bun.serve` handler — the `fetch` handler or a `routes`
 * entry — with an authenticator. The Fetch side (the request as core reads
 * it, the outcome as a `Response`) is `@httpauth/web`'s `guard`; this module
 * adds what only `Bun.serve` has: its server argument, `server.requestIP`
 * for the client address, route requests, and WebSocket upgrades.
 *
 * @module
 */

import type { AuthContext, Authenticator } from "@httpauth/web";
import { guard } from "@httpauth/web";

/** The peer of a request, as much of Bun's `SocketAddress` as this package reads. */
export interface SocketAddress {
  /** The peer's IP address. */
  readonly address: string;
}

/**
 * The second argument `Bun.serve` passes to `fetch` and to route handlers, as
 * much of Bun's `Server` as this package reads. Declared here so the package
 * type-checks and builds without `@types/bun`; Bun's `Server` fits it.
 */
export interface BunServer {
  /** The peer of a request; `null` when there is none (a Unix socket). */
  requestIP(request: Request): SocketAddress | null;
}

/**
 * A request as route handlers receive it: the path parameters in `params`.
 * Bun's `BunRequest<"/users/:id">` fits it; use either to type a route handler.
 */
export interface RouteRequest<Params extends Record<string, string> = Record<string, string>> extends Request {
  /** The route's path parameters, such as `{ id: "42" }` for `/users/:id`. */
  readonly params: Params;
}

/**
 * A `Bun.serve` handler (`fetch` or a route) that also receives the
 * authenticated identity. `Result` is `Response`, or `Response | undefined`
 * for a handler that may upgrade the request to a WebSocket and return nothing.
 */
export type ProtectedHandler<
  Identity,
  Incoming extends Request = Request,
  Server extends BunServer = BunServer,
  Result extends Response | undefined = Response,
> = (request: Incoming, server: Server, context: AuthContext<Identity>) => Result | Promise<Result>;

/** Options of {@linkcode protect}. */
export interface ProtectOptions<Incoming extends Request = Request, Server extends BunServer = BunServer> {
  /**
   * Reads the client's address, which throttling counts failures by, in
   * place of the default, `server.requestIP(request)?.address` (none for a
   * Unix socket). Behind a reverse proxy the peer is the proxy, so every
   * client would look alike: return the address the proxy vouches for, such
   * as `(request) => request.headers.get("X-Real-IP") ?? undefined` when only
   * the proxy can reach the server. `undefined` means no address is known:
   * with throttling on, `authenticate()` then rejects (the request is
   * answered 500) rather than count every client in one counter.
   */
  clientAddress?: ((request: Incoming, server: Server) => string | undefined) | undefined;
  /**
   * The most bytes of the request body read for core (a Bearer token in a
   * form body, RFC 6750 §2.2; Digest `auth-int`), 65536 (64 KiB) by default.
   * A longer body — announced by `Content-Length`, or found while it streams
   * in — is not read further and core sees none: a token in it is not found,
   * and `auth-int` fails as a wrong response. Raise it for `auth-int` uploads.
   */
  maxBodyLength?: number;
  /**
   * What to do with a CORS preflight (`OPTIONS` with `Origin` and
   * `Access-Control-Request-Method`, no credentials; `isCorsPreflight` of
   * `@httpauth/core`). `"pass"` (the default) hands it to the handler
   * unauthenticated, with the context `{ identity: undefined, scheme: "cors-preflight" }`:
   * answer `OPTIONS` with your CORS headers before reading the identity
   * (anyone can send one). `"authenticate"` treats it like any other request.
   */
  corsPreflight?: "pass" | "authenticate";
  /**
   * Scopes this route needs beyond the authenticator's (RFC 6750 §3.1), or a
   * function of the request returning them: a Bearer token without them is
   * answered 403 `insufficient_scope` naming them, as core decides.
   */
  scopes?: readonly string[] | ((request: Request) => readonly string[] | undefined);
  /**
   * Which Digest challenges a 401 (407) carries, as for `createFailureResponse`
   * of `@httpauth/web`: `"first"` (the default) sends only the first
   * configured algorithm, because Bun writes every `WWW-Authenticate` value
   * on one line, where curl, requests and Chromium read two Digest
   * challenges as one. `"all"` sends every one.
   */
  digestChallenges?: "all" | "first";
}

/** A handler for `Bun.serve`'s `fetch` or for a `routes` entry: what {@linkcode protect} returns. */
export type BunHandler<
  Incoming extends Request = Request,
  Server extends BunServer = BunServer,
  Result extends Response | undefined = Response,
> = (request: Incoming, server: Server) => Promise<Result | Response>;

/**
 * Guards a `Bun.serve` handler — `fetch(request, server)` or a `routes` entry
 * `(request, server)` with `request.params` — with an authenticator:
 * `@httpauth/core` decides each request (RFC 9110 §11 and §15.5.2), and only
 * authenticated requests reach `handler`.
 *
 * - A refused request gets the outcome's status, headers and body: `401` with
 *   the `WWW-Authenticate` challenges, `400`, `403`, `407` with
 *   `Proxy-Authenticate`, or `429` with `Retry-After`. **Bun 1.4 writes the
 *   values of one header name on one line**, joined with `", "` (Bun's
 *   `Headers` keeps one entry per name, except `Set-Cookie`), so several
 *   challenges arrive as one list, `Basic realm="api", Bearer realm="api"`.
 *   That is valid HTTP (RFC 9110 §5.3), but clients that read only the first
 *   challenge of a line (Chromium, lynx) see only the first scheme: list
 *   first the scheme they need. And two Digest challenges on one line read
 *   as one to curl, requests and Chromium, so only the first configured
 *   Digest algorithm is offered (`digestChallenges: "first"`, the default;
 *   the others are still accepted).
 * - An authenticated request goes to `handler` with `{ identity, scheme }`;
 *   the outcome's headers (`Authentication-Info` for Digest) are appended to
 *   the handler's response.
 * - The client address, for throttling, is `server.requestIP(request)?.address`;
 *   `options.clientAddress` replaces it (behind a reverse proxy). With
 *   throttling on and no address (a Unix socket), the request is refused
 *   (the promise rejects with a `TypeError` saying what to configure), never
 *   counted in one counter shared by every client.
 * - A handler that upgrades the request to a WebSocket (`server.upgrade`) may
 *   return `undefined`, as Bun allows when a `websocket` handler is configured:
 *   the upgrade then happens only for authenticated requests.
 * - The body, when core needs it (a Bearer token in a form body, Digest
 *   `auth-int`), is read from a clone, so `handler` can still read it, and
 *   only up to `options.maxBodyLength` bytes (64 KiB by default).
 * - A CORS preflight without credentials reaches `handler` unauthenticated,
 *   with `{ identity: undefined, scheme: "cors-preflight" }`, unless
 *   `corsPreflight` is `"authenticate"`: answer `OPTIONS` before reading the identity.
 * - An exception thrown by a `verify` callback (or by `handler`) is not
 *   caught: the returned promise rejects, and `Bun.serve`'s `error` handler
 *   answers (500 by default). A broken user store must not look like a wrong password.
 *
 * @typeParam Identity The identity the authenticator's schemes produce.
 * @typeParam Incoming The request type: `Request` for `fetch`, `BunRequest<Path>` or {@linkcode RouteRequest} for a route.
 * @typeParam Server The server type: {@linkcode BunServer} unless the handler's `server` parameter is annotated (`server: Server<undefined>`).
 * @typeParam Result `Response`, or `Response | undefined` for a handler that may upgrade to a WebSocket.
 * @param handler The handler to guard; called with the request, the server and `{ identity, scheme }`.
 * @param authenticator The authenticator from `createAuthenticator`.
 * @param options `clientAddress`: reads the client's address (behind a proxy); `maxBodyLength`: the most body bytes read for core;
 *   `corsPreflight`: `"pass"` (default) or `"authenticate"`; `scopes`: what this route needs beyond the authenticator's;
 *   `digestChallenges`: `"first"` (default) or `"all"`.
 * @returns A handler for `fetch` or for a `routes` entry.
 * @throws {TypeError} If `handler` is not a function, `authenticator` has no `authenticate` method, `clientAddress` is not a
 *   function, `corsPreflight` is neither `"pass"` nor `"authenticate"`, or `digestChallenges` neither `"first"` nor `"all"`.
 * @throws {RangeError} If `options.maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Protect the fetch handler and a route
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { protect, type RouteRequest } from "@httpauth/bun";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "robot" } : undefined) })],
 * });
 * const server = Bun.serve({
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   routes: {
 *     "/users/:id": protect(
 *       (request: RouteRequest<{ id: string }>, _server, { identity }) => new Response(`${identity} reads ${request.params.id}`),
 *       authenticator,
 *     ),
 *   },
 *   fetch: protect((_request, _server, { identity }) => new Response(`hello ${identity}`), authenticator),
 * });
 * const headers = { Authorization: "Bearer t0k3n" };
 *
 * const refused = await fetch(`http://127.0.0.1:${server.port}/users/7`);
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("WWW-Authenticate"), 'Bearer realm="api"');
 * assert.equal(await (await fetch(`http://127.0.0.1:${server.port}/users/7`, { headers })).text(), "robot reads 7");
 * assert.equal(await (await fetch(`http://127.0.0.1:${server.port}/`, { headers })).text(), "hello robot");
 * await server.stop(true);
 * ```
 *
 * @example Behind a reverse proxy: the address it vouches for
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/bun";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: () => undefined })],
 *   throttle: { maxFailures: 1, window: 60 },
 * });
 * const handle = protect(() => new Response("in"), authenticator, {
 *   clientAddress: (request) => request.headers.get("X-Real-IP") ?? undefined,
 * });
 * const server = { requestIP: () => ({ address: "10.0.0.2" }) };
 * const guess = (from: string) =>
 *   new Request("http://localhost/", { headers: { Authorization: `Basic ${btoa("ada:guess")}`, "X-Real-IP": from } });
 * assert.equal((await handle(guess("192.0.2.1"), server)).status, 401);
 * assert.equal((await handle(guess("192.0.2.1"), server)).status, 429);
 * assert.equal((await handle(guess("192.0.2.2"), server)).status, 401);
 * ```
 */
export function protect<
  Identity,
  Incoming extends Request = Request,
  Server extends BunServer = BunServer,
  Result extends Response | undefined = Response,
>(
  handler: ProtectedHandler<Identity, Incoming, Server, Result>,
  authenticator: Authenticator<Identity>,
  options?: ProtectOptions<Incoming, Server>,
): BunHandler<Incoming, Server, Result> {
  const override = options?.clientAddress;
  if (override !== undefined && typeof override !== "function") {
    throw new TypeError(
      "Cannot protect the handler: options.clientAddress must be a function of the request and server",
    );
  }
  return guard<Identity, Incoming, [Server], Result>(handler, authenticator, {
    clientAddress: override ?? clientAddress,
    maxBodyLength: options?.maxBodyLength,
    corsPreflight: options?.corsPreflight,
    scopes: options?.scopes,
    // Not `??`: a null is a wrong value, for guard to refuse.
    digestChallenges: options?.digestChallenges === undefined ? "first" : options.digestChallenges,
  });
}

/** The peer's IP address from `server.requestIP`, when there is one. */
function clientAddress(request: Request, server: BunServer | undefined): string | undefined {
  if (typeof server?.requestIP !== "function") return undefined;
  const address = server.requestIP(request)?.address;
  return typeof address === "string" && address !== "" ? address : undefined;
}
