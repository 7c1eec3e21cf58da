/**
 * One-time values (a DPoP proof's `jti`, RFC 9449 §11.1; any single-use
 * id): the store contract that refuses a value seen before, and its
 * in-memory implementation.
 *
 * @module
 */

/**
 * The longest id a {@linkcode ReplayStore} accepts, in UTF-16 code units
 * (512): short enough for the key limits of shared stores. Hash longer ids
 * first.
 *
 * @example A longer id is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryReplayStore, MAX_REPLAY_ID_LENGTH } from "@httpauth/core";
 *
 * const store = createMemoryReplayStore();
 * assert.equal(store.use("x".repeat(MAX_REPLAY_ID_LENGTH), 1_000, 0), true);
 * assert.throws(() => store.use("x".repeat(MAX_REPLAY_ID_LENGTH + 1), 1_000, 0), RangeError);
 * ```
 */
export const MAX_REPLAY_ID_LENGTH = 512;

/**
 * Remembers one-time values until they expire: "add this id if absent,
 * expiring at `expiresAt`; tell me whether it was new".
 *
 * The contract every store implements — the in-memory one, and a shared one
 * (Redis/Valkey, Deno KV, a Durable Object) with **one atomic operation**
 * per call (a Lua script, an `atomic()` check-and-set, one Durable Object
 * request):
 *
 * - `use` answers `true` exactly once per live id, however many calls race
 *   (on one instance or several): the caller accepts the value only then.
 * - An id is live while `now < expiresAt`; from `expiresAt` on it may be
 *   forgotten, and using it again is new. An id whose `expiresAt` is not
 *   after `now` is never new (`false`, nothing recorded).
 * - A live id is never forgotten: a store that is full answers `false` for
 *   new ids (fail closed) rather than dropping a live one.
 * - Ids compare as exact strings: no case folding, no Unicode
 *   normalisation. Ids are non-empty, well-formed UTF-16, and at most
 *   {@linkcode MAX_REPLAY_ID_LENGTH} characters.
 * - Bad arguments throw (or reject with) `TypeError`/`RangeError`; a store
 *   that cannot answer rejects, and the caller must then refuse the request.
 *
 * Every method may be synchronous or return a promise.
 */
export interface ReplayStore {
  /**
   * Records `id` until `expiresAt` unless it is already live.
   *
   * @param id The one-time value.
   * @param expiresAt When it stops being live, in milliseconds since the epoch.
   * @param now The current time, in milliseconds since the epoch.
   * @returns `true` when `id` was not live (it is now recorded), `false` when
   *   it was (a replay), when `expiresAt <= now`, or when the store is full.
   */
  use(id: string, expiresAt: number, now: number): boolean | Promise<boolean>;
}

/** Options of {@linkcode createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /**
   * The most live ids kept. Defaults to 10 000. When every entry is live the
   * store answers `false` for new ids until some expire: size it above the
   * number of one-time values accepted within their lifetime.
   */
  maxEntries?: number;
}

/**
 * Checks the arguments of {@linkcode ReplayStore.use}, for stores to share.
 *
 * @param id The one-time value.
 * @param expiresAt When it expires, in milliseconds since the epoch.
 * @param now The current time, in milliseconds since the epoch.
 * @throws {TypeError} If `id` is not a string or a time is not a number.
 * @throws {RangeError} If `id` is empty, too long or not well-formed UTF-16, or a time is not finite.
 *
 * @example A lone surrogate is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkReplayArguments } from "@httpauth/core";
 *
 * checkReplayArguments("jti-1", 2_000, 1_000);
 * assert.throws(() => checkReplayArguments("\uD800", 2_000, 1_000), RangeError);
 * ```
 */
export function checkReplayArguments(id: string, expiresAt: number, now: number): void {
  if (typeof id !== "string") throw new TypeError("Cannot use a one-time value: id must be a string");
  if (id.length === 0 || id.length > MAX_REPLAY_ID_LENGTH) {
    throw new RangeError(
      `Cannot use a one-time value: id must have 1 to ${MAX_REPLAY_ID_LENGTH} characters (hash longer ones)`,
    );
  }
  if (!isWellFormed(id)) {
    throw new RangeError("Cannot use a one-time value: id must be well-formed UTF-16 (no lone surrogates)");
  }
  if (typeof expiresAt !== "number" || typeof now !== "number") {
    throw new TypeError("Cannot use a one-time value: expiresAt and now must be numbers of milliseconds");
  }
  if (!Number.isFinite(expiresAt) || !Number.isFinite(now)) {
    throw new RangeError("Cannot use a one-time value: expiresAt and now must be finite");
  }
}

/** Whether `text` has no lone surrogate (String.prototype.isWellFormed, ES2024). */
function isWellFormed(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(index + 1);
    if (code > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false;
    index++;
  }
  return true;
}

/**
 * Creates an in-memory {@linkcode ReplayStore} for one server instance:
 * each id is kept until it expires, never dropped while live. When
 * `maxEntries` ids are live it answers `false` for new ids (fail closed:
 * a flood can delay new values until entries expire, but never makes a
 * used one new again). Instances behind one load balancer need a shared
 * store instead (`@httpauth/redis`, `createKvStore` of `@httpauth/deno`,
 * `createDurableObjectStore` of `@httpauth/web/durable-object`).
 *
 * @param options `maxEntries`, 10 000 by default.
 * @returns A new, empty store.
 * @throws {RangeError} If `maxEntries` is not a positive whole number.
 *
 * @example A one-time value is accepted once, until it expires
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryReplayStore } from "@httpauth/core";
 *
 * const store = createMemoryReplayStore({ maxEntries: 1000 });
 * assert.equal(store.use("jti-1", 60_000, 0), true);
 * assert.equal(store.use("jti-1", 60_000, 30_000), false);
 * assert.equal(store.use("JTI-1", 60_000, 30_000), true);
 * assert.equal(store.use("jti-1", 120_000, 60_000), true);
 * ```
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError("createMemoryReplayStore(): maxEntries must be a positive whole number");
  }
  const live = new Map<string, number>();
  // No entry expires before this time, so a full store skips the sweep until then.
  let earliest = Number.POSITIVE_INFINITY;
  function sweep(now: number): void {
    earliest = Number.POSITIVE_INFINITY;
    for (const [id, expiresAt] of live) {
      if (expiresAt <= now) live.delete(id);
      else if (expiresAt < earliest) earliest = expiresAt;
    }
  }
  return {
    use(id: string, expiresAt: number, now: number): boolean {
      checkReplayArguments(id, expiresAt, now);
      if (expiresAt <= now) return false;
      const previous = live.get(id);
      if (previous !== undefined) {
        if (previous > now) return false;
        live.delete(id);
      }
      if (live.size >= maxEntries && earliest <= now) sweep(now);
      if (live.size >= maxEntries) return false;
      live.set(id, expiresAt);
      if (expiresAt < earliest) earliest = expiresAt;
      return true;
    },
  };
}
