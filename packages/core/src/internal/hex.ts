/**
 * Lower-case hexadecimal encoding, the form in which HTTP Digest writes every
 * hash value it sends or hashes again (RFC 7616 §3.4.1).
 *
 * @module
 */

/** The two-digit lower-case spelling of every byte value, built once on first use. */
let byteDigits: string[] | undefined;

/**
 * Builds the 256-entry table of two-digit spellings.
 *
 * @returns "00" … "ff", indexed by byte value
 */
function buildByteDigits(): string[] {
  const digits: string[] = [];
  for (let value = 0; value < 256; value++) {
    digits.push(value.toString(16).padStart(2, "0"));
  }
  return digits;
}

/**
 * Encodes bytes as lower-case hexadecimal, two digits per byte, high nibble
 * first (RFC 7616 §3.4.1: digests travel as lower-case hex).
 *
 * @example Spell three bytes
 * ```ts
 * import assert from "node:assert/strict";
 * import { toHex } from "./hex.ts";
 *
 * assert.equal(toHex(Uint8Array.of(0x00, 0xab, 0xff)), "00abff");
 * ```
 *
 * @param bytes the bytes to encode
 * @returns a string of `2 × bytes.length` characters from 0-9 and a-f
 */
export function toHex(bytes: Uint8Array): string {
  byteDigits ??= buildByteDigits();
  let text = "";
  for (let index = 0; index < bytes.length; index++) {
    text += byteDigits[bytes[index]!]!;
  }
  return text;
}
