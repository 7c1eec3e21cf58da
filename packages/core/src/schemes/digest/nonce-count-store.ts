/**
 * Nonce counts (RFC 7616 §3.4, §5.10): the store contract that stops a
 * captured request from being replayed, and its in-memory implementation.
 *
 * @module
 */

import { slideNonceCountWindow } from "../../internal/nonce-count-window.ts";
import { checkNonceCountArguments } from "../../store-steps.ts";

/**
 * What a {@linkcode NonceCountStore} answers for one nonce count:
 *
 * - `"fresh"`: never seen for this nonce and user, and within the window: accept.
 * - `"replayed"`: seen before for this nonce and user, or older than the
 *   window below the highest count seen: refuse.
 * - `"stale"`: the store cannot vouch for the nonce (it forgot it, or the
 *   nonce was issued before what the store still remembers, or it expired):
 *   refuse, and send a fresh nonce.
 */
export type NonceCountResult = "fresh" | "replayed" | "stale";

/** One nonce count to record, as {@linkcode NonceCountStore.check} receives it. */
export interface NonceCountEntry {
  /** The server nonce, already checked to be genuine (its HMAC verified). */
  nonce: string;
  /** The user name the digest was verified for (resolved, for a `userhash`). */
  username: string;
  /** The nonce count, from 1 to 0xffffffff. */
  nc: number;
  /** When the nonce was issued, in milliseconds since the epoch (read from the nonce). */
  issuedAt: number;
  /** When the nonce expires, in milliseconds since the epoch: the entry may be forgotten then. */
  expiresAt: number;
  /** The current time, in milliseconds since the epoch. */
  now: number;
}

/**
 * The nonce-count store contract (RFC 7616 §3.4, §5.10): per nonce **and**
 * user, which counts were already used, so that a captured request cannot be
 * replayed. Digest verification calls it only for a right digest of a
 * genuine, unexpired nonce.
 *
 * A store must:
 *
 * 1. Answer each call with **one atomic operation** (a Redis/Valkey Lua
 *    script, a Deno KV `atomic()` with a version check, a Durable Object's
 *    single-threaded call), so that two requests with the same count racing
 *    in parallel never both get `"fresh"`.
 * 2. Keep counts per (`nonce`, `username`): another user answering the same
 *    nonce (with any count, `nc=ffffffff` included) never uses up this user's counts.
 * 3. Accept counts out of order within a window of at least 32 below the
 *    highest count seen (a bitmap, as SIP and IPsec replay windows do):
 *    parallel requests arriving 8, 1, 2, …, 7 are all `"fresh"`; any count a
 *    second time is `"replayed"`, and so is one below the window.
 * 4. Never answer `"fresh"` for a nonce it forgot: a store that drops entries
 *    before `expiresAt` (under memory pressure) must answer `"stale"` for
 *    any nonce it may have forgotten, for example every nonce issued at or
 *    before the newest `issuedAt` it dropped. A shared store can instead
 *    keep each entry until `expiresAt` (`PX expiresAt - now`).
 * 5. Throw (or reject) when it cannot answer: verification then rejects,
 *    so that a request is never let through unchecked.
 *
 * The method may be synchronous or return a promise. The contract suite in
 * `@httpauth/testkit/nonce-count-store-suite` (private) checks these rules
 * for the in-memory store, and for every shared store.
 *
 * @example A store of your own wraps one atomic call
 * ```ts
 * import assert from "node:assert/strict";
 * import type { NonceCountStore } from "@httpauth/core";
 * import { createMemoryNonceCountStore } from "@httpauth/core";
 *
 * // A shared store sends the entry to one Lua script / KV transaction instead.
 * const inner = createMemoryNonceCountStore();
 * const store: NonceCountStore = { check: async (entry) => inner.check(entry) };
 * const entry = { nonce: "n", username: "ada", nc: 1, issuedAt: 0, expiresAt: 300_000, now: 1_000 };
 * assert.equal(await store.check(entry), "fresh");
 * assert.equal(await store.check(entry), "replayed");
 * ```
 */
export interface NonceCountStore {
  /**
   * Atomically records count `nc` for (`nonce`, `username`) and says whether
   * it may be accepted.
   *
   * @param entry The nonce, the user, the count, the nonce's issue and expiry times and the current time.
   * @returns `"fresh"` (accept), `"replayed"` or `"stale"` (refuse; a fresh nonce is sent).
   */
  check(entry: NonceCountEntry): NonceCountResult | Promise<NonceCountResult>;
}

/** Options of {@linkcode createMemoryNonceCountStore}. */
export interface MemoryNonceCountStoreOptions {
  /**
   * The most (nonce, user) pairs remembered, 10 000 by default. Entries are
   * forgotten when their nonce expires; when the store is full, expired ones
   * go first, then the one whose nonce was issued first, and every nonce
   * issued at or before that one is answered `"stale"` from then on. Size it
   * above the number of nonces used within one nonce lifetime, or clients
   * are asked for fresh nonces more often.
   */
  maxEntries?: number;
}

/** What the memory store keeps per (nonce, user). */
interface Counts {
  /** The highest count seen. */
  highest: number;
  /** Bit i set: count `highest - 1 - i` was seen (the window every store shares). */
  seen: number;
  issuedAt: number;
  expiresAt: number;
}

/** Records `nc` in the window of `counts`: `true` when it was not seen before. */
function record(counts: Counts, nc: number): boolean {
  const next = slideNonceCountWindow(counts.highest, counts.seen, nc);
  if (next === undefined) return false;
  counts.highest = next.highest;
  counts.seen = next.seen;
  return true;
}

/**
 * Creates an in-memory {@linkcode NonceCountStore} (RFC 7616 §3.4, §5.10)
 * for one server process: per nonce and user, a window of the last 32
 * counts below the highest, so that out-of-order parallel requests pass and
 * a repeated count does not. An entry is kept until its nonce expires; when
 * `maxEntries` are held, expired entries are dropped first, then the
 * earliest-issued one, and the store then answers `"stale"` for every nonce
 * issued at or before it that it does not hold: a forgotten nonce never
 * accepts counts again (flooding the store with other nonces cannot revive
 * a captured request).
 *
 * Servers that share a secret across processes need a shared store that
 * implements the same contract.
 *
 * @param options `maxEntries`, 10 000 by default.
 * @returns A new, empty store.
 * @throws {RangeError} If `maxEntries` is not a positive whole number.
 *
 * @example Counts per nonce and user, within a window
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryNonceCountStore } from "@httpauth/core";
 *
 * const store = createMemoryNonceCountStore({ maxEntries: 1000 });
 * const times = { issuedAt: 0, expiresAt: 300_000, now: 1_000 };
 * const ada = { nonce: "nonce-a", username: "ada", ...times };
 * assert.equal(store.check({ ...ada, nc: 8 }), "fresh");
 * assert.equal(store.check({ ...ada, nc: 1 }), "fresh"); // out of order, within the window
 * assert.equal(store.check({ ...ada, nc: 8 }), "replayed");
 * // Another user on the same nonce has counts of their own.
 * assert.equal(store.check({ ...ada, username: "mallory", nc: 0xffffffff }), "fresh");
 * assert.equal(store.check({ ...ada, nc: 9 }), "fresh");
 * ```
 */
export function createMemoryNonceCountStore(options: MemoryNonceCountStoreOptions = {}): NonceCountStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError("Cannot create a nonce count store: maxEntries must be a positive whole number");
  }
  const entries = new Map<string, Counts>();
  /** Nonces issued at or before this time and not held are stale: some of them were forgotten. */
  let horizon = Number.NEGATIVE_INFINITY;

  /** Makes room for one entry: expired entries first, then the earliest issued, raising the horizon. */
  function makeRoom(now: number): void {
    let oldestKey: string | undefined;
    let oldest: Counts | undefined;
    for (const [key, counts] of entries) {
      if (counts.expiresAt <= now) entries.delete(key);
      else if (oldest === undefined || counts.issuedAt < oldest.issuedAt) {
        oldestKey = key;
        oldest = counts;
      }
    }
    if (entries.size < maxEntries || oldestKey === undefined || oldest === undefined) return;
    entries.delete(oldestKey);
    horizon = Math.max(horizon, oldest.issuedAt);
  }

  return {
    check(entry: NonceCountEntry): NonceCountResult {
      checkNonceCountArguments(entry);
      const { nonce, username, nc, issuedAt, expiresAt, now } = entry;
      const key = `${nonce.length}:${nonce}:${username}`;
      const counts = entries.get(key);
      if (now >= expiresAt) {
        entries.delete(key);
        return "stale";
      }
      if (counts !== undefined) return record(counts, nc) ? "fresh" : "replayed";
      if (issuedAt <= horizon) return "stale";
      if (entries.size >= maxEntries) makeRoom(now);
      entries.set(key, { highest: nc, seen: 0, issuedAt, expiresAt });
      return "fresh";
    },
  };
}
