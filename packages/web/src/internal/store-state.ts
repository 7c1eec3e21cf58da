/**
 * The state machines of the three store contracts, as pure functions over
 * plain JSON values, for the shared stores to run inside one atomic step:
 * Deno KV (`createKvStore`) and the Durable Object of
 * `@httpauth/web/durable-object`. The same file sits in both packages
 * (a test keeps them equal), since neither may import the other's internals.
 *
 * @module
 */

/** A throttle window as stored. */
export interface StoredWindow {
  count: number;
  resetAt: number;
}

/** A nonce's counts as stored: the highest seen and a bitmap of the 32 below it. */
export interface StoredCounts {
  highest: number;
  seen: number;
  expiresAt: number;
}

/** A one-time value as stored. */
export interface StoredUse {
  expiresAt: number;
}

/** What one atomic step decides: the value to write (`null` deletes, `undefined` leaves it) and the answer. */
export interface Step<Value, Answer> {
  write?: Value | null;
  /**
   * How long the written value must live, in milliseconds from now by the
   * caller's clock (its deadline minus `now`); undefined keeps the stored
   * value's time of deletion.
   */
  lifetime?: number;
  answer: Answer;
}

/** A value as written: the step's value and when the store may delete it, by the store's own clock. */
export type Stamped<Value> = Value & { deleteAt: number };

/** How many counts below the highest the window remembers. */
export const WINDOW_SIZE = 32;
const MAX_NC = 0xffff_ffff;

// ── Argument checks ─────────────────────────────────────────────────────────

function checkTime(value: unknown, name: string, context: string): void {
  if (typeof value !== "number") throw new TypeError(`${context}: ${name} must be a number of milliseconds`);
  if (!Number.isFinite(value)) throw new RangeError(`${context}: ${name} must be finite`);
}

/** Checks the arguments of ThrottleStore's `hit` (`now`, `windowMs`), `release` (`resetAt`) and `reset` (none). */
export function checkThrottleArguments(key: unknown, times: Record<string, unknown>): void {
  const context = "Cannot count an attempt";
  if (typeof key !== "string") throw new TypeError(`${context}: key must be a string`);
  for (const [name, value] of Object.entries(times)) checkTime(value, name, context);
  if (times.windowMs !== undefined && (times.windowMs as number) <= 0) {
    throw new RangeError(`${context}: windowMs must be positive`);
  }
}

/** Checks the entry given to NonceCountStore's `check`. */
export function checkNonceCountEntry(entry: unknown): void {
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

function readWindow(value: unknown): StoredWindow | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value) || !Number.isSafeInteger(value.count) || typeof value.resetAt !== "number") corrupt("throttle");
  return { count: value.count as number, resetAt: value.resetAt as number };
}

function readCounts(value: unknown): StoredCounts | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value) || !Number.isSafeInteger(value.highest) || !Number.isSafeInteger(value.seen)) corrupt("nonce");
  if (typeof value.expiresAt !== "number") corrupt("nonce");
  return { highest: value.highest as number, seen: value.seen as number, expiresAt: value.expiresAt as number };
}

function readUse(value: unknown): StoredUse | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isRecord(value) || typeof value.expiresAt !== "number") corrupt("one-time value");
  return { expiresAt: value.expiresAt as number };
}

// ── Steps ──────────────────────────────────────────────────────────────────

/** ThrottleStore.hit: one more attempt in the open window, or a new window. */
export function hitStep(stored: unknown, windowMs: number, now: number): Step<StoredWindow, StoredWindow> {
  const current = readWindow(stored);
  const next =
    current === undefined || current.resetAt <= now
      ? { count: 1, resetAt: now + windowMs }
      : { count: current.count + 1, resetAt: current.resetAt };
  return { write: next, lifetime: next.resetAt - now, answer: { ...next } };
}

/** ThrottleStore.release: one attempt fewer in the window closing at `resetAt`, if it is still the one held. */
export function releaseStep(stored: unknown, resetAt: number): Step<StoredWindow, undefined> {
  const current = readWindow(stored);
  if (current === undefined || current.resetAt !== resetAt) return { answer: undefined };
  if (current.count <= 1) return { write: null, answer: undefined };
  return { write: { count: current.count - 1, resetAt }, answer: undefined };
}

/** NonceCountStore.check: the sliding window of RFC 4303 §3.4.3 over nonce counts. */
export function nonceCountStep(
  stored: unknown,
  nc: number,
  expiresAt: number,
  now: number,
): Step<StoredCounts, "fresh" | "replayed" | "stale"> {
  if (now >= expiresAt) return { answer: "stale" };
  const current = readCounts(stored);
  if (current === undefined || current.expiresAt <= now) {
    return { write: { highest: nc, seen: 0, expiresAt }, lifetime: expiresAt - now, answer: "fresh" };
  }
  const { highest, seen } = current;
  if (nc > highest) {
    const shift = nc - highest;
    const moved =
      shift > WINDOW_SIZE ? 0 : shift === WINDOW_SIZE ? 0x8000_0000 : ((seen << shift) | (1 << (shift - 1))) >>> 0;
    return { write: { highest: nc, seen: moved, expiresAt: current.expiresAt }, answer: "fresh" };
  }
  const distance = highest - nc;
  if (distance === 0 || distance > WINDOW_SIZE) return { answer: "replayed" };
  const bit = 2 ** (distance - 1);
  if (Math.floor(seen / bit) % 2 === 1) return { answer: "replayed" };
  return { write: { highest, seen: seen + bit, expiresAt: current.expiresAt }, answer: "fresh" };
}

/** ReplayStore.use: add the id if it is not live. */
export function useStep(stored: unknown, expiresAt: number, now: number): Step<StoredUse, boolean> {
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
 * @returns The value to write, `null` to delete, `undefined` to leave as is.
 */
export function stamp<Value extends object>(
  step: Step<Value, unknown>,
  stored: unknown,
  clock: number,
): Stamped<Value> | null | undefined {
  if (step.write === undefined || step.write === null) return step.write;
  const previous = isRecord(stored) && typeof stored.deleteAt === "number" ? stored.deleteAt : undefined;
  const deleteAt = step.lifetime !== undefined ? clock + Math.max(step.lifetime, 1) : (previous ?? clock + 1);
  return { ...step.write, deleteAt };
}

/**
 * A fixed-length key for any string: SHA-256 over its UTF-16 code units (so
 * that distinct strings, lone surrogates included, never share a key), as hex.
 */
export async function hashKey(parts: readonly string[]): Promise<string> {
  const text = parts.map((part) => `${part.length}:${part}`).join("");
  const units = new DataView(new ArrayBuffer(text.length * 2));
  for (let index = 0; index < text.length; index++) units.setUint16(index * 2, text.charCodeAt(index), true);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", units));
  let hex = "";
  for (const byte of digest) hex += byte.toString(16).padStart(2, "0");
  return hex;
}
