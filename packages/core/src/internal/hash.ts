/**
 * The hash functions HTTP Digest names (RFC 7616 §3.3, §6.1), behind one
 * asynchronous entry point, all three in plain JavaScript: WebCrypto has
 * neither MD5 nor SHA-512/256, and its SHA-256 costs a promise round trip
 * (on Node, a trip through the thread pool) that dwarfs hashing 100 bytes;
 * see sha256.ts.
 *
 * @module
 */

import { toHex } from "./hex.ts";
import { md5 } from "./md5.ts";
import { sha256Sync } from "./sha256.ts";
import { sha512_256 } from "./sha512-256.ts";

/**
 * A hash algorithm of the HTTP Digest Algorithm Values registry (RFC 7616
 * §6.1), without the `-sess` suffix, which changes how A1 is built, not the hash.
 */
export type DigestHashName = "MD5" | "SHA-256" | "SHA-512-256";

/**
 * Computes SHA-256 (FIPS 180-4 §6.2); asynchronous for its callers' sake, computed in plain JavaScript (sha256.ts).
 *
 * @example Hash "abc"
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256 } from "./hash.ts";
 *
 * assert.equal((await sha256(new TextEncoder().encode("abc"))).length, 32);
 * ```
 *
 * @param data the message
 * @returns the 32-byte digest
 */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return sha256Sync(data);
}

/**
 * Hashes `data` with a Digest algorithm and spells the result in lower-case
 * hex, the form RFC 7616 §3.4.1 uses for `H(data)`.
 *
 * @example Hash "abc" with each algorithm
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashHex } from "./hash.ts";
 *
 * const abc = new TextEncoder().encode("abc");
 * assert.equal(await hashHex("MD5", abc), "900150983cd24fb0d6963f7d28e17f72");
 * assert.equal(
 *   await hashHex("SHA-256", abc),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 *
 * @param algorithm `MD5` (RFC 1321), `SHA-256` (FIPS 180-4 §6.2) or `SHA-512-256` (FIPS 180-4 §6.7)
 * @param data the message
 * @returns the digest as lower-case hex, {@linkcode hashLength} characters long
 */
export async function hashHex(algorithm: DigestHashName, data: Uint8Array): Promise<string> {
  switch (algorithm) {
    case "MD5":
      return toHex(md5(data));
    case "SHA-256":
      return toHex(sha256Sync(data));
    case "SHA-512-256":
      return toHex(sha512_256(data));
  }
}

/**
 * The length of a digest in lower-case hex, as it appears in the `response`
 * parameter (RFC 7616 §3.4.1): 32 for MD5, 64 for SHA-256 and SHA-512/256.
 *
 * @example Check a response length before comparing
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashLength } from "./hash.ts";
 *
 * assert.equal(hashLength("MD5"), 32);
 * assert.equal(hashLength("SHA-512-256"), 64);
 * ```
 *
 * @param algorithm the Digest algorithm
 * @returns the number of hex digits in its digest
 */
export function hashLength(algorithm: DigestHashName): number {
  return algorithm === "MD5" ? 32 : 64;
}
