/**
 * The response side of a `Request → Response` server: a failed outcome of
 * `@httpauth/core` as a Fetch API `Response`.
 *
 * @module
 */

import type { AuthFailure } from "@httpauth/core";

/**
 * Creates the `Response` for a failed outcome of `authenticator.authenticate()`:
 * its status (401, 407, 400, 403 or 429), its body, and every header line of
 * the outcome added with the response's own `headers.append`, in order, so
 * that each challenge is its own entry of the header list (RFC 9110 §11.6.1).
 * The body is given to `Response` as bytes, so the only `Content-Type` is the
 * outcome's.
 *
 * Whether the entries leave the server as separate field lines is up to the
 * runtime, and the Fetch API cannot ask for it. Iterating `Headers` or calling
 * `get` always shows one joined value. Measured: Deno writes a line per entry
 * of a response's own header list (but joins a `Headers` object passed to
 * `new Response`, whose iterator combines values); workerd keeps the entries,
 * but its HTTP serializer joins the values of the header names it indexes —
 * `WWW-Authenticate` and `Proxy-Authenticate` among them — into one line with
 * `", "` (only `Set-Cookie` and names it does not index keep a line each);
 * Bun 1.4 joins every name but `Set-Cookie`; Node's `Headers` joins them as
 * soon as they are appended. A joined line is the same list (RFC 9110 §5.3),
 * but Chromium and lynx read only its first challenge: where it matters,
 * configure the scheme browsers should use first.
 *
 * @param outcome A failure: `{ ok: false, status, headers, body }`.
 * @returns A new `Response`.
 * @throws {TypeError} If `outcome` is not a failure (`ok` is not `false`), or
 *   a header line is not a `[name, value]` pair of strings the `Headers` class accepts.
 *
 * @example A 401 with two challenges
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { createAuthRequest, createFailureResponse } from "@httpauth/web";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({ realm: "api", verify: () => undefined }),
 *     bearerAuth({ realm: "api", verify: () => undefined }),
 *   ],
 * });
 * const outcome = await authenticator.authenticate(createAuthRequest(new Request("https://api.example/")));
 * assert.equal(outcome.ok, false);
 * if (!outcome.ok) {
 *   const response = createFailureResponse(outcome);
 *   assert.equal(response.status, 401);
 *   assert.equal(response.headers.get("www-authenticate"), 'Basic realm="api", charset="UTF-8", Bearer realm="api"');
 *   assert.match(await response.text(), /^401 Unauthorized/);
 * }
 * ```
 */
export function createFailureResponse(outcome: AuthFailure): Response {
  if (typeof outcome !== "object" || outcome === null || outcome.ok !== false || !Array.isArray(outcome.headers)) {
    throw new TypeError("createFailureResponse(): pass a failed outcome ({ ok: false, status, headers, body })");
  }
  const response = new Response(new TextEncoder().encode(outcome.body), { status: outcome.status });
  for (const line of outcome.headers) {
    if (!Array.isArray(line) || typeof line[0] !== "string" || typeof line[1] !== "string") {
      throw new TypeError("createFailureResponse(): every header line must be a [name, value] pair of strings");
    }
    response.headers.append(line[0], line[1]);
  }
  return response;
}
