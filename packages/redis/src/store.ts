/**
 * `createRedisStore`: httpauth's three store contracts — throttle, Digest
 * nonce counts, one-time values — on Redis or Valkey, one Lua script (one
 * round trip, one key) per operation.
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
import { checkNonceCountArguments, checkThrottleArguments } from "@httpauth/core/store-steps";
import type { RedisClientLike, Send } from "./client.ts";
import { toSend } from "./client.ts";
import { buildKey } from "./keys.ts";
import type { Script } from "./scripts.ts";
import { SCRIPTS } from "./scripts.ts";

/** Options of {@linkcode createRedisStore}. */
export interface RedisStoreOptions {
  /**
   * Put before every key. Default `"httpauth:"`. Give each app (or each
   * authenticator that must not share counts) its own. Wrap it in braces,
   * such as `"{httpauth}:"`, only to put all keys in one Cluster slot.
   */
  prefix?: string;
  /**
   * Milliseconds to wait for a reply before the operation rejects (and so
   * `authenticate()` does). Default 5 000. Clients that queue commands while
   * they reconnect would otherwise hold requests for as long as the server
   * is away. `Infinity` waits for the client alone.
   */
  timeout?: number;
}

/**
 * The throttle, nonce count and one-time value stores in one object, each
 * method one atomic operation on one key. Every method returns a promise,
 * which rejects when the server cannot be reached or answers an error.
 */
export interface RedisStore extends ThrottleStore, NonceCountStore, ReplayStore {
  /** Throttle: counts one attempt for `key`, opening a window of `windowMs` if none is open; answers the new state. */
  hit(key: string, windowMs: number, now: number): Promise<ThrottleState>;
  /** Throttle: takes back one attempt of the window of `key` that closes at `resetAt` (what `hit` answered), if it is still the one held; never below 0. */
  release(key: string, resetAt: number): Promise<void>;
  /** Throttle: forgets `key`. */
  reset(key: string): Promise<void>;
  /** Digest nonce counts: records `nc` for (`nonce`, `username`) and says whether it is fresh, replayed or stale. */
  check(entry: NonceCountEntry): Promise<NonceCountResult>;
  /** One-time values: adds `id` until `expiresAt` unless it is live; `true` when it was new, `false` for a replay or when `expiresAt <= now`. */
  use(id: string, expiresAt: number, now: number): Promise<boolean>;
}

const DEFAULT_PREFIX = "httpauth:";
const DEFAULT_TIMEOUT_MS = 5_000;
const MAX_PREFIX_LENGTH = 256;
const NONCE_COUNT_RESULTS: readonly NonceCountResult[] = ["fresh", "replayed", "stale"];

/**
 * Creates the throttle, Digest nonce count and one-time value stores on a
 * Redis (6 or later) or Valkey server, through the client you already have:
 * node-redis (`sendCommand`), ioredis or iovalkey (`call`), Bun's
 * `RedisClient` (`send`), or any object with `send(command, args)`.
 *
 * Each operation is one Lua script on one key, sent with `EVALSHA` and with
 * `EVAL` when the server answers `NOSCRIPT` (after a restart or `SCRIPT
 * FLUSH`): atomic, one round trip, and safe on a Redis Cluster. Keys expire
 * by themselves (`PEXPIRE`, `PX`) and keep their deadline in the value.
 * A server that cannot be reached, answers an error or answers something
 * unexpected makes the operation reject — never a pass, never a failure
 * counted. Configure the server with `maxmemory-policy noeviction`: an
 * evicted key forgets failures and nonce counts.
 *
 * @param client A connected client: node-redis, ioredis, iovalkey, Bun's `RedisClient`, or `{ send(command, args) }`.
 * @param options `prefix` for every key (default `"httpauth:"`), `timeout` in milliseconds (default 5 000).
 * @returns The store: `hit`, `release`, `reset` (throttle), `check` (nonce counts), `use` (one-time values).
 * @throws {TypeError} If `client` has none of the methods above, or `prefix` is not a string.
 * @throws {RangeError} If `prefix` is longer than 256 characters or holds control characters, or `timeout` is not positive.
 *
 * @example Counting failures through any client with `send(command, args)`
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRedisStore } from "@httpauth/redis";
 *
 * // A stand-in for Bun's RedisClient: it answers what the throttle script would.
 * const sent: string[][] = [];
 * const client = {
 *   send: async (command: string, args: string[]) => {
 *     sent.push([command, ...args]);
 *     return [1, 60_000];
 *   },
 * };
 * const store = createRedisStore(client, { prefix: "app:" });
 * assert.deepEqual(await store.hit("ada", 60_000, 0), { count: 1, resetAt: 60_000 });
 * assert.equal(sent[0]?.[0], "EVALSHA");
 * assert.equal(sent[0]?.[3], "app:t:ada");
 * ```
 *
 * @example Anything else is refused at once
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRedisStore } from "@httpauth/redis";
 *
 * assert.throws(() => createRedisStore({} as never), TypeError);
 * assert.throws(() => createRedisStore({ send: async () => 1 }, { prefix: "a\nb" }), RangeError);
 * ```
 */
export function createRedisStore(client: RedisClientLike, options: RedisStoreOptions = {}): RedisStore {
  const send = toSend(client);
  const prefix = checkPrefix(options.prefix);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== "number" || !(timeout > 0)) {
    throw new RangeError("createRedisStore(): timeout must be a positive number of milliseconds (or Infinity)");
  }
  const run = (operation: string, script: Script, key: string, args: string[]): Promise<unknown> =>
    within(runScript(send, script, key, args), timeout, operation);
  return {
    async hit(key, windowMs, now) {
      checkThrottleArguments(key, { now, windowMs });
      const window = checkTime("hit", "windowMs", windowMs, true);
      const at = checkTime("hit", "now", now, false);
      const reply = await run("hit", SCRIPTS.hit, await buildKey(prefix, "t", [key]), [String(window), String(at)]);
      if (!Array.isArray(reply) || reply.length !== 2) throw unexpected("hit", "an array of two integers");
      return { count: toInteger("hit", reply[0]), resetAt: toInteger("hit", reply[1]) };
    },
    async release(key, resetAt) {
      checkThrottleArguments(key, { resetAt });
      const until = checkTime("release", "resetAt", resetAt, false, Math.ceil);
      toInteger("release", await run("release", SCRIPTS.release, await buildKey(prefix, "t", [key]), [until]));
    },
    async reset(key) {
      checkThrottleArguments(key, {});
      const name = await buildKey(prefix, "t", [key]);
      toInteger("reset", await within(attempt(send, "DEL", [name], "reset"), timeout, "reset"));
    },
    async check(entry) {
      const { nonce, username, nc, expiresAt, now } = checkEntry(entry);
      const key = await buildKey(prefix, "n", [nonce, username]);
      const reply = toInteger("check", await run("check", SCRIPTS.nonceCount, key, [nc, expiresAt, now]));
      const result = NONCE_COUNT_RESULTS[reply];
      if (result === undefined) throw unexpected("check", "0, 1 or 2");
      return result;
    },
    async use(id, expiresAt, now) {
      checkReplayArguments(id, expiresAt, now);
      const until = checkTime("use", "expiresAt", expiresAt, false, Math.ceil);
      const at = checkTime("use", "now", now, false);
      const reply = toInteger("use", await run("use", SCRIPTS.use, await buildKey(prefix, "u", [id]), [until, at]));
      if (reply !== 0 && reply !== 1) throw unexpected("use", "0 or 1");
      return reply === 1;
    },
  };
}

/** The prefix, checked: a string of at most 256 characters without control characters. */
function checkPrefix(prefix: unknown): string {
  if (prefix === undefined) return DEFAULT_PREFIX;
  if (typeof prefix !== "string") throw new TypeError("createRedisStore(): prefix must be a string");
  if (prefix.length > MAX_PREFIX_LENGTH) {
    throw new RangeError(`createRedisStore(): prefix must be at most ${MAX_PREFIX_LENGTH} characters`);
  }
  for (let index = 0; index < prefix.length; index++) {
    const code = prefix.charCodeAt(index);
    if (code < 0x20 || code === 0x7f)
      throw new RangeError("createRedisStore(): prefix must not hold control characters");
  }
  return prefix;
}

/**
 * A time or duration in whole milliseconds (`round`: floor for instants,
 * ceil for deadlines and durations), as the decimal text a script reads.
 */
function checkTime(
  operation: string,
  name: string,
  value: unknown,
  positive: boolean,
  round: (value: number) => number = positive ? Math.ceil : Math.floor,
): string {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(
      `Redis store ${operation}(): ${name} must be a ${positive ? "positive" : "non-negative"} finite number of milliseconds`,
    );
  }
  const whole = round(value);
  if (!Number.isSafeInteger(whole)) throw new RangeError(`Redis store ${operation}(): ${name} is too large`);
  return String(whole);
}

/** The nonce count entry, checked as every store checks it, with its numbers as script arguments. */
function checkEntry(entry: unknown): { nonce: string; username: string; nc: string; expiresAt: string; now: string } {
  checkNonceCountArguments(entry);
  const { nonce, username, nc, expiresAt, now } = entry as NonceCountEntry;
  return {
    nonce,
    username,
    nc: String(nc),
    expiresAt: checkTime("check", "expiresAt", expiresAt, false, Math.ceil),
    now: checkTime("check", "now", now, false),
  };
}

/** Runs `script` on `key`: `EVALSHA`, then `EVAL` if the server does not have the script (`NOSCRIPT`). */
async function runScript(send: Send, script: Script, key: string, args: string[]): Promise<unknown> {
  try {
    return await send("EVALSHA", [script.sha1, "1", key, ...args]);
  } catch (error) {
    if (!isNoScript(error)) throw failed("run a script", error);
  }
  return attempt(send, "EVAL", [script.source, "1", key, ...args], "run a script");
}

/** One command; a rejection (or a synchronous throw) becomes an Error that names the operation. */
async function attempt(send: Send, command: string, args: string[], what: string): Promise<unknown> {
  try {
    return await send(command, args);
  } catch (error) {
    throw failed(what, error);
  }
}

function isNoScript(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /(?:^|\W)NOSCRIPT\b/.test(message);
}

function failed(what: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`Redis store: cannot ${what} (${reason})`, { cause });
}

function unexpected(operation: string, expected: string): TypeError {
  return new TypeError(`Redis store ${operation}(): unexpected reply from the server, expected ${expected}`);
}

/** An integer reply: a safe integer, a bigint in range, or a string of digits (some clients' choice). */
function toInteger(operation: string, reply: unknown): number {
  const value =
    typeof reply === "bigint"
      ? Number(reply)
      : typeof reply === "string" && /^-?\d{1,16}$/.test(reply)
        ? Number(reply)
        : reply;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw unexpected(operation, "an integer");
  return value;
}

/** `promise`, or a rejection after `milliseconds`. */
function within<T>(promise: Promise<T>, milliseconds: number, operation: string): Promise<T> {
  if (milliseconds === Number.POSITIVE_INFINITY) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis store ${operation}(): no reply within ${milliseconds} ms`)),
      milliseconds,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
