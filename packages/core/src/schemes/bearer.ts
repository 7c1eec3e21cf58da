/**
 * The Bearer scheme (RFC 6750): its challenge, its credentials, and the
 * status each of its errors calls for.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import type { Credentials } from "../credentials.ts";
import { HTTPAuthError } from "../errors.ts";
import { CLASSES, EQUALS, TOKEN68 } from "../grammar/chars.ts";
import { assertFieldText } from "../grammar/quote.ts";
import {
  assertACRValues,
  assertErrorDescription,
  assertErrorURI,
  assertResourceMetadataURL,
  assertScope,
  BEARER_ERRORS,
} from "../grammar/registered.ts";
import type { ParseOptions } from "../grammar/scanner.ts";
import { createParams, DEFAULT_MAX_LENGTH, scanSchemeToken } from "../grammar/scanner.ts";

/** The error codes of RFC 6750 §3.1, and `insufficient_user_authentication` of RFC 9470 §3 (step-up). */
export type BearerError =
  | "invalid_request"
  | "invalid_token"
  | "insufficient_scope"
  | "insufficient_user_authentication";

/**
 * The status each Bearer error calls for (RFC 6750 §3.1): `invalid_request`
 * 400, `invalid_token` 401, `insufficient_scope` 403; and RFC 9470 §3's
 * `insufficient_user_authentication` 401.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BEARER_ERROR_STATUS } from "@httpauth/core";
 *
 * assert.equal(BEARER_ERROR_STATUS.insufficient_scope, 403);
 * ```
 */
export const BEARER_ERROR_STATUS: Readonly<Record<BearerError, 400 | 401 | 403>> = Object.freeze({
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  insufficient_user_authentication: 401,
});

/** Options of {@linkcode createBearerChallenge}. */
export interface BearerChallengeOptions {
  /** The protection space (RFC 6750 §3). */
  realm?: string;
  /** The scopes needed, as a list or a space-separated string of scope-tokens (RFC 6749 §3.3). */
  scope?: string | readonly string[];
  /**
   * Why the request failed (RFC 6750 §3.1). Leave it out when the request
   * carried no credentials at all: RFC 6750 §3.1 says the server SHOULD NOT
   * send an error then.
   */
  error?: BearerError;
  /** A human-readable explanation, in %x20-21 / %x23-5B / %x5D-7E. */
  errorDescription?: string;
  /** A URI of a page that explains the error, in %x21 / %x23-5B / %x5D-7E. */
  errorUri?: string;
  /**
   * The URL of the resource's Protected Resource Metadata document, sent as
   * `resource_metadata` (RFC 9728 §5.1). Checked for the characters a
   * quoted URL may hold here; `bearerAuth` checks the URL itself.
   */
  resourceMetadata?: string;
  /** With `insufficient_user_authentication`: the acceptable authentication context classes, in order of preference (RFC 9470 §3). */
  acrValues?: string | readonly string[];
  /** With `insufficient_user_authentication`: the longest time since the user authenticated, in seconds (RFC 9470 §3). */
  maxAge?: number;
}

/** A list of NQCHAR tokens as one space-separated value, or a `TypeError`. */
function joinTokens(value: unknown, label: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((token) => typeof token === "string" && !token.includes(" "))) {
    return value.join(" ");
  }
  throw new TypeError(
    `Cannot create a Bearer challenge: ${label} must be a space-separated string or an array of tokens without spaces`,
  );
}

/** Adds RFC 9470's and RFC 9728's parameters to `params`. */
function addExtensionParams(params: Record<string, string>, options: BearerChallengeOptions, what: string): void {
  const { resourceMetadata, acrValues, maxAge } = options;
  if (acrValues !== undefined) {
    const joined = joinTokens(acrValues, "acrValues");
    assertACRValues(joined, what);
    params.acr_values = joined;
  }
  if (maxAge !== undefined) {
    if (typeof maxAge !== "number" || !Number.isSafeInteger(maxAge) || maxAge < 0 || maxAge > 9_999_999_999) {
      throw new TypeError("Cannot create a Bearer challenge: maxAge must be a whole number of seconds, 0 or more");
    }
    params.max_age = String(maxAge);
  }
  if (resourceMetadata !== undefined) {
    if (typeof resourceMetadata !== "string") {
      throw new TypeError("Cannot create a Bearer challenge: resourceMetadata must be a URL string");
    }
    assertResourceMetadataURL(resourceMetadata, what);
    params.resource_metadata = resourceMetadata;
  }
}

/**
 * Creates a Bearer challenge (RFC 6750 §3), every attribute a quoted-string,
 * with RFC 9470 §3's `acr_values` and `max_age` and RFC 9728 §5.1's
 * `resource_metadata` when given.
 *
 * @param options The realm, scope, error, error_description, error_uri,
 *   resource_metadata, acr_values and max_age, all optional.
 * @returns The challenge, ready for {@linkcode serializeChallenge}.
 * @throws {TypeError} If `error` is not one of RFC 6750 §3.1's three codes
 *   or RFC 9470's `insufficient_user_authentication`; a scope token,
 *   `errorDescription`, `errorUri`, an acr value or `resourceMetadata` has
 *   characters outside its set; `maxAge` is not a whole number of seconds;
 *   or `realm` has a control character.
 *
 * @example An expired token
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBearerChallenge, serializeChallenge } from "@httpauth/core";
 *
 * const challenge = createBearerChallenge({ realm: "api", error: "invalid_token", errorDescription: "The token expired" });
 * assert.equal(serializeChallenge(challenge), 'Bearer realm="api", error="invalid_token", error_description="The token expired"');
 * ```
 *
 * @example Step-up (RFC 9470 §3) with the resource's metadata (RFC 9728 §5.1)
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBearerChallenge, serializeChallenge } from "@httpauth/core";
 *
 * const challenge = createBearerChallenge({
 *   error: "insufficient_user_authentication",
 *   acrValues: ["phr", "phrh"],
 *   maxAge: 300,
 *   resourceMetadata: "https://api.example/.well-known/oauth-protected-resource/mcp",
 * });
 * assert.equal(
 *   serializeChallenge(challenge),
 *   'Bearer error="insufficient_user_authentication", acr_values="phr phrh", max_age="300", resource_metadata="https://api.example/.well-known/oauth-protected-resource/mcp"',
 * );
 * ```
 */
export function createBearerChallenge(options: BearerChallengeOptions = {}): Challenge {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot create a Bearer challenge: pass an options object");
  }
  const what = "a Bearer challenge";
  const { realm, scope, error, errorDescription, errorUri } = options;
  const params = createParams();
  if (realm !== undefined) {
    if (typeof realm !== "string") throw new TypeError("Cannot create a Bearer challenge: realm must be a string");
    assertFieldText(realm, what, "realm");
    params.realm = realm;
  }
  if (scope !== undefined) {
    const joined = joinTokens(scope, "scope");
    assertScope(joined, what);
    params.scope = joined;
  }
  if (error !== undefined) {
    if (!BEARER_ERRORS.has(error)) {
      throw new TypeError(
        "Cannot create a Bearer challenge: error must be invalid_request, invalid_token or insufficient_scope (RFC 6750 §3.1), or insufficient_user_authentication (RFC 9470 §3)",
      );
    }
    params.error = error;
  }
  if (errorDescription !== undefined) {
    if (typeof errorDescription !== "string") {
      throw new TypeError("Cannot create a Bearer challenge: errorDescription must be a string");
    }
    assertErrorDescription(errorDescription, what);
    params.error_description = errorDescription;
  }
  if (errorUri !== undefined) {
    if (typeof errorUri !== "string")
      throw new TypeError("Cannot create a Bearer challenge: errorUri must be a string");
    assertErrorURI(errorUri, what);
    params.error_uri = errorUri;
  }
  addExtensionParams(params, options, what);
  return { scheme: "bearer", params };
}

/** A Bearer token. */
export interface BearerCredentials {
  /** The access token, exactly as sent. */
  token: string;
}

// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="   (RFC 6750 §2.1)
/** Returns the index of the first character that breaks b64token syntax, or -1. */
function findInvalidB64Token(text: string, start: number, end: number): number {
  let index = start;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code > 0xff || (CLASSES[code]! & TOKEN68) === 0) break;
    index++;
  }
  if (index === start) return start;
  while (index < end && text.charCodeAt(index) === EQUALS) index++;
  return index === end ? -1 : index;
}

/**
 * Whether `token` is a b64token (RFC 6750 §2.1): what a Bearer token from a
 * form body or the query (RFC 6750 §2.2, §2.3) must be too, so that every
 * source hands `verify` the same alphabet — never `""`, CR, LF or U+2028.
 */
export function isB64Token(token: string): boolean {
  return findInvalidB64Token(token, 0, token.length) === -1;
}

const SP = 0x20;

// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="   (RFC 6750 §2.1)
//
// The same rule as findInvalidB64Token, for the fast path: the engine's
// regex compiler checks a 600-byte JWT in one pass several times faster than
// a loop of charCodeAt and table lookups. This regex cannot backtrack more
// than linearly (STYLE.md forbids only backtracking regexes over attacker
// input): it is anchored at both ends, and it is one character class with a
// quantifier followed by "=", which is outside that class; so a failing
// match gives back each character at most once, with nothing to try at any
// other start. An empty token fails it (the `+`), as it fails the loop.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The common case of {@linkcode parseBearerCredentials}, with no scanner and
 * no intermediate strings: `Bearer` (any case), spaces, then a b64token up
 * to the end. Anything else returns `undefined`, and the full path parses it
 * or rejects it with its exact error; for the input it accepts, it returns
 * what the full path returns.
 */
function parseBearerFast(value: string, maxLength: number): BearerCredentials | undefined {
  const length = value.length;
  if (length > maxLength || length < 8) return undefined;
  // "Bearer" in any case (for these letters, only "X" | 0x20 gives "x"), then SP.
  if (
    (value.charCodeAt(0) | 0x20) !== 0x62 ||
    (value.charCodeAt(1) | 0x20) !== 0x65 ||
    (value.charCodeAt(2) | 0x20) !== 0x61 ||
    (value.charCodeAt(3) | 0x20) !== 0x72 ||
    (value.charCodeAt(4) | 0x20) !== 0x65 ||
    (value.charCodeAt(5) | 0x20) !== 0x72 ||
    value.charCodeAt(6) !== SP
  ) {
    return undefined;
  }
  let start = 7;
  while (start < length && value.charCodeAt(start) === SP) start++;
  const token = value.slice(start);
  return B64TOKEN.test(token) ? { token } : undefined;
}

/**
 * Parses Bearer credentials (RFC 6750 §2.1): `Bearer` (any case), one or
 * more spaces, and a b64token.
 *
 *   credentials = "Bearer" 1*SP b64token
 *   b64token    = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * @param value The `Authorization` field value, or credentials already
 *   parsed by {@linkcode parseCredentials}.
 * @param options `maxLength`: the size cap, 8192 characters by default.
 * @returns The token.
 * @throws {HTTPAuthError} `wrong-scheme`, `missing-token`, `invalid-token68`
 *   (a character outside b64token, with its index), `field-too-large`,
 *   `control-character`, `non-latin1-character`, `expected-scheme`,
 *   `unexpected-character`.
 * @throws {TypeError} If `value` is neither a string nor credentials.
 *
 * @example RFC 6750 §2.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBearerCredentials } from "@httpauth/core";
 *
 * assert.deepEqual(parseBearerCredentials("Bearer mF_9.B5f-4.1JqM"), { token: "mF_9.B5f-4.1JqM" });
 * assert.throws(() => parseBearerCredentials("Bearer a,b"), { code: "invalid-token68", index: 8 });
 * ```
 */
export function parseBearerCredentials(value: string | Credentials, options?: ParseOptions): BearerCredentials {
  if (typeof value === "string") {
    const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
    if (Number.isSafeInteger(maxLength) && maxLength >= 1) {
      const fast = parseBearerFast(value, maxLength);
      if (fast !== undefined) return fast;
    }
  }
  if (typeof value === "object" && value !== null) {
    if (typeof value.scheme !== "string" || value.scheme.toLowerCase() !== "bearer") {
      throw new HTTPAuthError("wrong-scheme", "Cannot parse Bearer credentials: the credentials use another scheme");
    }
    const token = value.token68;
    if (token === undefined) {
      const hasParams = Object.keys(value.params ?? {}).length > 0;
      throw new HTTPAuthError(
        hasParams ? "invalid-token68" : "missing-token",
        hasParams
          ? "Cannot parse Bearer credentials: expected a b64token, found parameters"
          : "Cannot parse Bearer credentials: add the token after the scheme",
      );
    }
    if (typeof token !== "string" || findInvalidB64Token(token, 0, token.length) !== -1) {
      throw new HTTPAuthError("invalid-token68", "Cannot parse Bearer credentials: the token is not a b64token");
    }
    return { token };
  }
  const { scanner, start, end } = scanSchemeToken(value, options, "Bearer");
  const bad = findInvalidB64Token(scanner.value, start, end);
  if (bad !== -1) {
    scanner.fail("invalid-token68", "a b64token character (A–Z a–z 0–9 - . _ ~ + / then = padding)", bad);
  }
  return { token: scanner.value.slice(start, end) };
}
