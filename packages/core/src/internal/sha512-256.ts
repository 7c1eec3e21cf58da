/**
 * SHA-512/256 (FIPS 180-4 §5.3.6.2, §6.7) in plain JavaScript, for HTTP
 * Digest's `SHA-512-256` and `SHA-512-256-sess` algorithms (RFC 7616 §3.3).
 * WebCrypto offers SHA-512 but not its truncated variants, whose initial hash
 * values differ, so the SHA-512 compression function is written out here.
 *
 * JavaScript has no 64-bit integers outside BigInt, which is far too slow for
 * the inner loop, so every 64-bit word is a pair of 32-bit integers: the high
 * half at an even index, the low half at the next odd one. Additions carry
 * from low to high by summing unsigned low halves as doubles (exact below
 * 2^53) and adding the quotient by 2^32 to the high halves.
 *
 * @module
 */

/** Bytes in one SHA-512 block (FIPS 180-4 §5.2.2: 1024 bits). */
const BLOCK_BYTES = 128;

/** 2^32, to split a sum of unsigned 32-bit halves into carry and remainder. */
const TWO_TO_32 = 0x100000000;

/**
 * The constants K{512}[0..79] of FIPS 180-4 §4.2.3: the first 64 bits of the
 * fractional parts of the cube roots of the first eighty primes, as (high, low) pairs.
 */
// biome-ignore format: four 64-bit constants (high, low) per row
const K: Int32Array = Int32Array.of(
  0x428a2f98, 0xd728ae22, 0x71374491, 0x23ef65cd, 0xb5c0fbcf, 0xec4d3b2f, 0xe9b5dba5, 0x8189dbbc,
  0x3956c25b, 0xf348b538, 0x59f111f1, 0xb605d019, 0x923f82a4, 0xaf194f9b, 0xab1c5ed5, 0xda6d8118,
  0xd807aa98, 0xa3030242, 0x12835b01, 0x45706fbe, 0x243185be, 0x4ee4b28c, 0x550c7dc3, 0xd5ffb4e2,
  0x72be5d74, 0xf27b896f, 0x80deb1fe, 0x3b1696b1, 0x9bdc06a7, 0x25c71235, 0xc19bf174, 0xcf692694,
  0xe49b69c1, 0x9ef14ad2, 0xefbe4786, 0x384f25e3, 0x0fc19dc6, 0x8b8cd5b5, 0x240ca1cc, 0x77ac9c65,
  0x2de92c6f, 0x592b0275, 0x4a7484aa, 0x6ea6e483, 0x5cb0a9dc, 0xbd41fbd4, 0x76f988da, 0x831153b5,
  0x983e5152, 0xee66dfab, 0xa831c66d, 0x2db43210, 0xb00327c8, 0x98fb213f, 0xbf597fc7, 0xbeef0ee4,
  0xc6e00bf3, 0x3da88fc2, 0xd5a79147, 0x930aa725, 0x06ca6351, 0xe003826f, 0x14292967, 0x0a0e6e70,
  0x27b70a85, 0x46d22ffc, 0x2e1b2138, 0x5c26c926, 0x4d2c6dfc, 0x5ac42aed, 0x53380d13, 0x9d95b3df,
  0x650a7354, 0x8baf63de, 0x766a0abb, 0x3c77b2a8, 0x81c2c92e, 0x47edaee6, 0x92722c85, 0x1482353b,
  0xa2bfe8a1, 0x4cf10364, 0xa81a664b, 0xbc423001, 0xc24b8b70, 0xd0f89791, 0xc76c51a3, 0x0654be30,
  0xd192e819, 0xd6ef5218, 0xd6990624, 0x5565a910, 0xf40e3585, 0x5771202a, 0x106aa070, 0x32bbd1b8,
  0x19a4c116, 0xb8d2d0c8, 0x1e376c08, 0x5141ab53, 0x2748774c, 0xdf8eeb99, 0x34b0bcb5, 0xe19b48a8,
  0x391c0cb3, 0xc5c95a63, 0x4ed8aa4a, 0xe3418acb, 0x5b9cca4f, 0x7763e373, 0x682e6ff3, 0xd6b2b8a3,
  0x748f82ee, 0x5defb2fc, 0x78a5636f, 0x43172f60, 0x84c87814, 0xa1f0ab72, 0x8cc70208, 0x1a6439ec,
  0x90befffa, 0x23631e28, 0xa4506ceb, 0xde82bde9, 0xbef9a3f7, 0xb2c67915, 0xc67178f2, 0xe372532b,
  0xca273ece, 0xea26619c, 0xd186b8c7, 0x21c0c207, 0xeada7dd6, 0xcde0eb1e, 0xf57d4f7f, 0xee6ed178,
  0x06f067aa, 0x72176fba, 0x0a637dc5, 0xa2c898a6, 0x113f9804, 0xbef90dae, 0x1b710b35, 0x131c471b,
  0x28db77f5, 0x23047d84, 0x32caab7b, 0x40c72493, 0x3c9ebe0a, 0x15c9bebc, 0x431d67c4, 0x9c100d4c,
  0x4cc5d4be, 0xcb3e42b6, 0x597f299c, 0xfc657e2a, 0x5fcb6fab, 0x3ad6faec, 0x6c44198c, 0x4a475817,
);

/**
 * The SHA-512/256 initial hash value H(0) of FIPS 180-4 §5.3.6.2, as (high,
 * low) pairs. §5.3.6 derives it by hashing the ASCII string "SHA-512/256" with
 * SHA-512 whose initial value is XOR-ed with a5a5a5a5a5a5a5a5.
 */
// biome-ignore format: one 64-bit word (high, low) per row
const INITIAL_HASH: Int32Array = Int32Array.of(
  0x22312194, 0xfc2bf72c,
  0x9f555fa3, 0xc84c64c2,
  0x2393b86b, 0x6f53b151,
  0x96387719, 0x5940eabd,
  0x96283ee2, 0xa88effe3,
  0xbe5e1e25, 0x53863992,
  0x2b0199fc, 0x2c85b8aa,
  0x0eb72ddc, 0x81c52ca2,
);

/**
 * Prepares the message schedule of FIPS 180-4 §6.4.2 step 1 for one block:
 * the sixteen big-endian words of the block, then sixty-four more, as
 * (high, low) pairs. Rotations and shifts of a pair are spelled out above
 * {@linkcode processBlock}, which calls this once per block.
 *
 * @param view the bytes holding the block
 * @param offset where the block starts in `view`
 * @param schedule where the 80-word message schedule W goes, as 160 halves
 */
function expandSchedule(view: DataView, offset: number, schedule: Int32Array): void {
  // §6.4.2 step 1: W[t] = M[t] for 0 ≤ t ≤ 15 (big-endian words) …
  for (let index = 0; index < 32; index++) {
    schedule[index] = view.getInt32(offset + index * 4, false);
  }
  // … and W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16] for 16 ≤ t ≤ 79.
  for (let index = 32; index < 160; index += 2) {
    const x1High = schedule[index - 4]!;
    const x1Low = schedule[index - 3]!;
    // σ1(x) = ROTR^19(x) ⊕ ROTR^61(x) ⊕ SHR^6(x)
    const sigma1High = ((x1High >>> 19) | (x1Low << 13)) ^ ((x1Low >>> 29) | (x1High << 3)) ^ (x1High >>> 6);
    const sigma1Low =
      ((x1Low >>> 19) | (x1High << 13)) ^ ((x1High >>> 29) | (x1Low << 3)) ^ ((x1Low >>> 6) | (x1High << 26));
    const x0High = schedule[index - 30]!;
    const x0Low = schedule[index - 29]!;
    // σ0(x) = ROTR^1(x) ⊕ ROTR^8(x) ⊕ SHR^7(x)
    const sigma0High = ((x0High >>> 1) | (x0Low << 31)) ^ ((x0High >>> 8) | (x0Low << 24)) ^ (x0High >>> 7);
    const sigma0Low =
      ((x0Low >>> 1) | (x0High << 31)) ^ ((x0Low >>> 8) | (x0High << 24)) ^ ((x0Low >>> 7) | (x0High << 25));
    const low = (sigma1Low >>> 0) + (schedule[index - 13]! >>> 0) + (sigma0Low >>> 0) + (schedule[index - 31]! >>> 0);
    schedule[index] =
      (sigma1High + schedule[index - 14]! + sigma0High + schedule[index - 32]! + ((low / TWO_TO_32) | 0)) | 0;
    schedule[index + 1] = low | 0;
  }
}

/**
 * Runs the SHA-512 hash computation of FIPS 180-4 §6.4.2 over one 128-byte
 * block and adds the result into `state`.
 *
 * Rotations and shifts of a (high, low) pair, for 0 < n < 32:
 * ROTR^n = (high >>> n | low << 32-n, low >>> n | high << 32-n);
 * ROTR^(32+n) swaps the halves first; SHR^n = (high >>> n, low >>> n | high << 32-n).
 *
 * @param state the eight 64-bit chaining words H0..H7 as 16 halves, updated in place
 * @param view the bytes holding the block
 * @param offset where the block starts in `view`
 * @param schedule scratch space for the 80-word message schedule W as 160 halves
 */
function processBlock(state: Int32Array, view: DataView, offset: number, schedule: Int32Array): void {
  expandSchedule(view, offset, schedule);

  // Step 2: initialise the working variables a..h with H(i-1).
  let aHigh = state[0]!;
  let aLow = state[1]!;
  let bHigh = state[2]!;
  let bLow = state[3]!;
  let cHigh = state[4]!;
  let cLow = state[5]!;
  let dHigh = state[6]!;
  let dLow = state[7]!;
  let eHigh = state[8]!;
  let eLow = state[9]!;
  let fHigh = state[10]!;
  let fLow = state[11]!;
  let gHigh = state[12]!;
  let gLow = state[13]!;
  let hHigh = state[14]!;
  let hLow = state[15]!;

  // Step 3: eighty rounds.
  for (let index = 0; index < 160; index += 2) {
    // Σ1(e) = ROTR^14(e) ⊕ ROTR^18(e) ⊕ ROTR^41(e)
    const bigSigma1High =
      ((eHigh >>> 14) | (eLow << 18)) ^ ((eHigh >>> 18) | (eLow << 14)) ^ ((eLow >>> 9) | (eHigh << 23));
    const bigSigma1Low =
      ((eLow >>> 14) | (eHigh << 18)) ^ ((eLow >>> 18) | (eHigh << 14)) ^ ((eHigh >>> 9) | (eLow << 23));
    // Ch(e, f, g) = (e ∧ f) ⊕ (¬e ∧ g)
    const choiceHigh = (eHigh & fHigh) ^ (~eHigh & gHigh);
    const choiceLow = (eLow & fLow) ^ (~eLow & gLow);
    // T1 = h + Σ1(e) + Ch(e, f, g) + K[t] + W[t]
    const t1Sum =
      (hLow >>> 0) + (bigSigma1Low >>> 0) + (choiceLow >>> 0) + (K[index + 1]! >>> 0) + (schedule[index + 1]! >>> 0);
    const t1High = (hHigh + bigSigma1High + choiceHigh + K[index]! + schedule[index]! + ((t1Sum / TWO_TO_32) | 0)) | 0;
    const t1Low = t1Sum | 0;
    // Σ0(a) = ROTR^28(a) ⊕ ROTR^34(a) ⊕ ROTR^39(a)
    const bigSigma0High =
      ((aHigh >>> 28) | (aLow << 4)) ^ ((aLow >>> 2) | (aHigh << 30)) ^ ((aLow >>> 7) | (aHigh << 25));
    const bigSigma0Low =
      ((aLow >>> 28) | (aHigh << 4)) ^ ((aHigh >>> 2) | (aLow << 30)) ^ ((aHigh >>> 7) | (aLow << 25));
    // Maj(a, b, c) = (a ∧ b) ⊕ (a ∧ c) ⊕ (b ∧ c)
    const majorityHigh = (aHigh & bHigh) ^ (aHigh & cHigh) ^ (bHigh & cHigh);
    const majorityLow = (aLow & bLow) ^ (aLow & cLow) ^ (bLow & cLow);

    hHigh = gHigh;
    hLow = gLow;
    gHigh = fHigh;
    gLow = fLow;
    fHigh = eHigh;
    fLow = eLow;
    // e = d + T1
    const eSum = (dLow >>> 0) + (t1Low >>> 0);
    eHigh = (dHigh + t1High + ((eSum / TWO_TO_32) | 0)) | 0;
    eLow = eSum | 0;
    dHigh = cHigh;
    dLow = cLow;
    cHigh = bHigh;
    cLow = bLow;
    bHigh = aHigh;
    bLow = aLow;
    // a = T1 + T2, where T2 = Σ0(a) + Maj(a, b, c)
    const aSum = (t1Low >>> 0) + (bigSigma0Low >>> 0) + (majorityLow >>> 0);
    aHigh = (t1High + bigSigma0High + majorityHigh + ((aSum / TWO_TO_32) | 0)) | 0;
    aLow = aSum | 0;
  }

  // Step 4: H(i) = H(i-1) + (a..h).
  addInto(state, 0, aHigh, aLow);
  addInto(state, 2, bHigh, bLow);
  addInto(state, 4, cHigh, cLow);
  addInto(state, 6, dHigh, dLow);
  addInto(state, 8, eHigh, eLow);
  addInto(state, 10, fHigh, fLow);
  addInto(state, 12, gHigh, gLow);
  addInto(state, 14, hHigh, hLow);
}

/**
 * Adds a 64-bit (high, low) pair into the pair stored at `words[index]`, `words[index + 1]`, modulo 2^64.
 *
 * @param words the pairs
 * @param index the position of the high half
 * @param high the high half to add
 * @param low the low half to add
 */
function addInto(words: Int32Array, index: number, high: number, low: number): void {
  const lowSum = (words[index + 1]! >>> 0) + (low >>> 0);
  words[index] = (words[index]! + high + ((lowSum / TWO_TO_32) | 0)) | 0;
  words[index + 1] = lowSum | 0;
}

/**
 * Computes the SHA-512/256 message digest of `data` (FIPS 180-4 §6.7): the
 * SHA-512 computation of §6.4 started from the SHA-512/256 initial hash value
 * of §5.3.6.2, its 512-bit result truncated to the leftmost 256 bits.
 *
 * Padding (§5.1.2) appends a 1 bit and zeros up to 112 bytes mod 128, then
 * the message length in bits as a 128-bit big-endian integer.
 *
 * @example Hash the FIPS 180-4 example message "abc"
 * ```ts
 * import assert from "node:assert/strict";
 * import { sha512_256 } from "./sha512-256.ts";
 * import { toHex } from "./hex.ts";
 *
 * assert.equal(
 *   toHex(sha512_256(new TextEncoder().encode("abc"))),
 *   "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
 * );
 * ```
 *
 * @param data the message, any length
 * @returns the 32-byte digest
 */
export function sha512_256(data: Uint8Array): Uint8Array {
  const state = INITIAL_HASH.slice();
  const schedule = new Int32Array(160);
  const length = data.length;
  const fullBlocksEnd = length - (length % BLOCK_BYTES);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let offset = 0; offset < fullBlocksEnd; offset += BLOCK_BYTES) {
    processBlock(state, view, offset, schedule);
  }

  // §5.1.2: the rest of the message, 0x80, zeros, and the 128-bit bit length, in one or two blocks.
  const remaining = length - fullBlocksEnd;
  const tailLength = remaining < BLOCK_BYTES - 16 ? BLOCK_BYTES : BLOCK_BYTES * 2;
  const tail = new Uint8Array(tailLength);
  tail.set(data.subarray(fullBlocksEnd));
  tail[remaining] = 0x80;
  const tailView = new DataView(tail.buffer);
  // The bit count is length × 8; its upper 64 bits are zero for any array length, and are left as zeros.
  tailView.setInt32(tailLength - 8, Math.floor(length / 0x20000000), false);
  tailView.setInt32(tailLength - 4, length << 3, false);
  for (let offset = 0; offset < tailLength; offset += BLOCK_BYTES) {
    processBlock(state, tailView, offset, schedule);
  }

  // §6.7: the leftmost 256 bits, H0..H3, big-endian.
  const digest = new Uint8Array(32);
  const digestView = new DataView(digest.buffer);
  for (let index = 0; index < 8; index++) {
    digestView.setInt32(index * 4, state[index]!, false);
  }
  return digest;
}
