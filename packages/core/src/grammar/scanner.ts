/**
 * The one scanner behind every HTTP authentication field (RFC 9110 §11):
 * an index cursor over the field value, char codes compared against the
 * class table, no regular expressions.
 *
 * @module
 */

import type { HTTPAuthErrorCode } from "../errors.ts";
import { HTTPAuthError } from "../errors.ts";
import {
  BSLASH,
  CLASSES,
  COMMA,
  DQUOTE,
  EQUALS,
  HTAB,
  isForbiddenControl,
  QDTEXT,
  QUOTABLE,
  SP,
  TCHAR,
  TOKEN68,
  WS,
} from "./chars.ts";
import { lowerCaseToken, PARAMETER_NAMES, SCHEME_NAMES } from "./names.ts";

/**
 * The size cap every parser applies when the caller gives no `maxLength`:
 * 8192 characters (8 KiB), like common servers' header limits.
 *
 * @example Raise the cap for one trusted peer
 * ```ts
 * import assert from "node:assert/strict";
 * import { DEFAULT_MAX_LENGTH, parseChallenges } from "@httpauth/core";
 *
 * const long = `Newauth a="${"x".repeat(DEFAULT_MAX_LENGTH)}"`;
 * assert.throws(() => parseChallenges(long), { code: "field-too-large" });
 * assert.equal(parseChallenges(long, { maxLength: 2 * DEFAULT_MAX_LENGTH }).length, 1);
 * ```
 */
export const DEFAULT_MAX_LENGTH: number = 8192;

/** Options shared by every `parse*` function. */
export interface ParseOptions {
  /**
   * The longest field value, in UTF-16 code units, that is scanned at all;
   * longer input fails with `field-too-large` before any work is done.
   * Defaults to 8192 (8 KiB).
   */
  maxLength?: number;
}

/** One challenge or credentials element under construction. */
export interface Element {
  scheme: string;
  token68?: string;
  params: Record<string, string>;
  /** Names of the parameters received as quoted-strings; recorded only when the scanner is asked to. */
  quoted?: string[];
}

/** What is being parsed; decides which elements may appear. */
export type ListMode = 0 | 1 | 2;
/** `#challenge`: several elements (WWW-Authenticate, Proxy-Authenticate). */
export const CHALLENGES: ListMode = 0;
/** `credentials`: exactly one element (Authorization, Proxy-Authorization). */
export const CREDENTIALS: ListMode = 1;
/** `#auth-param`: parameters only (Authentication-Info). */
export const PARAMS: ListMode = 2;

const NAMES: readonly string[] = ["challenges", "credentials", "auth-params"];

/**
 * Creates the null-prototype map that holds parameters: `__proto__` is just a name.
 * `Object.create(null)` starts a hash table in V8 (it grows, through the
 * runtime, at the third and fifth entry); `Object.setPrototypeOf({}, null)`
 * gives a fast-mode object but the prototype change itself is a runtime call.
 * Measured (2026-12, Node 20, Deno 2.9, Bun 1.4): the hash table is cheaper
 * up to three parameters on every runtime and on Bun at any count; the
 * prototype change saves about 70 ns at six parameters on V8 only. Parsed
 * challenges mostly carry one to three, so the hash table stays.
 */
export function createParams(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** Describes a code point for an error message without revealing the field value. */
function describeCodePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** A field value and a cursor into it; throws {@linkcode HTTPAuthError} on the first violation. */
export class Scanner {
  readonly value: string;
  readonly length: number;
  readonly mode: ListMode;
  /** Record which parameters were quoted (for lintChallenges); off for ordinary parsing. */
  readonly recordQuoted: boolean;
  index = 0;

  constructor(value: string, mode: ListMode, recordQuoted = false) {
    this.value = value;
    this.length = value.length;
    this.mode = mode;
    this.recordQuoted = recordQuoted;
  }

  /** The char code at the cursor, or -1 at the end. */
  peek(): number {
    return this.index < this.length ? this.value.charCodeAt(this.index) : -1;
  }

  /**
   * Throws for the character at `at`. A control character or a character
   * above U+00FF gets its own code whatever was expected there.
   */
  fail(code: HTTPAuthErrorCode, expected: string, at: number = this.index): never {
    const what = NAMES[this.mode];
    if (at < this.length) {
      const found = this.value.charCodeAt(at);
      if (found > 0xff) {
        throw new HTTPAuthError(
          "non-latin1-character",
          `Cannot parse ${what}: remove the character above U+00FF at index ${at}; HTTP fields carry only octets`,
          { index: at },
        );
      }
      if (isForbiddenControl(found)) {
        throw new HTTPAuthError(
          "control-character",
          `Cannot parse ${what}: remove the control character ${describeCodePoint(found)} at index ${at}; field values cannot carry CR, LF, NUL or other controls`,
          { index: at },
        );
      }
    }
    const where = at < this.length ? `at index ${at}` : `at the end (index ${at})`;
    throw new HTTPAuthError(code, `Cannot parse ${what}: expected ${expected} ${where}`, { index: at });
  }
}

/** Checks the argument and the size cap shared by every parser; returns the value to scan. */
export function prepareValue(value: unknown, options: ParseOptions | undefined, mode: ListMode): string {
  let text: string;
  if (typeof value === "string") {
    text = value;
  } else if (mode === CHALLENGES && Array.isArray(value)) {
    for (const line of value) {
      if (typeof line !== "string") {
        throw new TypeError("Pass field lines as strings: every element of the array must be a string");
      }
    }
    // RFC 9110 §5.3: several field lines form one list, as if joined by commas.
    text = value.join(", ");
  } else {
    throw new TypeError(
      mode === CHALLENGES
        ? "Pass the field value as a string, or the field lines as an array of strings"
        : "Pass the field value as a string",
    );
  }
  const maxLength = options?.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new RangeError("Set maxLength to a positive whole number of characters");
  }
  if (text.length > maxLength) {
    throw new HTTPAuthError(
      "field-too-large",
      `Cannot parse ${NAMES[mode]}: the value is ${text.length} characters, over the limit of ${maxLength}; raise maxLength only for trusted peers`,
      { index: maxLength },
    );
  }
  return text;
}

// OWS = *( SP / HTAB )
function skipWhitespace(scanner: Scanner): void {
  const classes = CLASSES;
  const wsFlag = WS;
  const { value, length } = scanner;
  let index = scanner.index;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (classes[code]! & wsFlag) === 0) break;
    index++;
  }
  scanner.index = index;
}

// token = 1*tchar
/** Where the token at the cursor ends: the cursor itself when there is none. Does not move the cursor. */
function tokenEnd(scanner: Scanner): number {
  const classes = CLASSES;
  const tcharFlag = TCHAR;
  const { value, length } = scanner;
  let index = scanner.index;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (classes[code]! & tcharFlag) === 0) break;
    index++;
  }
  return index;
}

// token = 1*tchar
function readToken(scanner: Scanner): string | undefined {
  const start = scanner.index;
  const end = tokenEnd(scanner);
  if (end === start) return undefined;
  scanner.index = end;
  return scanner.value.slice(start, end);
}

// quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
// quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
function readQuotedString(scanner: Scanner): string {
  const { value, length } = scanner;
  const open = scanner.index;
  let index = open + 1;
  let escaped = false;
  while (index < length) {
    const code = value.charCodeAt(index);
    // qdtext excludes DQUOTE and the backslash: one lookup settles the common character.
    if (code <= 0xff && (CLASSES[code]! & QDTEXT) !== 0) {
      index++;
      continue;
    }
    if (code === DQUOTE) {
      scanner.index = index + 1;
      return escaped ? unescapeQuotedPairs(value, open + 1, index) : value.slice(open + 1, index);
    }
    if (code === BSLASH) {
      escaped = true;
      index++;
      if (index >= length) break;
      const next = value.charCodeAt(index);
      if (next > 0xff || (CLASSES[next]! & QUOTABLE) === 0) {
        scanner.fail("unexpected-character", "a visible character after the backslash", index);
      }
    } else {
      scanner.fail("unexpected-character", "text inside the quoted string", index);
    }
    index++;
  }
  throw new HTTPAuthError(
    "unterminated-quoted-string",
    `Cannot parse ${NAMES[scanner.mode]}: close the quoted string that opens at index ${open}`,
    { index: open },
  );
}

/** Removes the backslash of every quoted-pair in `value[start, end)`, already validated. */
function unescapeQuotedPairs(value: string, start: number, end: number): string {
  // One pass into a code-unit buffer, then whole chunks to strings: no
  // per-escape string allocation, so a value made only of escapes stays linear.
  const units = new Uint16Array(end - start);
  let length = 0;
  for (let index = start; index < end; index++) {
    let code = value.charCodeAt(index);
    if (code === BSLASH) code = value.charCodeAt(++index);
    units[length++] = code;
  }
  let result = "";
  for (let chunk = 0; chunk < length; chunk += 8192) {
    result += String.fromCharCode.apply(
      null,
      units.subarray(chunk, Math.min(chunk + 8192, length)) as unknown as number[],
    );
  }
  return result;
}

/**
 * token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 *
 * Only a token68 when it is the whole element: followed by OWS and then a
 * comma or the end. Returns where it ends, or -1 (then it is an auth-param).
 */
function scanToken68(scanner: Scanner): number {
  const classes = CLASSES;
  const token68Flag = TOKEN68;
  const wsFlag = WS;
  const { value, length } = scanner;
  let index = scanner.index;
  const start = index;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (classes[code]! & token68Flag) === 0) break;
    index++;
  }
  if (index === start) return -1;
  while (index < length && value.charCodeAt(index) === EQUALS) index++;
  const end = index;
  while (index < length) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (classes[code]! & wsFlag) === 0) break;
    index++;
  }
  if (index === length || value.charCodeAt(index) === COMMA) return end;
  return -1;
}

// auth-param = token BWS "=" BWS ( token / quoted-string )
// Called with the name at value[nameIndex, nameEnd) and the cursor on "=".
function readParamValue(scanner: Scanner, element: Element, nameIndex: number, nameEnd: number): void {
  const key = lowerCaseToken(scanner.value, nameIndex, nameEnd, PARAMETER_NAMES);
  scanner.index++; // "="
  skipWhitespace(scanner);
  let value: string | undefined;
  if (scanner.peek() === DQUOTE) {
    value = readQuotedString(scanner);
    if (scanner.recordQuoted) {
      if (element.quoted === undefined) element.quoted = [];
      element.quoted.push(key);
    }
  } else {
    value = readToken(scanner);
    if (value === undefined) scanner.fail("expected-value", "a token or a quoted string after '='");
  }
  if (element.params[key] !== undefined) {
    throw new HTTPAuthError(
      "duplicate-parameter",
      `Cannot parse ${NAMES[scanner.mode]}: remove the repeated parameter at index ${nameIndex}; each name may appear once (RFC 9110 §11.2)`,
      { index: nameIndex },
    );
  }
  element.params[key] = value;
}

/**
 * One auth-param in its common form, read in one pass with a local cursor:
 * a name, BWS "=" BWS, then a token or a quoted-string without quoted-pair,
 * then OWS. Stores it and returns the index after it; returns -1, storing
 * nothing, for anything else (a quoted-pair, a name seen before, anything
 * malformed), which the general path then reads or rejects with its error.
 *
 *   auth-param = token BWS "=" BWS ( token / quoted-string )
 */
function readSimpleParam(value: string, length: number, start: number, params: Record<string, string>): number {
  // Module-level bindings are read from the module's context at every use
  // (V8 before 12 cannot treat them as constants): locals keep them in registers.
  const classes = CLASSES;
  const tchar = TCHAR;
  const qdtext = QDTEXT;
  let index = start;
  let code = 0;
  while (index < length) {
    code = value.charCodeAt(index);
    if (code > 0xff || (classes[code]! & tchar) === 0) break;
    index++;
  }
  const nameEnd = index;
  if (nameEnd === start) return -1;
  index = skipBlanks(value, length, index);
  if (index >= length || value.charCodeAt(index) !== EQUALS) return -1;
  index = skipBlanks(value, length, index + 1);
  if (index >= length) return -1;
  code = value.charCodeAt(index);
  let text: string;
  if (code === DQUOTE) {
    const open = ++index;
    while (index < length) {
      code = value.charCodeAt(index);
      if (code > 0xff || (classes[code]! & qdtext) === 0) break;
      index++;
    }
    if (code !== DQUOTE || index >= length) return -1;
    text = value.slice(open, index++);
  } else {
    const valueStart = index;
    while (index < length) {
      code = value.charCodeAt(index);
      if (code > 0xff || (classes[code]! & tchar) === 0) break;
      index++;
    }
    if (index === valueStart) return -1;
    text = value.slice(valueStart, index);
  }
  const key = lowerCaseToken(value, start, nameEnd, PARAMETER_NAMES);
  if (params[key] !== undefined) return -1;
  params[key] = text;
  return skipBlanks(value, length, index);
}

// OWS = *( SP / HTAB )
/** Where the OWS at `index` ends. */
function skipBlanks(value: string, length: number, index: number): number {
  let at = index;
  while (at < length) {
    const code = value.charCodeAt(at);
    if (code !== SP && code !== HTAB) break;
    at++;
  }
  return at;
}

/**
 * The auth-params of an element in their common form: with `first`, from
 * the cursor on the first one (right after the scheme and its spaces);
 * without, from the cursor after a parameter and its OWS:
 * `*( OWS "," OWS auth-param )`, empty list elements included (RFC 9110
 * §5.6.1). Stops before anything it does not read — a new challenge, a
 * quoted-pair, a repeated name, anything malformed — with the cursor after
 * the last parameter it read, where the general loop of {@linkcode scanList}
 * goes on exactly as if it had read them itself. Returns whether it read any.
 */
function readSimpleParams(scanner: Scanner, element: Element, first: boolean): boolean {
  if (scanner.recordQuoted) return false;
  const { value, length } = scanner;
  const params = element.params;
  let index = scanner.index;
  if (first) {
    index = readSimpleParam(value, length, index, params);
    if (index === -1) return false;
    scanner.index = index;
  }
  while (index < length && value.charCodeAt(index) === COMMA) {
    index++;
    while (index < length) {
      const code = value.charCodeAt(index);
      if (code !== COMMA && code !== SP && code !== HTAB) break;
      index++;
    }
    index = readSimpleParam(value, length, index, params);
    if (index === -1) break;
    scanner.index = index;
  }
  return true;
}

/**
 * What follows an auth-scheme: nothing, or 1*SP and then a token68 or the
 * first auth-param (with the auth-params after it that
 * {@linkcode readSimpleParams} reads). Returns whether the element takes auth-params after a
 * comma: only when SP follows the scheme (`Basic , realm="a"`); with none
 * (`Basic, realm="a"`) the scheme alone is the whole element (RFC 9110 §11.3).
 *
 *   challenge / credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 */
function scanAfterScheme(scanner: Scanner, current: Element, afterName: number): boolean {
  const open = afterName < scanner.length && scanner.value.charCodeAt(afterName) === SP;
  const next = scanner.peek();
  if (next === -1 || next === COMMA) return open;
  if (afterName === scanner.index) {
    scanner.fail("unexpected-character", "a space after the auth-scheme", afterName);
  }
  // 1*SP: the separator after the scheme is spaces only.
  for (let index = afterName; index < scanner.index; index++) {
    if (scanner.value.charCodeAt(index) !== SP) {
      scanner.fail("unexpected-character", "spaces after the auth-scheme", index);
    }
  }
  const token68End = scanToken68(scanner);
  if (token68End !== -1) {
    current.token68 = scanner.value.slice(scanner.index, token68End);
    scanner.index = token68End;
    return false;
  }
  if (readSimpleParams(scanner, current, true)) return true;
  const paramStart = scanner.index;
  const paramEnd = tokenEnd(scanner);
  if (paramEnd === paramStart) scanner.fail("expected-parameter", "a token68 or an auth-param");
  scanner.index = paramEnd;
  skipWhitespace(scanner);
  if (scanner.peek() !== EQUALS) {
    scanner.fail("expected-parameter", "'=' after the parameter name", scanner.index);
  }
  readParamValue(scanner, current, paramStart, paramEnd);
  skipWhitespace(scanner);
  readSimpleParams(scanner, current, false);
  return true;
}

/**
 * The whole list: every element separated by OWS "," OWS, with empty
 * elements allowed (RFC 9110 §5.6.1).
 *
 *   #challenge  where challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   credentials                   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   #auth-param
 *
 * After a comma, `token BWS "="` continues the current element's
 * parameters when it has them (its scheme was followed by SP); any other
 * token starts a new challenge (RFC 9110 §11.6.1 notes that an empty element
 * between two parameters is harmless).
 */
export function scanList(scanner: Scanner, elements: Element[], initial?: Element): void {
  const { mode } = scanner;
  let current: Element | undefined = initial;
  // Whether `current` takes more auth-params: not after a token68, nor after a scheme with no SP.
  let open = initial !== undefined;
  while (true) {
    skipWhitespace(scanner);
    const code = scanner.peek();
    if (code === -1) break;
    if (code === COMMA) {
      if (mode === CREDENTIALS) {
        if (current === undefined) scanner.fail("expected-scheme", "an auth-scheme");
        if (current.token68 !== undefined) scanner.fail("unexpected-character", "the end after the token68");
        if (!open) scanner.fail("unexpected-character", "a space after the auth-scheme, or the end");
      }
      scanner.index++;
      continue;
    }
    const start = scanner.index;
    const afterName = tokenEnd(scanner);
    if (afterName === start) {
      if (current === undefined) scanner.fail("expected-scheme", "an auth-scheme");
      scanner.fail("expected-parameter", mode === CHALLENGES ? "an auth-param or a challenge" : "an auth-param");
    }
    scanner.index = afterName;
    skipWhitespace(scanner);
    if (scanner.peek() === EQUALS) {
      if (current === undefined) scanner.fail("expected-scheme", "an auth-scheme before the first parameter", start);
      if (current.token68 !== undefined) {
        scanner.fail("unexpected-character", "a new challenge; a token68 cannot be followed by parameters", start);
      }
      if (!open) {
        scanner.fail("expected-scheme", "a challenge; parameters follow their auth-scheme after a space", start);
      }
      readParamValue(scanner, current, start, afterName);
      skipWhitespace(scanner);
      readSimpleParams(scanner, current, false);
    } else {
      if (mode !== CHALLENGES && current !== undefined) {
        scanner.fail("expected-parameter", "an auth-param (name=value)", start);
      }
      current = { scheme: lowerCaseToken(scanner.value, start, afterName, SCHEME_NAMES), params: createParams() };
      elements.push(current);
      // Reads the element's auth-params in their common form too.
      open = scanAfterScheme(scanner, current, afterName);
    }
    // After an element: OWS, then a comma or the end.
    skipWhitespace(scanner);
    const after = scanner.peek();
    if (after !== -1 && after !== COMMA) scanner.fail("unexpected-character", "a comma or the end");
  }
  if (mode === CREDENTIALS && current === undefined) {
    scanner.fail("expected-scheme", "an auth-scheme");
  }
}

/** Where the token68 of `scheme 1*SP token68` credentials lies in the field value. */
export interface SchemeToken {
  scanner: Scanner;
  /** Index of the token's first character. */
  start: number;
  /** Index after its last character, trailing OWS excluded. */
  end: number;
}

/**
 * credentials = auth-scheme 1*SP token68 — for the schemes whose credentials
 * are a single token (Basic, Bearer). Checks the scheme and the separator;
 * the caller checks the token's characters, which differ per scheme.
 */
export function scanSchemeToken(value: unknown, options: ParseOptions | undefined, scheme: string): SchemeToken {
  const scanner: Scanner = new Scanner(prepareValue(value, options, CREDENTIALS), CREDENTIALS);
  skipWhitespace(scanner);
  const schemeStart = scanner.index;
  const name = readToken(scanner);
  if (name === undefined) scanner.fail("expected-scheme", "an auth-scheme");
  if (name.toLowerCase() !== scheme.toLowerCase()) {
    throw new HTTPAuthError(
      "wrong-scheme",
      `Cannot parse credentials: expected the ${scheme} scheme at index ${schemeStart}, found another`,
      { index: schemeStart },
    );
  }
  const afterName = scanner.index;
  skipWhitespace(scanner);
  const { value: text, length } = scanner;
  if (scanner.index === length) {
    throw new HTTPAuthError("missing-token", `Cannot parse credentials: add the ${scheme} token after the scheme`, {
      index: length,
    });
  }
  if (scanner.index === afterName) scanner.fail("unexpected-character", "a space after the auth-scheme", afterName);
  for (let index = afterName; index < scanner.index; index++) {
    if (text.charCodeAt(index) !== SP) scanner.fail("unexpected-character", "spaces after the auth-scheme", index);
  }
  let end = length;
  while (end > scanner.index) {
    const code = text.charCodeAt(end - 1);
    if (code > 0xff || (CLASSES[code]! & WS) === 0) break;
    end--;
  }
  return { scanner, start: scanner.index, end };
}
