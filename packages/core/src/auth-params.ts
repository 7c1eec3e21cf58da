/**
 * Parameter lists: the `Authentication-Info` and `Proxy-Authentication-Info`
 * fields (RFC 9110 §11.6.3, §11.7.3), and the map type every field uses.
 *
 * @module
 */

import { serializeParamList } from "./grammar/element.ts";
import type { Element, ParseOptions } from "./grammar/scanner.ts";
import { createParams, PARAMS, prepareValue, Scanner, scanList } from "./grammar/scanner.ts";

/**
 * Auth-params by name. Parsed maps have a null prototype (a parameter named
 * `__proto__` or `constructor` is only a parameter), lower-cased names and
 * unescaped values. Names that look like array indexes (`"1"`) come first in
 * iteration order, as for any JavaScript object.
 */
export type AuthParams = Record<string, string>;

/**
 * Parses an `Authentication-Info` or `Proxy-Authentication-Info` field: a
 * list of auth-params (RFC 9110 §11.6.3).
 *
 *   Authentication-Info = #auth-param
 *   auth-param          = token BWS "=" BWS ( token / quoted-string )
 *
 * @param value The field value.
 * @param options `maxLength`: the size cap, 8192 characters by default.
 * @returns The parameters by lower-cased name, in a null-prototype object.
 * @throws {HTTPAuthError} `field-too-large`, `control-character`,
 *   `non-latin1-character`, `unterminated-quoted-string`,
 *   `expected-parameter`, `expected-value`, `unexpected-character`,
 *   `duplicate-parameter`.
 * @throws {TypeError} If `value` is not a string.
 * @throws {RangeError} If `options.maxLength` is not a positive whole number.
 *
 * @example A Digest Authentication-Info field
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseAuthParams } from "@httpauth/core";
 *
 * const info = parseAuthParams('rspauth="a1b2", qop=auth, nc=00000001, cnonce="xyz"');
 * assert.equal(info.rspauth, "a1b2");
 * assert.equal(info.qop, "auth");
 * ```
 */
export function parseAuthParams(value: string, options?: ParseOptions): AuthParams {
  const scanner = new Scanner(prepareValue(value, options, PARAMS), PARAMS);
  const element: Element = { scheme: "", params: createParams() };
  scanList(scanner, [], element);
  return element.params;
}

/**
 * Serializes auth-params as an `Authentication-Info` field value
 * (RFC 9110 §11.6.3). `realm` is always quoted; other values are tokens when
 * they can be, quoted and escaped otherwise.
 *
 * @param params The parameters; names must be tokens and unique ignoring case.
 * @returns The field value (`""` for no parameters).
 * @throws {TypeError} If a name is not a token or repeats, or a value is not
 *   a string or has a control character (HTAB aside) or a character above U+00FF.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serializeAuthParams } from "@httpauth/core";
 *
 * assert.equal(serializeAuthParams({ nextnonce: "abc 123", qop: "auth" }), 'nextnonce="abc 123", qop=auth');
 * ```
 */
export function serializeAuthParams(params: AuthParams): string {
  return serializeParamList(params, "auth-params");
}
