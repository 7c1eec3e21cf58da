/**
 * The Basic scheme (RFC 7617) as a policy of the authenticator.
 *
 * @module
 */

import { isHTTPAuthError } from "../errors.ts";
import { DEFAULT_MAX_LENGTH } from "../grammar/scanner.ts";
import { assertFunction, freezeChallenge, isObjectLike, isRefusal } from "../internal/policy-support.ts";
import { createBasicChallenge, parseBasicCredentials } from "../schemes/basic.ts";
import type { AuthRequest, AuthSchemePolicy, Refusal } from "./types.ts";

/** Options of {@linkcode basicAuth}. */
export interface BasicAuthOptions<Identity> {
  /** The realm: required, not blank (RFC 7617 §2). */
  realm: string;
  /**
   * Checks a user-id and password; returns the identity, or `undefined`,
   * `null` or `false` to refuse. Compare secrets in constant time. An
   * exception thrown here propagates out of `authenticate` (the app answers
   * 500): a broken user store is not a wrong password.
   */
  verify: (
    username: string,
    password: string,
    request: AuthRequest,
  ) => Identity | Refusal | Promise<Identity | Refusal>;
  /** Announce `charset="UTF-8"` (RFC 7617 §2.1). Default `true`. */
  charset?: boolean;
  /** Decode credentials that are not UTF-8 as ISO-8859-1. Default `true`. */
  latin1Fallback?: boolean;
}

/**
 * Configures the Basic scheme (RFC 7617) for {@linkcode createAuthenticator}.
 * The challenge is built and checked now, so a missing realm fails at start-up,
 * not on the first request. Malformed credentials and a refused password are
 * 401 `malformed-credentials` / `invalid-credentials`; failures are counted
 * per decoded user name.
 *
 * @param options `realm` (required), `verify`, `charset` (default on), `latin1Fallback` (default on).
 * @returns The scheme policy.
 * @throws {TypeError} If `realm` is missing or blank, or `verify` is not a function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth } from "@httpauth/core";
 *
 * const scheme = basicAuth({ realm: "api", verify: (username, password) => (password === "pw" ? username : undefined) });
 * assert.equal(scheme.scheme, "basic");
 * assert.throws(() => basicAuth({ realm: "", verify: () => undefined }), TypeError);
 * ```
 */
export function basicAuth<Identity>(options: BasicAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("basicAuth() needs { realm, verify }");
  const { realm, verify } = options;
  const challenge = freezeChallenge(
    createBasicChallenge(options.charset === false ? { realm } : { realm, charset: "UTF-8" }),
  );
  assertFunction(verify, "basicAuth(): verify");
  const latin1Fallback = options.latin1Fallback ?? true;
  // The parse options for the last maxLength seen (one per authenticator in practice), made once.
  let parseOptions = { latin1Fallback, maxLength: DEFAULT_MAX_LENGTH };
  const parseOptionsFor = (maxLength: number): { latin1Fallback: boolean; maxLength: number } => {
    if (parseOptions.maxLength !== maxLength) parseOptions = { latin1Fallback, maxLength };
    return parseOptions;
  };
  const challenges = [challenge] as const;
  return Object.freeze({
    scheme: "basic",
    realm,
    authSchemes: Object.freeze(["basic"]),
    throttleKey(credentials, context) {
      try {
        return parseBasicCredentials(credentials.value, parseOptionsFor(context.maxLength)).username;
      } catch {
        return undefined;
      }
    },
    async verify(credentials, context) {
      let parsed: { username: string; password: string };
      try {
        parsed = parseBasicCredentials(credentials.value, parseOptionsFor(context.maxLength));
      } catch (error) {
        if (isHTTPAuthError(error)) return { ok: false, status: 401, reason: "malformed-credentials" };
        throw error;
      }
      const returned = verify(parsed.username, parsed.password, context.request);
      // Awaiting a primitive only costs a turn of the microtask queue; objects may be thenables.
      const identity: Identity | Refusal = isObjectLike(returned) ? await returned : returned;
      return isRefusal(identity) ? { ok: false, status: 401, reason: "invalid-credentials" } : { ok: true, identity };
    },
    challenges() {
      return challenges;
    },
    openapi() {
      return { type: "http", scheme: "basic", description: `HTTP Basic (RFC 7617), realm "${realm}"` };
    },
  } satisfies AuthSchemePolicy<Identity>);
}
