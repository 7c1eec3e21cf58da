/**
 * httpauth as an Elysia plugin: `app.use(httpAuth(authenticator))` guards
 * every route registered after it, in the instance that uses it (Elysia's
 * `scoped` hooks), and hands the route `{ auth }` — `{ identity, scheme }`,
 * typed from the authenticator.
 *
 * elysia is an optional peer dependency of `@httpauth/bun`, imported only
 * by this entry point, which is published on npm only (JSR cannot resolve
 * the bare `elysia` import without an import map).
 *
 * @example Guard the routes of an instance
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { httpAuth } from "@httpauth/bun/elysia";
 * import { Elysia } from "elysia";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "admin", verify: (user, password) => (password === "secret" ? user : undefined) })],
 * });
 * const app = new Elysia()
 *   .get("/", () => "public")
 *   .use(httpAuth(authenticator))
 *   .get("/panel", ({ auth }) => `hello ${auth.identity}`);
 *
 * assert.equal(await (await app.handle(new Request("http://localhost/"))).text(), "public");
 * const refused = await app.handle(new Request("http://localhost/panel"));
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("www-authenticate"), 'Basic realm="admin", charset="UTF-8"');
 * const allowed = await app.handle(
 *   new Request("http://localhost/panel", { headers: { Authorization: `Basic ${btoa("ada:secret")}` } }),
 * );
 * assert.equal(await allowed.text(), "hello ada");
 * ```
 *
 * @module
 */

import type { AuthContext, AuthenticateOptions, Authenticator, HeaderLine } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import { createAuthRequest, createFailureResponse } from "@httpauth/web";
import { Elysia } from "elysia";

/** The part of Elysia's context that `scopes` and `clientAddress` functions receive. */
export interface ElysiaAuthRequestContext {
  /** The Fetch API request. */
  readonly request: Request;
  /** The route's path pattern, such as `/users/:id`. */
  readonly route: string;
  /** The request's path, such as `/users/42`. */
  readonly path: string;
  /** The path parameters, such as `{ id: "42" }`. */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** Bun's server, `null` when the app is not served by Bun (`app.handle()`). */
  readonly server: { requestIP(request: Request): { readonly address: string } | null } | null;
}

/** Options of {@linkcode httpAuth}. */
export interface ElysiaAuthOptions {
  /**
   * Scopes the routes behind the plugin need beyond the authenticator's
   * (RFC 6750 §3.1), or a function of the context returning them (per
   * route: `({ route }) => (route.startsWith("/admin") ? ["admin"] : undefined)`).
   * A Bearer token without them is answered 403 `insufficient_scope`.
   */
  scopes?: readonly string[] | ((context: ElysiaAuthRequestContext) => readonly string[] | undefined) | undefined;
  /**
   * Reads the client's address, for throttling, in place of the default,
   * `server.requestIP(request)?.address`. Behind a reverse proxy return the
   * address it vouches for. With throttling on and no address, the request
   * is refused (the hook throws, and Elysia answers 500).
   */
  clientAddress?: ((context: ElysiaAuthRequestContext) => string | undefined) | undefined;
  /** The most bytes of the body read for core, 65536 (64 KiB) by default. */
  maxBodyLength?: number | undefined;
  /**
   * A CORS preflight without credentials: `"pass"` (the default) lets it
   * through with `auth` `{ identity: undefined, scheme: "cors-preflight" }`;
   * `"authenticate"` answers it 401 like any other request.
   */
  corsPreflight?: "pass" | "authenticate" | undefined;
  /**
   * Which Digest challenges a 401 carries, as for `createFailureResponse`:
   * `"first"` (the default) sends only the first configured algorithm,
   * since Bun writes every challenge on one `WWW-Authenticate` line, where
   * clients read two Digest challenges as one. `"all"` sends every one.
   */
  digestChallenges?: "all" | "first" | undefined;
}

/** Elysia's own shape for "nothing added" in its type parameters. */
// biome-ignore lint/complexity/noBannedTypes: the exact type Elysia infers, so the plugin's type is the one `.use()` reads.
type Empty = {};

/**
 * The plugin {@linkcode httpAuth} returns: an Elysia instance named
 * `@httpauth/bun/elysia` whose scoped `resolve` adds `auth` to the context.
 */
export type ElysiaAuthPlugin<Identity> = Elysia<
  "",
  { decorator: Empty; store: Empty; derive: Empty; resolve: Empty },
  { typebox: Empty; error: Empty },
  { schema: Empty; standaloneSchema: Empty; macro: Empty; macroFn: Empty; parser: Empty; response: Empty },
  Empty,
  {
    derive: Empty;
    resolve: { readonly auth: AuthContext<Identity> };
    schema: Empty;
    standaloneSchema: Empty;
    // The hook's early answer (a refused request), as Elysia infers it.
    response: { 200: Response };
  },
  { derive: Empty; resolve: Empty; schema: Empty; standaloneSchema: Empty; response: Empty }
>;

const PREFLIGHT: AuthContext<undefined> = Object.freeze({ identity: undefined, scheme: "cors-preflight" });

/** A distinct seed per plugin, so Elysia never deduplicates two guards of different authenticators. */
let plugins = 0;

/** The peer's address from Bun's `server.requestIP`, when there is one. */
function peerAddress(context: ElysiaAuthRequestContext): string | undefined {
  const address = context.server?.requestIP(context.request)?.address;
  return typeof address === "string" && address !== "" ? address : undefined;
}

/** The options, checked: a `TypeError` or `RangeError` naming the wrong one. */
function checkOptions(options: ElysiaAuthOptions | undefined, context: string): void {
  if (options === undefined) return;
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: options must be an object`);
  const { scopes, clientAddress, maxBodyLength, corsPreflight, digestChallenges } = options;
  if (scopes !== undefined && typeof scopes !== "function" && !Array.isArray(scopes)) {
    throw new TypeError(`${context}: options.scopes must be a list of scopes or a function of the context`);
  }
  if (clientAddress !== undefined && typeof clientAddress !== "function") {
    throw new TypeError(`${context}: options.clientAddress must be a function of the context`);
  }
  if (maxBodyLength !== undefined && !(Number.isSafeInteger(maxBodyLength) && maxBodyLength >= 0)) {
    throw new RangeError(`${context}: options.maxBodyLength must be a whole number of bytes, 0 or more`);
  }
  if (corsPreflight !== undefined && corsPreflight !== "pass" && corsPreflight !== "authenticate") {
    throw new TypeError(`${context}: options.corsPreflight must be "pass" or "authenticate"`);
  }
  if (digestChallenges !== undefined && digestChallenges !== "all" && digestChallenges !== "first") {
    throw new TypeError(`${context}: options.digestChallenges must be "all" or "first"`);
  }
}

/** Adds the outcome's header lines to Elysia's `set.headers` (one value per name: list fields joined). */
function addHeaders(headers: Record<string, unknown>, lines: readonly HeaderLine[]): void {
  for (const [name, value] of lines) {
    const key = name.toLowerCase();
    const previous = headers[key];
    headers[key] = typeof previous === "string" && previous !== "" ? `${previous}, ${value}` : value;
  }
}

/**
 * Creates an Elysia plugin that authenticates each request with an
 * authenticator of `@httpauth/core` (RFC 9110 §11, §15.5.2) before the
 * route's handler runs, in the instance that `.use()`s it and the routes
 * registered after it (a `scoped` `onBeforeHandle` and `resolve`).
 *
 * - A refused request is answered with `createFailureResponse` of
 *   `@httpauth/web` (401 or 407 with its challenge, 400, 403 or 429) and
 *   the handler does not run. Bun writes every `WWW-Authenticate` value on
 *   one line, so by default at most one Digest challenge is sent, the first
 *   configured algorithm (the others are still accepted).
 * - An accepted request reaches the handler with `auth`:
 *   `({ auth }) => auth.identity`; the outcome's headers (Digest's
 *   `Authentication-Info`, RFC 7616 §3.5) are set on the response.
 * - Per-route scopes: `scopes` as a function of the context (it has
 *   `route`), or one plugin per `group` with its own `scopes`.
 * - Errors of a `verify` callback reach Elysia's `onError` (500 by
 *   default): a broken user store never looks like a wrong password.
 * - Each call makes a new plugin (a distinct `seed`): `.use()` one in
 *   several instances to share it.
 *
 * @typeParam Identity The identity the authenticator's schemes produce.
 * @param authenticator From `createAuthenticator` of `@httpauth/core`.
 * @param options `scopes`, `clientAddress`, `maxBodyLength`, `corsPreflight`, `digestChallenges`.
 * @returns The plugin, for `app.use(…)`.
 * @throws {TypeError} If `authenticator` has no `authenticate` method, or
 *   an option has the wrong type or value. The hook rejects with whatever a
 *   `verify` callback throws.
 * @throws {RangeError} If `maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Bearer with per-route scopes
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { httpAuth } from "@httpauth/bun/elysia";
 * import { Elysia } from "elysia";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "r" ? { identity: "reader", scopes: ["read"] } : undefined) })],
 * });
 * const app = new Elysia()
 *   .use(httpAuth(authenticator, { scopes: ({ route }) => (route === "/write" ? ["write"] : ["read"]) }))
 *   .get("/read", ({ auth }) => `${auth.identity} reads`)
 *   .get("/write", () => "written");
 * const headers = { Authorization: "Bearer r" };
 *
 * assert.equal(await (await app.handle(new Request("http://localhost/read", { headers }))).text(), "reader reads");
 * const forbidden = await app.handle(new Request("http://localhost/write", { headers }));
 * assert.equal(forbidden.status, 403);
 * assert.match(forbidden.headers.get("www-authenticate") ?? "", /error="insufficient_scope"/);
 * ```
 */
export function httpAuth<Identity>(
  authenticator: Authenticator<Identity>,
  options?: ElysiaAuthOptions,
): ElysiaAuthPlugin<Identity> {
  const context = "Cannot create the Elysia plugin";
  if (typeof authenticator !== "object" || authenticator === null || typeof authenticator.authenticate !== "function") {
    throw new TypeError(`${context}: pass an authenticator from createAuthenticator() of @httpauth/core`);
  }
  checkOptions(options, context);
  const { scopes, clientAddress = peerAddress, maxBodyLength, corsPreflight, digestChallenges } = options ?? {};
  const failureOptions = { digestChallenges: digestChallenges ?? "first" } as const;
  const contexts = new WeakMap<Request, AuthContext<Identity>>();
  plugins += 1;

  return new Elysia({ name: "@httpauth/bun/elysia", seed: plugins })
    .onBeforeHandle(
      { as: "scoped" },
      async function httpAuthBeforeHandle({ request, route, path, params, server, set }) {
        const requestContext: ElysiaAuthRequestContext = { request, route, path, params, server };
        const authRequest = createAuthRequest(request, { maxBodyLength, clientAddress: clientAddress(requestContext) });
        if (corsPreflight !== "authenticate" && isCorsPreflight(authRequest)) {
          // Fetch standard §4.8: a preflight never carries credentials; the route answers it.
          contexts.set(request, PREFLIGHT as unknown as AuthContext<Identity>);
          return undefined;
        }
        const needed = typeof scopes === "function" ? scopes(requestContext) : scopes;
        const authenticateOptions: AuthenticateOptions | undefined =
          needed === undefined ? undefined : { scopes: needed };
        const outcome = await authenticator.authenticate(authRequest, authenticateOptions);
        if (!outcome.ok) return createFailureResponse(outcome, failureOptions);
        contexts.set(request, { identity: outcome.identity, scheme: outcome.scheme });
        addHeaders(set.headers as Record<string, unknown>, outcome.headers);
        return undefined;
      },
    )
    .resolve({ as: "scoped" }, function httpAuthResolve({ request }) {
      // Set by the hook above, which runs first for every route this resolve runs for.
      return { auth: contexts.get(request) as AuthContext<Identity> };
    });
}
