/**
 * httpauth as hono middleware: `app.use("/admin/*", httpAuth(authenticator))`
 * on every runtime hono runs on (Node through `@hono/node-server`, Deno,
 * Bun, workerd and Cloudflare Workers). The identity is read with
 * `c.get("auth")`, typed through {@linkcode HonoAuthEnv}.
 *
 * hono is an optional peer dependency: this module imports nothing from it,
 * and its types describe only the part of hono's `Context` it uses.
 *
 * @example Protect the routes under /admin
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { type HonoAuthEnv, httpAuth } from "@httpauth/web/hono";
 * import { Hono } from "hono";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "admin", verify: (user, password) => (password === "secret" ? user : undefined) })],
 * });
 * const app = new Hono<HonoAuthEnv<string>>();
 * app.use("/admin/*", httpAuth(authenticator));
 * app.get("/admin/panel", (c) => c.text(`hello ${c.get("auth").identity}`));
 *
 * const refused = await app.request("/admin/panel");
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("www-authenticate"), 'Basic realm="admin", charset="UTF-8"');
 * const allowed = await app.request("/admin/panel", { headers: { Authorization: `Basic ${btoa("ada:secret")}` } });
 * assert.equal(await allowed.text(), "hello ada");
 * ```
 *
 * @module
 */

import type { AuthContext, AuthenticateOptions, Authenticator, HeaderLine } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import { checkMaxBodyLength } from "./internal/body.ts";
import { PREFLIGHT_CONTEXT, passesPreflights } from "./internal/preflight.ts";
import { createAuthRequest } from "./request.ts";
import { createFailureResponse } from "./response.ts";

/**
 * The part of hono's `Context` (`c`) the middleware uses: the raw request,
 * the response after `next()`, and `set` for the identity. Every hono
 * `Context` is one.
 */
export interface HonoContext {
  /** hono's request: `raw` is the Fetch API `Request`. */
  readonly req: { readonly raw: Request };
  /** The response, once the handlers after the middleware have run. */
  res: Response;
  /**
   * Stores a variable for `c.get(key)`.
   *
   * @param key The variable's name.
   * @param value Its value.
   */
  set(key: string, value: unknown): void;
}

/** hono's `next`: runs the handlers after the middleware. */
export type HonoNext = () => Promise<void>;

/** A hono middleware handler, as {@linkcode httpAuth} returns it. */
export type HonoMiddleware<Context extends HonoContext = HonoContext> = (
  context: Context,
  next: HonoNext,
) => Promise<Response | undefined>;

/**
 * The variables {@linkcode httpAuth} sets: `{ auth: { identity, scheme } }`,
 * or under the name given as `variable`.
 */
export type HonoAuthVariables<Identity, Key extends string = "auth"> = {
  [Name in Key]: AuthContext<Identity>;
};

/**
 * The hono environment that types `c.get("auth")`:
 * `new Hono<HonoAuthEnv<User>>()`, or `Variables` merged into your own.
 */
export interface HonoAuthEnv<Identity, Key extends string = "auth"> {
  /** The variables of `c.get` and `c.set`. */
  Variables: HonoAuthVariables<Identity, Key>;
}

/** Options of {@linkcode httpAuth}. */
export interface HonoAuthOptions<Context extends HonoContext = HonoContext> {
  /** The name of the variable holding `{ identity, scheme }`: `"auth"` by default. */
  variable?: string | undefined;
  /**
   * Reads the client's address, for throttling: with hono's `getConnInfo`
   * of your runtime's adapter, `(c) => getConnInfo(c).remote.address`. With
   * throttling on, a request with credentials and no address is refused
   * (`authenticate()` rejects, and hono answers 500).
   */
  clientAddress?: ((context: Context) => string | undefined) | undefined;
  /** The most bytes of the body read for core, 65536 (64 KiB) by default. */
  maxBodyLength?: number | undefined;
  /**
   * What to do with a CORS preflight without credentials: `"pass"` (the
   * default) lets it through unauthenticated, with `{ identity: undefined,
   * scheme: "cors-preflight" }` as the variable; `"authenticate"` answers it
   * 401 like any other request.
   */
  corsPreflight?: "pass" | "authenticate" | undefined;
  /**
   * Which Digest challenges a 401 carries, as for `createFailureResponse`:
   * `"first"` (the default here) sends only the first configured algorithm,
   * because hono's responses reach the wire with the challenges joined on
   * one line on `@hono/node-server`, Bun and workerd (and on Deno once a
   * middleware has copied the response), where clients read two Digest
   * challenges as one. `"all"` sends every one.
   */
  digestChallenges?: "all" | "first" | undefined;
  /**
   * Scopes the routes behind the middleware need beyond the authenticator's
   * (RFC 6750 §3.1), or a function of the context returning them (per
   * route: `(c) => (c.req.method === "GET" ? ["read"] : ["write"])`). A
   * Bearer token without them is answered 403 `insufficient_scope` naming
   * them, as core decides; one authenticator serves every route. Each
   * must be a scope-token (RFC 6749 §3.3): core refuses others with a
   * `TypeError`, which reaches hono's error handler.
   */
  scopes?: readonly string[] | ((context: Context) => readonly string[] | undefined) | undefined;
}

/**
 * Appends the outcome's header lines (Digest's `Authentication-Info`,
 * RFC 7616 §3.5) to the response after `next()`; a response with immutable
 * headers (one from `fetch`) is copied first.
 */
function appendToResponse(context: HonoContext, lines: readonly HeaderLine[]): void {
  if (lines.length === 0) return;
  try {
    for (const [name, value] of lines) context.res.headers.append(name, value);
    return;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  const copy = new Response(context.res.body, context.res);
  for (const [name, value] of lines) copy.headers.append(name, value);
  context.res = copy;
}

/** `options.variable`, checked. */
function checkVariable(value: unknown, context: string): string {
  if (value === undefined) return "auth";
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${context}: options.variable must be a non-empty string`);
  }
  return value;
}

/** `options.digestChallenges`, checked; `"first"` by default. */
function checkDigestChallenges(value: unknown, context: string): "all" | "first" {
  if (value === undefined) return "first";
  if (value === "all" || value === "first") return value;
  throw new TypeError(`${context}: options.digestChallenges must be "all" or "first"`);
}

/**
 * Creates hono middleware that authenticates each request with an
 * authenticator of `@httpauth/core` (RFC 9110 §11, §15.5.2): a refused
 * request is answered from the outcome (401 or 407 with its challenges,
 * 400, 403 or 429) and goes no further; an accepted one continues with
 * `{ identity, scheme }` in `c.get("auth")`, and the outcome's headers
 * (Digest's `Authentication-Info`) are appended to the response after
 * `next()`.
 *
 * - hono's responses leave the server with the challenges of one header
 *   name joined on one line (`@hono/node-server`, Bun, workerd), so by
 *   default at most one Digest challenge is sent, the first configured
 *   algorithm; list first the scheme browsers should use. The other
 *   algorithms are still accepted.
 * - Errors of a `verify` callback reach hono's error handler (`app.onError`);
 *   a broken user store never looks like a wrong password.
 * - The body is read for core only when it needs it, from a clone, and at
 *   most `maxBodyLength` bytes of it.
 * - Per-route scopes: `scopes`, a list for the routes behind this
 *   middleware, or a function of the context; one authenticator serves
 *   every route (`app.get("/reports", httpAuth(api, { scopes: ["read"] }), …)`).
 *
 * @typeParam Identity The identity the authenticator's schemes produce.
 * @typeParam Context hono's `Context`, inferred from `clientAddress`.
 * @param authenticator From `createAuthenticator` of `@httpauth/core`.
 * @param options `variable`, `clientAddress`, `maxBodyLength`, `corsPreflight`, `digestChallenges`, `scopes`.
 * @returns The middleware, for `app.use(path, …)` or a route's handler list.
 * @throws {TypeError} If `authenticator` has no `authenticate` method, or an
 *   option has the wrong type or value. The middleware rejects with whatever
 *   a `verify` callback throws.
 * @throws {RangeError} If `maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Digest: one challenge, Authentication-Info after the handler
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthenticator, digestAuth } from "@httpauth/core";
 * import { httpAuth } from "@httpauth/web/hono";
 * import { Hono } from "hono";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     digestAuth({
 *       realm: "ops",
 *       secret: "a long random secret for nonces",
 *       algorithms: ["SHA-256", "MD5"],
 *       password: (user) => (user === "ada" ? "secret" : undefined),
 *     }),
 *   ],
 * });
 * const app = new Hono();
 * app.use("/ops/*", httpAuth(authenticator));
 * app.get("/ops/status", (c) => c.text("ok"));
 *
 * const refused = await app.request("/ops/status");
 * assert.equal(refused.status, 401);
 * const challenge = refused.headers.get("www-authenticate") ?? "";
 * assert.match(challenge, /^Digest realm="ops", .*algorithm=SHA-256/);
 * assert.doesNotMatch(challenge, /MD5/);
 * ```
 *
 * @example Per-route scopes with one authenticator
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { httpAuth } from "@httpauth/web/hono";
 * import { Hono } from "hono";
 *
 * const api = createAuthenticator({
 *   schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "r" ? { identity: "reader", scopes: ["read"] } : undefined) })],
 * });
 * const app = new Hono();
 * app.get("/reports", httpAuth(api, { scopes: ["read"] }), (c) => c.text("report"));
 * app.post("/reports", httpAuth(api, { scopes: ["write"] }), (c) => c.text("saved"));
 * const headers = { Authorization: "Bearer r" };
 *
 * assert.equal((await app.request("/reports", { headers })).status, 200);
 * const refused = await app.request("/reports", { method: "POST", headers });
 * assert.equal(refused.status, 403);
 * assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="api", scope="write", error="insufficient_scope"');
 * ```
 */
export function httpAuth<Identity, Context extends HonoContext = HonoContext>(
  authenticator: Authenticator<Identity>,
  options?: HonoAuthOptions<Context>,
): HonoMiddleware<Context> {
  const context = "Cannot create the hono middleware";
  if (typeof authenticator !== "object" || authenticator === null || typeof authenticator.authenticate !== "function") {
    throw new TypeError(`${context}: pass an authenticator from createAuthenticator() of @httpauth/core`);
  }
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`${context}: options must be an object`);
  }
  const clientAddress = options?.clientAddress;
  if (clientAddress !== undefined && typeof clientAddress !== "function") {
    throw new TypeError(`${context}: options.clientAddress must be a function of the context`);
  }
  const variable = checkVariable(options?.variable, context);
  const maxBodyLength = checkMaxBodyLength(options?.maxBodyLength, context);
  const passPreflights = passesPreflights(options?.corsPreflight, context);
  const digestChallenges = checkDigestChallenges(options?.digestChallenges, context);
  const scopes = options?.scopes;
  if (scopes !== undefined && typeof scopes !== "function" && !Array.isArray(scopes)) {
    throw new TypeError(`${context}: options.scopes must be a list of scopes or a function of the context`);
  }

  return async function httpAuthMiddleware(c: Context, next: HonoNext): Promise<Response | undefined> {
    const authRequest = createAuthRequest(c.req.raw, { maxBodyLength, clientAddress: clientAddress?.(c) });
    if (passPreflights && isCorsPreflight(authRequest)) {
      // Fetch standard §4.8: a preflight never carries credentials; the route answers it.
      c.set(variable, PREFLIGHT_CONTEXT);
      await next();
      return undefined;
    }
    const needed = typeof scopes === "function" ? scopes(c) : scopes;
    const authenticateOptions: AuthenticateOptions | undefined = needed === undefined ? undefined : { scopes: needed };
    const outcome = await authenticator.authenticate(authRequest, authenticateOptions);
    if (!outcome.ok) return createFailureResponse(outcome, { digestChallenges });
    const auth: AuthContext<Identity> = { identity: outcome.identity, scheme: outcome.scheme };
    c.set(variable, auth);
    await next();
    appendToResponse(c, outcome.headers);
    return undefined;
  };
}
