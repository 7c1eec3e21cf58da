/**
 * DPoP server nonces (RFC 9449 §8, §9), stateless: the Digest nonce machinery
 * (a time, random bytes, an HMAC-SHA-256) with its own label, so that any
 * server instance sharing the secret checks any other's nonces without a
 * store, and a Digest nonce is never a DPoP nonce.
 *
 * @module
 */

import { encodeUTF8 } from "../../internal/utf8.ts";
import { checkNow, secretBytes } from "../digest/arguments.ts";
import { CLOCK_SKEW_SECONDS, createStatelessNonce, readStatelessNonce } from "../digest/nonce.ts";

/** Server nonces: the HMAC secret, how long a nonce is accepted, when successes get a fresh one. */
export interface DpopNonceOptions {
  /** The HMAC key, at least 16 bytes (as UTF-8 for a string). Every instance that shares it accepts the others' nonces. */
  secret: string | Uint8Array;
  /** How long a nonce is accepted, in seconds. Default 300. */
  maxAge?: number;
  /** After how many seconds a success carries a fresh `DPoP-Nonce`. Default `maxAge / 2`. */
  renewAfter?: number;
}

/** Options of {@linkcode createDpopNonce}. */
export interface CreateDpopNonceOptions {
  /** The HMAC key, as in {@linkcode DpopNonceOptions.secret}. */
  secret: string | Uint8Array;
  /** The time it is dated, in milliseconds since the epoch. Default `Date.now()`. */
  now?: number;
}

/** The HMAC context of DPoP nonces: never the same as a Digest nonce's. */
const CONTEXT = encodeUTF8("httpauth dpop nonce v1");

/** The checked nonce settings, in milliseconds. */
export interface NonceSettings {
  readonly secret: Uint8Array<ArrayBuffer>;
  readonly maxAgeMs: number;
  readonly renewAfterMs: number;
}

/**
 * Checks {@linkcode DpopNonceOptions}.
 *
 * @param options The options.
 * @param what Who asks, for messages.
 * @returns The settings.
 * @throws {TypeError} If the secret is not a string or bytes.
 * @throws {RangeError} If the secret is shorter than 16 bytes or a time is out of range.
 */
export function checkNonceOptions(options: DpopNonceOptions, what: string): NonceSettings {
  if (typeof options !== "object" || options === null) throw new TypeError(`${what}: nonce must be { secret }`);
  const secret = secretBytes(options.secret, `${what}: nonce`);
  const maxAge = options.maxAge ?? 300;
  if (typeof maxAge !== "number" || !Number.isSafeInteger(maxAge) || maxAge < 1) {
    throw new RangeError(`${what}: nonce.maxAge must be a positive whole number of seconds`);
  }
  const renewAfter = options.renewAfter ?? maxAge / 2;
  if (typeof renewAfter !== "number" || !(renewAfter >= 0 && renewAfter <= maxAge)) {
    throw new RangeError(`${what}: nonce.renewAfter must be a number of seconds from 0 to maxAge`);
  }
  return { secret, maxAgeMs: maxAge * 1000, renewAfterMs: renewAfter * 1000 };
}

/**
 * Reads a nonce received in a proof: its time in milliseconds, or why not.
 *
 * @param nonce The proof's `nonce` claim.
 * @param settings The server's nonce settings.
 * @param now The current time, in milliseconds.
 * @returns The nonce's time, `"foreign"` for a nonce not made with this secret, `"stale"` for one too old or too new.
 */
export function readDpopNonce(nonce: string, settings: NonceSettings, now: number): number | "foreign" | "stale" {
  const seconds = readStatelessNonce(nonce, settings.secret, CONTEXT);
  if (seconds === undefined) return "foreign";
  const issued = seconds * 1000;
  if (issued > now + CLOCK_SKEW_SECONDS * 1000 || now - issued >= settings.maxAgeMs) return "stale";
  return issued;
}

/**
 * Makes the nonce a DPoP server sends in `DPoP-Nonce` (RFC 9449 §8, §9):
 * stateless, an HMAC-SHA-256 over its time and random bytes, so that any
 * instance sharing `secret` accepts it while it is fresh. `dpopAuth` and
 * `verifyDpopProof` with `nonce: { secret }` check it; use this for an
 * authorization server's token endpoint (400 `use_dpop_nonce`, §8).
 *
 * @param options `secret` (at least 16 bytes) and `now`.
 * @returns The nonce: 48 base64 characters, NQCHARs only.
 * @throws {TypeError} If `secret` is not a string or bytes.
 * @throws {RangeError} If `secret` is shorter than 16 bytes, or `now` is not a finite number of milliseconds.
 *
 * @example A nonce for a DPoP-Nonce header
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDpopNonce } from "@httpauth/core";
 *
 * const nonce = await createDpopNonce({ secret: "a random secret of 32 bytes or more" });
 * assert.equal(nonce.length, 48);
 * ```
 */
export async function createDpopNonce(options: CreateDpopNonceOptions): Promise<string> {
  if (typeof options !== "object" || options === null) throw new TypeError("createDpopNonce() needs { secret }");
  const secret = secretBytes(options.secret, "createDpopNonce()");
  const now = checkNow(options.now, "createDpopNonce()");
  return createStatelessNonce(secret, CONTEXT, now);
}

/**
 * A fresh nonce from checked settings.
 *
 * @param settings The server's nonce settings.
 * @param now The current time, in milliseconds.
 * @returns The nonce.
 */
export function freshDpopNonce(settings: NonceSettings, now: number): string {
  return createStatelessNonce(settings.secret, CONTEXT, now);
}
