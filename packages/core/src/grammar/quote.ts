/**
 * The strict side of the grammar: what httpauth writes. Every value is
 * checked before it is written, so that no header built here can carry CR,
 * LF, NUL or another control character (C0 but HTAB, DEL, C1), nor a
 * character above U+00FF.
 *
 * @module
 */

import { BSLASH, CLASSES, DQUOTE, EQUALS, isUnsendableControl, QDTEXT, TCHAR, TOKEN68 } from "./chars.ts";

/** Whether `value` is a `token` (RFC 9110 §5.6.2): one or more tchar. */
export function isToken(value: string): boolean {
  const length = value.length;
  if (length === 0) return false;
  for (let index = 0; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (CLASSES[code]! & TCHAR) === 0) return false;
  }
  return true;
}

// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
/** Whether `value` is a `token68` (RFC 9110 §11.2). */
export function isToken68(value: string): boolean {
  const length = value.length;
  let index = 0;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (CLASSES[code]! & TOKEN68) === 0) break;
    index++;
  }
  if (index === 0) return false;
  while (index < length && value.charCodeAt(index) === EQUALS) index++;
  return index === length;
}

function describe(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * Throws a `TypeError` if `value` holds a character httpauth never writes:
 * a control character other than HTAB (C0, DEL, and the C1 controls
 * U+0080–U+009F), or one above U+00FF. `context` and
 * `label` name the field and the value in the message (never the value itself).
 */
export function assertFieldText(value: string, context: string, label: string): void {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff) {
      throw new TypeError(
        `Cannot serialize ${context}: ${label} has a character above U+00FF at index ${index}; HTTP fields carry only octets (encode it first)`,
      );
    }
    if (isUnsendableControl(code)) {
      throw new TypeError(
        `Cannot serialize ${context}: ${label} has the control character ${describe(code)} at index ${index}; remove CR, LF, NUL and other controls`,
      );
    }
  }
}

/**
 * quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
 *
 * Quotes `value`, escaping `"` and `\` with a backslash. HTAB, SP, visible
 * ASCII and U+00A0–U+00FF (obs-text) pass as they are; anything else throws,
 * the C1 controls U+0080–U+009F included (obs-text on the wire, but control
 * characters httpauth never sends).
 * `label` names the value in the message; pass `describeLabel` to have it
 * built from `label` only when a message is.
 */
export function quoteString(
  value: string,
  context: string,
  label: string,
  describeLabel?: (label: string) => string,
): string {
  const length = value.length;
  let index = 0;
  // Most values need no escape: find the first character that is not qdtext.
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (CLASSES[code]! & QDTEXT) === 0 || (code >= 0x80 && code <= 0x9f)) break;
    index++;
  }
  if (index === length) return `"${value}"`;
  let result = '"';
  let chunkStart = 0;
  for (; index < length; index++) {
    const code = value.charCodeAt(index);
    if (code === DQUOTE || code === BSLASH) {
      result += `${value.slice(chunkStart, index)}\\`;
      chunkStart = index;
    } else if (code > 0xff || isUnsendableControl(code)) {
      assertFieldText(value, context, describeLabel === undefined ? label : describeLabel(label));
    }
  }
  return `${result + value.slice(chunkStart)}"`;
}

/** Throws unless `value` is a token; `context` and `label` name it in the message. */
export function assertToken(value: unknown, context: string, label: string): asserts value is string {
  if (typeof value !== "string") {
    throw new TypeError(`Cannot serialize ${context}: ${label} must be a string, not ${typeof value}`);
  }
  if (!isToken(value)) {
    assertFieldText(value, context, label);
    throw new TypeError(
      `Cannot serialize ${context}: ${label} must be a token (letters, digits and !#$%&'*+-.^_\`|~), and it is ${value === "" ? "empty" : "not"}`,
    );
  }
}
