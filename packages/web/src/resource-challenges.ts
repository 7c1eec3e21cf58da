/**
 * Reading what a resource server said: the challenges of a `Response`,
 * typed for OAuth 2.0 clients.
 *
 * @module
 */

import type { ParseResourceChallengesOptions, ResourceChallenge } from "@httpauth/core";
import { parseResourceChallenges } from "@httpauth/core";

/**
 * A Node.js `IncomingMessage` (or anything with its `rawHeaders`): names and
 * values alternating, each field line kept apart, as received.
 */
export interface RawHeadersSource {
  /** `[name, value, name, value, …]`. */
  rawHeaders: readonly string[];
}

/** Options of {@linkcode parseResponseChallenges}. */
export interface ParseResponseChallengesOptions extends ParseResourceChallengesOptions {
  /** Read `Proxy-Authenticate` (a 407) instead of `WWW-Authenticate`. Default `false`. */
  proxy?: boolean;
}

/** The field lines named `field` (lower case) of a `rawHeaders` array. */
function rawLines(rawHeaders: readonly string[], field: string): string[] {
  if (!Array.isArray(rawHeaders)) throw new TypeError("parseResponseChallenges(): rawHeaders must be an array");
  const lines: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index];
    const value = rawHeaders[index + 1];
    if (typeof name !== "string" || typeof value !== "string") {
      throw new TypeError("parseResponseChallenges(): rawHeaders must hold strings");
    }
    if (name.toLowerCase() === field) lines.push(value);
  }
  return lines;
}

/**
 * Reads the challenges of a response's `WWW-Authenticate` field (RFC 9110
 * §11.6.1) with {@linkcode parseResourceChallenges}: for each challenge the
 * scheme and parameters, and for Bearer and DPoP the typed fields an OAuth
 * 2.0 client acts on (`resourceMetadata`, `scope`, `error`, `acrValues`,
 * `maxAge`, `algs`, …).
 *
 * Works on a Fetch `Response` or `Headers` — where `get()` has joined the
 * field lines with `", "`, which the list grammar splits again — and on a
 * Node.js `IncomingMessage`'s `rawHeaders`, where each line stays apart (and
 * `skipMalformedLines` can leave out one broken line).
 *
 * @param source A `Response`, a `Headers`, or `{ rawHeaders }`.
 * @param options `proxy` (read `Proxy-Authenticate`), `maxLength`, `skipMalformedLines`.
 * @returns The challenges in order; `[]` when the field is absent.
 * @throws {HTTPAuthError} When the field breaks the grammar (see {@linkcode parseResourceChallenges}).
 * @throws {TypeError} If `source` is none of the three shapes.
 *
 * @example The 401 of an MCP server
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResponseChallenges } from "@httpauth/web";
 *
 * const response = new Response(null, {
 *   status: 401,
 *   headers: [
 *     ["WWW-Authenticate", 'DPoP algs="ES256"'],
 *     ["WWW-Authenticate", 'Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp"'],
 *   ],
 * });
 * const bearer = parseResponseChallenges(response).find((challenge) => challenge.scheme === "bearer");
 * assert.equal(bearer?.resourceMetadata, "https://mcp.example/.well-known/oauth-protected-resource/mcp");
 * ```
 *
 * @example Node's rawHeaders, one line per challenge
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResponseChallenges } from "@httpauth/web";
 *
 * const rawHeaders = ["WWW-Authenticate", 'Bearer scope="read write"', "Content-Length", "0"];
 * assert.deepEqual(parseResponseChallenges({ rawHeaders })[0]?.scope, ["read", "write"]);
 * ```
 */
export function parseResponseChallenges(
  source: Response | Headers | RawHeadersSource,
  options?: ParseResponseChallengesOptions,
): ResourceChallenge[] {
  const field = options?.proxy === true ? "proxy-authenticate" : "www-authenticate";
  if (typeof source !== "object" || source === null) {
    throw new TypeError("parseResponseChallenges(): pass a Response, a Headers or { rawHeaders }");
  }
  if ("rawHeaders" in source) return parseResourceChallenges(rawLines(source.rawHeaders, field), options);
  const headers = "headers" in source ? source.headers : source;
  if (typeof (headers as Headers | undefined)?.get !== "function") {
    throw new TypeError("parseResponseChallenges(): pass a Response, a Headers or { rawHeaders }");
  }
  const value = (headers as Headers).get(field);
  return value === null ? [] : parseResourceChallenges(value, options);
}
