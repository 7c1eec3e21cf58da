/**
 * Named code points and character classes of RFC 9110 §5.6 and §11.
 * One 256-entry table answers every class question with a single lookup.
 *
 * @module
 */

export const HTAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SP = 0x20;
export const DQUOTE = 0x22;
export const COMMA = 0x2c;
export const EQUALS = 0x3d;
export const BSLASH = 0x5c;
export const DEL = 0x7f;

/** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
export const TCHAR = 1;
/** ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" — the body of token68 (RFC 9110 §11.2) */
export const TOKEN68 = 2;
/** qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text */
export const QDTEXT = 4;
/** the octet after "\" in quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
export const QUOTABLE = 8;
/** OWS / BWS = *( SP / HTAB ) */
export const WS = 16;

function buildTable(): Uint8Array {
  const table = new Uint8Array(256);
  const tcharSymbols = "!#$%&'*+-.^_`|~";
  for (let code = 0; code < 256; code++) {
    const isAlpha = (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    const isDigit = code >= 0x30 && code <= 0x39;
    let flags = 0;
    if (isAlpha || isDigit || tcharSymbols.includes(String.fromCharCode(code))) flags |= TCHAR;
    if (isAlpha || isDigit || "-._~+/".includes(String.fromCharCode(code))) flags |= TOKEN68;
    const isVisible = code >= 0x21 && code <= 0x7e;
    const isObsText = code >= 0x80;
    if (code === HTAB || code === SP || isObsText || (isVisible && code !== DQUOTE && code !== BSLASH)) {
      flags |= QDTEXT;
    }
    if (code === HTAB || code === SP || isVisible || isObsText) flags |= QUOTABLE;
    if (code === SP || code === HTAB) flags |= WS;
    table[code] = flags;
  }
  return table;
}

/** Class flags for every Latin-1 code point; code points above 0xFF belong to no class. */
export const CLASSES: Uint8Array = buildTable();

/**
 * Whether `code` is a control character that no field value may carry
 * outside the one place HTAB is allowed: %x00-08, %x0A-1F and DEL.
 */
export function isForbiddenControl(code: number): boolean {
  return (code < 0x20 && code !== HTAB) || code === DEL;
}

/**
 * Whether `code` is a control character httpauth never writes into a field:
 * the C0 controls but HTAB, DEL, and the C1 controls U+0080–U+009F (RFC 5198
 * §2 excludes them from text). On the receiving side C1 octets are obs-text,
 * legal in a quoted-string (RFC 9110 §5.6.4), and {@linkcode isForbiddenControl}
 * applies instead.
 */
export function isUnsendableControl(code: number): boolean {
  return (code < 0x20 && code !== HTAB) || (code >= DEL && code <= 0x9f);
}
