/**
 * Nonce counts (RFC 7616 §3.4, §5.10): the store contract that stops a
 * captured request from being replayed, and its in-memory implementation.
 *
 * @module
 */

/**
 * Remembers the highest nonce count seen per nonce, so that a captured
 * request cannot be replayed (RFC 7616 §3.4, §5.10). Back it with shared
 * storage when several server instances share a secret.
 */
export interface NonceCountStore {
  /**
   * Records `nc` for `nonce`.
   *
   * @param nonce The server nonce, already checked to be genuine.
   * @param nc The nonce count, from 1.
   * @returns `false` when `nc` is not greater than the last count accepted for
   *   this nonce (a replay), `true` otherwise.
   */
  check(nonce: string, nc: number): boolean | Promise<boolean>;
}

/** Options of {@linkcode createMemoryNonceCountStore}. */
export interface MemoryNonceCountStoreOptions {
  /**
   * The most nonces remembered; the least recently used is forgotten first.
   * Defaults to 10 000. Size it above the number of nonces issued within one
   * nonce lifetime: a forgotten nonce accepts any count again.
   */
  maxEntries?: number;
}

/**
 * Creates an in-memory {@linkcode NonceCountStore} (RFC 7616 §3.4, §5.10):
 * per nonce, the highest nonce count accepted; a count not above it is a
 * replay. Holds at most `maxEntries` nonces and forgets the least recently
 * used first. Create one per server and pass it on every call of
 * {@linkcode verifyDigestCredentials}; servers that share a secret across
 * processes need a shared store instead.
 *
 * Counts must rise: a client whose concurrent requests arrive out of order
 * sees the late one refused, and should retry with the next count.
 *
 * @param options `maxEntries`, 10 000 by default.
 * @returns A new, empty store.
 * @throws {RangeError} If `maxEntries` is not a positive whole number.
 *
 * @example Counts must rise per nonce
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryNonceCountStore } from "@httpauth/core";
 *
 * const store = createMemoryNonceCountStore({ maxEntries: 1000 });
 * assert.equal(store.check("nonce-a", 1), true);
 * assert.equal(store.check("nonce-a", 1), false);
 * assert.equal(store.check("nonce-a", 3), true);
 * assert.equal(store.check("nonce-a", 2), false);
 * assert.equal(store.check("nonce-b", 1), true);
 * ```
 */
export function createMemoryNonceCountStore(options: MemoryNonceCountStoreOptions = {}): NonceCountStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError("Cannot create a nonce count store: maxEntries must be a positive whole number");
  }
  const counts = new Map<string, number>();
  return {
    check(nonce: string, nc: number): boolean {
      if (typeof nonce !== "string") throw new TypeError("Cannot check a nonce count: nonce must be a string");
      if (!Number.isSafeInteger(nc) || nc < 1) {
        throw new RangeError("Cannot check a nonce count: nc must be a positive whole number");
      }
      const last = counts.get(nonce);
      if (last !== undefined && nc <= last) return false;
      // Re-inserting keeps the Map in least-recently-used order.
      counts.delete(nonce);
      counts.set(nonce, nc);
      if (counts.size > maxEntries) {
        const oldest = counts.keys().next();
        if (oldest.done !== true) counts.delete(oldest.value);
      }
      return true;
    },
  };
}
