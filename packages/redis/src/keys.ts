/**
 * Redis key names from the caller's strings, without injection or
 * collision: each part is escaped so that no two different inputs give the
 * same key, separators and Redis Cluster hash tags (`{`, `}`) never come
 * from user input, and a long key is replaced by its SHA-256.
 *
 * @module
 */

/** Encoded parts longer than this are replaced by `#` and their SHA-256 (hex). */
export const MAX_ENCODED_LENGTH = 200;

/** Characters kept as they are: printable ASCII but space, `#`, `%`, `:`, `{` and `}`. */
const PLAIN = /^[!"$&-9;-z|~]*$/;

const HEX = "0123456789abcdef";

/**
 * Escapes `text` one UTF-16 code unit at a time, like JavaScript's old
 * `escape()`: a plain character stays, a code unit below 256 becomes `%XX`,
 * any other `%uXXXX`. Lone surrogates keep their own spelling (UTF-8 would
 * turn them all into U+FFFD), so the encoding is one-to-one.
 */
export function encodePart(text: string): string {
  if (PLAIN.test(text)) return text;
  let encoded = "";
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const character = text.charAt(index);
    if (PLAIN.test(character)) encoded += character;
    else if (code < 0x100) encoded += `%${HEX[code >> 4]}${HEX[code & 15]}`;
    else encoded += `%u${HEX[code >> 12]}${HEX[(code >> 8) & 15]}${HEX[(code >> 4) & 15]}${HEX[code & 15]}`;
  }
  return encoded;
}

/**
 * The key for `kind` (a fixed tag: `t` throttle, `n` nonce count, `u`
 * one-time value) and `parts`, each part escaped and the parts joined with
 * `:` (which escaping never leaves in a part). When the parts are longer
 * than {@linkcode MAX_ENCODED_LENGTH}, their SHA-256 stands in for them.
 */
export async function buildKey(prefix: string, kind: string, parts: readonly string[]): Promise<string> {
  const encoded = parts.map(encodePart).join(":");
  if (encoded.length <= MAX_ENCODED_LENGTH) return `${prefix}${kind}:${encoded}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(encoded));
  let hex = "";
  for (const byte of new Uint8Array(digest)) hex += HEX[byte >> 4]! + HEX[byte & 15]!;
  return `${prefix}${kind}:#${hex}`;
}
