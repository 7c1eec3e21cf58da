/**
 * Digest credentials (RFC 7616 §3.4), read by servers: the syntax of the
 * `Authorization` value, checked without the password.
 *
 * @module
 */

import type { AuthParams } from "../../auth-params.ts";
import type { Credentials } from "../../credentials.ts";
import { parseCredentials } from "../../credentials.ts";
import type { ParseOptions } from "../../grammar/scanner.ts";
import { hashLength } from "../../internal/hash.ts";
import { decodeUTF8Strict } from "../../internal/utf8.ts";
import type { AlgorithmInfo, DigestAlgorithm, DigestQop } from "./algorithms.ts";
import { ALGORITHMS, lookupAlgorithm } from "./algorithms.ts";
import { hasForbiddenUserNameCharacter, isHex, isPrintableASCII } from "./characters.ts";
import { decodeExtValue } from "./ext-value.ts";
import { checkElement, invalid, readReceived, requireReceived } from "./params.ts";

/** Digest credentials checked for syntax by {@linkcode parseDigestCredentials}. */
export interface DigestCredentials {
  /**
   * The user name: from `username`, or decoded from `username*` (RFC 8187);
   * when `userhash` is true, the lower-case hex `H(username ":" realm)`.
   */
  username: string;
  /** The realm the client answers. */
  realm: string;
  /** The server nonce the client answers. */
  nonce: string;
  /** The request target the client signed (`uri`, RFC 7616 §3.4). */
  uri: string;
  /** The response digest, lower-cased hex of the algorithm's length. */
  response: string;
  /** The algorithm, in its registered spelling; `"MD5"` when the client sent none. */
  algorithm: DigestAlgorithm;
  /** The qop used; absent only in the RFC 2069 form. */
  qop?: DigestQop;
  /** The nonce count, 8 hex digits as sent; present exactly when `qop` is. */
  nc?: string;
  /** The client nonce; present exactly when `qop` is. */
  cnonce?: string;
  /** The `opaque` value echoed from the challenge. */
  opaque?: string;
  /** Whether `username` is a hash (RFC 7616 §3.4.4). */
  userhash: boolean;
}

/**
 * A quoted `username` with octets above 0x7F: clients that follow
 * `charset=UTF-8` (RFC 7616 §4) send UTF-8, which arrives as one character
 * per octet. Anything else is refused: send `username*` instead.
 */
function decodeQuotedUsername(username: string): string {
  if (isPrintableASCII(username)) return username;
  const bytes = new Uint8Array(username.length);
  for (let index = 0; index < username.length; index++) bytes[index] = username.charCodeAt(index);
  const text = decodeUTF8Strict(bytes);
  if (text === undefined) {
    throw invalid("the username parameter is not UTF-8 text; send non-ASCII names as username* (RFC 8187)");
  }
  if (hasForbiddenUserNameCharacter(text)) {
    throw invalid("the username has a control character (C0, DEL, C1) or U+2028/U+2029, which no user name may have");
  }
  return text;
}

/**
 * Parses and checks Digest credentials (RFC 7616 §3.4): the `Authorization`
 * or `Proxy-Authorization` field value, or credentials already parsed with
 * `parseCredentials`. Checks syntax only; {@linkcode verifyDigestCredentials}
 * checks the digest.
 *
 *   credentials = "Digest" digest-response
 *   digest-response = username / username* , realm, nonce, uri, response,
 *                     [ algorithm ], [ qop, cnonce, nc ], [ opaque ], [ userhash ]
 *
 * - `username` and `username*` (an RFC 8187 ext-value, UTF-8 charset only,
 *   strict percent-decoding and UTF-8) are mutually exclusive; one is required.
 *   A quoted `username` with octets above 0x7F must be UTF-8 (RFC 7616 §4).
 * - `algorithm` is compared case-insensitively and defaults to MD5.
 * - `qop` is `auth` or `auth-int`, and then `cnonce` and an `nc` of 8 hex
 *   digits (from 00000001) are required. Without `qop` (the RFC 2069 form),
 *   `cnonce` and `nc` must be absent and the algorithm must not be `-sess`.
 * - `response` is hex of the algorithm's length; it comes back lower-cased.
 * - `userhash=true` needs a hex `username` of the algorithm's length, not `username*`.
 *
 * @param value The field value, or parsed credentials.
 * @param options `maxLength`, when `value` is a string (8192 by default).
 * @returns The checked parameters.
 * @throws {HTTPAuthError} `wrong-scheme`; `expected-parameter` for a token68;
 *   `missing-parameter`; `invalid-parameter`; `unsupported-algorithm`; and
 *   every code of `parseCredentials` for a string. Messages never contain a value.
 * @throws {TypeError} If `value` is neither a string nor credentials.
 *
 * @example Parse the RFC 7616 §3.9.1 credentials
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDigestCredentials } from "@httpauth/core";
 *
 * const credentials = parseDigestCredentials(
 *   'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
 *     'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
 *     'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
 *     'response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
 * );
 * assert.equal(credentials.username, "Mufasa");
 * assert.equal(credentials.algorithm, "MD5");
 * assert.equal(credentials.qop, "auth");
 * assert.equal(credentials.userhash, false);
 * ```
 *
 * @example A username* (RFC 8187) and a missing parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { isHTTPAuthError, parseDigestCredentials } from "@httpauth/core";
 *
 * const base = 'realm="r", uri="/", nonce="n", nc=00000001, cnonce="c", qop=auth, response="' + "0".repeat(32) + '"';
 * assert.equal(parseDigestCredentials(`Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ${base}`).username, "Jäsøn Doe");
 * assert.throws(
 *   () => parseDigestCredentials(`Digest ${base}`),
 *   (error) => isHTTPAuthError(error) && error.code === "missing-parameter",
 * );
 * ```
 */
export function parseDigestCredentials(value: string | Credentials, options?: ParseOptions): DigestCredentials {
  const element = readDigestElement(value, options);
  const params = element.params;
  const scanned = typeof value === "string";

  const names = readUsernames(params, scanned);
  const realm = requireReceived(params, "realm", scanned);
  const nonce = requireReceived(params, "nonce", scanned);
  const uri = requireReceived(params, "uri", scanned);
  const received = requireReceived(params, "response", scanned);
  if (uri === "") throw invalid("the uri parameter must not be empty");

  const algorithm = readAlgorithm(params, scanned);
  const digestLength = hashLength(algorithm.hash);
  const protection = readProtection(params, scanned, algorithm);
  if (!isHex(received, digestLength)) {
    throw invalid(`the response parameter must be ${digestLength} hex digits for ${algorithm.name}`);
  }
  const userhash = readUserhash(params, scanned);
  const username = resolveUsername(names, userhash, algorithm);

  const result: DigestCredentials = {
    username,
    realm,
    nonce,
    uri,
    response: received.toLowerCase(),
    algorithm: algorithm.name,
    userhash,
  };
  if (protection !== undefined) {
    result.qop = protection.qop;
    result.nc = protection.nc;
    result.cnonce = protection.cnonce;
  }
  const opaque = readReceived(params, "opaque", scanned);
  if (opaque !== undefined) result.opaque = opaque;
  return result;
}

/**
 * credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]   (RFC 9110 §11.4)
 *
 * The credentials as an element: parsed from a string, or checked when the
 * caller passes them parsed. Digest carries auth-params, never a token68.
 */
function readDigestElement(value: string | Credentials, options: ParseOptions | undefined): Credentials {
  const element =
    typeof value === "string"
      ? parseCredentials(value, options)
      : checkElement(value, "Cannot parse Digest credentials");
  if (element.scheme.toLowerCase() !== "digest") {
    throw invalid("expected the Digest scheme", "wrong-scheme");
  }
  if (element.token68 !== undefined) {
    throw invalid("expected auth-params after Digest, not a token68", "expected-parameter");
  }
  return element;
}

/** The user name as sent: exactly one of `username` and `username*` (RFC 7616 §3.4). */
interface SentUsername {
  /** The `username` parameter, quoted-string or token. */
  plain: string | undefined;
  /** The `username*` parameter, an RFC 8187 ext-value not yet decoded. */
  ext: string | undefined;
}

/**
 * username       = "username" "=" username-value   (RFC 2617 §3.2.2)
 * username-value = quoted-string
 * username*      = "username*" "=" ext-value        (RFC 7616 §3.4, RFC 8187 §3.2.1)
 *
 * One of the two is required; both at once are refused.
 */
function readUsernames(params: AuthParams, scanned: boolean): SentUsername {
  const plain = readReceived(params, "username", scanned);
  const ext = readReceived(params, "username*", scanned);
  if (plain !== undefined && ext !== undefined) {
    throw invalid("send either username or username*, not both (RFC 7616 §3.4)");
  }
  if (plain === undefined && ext === undefined) {
    throw invalid("add the required username or username* parameter (RFC 7616 §3.4)", "missing-parameter");
  }
  return { plain, ext };
}

/**
 * algorithm = "algorithm" "=" ( "MD5" / "MD5-sess" / token )   (RFC 2617 §3.2.1)
 *
 * The names are those of RFC 7616 §3.3 (`SHA-256`, `SHA-512-256`, each also
 * `-sess`), compared case-insensitively; absent means MD5.
 */
function readAlgorithm(params: AuthParams, scanned: boolean): AlgorithmInfo {
  const algorithmName = readReceived(params, "algorithm", scanned);
  const algorithm = algorithmName === undefined ? ALGORITHMS.md5 : lookupAlgorithm(algorithmName);
  if (algorithm === undefined) {
    throw invalid("the algorithm is not one of MD5, SHA-256, SHA-512-256 (or -sess)", "unsupported-algorithm");
  }
  return algorithm;
}

/** The qop a client used, with the nonce count and client nonce that go with it. */
interface Protection {
  qop: DigestQop;
  /** 8 hex digits as sent. */
  nc: string;
  cnonce: string;
}

/**
 * message-qop = "qop" "=" qop-value                   (RFC 2617 §3.2.2; RFC 7616 §3.4)
 * cnonce      = "cnonce" "=" cnonce-value
 * nonce-count = "nc" "=" nc-value
 * nc-value    = 8LHEX
 *
 * qop is `auth` or `auth-int`, and then `cnonce` (not empty) and `nc` (from
 * 00000001) are required. Without qop — the RFC 2069 form, `undefined` here —
 * `cnonce` and `nc` must be absent and the algorithm must not be `-sess`.
 */
function readProtection(params: AuthParams, scanned: boolean, algorithm: AlgorithmInfo): Protection | undefined {
  const qopName = readReceived(params, "qop", scanned);
  const cnonce = readReceived(params, "cnonce", scanned);
  const nc = readReceived(params, "nc", scanned);
  if (qopName === undefined) {
    if (cnonce !== undefined || nc !== undefined) {
      throw invalid("cnonce and nc go with qop; add qop or remove them (RFC 7616 §3.4)");
    }
    if (algorithm.session) throw invalid("a -sess algorithm needs qop, cnonce and nc", "missing-parameter");
    return undefined;
  }
  if (qopName !== "auth" && qopName !== "auth-int") throw invalid("the qop parameter must be auth or auth-int");
  if (cnonce === undefined) throw invalid("add the cnonce parameter, required with qop", "missing-parameter");
  if (nc === undefined) throw invalid("add the nc parameter, required with qop", "missing-parameter");
  if (cnonce === "") throw invalid("the cnonce parameter must not be empty");
  if (!isHex(nc, 8)) throw invalid("the nc parameter must be exactly 8 hex digits");
  if (Number.parseInt(nc, 16) === 0) throw invalid("the nc parameter counts from 00000001");
  return { qop: qopName, nc, cnonce };
}

/**
 * userhash: "true" or "false", compared case-insensitively; absent means
 * false (RFC 7616 §3.4, §3.4.4).
 */
function readUserhash(params: AuthParams, scanned: boolean): boolean {
  const userhashValue = readReceived(params, "userhash", scanned);
  if (userhashValue === undefined) return false;
  const lower = userhashValue.toLowerCase();
  if (lower !== "true" && lower !== "false") throw invalid("the userhash parameter must be true or false");
  return lower === "true";
}

/**
 * The user name the credentials name: `username*` decoded (RFC 8187), the
 * lower-cased hex of a hashed user name (RFC 7616 §3.4.4), or a quoted
 * `username` (UTF-8 above 0x7F, §4).
 */
function resolveUsername(names: SentUsername, userhash: boolean, algorithm: AlgorithmInfo): string {
  if (names.ext !== undefined) {
    if (userhash) throw invalid("a hashed user name goes in username, not username* (RFC 7616 §3.4.4)");
    const username = decodeExtValue(names.ext, "username*");
    if (hasForbiddenUserNameCharacter(username)) {
      throw invalid("the decoded username* has a control character (C0, DEL, C1) or U+2028/U+2029");
    }
    return username;
  }
  if (userhash) {
    const digestLength = hashLength(algorithm.hash);
    if (!isHex(names.plain ?? "", digestLength)) {
      throw invalid(`with userhash=true, username must be ${digestLength} hex digits for ${algorithm.name}`);
    }
    return (names.plain ?? "").toLowerCase();
  }
  return decodeQuotedUsername(names.plain ?? "");
}
