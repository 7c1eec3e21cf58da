/**
 * Comparing secrets without a timing side channel, with `node:crypto`.
 *
 * @module
 */

import { createHash, timingSafeEqual as timingSafeEqualBytes } from "node:crypto";

/** SHA-256 of a string's UTF-16 code units: one-to-one on every string, lone surrogates included. */
function digest(text: string): Uint8Array {
  return createHash("sha256").update(text, "utf16le").digest();
}

/**
 * Compares two strings in time that reveals neither where they differ nor
 * how long either is, for checking passwords, tokens and API keys in a
 * `verify` callback: both are hashed with SHA-256 (FIPS 180-4) and the two
 * 32-byte digests are compared with `crypto.timingSafeEqual`, which, unlike
 * `===`, never stops at the first differing byte and, unlike
 * `crypto.timingSafeEqual` on the strings themselves, does not throw (or
 * answer early) on a length mismatch. The result is that of `a === b`.
 *
 * Strings are hashed as UTF-16 code units, so strings that differ only in
 * lone surrogates (which UTF-8 would turn into the same U+FFFD) differ here
 * too. Hashing time still grows with the length of the input.
 *
 * @param a One string, typically the value received.
 * @param b The other, typically the expected secret.
 * @returns `true` when the strings are equal.
 * @throws {TypeError} If `a` or `b` is not a string.
 *
 * @example Check an API key
 * ```ts
 * import assert from "node:assert/strict";
 * import { timingSafeEqual } from "@httpauth/node";
 *
 * assert.equal(timingSafeEqual("s3cr3t-key", "s3cr3t-key"), true);
 * assert.equal(timingSafeEqual("s3cr3t", "s3cr3t-key"), false);
 * assert.equal(timingSafeEqual("", "s3cr3t-key"), false);
 * ```
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (typeof a !== "string" || typeof b !== "string") {
    throw new TypeError("timingSafeEqual() compares two strings; hash or encode other values first");
  }
  return timingSafeEqualBytes(digest(a), digest(b));
}
