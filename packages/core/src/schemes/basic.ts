/**
 * The Basic scheme (RFC 7617): its challenge, and credentials on both sides.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import type { Credentials } from "../credentials.ts";
import { HTTPAuthError } from "../errors.ts";
import { assertRealm } from "../grammar/registered.ts";
import type { ParseOptions, SchemeToken } from "../grammar/scanner.ts";
import { createParams, DEFAULT_MAX_LENGTH, scanSchemeToken } from "../grammar/scanner.ts";
import type { DecodeBase64Failure } from "../internal/base64.ts";
import { base64DecodeTable, decodeBase64, encodeBase64, PAD, PAD_CODE } from "../internal/base64.ts";
import {
  decodeLatin1,
  decodeUTF8Short,
  decodeUTF8Strict,
  encodeUTF8,
  isWellFormedUTF16,
  SHORT_DECODE_LIMIT,
} from "../internal/utf8.ts";

/** Options of {@linkcode createBasicChallenge}. */
export interface BasicChallengeOptions {
  /**
   * The protection space, shown to the user by browsers. REQUIRED by
   * RFC 7617 §2: strict clients never answer a Basic challenge without one.
   */
  realm: string;
  /** Announce that credentials are expected in UTF-8 (RFC 7617 §2.1); the only allowed value. */
  charset?: "UTF-8";
}

/**
 * Creates a Basic challenge (RFC 7617 §2): `Basic realm="…"`, with
 * `charset="UTF-8"` when asked (RFC 7617 §2.1).
 *
 * @param options The realm (required, not blank) and the optional charset.
 * @returns The challenge, ready for {@linkcode serializeChallenge}.
 * @throws {TypeError} If `realm` is missing, empty or blank, or `charset` is not `UTF-8` (any case).
 *
 * @example A challenge that strict clients answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { createBasicChallenge, serializeChallenge } from "@httpauth/core";
 *
 * const challenge = createBasicChallenge({ realm: "Staff area", charset: "UTF-8" });
 * assert.equal(serializeChallenge(challenge), 'Basic realm="Staff area", charset="UTF-8"');
 * assert.throws(() => createBasicChallenge({ realm: " " }), TypeError);
 * ```
 */
export function createBasicChallenge(options: BasicChallengeOptions): Challenge {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot create a Basic challenge: pass { realm }");
  }
  const { realm, charset } = options;
  assertRealm(realm, "a Basic challenge");
  const params = createParams();
  params.realm = realm;
  if (charset !== undefined) {
    if (typeof charset !== "string" || charset.toLowerCase() !== "utf-8") {
      throw new TypeError('Cannot create a Basic challenge: charset can only be "UTF-8" (RFC 7617 §2.1)');
    }
    params.charset = "UTF-8";
  }
  return { scheme: "basic", params };
}

/** A Basic user-id and password. */
export interface BasicCredentials {
  /** The user-id: no `:` and no control characters. May be empty. */
  username: string;
  /** The password: no control characters; may contain `:`; may be empty. */
  password: string;
}

/** Options of {@linkcode parseBasicCredentials}. */
export interface ParseBasicCredentialsOptions extends ParseOptions {
  /**
   * Decode octets that are not valid UTF-8 as ISO-8859-1, as Python's
   * requests and older clients send them. Default `true`; with `false`, such
   * credentials fail with `invalid-utf8`.
   */
  latin1Fallback?: boolean;
}

/** RFC 7617 §2 forbids CTL (%x00-1F, %x7F); with UTF-8, RFC 5198 also excludes the C1 controls U+0080–U+009F. */
function findControl(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return index;
  }
  return -1;
}

function decodeUserPass(bytes: Uint8Array, latin1Fallback: boolean, at: number): BasicCredentials {
  let text = decodeUTF8Strict(bytes);
  if (text === undefined) {
    if (!latin1Fallback) {
      throw new HTTPAuthError(
        "invalid-utf8",
        `Cannot parse Basic credentials: the token at index ${at} does not decode as UTF-8 (the ISO-8859-1 fallback is off)`,
        { index: at },
      );
    }
    text = decodeLatin1(bytes);
  }
  const colon = text.indexOf(":");
  if (colon === -1) {
    throw new HTTPAuthError(
      "missing-colon",
      `Cannot parse Basic credentials: the token at index ${at} decodes to no ':' between user-id and password (RFC 7617 §2)`,
      { index: at },
    );
  }
  if (findControl(text) !== -1) {
    throw new HTTPAuthError(
      "decoded-control-character",
      `Cannot parse Basic credentials: the token at index ${at} decodes to a user-id or password with a control character (RFC 7617 §2)`,
      { index: at },
    );
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

const SP = 0x20;
const COLON = 0x3a;
const DEL = 0x7f;

/** Base64 symbol values (RFC 4648 §4, Table 1) by character code: 0–63, PAD for "=", 128 for anything else. */
const SYMBOLS: Uint8Array = base64DecodeTable();

/** The longest token the fast path decodes: 1024 base64 characters, 768 octets. */
const FAST_TOKEN_LIMIT = (SHORT_DECODE_LIMIT / 3) * 4;
/** The fast path's octets, reused from call to call (parsing is synchronous). */
const fastOctets = new Uint8Array(SHORT_DECODE_LIMIT);

/**
 * The common case of {@linkcode parseBasicCredentials}, in one pass over the
 * field value, with no scanner, no intermediate strings and no call into the
 * runtime's TextDecoder: `Basic` (any case), spaces, then strict padded
 * base64 up to the end, decoding to UTF-8 without control characters and
 * with a colon. Anything else — leading or trailing whitespace, a tab, a
 * long token, Latin-1 octets, any error — returns `undefined`, and the full
 * path parses it or rejects it with its exact error. For the input it
 * accepts, it returns what the full path returns.
 *
 * The base64 is decoded here, not by `decodeBase64Into`: one loop decodes,
 * checks each octet (RFC 7617 §2: no CTL, a colon) and writes it both as a
 * code unit of the text and as an octet for the UTF-8 decoder, where two
 * loops cost a third more on Node 20.
 */
function parseBasicFast(value: string, maxLength: number): BasicCredentials | undefined {
  const length = value.length;
  if (length > maxLength || length < 10) return undefined;
  // "Basic" in any case ("B" | 0x20 is "b"; no other code point maps to it), then SP.
  if (
    (value.charCodeAt(0) | 0x20) !== 0x62 ||
    (value.charCodeAt(1) | 0x20) !== 0x61 ||
    (value.charCodeAt(2) | 0x20) !== 0x73 ||
    (value.charCodeAt(3) | 0x20) !== 0x69 ||
    (value.charCodeAt(4) | 0x20) !== 0x63 ||
    value.charCodeAt(5) !== SP
  ) {
    return undefined;
  }
  let start = 6;
  while (start < length && value.charCodeAt(start) === SP) start++;
  const size = length - start;
  if (size === 0 || size > FAST_TOKEN_LIMIT || (size & 3) !== 0) return undefined;
  // Locals: module-level bindings are read from the module's context at every use on Node 20.
  const symbols = SYMBOLS;
  const octets = fastOctets;
  const padding = value.charCodeAt(length - 1) !== PAD_CODE ? 0 : value.charCodeAt(length - 2) === PAD_CODE ? 2 : 1;
  const count = (size >>> 2) * 3 - padding;
  // For ASCII, this array is the text's code units (String.fromCharCode.apply is fastest on one).
  const units = new Array<number>(count);
  let written = 0;
  let colon = -1;
  let high = 0;
  for (let index = start; index < length; index += 4) {
    const code0 = value.charCodeAt(index);
    const code1 = value.charCodeAt(index + 1);
    const code2 = value.charCodeAt(index + 2);
    const code3 = value.charCodeAt(index + 3);
    if ((code0 | code1 | code2 | code3) > 0xff) return undefined;
    const first = symbols[code0]!;
    const second = symbols[code1]!;
    let third = symbols[code2]!;
    let fourth = symbols[code3]!;
    if ((first | second | third | fourth) >= PAD) {
      // Only the last group holds "=": "xx==" or "xxx=", the bits past the data zero (RFC 4648 §3.5).
      if (index + 4 !== length || (first | second) >= PAD || padding === 0) return undefined;
      if (padding === 2) {
        if ((second & 0x0f) !== 0) return undefined;
        third = 0;
      } else if (third >= PAD || (third & 0x03) !== 0) {
        return undefined;
      }
      fourth = 0;
    }
    const bits = (first << 18) | (second << 12) | (third << 6) | fourth;
    for (let shift = 16; shift >= 0 && written < count; shift -= 8) {
      const octet = (bits >>> shift) & 0xff;
      // RFC 7617 §2: no CTL in user-id or password.
      if (octet < SP || octet === DEL) return undefined;
      if (octet === COLON && colon === -1) colon = written;
      high |= octet;
      units[written] = octet;
      octets[written++] = octet;
    }
  }
  if (colon === -1) return undefined;
  let text: string;
  if (high < 0x80) {
    text = String.fromCharCode.apply(null, units);
  } else {
    const decoded = decodeUTF8Short(octets, count);
    // Not UTF-8 (the Latin-1 fallback), or a C1 control: the full path decides.
    if (decoded === undefined || findControl(decoded) !== -1) return undefined;
    text = decoded;
    colon = text.indexOf(":");
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Parses Basic credentials (RFC 7617 §2): `Basic` (any case), one or more
 * spaces, then strict base64 (RFC 4648 §4) of `user-id ":" password`.
 *
 * - Base64 is strict: only `A–Z a–z 0–9 + /`, `=` padding that is present
 *   and correct, no whitespace inside, no base64url `-` or `_`, no stray
 *   bits. **Unpadded input is refused**: RFC 7617 refers to RFC 4648 §4,
 *   whose encoding is padded, and every mainstream client pads.
 * - The octets decode as UTF-8; octets that are not valid UTF-8 decode as
 *   ISO-8859-1 (Python's requests sends Latin-1), unless `latin1Fallback` is
 *   `false`. Never U+FFFD: substitution would make distinct passwords equal.
 * - The user-id ends at the first `:`; the password may contain `:` and may be empty.
 *
 * @param value The `Authorization` field value, or credentials already
 *   parsed by {@linkcode parseCredentials}.
 * @param options `maxLength` (8192 by default) and `latin1Fallback` (`true`).
 * @returns The user-id and password.
 * @throws {HTTPAuthError} `wrong-scheme`, `missing-token`, `invalid-base64`,
 *   `invalid-utf8`, `missing-colon`, `decoded-control-character`,
 *   `field-too-large`, `control-character`, `non-latin1-character`,
 *   `expected-scheme`, `unexpected-character`.
 * @throws {TypeError} If `value` is neither a string nor credentials.
 *
 * @example RFC 7617 §2 and §2.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBasicCredentials } from "@httpauth/core";
 *
 * assert.deepEqual(parseBasicCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="), {
 *   username: "Aladdin",
 *   password: "open sesame",
 * });
 * assert.deepEqual(parseBasicCredentials("Basic dGVzdDoxMjPCow=="), { username: "test", password: "123£" });
 * ```
 */
export function parseBasicCredentials(
  value: string | Credentials,
  options?: ParseBasicCredentialsOptions,
): BasicCredentials {
  if (typeof value === "string") {
    const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
    if (Number.isSafeInteger(maxLength) && maxLength >= 1) {
      const fast = parseBasicFast(value, maxLength);
      if (fast !== undefined) return fast;
    }
  }
  const latin1Fallback = options?.latin1Fallback ?? true;
  if (typeof value === "object" && value !== null) {
    if (typeof value.scheme !== "string" || value.scheme.toLowerCase() !== "basic") {
      throw new HTTPAuthError("wrong-scheme", "Cannot parse Basic credentials: the credentials use another scheme");
    }
    if (value.token68 === undefined) {
      const hasParams = Object.keys(value.params ?? {}).length > 0;
      throw new HTTPAuthError(
        hasParams ? "invalid-base64" : "missing-token",
        hasParams
          ? "Cannot parse Basic credentials: expected a base64 token, found parameters"
          : "Cannot parse Basic credentials: add the base64 token after the scheme",
      );
    }
    const bytes = decodeBase64(value.token68);
    if (!(bytes instanceof Uint8Array)) {
      throw new HTTPAuthError(
        "invalid-base64",
        `Cannot parse Basic credentials: the token is not strict base64 (${bytes.reason} at index ${bytes.index} of the token)`,
      );
    }
    return decodeUserPass(bytes, latin1Fallback, -1);
  }
  const found: SchemeToken = scanSchemeToken(value, options, "Basic");
  const { start, end } = found;
  const bytes: Uint8Array | DecodeBase64Failure = decodeBase64(found.scanner.value.slice(start, end));
  if (!(bytes instanceof Uint8Array)) {
    found.scanner.fail(
      "invalid-base64",
      `strict base64 (A–Z a–z 0–9 + / with = padding; ${bytes.reason})`,
      start + bytes.index,
    );
  }
  return decodeUserPass(bytes, latin1Fallback, start);
}

/**
 * Serializes Basic credentials (RFC 7617 §2): `Basic ` and the base64 of the
 * UTF-8 octets of `user-id ":" password` (RFC 7617 §2.1).
 *
 * @param credentials The user-id and password.
 * @returns The `Authorization` field value.
 * @throws {TypeError} If the user-id contains `:`, either contains a control
 *   character or a lone surrogate, or either is not a string. The message
 *   never contains them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { serializeBasicCredentials } from "@httpauth/core";
 *
 * assert.equal(serializeBasicCredentials({ username: "Aladdin", password: "open sesame" }), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
 * assert.throws(() => serializeBasicCredentials({ username: "a:b", password: "x" }), TypeError);
 * ```
 */
export function serializeBasicCredentials(credentials: BasicCredentials): string {
  if (typeof credentials !== "object" || credentials === null) {
    throw new TypeError("Cannot serialize Basic credentials: pass { username, password }");
  }
  const { username, password } = credentials;
  if (typeof username !== "string" || typeof password !== "string") {
    throw new TypeError("Cannot serialize Basic credentials: username and password must be strings");
  }
  if (username.includes(":")) {
    throw new TypeError("Cannot serialize Basic credentials: the username cannot contain ':' (RFC 7617 §2)");
  }
  for (const [label, text] of [
    ["username", username],
    ["password", password],
  ] as const) {
    const at = findControl(text);
    if (at !== -1) {
      throw new TypeError(
        `Cannot serialize Basic credentials: the ${label} has a control character at index ${at} (RFC 7617 §2)`,
      );
    }
    if (!isWellFormedUTF16(text)) {
      throw new TypeError(
        `Cannot serialize Basic credentials: the ${label} has a lone surrogate, which UTF-8 cannot encode`,
      );
    }
  }
  return `Basic ${encodeBase64(encodeUTF8(`${username}:${password}`))}`;
}
