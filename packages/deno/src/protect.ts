/**
 * `protect`: guard a `Deno.serve` handler with an authenticator. The Fetch
 * side (the request as core reads it, the outcome as a `Response`) is
 * `@httpauth/web`'s `guard`; this module adds what only `Deno.serve` has:
 * its handler info, and the client address in it.
 *
 * @module
 */

import type { AuthContext, Authenticator } from "@httpauth/web";
import { guard } from "@httpauth/web";

/**
 * The peer of a connection, as much of `Deno.Addr` as this package reads.
 * `Deno.NetAddr` (`tcp`, `udp`), `Deno.UnixAddr` and `Deno.VsockAddr` all fit.
 */
export interface RemoteAddress {
  /** `"tcp"` or `"udp"` for an IP peer; `"unix"`, `"vsock"`, … otherwise. */
  readonly transport: string;
  /** The peer's IP address, for `tcp` and `udp`. */
  readonly hostname?: string;
}

/**
 * The second argument `Deno.serve` passes to its handler, as much of
 * `Deno.ServeHandlerInfo` as this package reads. Declared here so the package
 * type-checks and builds without Deno's type library.
 */
export interface ServeHandlerInfo {
  /** The peer of the connection the request came on. */
  readonly remoteAddr: RemoteAddress;
}

/** A `Deno.serve` handler that also receives the authenticated identity. */
export type ProtectedHandler<Identity, Info extends ServeHandlerInfo = ServeHandlerInfo> = (
  request: Request,
  info: Info,
  context: AuthContext<Identity>,
) => Response | Promise<Response>;

/** Options of {@linkcode protect}. */
export interface ProtectOptions<Info extends ServeHandlerInfo = ServeHandlerInfo> {
  /**
   * Reads the client's address, which throttling counts failures by, in
   * place of the default, `info.remoteAddr.hostname` (for `tcp` and `udp`
   * peers; none for a Unix socket). Behind a reverse proxy the peer is the
   * proxy, so every client would look alike: return the address the proxy
   * vouches for, such as `(request) => request.headers.get("X-Real-IP") ?? undefined`
   * when only the proxy can reach the server. `undefined` means no address
   * is known: with throttling on, `authenticate()` then rejects (the request
   * is answered 500) rather than count every client in one counter.
   */
  clientAddress?: ((request: Request, info: Info) => string | undefined) | undefined;
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
   * of `@httpauth/web`: `"all"` (the default) sends every one, each on its
   * own line, as Deno.serve writes them; `"first"` only the first configured
   * algorithm, for a response that a middleware copies into a new `Headers`
   * (which joins the lines).
   */
  digestChallenges?: "all" | "first";
}

/** A handler for `Deno.serve`: what {@linkcode protect} returns. */
export type ServeHandler<Info extends ServeHandlerInfo = ServeHandlerInfo> = (
  request: Request,
  info: Info,
) => Promise<Response>;

/**
 * Guards a `Deno.serve` handler: each request is decided by the authenticator
 * (`@httpauth/core`'s status and challenge table, RFC 9110 §11 and §15.5.2),
 * and only authenticated requests reach `handler`.
 *
 * - A refused request gets the outcome's status, headers and body as they
 *   are: `401` with one `WWW-Authenticate` line per challenge (every Digest
 *   algorithm configured, each on its line), `400`, `403`,
 *   `407` with `Proxy-Authenticate`, or `429` with `Retry-After`. The headers
 *   are appended one by one to the response's own header list, which Deno
 *   writes as separate field lines (a `Headers` object given to `Response`
 *   would be joined into one line per name).
 * - An authenticated request goes to `handler` with `{ identity, scheme }`;
 *   the outcome's headers (`Authentication-Info` for Digest) are appended to
 *   the handler's response, each on its own line. A response whose headers
 *   are immutable (`Response.redirect`, a `fetch` result) is copied first.
 * - The client address, for throttling, is `info.remoteAddr.hostname` when
 *   the transport is `tcp` or `udp`, and absent otherwise (a Unix socket);
 *   `options.clientAddress` replaces it (behind a reverse proxy). With
 *   throttling on and no address, the request is refused (the promise
 *   rejects with a `TypeError` saying what to configure), never counted in
 *   one counter shared by every client.
 * - The body, when core needs it (a Bearer token in a form body, Digest
 *   `auth-int`), is read from a clone, so `handler` can still read it, and
 *   only up to `options.maxBodyLength` bytes (64 KiB by default).
 * - A CORS preflight without credentials reaches `handler` unauthenticated,
 *   with `{ identity: undefined, scheme: "cors-preflight" }`, unless
 *   `corsPreflight` is `"authenticate"`: answer `OPTIONS` before reading the identity.
 * - An exception thrown by a `verify` callback (or by `handler`) is not
 *   caught: the returned promise rejects, and `Deno.serve`'s `onError`
 *   answers (500 by default). A broken user store must not look like a wrong
 *   password.
 *
 * @typeParam Identity The identity the authenticator's schemes produce.
 * @typeParam Info The handler info type; inferred as `Deno.ServeHandlerInfo<Deno.NetAddr>` inside `Deno.serve(…)`.
 * @param handler The handler to guard; called with the request, the handler info and `{ identity, scheme }`.
 * @param authenticator The authenticator from `createAuthenticator`.
 * @param options `clientAddress`: reads the client's address (behind a proxy); `maxBodyLength`: the most body bytes read for core;
 *   `corsPreflight`: `"pass"` (default) or `"authenticate"`; `scopes`: what this route needs beyond the authenticator's;
 *   `digestChallenges`: `"all"` (default) or `"first"`.
 * @returns A handler for `Deno.serve`.
 * @throws {TypeError} If `handler` is not a function, `authenticator` has no `authenticate` method, `clientAddress` is not a
 *   function, `corsPreflight` is neither `"pass"` nor `"authenticate"`, or `digestChallenges` neither `"all"` nor `"first"`.
 * @throws {RangeError} If `options.maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Basic authentication on Deno.serve
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/deno";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
 * });
 * const server = Deno.serve(
 *   { port: 0, hostname: "127.0.0.1", onListen() {} },
 *   protect((_request, _info, { identity }) => new Response(`hello ${identity}`), authenticator),
 * );
 * const url = `http://127.0.0.1:${server.addr.port}/`;
 *
 * const refused = await fetch(url);
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("WWW-Authenticate"), 'Basic realm="api", charset="UTF-8"');
 * await refused.body?.cancel();
 *
 * const allowed = await fetch(url, { headers: { Authorization: `Basic ${btoa("ada:secret")}` } });
 * assert.equal(await allowed.text(), "hello ada");
 * await server.shutdown();
 * ```
 *
 * @example Behind a reverse proxy: the address it vouches for
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/deno";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: () => undefined })],
 *   throttle: { maxFailures: 1, window: 60 },
 * });
 * const handle = protect(() => new Response("in"), authenticator, {
 *   clientAddress: (request) => request.headers.get("X-Real-IP") ?? undefined,
 * });
 * const info = { remoteAddr: { transport: "tcp", hostname: "10.0.0.2" } };
 * const guess = (from: string) =>
 *   new Request("http://localhost/", { headers: { Authorization: `Basic ${btoa("ada:guess")}`, "X-Real-IP": from } });
 * assert.equal((await handle(guess("192.0.2.1"), info)).status, 401);
 * assert.equal((await handle(guess("192.0.2.1"), info)).status, 429);
 * assert.equal((await handle(guess("192.0.2.2"), info)).status, 401);
 * ```
 */
export function protect<Identity, Info extends ServeHandlerInfo = ServeHandlerInfo>(
  handler: ProtectedHandler<Identity, Info>,
  authenticator: Authenticator<Identity>,
  options?: ProtectOptions<Info>,
): ServeHandler<Info> {
  const override = options?.clientAddress;
  if (override !== undefined && typeof override !== "function") {
    throw new TypeError("Cannot protect the handler: options.clientAddress must be a function of the request and info");
  }
  return guard<Identity, Request, [Info]>(handler, authenticator, {
    clientAddress: override ?? ((_request, info) => clientAddress(info)),
    maxBodyLength: options?.maxBodyLength,
    corsPreflight: options?.corsPreflight,
    scopes: options?.scopes,
    digestChallenges: options?.digestChallenges,
  });
}

/** The peer's IP address, for `tcp` and `udp` connections. */
function clientAddress(info: ServeHandlerInfo | undefined): string | undefined {
  const address = info?.remoteAddr;
  if (address === undefined || (address.transport !== "tcp" && address.transport !== "udp")) return undefined;
  return typeof address.hostname === "string" ? address.hostname : undefined;
}
