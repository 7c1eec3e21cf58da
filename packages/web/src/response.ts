/**
 * The response side of a `Request → Response` server: a failed outcome of
 * `@httpauth/core` as a Fetch API `Response`.
 *
 * @module
 */

import type { AuthFailure, HeaderLine } from "@httpauth/core";
import { parseChallenges } from "@httpauth/core";

/** One encoder for every failure body. */
const encoder = new TextEncoder();

/** Options of {@linkcode createFailureResponse}. */
export interface CreateFailureResponseOptions {
  /**
   * Which Digest challenges to send: `"all"` (the default) sends every one
   * the outcome has, one header entry each; `"first"` sends only the first
   * Digest challenge of each challenge field (the first configured
   * algorithm) and keeps every other challenge in its place. Use `"first"`
   * where the runtime joins the entries of a header name into one line
   * (Bun.serve, workerd, Fetch servers on Node such as hono on
   * `@hono/node-server`): curl, requests and Chromium read two Digest
   * challenges on one line as one, mixing their parameters. The
   * authenticator still accepts credentials for every algorithm it has.
   */
  digestChallenges?: "all" | "first" | undefined;
}

/** `options.digestChallenges`, checked: whether to keep only the first Digest challenge. */
function keepsFirstDigestOnly(options: CreateFailureResponseOptions | undefined): boolean {
  if (options === undefined) return false;
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createFailureResponse(): options must be an object");
  }
  const value = options.digestChallenges;
  if (value === undefined || value === "all") return false;
  if (value === "first") return true;
  throw new TypeError('createFailureResponse(): options.digestChallenges must be "all" or "first"');
}

/** Whether a header line is a challenge field (RFC 9110 §11.6.1, §11.7.1) holding a Digest challenge. */
function isDigestChallengeLine(name: string, value: string): boolean {
  const field = name.toLowerCase();
  if (field !== "www-authenticate" && field !== "proxy-authenticate") return false;
  try {
    return parseChallenges(value).some((challenge) => challenge.scheme === "digest");
  } catch {
    return false;
  }
}

/**
 * The outcome's header lines without the Digest challenges after the first
 * one of each challenge field; the order of the others is kept.
 */
function withFirstDigestOnly(lines: readonly HeaderLine[]): HeaderLine[] {
  const seen = new Set<string>();
  const kept: HeaderLine[] = [];
  for (const line of lines) {
    if (Array.isArray(line) && typeof line[0] === "string" && typeof line[1] === "string") {
      if (isDigestChallengeLine(line[0], line[1])) {
        const field = line[0].toLowerCase();
        if (seen.has(field)) continue;
        seen.add(field);
      }
    }
    kept.push(line);
  }
  return kept;
}

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
 * With `digestChallenges: "first"`, only the first Digest challenge of each
 * challenge field is sent (the first algorithm configured): for runtimes
 * that join the entries into one line, where clients would read two Digest
 * challenges as one. The decision stays here, so that adapters never pick
 * challenges themselves.
 *
 * @param outcome A failure: `{ ok: false, status, headers, body }`.
 * @param options `digestChallenges`: `"all"` (default) or `"first"`.
 * @returns A new `Response`.
 * @throws {TypeError} If `outcome` is not a failure (`ok` is not `false`),
 *   a header line is not a `[name, value]` pair of strings the `Headers` class accepts,
 *   or `options.digestChallenges` is neither `"all"` nor `"first"`.
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
 *
 * @example One Digest challenge, for a runtime that joins header lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator, digestAuth } from "@httpauth/core";
 * import { createAuthRequest, createFailureResponse } from "@httpauth/web";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     digestAuth({ realm: "api", secret: "a long random secret", algorithms: ["SHA-256", "MD5"], password: () => undefined }),
 *     basicAuth({ realm: "api", verify: () => undefined }),
 *   ],
 * });
 * const outcome = await authenticator.authenticate(createAuthRequest(new Request("https://api.example/")));
 * assert.equal(outcome.ok, false);
 * if (!outcome.ok) {
 *   const response = createFailureResponse(outcome, { digestChallenges: "first" });
 *   const value = response.headers.get("www-authenticate") ?? "";
 *   assert.match(value, /^Digest realm="api", .*algorithm=SHA-256.*, Basic realm="api"/);
 *   assert.doesNotMatch(value, /MD5/);
 * }
 * ```
 */
export function createFailureResponse(outcome: AuthFailure, options?: CreateFailureResponseOptions): Response {
  if (typeof outcome !== "object" || outcome === null || outcome.ok !== false || !Array.isArray(outcome.headers)) {
    throw new TypeError("createFailureResponse(): pass a failed outcome ({ ok: false, status, headers, body })");
  }
  const lines = keepsFirstDigestOnly(options) ? withFirstDigestOnly(outcome.headers) : outcome.headers;
  // An explicit empty header list: @hono/node-server's Response (which replaces the global one)
  // adds `text/plain; charset=UTF-8` to a byte body without one, beside the outcome's own.
  const response = new Response(encoder.encode(outcome.body), { status: outcome.status, headers: [] });
  for (const line of lines) {
    if (!Array.isArray(line) || typeof line[0] !== "string" || typeof line[1] !== "string") {
      throw new TypeError("createFailureResponse(): every header line must be a [name, value] pair of strings");
    }
    response.headers.append(line[0], line[1]);
  }
  return response;
}
