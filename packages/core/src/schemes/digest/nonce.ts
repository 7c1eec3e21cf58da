/**
 * Stateless Digest nonces: a time, random bytes and an HMAC-SHA-256 over
 * them, the realm and the algorithm, so that any server sharing the secret
 * can check a nonce without a store.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "../../internal/base64.ts";
import { hmacSHA256 } from "../../internal/sha256.ts";
import { timingSafeEqual } from "../../internal/timing-safe-equal.ts";
import { encodeUTF8 } from "../../internal/utf8.ts";
import type { DigestAlgorithm } from "./algorithms.ts";

/*
 * nonce = base64( time ‖ random ‖ mac )                          48 characters, no padding
 * time  = 8 octets, seconds since the epoch, big-endian
 * random = 12 octets from crypto.getRandomValues, so that no two challenges share a nonce
 *          (a shared nonce would share nonce counts)
 * mac   = the first 16 octets of HMAC-SHA-256(secret, time ‖ random ‖ label 0x00 algorithm 0x00 realm)
 */
const NONCE_TIME_BYTES = 8;
const NONCE_RANDOM_BYTES = 12;
const NONCE_MAC_BYTES = 16;
const NONCE_BYTES = NONCE_TIME_BYTES + NONCE_RANDOM_BYTES + NONCE_MAC_BYTES;
const NONCE_LENGTH = (NONCE_BYTES / 3) * 4;
const NONCE_LABEL = "httpauth digest nonce v1";
/** How far in the future a nonce's time may be (server clocks that differ). */
export const CLOCK_SKEW_SECONDS = 60;
/** How long a nonce stays fresh when `nonceLifetime` is not given, in seconds. */
export const DEFAULT_NONCE_LIFETIME = 300;

/** The first 16 bytes of the nonce's HMAC. */
async function nonceMac(
  secret: Uint8Array<ArrayBuffer>,
  head: Uint8Array,
  algorithm: DigestAlgorithm,
  realm: string,
): Promise<Uint8Array> {
  const context = encodeUTF8(`${NONCE_LABEL}\u0000${algorithm}\u0000${realm}`);
  const message = new Uint8Array(head.length + context.length);
  message.set(head);
  message.set(context, head.length);
  return hmacSHA256(secret, message).subarray(0, NONCE_MAC_BYTES);
}

/** Makes a nonce dated `now` (milliseconds) for one realm and algorithm. */
export async function createNonce(
  secret: Uint8Array<ArrayBuffer>,
  realm: string,
  algorithm: DigestAlgorithm,
  now: number,
): Promise<string> {
  const bytes = new Uint8Array(NONCE_BYTES);
  const seconds = Math.floor(now / 1000);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(seconds / 0x1_0000_0000));
  view.setUint32(4, seconds >>> 0);
  crypto.getRandomValues(bytes.subarray(NONCE_TIME_BYTES, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES));
  const head = bytes.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  bytes.set(await nonceMac(secret, head, algorithm, realm), head.length);
  return encodeBase64(bytes);
}

/**
 * Checks a nonce's HMAC and reads its time.
 *
 * @returns the time in seconds, or `undefined` when the nonce was not made
 *   with this secret, realm and algorithm
 */
export async function readNonce(
  nonce: string,
  secret: Uint8Array<ArrayBuffer>,
  realm: string,
  algorithm: DigestAlgorithm,
): Promise<number | undefined> {
  if (nonce.length !== NONCE_LENGTH) return undefined;
  const bytes = decodeBase64(nonce);
  if (!(bytes instanceof Uint8Array) || bytes.length !== NONCE_BYTES) return undefined;
  const head = bytes.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  const expected = await nonceMac(secret, head, algorithm, realm);
  if (!timingSafeEqual(bytes.subarray(head.length), expected)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4);
}
