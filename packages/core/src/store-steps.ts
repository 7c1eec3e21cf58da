/**
 * The state machines of httpauth's three store contracts — throttle, Digest
 * nonce counts, one-time values — as pure functions over plain JSON values,
 * for the authors of shared stores: read the stored value, run a step, write
 * what it decides in one atomic operation of your database (a compare-and-set
 * on Deno KV, a Durable Object's single thread, a SQL transaction). The stores
 * of `@httpauth/deno` (Deno KV) and `@httpauth/web/durable-object` are built
 * on them, and the in-memory nonce-count store shares their window, so every
 * store answers the contract suites alike.
 *
 * @example A throttle window, stored as JSON between steps
 * ```ts
 * import assert from "node:assert/strict";
 * import { throttleHitStep } from "@httpauth/core/store-steps";
 *
 * const first = throttleHitStep(undefined, 60_000, 1_000);
 * assert.deepEqual(first.answer, { count: 1, resetAt: 61_000 });
 * const second = throttleHitStep(JSON.parse(JSON.stringify(first.write)), 60_000, 2_000);
 * assert.deepEqual(second.answer, { count: 2, resetAt: 61_000 });
 * ```
 *
 * @module
 */

import { slideNonceCountWindow, NONCE_COUNT_WINDOW as WINDOW } from "./internal/nonce-count-window.ts";

/** A throttle window as stored: what {@linkcode throttleHitStep} writes. */
export interface StoredThrottleWindow {
  /** Attempts counted in the window. */
  count: number;
  /** When the window closes, in milliseconds since the epoch. */
  resetAt: number;
}

/** A nonce's counts as stored: the highest seen and a bitmap of the 32 below it. */
export interface StoredNonceCounts {
  /** The highest count seen. */
  highest: number;
  /** Bit `i` set: count `highest - 1 - i` was seen. */
  seen: number;
  /** When the nonce expires, in milliseconds since the epoch. */
  expiresAt: number;
}

/** A one-time value as stored: what {@linkcode replayUseStep} writes. */
export interface StoredOneTimeValue {
  /** When it stops being live, in milliseconds since the epoch. */
  expiresAt: number;
}

/** What one atomic step decides: the value to write (`null` deletes, `undefined` leaves it) and the answer. */
export interface StoreStep<Value, Answer> {
  /** The value to write; `null` deletes it, `undefined` (or absent) leaves the stored value as it is. */
  write?: Value | null;
  /**
   * How long the written value must live, in milliseconds from now by the
   * caller's clock (its deadline minus `now`); undefined keeps the stored
   * value's time of deletion.
   */
  lifetime?: number;
  /** What the store operation answers its caller. */
  answer: Answer;
}

/** A value as written: the step's value and when the store may delete it, by the store's own clock. */
export type StampedValue<Value> = Value & { deleteAt: number };

/**
 * How many counts below the highest the nonce-count window remembers
 * (RFC 7616 §3.4: a client's parallel requests may arrive out of order).
 * Every store of httpauth keeps this window.
 *
 * @example 32 below the highest is still inside the window
 * ```ts
 * import assert from "node:assert/strict";
 * import { NONCE_COUNT_WINDOW, nonceCountStep } from "@httpauth/core/store-steps";
 *
 * const { write } = nonceCountStep(undefined, 100, 300_000, 1_000);
 * assert.equal(nonceCountStep(write, 100 - NONCE_COUNT_WINDOW, 300_000, 1_000).answer, "fresh");
 * assert.equal(nonceCountStep(write, 99 - NONCE_COUNT_WINDOW, 300_000, 1_000).answer, "replayed");
 * ```
 */
export const NONCE_COUNT_WINDOW: 32 = WINDOW;
const MAX_NC = 0xffff_ffff;

// ── Argument checks ─────────────────────────────────────────────────────────

function checkTime(value: unknown, name: string, context: string): void {
  if (typeof value !== "number") throw new TypeError(`${context}: ${name} must be a number of milliseconds`);
  if (!Number.isFinite(value)) throw new RangeError(`${context}: ${name} must be finite`);
}

/**
 * Checks the arguments of `ThrottleStore`'s `hit` (`now`, `windowMs`),
 * `release` (`resetAt`) and `reset` (no times), so that every store refuses
 * the same calls with the same errors.
 *
 * @param key The throttle key.
 * @param times The operation's times by name, in milliseconds.
 * @throws {TypeError} If `key` is not a string or a time is not a number.
 * @throws {RangeError} If a time is not finite or `windowMs` is not positive.
 *
 * @example A window of zero milliseconds is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkThrottleArguments } from "@httpauth/core/store-steps";
 *
 * checkThrottleArguments("basic:alice", { now: 1_000, windowMs: 60_000 });
 * assert.throws(() => checkThrottleArguments("basic:alice", { now: 1_000, windowMs: 0 }), RangeError);
 * assert.throws(() => checkThrottleArguments(42, {}), TypeError);
 * ```
 */
export function checkThrottleArguments(
  key: unknown,
  times: { readonly now?: unknown; readonly windowMs?: unknown; readonly resetAt?: unknown },
): void {
  const context = "Cannot count an attempt";
  if (typeof key !== "string") throw new TypeError(`${context}: key must be a string`);
  for (const [name, value] of Object.entries(times)) checkTime(value, name, context);
  if (times.windowMs !== undefined && (times.windowMs as number) <= 0) {
    throw new RangeError(`${context}: windowMs must be positive`);
  }
}

/**
 * Checks the entry given to `NonceCountStore`'s `check`, so that every store
 * refuses the same entries with the same errors.
 *
 * @param entry The entry: `{ nonce, username, nc, issuedAt, expiresAt, now }`.
 * @throws {TypeError} If `entry` is not an object, `nonce` or `username` is not a string, or a time is not a number.
 * @throws {RangeError} If `nonce` is empty, `nc` is not a whole number from 1 to 2³²−1, a time is not finite, or `expiresAt` is before `issuedAt`.
 *
 * @example An nc of 0 is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNonceCountArguments } from "@httpauth/core/store-steps";
 *
 * const entry = { nonce: "n1", username: "alice", nc: 1, issuedAt: 0, expiresAt: 300_000, now: 1_000 };
 * checkNonceCountArguments(entry);
 * assert.throws(() => checkNonceCountArguments({ ...entry, nc: 0 }), RangeError);
 * ```
 */
export function checkNonceCountArguments(entry: unknown): void {
  const context = "Cannot check a nonce count";
  if (typeof entry !== "object" || entry === null) throw new TypeError(`${context}: pass an entry object`);
  const { nonce, username, nc, issuedAt, expiresAt, now } = entry as Record<string, unknown>;
  if (typeof nonce !== "string" || typeof username !== "string") {
    throw new TypeError(`${context}: nonce and username must be strings`);
  }
  if (nonce.length === 0) throw new RangeError(`${context}: nonce must not be empty`);
  if (typeof nc !== "number" || !Number.isInteger(nc) || nc < 1 || nc > MAX_NC) {
    throw new RangeError(`${context}: nc must be a whole number from 1 to ${MAX_NC}`);
  }
  checkTime(issuedAt, "issuedAt", context);
  checkTime(expiresAt, "expiresAt", context);
  checkTime(now, "now", context);
  if ((expiresAt as number) < (issuedAt as number)) throw new RangeError(`${context}: expiresAt is before issuedAt`);
}

// ── Reading stored values (a foreign or corrupt value fails closed) ────────

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function corrupt(kind: string): never {
  throw new Error(
    `Cannot read the store: a ${kind} entry has an unexpected shape (another program writes under this prefix?)`,
  );
}

function readWindow(value: unknown): StoredThrottleWindow | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value) || !Number.isSafeInteger(value.count) || typeof value.resetAt !== "number") corrupt("throttle");
  return { count: value.count as number, resetAt: value.resetAt as number };
}

function readCounts(value: unknown): StoredNonceCounts | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value) || !Number.isSafeInteger(value.highest) || !Number.isSafeInteger(value.seen)) corrupt("nonce");
  if (typeof value.expiresAt !== "number") corrupt("nonce");
  return { highest: value.highest as number, seen: value.seen as number, expiresAt: value.expiresAt as number };
}

function readUse(value: unknown): StoredOneTimeValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value) || typeof value.expiresAt !== "number") corrupt("one-time value");
  return { expiresAt: value.expiresAt as number };
}

// ── Steps ──────────────────────────────────────────────────────────────────

/**
 * `ThrottleStore.hit` as a step: one more attempt in the open window, or a new
 * window of `windowMs` when none is open.
 *
 * @param stored The value stored under the key (`undefined` or `null` when none).
 * @param windowMs The window's length, in milliseconds.
 * @param now The current time, in milliseconds since the epoch.
 * @returns The window to write and, as the answer, the count and when it resets.
 * @throws {Error} If `stored` is not a throttle window (another program writes under the store's prefix).
 *
 * @example The third attempt of a window
 * ```ts
 * import assert from "node:assert/strict";
 * import { throttleHitStep } from "@httpauth/core/store-steps";
 *
 * const step = throttleHitStep({ count: 2, resetAt: 61_000 }, 60_000, 5_000);
 * assert.deepEqual(step.answer, { count: 3, resetAt: 61_000 });
 * assert.equal(step.lifetime, 56_000);
 * ```
 */
export function throttleHitStep(
  stored: unknown,
  windowMs: number,
  now: number,
): StoreStep<StoredThrottleWindow, StoredThrottleWindow> {
  const current = readWindow(stored);
  const next =
    current === undefined || current.resetAt <= now
      ? { count: 1, resetAt: now + windowMs }
      : { count: current.count + 1, resetAt: current.resetAt };
  return { write: next, lifetime: next.resetAt - now, answer: { ...next } };
}

/**
 * `ThrottleStore.release` as a step: one attempt fewer in the window closing
 * at `resetAt`, if that window is still the one stored (a newer window is
 * left alone); the last attempt deletes the window.
 *
 * @param stored The value stored under the key.
 * @param resetAt The `resetAt` that `hit` answered for the attempt released.
 * @returns The window to write, `null` to delete it, or no write.
 * @throws {Error} If `stored` is not a throttle window.
 *
 * @example Releasing the only attempt deletes the window
 * ```ts
 * import assert from "node:assert/strict";
 * import { throttleReleaseStep } from "@httpauth/core/store-steps";
 *
 * assert.equal(throttleReleaseStep({ count: 1, resetAt: 61_000 }, 61_000).write, null);
 * assert.equal(throttleReleaseStep({ count: 1, resetAt: 99_000 }, 61_000).write, undefined);
 * ```
 */
export function throttleReleaseStep(stored: unknown, resetAt: number): StoreStep<StoredThrottleWindow, undefined> {
  const current = readWindow(stored);
  if (current === undefined || current.resetAt !== resetAt) return { answer: undefined };
  if (current.count <= 1) return { write: null, answer: undefined };
  return { write: { count: current.count - 1, resetAt }, answer: undefined };
}

/**
 * `NonceCountStore.check` as a step: a sliding window over nonce counts, as
 * IPsec's replay window (RFC 4303 §3.4.3): a count above the highest seen is
 * fresh; one of the {@linkcode NONCE_COUNT_WINDOW} below it is fresh once;
 * anything older is replayed. A nonce with no stored counts starts a window.
 *
 * @param stored The value stored for the nonce and user.
 * @param nc The nonce count the client sent (RFC 7616 §3.4).
 * @param expiresAt When the nonce expires, in milliseconds since the epoch.
 * @param now The current time, in milliseconds since the epoch.
 * @returns The counts to write and the answer: `"fresh"`, `"replayed"` or `"stale"` (the nonce has expired).
 * @throws {Error} If `stored` is not a nonce's counts.
 *
 * @example Counts out of order are accepted once each
 * ```ts
 * import assert from "node:assert/strict";
 * import { nonceCountStep } from "@httpauth/core/store-steps";
 *
 * const first = nonceCountStep(undefined, 3, 300_000, 1_000);
 * const second = nonceCountStep(first.write, 2, 300_000, 1_000);
 * assert.equal(second.answer, "fresh");
 * assert.equal(nonceCountStep(second.write, 2, 300_000, 1_000).answer, "replayed");
 * ```
 */
export function nonceCountStep(
  stored: unknown,
  nc: number,
  expiresAt: number,
  now: number,
): StoreStep<StoredNonceCounts, "fresh" | "replayed" | "stale"> {
  if (now >= expiresAt) return { answer: "stale" };
  const current = readCounts(stored);
  if (current === undefined || current.expiresAt <= now) {
    return { write: { highest: nc, seen: 0, expiresAt }, lifetime: expiresAt - now, answer: "fresh" };
  }
  const next = slideNonceCountWindow(current.highest, current.seen, nc);
  if (next === undefined) return { answer: "replayed" };
  return { write: { ...next, expiresAt: current.expiresAt }, answer: "fresh" };
}

/**
 * `ReplayStore.use` as a step: record a one-time value unless it is live.
 *
 * @param stored The value stored under the id.
 * @param expiresAt When the id stops being live, in milliseconds since the epoch.
 * @param now The current time, in milliseconds since the epoch.
 * @returns The value to write and the answer: `true` the first time, `false` for a replay (or an id already expired).
 * @throws {Error} If `stored` is not a one-time value.
 *
 * @example A DPoP `jti` used twice
 * ```ts
 * import assert from "node:assert/strict";
 * import { replayUseStep } from "@httpauth/core/store-steps";
 *
 * const first = replayUseStep(undefined, 60_000, 1_000);
 * assert.equal(first.answer, true);
 * assert.equal(replayUseStep(first.write, 60_000, 2_000).answer, false);
 * ```
 */
export function replayUseStep(stored: unknown, expiresAt: number, now: number): StoreStep<StoredOneTimeValue, boolean> {
  if (expiresAt <= now) return { answer: false };
  const current = readUse(stored);
  if (current !== undefined && current.expiresAt > now) return { answer: false };
  return { write: { expiresAt }, lifetime: expiresAt - now, answer: true };
}

/**
 * The value a step writes, stamped with when the store may delete it by its
 * own clock (`clock`): `lifetime` from now, or the stored value's time when
 * the step keeps it. Deleting by the store's clock after a duration measured
 * on the caller's clock keeps working when the two clocks disagree.
 *
 * @param step What a step decided.
 * @param stored The value the step read (its `deleteAt` is kept when the step sets no lifetime).
 * @param clock The store's own time, in milliseconds since the epoch.
 * @returns The value to write, `null` to delete, `undefined` to leave as is.
 *
 * @example A new throttle window, deletable when it closes by the store's clock
 * ```ts
 * import assert from "node:assert/strict";
 * import { stampStep, throttleHitStep } from "@httpauth/core/store-steps";
 *
 * const step = throttleHitStep(undefined, 60_000, 1_000);
 * assert.deepEqual(stampStep(step, undefined, 5_000), { count: 1, resetAt: 61_000, deleteAt: 65_000 });
 * ```
 */
export function stampStep<Value extends object>(
  step: StoreStep<Value, unknown>,
  stored: unknown,
  clock: number,
): StampedValue<Value> | null | undefined {
  if (step.write === undefined || step.write === null) return step.write;
  const previous = isRecord(stored) && typeof stored.deleteAt === "number" ? stored.deleteAt : undefined;
  const deleteAt = step.lifetime !== undefined ? clock + Math.max(step.lifetime, 1) : (previous ?? clock + 1);
  return { ...step.write, deleteAt };
}

/**
 * A fixed-length key for a list of strings, for stores whose keys are short
 * or byte strings: SHA-256 (FIPS 180-4) over each part's length and UTF-16
 * code units, so that distinct lists — lone surrogates included — never share
 * a key.
 *
 * @param parts The key's parts (a throttle key; a nonce and a user name).
 * @returns 64 lower-case hex digits.
 *
 * @example Parts are length-prefixed: moving a character between them changes the key
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashStoreKey } from "@httpauth/core/store-steps";
 *
 * const key = await hashStoreKey(["n0nce", "alice"]);
 * assert.match(key, /^[0-9a-f]{64}$/);
 * assert.notEqual(key, await hashStoreKey(["n0nc", "ealice"]));
 * ```
 */
export async function hashStoreKey(parts: readonly string[]): Promise<string> {
  const text = parts.map((part) => `${part.length}:${part}`).join("");
  const units = new DataView(new ArrayBuffer(text.length * 2));
  for (let index = 0; index < text.length; index++) units.setUint16(index * 2, text.charCodeAt(index), true);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", units));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
