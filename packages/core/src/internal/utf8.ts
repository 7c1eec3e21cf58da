/**
 * Text encodings for credentials: strict UTF-8 (RFC 3629) both ways, and
 * ISO-8859-1 decoding for the Basic scheme's legacy fallback (RFC 7617 §2.1
 * leaves the default charset unspecified; most clients send ISO-8859-1 or UTF-8).
 *
 * ISO-8859-1 is decoded by hand: WHATWG `TextDecoder("iso-8859-1")` is really
 * windows-1252, which maps 0x80–0x9F to other characters.
 *
 * @module
 */

/** Size of the slices handed to `String.fromCharCode`, well below any engine's argument limit. */
const CHUNK_LENGTH = 8192;

const HIGH_SURROGATE_FIRST = 0xd800;
const HIGH_SURROGATE_LAST = 0xdbff;
const LOW_SURROGATE_FIRST = 0xdc00;
const LOW_SURROGATE_LAST = 0xdfff;

/** Created on first use, so that importing this module has no side effects. */
let strictDecoder: TextDecoder | undefined;
let encoder: TextEncoder | undefined;

/**
 * Decodes UTF-8 (RFC 3629 §4), refusing anything that is not well-formed:
 * overlong forms, lone or missing continuation bytes, encoded surrogates
 * (U+D800–U+DFFF) and code points above U+10FFFF. Invalid input is never
 * repaired with U+FFFD. A leading byte order mark is kept as U+FEFF.
 *
 * @example Tell UTF-8 from something else
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUTF8Strict } from "./utf8.ts";
 *
 * assert.equal(decodeUTF8Strict(Uint8Array.of(0xe2, 0x82, 0xac)), "€");
 * assert.equal(decodeUTF8Strict(Uint8Array.of(0xc0, 0x80)), undefined);
 * ```
 *
 * @param bytes the bytes to decode
 * @returns the text, or `undefined` when `bytes` is not valid UTF-8
 */
export function decodeUTF8Strict(bytes: Uint8Array): string | undefined {
  strictDecoder ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The most octets {@linkcode decodeUTF8Short} (and the Basic fast path) take: one `String.fromCharCode` argument per code unit. */
export const SHORT_DECODE_LIMIT = 1024;

/**
 * Decodes `length` octets as strict UTF-8 (RFC 3629 §4; the well-formed
 * sequences of Unicode Table 3-7), for at most {@linkcode SHORT_DECODE_LIMIT}
 * octets, in plain JavaScript: for short credentials this is faster than a
 * call into the runtime's `TextDecoder` on some runtimes (Deno). It accepts
 * exactly what {@linkcode decodeUTF8Strict} accepts and returns the same
 * text; `undefined` when the octets are not well-formed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeUTF8Short } from "./utf8.ts";
 *
 * assert.equal(decodeUTF8Short(Uint8Array.of(0xe2, 0x82, 0xac, 0x21), 4), "€!");
 * assert.equal(decodeUTF8Short(Uint8Array.of(0xc0, 0x80), 2), undefined);
 * ```
 *
 * @param octets the octets, from index 0
 * @param length how many to decode
 * @returns the text, or `undefined` when the octets are not UTF-8
 */
export function decodeUTF8Short(octets: Uint8Array, length: number): string | undefined {
  // The number of code units, so that the array is made at its final length:
  // one per octet that is not a continuation octet, two for a 4-octet sequence.
  let size = 0;
  for (let index = 0; index < length; index++) {
    const octet = octets[index]!;
    if (octet < 0x80 || octet >= 0xc0) size += octet >= 0xf0 ? 2 : 1;
  }
  const units = new Array<number>(size);
  let count = 0;
  let index = 0;
  while (index < length) {
    const lead = octets[index]!;
    if (lead < 0x80) {
      units[count++] = lead;
      index++;
      continue;
    }
    // The lead octet gives the length and the range of the first continuation octet.
    let trailing: number;
    let codePoint: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      trailing = 1;
      codePoint = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      trailing = 2;
      codePoint = lead & 0x0f;
      if (lead === 0xe0)
        low = 0xa0; // no overlong forms
      else if (lead === 0xed) high = 0x9f; // no surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      trailing = 3;
      codePoint = lead & 0x07;
      if (lead === 0xf0)
        low = 0x90; // no overlong forms
      else if (lead === 0xf4) high = 0x8f; // nothing above U+10FFFF
    } else {
      return undefined;
    }
    if (index + trailing >= length) return undefined;
    const second = octets[index + 1]!;
    if (second < low || second > high) return undefined;
    codePoint = (codePoint << 6) | (second & 0x3f);
    for (let offset = 2; offset <= trailing; offset++) {
      const next = octets[index + offset]!;
      if (next < 0x80 || next > 0xbf) return undefined;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    index += trailing + 1;
    if (codePoint >= 0x10000) {
      codePoint -= 0x10000;
      units[count++] = HIGH_SURROGATE_FIRST + (codePoint >>> 10);
      units[count++] = LOW_SURROGATE_FIRST + (codePoint & 0x3ff);
    } else {
      units[count++] = codePoint;
    }
  }
  return String.fromCharCode.apply(null, units);
}

/**
 * Decodes ISO-8859-1: each byte becomes the code point of the same value,
 * U+0000–U+00FF. Every byte sequence is valid. Works in slices, so large
 * inputs do not exceed the engine's argument-count limit.
 *
 * @example Decode "café" sent as ISO-8859-1
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeLatin1 } from "./utf8.ts";
 *
 * assert.equal(decodeLatin1(Uint8Array.of(0x63, 0x61, 0x66, 0xe9)), "café");
 * ```
 *
 * @param bytes the bytes to decode
 * @returns a string with one UTF-16 code unit per byte
 */
export function decodeLatin1(bytes: Uint8Array): string {
  let text = "";
  for (let start = 0; start < bytes.length; start += CHUNK_LENGTH) {
    text += String.fromCharCode(...bytes.subarray(start, start + CHUNK_LENGTH));
  }
  return text;
}

/**
 * Encodes text as UTF-8 (RFC 3629 §3). A lone surrogate cannot be encoded and
 * becomes U+FFFD (EF BF BD); callers that must not alter input check
 * {@linkcode isWellFormedUTF16} first.
 *
 * @example Encode the euro sign
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeUTF8 } from "./utf8.ts";
 *
 * assert.deepEqual(encodeUTF8("€"), Uint8Array.of(0xe2, 0x82, 0xac));
 * ```
 *
 * @param text the text to encode
 * @returns its UTF-8 bytes
 */
export function encodeUTF8(text: string): Uint8Array {
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}

/**
 * Tells whether a string is well-formed UTF-16 (Unicode §3.9, D91): every
 * high surrogate (U+D800–U+DBFF) is immediately followed by a low surrogate
 * (U+DC00–U+DFFF), and no low surrogate stands alone. Only such strings
 * survive a UTF-8 round trip unchanged. Written by hand because
 * `String.prototype.isWellFormed` is ES2024.
 *
 * @example Find a lone surrogate
 * ```ts
 * import assert from "node:assert/strict";
 * import { isWellFormedUTF16 } from "./utf8.ts";
 *
 * assert.equal(isWellFormedUTF16("😀"), true);
 * assert.equal(isWellFormedUTF16("\uD83D"), false);
 * ```
 *
 * @param text the string to check
 * @returns `true` when `text` has no unpaired surrogate
 */
export function isWellFormedUTF16(text: string): boolean {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < HIGH_SURROGATE_FIRST || code > LOW_SURROGATE_LAST) continue;
    if (code > HIGH_SURROGATE_LAST) return false;
    const next = index + 1 < length ? text.charCodeAt(index + 1) : 0;
    if (next < LOW_SURROGATE_FIRST || next > LOW_SURROGATE_LAST) return false;
    index++;
  }
  return true;
}
