/**
 * `username*` (RFC 7616 §3.4, RFC 8187): the ext-value that carries a user
 * name that is not printable ASCII, decoded strictly and encoded as UTF-8.
 *
 * @module
 */

import { decodeUTF8Strict, encodeUTF8 } from "../../internal/utf8.ts";
import { HYPHEN, hexDigitValue, isAlpha, isAttrChar, isDigit, PERCENT } from "./characters.ts";
import { invalid } from "./params.ts";

/**
 * Language-Tag (RFC 5646 §2.1), checked for its shape only: subtags of 1–8
 * letters or digits joined by "-", the first 2–8 letters (or the single
 * letter "x" or "i" of a private-use or irregular tag, followed by more).
 */
function isLanguageTag(tag: string): boolean {
  let subtagLength = 0;
  let subtagCount = 0;
  let firstSubtag = "";
  for (let index = 0; index <= tag.length; index++) {
    const code = index < tag.length ? tag.charCodeAt(index) : HYPHEN;
    if (code === HYPHEN) {
      if (subtagLength === 0) return false;
      if (subtagCount === 0) firstSubtag = tag.slice(0, index).toLowerCase();
      subtagCount++;
      subtagLength = 0;
      continue;
    }
    const isLetter = isAlpha(code);
    if (!isLetter && !(isDigit(code) && subtagCount > 0)) return false;
    subtagLength++;
    if (subtagLength > 8) return false;
  }
  if (firstSubtag.length === 1) return (firstSubtag === "x" || firstSubtag === "i") && subtagCount > 1;
  return true;
}

/**
 * ext-value   = charset "'" [ language ] "'" value-chars    (RFC 8187 §3.2.1)
 * value-chars = *( pct-encoded / attr-char )
 * pct-encoded = "%" HEXDIG HEXDIG
 *
 * Only the UTF-8 charset is accepted (case-insensitively): RFC 8187 requires
 * producers to use it. The decoded octets must be strict UTF-8.
 */
export function decodeExtValue(value: string, name: string): string {
  const first = value.indexOf("'");
  const second = first < 0 ? -1 : value.indexOf("'", first + 1);
  if (second < 0) {
    throw invalid(`${name} must be an RFC 8187 ext-value: charset "'" [ language ] "'" value-chars`);
  }
  if (value.slice(0, first).toLowerCase() !== "utf-8") {
    throw invalid(`${name} must use the UTF-8 charset (RFC 8187 §3.2.1)`);
  }
  const language = value.slice(first + 1, second);
  if (language !== "" && !isLanguageTag(language)) {
    throw invalid(`${name} has a language that is not a language tag (RFC 5646 §2.1)`);
  }
  const bytes = new Uint8Array(value.length - second - 1);
  let length = 0;
  for (let index = second + 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === PERCENT) {
      const high = hexDigitValue(index + 1 < value.length ? value.charCodeAt(index + 1) : -1);
      const low = hexDigitValue(index + 2 < value.length ? value.charCodeAt(index + 2) : -1);
      if (high < 0 || low < 0) throw invalid(`${name} has a "%" not followed by two hex digits at index ${index}`);
      bytes[length++] = high * 16 + low;
      index += 2;
    } else if (isAttrChar(code)) {
      bytes[length++] = code;
    } else {
      throw invalid(`${name} has a character at index ${index} that must be percent-encoded`);
    }
  }
  const text = decodeUTF8Strict(bytes.subarray(0, length));
  if (text === undefined) throw invalid(`${name} does not decode as UTF-8`);
  return text;
}

const UPPER_HEX = "0123456789ABCDEF";

/** Encodes `text` as the ext-value `UTF-8''…`, percent-encoding every octet that is not an attr-char. */
export function encodeExtValue(text: string): string {
  const bytes = encodeUTF8(text);
  let result = "UTF-8''";
  for (const byte of bytes) {
    result += isAttrChar(byte) ? String.fromCharCode(byte) : `%${UPPER_HEX[byte >>> 4]}${UPPER_HEX[byte & 0x0f]}`;
  }
  return result;
}
