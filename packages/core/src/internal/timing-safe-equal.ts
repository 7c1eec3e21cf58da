/**
 * Comparisons whose running time does not depend on where two secrets first
 * differ, for checking passwords, Digest responses and tokens without
 * opening a timing side channel.
 *
 * @module
 */

import { encodeCodeUnits } from "./code-units.ts";
import { sha256 } from "./hash.ts";

/**
 * Compares two byte arrays in time that depends only on their length: every
 * byte pair is XOR-ed into one accumulator, and the loop never exits early.
 * Arrays of different lengths are unequal at once, so the length is not
 * secret; hash first (as {@linkcode timingSafeEqualStrings} does) when it is.
 *
 * @example Compare two digests
 * ```ts
 * import assert from "node:assert/strict";
 * import { timingSafeEqual } from "./timing-safe-equal.ts";
 *
 * assert.equal(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2)), true);
 * assert.equal(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3)), false);
 * ```
 *
 * @param a one array
 * @param b the other array
 * @returns `true` when both have the same length and the same bytes
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) {
    difference |= a[index]! ^ b[index]!;
  }
  return difference === 0;
}

/**
 * Compares two strings without revealing, through timing, where they differ
 * or how long the expected one is: both are hashed with SHA-256 (FIPS 180-4
 * §6.2, through WebCrypto) and the two 32-byte digests are compared with
 * {@linkcode timingSafeEqual}. The result is that of `a === b`, decided from
 * the digests alone; telling two different strings apart this way fails only
 * on a SHA-256 collision, which nobody knows how to find.
 *
 * The strings are hashed as their UTF-16 code units, so that strings with
 * lone surrogates compare exactly too. Hashing time still grows with the input
 * length, one step per 64 bytes (32 code units); the comparison does not.
 *
 * @example Check a password
 * ```ts
 * import assert from "node:assert/strict";
 * import { timingSafeEqualStrings } from "./timing-safe-equal.ts";
 *
 * assert.equal(await timingSafeEqualStrings("open sesame", "open sesame"), true);
 * assert.equal(await timingSafeEqualStrings("open sesame", "open"), false);
 * ```
 *
 * @param a one string, typically the value received
 * @param b the other string, typically the expected secret
 * @returns `true` when the strings are equal
 */
export async function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
  const [digestA, digestB] = await Promise.all([sha256(encodeCodeUnits(a)), sha256(encodeCodeUnits(b))]);
  return timingSafeEqual(digestA, digestB);
}
