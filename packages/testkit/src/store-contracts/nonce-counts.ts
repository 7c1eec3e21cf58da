/**
 * The `NonceCountStore` contract of issue 13 (per nonce and user name, a
 * window of recent counts; "fresh" | "replayed" | "stale") as plain test
 * functions over node:assert/strict, for the shared stores to run until core
 * ships its own suite. Each case makes a fresh store with `create`.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ContractCase } from "./case.ts";

/** What a nonce-count check is given. */
export interface NonceCountEntryUnderTest {
  nonce: string;
  username: string;
  nc: number;
  issuedAt: number;
  expiresAt: number;
  now: number;
}

/** The NonceCountStore of issue 13, as these cases call it. */
export interface NonceCountStoreUnderTest {
  check(entry: NonceCountEntryUnderTest): "fresh" | "replayed" | "stale" | Promise<"fresh" | "replayed" | "stale">;
}

const LIFETIME = 5 * 60_000;

type Check = (nc: number, extra?: Partial<NonceCountEntryUnderTest>) => Promise<"fresh" | "replayed" | "stale">;
type Body = (check: Check, issuedAt: number) => Promise<void>;

/** How many checks race: within the window of 32, so that distinct counts are all fresh. */
const RACERS = 16;

const CASES: [string, Body][] = [
  [
    "NonceCountStore: a count is fresh once per nonce and user name",
    async (check) => {
      assert.equal(await check(1), "fresh");
      assert.equal(await check(1), "replayed");
      assert.equal(await check(2), "fresh");
      assert.equal(await check(1, { username: "mufasa" }), "fresh");
      assert.equal(await check(1, { nonce: "other" }), "fresh");
      assert.equal(await check(2), "replayed");
    },
  ],
  [
    "NonceCountStore: counts arriving out of order within the window of 32 are fresh, each once",
    async (check) => {
      assert.equal(await check(8), "fresh");
      for (let nc = 1; nc <= 7; nc++) assert.equal(await check(nc), "fresh", `nc ${nc}`);
      for (let nc = 1; nc <= 8; nc++) assert.equal(await check(nc), "replayed", `nc ${nc} again`);
      const other = { nonce: "n0nce-2" };
      assert.equal(await check(40, other), "fresh");
      assert.equal(await check(8, other), "fresh", "40 − 32 is inside the window");
      assert.equal(await check(7, other), "replayed", "40 − 33 is below the window");
      assert.equal(await check(100, other), "fresh");
      assert.equal(await check(40, other), "replayed", "seen, and now below the window");
      assert.equal(await check(99, other), "fresh");
      assert.equal(await check(68, other), "fresh", "100 − 32");
      assert.equal(await check(68, other), "replayed");
    },
  ],
  [
    "NonceCountStore: a nonce at or past its expiry is stale",
    async (check, issuedAt) => {
      assert.equal(await check(1), "fresh");
      assert.equal(await check(2, { now: issuedAt + LIFETIME }), "stale");
      assert.equal(await check(1, { nonce: "late", now: issuedAt + LIFETIME + 1 }), "stale");
    },
  ],
  [
    "NonceCountStore: concurrent checks of one count, exactly one is fresh; distinct counts all fresh",
    async (check) => {
      const same = await Promise.all(Array.from({ length: RACERS }, () => check(1)));
      assert.equal(same.filter((answer) => answer === "fresh").length, 1, same.join(","));
      const distinct = await Promise.all(Array.from({ length: RACERS }, (_, index) => check(index + 2)));
      assert.deepEqual(distinct, Array(RACERS).fill("fresh"));
    },
  ],
  [
    "NonceCountStore: malformed, oversized and hostile arguments are refused with TypeError or RangeError",
    async (check, issuedAt) => {
      for (const nc of [0, -1, 1.5, Number.NaN, 2 ** 32]) await assert.rejects(() => check(nc), RangeError, `nc ${nc}`);
      await assert.rejects(() => check(1, { nonce: 7 as unknown as string }), TypeError);
      await assert.rejects(() => check(1, { nonce: "" }), RangeError);
      await assert.rejects(() => check(1, { username: null as unknown as string }), TypeError);
      await assert.rejects(() => check(1, { now: Number.NaN }), RangeError);
      await assert.rejects(() => check(1, { expiresAt: issuedAt - 1 }), RangeError);
      assert.equal(await check(2 ** 32 - 1), "fresh");
      assert.equal(await check(1, { nonce: "__proto__", username: "x".repeat(4096) }), "fresh");
    },
  ],
];

/**
 * The cases of the NonceCountStore contract.
 *
 * @param create makes a fresh, empty store
 * @returns the named cases, in order
 */
export function nonceCountStoreContract(
  create: () => NonceCountStoreUnderTest | Promise<NonceCountStoreUnderTest>,
): ContractCase[] {
  return CASES.map(([name, body]) => [
    name,
    async () => {
      const store = await create();
      const issuedAt = Date.now();
      const check: Check = (nc, extra = {}) =>
        Promise.resolve().then(() =>
          store.check({
            nonce: "n0nce",
            username: "Mufasa",
            nc,
            issuedAt,
            expiresAt: issuedAt + LIFETIME,
            now: issuedAt + 1,
            ...extra,
          }),
        );
      await body(check, issuedAt);
    },
  ]);
}
