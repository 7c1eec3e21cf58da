// The store contracts, run against createRedisStore on a real redis-server through one client:
// throttle (hit, release, reset), nonce counts (check, with a window of 32), one-time values
// (use), atomicity under concurrent calls, keys that cannot collide, expiry, NOSCRIPT
// recovery. The same suite runs under vitest (node-redis, ioredis) and bun test (Bun's
// RedisClient); each gives its own test functions and a store factory.

import assert from "node:assert/strict";
import type { RedisStore } from "../src/index.ts";

/** The slice of vitest's and bun:test's API the suite uses. */
export interface TestAPI {
  describe(name: string, body: () => void): void;
  test(name: string, body: () => Promise<void>): void;
}

/** What a runner gives the suite. */
export interface ContractHarness {
  /** A store on the shared server, with a prefix no other store uses. */
  store(): { store: RedisStore; prefix: string };
  /** One raw command to the server (`PTTL key`, `SCRIPT FLUSH`); resolves to the raw reply. */
  command(command: string): Promise<string>;
}

const MINUTE = 60_000;
const NOW = 1_800_000_000_000;

/** Runs the contract suite under `name`. */
export function runStoreContract(api: TestAPI, name: string, harness: () => ContractHarness): void {
  const { describe, test } = api;

  describe(`${name}: throttle`, () => {
    test("hit() opens a window and counts up in it", async () => {
      const { store } = harness().store();
      assert.deepEqual(await store.hit("ada", MINUTE, NOW), { count: 1, resetAt: NOW + MINUTE });
      assert.deepEqual(await store.hit("ada", MINUTE, NOW + 1_000), { count: 2, resetAt: NOW + MINUTE });
      assert.deepEqual(await store.hit("ada", 5, NOW + 2_000), { count: 3, resetAt: NOW + MINUTE });
      assert.deepEqual(await store.hit("bob", MINUTE, NOW + 2_000), { count: 1, resetAt: NOW + 2_000 + MINUTE });
    });

    test("hit() opens a new window once the old one closed", async () => {
      const { store } = harness().store();
      await store.hit("ada", MINUTE, NOW);
      await store.hit("ada", MINUTE, NOW);
      assert.deepEqual(await store.hit("ada", MINUTE, NOW + MINUTE), { count: 1, resetAt: NOW + 2 * MINUTE });
    });

    test("release() takes back one attempt of the window hit() answered, never below 0, never of a later window", async () => {
      const { store } = harness().store();
      const { resetAt } = await store.hit("ada", MINUTE, NOW);
      await store.hit("ada", MINUTE, NOW);
      await store.release("ada", resetAt);
      assert.deepEqual(await store.hit("ada", MINUTE, NOW + 2), { count: 2, resetAt });
      for (let index = 0; index < 4; index++) await store.release("ada", resetAt);
      assert.deepEqual(await store.hit("ada", MINUTE, NOW + 4), { count: 1, resetAt });
      await store.hit("ada", MINUTE, NOW + MINUTE);
      await store.hit("ada", MINUTE, NOW + MINUTE);
      await store.release("ada", resetAt);
      assert.deepEqual(await store.hit("ada", MINUTE, NOW + MINUTE), { count: 3, resetAt: NOW + 2 * MINUTE });
      await store.release("nobody", resetAt);
      assert.deepEqual(await store.hit("nobody", MINUTE, NOW), { count: 1, resetAt: NOW + MINUTE });
    });

    test("reset() forgets a key", async () => {
      const { store } = harness().store();
      await store.hit("ada", MINUTE, NOW);
      await store.reset("ada");
      await store.reset("never-seen");
      assert.deepEqual(await store.hit("ada", MINUTE, NOW + 5), { count: 1, resetAt: NOW + 5 + MINUTE });
    });

    test("hit() is atomic: 40 concurrent hits count 1 to 40", async () => {
      const { store } = harness().store();
      const states = await Promise.all(Array.from({ length: 40 }, () => store.hit("ada", MINUTE, NOW)));
      assert.deepEqual(
        states.map((state) => state.count).sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
    });

    test("the window key expires by itself when the window closes", async () => {
      const { store, prefix } = harness().store();
      const now = Date.now();
      await store.hit("ada", MINUTE, now);
      const ttl = Number((await harness().command(`PTTL ${prefix}t:ada`)).slice(1));
      assert.ok(ttl > MINUTE - 5_000 && ttl <= MINUTE, `PTTL ${ttl}`);
    });

    test("keys of other spellings, separators and sizes never share a count", async () => {
      const { store } = harness().store();
      const long = "x".repeat(100_000);
      const keys = [
        "a:b",
        "a%3ab",
        "a%3Ab",
        "a b",
        "a%20b",
        "{a}b",
        "%7ba%7db",
        "a\u0000b",
        "a\nb",
        "\ud800",
        "\ufffd",
        "\ud800\udc00",
        "\u{10000}x",
        "ÄDA",
        "ada",
        "Ada",
        "",
        "#",
        "%",
        "%u0041",
        "A",
        long,
        `${long}y`,
        `t:${long}`,
      ];
      const counts = await Promise.all(keys.map((key) => store.hit(key, MINUTE, NOW)));
      assert.deepEqual(
        counts.map((state) => state.count),
        keys.map(() => 1),
      );
    });
  });

  describe(`${name}: nonce counts`, () => {
    const entry = (nc: number, overrides: { nonce?: string; username?: string; now?: number } = {}) => ({
      nonce: "n1",
      username: "ada",
      nc,
      issuedAt: NOW - 1_000,
      expiresAt: NOW + 5 * MINUTE,
      now: NOW,
      ...overrides,
    });

    test("check() accepts a count once and refuses it again", async () => {
      const { store } = harness().store();
      assert.equal(await store.check(entry(1)), "fresh");
      assert.equal(await store.check(entry(1)), "replayed");
      assert.equal(await store.check(entry(2)), "fresh");
      assert.equal(await store.check(entry(2)), "replayed");
      assert.equal(await store.check(entry(1)), "replayed");
    });

    test("check() takes counts out of order within the window of 32", async () => {
      const { store } = harness().store();
      assert.equal(await store.check(entry(8)), "fresh");
      for (let nc = 1; nc <= 7; nc++) assert.equal(await store.check(entry(nc)), "fresh", `nc ${nc}`);
      for (let nc = 1; nc <= 8; nc++) assert.equal(await store.check(entry(nc)), "replayed", `nc ${nc} again`);
      assert.equal(await store.check(entry(40)), "fresh");
      assert.equal(await store.check(entry(8)), "replayed");
      assert.equal(await store.check(entry(9)), "fresh");
      assert.equal(await store.check(entry(7)), "replayed");
    });

    test("check() keeps the window right across jumps of 31, 32 and more", async () => {
      const { store } = harness().store();
      assert.equal(await store.check(entry(1)), "fresh");
      assert.equal(await store.check(entry(32)), "fresh");
      assert.equal(await store.check(entry(1)), "replayed");
      assert.equal(await store.check(entry(64)), "fresh");
      assert.equal(await store.check(entry(32)), "replayed");
      assert.equal(await store.check(entry(33)), "fresh");
      assert.equal(await store.check(entry(1_000)), "fresh");
      assert.equal(await store.check(entry(64)), "replayed");
      assert.equal(await store.check(entry(999)), "fresh");
      assert.equal(await store.check(entry(968)), "fresh");
      assert.equal(await store.check(entry(967)), "replayed");
      assert.equal(await store.check(entry(0xffff_ffff)), "fresh");
      assert.equal(await store.check(entry(0xffff_ffff - 32)), "fresh");
      assert.equal(await store.check(entry(0xffff_ffff - 32)), "replayed");
    });

    test("check() counts per nonce and user name, with no collision through separators", async () => {
      const { store } = harness().store();
      assert.equal(await store.check(entry(1, { nonce: "a:b", username: "c" })), "fresh");
      assert.equal(await store.check(entry(1, { nonce: "a", username: "b:c" })), "fresh");
      assert.equal(await store.check(entry(1, { nonce: "a%3ab", username: "c" })), "fresh");
      assert.equal(await store.check(entry(1, { nonce: "a:b", username: "C" })), "fresh");
      assert.equal(await store.check(entry(1, { nonce: "a:b", username: "c" })), "replayed");
    });

    test("check() answers stale for a dead nonce", async () => {
      const { store } = harness().store();
      assert.equal(await store.check({ ...entry(1), expiresAt: NOW }), "stale");
      assert.equal(await store.check(entry(1)), "fresh");
      assert.equal(await store.check(entry(2, { now: NOW + 5 * MINUTE })), "stale");
      assert.equal(await store.check(entry(3, { now: NOW + 5 * MINUTE + 1 })), "stale");
    });

    test("check() is atomic: 20 concurrent checks of one count accept it once", async () => {
      const { store } = harness().store();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.check(entry(5))));
      assert.equal(results.filter((result) => result === "fresh").length, 1);
      assert.equal(results.filter((result) => result === "replayed").length, 19);
    });

    test("the entry expires by itself when the nonce dies", async () => {
      const { store, prefix } = harness().store();
      const now = Date.now();
      await store.check({ nonce: "n", username: "u", nc: 1, issuedAt: now, expiresAt: now + MINUTE, now });
      const ttl = Number((await harness().command(`PTTL ${prefix}n:n:u`)).slice(1));
      assert.ok(ttl > MINUTE - 5_000 && ttl <= MINUTE, `PTTL ${ttl}`);
    });
  });

  describe(`${name}: one-time values`, () => {
    test("use() adds an id once, until it expires", async () => {
      const { store } = harness().store();
      assert.equal(await store.use("jti-1", NOW + MINUTE, NOW), true);
      assert.equal(await store.use("jti-1", NOW + MINUTE, NOW + 1), false);
      assert.equal(await store.use("jti-2", NOW + MINUTE, NOW + 1), true);
      assert.equal(await store.use("jti-1", NOW + 2 * MINUTE, NOW + MINUTE), true);
      assert.equal(await store.use("jti-1", NOW + 2 * MINUTE, NOW + MINUTE + 1), false);
    });

    test("use() keeps a live id's expiry: a later expiresAt does not renew it", async () => {
      const { store } = harness().store();
      assert.equal(await store.use("jti", NOW + MINUTE, NOW), true);
      assert.equal(await store.use("jti", NOW + 10 * MINUTE, NOW + 1), false);
      assert.equal(await store.use("jti", NOW + 10 * MINUTE, NOW + MINUTE), true);
    });

    test("use() tells ids apart exactly: case, Unicode normalisation, spaces", async () => {
      const { store } = harness().store();
      const ids = [
        "jti-A",
        "jti-a",
        "caf\u00e9",
        "cafe\u0301",
        "\uff41bc",
        "abc",
        "\ufb01",
        "fi",
        "jti ",
        "jti",
        "\u{1f98a}",
      ];
      for (const id of ids) assert.equal(await store.use(id, NOW + MINUTE, NOW), true, id);
      for (const id of ids) assert.equal(await store.use(id, NOW + MINUTE, NOW), false, id);
    });

    test("use() never calls an id new once its expiry has passed", async () => {
      const { store } = harness().store();
      assert.equal(await store.use("late", NOW, NOW), false);
      assert.equal(await store.use("late", NOW - 1, NOW), false);
      assert.equal(await store.use("late", NOW + 1, NOW), true);
    });

    test("use() is atomic: 20 concurrent uses of one id find it new once", async () => {
      const { store } = harness().store();
      const results = await Promise.all(Array.from({ length: 20 }, () => store.use("jti", NOW + MINUTE, NOW)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    test("use() keys do not collide with throttle keys or each other", async () => {
      const { store } = harness().store();
      await store.hit("same", MINUTE, NOW);
      assert.equal(await store.use("same", NOW + MINUTE, NOW), true);
      assert.equal(await store.use("same:", NOW + MINUTE, NOW), true);
      assert.equal(await store.use("x".repeat(512), NOW + MINUTE, NOW), true);
      assert.equal(await store.use("x".repeat(512), NOW + MINUTE, NOW), false);
      assert.equal(await store.use(`${"x".repeat(511)}y`, NOW + MINUTE, NOW), true);
      assert.deepEqual(await store.hit("same", MINUTE, NOW), { count: 2, resetAt: NOW + MINUTE });
    });

    test("the id expires by itself", async () => {
      const { store, prefix } = harness().store();
      const now = Date.now();
      await store.use("jti", now + MINUTE, now);
      const ttl = Number((await harness().command(`PTTL ${prefix}u:jti`)).slice(1));
      assert.ok(ttl > MINUTE - 5_000 && ttl <= MINUTE, `PTTL ${ttl}`);
    });
  });

  describe(`${name}: scripts`, () => {
    test("every operation keeps working after SCRIPT FLUSH (EVAL on NOSCRIPT)", async () => {
      const { store } = harness().store();
      await store.hit("ada", MINUTE, NOW);
      assert.equal(await harness().command("SCRIPT FLUSH"), "+OK");
      assert.deepEqual(await store.hit("ada", MINUTE, NOW), { count: 2, resetAt: NOW + MINUTE });
      assert.equal(await harness().command("SCRIPT FLUSH"), "+OK");
      await store.release("ada", NOW + MINUTE);
      assert.equal(await harness().command("SCRIPT FLUSH"), "+OK");
      assert.equal(
        await store.check({ nonce: "n", username: "u", nc: 1, issuedAt: NOW, expiresAt: NOW + 1, now: NOW }),
        "fresh",
      );
      assert.equal(await harness().command("SCRIPT FLUSH"), "+OK");
      assert.equal(await store.use("jti", NOW + 1, NOW), true);
      assert.deepEqual(await store.hit("ada", MINUTE, NOW), { count: 2, resetAt: NOW + MINUTE });
    });

    test("a key of another type held under the prefix makes the operation reject", async () => {
      const { store, prefix } = harness().store();
      assert.equal(await harness().command(`SET ${prefix}t:taken hello`), "+OK");
      await assert.rejects(store.hit("taken", MINUTE, NOW), /WRONGTYPE|Redis store/);
    });
  });
}
