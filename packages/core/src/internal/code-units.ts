/**
 * Strings as bytes, one-to-one: for hashing secrets where two different
 * strings must never give the same bytes.
 *
 * @module
 */

/**
 * Encodes a string's UTF-16 code units as bytes, two per unit, low byte first.
 * Unlike UTF-8 through `TextEncoder`, this is one-to-one on every string,
 * lone surrogates included (which `TextEncoder` would all turn into U+FFFD).
 *
 * @param text any string
 * @returns `2 × text.length` bytes
 */
export function encodeCodeUnits(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    bytes[index * 2] = code & 0xff;
    bytes[index * 2 + 1] = code >>> 8;
  }
  return bytes;
}
