/**
 * Challenges: the `WWW-Authenticate` and `Proxy-Authenticate` fields
 * (RFC 9110 §11.6.1, §11.7.1).
 *
 * @module
 */

import type { AuthParams } from "./auth-params.ts";
import { serializeElement } from "./grammar/element.ts";
import type { Element, ParseOptions } from "./grammar/scanner.ts";
import { CHALLENGES, prepareValue, Scanner, scanList } from "./grammar/scanner.ts";

/**
 * One challenge: a scheme with a `token68` or with parameters.
 * Parsed challenges have the scheme and parameter names lower-cased and
 * the values unescaped.
 */
export interface Challenge {
  /** The auth-scheme, lower-cased when parsed (`basic`, `digest`, …). */
  scheme: string;
  /** The token68 form (`Newauth abc==`), when the challenge uses it. */
  token68?: string;
  /** The auth-params, by lower-cased name; empty when `token68` is set. */
  params: AuthParams;
}

/**
 * Parses a `WWW-Authenticate` or `Proxy-Authenticate` field: a list of
 * challenges (RFC 9110 §11.6.1). Several field lines, passed as an array,
 * form one list (RFC 9110 §5.3).
 *
 *   WWW-Authenticate = #challenge
 *   challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *
 * @param value The field value, or every field line of the field in order.
 * @param options `maxLength`: the size cap, 8192 characters by default
 *   (counted over the lines joined by `", "`).
 * @returns The challenges in the order received; an empty field gives `[]`.
 * @throws {HTTPAuthError} `field-too-large`, `control-character`,
 *   `non-latin1-character`, `unterminated-quoted-string`, `expected-scheme`,
 *   `expected-parameter`, `expected-value`, `unexpected-character`,
 *   `duplicate-parameter`. For an array, `index` counts in the lines joined by `", "`.
 * @throws {TypeError} If `value` is not a string or an array of strings.
 * @throws {RangeError} If `options.maxLength` is not a positive whole number.
 *
 * @example Two challenges in one field (RFC 9110 §11.6.1)
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChallenges } from "@httpauth/core";
 *
 * const challenges = parseChallenges(
 *   'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
 * );
 * assert.equal(challenges.length, 2);
 * assert.equal(challenges[0]?.scheme, "newauth");
 * assert.equal(challenges[0]?.params.title, 'Login to "apps"');
 * assert.equal(challenges[1]?.params.realm, "simple");
 * ```
 *
 * @example Several field lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChallenges } from "@httpauth/core";
 *
 * const challenges = parseChallenges(['Digest realm="api", nonce="n1"', 'Basic realm="api"']);
 * assert.deepEqual(challenges.map((challenge) => challenge.scheme), ["digest", "basic"]);
 * ```
 */
export function parseChallenges(value: string | readonly string[], options?: ParseOptions): Challenge[] {
  const scanner = new Scanner(prepareValue(value, options, CHALLENGES), CHALLENGES);
  const elements: Element[] = [];
  scanList(scanner, elements);
  return elements as Challenge[];
}

/**
 * Serializes one challenge as the value of one `WWW-Authenticate` or
 * `Proxy-Authenticate` field line (RFC 9110 §11.6.1). Send each challenge on
 * its own line: Chromium and lynx read only the first challenge of a line.
 *
 * Registered schemes get their registered casing (`Basic`, `Digest`, …) and
 * their RFC's rules, whatever code built the challenge: Basic needs a
 * `realm` parameter (RFC 7617 §2; an empty one is a valid quoted-string and is
 * written back, for proxies that pass challenges through — `lintChallenges`
 * warns about it) and only `charset="UTF-8"` (RFC 7617 §2.1); Bearer's `error`,
 * `scope`, `error_description` and `error_uri` must fit RFC 6750 §3 and are
 * quoted; Digest writes `algorithm`, `stale`, `charset` and `userhash` as
 * tokens and `realm`, `domain`, `nonce`, `opaque`, `qop` as quoted-strings
 * (RFC 7616 §3.3). `realm` is always a quoted-string; other values are
 * tokens when they can be, quoted and escaped otherwise.
 *
 * @param challenge The scheme with either `token68` or `params`.
 * @returns The field value.
 * @throws {TypeError} If a name is not a token, `token68` breaks its syntax,
 *   both `token68` and parameters are given, a name repeats, a value has
 *   CR, LF, NUL, another control character (HTAB aside) or a character above
 *   U+00FF, or a registered scheme's rule is broken (a Basic challenge
 *   without realm, a Bearer error outside RFC 6750 §3.1, …).
 *
 * @example A Basic challenge
 * ```ts
 * import assert from "node:assert/strict";
 * import { serializeChallenge } from "@httpauth/core";
 *
 * assert.equal(
 *   serializeChallenge({ scheme: "basic", params: { realm: "Our \"site\"", charset: "UTF-8" } }),
 *   'Basic realm="Our \\"site\\"", charset="UTF-8"',
 * );
 * ```
 *
 * @example A parsed challenge written back, empty realm included
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChallenges, serializeChallenge } from "@httpauth/core";
 *
 * const [challenge] = parseChallenges('Basic realm=""');
 * assert.ok(challenge);
 * assert.equal(serializeChallenge(challenge), 'Basic realm=""');
 * assert.throws(() => serializeChallenge({ scheme: "basic", params: {} }), TypeError);
 * ```
 */
export function serializeChallenge(challenge: Challenge): string {
  return serializeElement(challenge, "challenge");
}

/**
 * Serializes challenges as one combined field value, joined by `", "`
 * (RFC 9110 §5.3). Prefer one {@linkcode serializeChallenge} per field line
 * when the response API allows it.
 *
 * @param challenges At least one challenge.
 * @returns The combined field value.
 * @throws {TypeError} If the list is empty (a 401 must carry a challenge,
 *   RFC 9110 §15.5.2), or for any reason {@linkcode serializeChallenge} throws.
 *
 * @example Two challenges on one line
 * ```ts
 * import assert from "node:assert/strict";
 * import { serializeChallenges } from "@httpauth/core";
 *
 * assert.equal(
 *   serializeChallenges([
 *     { scheme: "bearer", params: { realm: "api" } },
 *     { scheme: "basic", params: { realm: "api" } },
 *   ]),
 *   'Bearer realm="api", Basic realm="api"',
 * );
 * ```
 */
export function serializeChallenges(challenges: readonly Challenge[]): string {
  if (!Array.isArray(challenges)) throw new TypeError("Cannot serialize challenges: pass an array of challenges");
  if (challenges.length === 0) {
    throw new TypeError("Cannot serialize challenges: give at least one (a 401 or 407 must carry a challenge)");
  }
  let result = "";
  for (const challenge of challenges) {
    const written = serializeChallenge(challenge);
    result = result === "" ? written : `${result}, ${written}`;
  }
  return result;
}
