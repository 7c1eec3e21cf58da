// createKvStore under real Deno: the store contracts (throttle, nonce counts,
// replay) on Deno.openKv(":memory:") and on a file, two handles on one file
// racing as two instances would, and hostile arguments and failing databases.
//
// Run from packages/deno: deno test --unstable-kv --allow-read=./src,./test --allow-write=./test ...

import assert from "node:assert/strict";
import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { runReplayStoreContract } from "@httpauth/testkit/replay-store-contract";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import { createKvStore, type KvDatabase, type KvStore } from "../src/index.ts";

// A real Deno.Kv is a KvDatabase (checked by `deno test`'s type check).
const memory: KvDatabase = await Deno.openKv(":memory:");
const folder = await Deno.makeTempDir({ dir: new URL(".", import.meta.url).pathname, prefix: ".kv-" });
const path = `${folder}/store.sqlite3`;
const first = await Deno.openKv(path);
const second = await Deno.openKv(path);

let prefixes = 0;
/** A fresh store: its own prefix on a shared database. */
const fresh = (kv: KvDatabase) => () => createKvStore(kv, { prefix: `test-${++prefixes}` });

function register(label: string, create: () => KvStore): void {
  const test = (name: string, body: () => void | Promise<void>) => Deno.test(name, body);
  runThrottleStoreContract(`createKvStore() on ${label}`, { create }, test);
  runNonceCountStoreSuite(`createKvStore() on ${label}`, create, test);
  runReplayStoreContract(`createKvStore() on ${label}`, { create }, test);
}

register(":memory:", fresh(memory));
register("a file", fresh(first));

/** Two stores on two handles of one file, like two instances behind a load balancer. */
function twoInstances(): [KvStore, KvStore] {
  const prefix = `two-${++prefixes}`;
  return [createKvStore(first, { prefix }), createKvStore(second, { prefix })];
}

Deno.test("createKvStore() on two handles of one file: a one-time value is new on exactly one", async () => {
  const [a, b] = twoInstances();
  const now = Date.now();
  const answers = await Promise.all(
    Array.from({ length: 24 }, (_, index) => (index % 2 === 0 ? a : b).use("jti-shared", now + 60_000, now)),
  );
  assert.equal(answers.filter(Boolean).length, 1, answers.join(","));
  assert.equal(await b.use("jti-shared", now + 60_000, now + 1), false);
});

Deno.test("createKvStore() on two handles of one file: attempts on both count as one window", async () => {
  const [a, b] = twoInstances();
  const now = Date.now();
  const states = await Promise.all(
    Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? a : b).hit("address:192.0.2.1", 60_000, now)),
  );
  assert.deepEqual(
    states.map((state) => state.count).sort((x, y) => x - y),
    Array.from({ length: 20 }, (_, index) => index + 1),
  );
  assert.equal((await a.hit("address:192.0.2.1", 60_000, now)).count, 21);
});

Deno.test("createKvStore() on two handles of one file: a nonce count used on one is replayed on the other", async () => {
  const [a, b] = twoInstances();
  const issuedAt = Date.now();
  const entry = { nonce: "n", username: "Mufasa", nc: 1, issuedAt, expiresAt: issuedAt + 60_000, now: issuedAt };
  const answers = await Promise.all([a.check(entry), b.check(entry), a.check(entry), b.check(entry)]);
  assert.deepEqual(answers.sort(), ["fresh", "replayed", "replayed", "replayed"]);
});

Deno.test("createKvStore() keeps deadlines in the value: an entry KV has not deleted yet is expired", async () => {
  const store = fresh(memory)();
  const now = Date.now();
  assert.equal(await store.use("jti", now + 60_000, now), true);
  // An hour later by the caller's clock; KV would still hold the entry.
  assert.equal(await store.use("jti", now + 2 * 3_600_000, now + 3_600_000), true);
  assert.deepEqual(await store.hit("k", 1_000, now), { count: 1, resetAt: now + 1_000 });
  assert.deepEqual(await store.hit("k", 1_000, now + 1_000), { count: 1, resetAt: now + 2_000 });
});

Deno.test("createKvStore() separates prefixes", async () => {
  const now = Date.now();
  assert.equal(await createKvStore(memory, { prefix: "left" }).use("jti", now + 1_000, now), true);
  assert.equal(await createKvStore(memory, { prefix: "right" }).use("jti", now + 1_000, now), true);
});

Deno.test("createKvStore() refuses what is not a KV database and bad options, with clear errors", () => {
  for (const kv of [undefined, null, {}, { get() {} }, "kv"]) {
    assert.throws(() => createKvStore(kv as unknown as KvDatabase), {
      name: "TypeError",
      message: /pass a Deno KV database/,
    });
  }
  for (const prefix of ["", "x".repeat(65), 7]) {
    assert.throws(() => createKvStore(memory, { prefix: prefix as string }), /prefix must be a string/);
  }
  for (const maxAttempts of [0, 1.5, 1001, Number.NaN]) {
    assert.throws(() => createKvStore(memory, { maxAttempts }), /maxAttempts must be a whole number/);
  }
});

Deno.test("createKvStore() rejects after maxAttempts conflicting commits, never answers unchecked", async () => {
  let commits = 0;
  const conflicting: KvDatabase = {
    get: () => Promise.resolve({ value: null, versionstamp: null }),
    atomic() {
      const operation = {
        check: () => operation,
        set: () => operation,
        delete: () => operation,
        commit: () => {
          commits++;
          return Promise.resolve({ ok: false });
        },
      };
      return operation;
    },
  };
  const store = createKvStore(conflicting, { maxAttempts: 3 });
  const now = Date.now();
  await assert.rejects(() => store.use("jti", now + 1_000, now), /3 conflicting writes on one key/);
  assert.equal(commits, 3);
});

Deno.test("createKvStore() rejects when the database fails or holds a foreign value", async () => {
  const failing: KvDatabase = {
    get: () => Promise.reject(new Error("database is closed")),
    atomic: () => {
      throw new Error("database is closed");
    },
  };
  const now = Date.now();
  await assert.rejects(() => createKvStore(failing).hit("k", 1_000, now), /database is closed/);
  await assert.rejects(() => createKvStore(failing).reset("k"), /database is closed/);
  const foreign: KvDatabase = {
    ...memory,
    get: () => Promise.resolve({ value: "hello", versionstamp: "1" }),
    atomic: () => memory.atomic(),
  };
  await assert.rejects(() => createKvStore(foreign).use("jti", now + 1_000, now), /unexpected shape/);
  await assert.rejects(() => createKvStore(foreign).hit("k", 1_000, now), /unexpected shape/);
});

Deno.test({
  name: "createKvStore(): close the databases",
  sanitizeResources: false,
  async fn() {
    (memory as Deno.Kv).close();
    first.close();
    second.close();
    await Deno.remove(folder, { recursive: true });
  },
});
