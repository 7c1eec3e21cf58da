/**
 * The `ThrottleStore` contract of issue 13 (count before verify: `hit`,
 * `release`, `reset`) as plain test functions over node:assert/strict, for
 * the shared stores to run until core ships its own suite. Each case makes a
 * fresh store with `create`.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ContractCase } from "./case.ts";

/** The state of one key. */
export interface ThrottleStateUnderTest {
  count: number;
  resetAt: number;
}

/** The ThrottleStore of issue 13, as these cases call it. */
export interface ThrottleStoreUnderTest {
  hit(key: string, windowMs: number, now: number): ThrottleStateUnderTest | Promise<ThrottleStateUnderTest>;
  release(key: string, now: number): void | Promise<void>;
  reset(key: string): void | Promise<void>;
}

const WINDOW = 60_000;

type Body = (store: ThrottleStoreUnderTest, racers: number) => Promise<void>;

const CASES: [string, Body][] = [
  [
    "ThrottleStore: hits count up in one fixed window that closes at resetAt",
    async (store) => {
      const now = Date.now();
      assert.deepEqual(await store.hit("k", WINDOW, now), { count: 1, resetAt: now + WINDOW });
      assert.deepEqual(await store.hit("k", WINDOW, now + 10), { count: 2, resetAt: now + WINDOW });
      assert.deepEqual(await store.hit("k", WINDOW, now + WINDOW - 1), { count: 3, resetAt: now + WINDOW });
      assert.deepEqual(await store.hit("k", WINDOW, now + WINDOW), { count: 1, resetAt: now + 2 * WINDOW });
    },
  ],
  [
    "ThrottleStore: release takes back one hit, never below 0, and is a no-op on a closed window",
    async (store) => {
      const now = Date.now();
      await store.hit("k", WINDOW, now);
      await store.hit("k", WINDOW, now);
      await store.release("k", now + 1);
      assert.equal((await store.hit("k", WINDOW, now + 2)).count, 2);
      await store.release("k", now + 3);
      await store.release("k", now + 3);
      await store.release("k", now + 3);
      assert.equal((await store.hit("k", WINDOW, now + 4)).count, 1);
      await store.release("k", now + WINDOW);
      assert.deepEqual(await store.hit("k", WINDOW, now + WINDOW), { count: 1, resetAt: now + 2 * WINDOW });
      await store.release("never-hit", now);
    },
  ],
  [
    "ThrottleStore: reset forgets the key; keys are exact strings",
    async (store) => {
      const now = Date.now();
      await store.hit("user", WINDOW, now);
      await store.hit("user", WINDOW, now);
      assert.equal((await store.hit("User", WINDOW, now)).count, 1);
      assert.equal((await store.hit("caf\u00e9", WINDOW, now)).count, 1);
      assert.equal((await store.hit("cafe\u0301", WINDOW, now)).count, 1);
      await store.reset("user");
      assert.equal((await store.hit("user", WINDOW, now + 1)).count, 1);
      assert.equal((await store.hit("User", WINDOW, now + 1)).count, 2);
      await store.reset("never-hit");
    },
  ],
  [
    "ThrottleStore: concurrent hits on one key count 1, 2, 3, …",
    async (store, racers) => {
      const now = Date.now();
      const states = await Promise.all(
        Array.from({ length: racers }, () => Promise.resolve().then(() => store.hit("race", WINDOW, now))),
      );
      const counts = states.map((state) => state.count).sort((a, b) => a - b);
      assert.deepEqual(
        counts,
        Array.from({ length: racers }, (_, index) => index + 1),
      );
      await Promise.all(Array.from({ length: racers }, () => Promise.resolve().then(() => store.release("race", now))));
      assert.equal((await store.hit("race", WINDOW, now)).count, 1);
    },
  ],
  [
    "ThrottleStore: malformed, oversized and hostile arguments are refused with TypeError or RangeError",
    async (store) => {
      const now = Date.now();
      await assert.rejects(async () => store.hit(42 as unknown as string, WINDOW, now), TypeError);
      await assert.rejects(async () => store.hit("k", 0, now), RangeError);
      await assert.rejects(async () => store.hit("k", -1, now), RangeError);
      await assert.rejects(async () => store.hit("k", Number.NaN, now), RangeError);
      await assert.rejects(async () => store.hit("k", WINDOW, Number.POSITIVE_INFINITY), RangeError);
      await assert.rejects(async () => store.release(undefined as unknown as string, now), TypeError);
      await assert.rejects(async () => store.release("k", Number.NaN), RangeError);
      await assert.rejects(async () => store.reset({} as unknown as string), TypeError);
      assert.equal((await store.hit("__proto__", WINDOW, now)).count, 1);
      assert.equal((await store.hit("x".repeat(4096), WINDOW, now)).count, 1);
    },
  ],
];

/**
 * The cases of the ThrottleStore contract.
 *
 * @param create makes a fresh, empty store
 * @param options `racers`: how many hits race on one key (default 16)
 * @returns the named cases, in order
 */
export function throttleStoreContract(
  create: () => ThrottleStoreUnderTest | Promise<ThrottleStoreUnderTest>,
  options: { racers?: number } = {},
): ContractCase[] {
  const racers = options.racers ?? 16;
  return CASES.map(([name, body]) => [name, async () => body(await create(), racers)]);
}
