/**
 * Counting authentication attempts, for the authenticator's optional
 * throttling: an attempt is counted *before* its credentials are verified,
 * and after too many in a window the answer is 429 with `Retry-After`
 * (RFC 6585 §4) without checking credentials.
 *
 * @module
 */

/** The attempts counted for one key in the current window. */
export interface ThrottleState {
  /** Attempts counted since the window opened (and not taken back). */
  count: number;
  /** When the window closes, in milliseconds since the epoch. */
  resetAt: number;
}

/**
 * Where attempts are counted: the contract every throttle store implements,
 * in memory ({@linkcode createMemoryThrottleStore}) or shared between
 * instances. Each method is **one atomic operation** on the store, so a
 * shared store implements it with one round trip: a Redis/Valkey `EVAL`
 * script, a Deno KV `atomic()` check-and-set, one call into a Durable
 * Object. Every method may be synchronous or return a promise; one that
 * throws or rejects makes `authenticate()` reject — never a pass, never a
 * wrong-password count.
 *
 * The authenticator calls `hit` *before* verifying credentials and decides on
 * the count it returns, so concurrent requests can never all pass a check
 * made before any of them was recorded. After verifying, it calls `release`
 * (the attempt succeeded, was not verified, or was not a password failure)
 * or `reset` (a success forgets an identity's failures).
 *
 * Contract (checked by the shared suite `@httpauth/testkit/throttle-store-contract`):
 * - `hit(key, windowMs, now)`: if `key` has no window open at `now` (none, or
 *   `resetAt <= now`), open one: `{ count: 1, resetAt: now + windowMs }`;
 *   otherwise add 1 to its count, keeping its `resetAt`. Return the new
 *   state. Concurrent hits on one key return distinct counts.
 * - `release(key, resetAt)`: take back one attempt from the window that
 *   closes at `resetAt` (what `hit` returned), if that window is still the
 *   one held for `key`; never below 0. A window that reaches 0 may be
 *   forgotten. A later window is never touched, so a slow request cannot
 *   take back an attempt of the next window.
 * - `reset(key)`: forget `key`.
 * - A store with a size bound must never drop a window that is still open
 *   (that would reset a count an attacker is using up); when it cannot hold
 *   a new key it answers `hit` with a count above any limit (fail closed).
 *
 * @example A store over a Redis client (one `EVAL` per call)
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ThrottleStore } from "@httpauth/core";
 *
 * // HIT:     KEYS[1], ARGV windowMs, now → { count, resetAt }
 * // RELEASE: KEYS[1], ARGV resetAt     → decrement if the hash's resetAt matches and count > 0
 * type Eval = (script: "HIT" | "RELEASE", key: string, ...args: number[]) => Promise<number[]>;
 * function redisThrottleStore(evaluate: Eval): ThrottleStore {
 *   return {
 *     async hit(key, windowMs, now) {
 *       const [count = 0, resetAt = 0] = await evaluate("HIT", key, windowMs, now);
 *       return { count, resetAt };
 *     },
 *     async release(key, resetAt) {
 *       await evaluate("RELEASE", key, resetAt);
 *     },
 *     async reset(key) {
 *       await evaluate("RELEASE", key, -1);
 *     },
 *   };
 * }
 * assert.equal(typeof redisThrottleStore(async () => [1, 60_000]).hit, "function");
 * ```
 */
export interface ThrottleStore {
  /**
   * Atomically counts one attempt for `key`, before it is verified, opening a
   * window of `windowMs` if none is open at `now`; returns the new state.
   */
  hit(key: string, windowMs: number, now: number): ThrottleState | Promise<ThrottleState>;
  /**
   * Takes back one attempt counted by `hit` in the window that closes at
   * `resetAt`, if it is still the window held for `key`; never below 0.
   */
  release(key: string, resetAt: number): void | Promise<void>;
  /** Forgets `key` (after a success). */
  reset(key: string): void | Promise<void>;
}

/** Options of {@linkcode createMemoryThrottleStore}. */
export interface MemoryThrottleStoreOptions {
  /**
   * The most keys kept, 100 000 by default. Closed windows are dropped to make
   * room; an open window is never dropped, and when every kept key has an open
   * window a new key is refused: its `hit` answers a count above any limit,
   * so the request gets 429 (fail closed) until windows close.
   */
  maxKeys?: number;
}

/** The count `hit` answers for a key the store has no room for: above any limit. */
const REFUSED = Number.MAX_SAFE_INTEGER;

/**
 * Creates an in-memory {@linkcode ThrottleStore}: fixed windows per key,
 * bounded in size, for one server instance. It implements the store contract
 * exactly; when it is full of open windows it refuses new keys (their
 * requests get 429) rather than forgetting a count still in its window.
 *
 * @param options `maxKeys`, the bound on memory (default 100 000).
 * @returns The store.
 * @throws {RangeError} If `maxKeys` is not a positive whole number.
 *
 * @example Attempts counted in a window; one taken back
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryThrottleStore } from "@httpauth/core";
 *
 * const store = createMemoryThrottleStore();
 * store.hit("client", 60_000, 0);
 * const { resetAt } = store.hit("client", 60_000, 1_000);
 * store.release("client", resetAt);
 * assert.deepEqual(store.hit("client", 60_000, 2_000), { count: 2, resetAt: 60_000 });
 * // A closed window starts again from 1.
 * assert.deepEqual(store.hit("client", 60_000, 60_000), { count: 1, resetAt: 120_000 });
 * ```
 *
 * @example Full of open windows: a new key is refused, an old one kept
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryThrottleStore } from "@httpauth/core";
 *
 * const store = createMemoryThrottleStore({ maxKeys: 1 });
 * store.hit("victim", 60_000, 0);
 * assert.ok(store.hit("flood", 60_000, 1).count > 1_000_000);
 * assert.deepEqual(store.hit("victim", 60_000, 2), { count: 2, resetAt: 60_000 });
 * ```
 */
export function createMemoryThrottleStore(options: MemoryThrottleStoreOptions = {}): ThrottleStore {
  const maxKeys = options.maxKeys ?? 100_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError("createMemoryThrottleStore(): maxKeys must be a positive whole number");
  }
  const windows = new Map<string, ThrottleState>();
  // No window closes before this time: a full store is not swept again until then.
  let nextClose = Number.NEGATIVE_INFINITY;

  /** Drops every closed window; returns whether there is room for one more key. */
  function makeRoom(now: number): boolean {
    if (windows.size < maxKeys) return true;
    if (now < nextClose) return false;
    nextClose = Number.POSITIVE_INFINITY;
    for (const [key, state] of windows) {
      if (state.resetAt <= now) windows.delete(key);
      else nextClose = Math.min(nextClose, state.resetAt);
    }
    return windows.size < maxKeys;
  }

  return {
    hit(key, windowMs, now) {
      const current = windows.get(key);
      if (current !== undefined && current.resetAt > now) {
        current.count++;
        return { ...current };
      }
      if (current !== undefined) windows.delete(key);
      if (!makeRoom(now)) return { count: REFUSED, resetAt: now + windowMs };
      const state = { count: 1, resetAt: now + windowMs };
      windows.set(key, state);
      nextClose = Math.min(nextClose, state.resetAt);
      return { ...state };
    },
    release(key, resetAt) {
      const current = windows.get(key);
      if (current === undefined || current.resetAt !== resetAt) return;
      current.count--;
      if (current.count <= 0) windows.delete(key);
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
