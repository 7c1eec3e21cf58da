/**
 * Guarding a `node:http` request handler.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthContext, Authenticator, AuthOutcome, AuthRequest } from "@httpauth/core";
import { isCorsPreflight } from "@httpauth/core";
import { setHeaderLines } from "./internal/header-lines.ts";
import { PREFLIGHT_CONTEXT, passesPreflights } from "./internal/preflight.ts";
import type { CreateAuthRequestOptions, RouteScopes } from "./request.ts";
import { checkMaxBodyLength, checkScopes, createAuthRequest, routeScopes } from "./request.ts";
import { sendFailure } from "./response.ts";

/** A request that {@linkcode protect} let through, with who made it on `auth`. */
export interface AuthenticatedRequest<Identity> extends IncomingMessage {
  /** Who made the request, and with which scheme. */
  auth: AuthContext<Identity>;
}

/**
 * The handler {@linkcode protect} calls for authenticated requests only. What
 * it returns is awaited; the type is `unknown` rather than `void | Promise<void>`
 * so that `(request, response) => response.end("…")` fits too.
 */
export type ProtectedHandler<Identity> = (request: AuthenticatedRequest<Identity>, response: ServerResponse) => unknown;

/** Options of {@linkcode protect}. */
export interface ProtectOptions extends CreateAuthRequestOptions {
  /**
   * Called with what `authenticate()` threw (a `verify` callback that failed,
   * such as a user store that is down), after the 500 response is sent.
   * Default: `console.error`, which prints the error as the callback threw it
   * (message, stack, `cause`) and nothing of the request: keep credentials
   * out of what your callbacks throw, or redact here.
   */
  onError?: (error: unknown, request: IncomingMessage) => void;
  /**
   * What to do with a CORS preflight (`OPTIONS` with `Origin` and
   * `Access-Control-Request-Method`, no credentials; `isCorsPreflight` of
   * `@httpauth/core`). `"pass"` (the default) calls the handler
   * unauthenticated, with `request.auth` set to
   * `{ identity: undefined, scheme: "cors-preflight" }`: answer `OPTIONS`
   * with your CORS headers before reading the identity (anyone can send one).
   * `"authenticate"` treats it like any other request.
   */
  corsPreflight?: "pass" | "authenticate";
  /**
   * Scopes this route needs beyond the authenticator's, or a function of the
   * request returning them: a Bearer token without them gets 403
   * `insufficient_scope` naming them (core's decision, not this package's).
   */
  scopes?: RouteScopes;
}

const INTERNAL_ERROR_BODY = "500 Internal Server Error\n";

/** Reports an error when no `onError` was given: `node:http` has no error handler to pass it to. */
function reportError(error: unknown): void {
  console.error("@httpauth/node: authenticate() threw; the request was answered with 500", error);
}

/**
 * Guards a `node:http` request handler (RFC 9110 §11): the handler runs only
 * for authenticated requests; every other request gets the response core
 * decided (401 or 407 with one challenge per line, 400, 403, 429).
 *
 * - On success the success headers (Digest's `Authentication-Info`) are set
 *   on the response, `request.auth` is `{ identity, scheme }`, and the
 *   handler is called; its promise is returned, and what it throws is left
 *   to the caller, exactly as without `protect`.
 * - When `authenticate()` throws (it propagates what a `verify` callback
 *   throws: a database outage is not a wrong password), `node:http` has no
 *   error handler to pass it to, so `protect` answers 500 with a generic
 *   body that never contains the error, then hands the error to
 *   `options.onError` (default `console.error`). The returned promise
 *   resolves.
 * - A CORS preflight without credentials reaches the handler
 *   unauthenticated, with `request.auth` set to
 *   `{ identity: undefined, scheme: "cors-preflight" }`, unless
 *   `options.corsPreflight` is `"authenticate"`: answer `OPTIONS` before
 *   reading the identity.
 *
 * @param handler The handler for authenticated requests.
 * @param authenticator What `createAuthenticator()` returned.
 * @param options `clientAddress`, `maxBodyLength` and `readBody` (see {@linkcode createAuthRequest}: with
 *   `readBody: true` the body is read from the stream when Digest `auth-int` needs it, and given back to
 *   the handler), `onError`, `corsPreflight` (`"pass"`, the default, or `"authenticate"`), and `scopes`
 *   (what this route needs beyond the authenticator's: a list, or a function of the request).
 * @returns A listener for `http.createServer()` (or `https`), resolving once the handler has.
 * @throws {TypeError} If `handler` is not a function, `authenticator` has no `authenticate` method,
 *   `options.corsPreflight` is neither `"pass"` nor `"authenticate"`, or `options.scopes` is neither a list
 *   nor a function. A malformed scope is answered 500 (through `onError`).
 * @throws {RangeError} If `options.maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Guard a server with Basic
 * ```ts
 * import assert from "node:assert/strict";
 * import { createServer } from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { protect, timingSafeEqual } from "@httpauth/node";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({
 *       realm: "reports",
 *       verify: (username, password) => (timingSafeEqual(`${username}:${password}`, "ada:lovelace") ? username : undefined),
 *     }),
 *   ],
 * });
 * const server = createServer(
 *   protect((request, response) => {
 *     response.end(`hello ${request.auth.identity} (${request.auth.scheme})`);
 *   }, authenticator),
 * );
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 * const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
 *
 * const refused = await fetch(url);
 * assert.equal(refused.status, 401);
 * assert.equal(refused.headers.get("www-authenticate"), 'Basic realm="reports", charset="UTF-8"');
 * await refused.text();
 *
 * const allowed = await fetch(url, { headers: { authorization: `Basic ${btoa("ada:lovelace")}` } });
 * assert.equal(await allowed.text(), "hello ada (basic)");
 * server.close();
 * ```
 */
export function protect<Identity>(
  handler: ProtectedHandler<Identity>,
  authenticator: Authenticator<Identity>,
  options: ProtectOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  if (typeof handler !== "function") throw new TypeError("protect() needs the request handler as its first argument");
  if (typeof authenticator?.authenticate !== "function") {
    throw new TypeError("protect() needs the authenticator of createAuthenticator() as its second argument");
  }
  checkMaxBodyLength(options.maxBodyLength, "protect()");
  checkScopes(options.scopes, "protect()");
  const onError = options.onError ?? reportError;
  const passPreflights = passesPreflights(options.corsPreflight, "protect():");
  return async function protectedHandler(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const authRequest: AuthRequest = createAuthRequest(request, options);
    if (passPreflights && isCorsPreflight(authRequest)) {
      // Fetch standard §4.8: a preflight never carries credentials; the handler answers it.
      const preflight = request as AuthenticatedRequest<Identity>;
      preflight.auth = PREFLIGHT_CONTEXT as unknown as AuthContext<Identity>;
      await handler(preflight, response);
      return;
    }
    let outcome: AuthOutcome<Identity>;
    try {
      outcome = await authenticator.authenticate(authRequest, routeScopes(options.scopes, request));
    } catch (error) {
      response.statusCode = 500;
      response.setHeader("Content-Type", "text/plain; charset=utf-8");
      response.end(INTERNAL_ERROR_BODY);
      onError(error, request);
      return;
    }
    if (!outcome.ok) {
      sendFailure(response, outcome);
      return;
    }
    setHeaderLines(response, outcome.headers);
    const authenticated = request as AuthenticatedRequest<Identity>;
    authenticated.auth = { identity: outcome.identity, scheme: outcome.scheme };
    await handler(authenticated, response);
  };
}
