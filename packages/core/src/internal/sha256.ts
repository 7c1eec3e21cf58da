/**
 * SHA-256 (FIPS 180-4 §6.2) and HMAC-SHA-256 (RFC 2104) in plain, synchronous
 * JavaScript, for HTTP Digest (RFC 7616) and its stateless nonces.
 *
 * WebCrypto has both, but every `crypto.subtle` call is a round trip through
 * a promise, and on Node a trip through libuv's thread pool: for the
 * 100-byte messages Digest hashes, a profile of `verifyDigestCredentials` on
 * Node 20 showed the main thread idle for three quarters of the time, waiting
 * for those jobs (about 190 µs per verification, against under 10 µs here).
 * SHA-256 has no secret-dependent branch or table lookup (additions,
 * rotations and bitwise operations on 32-bit words), so this code runs in the
 * same time for every password.
 *
 * @module
 */

/** Bytes in one SHA-256 block (FIPS 180-4 §5.2.1: 512 bits). */
const BLOCK_BYTES = 64;

/**
 * The constants K{256}[0..63] of FIPS 180-4 §4.2.2: the first 32 bits of the
 * fractional parts of the cube roots of the first sixty-four primes.
 */
// biome-ignore format: eight constants per row
const K: Int32Array = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

/** The initial hash value H(0) of FIPS 180-4 §5.3.3. */
// biome-ignore format: eight words
const INITIAL_HASH: Int32Array = Int32Array.of(
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
);

/** The message schedule W[0..63], reused by every block (hashing is synchronous). */
const schedule = new Int32Array(64);

/** The compression function of FIPS 180-4 §6.2.2 on the block at `block[offset, offset + 64)`. */
function compress(state: Int32Array, block: Uint8Array, offset: number): void {
  const w = schedule;
  for (let t = 0; t < 16; t++) {
    const at = offset + t * 4;
    w[t] = (block[at]! << 24) | (block[at + 1]! << 16) | (block[at + 2]! << 8) | block[at + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const w15 = w[t - 15]!;
    const w2 = w[t - 2]!;
    // σ0 = ROTR7 ^ ROTR18 ^ SHR3, σ1 = ROTR17 ^ ROTR19 ^ SHR10
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    // Σ1 = ROTR6 ^ ROTR11 ^ ROTR25, Ch(e, f, g); Σ0 = ROTR2 ^ ROTR13 ^ ROTR22, Maj(a, b, c)
    const sigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + sigma1 + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
    const sigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (sigma0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/**
 * SHA-256 of `data` (FIPS 180-4 §6.2), synchronously.
 *
 * @example Hash "abc" (FIPS 180-4 example)
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha256Sync } from "./sha256.ts";
 * import { toHex } from "./hex.ts";
 *
 * assert.equal(
 *   toHex(sha256Sync(new TextEncoder().encode("abc"))),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 *
 * @param data the message
 * @returns the 32-byte digest
 */
export function sha256Sync(data: Uint8Array): Uint8Array {
  const state = INITIAL_HASH.slice();
  const length = data.length;
  let offset = 0;
  for (; offset + BLOCK_BYTES <= length; offset += BLOCK_BYTES) compress(state, data, offset);
  // §5.1.1: the rest, a 1 bit, zeros, and the length in bits as 64 bits big-endian.
  const rest = length - offset;
  const tail = new Uint8Array(rest < BLOCK_BYTES - 8 ? BLOCK_BYTES : 2 * BLOCK_BYTES);
  tail.set(data.subarray(offset));
  tail[rest] = 0x80;
  const end = tail.length;
  const highBits = Math.floor(length / 0x20000000); // length × 8 ÷ 2^32
  const lowBits = (length << 3) >>> 0;
  tail[end - 8] = highBits >>> 24;
  tail[end - 7] = highBits >>> 16;
  tail[end - 6] = highBits >>> 8;
  tail[end - 5] = highBits;
  tail[end - 4] = lowBits >>> 24;
  tail[end - 3] = lowBits >>> 16;
  tail[end - 2] = lowBits >>> 8;
  tail[end - 1] = lowBits;
  for (let block = 0; block < end; block += BLOCK_BYTES) compress(state, tail, block);
  const digest = new Uint8Array(32);
  for (let index = 0; index < 8; index++) {
    const word = state[index]!;
    digest[index * 4] = word >>> 24;
    digest[index * 4 + 1] = word >>> 16;
    digest[index * 4 + 2] = word >>> 8;
    digest[index * 4 + 3] = word;
  }
  return digest;
}

/**
 * HMAC-SHA-256 (RFC 2104, FIPS 198-1) of `message` under `key`, synchronously:
 * the same bytes as WebCrypto's `sign("HMAC", …)` with a raw SHA-256 key.
 *
 * @example RFC 4231 test case 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { hmacSHA256 } from "./sha256.ts";
 * import { toHex } from "./hex.ts";
 *
 * const encoder = new TextEncoder();
 * assert.equal(
 *   toHex(hmacSHA256(encoder.encode("Jefe"), encoder.encode("what do ya want for nothing?"))),
 *   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
 * );
 * ```
 *
 * @param key the key, of any length (longer than a block: hashed first)
 * @param message the message
 * @returns the 32-byte MAC
 */
export function hmacSHA256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK_BYTES);
  block.set(key.length > BLOCK_BYTES ? sha256Sync(key) : key);
  const inner = new Uint8Array(BLOCK_BYTES + message.length);
  const outer = new Uint8Array(BLOCK_BYTES + 32);
  for (let index = 0; index < BLOCK_BYTES; index++) {
    inner[index] = block[index]! ^ 0x36;
    outer[index] = block[index]! ^ 0x5c;
  }
  inner.set(message, BLOCK_BYTES);
  outer.set(sha256Sync(inner), BLOCK_BYTES);
  return sha256Sync(outer);
}
