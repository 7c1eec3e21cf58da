/**
 * The client side of OAuth 2.0 resource servers: what a `WWW-Authenticate`
 * field says, typed. Bearer (RFC 6750 §3) and DPoP (RFC 9449 §7.1)
 * challenges get their parameters as fields — `resource_metadata`
 * (RFC 9728 §5.1), `scope`, `error`, `acr_values` and `max_age`
 * (RFC 9470 §3), `algs` — on top of the one RFC 9110 §11 list grammar, so
 * any layout of field lines reads the same.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { parseChallenges } from "../challenge.ts";
import { isHTTPAuthError } from "../errors.ts";
import { SP } from "../grammar/chars.ts";
import type { ParseOptions } from "../grammar/scanner.ts";
import { CHALLENGES, prepareValue } from "../grammar/scanner.ts";

/** A parameter of a challenge that was present but could not be read as its RFC defines it. */
export interface ResourceChallengeProblem {
  /** The parameter as received, lower-cased (`max_age`, `resource_metadata`, …). */
  parameter: string;
  /** What is wrong, with the RFC section; never the value itself. */
  message: string;
}

/**
 * One challenge with the parameters an OAuth 2.0 client acts on.
 * `scheme`, `params` and `token68` are those of {@linkcode parseChallenges};
 * `realm` is read for every scheme, the other fields for `bearer` and
 * `dpop` challenges only. A field is absent when its parameter is, and also
 * when the parameter breaks its RFC's syntax: then `problems` says so.
 */
export interface ResourceChallenge extends Challenge {
  /** `realm` (RFC 9110 §11.5). */
  realm?: string;
  /** `resource_metadata`: the absolute `http(s)` URL of the Protected Resource Metadata document (RFC 9728 §5.1). */
  resourceMetadata?: string;
  /** `scope`: the scope tokens, split on spaces (RFC 6750 §3, RFC 6749 §3.3); `[]` for `scope=""`. */
  scope?: string[];
  /** `error` (RFC 6750 §3.1, RFC 9470 §3, RFC 9449 §7.1), e.g. `invalid_token`. */
  error?: string;
  /** `error_description` (RFC 6750 §3). */
  errorDescription?: string;
  /** `error_uri`: an absolute URL (RFC 6750 §3). */
  errorUri?: string;
  /** `acr_values`: authentication context class references, in order of preference (RFC 9470 §3). */
  acrValues?: string[];
  /** `max_age`: seconds allowed since the last active authentication (RFC 9470 §3). */
  maxAge?: number;
  /** `algs`: the JWS algorithms accepted for DPoP proofs (RFC 9449 §7.1). */
  algs?: string[];
  /** The parameters left out of the typed fields because they break their syntax; empty when none. */
  problems: ResourceChallengeProblem[];
}

/** Options of {@linkcode parseResourceChallenges}. */
export interface ParseResourceChallengesOptions extends ParseOptions {
  /**
   * Leave out field lines that break the grammar instead of throwing: each
   * line of an array is then parsed on its own and a broken one gives no
   * challenge at all (nothing is half-parsed). Default `false`. The size cap
   * still applies to all lines together, and still throws.
   */
  skipMalformedLines?: boolean;
}

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E )   (RFC 6749 §3.3; the same class for acr and alg values)
function isScopeTokenCode(code: number): boolean {
  return code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e);
}

/**
 * scope = scope-token *( SP scope-token )   (RFC 6749 §3.3)
 *
 * Splits on SP, leaving out empty items (a doubled or trailing space).
 * `undefined` when an item has a character outside scope-token.
 */
function splitSpaceList(value: string): string[] | undefined {
  const items: string[] = [];
  let start = 0;
  for (let index = 0; index <= value.length; index++) {
    const code = index === value.length ? SP : value.charCodeAt(index);
    if (code === SP) {
      if (index > start) items.push(value.slice(start, index));
      start = index + 1;
    } else if (!isScopeTokenCode(code)) {
      return undefined;
    }
  }
  return items;
}

// delta-seconds-like: 1*DIGIT   (RFC 9470 §3: a non-negative integer, as a token or a quoted-string)
function readSeconds(value: string): number | undefined {
  if (value.length === 0 || value.length > 15) return undefined;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return undefined;
  }
  return Number(value);
}

/** Whether `value` is an absolute `http:` or `https:` URL. */
function isAbsoluteHTTPURL(value: string): boolean {
  // The WHATWG parser trims spaces and controls at either end; a URL that needed that is not one.
  if (value.length === 0 || value.charCodeAt(0) <= SP || value.charCodeAt(value.length - 1) <= SP) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/** The space-separated list parameters: the field, the parameter, the section defining it. */
const LISTS: ReadonlyArray<readonly ["scope" | "acrValues" | "algs", string, string]> = [
  ["scope", "scope", "RFC 6749 §3.3"],
  ["acrValues", "acr_values", "RFC 9470 §3"],
  ["algs", "algs", "RFC 9449 §7.1"],
];

/** An own parameter, or `undefined`. */
function own(params: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(params, name) ? params[name] : undefined;
}

/** Reads the typed fields of a Bearer or DPoP challenge into `result`. */
function readOAuthFields(params: Record<string, string>, result: ResourceChallenge): void {
  const { problems } = result;
  const metadata = own(params, "resource_metadata");
  if (metadata !== undefined) {
    if (isAbsoluteHTTPURL(metadata)) result.resourceMetadata = metadata;
    else
      problems.push({
        parameter: "resource_metadata",
        message: "Ignored resource_metadata: expected an absolute http(s) URL (RFC 9728 §5.1)",
      });
  }
  for (const [field, parameter, section] of LISTS) {
    const value = own(params, parameter);
    if (value === undefined) continue;
    const items = splitSpaceList(value);
    if (items !== undefined) result[field] = items;
    else
      problems.push({
        parameter,
        message: `Ignored ${parameter}: expected space-separated values of visible ASCII (${section})`,
      });
  }
  const error = own(params, "error");
  if (error !== undefined) result.error = error;
  const description = own(params, "error_description");
  if (description !== undefined) result.errorDescription = description;
  const errorUri = own(params, "error_uri");
  if (errorUri !== undefined) {
    if (isAbsoluteHTTPURL(errorUri)) result.errorUri = errorUri;
    else
      problems.push({
        parameter: "error_uri",
        message: "Ignored error_uri: expected an absolute http(s) URL (RFC 6750 §3)",
      });
  }
  const maxAge = own(params, "max_age");
  if (maxAge !== undefined) {
    const seconds = readSeconds(maxAge);
    if (seconds !== undefined) result.maxAge = seconds;
    else
      problems.push({
        parameter: "max_age",
        message: "Ignored max_age: expected a whole number of seconds, 0 or more (RFC 9470 §3)",
      });
  }
}

/** A parsed challenge with its typed fields. */
function toResourceChallenge(challenge: Challenge): ResourceChallenge {
  const result: ResourceChallenge = { scheme: challenge.scheme, params: challenge.params, problems: [] };
  if (challenge.token68 !== undefined) result.token68 = challenge.token68;
  const realm = Object.hasOwn(challenge.params, "realm") ? challenge.params.realm : undefined;
  if (realm !== undefined) result.realm = realm;
  if (challenge.scheme === "bearer" || challenge.scheme === "dpop") readOAuthFields(challenge.params, result);
  return result;
}

/** Each line parsed on its own; a line that breaks the grammar gives nothing. */
function parseLinesTolerantly(lines: readonly string[], options: ParseOptions | undefined): Challenge[] {
  // The cap applies to all lines together, as in parseChallenges: checked (and thrown) once here.
  prepareValue(lines, options, CHALLENGES);
  const cap = { maxLength: Number.MAX_SAFE_INTEGER };
  const challenges: Challenge[] = [];
  for (const line of lines) {
    try {
      challenges.push(...parseChallenges(line, cap));
    } catch (error) {
      if (!isHTTPAuthError(error)) throw error;
    }
  }
  return challenges;
}

/**
 * Reads the challenges of a `WWW-Authenticate` (or `Proxy-Authenticate`)
 * field the way an OAuth 2.0 client needs them: every challenge, in order,
 * with the Bearer and DPoP parameters as typed fields — `resourceMetadata`
 * (RFC 9728 §5.1), `scope` as a list (RFC 6750 §3, RFC 6749 §3.3), `error`,
 * `errorDescription`, `errorUri`, `acrValues` and `maxAge` (RFC 9470 §3),
 * `algs` (RFC 9449 §7.1) — and `realm` for every scheme.
 *
 * It reads the field with the RFC 9110 §11.6.1 list grammar of
 * {@linkcode parseChallenges}, so the layout does not matter: one line per
 * challenge, several challenges on one line (as `Headers.get` joins them),
 * or both. Scheme and parameter names compare case-insensitively (`Scope=`
 * is `scope`), spaces around `=` are allowed, quoted values are unescaped,
 * and a `scope=` inside another parameter's quoted string stays inside it.
 *
 * Malformed input: a field that breaks the grammar throws, unless
 * `skipMalformedLines` is set (then each line of an array is read on its
 * own and broken lines are left out). A parameter that parses but breaks its
 * own RFC's syntax (`max_age=abc`, a `resource_metadata` that is not an
 * absolute http(s) URL, a scope with a `"`) is left out of the typed fields,
 * with an entry in `problems`; it stays in `params` as received.
 *
 * @param value The field value, or every field line in order.
 * @param options `maxLength` (8192 by default, over all lines) and `skipMalformedLines`.
 * @returns The challenges in order; `[]` for an empty field.
 * @throws {HTTPAuthError} Any code of {@linkcode parseChallenges}
 *   (`field-too-large`, `unterminated-quoted-string`, `duplicate-parameter`, …).
 * @throws {TypeError} If `value` is not a string or an array of strings.
 * @throws {RangeError} If `options.maxLength` is not a positive whole number.
 *
 * @example An MCP server's 401, with a DPoP challenge listed first
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResourceChallenges } from "@httpauth/core";
 *
 * const [dpop, bearer] = parseResourceChallenges([
 *   'DPoP algs="ES256 PS256"',
 *   'Bearer resource_metadata="https://mcp.example/.well-known/oauth-protected-resource/mcp", scope="files:read files:write"',
 * ]);
 * assert.deepEqual(dpop?.algs, ["ES256", "PS256"]);
 * assert.equal(bearer?.resourceMetadata, "https://mcp.example/.well-known/oauth-protected-resource/mcp");
 * assert.deepEqual(bearer?.scope, ["files:read", "files:write"]);
 * ```
 *
 * @example Step-up (RFC 9470 §3), and a parameter that breaks its syntax
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResourceChallenges } from "@httpauth/core";
 *
 * const [stepUp] = parseResourceChallenges(
 *   'Bearer error="insufficient_user_authentication", acr_values="myACR", max_age="5"',
 * );
 * assert.deepEqual(stepUp?.acrValues, ["myACR"]);
 * assert.equal(stepUp?.maxAge, 5);
 *
 * const [broken] = parseResourceChallenges('Bearer max_age=soon');
 * assert.equal(broken?.maxAge, undefined);
 * assert.equal(broken?.problems[0]?.parameter, "max_age");
 * ```
 */
export function parseResourceChallenges(
  value: string | readonly string[],
  options?: ParseResourceChallengesOptions,
): ResourceChallenge[] {
  const challenges =
    options?.skipMalformedLines === true
      ? parseLinesTolerantly(typeof value === "string" ? [value] : value, options)
      : parseChallenges(value, options);
  return challenges.map(toResourceChallenge);
}
