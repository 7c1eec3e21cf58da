/**
 * CORS preflights (Fetch standard §3.2.2, §4.8): the `OPTIONS` request a
 * browser sends before a cross-origin request, which never carries
 * credentials. The runtime packages ask {@linkcode isCorsPreflight} whether
 * to let a request through to the handler unauthenticated.
 *
 * @module
 */

import type { AuthRequest } from "./policies/types.ts";

/** A header's value, or `undefined` when absent (`null` or `undefined`) or not a string. */
function headerValue(request: AuthRequest, name: string): string | undefined {
  const value = request.header(name);
  return typeof value === "string" ? value : undefined;
}

/**
 * Whether a request is a CORS preflight (Fetch standard §3.2.2, §4.8): the
 * method `OPTIONS` (methods are case-sensitive, RFC 9110 §9.1; browsers
 * send it upper case), an `Origin` field, a non-empty
 * `Access-Control-Request-Method` field, and no credentials — neither
 * `Authorization` nor `Proxy-Authorization`. Browsers never send credentials
 * on a preflight, so without this pass a protected cross-origin API could
 * never be called from a browser: the preflight would get 401, and the
 * browser would give up.
 *
 * A request that is not exactly that — an `OPTIONS` without
 * `Access-Control-Request-Method`, or one that carries credentials — is not
 * a preflight and is authenticated like any other.
 *
 * Anyone can send a request that looks like a preflight (`curl -X OPTIONS
 * -H 'Origin: x' -H 'Access-Control-Request-Method: GET'`): a request let
 * through on this answer is unauthenticated, and the handler must answer it
 * as such (the CORS headers, no data).
 *
 * @param request The request, as the runtime packages build it for `authenticate()`.
 * @returns `true` for a CORS preflight without credentials.
 * @throws {TypeError} If `request` has no `method` string or `header` function.
 *
 * @example Preflights, and requests that are not
 * ```ts
 * import assert from "node:assert/strict";
 * import { isCorsPreflight } from "@httpauth/core";
 *
 * function request(method: string, headers: Record<string, string>) {
 *   return { method, url: "/api/reports", header: (name: string) => headers[name.toLowerCase()] };
 * }
 * const preflight = { origin: "https://app.example", "access-control-request-method": "DELETE" };
 *
 * assert.equal(isCorsPreflight(request("OPTIONS", preflight)), true);
 * // With credentials, or without Access-Control-Request-Method, it is authenticated as usual.
 * assert.equal(isCorsPreflight(request("OPTIONS", { ...preflight, authorization: "Bearer t0k3n" })), false);
 * assert.equal(isCorsPreflight(request("OPTIONS", { origin: "https://app.example" })), false);
 * assert.equal(isCorsPreflight(request("DELETE", preflight)), false);
 * ```
 */
export function isCorsPreflight(request: AuthRequest): boolean {
  if (
    typeof request !== "object" ||
    request === null ||
    typeof request.method !== "string" ||
    typeof request.header !== "function"
  ) {
    throw new TypeError("isCorsPreflight() needs a request with a method and a header(name) function");
  }
  if (request.method !== "OPTIONS") return false;
  if (headerValue(request, "origin") === undefined) return false;
  const method = headerValue(request, "access-control-request-method");
  if (method === undefined || method.trim() === "") return false;
  return (
    headerValue(request, "authorization") === undefined && headerValue(request, "proxy-authorization") === undefined
  );
}
