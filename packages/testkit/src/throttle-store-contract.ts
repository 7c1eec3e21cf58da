/**
 * The contract every `ThrottleStore` implements (see its doc comment in
 * `@httpauth/core`), as a suite any store runs: the in-memory store now, the
 * Redis/Valkey, Deno KV and Durable Object stores next. Plain functions over
 * `node:assert/strict`, registered through the runner's own `test` (vitest,
 * `Deno.test`, `bun:test`), so the same cases run under every runtime.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { ThrottleStore } from "@httpauth/core";

/** Registers one test: vitest's or Bun's `test`, or `(name, body) => Deno.test(name, body)`. */
export type RegisterTest = (name: string, body: () => Promise<void>) => void;

/** What a store under test is made with; `maxKeys` only for stores with a size bound. */
export interface ThrottleStoreFactory {
  /** A fresh, empty store (keys must not leak between calls: use a fresh prefix for a shared backend). */
  create(): ThrottleStore | Promise<ThrottleStore>;
  /** A fresh store holding at most `maxKeys` keys, when the store has a bound; omit otherwise. */
  createBounded?(maxKeys: number): ThrottleStore | Promise<ThrottleStore>;
}

const MINUTE = 60_000;

/**
 * Registers the contract cases for a store.
 *
 * @param label Prefix of the test names (`"memory store"`).
 * @param factory Makes fresh stores.
 * @param test The runner's test registration.
 */
export function runThrottleStoreContract(label: string, factory: ThrottleStoreFactory, test: RegisterTest): void {
  const name = (text: string): string => `${label}: ${text}`;

  test(name("hit opens a window of windowMs, then counts in it keeping resetAt"), async () => {
    const store = await factory.create();
    assert.deepEqual(await store.hit("k", MINUTE, 1_000), { count: 1, resetAt: 61_000 });
    assert.deepEqual(await store.hit("k", MINUTE, 2_000), { count: 2, resetAt: 61_000 });
    assert.deepEqual(await store.hit("other", MINUTE, 2_000), { count: 1, resetAt: 62_000 });
  });

  test(name("a window closed at resetAt starts again from 1"), async () => {
    const store = await factory.create();
    await store.hit("k", MINUTE, 0);
    await store.hit("k", MINUTE, 0);
    assert.deepEqual(await store.hit("k", MINUTE, MINUTE), { count: 1, resetAt: 2 * MINUTE });
  });

  test(name("concurrent hits on one key return distinct counts 1..n"), async () => {
    const store = await factory.create();
    const states = await Promise.all(Array.from({ length: 200 }, () => store.hit("k", MINUTE, 0)));
    assert.deepEqual(
      states.map((state) => state.count).sort((a, b) => a - b),
      Array.from({ length: 200 }, (_, index) => index + 1),
    );
  });

  test(name("release takes back one attempt of the same window, never below 0"), async () => {
    const store = await factory.create();
    const { resetAt } = await store.hit("k", MINUTE, 0);
    await store.hit("k", MINUTE, 0);
    await store.release("k", resetAt);
    assert.equal((await store.hit("k", MINUTE, 0)).count, 2);
    for (let index = 0; index < 5; index++) await store.release("k", resetAt);
    assert.equal((await store.hit("k", MINUTE, 1)).count, 1);
    await store.release("absent", resetAt);
    assert.equal((await store.hit("absent", MINUTE, 1)).count, 1);
  });

  test(name("release of an attempt from a closed window never touches the next window"), async () => {
    const store = await factory.create();
    const first = await store.hit("k", MINUTE, 0);
    await store.hit("k", MINUTE, MINUTE);
    await store.hit("k", MINUTE, MINUTE);
    await store.release("k", first.resetAt);
    assert.equal((await store.hit("k", MINUTE, MINUTE)).count, 3);
  });

  test(name("reset forgets a key and only that key"), async () => {
    const store = await factory.create();
    await store.hit("k", MINUTE, 0);
    await store.hit("k", MINUTE, 0);
    await store.hit("other", MINUTE, 0);
    await store.reset("k");
    assert.equal((await store.hit("k", MINUTE, 1)).count, 1);
    assert.equal((await store.hit("other", MINUTE, 1)).count, 2);
  });

  test(name("keys are opaque strings: JSON arrays, Unicode, prototype names"), async () => {
    const store = await factory.create();
    for (const key of ['["address","192.0.2.1"]', "Jäsøn 🦊", "__proto__", "constructor", ""]) {
      assert.equal((await store.hit(key, MINUTE, 0)).count, 1, key);
      assert.equal((await store.hit(key, MINUTE, 0)).count, 2, key);
    }
  });

  if (factory.createBounded !== undefined) runBoundedCases(name, factory.createBounded, test);
}

/** The cases of a store with a size bound: open windows are never evicted. */
function runBoundedCases(
  name: (text: string) => string,
  createBounded: (maxKeys: number) => ThrottleStore | Promise<ThrottleStore>,
  test: RegisterTest,
): void {
  test(name("a flood of other keys never evicts a window that is still open; new keys fail closed"), async () => {
    const store = await createBounded(100);
    await store.hit("victim", MINUTE, 0);
    await store.hit("victim", MINUTE, 0);
    let refused = 0;
    for (let index = 0; index < 10_000; index++) {
      if ((await store.hit(`flood-${index}`, MINUTE, 1 + (index % 1000))).count > 1_000_000) refused++;
    }
    assert.ok(refused >= 10_000 - 100, `refused ${refused}`);
    assert.deepEqual(await store.hit("victim", MINUTE, 2_000), { count: 3, resetAt: MINUTE });
  });

  test(name("closed windows make room for new keys"), async () => {
    const store = await createBounded(10);
    for (let index = 0; index < 10; index++) await store.hit(`old-${index}`, MINUTE, 0);
    assert.ok((await store.hit("new", MINUTE, 1)).count > 1_000_000);
    assert.deepEqual(await store.hit("new", MINUTE, MINUTE), { count: 1, resetAt: 2 * MINUTE });
    assert.equal((await store.hit("old-3", MINUTE, MINUTE)).count, 1);
  });
}
