/**
 * Stateless nonces: a time, random bytes and an HMAC-SHA-256 over them and a
 * context (for Digest: the realm and the algorithm; for DPoP: its own
 * label), so that any server sharing the secret can check a nonce without a
 * store.
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
 * mac   = the first 16 octets of HMAC-SHA-256(secret, time ‖ random ‖ context)
 * context (Digest) = label 0x00 algorithm 0x00 realm; (DPoP) = "httpauth dpop nonce v1"
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
function nonceMac(secret: Uint8Array<ArrayBuffer>, head: Uint8Array, context: Uint8Array): Uint8Array {
  const message = new Uint8Array(head.length + context.length);
  message.set(head);
  message.set(context, head.length);
  return hmacSHA256(secret, message).subarray(0, NONCE_MAC_BYTES);
}

/** The HMAC context of a Digest nonce: its realm and algorithm. */
function digestContext(realm: string, algorithm: DigestAlgorithm): Uint8Array {
  return encodeUTF8(`${NONCE_LABEL}\u0000${algorithm}\u0000${realm}`);
}

/** Makes a nonce dated `now` (milliseconds), its HMAC over `context`. */
export function createStatelessNonce(secret: Uint8Array<ArrayBuffer>, context: Uint8Array, now: number): string {
  const bytes = new Uint8Array(NONCE_BYTES);
  const seconds = Math.floor(now / 1000);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(seconds / 0x1_0000_0000));
  view.setUint32(4, seconds >>> 0);
  crypto.getRandomValues(bytes.subarray(NONCE_TIME_BYTES, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES));
  const head = bytes.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  bytes.set(nonceMac(secret, head, context), head.length);
  return encodeBase64(bytes);
}

/**
 * Checks a stateless nonce's HMAC over `context` and reads its time.
 *
 * @returns the time in seconds, or `undefined` when the nonce was not made
 *   with this secret and context
 */
export function readStatelessNonce(
  nonce: string,
  secret: Uint8Array<ArrayBuffer>,
  context: Uint8Array,
): number | undefined {
  if (nonce.length !== NONCE_LENGTH) return undefined;
  const bytes = decodeBase64(nonce);
  if (!(bytes instanceof Uint8Array) || bytes.length !== NONCE_BYTES) return undefined;
  const head = bytes.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  const expected = nonceMac(secret, head, context);
  if (!timingSafeEqual(bytes.subarray(head.length), expected)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4);
}

/** Makes a nonce dated `now` (milliseconds) for one realm and algorithm. */
export async function createNonce(
  secret: Uint8Array<ArrayBuffer>,
  realm: string,
  algorithm: DigestAlgorithm,
  now: number,
): Promise<string> {
  return createStatelessNonce(secret, digestContext(realm, algorithm), now);
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
  return readStatelessNonce(nonce, secret, digestContext(realm, algorithm));
}
