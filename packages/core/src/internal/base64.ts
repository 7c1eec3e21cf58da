/**
 * Strict base64 (RFC 4648 §4), for the Basic scheme's `user-pass` (RFC 7617
 * §2). The decoder accepts exactly one spelling of every byte string: the
 * standard alphabet, `=` padding only at the end, no whitespace, no base64url
 * characters, and zero bits where the last symbol carries fewer than six bits
 * of data. It returns a failure object instead of throwing, so the caller can
 * raise its own error with its own index offset.
 *
 * Both directions run in linear time with one 256-entry lookup table.
 *
 * @module
 */

import { decodeLatin1 } from "./utf8.ts";

/** Why a string is not strict base64. */
export type DecodeBase64FailureReason = "invalid-character" | "invalid-padding" | "invalid-length" | "non-canonical";

/** What {@linkcode decodeBase64} returns for input it refuses. */
export interface DecodeBase64Failure {
  /**
   * - `invalid-character`: a character outside A–Z a–z 0–9 + / =, such as
   *   whitespace or base64url's `-` and `_`; `index` is that character.
   * - `invalid-padding`: `=` followed by data (`index`: the first `=`); more
   *   `=` than the data length calls for (`index`: the first extra `=`);
   *   padding missing or short (`index`: the end of the input).
   * - `invalid-length`: the data symbols leave one over after the last group
   *   of four, which cannot encode a byte; `index` is that symbol.
   * - `non-canonical`: the last data symbol has non-zero bits past the data
   *   (RFC 4648 §3.5); `index` is that symbol.
   */
  reason: DecodeBase64FailureReason;
  /** The position, in UTF-16 code units, at which the input went wrong. */
  index: number;
}

/** Options of {@linkcode decodeBase64}. */
export interface DecodeBase64Options {
  /**
   * Accept input whose trailing `=` are left out (RFC 4648 §3.2 allows this
   * only where the referring specification says so). Defaults to `false`.
   * Present but incomplete padding is refused either way.
   */
  allowUnpadded?: boolean;
}

/** The base64 alphabet of RFC 4648 §4, Table 1, in value order. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/** The pad character "=", code 0x3D. */
export const PAD_CODE = 0x3d;
/** Table value of "=". Every data symbol is below it. */
export const PAD = 64;
/** Table value of a character that may not appear at all. */
const INVALID = 128;

/** Character code → 0–63 for alphabet symbols, PAD for "=", INVALID otherwise. */
let decodeTable: Uint8Array | undefined;
/** Symbol value → character code of the symbol. */
let encodeTable: Uint8Array | undefined;

/**
 * Builds the 256-entry decoding table.
 *
 * @returns the table indexed by character code
 */
function buildDecodeTable(): Uint8Array {
  const table = new Uint8Array(256).fill(INVALID);
  for (let value = 0; value < 64; value++) {
    table[ALPHABET.charCodeAt(value)] = value;
  }
  table[PAD_CODE] = PAD;
  return table;
}

/**
 * The decoding table, built on first use and shared: character code → 0–63
 * for alphabet symbols, {@linkcode PAD} for "=", 128 for anything else. For
 * a decoder of its own that must not call back here (Basic's fast path).
 *
 * @returns the table indexed by character code; callers only read it
 */
export function base64DecodeTable(): Uint8Array {
  decodeTable ??= buildDecodeTable();
  return decodeTable;
}

/**
 * Builds the 64-entry encoding table.
 *
 * @returns character codes indexed by symbol value
 */
function buildEncodeTable(): Uint8Array {
  const table = new Uint8Array(64);
  for (let value = 0; value < 64; value++) {
    table[value] = ALPHABET.charCodeAt(value);
  }
  return table;
}

/**
 * Looks up one character: 0–63, PAD or INVALID.
 *
 * @param table the decoding table
 * @param code a UTF-16 code unit
 * @returns its table value; INVALID above U+00FF
 */
function symbolValue(table: Uint8Array, code: number): number {
  return code < 256 ? table[code]! : INVALID;
}

/**
 * Explains why the data region `text[from..end)` failed: the first character
 * outside the alphabet anywhere in the input wins, otherwise the first "=".
 *
 * @param table the decoding table
 * @param text the whole input
 * @param from where the failing group starts
 * @param end where the data region ends (the trailing "=" run starts)
 * @returns the failure
 */
function explainDataFailure(table: Uint8Array, text: string, from: number, end: number): DecodeBase64Failure {
  let firstPad = -1;
  for (let index = from; index < end; index++) {
    const value = symbolValue(table, text.charCodeAt(index));
    if (value === INVALID) return { reason: "invalid-character", index };
    if (value === PAD && firstPad < 0) firstPad = index;
  }
  return { reason: "invalid-padding", index: firstPad };
}

/**
 * Decodes strict base64 (RFC 4648 §4). Refuses, rather than skips or repairs:
 * characters outside the alphabet (§3.3), `=` anywhere but the end or in the
 * wrong number (§3.2, §4), unpadded input unless `allowUnpadded` is set, a
 * lone symbol after the last group of four, and non-zero pad bits (§3.5).
 * When several faults are present, a character outside the alphabet is
 * reported first, then the first fault from the left.
 *
 * ```abnf
 * base64  = *group [ 2symbol "==" / 3symbol "=" ]   ; RFC 4648 §4
 * group   = 4symbol
 * symbol  = ALPHA / DIGIT / "+" / "/"
 * ; the symbol before "==" has value 0 mod 16, the one before "=" 0 mod 4 (§3.5)
 * ```
 *
 * @example Decode a value, and see a failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64 } from "./base64.ts";
 *
 * assert.deepEqual(decodeBase64("Zm9v"), new TextEncoder().encode("foo"));
 * assert.deepEqual(decodeBase64("Zm9v YmFy"), { reason: "invalid-character", index: 4 });
 * ```
 *
 * @param text the base64 text
 * @param options `allowUnpadded`
 * @returns the bytes, or a {@linkcode DecodeBase64Failure} naming the reason and index
 */
export function decodeBase64(text: string, options: DecodeBase64Options = {}): Uint8Array | DecodeBase64Failure {
  decodeTable ??= buildDecodeTable();
  const table = decodeTable;
  const length = text.length;

  // The trailing run of "=" is the padding; everything before it is data.
  let dataEnd = length;
  while (dataEnd > 0 && text.charCodeAt(dataEnd - 1) === PAD_CODE) dataEnd--;
  const padCount = length - dataEnd;
  const leftover = dataEnd % 4;
  const groupsEnd = dataEnd - leftover;

  const output = new Uint8Array((groupsEnd / 4) * 3 + (leftover === 0 ? 0 : leftover - 1));
  let written = 0;
  for (let index = 0; index < groupsEnd; index += 4) {
    const first = symbolValue(table, text.charCodeAt(index));
    const second = symbolValue(table, text.charCodeAt(index + 1));
    const third = symbolValue(table, text.charCodeAt(index + 2));
    const fourth = symbolValue(table, text.charCodeAt(index + 3));
    // Any PAD or INVALID sets a bit above the six data bits.
    if ((first | second | third | fourth) >= PAD) return explainDataFailure(table, text, index, dataEnd);
    const bits = (first << 18) | (second << 12) | (third << 6) | fourth;
    output[written++] = bits >>> 16;
    output[written++] = (bits >>> 8) & 0xff;
    output[written++] = bits & 0xff;
  }

  // The last, incomplete group: zero to three symbols.
  let bits = 0;
  for (let index = groupsEnd; index < dataEnd; index++) {
    const value = symbolValue(table, text.charCodeAt(index));
    if (value >= PAD) return explainDataFailure(table, text, index, dataEnd);
    bits = (bits << 6) | value;
  }

  if (leftover === 1) return { reason: "invalid-length", index: dataEnd - 1 };
  // Padding completes the last group to four characters: two "=" after two symbols, one after three.
  const expectedPad = leftover === 0 ? 0 : 4 - leftover;
  if (padCount > expectedPad) return { reason: "invalid-padding", index: dataEnd + expectedPad };
  if (padCount < expectedPad && (padCount > 0 || options.allowUnpadded !== true)) {
    return { reason: "invalid-padding", index: length };
  }

  if (leftover === 2) {
    // 12 bits: one byte and 4 bits that must be zero.
    if ((bits & 0x0f) !== 0) return { reason: "non-canonical", index: dataEnd - 1 };
    output[written] = bits >>> 4;
  } else if (leftover === 3) {
    // 18 bits: two bytes and 2 bits that must be zero.
    if ((bits & 0x03) !== 0) return { reason: "non-canonical", index: dataEnd - 1 };
    output[written] = bits >>> 10;
    output[written + 1] = (bits >>> 2) & 0xff;
  }
  return output;
}

/**
 * Decodes strict, padded base64 (RFC 4648 §4) from `text[start, end)` into
 * `output`, without allocating: the fast path of the Basic scheme. It accepts
 * exactly the input {@linkcode decodeBase64} accepts without `allowUnpadded`
 * and writes the same octets; for anything else it returns -1 and says
 * nothing more (the caller then runs {@linkcode decodeBase64} for the reason).
 *
 * @example Decode in place
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBase64Into } from "./base64.ts";
 *
 * const output = new Uint8Array(8);
 * assert.equal(decodeBase64Into("x Zm9vYg== x", 2, 10, output), 4);
 * assert.deepEqual(output.subarray(0, 4), new TextEncoder().encode("foob"));
 * assert.equal(decodeBase64Into("Zm9vYg", 0, 6, output), -1);
 * ```
 *
 * @param text the string holding the base64
 * @param start index of its first character
 * @param end index after its last character
 * @param output where the octets go; must hold `(end - start) / 4 * 3` of them
 * @returns the number of octets written, or -1
 */
export function decodeBase64Into(text: string, start: number, end: number, output: Uint8Array): number {
  decodeTable ??= buildDecodeTable();
  const table = decodeTable;
  const size = end - start;
  if (size === 0) return 0;
  if ((size & 3) !== 0) return -1;
  // Padding: "=" as the last character, or the last two.
  const padding = text.charCodeAt(end - 1) !== PAD_CODE ? 0 : text.charCodeAt(end - 2) === PAD_CODE ? 2 : 1;
  const lastGroup = end - 4;
  let written = 0;
  for (let index = start; index < lastGroup; index += 4) {
    const code0 = text.charCodeAt(index);
    const code1 = text.charCodeAt(index + 1);
    const code2 = text.charCodeAt(index + 2);
    const code3 = text.charCodeAt(index + 3);
    const first = table[code0 & 0xff]!;
    const second = table[code1 & 0xff]!;
    const third = table[code2 & 0xff]!;
    const fourth = table[code3 & 0xff]!;
    // One test for the group: a PAD or INVALID value (64 and up), or a code unit above 0xFF.
    if ((first | second | third | fourth) >= PAD || (code0 | code1 | code2 | code3) > 0xff) return -1;
    const bits = (first << 18) | (second << 12) | (third << 6) | fourth;
    output[written++] = bits >>> 16;
    output[written++] = (bits >>> 8) & 0xff;
    output[written++] = bits & 0xff;
  }
  const first = symbolValue(table, text.charCodeAt(lastGroup));
  const second = symbolValue(table, text.charCodeAt(lastGroup + 1));
  if ((first | second) >= PAD) return -1;
  if (padding === 2) {
    // 12 bits: one octet and 4 bits that must be zero (RFC 4648 §3.5).
    if ((second & 0x0f) !== 0) return -1;
    output[written++] = (first << 2) | (second >>> 4);
    return written;
  }
  const third = symbolValue(table, text.charCodeAt(lastGroup + 2));
  if (third >= PAD) return -1;
  if (padding === 1) {
    // 18 bits: two octets and 2 bits that must be zero.
    if ((third & 0x03) !== 0) return -1;
    const bits = (first << 12) | (second << 6) | third;
    output[written++] = bits >>> 10;
    output[written++] = (bits >>> 2) & 0xff;
    return written;
  }
  const fourth = symbolValue(table, text.charCodeAt(lastGroup + 3));
  if (fourth >= PAD) return -1;
  const bits = (first << 18) | (second << 12) | (third << 6) | fourth;
  output[written++] = bits >>> 16;
  output[written++] = (bits >>> 8) & 0xff;
  output[written++] = bits & 0xff;
  return written;
}

/**
 * Encodes bytes as base64 with the standard alphabet and `=` padding
 * (RFC 4648 §4), no line breaks: the form RFC 7617 §2 sends.
 *
 * @example Encode Basic credentials
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeBase64 } from "./base64.ts";
 *
 * assert.equal(encodeBase64(new TextEncoder().encode("Aladdin:open sesame")), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
 * ```
 *
 * @param bytes the bytes to encode
 * @returns `4 × ceil(bytes.length / 3)` characters
 */
export function encodeBase64(bytes: Uint8Array): string {
  encodeTable ??= buildEncodeTable();
  const table = encodeTable;
  const length = bytes.length;
  const leftover = length % 3;
  const groupsEnd = length - leftover;
  const output = new Uint8Array(Math.ceil(length / 3) * 4);
  let written = 0;
  for (let index = 0; index < groupsEnd; index += 3) {
    const bits = (bytes[index]! << 16) | (bytes[index + 1]! << 8) | bytes[index + 2]!;
    output[written++] = table[bits >>> 18]!;
    output[written++] = table[(bits >>> 12) & 0x3f]!;
    output[written++] = table[(bits >>> 6) & 0x3f]!;
    output[written++] = table[bits & 0x3f]!;
  }
  if (leftover === 1) {
    // §4 case (2): 8 bits → two symbols and "==".
    const bits = bytes[groupsEnd]!;
    output[written++] = table[bits >>> 2]!;
    output[written++] = table[(bits << 4) & 0x3f]!;
    output[written++] = PAD_CODE;
    output[written] = PAD_CODE;
  } else if (leftover === 2) {
    // §4 case (3): 16 bits → three symbols and "=".
    const bits = (bytes[groupsEnd]! << 8) | bytes[groupsEnd + 1]!;
    output[written++] = table[bits >>> 10]!;
    output[written++] = table[(bits >>> 4) & 0x3f]!;
    output[written++] = table[(bits << 2) & 0x3f]!;
    output[written] = PAD_CODE;
  }
  return decodeLatin1(output);
}
