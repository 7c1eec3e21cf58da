/**
 * Guarding a `Request → Response` handler: workerd and Cloudflare Workers,
 * Deno, Bun, service workers, or any server built on the Fetch API.
 *
 * @module
 */

import type { AuthContext, Authenticator, HeaderLine } from "@httpauth/core";
import { checkMaxBodyLength } from "./internal/body.ts";
import type { CreateAuthRequestOptions } from "./request.ts";
import { createAuthRequest } from "./request.ts";
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
   */
  clientAddress?: (request: Request) => string | undefined;
  /**
   * The most bytes of the body read for core (a Bearer token in a form body,
   * Digest `auth-int`), 65536 (64 KiB) by default; a longer body is not read
   * and core sees none, as for {@linkcode createAuthRequest}.
   */
  maxBodyLength?: number;
}

/**
 * Adds header lines to a handler's response, with `headers.append`. A
 * response whose headers are immutable (one returned by `fetch`, or by
 * `Response.redirect`) is copied first, keeping its status and body.
 */
function appendHeaders(response: Response, lines: readonly HeaderLine[]): Response {
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
 *
 * @param handler Called with the request and `{ identity, scheme }` once the request is authenticated.
 * @param authenticator From `createAuthenticator` of `@httpauth/core`.
 * @param options `clientAddress`: reads the client's address for throttling; `maxBodyLength`: the most body bytes read.
 * @returns A `(request) => Promise<Response>` handler, usable as a Worker's `fetch`.
 * @throws {TypeError} If `handler` is not a function or `authenticator` has no
 *   `authenticate` method. The returned handler rejects with whatever a
 *   `verify` callback or `handler` throws.
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
 */
export function protect<Identity>(
  handler: ProtectedHandler<Identity>,
  authenticator: Authenticator<Identity>,
  options?: ProtectOptions,
): (request: Request) => Promise<Response> {
  if (typeof handler !== "function") throw new TypeError("protect(): handler must be a function");
  if (typeof authenticator !== "object" || authenticator === null || typeof authenticator.authenticate !== "function") {
    throw new TypeError("protect(): pass an authenticator from createAuthenticator() of @httpauth/core");
  }
  const clientAddress = options?.clientAddress;
  if (clientAddress !== undefined && typeof clientAddress !== "function") {
    throw new TypeError("protect(): options.clientAddress must be a function of the request");
  }
  const maxBodyLength = checkMaxBodyLength(options?.maxBodyLength, "protect()");

  return async function protectedHandler(request: Request): Promise<Response> {
    const address = clientAddress?.(request);
    const requestOptions: CreateAuthRequestOptions = { maxBodyLength };
    if (address !== undefined) requestOptions.clientAddress = address;
    const outcome = await authenticator.authenticate(createAuthRequest(request, requestOptions));
    if (!outcome.ok) return createFailureResponse(outcome);
    const response = await handler(request, { identity: outcome.identity, scheme: outcome.scheme });
    if (!(response instanceof Response)) throw new TypeError("protect(): the handler must return a Response");
    return appendHeaders(response, outcome.headers);
  };
}
