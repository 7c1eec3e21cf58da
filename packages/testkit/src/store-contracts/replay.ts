/**
 * The `ReplayStore` contract as plain test functions over node:assert/strict:
 * every store (in-memory, Deno KV, Durable Object, Redis) runs the same
 * cases under its own runner (vitest, `deno test`, `bun test`, a workerd
 * worker). Each case makes a fresh store with `create`.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ReplayStore } from "@httpauth/core";
import type { ContractCase } from "./case.ts";

/** Options of {@linkcode replayStoreContract}. */
export interface ReplayContractOptions {
  /** The store's bound on live ids (`maxEntries`), when it has one: the flood goes past it. */
  capacity?: number;
  /** How many distinct ids the flood writes when the store has no bound. Default 64. */
  flood?: number;
  /** How many calls race on one id. Default 16. */
  racers?: number;
}

const MINUTE = 60_000;

/**
 * The cases of the ReplayStore contract.
 *
 * @param create makes a fresh, empty store (its own prefix or object when shared)
 * @param options the store's capacity, and the sizes of the flood and the race
 * @returns the named cases, in order
 */
export function replayStoreContract(
  create: () => ReplayStore | Promise<ReplayStore>,
  options: ReplayContractOptions = {},
): ContractCase[] {
  const racers = options.racers ?? 16;
  // Real times: a shared store turns deadlines into TTLs.
  const base = () => Date.now();
  return [
    [
      "ReplayStore: an id is new once, then replayed while live",
      async () => {
        const store = await create();
        const now = base();
        assert.equal(await store.use("jti-1", now + MINUTE, now), true);
        assert.equal(await store.use("jti-1", now + MINUTE, now + 1), false);
        assert.equal(await store.use("jti-1", now + 10 * MINUTE, now + 2), false, "a later expiry does not renew it");
        assert.equal(await store.use("jti-2", now + MINUTE, now + 3), true);
      },
    ],
    [
      "ReplayStore: ids differing only by case or Unicode normalisation are different ids",
      async () => {
        const store = await create();
        const now = base();
        const ids = ["jti-A", "jti-a", "caf\u00e9", "cafe\u0301", "\uff41bc", "abc", "ﬁ", "fi", "jti ", "jti"];
        for (const id of ids) assert.equal(await store.use(id, now + MINUTE, now), true, `first use of ${id}`);
        for (const id of ids) assert.equal(await store.use(id, now + MINUTE, now), false, `second use of ${id}`);
      },
    ],
    [
      "ReplayStore: live until expiresAt, new again from expiresAt on",
      async () => {
        const store = await create();
        const now = base();
        assert.equal(await store.use("jti-exp", now + 1_000, now), true);
        assert.equal(await store.use("jti-exp", now + 5_000, now + 999), false);
        assert.equal(await store.use("jti-exp", now + 5_000, now + 1_000), true);
        assert.equal(await store.use("jti-exp", now + 9_000, now + 4_999), false);
      },
    ],
    [
      "ReplayStore: an id that expires at or before now is never new and not recorded",
      async () => {
        const store = await create();
        const now = base();
        assert.equal(await store.use("jti-dead", now, now), false);
        assert.equal(await store.use("jti-dead", now - 1, now), false);
        assert.equal(await store.use("jti-dead", now + MINUTE, now), true);
      },
    ],
    [
      `ReplayStore: ${racers} concurrent uses of one id, exactly one is new`,
      async () => {
        const store = await create();
        const now = base();
        const answers = await Promise.all(
          Array.from({ length: racers }, () => Promise.resolve().then(() => store.use("jti-race", now + MINUTE, now))),
        );
        assert.equal(answers.filter((answer: boolean) => answer === true).length, 1, `answers ${answers.join(",")}`);
      },
    ],
    [
      "ReplayStore: concurrent uses of distinct ids are all new",
      async () => {
        const store = await create();
        const now = base();
        const count = Math.min(racers, options.capacity ?? racers);
        const answers = await Promise.all(
          Array.from({ length: count }, (_, index) =>
            Promise.resolve().then(() => store.use(`jti-${index}`, now + MINUTE, now)),
          ),
        );
        assert.deepEqual(answers, Array(count).fill(true));
      },
    ],
    [
      "ReplayStore: a flood of new ids never makes a used id new again",
      async () => {
        const store = await create();
        const now = base();
        const count = options.capacity === undefined ? (options.flood ?? 64) : options.capacity * 2;
        assert.equal(await store.use("jti-victim", now + MINUTE, now), true);
        for (let index = 0; index < count; index++) await store.use(`flood-${index}`, now + MINUTE, now);
        assert.equal(await store.use("jti-victim", now + MINUTE, now + 1), false);
        if (options.capacity !== undefined) {
          // Full of live ids: new ones are refused (fail closed) until some expire.
          assert.equal(await store.use("jti-late", now + MINUTE, now + 2), false);
          assert.equal(await store.use("jti-late", now + 2 * MINUTE, now + MINUTE), true);
        }
      },
    ],
    [
      "ReplayStore: malformed, oversized and hostile arguments are refused with TypeError or RangeError",
      async () => {
        const store = await create();
        const now = base();
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
}
