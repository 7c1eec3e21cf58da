/**
 * The authenticator's throttle: attempts are counted before verification
 * (the check and the count are one atomic `hit`), per client address across
 * every name and per client address and canonical identity; the verdict
 * then takes back what was not a password failure.
 *
 * @module
 */

import type { SchemeFailure, SchemeSuccess } from "../policies/types.ts";
import type { ThrottleStore } from "../throttle.ts";

/** The throttle options, checked and defaulted. */
export interface ThrottleSettings {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowMs: number;
  store: ThrottleStore;
  missingClientAddress: "reject" | "count-by-identity";
}

/** One counted attempt: the key and the window it was counted in. */
interface Reservation {
  key: string;
  resetAt: number;
}

/** The attempts counted for a request, to settle once it is verified. */
export interface Reserved {
  address: Reservation | undefined;
  identity: Reservation | undefined;
}

/** What the gate decided before verification. */
export type Gate = { reserved: Reserved } | { retryAfter: number };

/** What is known of the request before verification. */
export interface GateRequest {
  clientAddress: unknown;
  scheme: string;
  /** The canonical identity from the policy's `throttleKey`, or `undefined` for none. */
  identity: string | undefined;
  now: number;
}

const NO_ADDRESS =
  "authenticate(): throttling counts failures per client address, and this request has none. Pass the " +
  "clientAddress option to protect()/middleware() (behind a reverse proxy: the address it vouches for, such as " +
  "CF-Connecting-IP), or set request.clientAddress; or set throttle.missingClientAddress to " +
  '"count-by-identity" to count by user name alone, which lets anyone lock any user out';

/** The seconds until `resetAt`, at least 1 (`Retry-After`, RFC 9110 §10.2.3). */
function retryAfter(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}

/**
 * Counts the attempt before it is verified: first against the client
 * address (every name), then against the address and identity. Over a
 * limit, the attempt is taken back (it is not verified) and the answer is
 * 429; the identity is not counted when the address is over its limit.
 *
 * @throws {TypeError} If no client address is known and `missingClientAddress` is `"reject"`.
 */
export async function reserveAttempt(settings: ThrottleSettings, request: GateRequest): Promise<Gate> {
  const { store, windowMs } = settings;
  const address =
    typeof request.clientAddress === "string" && request.clientAddress !== "" ? request.clientAddress : undefined;
  if (address === undefined && settings.missingClientAddress === "reject") throw new TypeError(NO_ADDRESS);
  const reserved: Reserved = { address: undefined, identity: undefined };
  if (address !== undefined) {
    const key = JSON.stringify(["address", address]);
    const state = await store.hit(key, windowMs, request.now);
    if (state.count > settings.maxFailuresPerAddress) {
      await store.release(key, state.resetAt);
      return { retryAfter: retryAfter(state.resetAt, request.now) };
    }
    reserved.address = { key, resetAt: state.resetAt };
  }
  if (request.identity !== undefined) {
    const key = JSON.stringify(["identity", address ?? null, request.scheme, request.identity]);
    const state = await store.hit(key, windowMs, request.now);
    if (state.count > settings.maxFailures) {
      await store.release(key, state.resetAt);
      await releaseAddress(store, reserved);
      return { retryAfter: retryAfter(state.resetAt, request.now) };
    }
    reserved.identity = { key, resetAt: state.resetAt };
  }
  return { reserved };
}

async function releaseAddress(store: ThrottleStore, reserved: Reserved): Promise<void> {
  if (reserved.address !== undefined) await store.release(reserved.address.key, reserved.address.resetAt);
}

/**
 * Settles a verified attempt. A success (or a 403 or a step-up demand: the
 * credentials were right) resets the identity and takes back only its own attempt from the
 * address, whose other failures stay counted. A stale nonce or nonce count,
 * or a DPoP proof without the server's fresh nonce (RFC 9449 §9), is not a
 * password failure: both attempts are taken back. Any other
 * failure (400, 401) stays counted.
 */
export async function settleAttempt(
  store: ThrottleStore,
  reserved: Reserved,
  verdict: SchemeSuccess<unknown> | SchemeFailure | "threw",
): Promise<void> {
  // A 403, or a step-up demand (RFC 9470): the credentials were right, only not enough.
  const success =
    verdict !== "threw" &&
    (verdict.ok || verdict.status === 403 || verdict.reason === "insufficient-user-authentication");
  const notAFailure =
    verdict === "threw" ||
    (!verdict.ok &&
      (verdict.reason === "stale-nonce" || verdict.reason === "use-dpop-nonce" || verdict.challenge?.stale === true));
  if (!success && !notAFailure) return;
  if (reserved.identity !== undefined) {
    if (success) await store.reset(reserved.identity.key);
    else await store.release(reserved.identity.key, reserved.identity.resetAt);
  }
  await releaseAddress(store, reserved);
}
