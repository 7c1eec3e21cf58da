/**
 * The contract suite of a Digest nonce-count store (`NonceCountStore` of
 * `@httpauth/core`, RFC 7616 §3.4, §5.10): the rules every store keeps —
 * the in-memory one, Redis/Valkey, Deno KV and Durable Objects alike.
 * Plain functions over `node:assert/strict` and a `test` function injected by
 * the runner, so vitest, `deno test` and `bun test` run it alike.
 *
 * ```ts
 * runNonceCountStoreSuite("memory", (options) => createMemoryNonceCountStore(options), test);
 * ```
 *
 * @module
 */

import assert from "node:assert/strict";

// The shapes of `NonceCountStore` in `@httpauth/core`, written out so that core's own
// tests can run this suite without a build of core (core's types check against them).

/** What a store answers: `NonceCountResult` of `@httpauth/core`. */
export type NonceCountResult = "fresh" | "replayed" | "stale";

/** One count to record: `NonceCountEntry` of `@httpauth/core`. */
export interface NonceCountEntry {
  nonce: string;
  username: string;
  nc: number;
  issuedAt: number;
  expiresAt: number;
  now: number;
}

/** The store under test: `NonceCountStore` of `@httpauth/core`. */
export interface NonceCountStore {
  check(entry: NonceCountEntry): NonceCountResult | Promise<NonceCountResult>;
}

/** The runner's test registration: vitest's `test`, `Deno.test`, or `test` of `bun:test`. */
export type Register = (name: string, body: () => Promise<void> | void) => void;

/**
 * Makes a new, empty store. `maxEntries` is a capacity hint for the eviction
 * case: a store with a fixed capacity should honour it; a store that keeps
 * every entry until it expires may ignore it.
 */
export type CreateNonceCountStore = (options: { maxEntries?: number }) => NonceCountStore | Promise<NonceCountStore>;

const NOW = 1_800_000_000_000;
const LIFETIME = 300_000;

let serial = 0;

/** A nonce no other case uses (a shared store may keep entries between cases). */
function newNonce(): string {
  serial += 1;
  return `contract-${Date.now().toString(36)}-${serial}-${Math.random().toString(36).slice(2)}`;
}

/** An entry for a nonce issued one second before `NOW`, fresh for five minutes. */
function entry(nonce: string, username: string, nc: number, issuedAt = NOW - 1_000): NonceCountEntry {
  return { nonce, username, nc, issuedAt, expiresAt: issuedAt + LIFETIME, now: NOW };
}

async function check(store: NonceCountStore, value: NonceCountEntry): Promise<NonceCountResult> {
  return store.check(value);
}

/**
 * Registers the contract cases for one store.
 *
 * @param name The store's name, in each test name (`memory`, `redis`).
 * @param create Makes a new store.
 * @param test The runner's test registration.
 */
export function runNonceCountStoreSuite(name: string, create: CreateNonceCountStore, test: Register): void {
  const named = (title: string): string => `NonceCountStore contract (${name}): ${title}`;

  test(named("a count is fresh once, then replayed"), async () => {
    const store = await create({});
    const nonce = newNonce();
    assert.equal(await check(store, entry(nonce, "ada", 1)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 1)), "replayed");
    assert.equal(await check(store, entry(nonce, "ada", 2)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 2)), "replayed");
  });

  test(named("out-of-order counts within the window are fresh: arrival 8, 1..7"), async () => {
    const store = await create({});
    const nonce = newNonce();
    for (const nc of [8, 1, 2, 3, 4, 5, 6, 7]) {
      assert.equal(await check(store, entry(nonce, "ada", nc)), "fresh", `nc=${nc}`);
    }
    for (const nc of [1, 2, 3, 4, 5, 6, 7, 8]) {
      assert.equal(await check(store, entry(nonce, "ada", nc)), "replayed", `nc=${nc} again`);
    }
    // Every store remembers exactly 32 counts below the highest (NONCE_COUNT_WINDOW).
    assert.equal(await check(store, entry(nonce, "ada", 40)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 9)), "fresh", "40 − 31");
    assert.equal(await check(store, entry(nonce, "ada", 8)), "replayed", "40 − 32, seen before the window moved");
    assert.equal(await check(store, entry(nonce, "ada", 100)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 68)), "fresh", "100 − 32 is inside the window");
    assert.equal(await check(store, entry(nonce, "ada", 67)), "replayed", "100 − 33 is below the window");
    assert.equal(await check(store, entry(nonce, "ada", 68)), "replayed");
    assert.equal(await check(store, entry(nonce, "ada", 40)), "replayed", "seen, and now below the window");
  });

  test(named("a count far below the highest seen is replayed, never fresh"), async () => {
    const store = await create({});
    const nonce = newNonce();
    assert.equal(await check(store, entry(nonce, "ada", 5_000)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 1)), "replayed");
    assert.equal(await check(store, entry(nonce, "ada", 4_000)), "replayed");
  });

  ownership(named, create, test);
  limits(named, create, test);
  argumentChecks(named, create, test);
}

/** Malformed, oversized and hostile arguments: the verifier's values, so a wrong one is a programming error. */
function argumentChecks(named: (title: string) => string, create: CreateNonceCountStore, test: Register): void {
  test(named("malformed arguments are refused with TypeError or RangeError"), async () => {
    const store = await create({});
    const nonce = newNonce();
    const call = (extra: Record<string, unknown>) =>
      Promise.resolve().then(() => store.check({ ...entry(nonce, "ada", 1), ...extra } as NonceCountEntry));
    for (const nc of [0, -1, 1.5, Number.NaN, 2 ** 32])
      await assert.rejects(() => call({ nc }), RangeError, `nc ${nc}`);
    await assert.rejects(() => call({ nonce: 7 }), TypeError);
    await assert.rejects(() => call({ nonce: "" }), RangeError);
    await assert.rejects(() => call({ username: null }), TypeError);
    await assert.rejects(() => call({ now: Number.NaN }), RangeError);
    await assert.rejects(() => call({ expiresAt: NOW - 2_000 }), RangeError, "expiresAt before issuedAt");
    await assert.rejects(
      () => Promise.resolve().then(() => store.check(null as unknown as NonceCountEntry)),
      TypeError,
    );
    assert.equal(await check(store, entry(nonce, "ada", 2 ** 32 - 1)), "fresh", "the largest 8-hex-digit count");
  });

  test(named("hostile names are plain keys: __proto__, a 4 KiB user name"), async () => {
    const store = await create({});
    const nonce = `__proto__${newNonce()}`;
    assert.equal(await check(store, entry("__proto__", "x".repeat(4096), 1)), "fresh");
    assert.equal(await check(store, entry(nonce, "constructor", 1)), "fresh");
    assert.equal(await check(store, entry(nonce, "constructor", 1)), "replayed");
  });
}

/** Counts belong to one nonce and one user. */
function ownership(named: (title: string) => string, create: CreateNonceCountStore, test: Register): void {
  test(named("counts are per nonce and user: nc=ffffffff from another user burns nothing"), async () => {
    const store = await create({});
    const nonce = newNonce();
    assert.equal(await check(store, entry(nonce, "ada", 1)), "fresh");
    assert.equal(await check(store, entry(nonce, "mallory", 0xffff_ffff)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 2)), "fresh");
    assert.equal(await check(store, entry(nonce, "ada", 3)), "fresh");
    // The same count by another user is theirs; their own repeat is a replay.
    assert.equal(await check(store, entry(nonce, "bob", 1)), "fresh");
    assert.equal(await check(store, entry(nonce, "bob", 1)), "replayed");
    assert.equal(await check(store, entry(nonce, "mallory", 0xffff_ffff)), "replayed");
    // User names that differ only in case are different users.
    assert.equal(await check(store, entry(nonce, "Ada", 1)), "fresh");
  });

  test(named("nonces are separate: the same count on another nonce is fresh"), async () => {
    const store = await create({});
    const [one, two] = [newNonce(), newNonce()];
    assert.equal(await check(store, entry(one, "ada", 1)), "fresh");
    assert.equal(await check(store, entry(two, "ada", 1)), "fresh");
    // A nonce that is a prefix of another, with a user name that completes it, is still another pair.
    assert.equal(await check(store, entry(`${one}:a`, "da", 1)), "fresh");
    assert.equal(await check(store, entry(one, "ada", 1)), "replayed");
  });
}

/** Expiry, races and capacity: a store never vouches for what it cannot remember. */
function limits(named: (title: string) => string, create: CreateNonceCountStore, test: Register): void {
  test(named("an expired nonce is never fresh"), async () => {
    const store = await create({});
    const nonce = newNonce();
    const issuedAt = NOW - LIFETIME - 1_000;
    const late = { ...entry(nonce, "ada", 1, issuedAt), now: issuedAt + LIFETIME };
    assert.notEqual(await check(store, late), "fresh");
  });

  test(named("parallel checks of one count: exactly one is fresh"), async () => {
    const store = await create({});
    const nonce = newNonce();
    const results = await Promise.all(Array.from({ length: 16 }, () => check(store, entry(nonce, "ada", 3))));
    assert.equal(results.filter((result) => result === "fresh").length, 1);
    assert.ok(results.every((result) => result === "fresh" || result === "replayed"));
    // Distinct counts within the window, racing, are all fresh: none is lost to another's write.
    const distinct = await Promise.all(
      Array.from({ length: 16 }, (_, index) => check(store, entry(nonce, "ada", index + 4))),
    );
    assert.deepEqual(distinct, Array(16).fill("fresh"));
  });

  test(named("a captured count stays refused after a flood of other nonces past capacity"), async () => {
    const store = await create({ maxEntries: 64 });
    const victim = newNonce();
    assert.equal(await check(store, entry(victim, "ada", 1)), "fresh");
    // An account holder answers a new nonce per request, each issued after the victim's.
    for (let index = 0; index < 200; index++) {
      const result = await check(store, entry(newNonce(), "mallory", 1, NOW - 1_000 + index + 1));
      assert.notEqual(result, "replayed");
    }
    const replay = await check(store, entry(victim, "ada", 1));
    assert.notEqual(replay, "fresh", "the captured request is accepted again");
  });
}
