import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { describe, expect, test } from "vitest";
import { createMemoryNonceCountStore } from "./nonce-count-store.ts";

runNonceCountStoreSuite("memory", (options) => createMemoryNonceCountStore(options), test);

const NOW = 1_800_000_000_000;

function entry(nonce: string, username: string, nc: number, issuedAt: number, now = NOW) {
  return { nonce, username, nc, issuedAt, expiresAt: issuedAt + 300_000, now };
}

describe("createMemoryNonceCountStore()", () => {
  test("createMemoryNonceCountStore() answers stale for a flushed nonce and for any nonce issued no later", () => {
    const store = createMemoryNonceCountStore({ maxEntries: 2 });
    expect(store.check(entry("victim", "ada", 1, NOW - 5_000))).toBe("fresh");
    expect(store.check(entry("m1", "mallory", 1, NOW - 4_000))).toBe("fresh");
    expect(store.check(entry("m2", "mallory", 1, NOW - 3_000))).toBe("fresh"); // the victim, issued first, goes
    expect(store.check(entry("victim", "ada", 1, NOW - 5_000))).toBe("stale");
    expect(store.check(entry("victim", "ada", 2, NOW - 5_000))).toBe("stale");
    // Never seen, but issued before what was forgotten: the store cannot vouch for it.
    expect(store.check(entry("older", "ada", 1, NOW - 6_000))).toBe("stale");
    // Issued after: fresh.
    expect(store.check(entry("newer", "ada", 1, NOW - 1_000))).toBe("fresh");
  });

  test("createMemoryNonceCountStore() drops expired entries before live ones, without raising the horizon", () => {
    const store = createMemoryNonceCountStore({ maxEntries: 2 });
    expect(store.check(entry("old", "ada", 1, NOW - 299_000))).toBe("fresh");
    expect(store.check(entry("live", "ada", 1, NOW - 2_000))).toBe("fresh");
    const later = NOW + 2_000; // "old" has expired by now
    expect(store.check(entry("next", "ada", 1, NOW - 1_000, later))).toBe("fresh");
    expect(store.check(entry("live", "ada", 1, NOW - 2_000, later))).toBe("replayed");
    expect(store.check(entry("unseen", "bob", 1, NOW - 1_500, later))).toBe("fresh");
  });

  test("createMemoryNonceCountStore() gives each caller its own store", () => {
    const one = createMemoryNonceCountStore();
    const two = createMemoryNonceCountStore();
    expect(one.check(entry("n", "ada", 1, NOW))).toBe("fresh");
    expect(two.check(entry("n", "ada", 1, NOW))).toBe("fresh");
  });

  test("createMemoryNonceCountStore() refuses a bad maxEntries and bad arguments", () => {
    expect(() => createMemoryNonceCountStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => createMemoryNonceCountStore({ maxEntries: 1.5 })).toThrow(RangeError);
    const store = createMemoryNonceCountStore();
    expect(() => store.check(entry("a", "ada", 0, NOW))).toThrow(RangeError);
    expect(() => store.check({ ...entry("a", "ada", 1, NOW), nonce: 1 as unknown as string })).toThrow(TypeError);
    expect(() => store.check({ ...entry("a", "ada", 1, NOW), username: undefined as unknown as string })).toThrow(
      TypeError,
    );
    expect(() => store.check({ ...entry("a", "ada", 1, NOW), now: Number.NaN })).toThrow(RangeError);
    // The old signature fails loudly rather than passing.
    expect(() => (store.check as unknown as (nonce: string, nc: number) => unknown)("a", 1)).toThrow(TypeError);
  });
});
