/**
 * MD5 (RFC 1321) in plain JavaScript, for HTTP Digest's `MD5` and `MD5-sess`
 * algorithms (RFC 7616 §3.3). WebCrypto has no MD5, and the Digest scheme
 * still needs it for the clients that know nothing else.
 *
 * MD5 is broken as a collision-resistant hash; it is here only because the
 * protocol names it. The arithmetic is done on 32-bit integers (`| 0`), the
 * message is read through a `DataView` in place, and the only allocations per
 * call are the state, one 16-word schedule and one padding buffer.
 *
 * @module
 */

/** Bytes in one MD5 block (RFC 1321 §3.4: 16 words of 32 bits). */
const BLOCK_BYTES = 64;

/**
 * The table T[1..64] of RFC 1321 §3.4: T[i] is the integer part of
 * 4294967296 × abs(sin(i)), i in radians. Written out rather than computed so
 * that no floating-point `Math.sin` differences between engines can matter.
 */
// biome-ignore format: a table reads best as rows of eight
const T: Int32Array = Int32Array.of(
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
);

/** Left-rotation amounts per step, RFC 1321 §3.4 (S11..S44 repeated over each round's 16 steps). */
// biome-ignore format: one row per round
const SHIFTS: Uint8Array = Uint8Array.of(
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
);

/**
 * Which message word X[k] each step reads, RFC 1321 §3.4: round 1 reads k = i,
 * round 2 k = (1 + 5i) mod 16, round 3 k = (5 + 3i) mod 16, round 4 k = 7i mod 16.
 */
// biome-ignore format: one row per round
const WORD_INDEX: Uint8Array = Uint8Array.of(
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  1, 6, 11, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12,
  5, 8, 11, 14, 1, 4, 7, 10, 13, 0, 3, 6, 9, 12, 15, 2,
  0, 7, 14, 5, 12, 3, 10, 1, 8, 15, 6, 13, 4, 11, 2, 9,
);

/**
 * Runs the four rounds of RFC 1321 §3.4 over one 64-byte block and adds the
 * result into `state` (A, B, C, D).
 *
 * @param state the four chaining words, updated in place
 * @param view the bytes holding the block
 * @param offset where the block starts in `view`
 * @param words scratch space for the 16 little-endian words X[0..15]
 */
function processBlock(state: Int32Array, view: DataView, offset: number, words: Int32Array): void {
  for (let index = 0; index < 16; index++) {
    words[index] = view.getInt32(offset + index * 4, true);
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  // Each step: a = b + ((a + f(b,c,d) + X[k] + T[i]) <<< s), then the roles of a, b, c, d rotate.
  // Round 1, F(X,Y,Z) = XY v not(X) Z
  for (let step = 0; step < 16; step++) {
    const sum = (a + ((b & c) | (~b & d)) + words[WORD_INDEX[step]!]! + T[step]!) | 0;
    const shift = SHIFTS[step]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  // Round 2, G(X,Y,Z) = XZ v Y not(Z)
  for (let step = 16; step < 32; step++) {
    const sum = (a + ((b & d) | (c & ~d)) + words[WORD_INDEX[step]!]! + T[step]!) | 0;
    const shift = SHIFTS[step]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  // Round 3, H(X,Y,Z) = X xor Y xor Z
  for (let step = 32; step < 48; step++) {
    const sum = (a + (b ^ c ^ d) + words[WORD_INDEX[step]!]! + T[step]!) | 0;
    const shift = SHIFTS[step]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  // Round 4, I(X,Y,Z) = Y xor (X v not(Z))
  for (let step = 48; step < 64; step++) {
    const sum = (a + (c ^ (b | ~d)) + words[WORD_INDEX[step]!]! + T[step]!) | 0;
    const shift = SHIFTS[step]!;
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

/**
 * Computes the MD5 message digest of `data` (RFC 1321 §3).
 *
 * Padding (§3.1) appends a 1 bit and zeros up to 56 bytes mod 64; the length
 * (§3.2) follows as a 64-bit little-endian bit count; the buffer is initialised
 * per §3.3 and each block is processed per §3.4; the digest is A, B, C, D in
 * little-endian order (§3.5).
 *
 * @example Hash the RFC 1321 §A.5 message "abc"
 * ```ts
 * import assert from "node:assert/strict";
 * import { md5 } from "./md5.ts";
 * import { toHex } from "./hex.ts";
 *
 * assert.equal(toHex(md5(new TextEncoder().encode("abc"))), "900150983cd24fb0d6963f7d28e17f72");
 * ```
 *
 * @param data the message, any length
 * @returns the 16-byte digest
 */
export function md5(data: Uint8Array): Uint8Array {
  // RFC 1321 §3.3: word A = 01 23 45 67, B = 89 ab cd ef, C = fe dc ba 98, D = 76 54 32 10 (low byte first).
  const state = Int32Array.of(0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476);
  const words = new Int32Array(16);
  const length = data.length;
  const fullBlocksEnd = length - (length % BLOCK_BYTES);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let offset = 0; offset < fullBlocksEnd; offset += BLOCK_BYTES) {
    processBlock(state, view, offset, words);
  }

  // §3.1 and §3.2: the rest of the message, 0x80, zeros, and the 64-bit bit length, in one or two blocks.
  const remaining = length - fullBlocksEnd;
  const tailLength = remaining < BLOCK_BYTES - 8 ? BLOCK_BYTES : BLOCK_BYTES * 2;
  const tail = new Uint8Array(tailLength);
  tail.set(data.subarray(fullBlocksEnd));
  tail[remaining] = 0x80;
  const tailView = new DataView(tail.buffer);
  // The bit count is length × 8, split into low and high 32-bit words (exact for any array length).
  tailView.setInt32(tailLength - 8, length << 3, true);
  tailView.setInt32(tailLength - 4, Math.floor(length / 0x20000000), true);
  for (let offset = 0; offset < tailLength; offset += BLOCK_BYTES) {
    processBlock(state, tailView, offset, words);
  }

  // §3.5: the output is A, B, C, D, each low-order byte first.
  const digest = new Uint8Array(16);
  const digestView = new DataView(digest.buffer);
  for (let index = 0; index < 4; index++) {
    digestView.setInt32(index * 4, state[index]!, true);
  }
  return digest;
}
