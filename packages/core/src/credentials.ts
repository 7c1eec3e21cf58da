/**
 * Credentials: the `Authorization` and `Proxy-Authorization` fields
 * (RFC 9110 §11.6.2, §11.7.2).
 *
 * @module
 */

import type { AuthParams } from "./auth-params.ts";
import { serializeElement } from "./grammar/element.ts";
import type { Element, ParseOptions } from "./grammar/scanner.ts";
import { CREDENTIALS, prepareValue, Scanner, scanList } from "./grammar/scanner.ts";

/**
 * Credentials: a scheme with a `token68` (Basic, Bearer) or with parameters
 * (Digest). Parsed credentials have the scheme and parameter names
 * lower-cased and the values unescaped.
 */
export interface Credentials {
  /** The auth-scheme, lower-cased when parsed. */
  scheme: string;
  /** The token68 form (`Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==`), when used. */
  token68?: string;
  /** The auth-params, by lower-cased name; empty when `token68` is set. */
  params: AuthParams;
}

/**
 * Parses an `Authorization` or `Proxy-Authorization` field: exactly one
 * credentials element (RFC 9110 §11.6.2).
 *
 *   credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *
 * @param value The field value.
 * @param options `maxLength`: the size cap, 8192 characters by default.
 * @returns The credentials.
 * @throws {HTTPAuthError} `field-too-large`, `control-character`,
 *   `non-latin1-character`, `unterminated-quoted-string`, `expected-scheme`
 *   (empty value), `expected-parameter` (a second scheme or a bare word),
 *   `expected-value`, `unexpected-character`, `duplicate-parameter`.
 * @throws {TypeError} If `value` is not a string.
 * @throws {RangeError} If `options.maxLength` is not a positive whole number.
 *
 * @example token68 and auth-param forms
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCredentials } from "@httpauth/core";
 *
 * assert.equal(parseCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==").token68, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
 *
 * const digest = parseCredentials('Digest username="Mufasa", realm="http-auth@example.org", nc=00000001');
 * assert.equal(digest.scheme, "digest");
 * assert.equal(digest.params.username, "Mufasa");
 * assert.equal(digest.params.nc, "00000001");
 * ```
 */
export function parseCredentials(value: string, options?: ParseOptions): Credentials {
  const scanner = new Scanner(prepareValue(value, options, CREDENTIALS), CREDENTIALS);
  const elements: Element[] = [];
  scanList(scanner, elements);
  return elements[0] as Credentials;
}

/**
 * Serializes credentials as an `Authorization` or `Proxy-Authorization`
 * field value (RFC 9110 §11.6.2). Basic and Bearer credentials must be a
 * token68; Digest credentials quote `username`, `realm`, `uri`, `nonce`,
 * `cnonce`, `response` and `opaque` and write `algorithm`, `qop`, `nc` and
 * `userhash` as tokens (RFC 7616 §3.4).
 *
 * @param credentials The scheme with either `token68` or `params`.
 * @returns The field value.
 * @throws {TypeError} If a name is not a token, `token68` breaks its syntax,
 *   both forms are given, a name repeats, a value has a control character
 *   (HTAB aside) or a character above U+00FF, or a registered scheme's rule
 *   is broken.
 *
 * @example A Bearer token
 * ```ts
 * import assert from "node:assert/strict";
 * import { serializeCredentials } from "@httpauth/core";
 *
 * assert.equal(serializeCredentials({ scheme: "bearer", token68: "mF_9.B5f-4.1JqM", params: {} }), "Bearer mF_9.B5f-4.1JqM");
 * ```
 */
export function serializeCredentials(credentials: Credentials): string {
  return serializeElement(credentials, "credentials");
}
