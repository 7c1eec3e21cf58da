import { describe, expect, test } from "vitest";
import { checkReplayArguments, createMemoryReplayStore, MAX_REPLAY_ID_LENGTH } from "./replay.ts";

describe("createMemoryReplayStore()", () => {
  test("createMemoryReplayStore() refuses a bad maxEntries with a RangeError naming the option", () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => createMemoryReplayStore({ maxEntries })).toThrow(/maxEntries must be a positive whole number/);
    }
  });

  test("createMemoryReplayStore() gives each caller its own store", () => {
    const one = createMemoryReplayStore();
    const two = createMemoryReplayStore();
    expect(one.use("jti", 10, 0)).toBe(true);
    expect(two.use("jti", 10, 0)).toBe(true);
  });

  test("createMemoryReplayStore() when full drops expired ids first and never a live one", () => {
    const store = createMemoryReplayStore({ maxEntries: 2 });
    expect(store.use("a", 100, 0)).toBe(true);
    expect(store.use("b", 200, 0)).toBe(true);
    expect(store.use("c", 300, 50)).toBe(false);
    expect(store.use("c", 300, 100)).toBe(true);
    expect(store.use("b", 300, 150)).toBe(false);
    expect(store.use("a", 300, 150)).toBe(false);
  });

  test("createMemoryReplayStore() answers a 100 000-id flood in linear time, refusing it past capacity", () => {
    const store = createMemoryReplayStore({ maxEntries: 1000 });
    let accepted = 0;
    for (let index = 0; index < 100_000; index++) if (store.use(`flood-${index}`, 60_000, 0) === true) accepted++;
    expect(accepted).toBe(1000);
    expect(store.use("flood-0", 60_000, 1)).toBe(false);
  });
});

describe("checkReplayArguments()", () => {
  test("checkReplayArguments() accepts the bounds and a surrogate pair", () => {
    expect(() => checkReplayArguments("x".repeat(MAX_REPLAY_ID_LENGTH), 1, 0)).not.toThrow();
    expect(() => checkReplayArguments("\uD83D\uDE00", 1, 0)).not.toThrow();
  });

  test("checkReplayArguments() refuses lone surrogates, oversized ids and non-finite times with clear messages", () => {
    expect(() => checkReplayArguments("\uDE00\uD83D", 1, 0)).toThrow(/lone surrogates/);
    expect(() => checkReplayArguments("a\uD83D", 1, 0)).toThrow(RangeError);
    expect(() => checkReplayArguments("x".repeat(MAX_REPLAY_ID_LENGTH + 1), 1, 0)).toThrow(/hash longer ones/);
    expect(() => checkReplayArguments("x", 1, Number.NaN)).toThrow(/finite/);
    expect(() => checkReplayArguments("x", 1n as unknown as number, 0)).toThrow(TypeError);
  });
});
