/**
 * httpauth for fastify 5: a plugin that decorates the instance with
 * `httpAuth(authenticator)`, which makes an `onRequest` (or `preHandler`)
 * hook for a route; the identity lands on `request.auth`. fastify is an
 * optional peer dependency: this sub-path imports only its types.
 *
 * @example Guard one route with Basic
 * ```ts
 * import assert from "node:assert/strict";
 * import Fastify from "fastify";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { httpAuthPlugin } from "@httpauth/node/fastify";
 *
 * const app = Fastify();
 * await app.register(httpAuthPlugin);
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: (username, password) => (password === "secret" ? username : undefined) })],
 * });
 * app.get("/", { onRequest: app.httpAuth(authenticator) }, async (request) => `hello ${request.auth?.identity}`);
 *
 * const refused = await app.inject({ url: "/" });
 * assert.equal(refused.statusCode, 401);
 * assert.equal(refused.headers["www-authenticate"], 'Basic realm="api", charset="UTF-8"');
 * const allowed = await app.inject({ url: "/", headers: { authorization: `Basic ${btoa("ada:secret")}` } });
 * assert.equal(allowed.body, "hello ada");
 * await app.close();
 * ```
 *
 * @module
 */

import type { AuthContext, Authenticator, AuthFailure } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { groupHeaderLines } from "./internal/header-lines.ts";
import { passesPreflights } from "./internal/preflight.ts";
import { createAuthRequest } from "./request.ts";

/**
 * Declares the identity type `request.auth` carries, by declaration merging:
 * `declare module "@httpauth/node/fastify" { interface FastifyAuthTypes { identity: User } }`.
 * Without it the identity is `unknown`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: users merge `identity` into it.
export interface FastifyAuthTypes {}

/** The identity type of `request.auth`: `FastifyAuthTypes["identity"]`, or `unknown` when not declared. */
export type FastifyAuthIdentity = FastifyAuthTypes extends { identity: infer Identity } ? Identity : unknown;

declare module "fastify" {
  interface FastifyInstance {
    /** Makes an `onRequest`/`preHandler` hook guarding a route with `authenticator` (see `httpAuthPlugin`). */
    httpAuth: <Identity>(authenticator: Authenticator<Identity>, options?: FastifyAuthOptions) => FastifyAuthHook;
  }
  interface FastifyRequest {
    /** Who made the request and with which scheme, once an httpauth hook let it through; `null` before. */
    auth: AuthContext<FastifyAuthIdentity> | null;
  }
}

/** An `onRequest`/`preHandler` hook made by `fastify.httpAuth()`; it also fits `@fastify/auth`. */
export type FastifyAuthHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Options of `httpAuthPlugin` (defaults for every hook) and of `fastify.httpAuth()` (for one hook). */
export interface FastifyAuthOptions {
  /** The client address for throttling. Default: `request.ip`, which follows fastify's `trustProxy`. */
  clientAddress?: (request: FastifyRequest) => string | undefined;
  /** A CORS preflight without credentials: `"pass"` (the default) goes on with `request.auth` `null`; `"authenticate"`. */
  corsPreflight?: "pass" | "authenticate";
  /**
   * How a refused request is answered. `"reply"` (the default) sends core's
   * response through `reply`: its status, one header line per challenge, its
   * body. `"error"` throws a {@linkcode FastifyAuthFailureError} instead
   * (its `statusCode` and `headers` are applied by fastify's error handler):
   * what `@fastify/auth` needs to try the next strategy.
   */
  failure?: "reply" | "error";
}

/** What a hook with `failure: "error"` throws for a refused request. */
export interface FastifyAuthFailureError extends Error {
  /** The status core chose: 400, 401, 403, 407 or 429. */
  statusCode: number;
  /** The failure's header lines by name; several challenges are an array, one line each. */
  headers: Record<string, string | string[]>;
  /** The whole failed outcome. */
  outcome: AuthFailure;
}

const PLUGIN_NAME = "@httpauth/node/fastify";

function checkOptions(options: unknown, context: string): FastifyAuthOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: options must be an object`);
  const { clientAddress, corsPreflight, failure } = options as FastifyAuthOptions;
  if (clientAddress !== undefined && typeof clientAddress !== "function") {
    throw new TypeError(`${context}: options.clientAddress must be a function of the request`);
  }
  passesPreflights(corsPreflight, `${context}:`);
  if (failure !== undefined && failure !== "reply" && failure !== "error") {
    throw new TypeError(`${context}: options.failure must be "reply" or "error"`);
  }
  return options as FastifyAuthOptions;
}

function failureError(outcome: AuthFailure): FastifyAuthFailureError {
  const error = new Error(`Authentication failed (${outcome.reason})`) as FastifyAuthFailureError;
  error.statusCode = outcome.status;
  error.headers = Object.fromEntries(groupHeaderLines(outcome.headers));
  error.outcome = outcome;
  return error;
}

function createHook<Identity>(authenticator: Authenticator<Identity>, options: FastifyAuthOptions): FastifyAuthHook {
  const passPreflights = passesPreflights(options.corsPreflight, "httpAuth():");
  const clientAddress = options.clientAddress ?? ((request: FastifyRequest) => request.ip);
  const throwFailures = options.failure === "error";
  return async function httpAuthHook(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const authRequest = createAuthRequest(request.raw, { clientAddress: () => clientAddress(request) });
    if (passPreflights && isCorsPreflight(authRequest)) return undefined;
    // What authenticate() throws (a verify callback that failed) goes to fastify's error handler.
    const outcome = await authenticator.authenticate(authRequest);
    if (outcome.ok) {
      for (const [name, value] of groupHeaderLines(outcome.headers)) reply.header(name, value);
      request.auth = { identity: outcome.identity as FastifyAuthIdentity, scheme: outcome.scheme };
      return undefined;
    }
    if (throwFailures) throw failureError(outcome);
    // An array value stays an array: node:http writes one field line per challenge.
    for (const [name, value] of groupHeaderLines(outcome.headers)) reply.header(name, value);
    return reply.code(outcome.status).send(outcome.body);
  };
}

/**
 * The fastify plugin (RFC 9110 §11): registered once (it is not
 * encapsulated, like a `fastify-plugin` plugin, and named
 * `@httpauth/node/fastify` for `dependencies` checks), it decorates the
 * instance with `httpAuth(authenticator, options?)` and the request with
 * `auth` (`null` until a hook lets the request through).
 *
 * `fastify.httpAuth(authenticator, options?)` returns a hook for a route's
 * `onRequest` or `preHandler`:
 * - success: the success headers (Digest's `Authentication-Info`) are set on
 *   `reply` and `request.auth` becomes `{ identity, scheme }`;
 * - failure: core's status, header lines (one `WWW-Authenticate` line per
 *   challenge) and body are sent through `reply`, or, with
 *   `failure: "error"`, thrown as a {@linkcode FastifyAuthFailureError} (for
 *   `@fastify/auth`);
 * - what `authenticate()` throws (a failing `verify`) goes to fastify's
 *   error handler.
 *
 * Digest `auth-int` is not available: fastify has consumed the body.
 *
 * @param fastify The instance (fastify passes it).
 * @param options Defaults for every hook: `clientAddress`, `corsPreflight`, `failure`; validated at registration.
 * @returns A promise fastify awaits.
 * @throws {TypeError} At registration, or when `httpAuth()` is called, if an option has the wrong type or value,
 *   or `httpAuth()` gets no authenticator of `createAuthenticator()`.
 *
 * @example Compose with @fastify/auth: failures are errors, the last one answers
 * ```ts
 * import assert from "node:assert/strict";
 * import fastifyAuth from "@fastify/auth";
 * import Fastify from "fastify";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { httpAuthPlugin } from "@httpauth/node/fastify";
 *
 * const app = Fastify();
 * await app.register(fastifyAuth);
 * await app.register(httpAuthPlugin, { failure: "error" });
 * const bearer = app.httpAuth(
 *   createAuthenticator({ schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "svc" } : undefined) })] }),
 * );
 * const fromLocalhost = async (request: { ip: string }) => {
 *   if (request.ip !== "10.0.0.1") throw new Error("not from the office");
 * };
 * app.get("/", { onRequest: app.auth([fromLocalhost, bearer]) }, async (request) => `hello ${request.auth?.identity}`);
 *
 * const refused = await app.inject({ url: "/" });
 * assert.equal(refused.statusCode, 401);
 * assert.equal(refused.headers["www-authenticate"], 'Bearer realm="api"');
 * const allowed = await app.inject({ url: "/", headers: { authorization: "Bearer t0k3n" } });
 * assert.equal(allowed.body, "hello svc");
 * await app.close();
 * ```
 */
export const httpAuthPlugin: FastifyPluginAsync<FastifyAuthOptions> = Object.assign(
  async function httpAuthPlugin(fastify: FastifyInstance, options: FastifyAuthOptions): Promise<void> {
    // fastify passes {} when no options were given; anything else is checked now, at registration.
    const defaults = checkOptions(options, "httpAuthPlugin");
    fastify.decorateRequest("auth", null);
    fastify.decorate(
      "httpAuth",
      <Identity>(authenticator: Authenticator<Identity>, hookOptions?: FastifyAuthOptions): FastifyAuthHook => {
        if (typeof authenticator?.authenticate !== "function") {
          throw new TypeError("httpAuth() needs the authenticator of createAuthenticator()");
        }
        return createHook(authenticator, { ...defaults, ...checkOptions(hookOptions, "httpAuth()") });
      },
    );
  },
  {
    // What fastify-plugin sets, without a runtime dependency on it: no encapsulation, a name, fastify 5.
    [Symbol.for("skip-override")]: true,
    [Symbol.for("fastify.display-name")]: PLUGIN_NAME,
    [Symbol.for("plugin-meta")]: { name: PLUGIN_NAME, fastify: "5.x" },
  },
);
