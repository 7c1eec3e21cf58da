/**
 * The contract every `ReplayStore` implements (see its doc comment in
 * `@httpauth/core`), as a suite any store runs: the in-memory store, Deno KV,
 * Durable Objects, Redis/Valkey. Plain functions over `node:assert/strict`,
 * registered through the runner's own `test` (vitest, `Deno.test`,
 * `bun:test`, or a list a workerd worker runs), so the same cases run under
 * every runtime. Each case makes a fresh store.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ReplayStore } from "@httpauth/core";

/** Registers one test: vitest's or Bun's `test`, or `(name, body) => Deno.test(name, body)`. */
export type RegisterTest = (name: string, body: () => Promise<void>) => void;

/** What a store under test is made with. */
export interface ReplayStoreFactory {
  /** A fresh, empty store (ids must not leak between calls: use a fresh prefix or object for a shared backend). */
  create(): ReplayStore | Promise<ReplayStore>;
  /** The bound on live ids of the stores `create` makes, when they have one: the flood goes past it. */
  capacity?: number;
  /** How many calls race on one id. Default 16. */
  racers?: number;
}

interface ReplayContractOptions {
  capacity?: number;
  flood?: number;
}

const MINUTE = 60_000;

type Body = (store: ReplayStore, options: ReplayContractOptions & { racers: number }) => Promise<void>;

// Real times (Date.now()): a shared store turns deadlines into TTLs.
const CASES: [string, Body][] = [
  [
    "an id is new once, then replayed while live",
    async (store) => {
      const now = Date.now();
      assert.equal(await store.use("jti-1", now + MINUTE, now), true);
      assert.equal(await store.use("jti-1", now + MINUTE, now + 1), false);
      assert.equal(await store.use("jti-1", now + 10 * MINUTE, now + 2), false, "a later expiry does not renew it");
      assert.equal(await store.use("jti-2", now + MINUTE, now + 3), true);
    },
  ],
  [
    "ids differing only by case or Unicode normalisation are different ids",
    async (store) => {
      const now = Date.now();
      const ids = ["jti-A", "jti-a", "caf\u00e9", "cafe\u0301", "\uff41bc", "abc", "\ufb01", "fi", "jti ", "jti"];
      for (const id of ids) assert.equal(await store.use(id, now + MINUTE, now), true, `first use of ${id}`);
      for (const id of ids) assert.equal(await store.use(id, now + MINUTE, now), false, `second use of ${id}`);
    },
  ],
  [
    "live until expiresAt, new again from expiresAt on",
    async (store) => {
      const now = Date.now();
      assert.equal(await store.use("jti-exp", now + 1_000, now), true);
      assert.equal(await store.use("jti-exp", now + 5_000, now + 999), false);
      assert.equal(await store.use("jti-exp", now + 5_000, now + 1_000), true);
      assert.equal(await store.use("jti-exp", now + 9_000, now + 4_999), false);
    },
  ],
  [
    "an id that expires at or before now is never new and not recorded",
    async (store) => {
      const now = Date.now();
      assert.equal(await store.use("jti-dead", now, now), false);
      assert.equal(await store.use("jti-dead", now - 1, now), false);
      assert.equal(await store.use("jti-dead", now + MINUTE, now), true);
    },
  ],
  [
    "concurrent uses of one id: exactly one is new",
    async (store, { racers }) => {
      const now = Date.now();
      const answers = await Promise.all(
        Array.from({ length: racers }, () => Promise.resolve().then(() => store.use("jti-race", now + MINUTE, now))),
      );
      assert.equal(answers.filter((answer: boolean) => answer).length, 1, `answers ${answers.join(",")}`);
    },
  ],
  [
    "concurrent uses of distinct ids are all new",
    async (store, { racers, capacity }) => {
      const now = Date.now();
      const count = Math.min(racers, capacity ?? racers);
      const answers = await Promise.all(
        Array.from({ length: count }, (_, index) =>
          Promise.resolve().then(() => store.use(`jti-${index}`, now + MINUTE, now)),
        ),
      );
      assert.deepEqual(answers, Array(count).fill(true));
    },
  ],
  [
    "a flood of new ids never makes a used id new again",
    async (store, { capacity, flood }) => {
      const now = Date.now();
      const count = capacity === undefined ? (flood ?? 64) : capacity * 2;
      assert.equal(await store.use("jti-victim", now + MINUTE, now), true);
      for (let index = 0; index < count; index++) await store.use(`flood-${index}`, now + MINUTE, now);
      assert.equal(await store.use("jti-victim", now + MINUTE, now + 1), false);
      if (capacity !== undefined) {
        // Full of live ids: new ones are refused (fail closed) until some expire.
        assert.equal(await store.use("jti-late", now + MINUTE, now + 2), false);
        assert.equal(await store.use("jti-late", now + 2 * MINUTE, now + MINUTE), true);
      }
    },
  ],
  [
    "malformed, oversized and hostile arguments are refused with TypeError or RangeError",
    async (store) => {
      const now = Date.now();
      const bad: [unknown, unknown, unknown, ErrorConstructor][] = [
        [undefined, now + MINUTE, now, TypeError],
        [42, now + MINUTE, now, TypeError],
        [{ toString: () => "jti" }, now + MINUTE, now, TypeError],
        ["", now + MINUTE, now, RangeError],
        ["x".repeat(513), now + MINUTE, now, RangeError],
        ["lone \uD800 surrogate", now + MINUTE, now, RangeError],
        ["jti", Number.NaN, now, RangeError],
        ["jti", now + MINUTE, Number.POSITIVE_INFINITY, RangeError],
        ["jti", String(now + MINUTE), now, TypeError],
      ];
      for (const [id, expiresAt, at, type] of bad) {
        await assert.rejects(
          async () => store.use(id as string, expiresAt as number, at as number),
          type,
          `use(${typeof id}, ${typeof expiresAt}, ${typeof at})`,
        );
      }
      assert.equal(await store.use("x".repeat(512), now + MINUTE, now), true, "512 characters are allowed");
      assert.equal(await store.use("__proto__", now + MINUTE, now), true);
      assert.equal(await store.use("constructor", now + MINUTE, now), true);
      assert.equal(await store.use("__proto__", now + MINUTE, now), false);
    },
  ],
];

/**
 * Registers the contract cases for a store, named `<label>: ReplayStore: …`.
 *
 * @param label Prefix of the test names (`"memory store"`).
 * @param factory Makes fresh stores; their capacity, and how many calls race.
 * @param test The runner's test registration.
 */
export function runReplayStoreContract(label: string, factory: ReplayStoreFactory, test: RegisterTest): void {
  const settings = { ...factory, racers: factory.racers ?? 16 };
  for (const [name, body] of CASES) {
    test(`${label}: ReplayStore: ${name}`, async () => body(await factory.create(), settings));
  }
}
