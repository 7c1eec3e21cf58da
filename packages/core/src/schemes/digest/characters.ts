/**
 * Small character checks shared by the Digest modules: hex digits, RFC 8187
 * attr-chars, and the characters a header field cannot carry.
 *
 * @module
 */

import { DEL, HTAB, isUnsendableControl, SP } from "../../grammar/chars.ts";

/** U+2028 LINE SEPARATOR. */
const LINE_SEPARATOR = 0x2028;
/** U+2029 PARAGRAPH SEPARATOR. */
const PARAGRAPH_SEPARATOR = 0x2029;

/** "%", which starts a pct-encoded octet (RFC 8187 §3.2.1). */
export const PERCENT = 0x25;
/** "-", which joins language subtags (RFC 5646 §2.1) and may appear in a URI scheme. */
export const HYPHEN = 0x2d;

/** The value of a hex digit (either case), or -1. */
export function hexDigitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Whether `text` is exactly `length` hex digits, either case. */
export function isHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let index = 0; index < length; index++) {
    if (hexDigitValue(text.charCodeAt(index)) < 0) return false;
  }
  return true;
}

/** ALPHA = %x41-5A / %x61-7A   (RFC 5234 Appendix B.1) */
export function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** DIGIT = %x30-39   (RFC 5234 Appendix B.1) */
export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

const ATTR_SYMBOLS = "!#$&+-.^_`|~";

/** attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"   (RFC 8187 §3.2.1) */
export function isAttrChar(code: number): boolean {
  return isAlpha(code) || isDigit(code) || (code < 0x80 && ATTR_SYMBOLS.includes(String.fromCharCode(code)));
}

/** Whether `text` has a character no field carries: a control other than HTAB, DEL, or above U+00FF. */
export function hasNonFieldCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < SP && code !== HTAB) || code === DEL || code > 0xff) return true;
  }
  return false;
}

/**
 * Whether `text` has a character httpauth never sends: a control other than
 * HTAB (C0, DEL, C1 U+0080–U+009F), or a character above U+00FF.
 */
export function hasUnsendableCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0xff || isUnsendableControl(code)) return true;
  }
  return false;
}

/**
 * Whether a user name has a character no user name may have, as for Basic:
 * a C0 control, DEL or a C1 control (RFC 7617 §2, RFC 5198 §2), or the line
 * and paragraph separators U+2028 and U+2029, which split a line in logs and
 * in JavaScript source as LF does.
 */
export function hasForbiddenUserNameCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < SP || (code >= DEL && code <= 0x9f) || code === LINE_SEPARATOR || code === PARAGRAPH_SEPARATOR) {
      return true;
    }
  }
  return false;
}

/** Whether `text` is printable ASCII (SP to "~"), which a quoted-string carries unambiguously. */
export function isPrintableASCII(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < SP || code >= DEL) return false;
  }
  return true;
}
