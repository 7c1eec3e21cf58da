/**
 * `createKvStore`: the throttle, nonce-count and replay store contracts on
 * Deno KV, each operation one `atomic()` compare-and-set.
 *
 * @module
 */

import type {
  NonceCountEntry,
  NonceCountResult,
  NonceCountStore,
  ReplayStore,
  ThrottleState,
  ThrottleStore,
} from "@httpauth/core";
import { checkReplayArguments } from "@httpauth/core";
import {
  checkNonceCountArguments,
  checkThrottleArguments,
  hashStoreKey,
  nonceCountStep,
  replayUseStep,
  type StoreStep,
  stampStep,
  throttleHitStep,
  throttleReleaseStep,
} from "@httpauth/core/store-steps";

/** A part of a Deno KV key (`Deno.KvKeyPart`). */
export type KvKeyPart = Uint8Array | string | number | bigint | boolean;

/** A Deno KV key (`Deno.KvKey`). */
export type KvKey = readonly KvKeyPart[];

/** As much of `Deno.AtomicOperation` as this store uses. */
export interface KvAtomicOperation {
  /** Fails the commit unless `key` still has `versionstamp` (`null`: absent). */
  check(...checks: { key: KvKey; versionstamp: string | null }[]): KvAtomicOperation;
  /** Writes `value`, deletable by KV from `expireIn` milliseconds on. */
  set(key: KvKey, value: unknown, options?: { expireIn?: number }): KvAtomicOperation;
  /** Deletes `key`. */
  delete(key: KvKey): KvAtomicOperation;
  /** Commits: `{ ok: false }` when a check failed. */
  commit(): Promise<{ ok: boolean }>;
}

/** As much of `Deno.Kv` as this store uses: `await Deno.openKv()` fits. */
export interface KvDatabase {
  /** Reads `key` with its versionstamp (`null` when absent). */
  get(key: KvKey): Promise<{ value: unknown; versionstamp: string | null }>;
  /** Starts an atomic operation. */
  atomic(): KvAtomicOperation;
}

/** Options of {@linkcode createKvStore}. */
export interface KvStoreOptions {
  /** The first part of every key this store writes. Default `"httpauth"`; 1 to 64 characters. */
  prefix?: string;
  /** How many conflicting commits one operation retries before it rejects. Default 64. */
  maxAttempts?: number;
}

/** The three store contracts on one Deno KV database. */
export interface KvStore extends ThrottleStore, NonceCountStore, ReplayStore {
  /** ThrottleStore: counts one attempt for `key` before it is verified. */
  hit(key: string, windowMs: number, now: number): Promise<ThrottleState>;
  /** ThrottleStore: takes back one attempt from the window closing at `resetAt`, if it is still the one held. */
  release(key: string, resetAt: number): Promise<void>;
  /** ThrottleStore: forgets `key`. */
  reset(key: string): Promise<void>;
  /** NonceCountStore: records `nc` for (`nonce`, `username`) in a window of 32 counts. */
  check(entry: NonceCountEntry): Promise<NonceCountResult>;
  /** ReplayStore: adds `id` until `expiresAt` unless it is live; `true` when it was new. */
  use(id: string, expiresAt: number, now: number): Promise<boolean>;
}

function checkDatabase(kv: unknown): asserts kv is KvDatabase {
  const candidate = kv as Partial<KvDatabase> | null;
  if (typeof candidate?.get !== "function" || typeof candidate.atomic !== "function") {
    throw new TypeError("createKvStore(): pass a Deno KV database, such as `await Deno.openKv()`");
  }
}

/** A random pause of up to `attempt` milliseconds, so that racing writers spread out. */
function backOff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 20)));
}

/**
 * Commits: `true` when written, `false` on a conflict — a failed check, or
 * SQLite's "database is locked" when another process holding the same file
 * writes at that moment (self-hosted KV on one file).
 */
async function commit(operation: KvAtomicOperation): Promise<boolean> {
  try {
    return (await operation.commit()).ok;
  } catch (error) {
    if (error instanceof Error && /database is locked|database is busy/i.test(error.message)) return false;
    throw error;
  }
}

/** A step run on one KV key. */
type Transaction = <Value extends object, Answer>(
  key: KvKey,
  step: (stored: unknown) => StoreStep<Value, Answer>,
) => Promise<Answer>;

/**
 * Runs steps on KV keys as compare-and-set commits. Operations on one key from
 * this store run one after another, so that only other instances (other
 * processes, other handles) cause conflicts; a conflict is retried up to
 * `maxAttempts` times, then the operation rejects.
 */
function createTransaction(kv: KvDatabase, maxAttempts: number): Transaction {
  const pending = new Map<string, Promise<unknown>>();

  /** Runs `step` on the value at `key` as one compare-and-set after this store's earlier operations on it. */
  function transact<Value extends object, Answer>(
    key: KvKey,
    step: (stored: unknown) => StoreStep<Value, Answer>,
  ): Promise<Answer> {
    const name = `${String(key[1])}/${String(key[2])}`;
    const result = (pending.get(name) ?? Promise.resolve()).then(() => compareAndSet(key, step));
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    pending.set(name, settled);
    void settled.then(() => {
      if (pending.get(name) === settled) pending.delete(name);
    });
    return result;
  }

  /** Runs `step` on the value at `key` as one compare-and-set, retrying on conflicts. */
  async function compareAndSet<Value extends object, Answer>(
    key: KvKey,
    step: (stored: unknown) => StoreStep<Value, Answer>,
  ): Promise<Answer> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const entry = await kv.get(key);
      const decided = step(entry.value);
      const clock = Date.now();
      const value = stampStep(decided, entry.value, clock);
      if (value === undefined) return decided.answer;
      const operation = kv.atomic().check({ key, versionstamp: entry.versionstamp });
      if (value === null) operation.delete(key);
      else operation.set(key, value, { expireIn: Math.max(1, Math.ceil(value.deleteAt - clock)) });
      if (await commit(operation)) return decided.answer;
      await backOff(attempt);
    }
    throw new Error(`Cannot update the Deno KV store: ${maxAttempts} conflicting writes on one key; try again`);
  }
  return transact;
}

/**
 * Creates a store on Deno KV implementing the throttle, nonce-count and
 * replay contracts of `@httpauth/core`, for instances that share one KV
 * database (Deno Deploy, or one file behind several processes).
 *
 * Each operation reads its key and commits with an `atomic()` check of the
 * versionstamp it read, retrying on a conflict up to `maxAttempts` times,
 * then rejecting: the authenticator then rejects, never lets a request
 * through unchecked. Deadlines live in the values, since KV's `expireIn`
 * is only the earliest time KV may delete an entry; `expireIn` still lets KV
 * clean up. Keys are `[prefix, kind, SHA-256 of the key]`, a fixed length
 * whatever the user name or id. A store that cannot be reached rejects.
 *
 * @param kv The database: `await Deno.openKv()`, `Deno.openKv(path)` or `":memory:"`.
 * @param options `prefix` (default `"httpauth"`), `maxAttempts` (default 64).
 * @returns The store: pass it as `throttle.store`, `nonceCounts` and wherever a `ReplayStore` is taken.
 * @throws {TypeError} If `kv` is not a Deno KV database.
 * @throws {RangeError} If `prefix` or `maxAttempts` is out of range.
 *
 * @example A one-time value is new once, on any instance sharing the database
 * ```ts
 * import assert from "node:assert/strict";
 * import { createKvStore } from "@httpauth/deno";
 *
 * const kv = await Deno.openKv(":memory:");
 * const store = createKvStore(kv, { prefix: "api" });
 * const now = Date.now();
 * assert.equal(await store.use("jti-1", now + 60_000, now), true);
 * assert.equal(await store.use("jti-1", now + 60_000, now), false);
 * assert.deepEqual(await store.hit("address:192.0.2.1", 60_000, now), { count: 1, resetAt: now + 60_000 });
 * kv.close();
 * ```
 */
export function createKvStore(kv: KvDatabase, options: KvStoreOptions = {}): KvStore {
  checkDatabase(kv);
  const { prefix = "httpauth", maxAttempts = 64 } = options;
  if (typeof prefix !== "string" || prefix.length === 0 || prefix.length > 64) {
    throw new RangeError("createKvStore(): prefix must be a string of 1 to 64 characters");
  }
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    throw new RangeError("createKvStore(): maxAttempts must be a whole number from 1 to 1000");
  }

  const transact = createTransaction(kv, maxAttempts);

  return {
    async hit(key, windowMs, now) {
      checkThrottleArguments(key, { now, windowMs });
      const stored = [prefix, "throttle", await hashStoreKey([key])];
      return transact(stored, (value) => throttleHitStep(value, windowMs, now));
    },
    async release(key, resetAt) {
      checkThrottleArguments(key, { resetAt });
      const stored = [prefix, "throttle", await hashStoreKey([key])];
      await transact(stored, (value) => throttleReleaseStep(value, resetAt));
    },
    async reset(key) {
      checkThrottleArguments(key, {});
      const stored = [prefix, "throttle", await hashStoreKey([key])];
      await kv.atomic().delete(stored).commit();
    },
    async check(entry) {
      checkNonceCountArguments(entry);
      const { nonce, username, nc, expiresAt, now } = entry;
      const stored = [prefix, "nonce-count", await hashStoreKey([nonce, username])];
      return transact(stored, (value) => nonceCountStep(value, nc, expiresAt, now));
    },
    async use(id, expiresAt, now) {
      checkReplayArguments(id, expiresAt, now);
      const stored = [prefix, "replay", await hashStoreKey([id])];
      return transact(stored, (value) => replayUseStep(value, expiresAt, now));
    },
  };
}
