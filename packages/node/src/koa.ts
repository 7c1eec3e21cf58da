/**
 * httpauth for koa: middleware that authenticates every request it sees and
 * puts who made it on `ctx.state.auth`. Typed structurally, so koa is an
 * optional peer dependency and this sub-path imports nothing from it.
 *
 * @example Guard a koa app with Bearer
 * ```ts
 * import assert from "node:assert/strict";
 * import type { AddressInfo } from "node:net";
 * import Koa from "koa";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import type { KoaAuthState } from "@httpauth/node/koa";
 * import { httpAuth } from "@httpauth/node/koa";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "svc" } : undefined) })],
 * });
 * const app = new Koa<KoaAuthState<string>>();
 * app.use(httpAuth(authenticator));
 * app.use((ctx) => {
 *   ctx.body = `hello ${ctx.state.auth.identity}`;
 * });
 * const server = app.listen(0, "127.0.0.1");
 * await new Promise((resolve) => server.once("listening", resolve));
 * const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
 *
 * const refused = await fetch(url);
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="api"');
 * await refused.text();
 * const allowed = await fetch(url, { headers: { authorization: "Bearer t0k3n" } });
 * assert.equal(await allowed.text(), "hello svc");
 * server.close();
 * ```
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthContext, Authenticator } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import { groupHeaderLines } from "./internal/header-lines.ts";
import { passesPreflights } from "./internal/preflight.ts";
import { checkMaxBodyLength, createAuthRequest } from "./request.ts";

/** What the middleware puts on `ctx.state`: type your app as `new Koa<KoaAuthState<User>>()`. */
export interface KoaAuthState<Identity> {
  /** Who made the request, and with which scheme. */
  auth: AuthContext<Identity>;
}

/** The part of koa's `Context` the middleware uses. */
export interface KoaAuthContext {
  /** node:http's request. */
  req: IncomingMessage;
  /** node:http's response. */
  res: ServerResponse;
  /** The client address; follows koa's `app.proxy`. */
  ip: string;
  /** Per-request state, where `auth` goes. */
  state: object;
  /** The response status. */
  status: number;
  /** The response body. */
  body: unknown;
  /** Sets a response header; an array value is sent as one field line per element. */
  set(field: string, value: string | string[]): void;
}

/** A koa middleware. */
export type KoaAuthMiddleware = (context: KoaAuthContext, next: () => Promise<unknown>) => Promise<void>;

/** Options of {@linkcode httpAuth}. */
export interface KoaAuthOptions {
  /** The client address for throttling. Default: `ctx.ip`, which follows koa's `app.proxy`. */
  clientAddress?: (context: KoaAuthContext) => string | undefined;
  /** A CORS preflight without credentials: `"pass"` (the default) calls `next()` without `ctx.state.auth`; `"authenticate"`. */
  corsPreflight?: "pass" | "authenticate";
  /** The longest buffered body (`ctx.req.rawBody`, when a body parser keeps it there) offered to core, for Digest `auth-int`. Default 64 KiB. */
  maxBodyLength?: number;
}

/**
 * Creates koa middleware that authenticates every request it sees (RFC 9110 §11).
 *
 * - Success: the success headers (Digest's `Authentication-Info`) are set,
 *   `ctx.state.auth` becomes `{ identity, scheme }`, and `next()` runs.
 * - Failure: `ctx.status`, the header lines (one `WWW-Authenticate` line per
 *   challenge, as `ctx.set` with an array writes them) and `ctx.body` are
 *   core's; `next` is not called.
 * - What `authenticate()` throws (a failing `verify`) propagates, to koa's
 *   error handling (`app.on("error")`, your try/catch middleware).
 *
 * @param authenticator What `createAuthenticator()` returned.
 * @param options `clientAddress`, `corsPreflight`, `maxBodyLength`.
 * @returns The middleware, for `app.use()` or a router.
 * @throws {TypeError} If `authenticator` has no `authenticate` method, or an option has the wrong type or value.
 * @throws {RangeError} If `options.maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Authentication-Info on success (Digest)
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthenticator, digestAuth } from "@httpauth/core";
 * import { httpAuth } from "@httpauth/node/koa";
 *
 * const middleware = httpAuth(
 *   createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: new Uint8Array(32), password: () => undefined })] }),
 * );
 * assert.equal(typeof middleware, "function");
 * assert.throws(() => httpAuth({} as never), TypeError);
 * ```
 */
export function httpAuth<Identity>(
  authenticator: Authenticator<Identity>,
  options: KoaAuthOptions = {},
): KoaAuthMiddleware {
  if (typeof authenticator?.authenticate !== "function") {
    throw new TypeError("httpAuth() needs the authenticator of createAuthenticator()");
  }
  if (options.clientAddress !== undefined && typeof options.clientAddress !== "function") {
    throw new TypeError("httpAuth(): options.clientAddress must be a function of the context");
  }
  const maxBodyLength = checkMaxBodyLength(options.maxBodyLength, "httpAuth()");
  const passPreflights = passesPreflights(options.corsPreflight, "httpAuth():");
  const clientAddress = options.clientAddress ?? ((context: KoaAuthContext) => context.ip);

  return async function httpAuthMiddleware(context: KoaAuthContext, next: () => Promise<unknown>): Promise<void> {
    const authRequest = createAuthRequest(context.req, { clientAddress: () => clientAddress(context), maxBodyLength });
    if (passPreflights && isCorsPreflight(authRequest)) {
      await next();
      return;
    }
    const outcome = await authenticator.authenticate(authRequest);
    for (const [name, value] of groupHeaderLines(outcome.headers)) context.set(name, value);
    if (!outcome.ok) {
      context.status = outcome.status;
      context.body = outcome.body;
      return;
    }
    (context.state as KoaAuthState<Identity>).auth = { identity: outcome.identity, scheme: outcome.scheme };
    await next();
  };
}
