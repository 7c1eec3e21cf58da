/**
 * Counting failed authentication attempts, for the authenticator's optional
 * throttling: after N failures in a window, answer 429 with `Retry-After`
 * (RFC 6585 §4) without checking credentials.
 *
 * @module
 */

/** The failures counted for one key in the current window. */
export interface ThrottleState {
  /** Failures since the window opened. */
  count: number;
  /** When the window closes, in milliseconds since the epoch. */
  resetAt: number;
}

/**
 * Where failures are counted. The in-memory store serves one process; back
 * it with Redis, Deno KV or Workers KV to share counts between instances.
 * Every method may be synchronous or return a promise.
 */
export interface ThrottleStore {
  /** The state of `key`, or `undefined` when it has none or its window has closed. */
  get(key: string, now: number): ThrottleState | undefined | Promise<ThrottleState | undefined>;
  /** Counts one failure for `key`, opening a window of `windowMs` if none is open; returns the new state. */
  hit(key: string, windowMs: number, now: number): ThrottleState | Promise<ThrottleState>;
  /** Forgets `key` (after a success). */
  reset(key: string): void | Promise<void>;
}

/** Options of {@linkcode createMemoryThrottleStore}. */
export interface MemoryThrottleStoreOptions {
  /** The most keys kept; beyond it the key that failed least recently is dropped. Default 10 000. */
  maxKeys?: number;
}

/**
 * Creates an in-memory {@linkcode ThrottleStore}: fixed windows per key,
 * bounded in size, for one server instance.
 *
 * @param options `maxKeys`, the bound on memory (default 10 000).
 * @returns The store.
 * @throws {RangeError} If `maxKeys` is not a positive whole number.
 *
 * @example Three failures open a window that closes a minute later
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryThrottleStore } from "@httpauth/core";
 *
 * const store = createMemoryThrottleStore();
 * store.hit("client", 60_000, 0);
 * store.hit("client", 60_000, 1_000);
 * assert.deepEqual(store.hit("client", 60_000, 2_000), { count: 3, resetAt: 60_000 });
 * assert.equal(store.get("client", 60_000), undefined);
 * ```
 */
export function createMemoryThrottleStore(options: MemoryThrottleStoreOptions = {}): ThrottleStore {
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1) {
    throw new RangeError("createMemoryThrottleStore(): maxKeys must be a positive whole number");
  }
  // A Map iterates in insertion order: the first key is the oldest window.
  const windows = new Map<string, ThrottleState>();
  function get(key: string, now: number): ThrottleState | undefined {
    const state = windows.get(key);
    if (state === undefined) return undefined;
    if (state.resetAt <= now) {
      windows.delete(key);
      return undefined;
    }
    return { ...state };
  }
  return {
    get,
    hit(key, windowMs, now) {
      const current = get(key, now);
      const state =
        current === undefined ? { count: 1, resetAt: now + windowMs } : { ...current, count: current.count + 1 };
      windows.delete(key);
      windows.set(key, state);
      if (windows.size > maxKeys) {
        const oldest = windows.keys().next();
        if (oldest.done !== true) windows.delete(oldest.value);
      }
      return { ...state };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}
