// createRedisStore without a server: client detection, the commands sent, argument checks,
// replies of the wrong type, errors and timeouts, key encoding, and the scripts' digests.

import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { createRedisStore, type RedisStore } from "../src/index.ts";
import { buildKey, encodePart, MAX_ENCODED_LENGTH } from "../src/keys.ts";
import { SCRIPTS } from "../src/scripts.ts";

const NOW = 1_800_000_000_000;
const entry = { nonce: "n", username: "u", nc: 1, issuedAt: NOW, expiresAt: NOW + 1_000, now: NOW };

/** A `{ send }` client that records the commands and answers with `reply` (a value, or a function of the command). */
function fake(reply: unknown | ((command: string, args: string[]) => unknown)) {
  const sent: string[][] = [];
  const client = {
    send: async (command: string, args: string[]) => {
      sent.push([command, ...args]);
      return typeof reply === "function" ? reply(command, args) : reply;
    },
  };
  return { client, sent };
}

describe("createRedisStore() clients", () => {
  test("createRedisStore() talks to ioredis and iovalkey through call(), also when sendCommand is there", async () => {
    const calls: string[][] = [];
    const client = {
      call: async (command: string, ...args: string[]) => calls.push([command, ...args]) && [1, NOW + 10],
      sendCommand: () => {
        throw new Error("not this one");
      },
    };
    expect(await createRedisStore(client).hit("k", 10, NOW)).toEqual({ count: 1, resetAt: NOW + 10 });
    expect(calls[0]?.slice(0, 4)).toEqual(["EVALSHA", SCRIPTS.hit.sha1, "1", "httpauth:t:k"]);
  });

  test("createRedisStore() talks to node-redis through sendCommand([command, …args])", async () => {
    const calls: string[][] = [];
    const client = { sendCommand: async (args: string[]) => calls.push(args) && 1 };
    expect(await createRedisStore(client).use("id", NOW + 1, NOW)).toBe(true);
    expect(calls[0]).toEqual(["EVALSHA", SCRIPTS.use.sha1, "1", "httpauth:u:id", String(NOW + 1), String(NOW)]);
  });

  test("createRedisStore() keeps `this` of the client's method", async () => {
    const client = {
      reply: 0,
      async send(this: { reply: number }) {
        return this.reply;
      },
    };
    expect(await createRedisStore(client).use("id", NOW + 1, NOW)).toBe(false);
  });

  test("createRedisStore() refuses anything that is not a client, with a TypeError that says what to pass", () => {
    for (const bad of [undefined, null, 42, "redis://localhost", {}, { send: "no" }, { sendCommand: 1 }, () => {}]) {
      expect(() => createRedisStore(bad as never)).toThrow(/node-redis \(sendCommand\), ioredis or iovalkey \(call\)/);
    }
  });

  test("createRedisStore() checks prefix and timeout", () => {
    const { client } = fake(1);
    expect(() => createRedisStore(client, { prefix: 1 as never })).toThrow(TypeError);
    expect(() => createRedisStore(client, { prefix: "x".repeat(257) })).toThrow(RangeError);
    expect(() => createRedisStore(client, { prefix: "a\u0000" })).toThrow(/control characters/);
    expect(() => createRedisStore(client, { prefix: "a\u007f" })).toThrow(RangeError);
    for (const timeout of [0, -1, Number.NaN, "5" as never]) {
      expect(() => createRedisStore(client, { timeout })).toThrow(RangeError);
    }
    expect(() => createRedisStore(client, { prefix: "", timeout: Number.POSITIVE_INFINITY })).not.toThrow();
  });
});

describe("createRedisStore() commands", () => {
  test("EVALSHA first, EVAL with the script's source on NOSCRIPT, and no retry on other errors", async () => {
    let evalsha = 0;
    const { client, sent } = fake((command: string) => {
      if (command === "EVALSHA" && evalsha++ === 0) throw new Error("NOSCRIPT No matching script. Please use EVAL.");
      return [3, NOW + 5];
    });
    const store = createRedisStore(client, { prefix: "p:" });
    expect(await store.hit("k", 5, NOW)).toEqual({ count: 3, resetAt: NOW + 5 });
    expect(sent.map((command) => command[0])).toEqual(["EVALSHA", "EVAL"]);
    expect(sent[1]).toEqual(["EVAL", SCRIPTS.hit.source, "1", "p:t:k", "5", String(NOW)]);
    const failing = fake(() => {
      throw new Error("ERR something else");
    });
    await expect(createRedisStore(failing.client).hit("k", 5, NOW)).rejects.toThrow(
      "Redis store: cannot run a script (ERR something else)",
    );
    expect(failing.sent).toHaveLength(1);
  });

  test("reset() is one DEL", async () => {
    const { client, sent } = fake(1);
    await createRedisStore(client).reset("a b");
    expect(sent).toEqual([["DEL", "httpauth:t:a%20b"]]);
  });

  test("check() sends the nonce and user name as one key and the numbers in whole milliseconds", async () => {
    const { client, sent } = fake(0);
    expect(await createRedisStore(client).check({ ...entry, expiresAt: NOW + 0.5, now: NOW + 0.9 })).toBe("fresh");
    expect(sent[0]?.slice(2)).toEqual(["1", "httpauth:n:n:u", "1", String(NOW + 1), String(NOW)]);
  });

  test("the scripts' digests are the SHA-1 of their sources", () => {
    for (const script of Object.values(SCRIPTS)) {
      expect(createHash("sha1").update(script.source).digest("hex")).toBe(script.sha1);
    }
  });
});

describe("createRedisStore() arguments", () => {
  const store = createRedisStore(fake([1, NOW]).client);
  const cases: Array<[string, () => Promise<unknown>, ErrorConstructor]> = [
    ["hit() key not a string", () => store.hit(1 as never, 10, NOW), TypeError],
    ["hit() window 0", () => store.hit("k", 0, NOW), RangeError],
    ["hit() window negative", () => store.hit("k", -5, NOW), RangeError],
    ["hit() window NaN", () => store.hit("k", Number.NaN, NOW), RangeError],
    ["hit() window Infinity", () => store.hit("k", Number.POSITIVE_INFINITY, NOW), RangeError],
    ["hit() now negative", () => store.hit("k", 10, -1), RangeError],
    ["hit() now a string", () => store.hit("k", 10, "1" as never), TypeError],
    ["hit() now beyond safe integers", () => store.hit("k", 10, 2 ** 60), RangeError],
    ["release() key undefined", () => store.release(undefined as never, NOW), TypeError],
    ["release() resetAt NaN", () => store.release("k", Number.NaN), RangeError],
    ["release() resetAt negative", () => store.release("k", -1), RangeError],
    ["reset() key an object", () => store.reset({} as never), TypeError],
    ["check() no entry", () => store.check(undefined as never), TypeError],
    ["check() nonce missing", () => store.check({ ...entry, nonce: undefined as never }), TypeError],
    ["check() username a number", () => store.check({ ...entry, username: 7 as never }), TypeError],
    ["check() nc 0", () => store.check({ ...entry, nc: 0 }), RangeError],
    ["check() nc fractional", () => store.check({ ...entry, nc: 1.5 }), RangeError],
    ["check() nc a string", () => store.check({ ...entry, nc: "1" as never }), RangeError],
    ["check() nc above 2³²−1", () => store.check({ ...entry, nc: 2 ** 32 }), RangeError],
    ["check() issuedAt missing", () => store.check({ ...entry, issuedAt: undefined as never }), TypeError],
    ["check() expiresAt NaN", () => store.check({ ...entry, expiresAt: Number.NaN }), RangeError],
    ["use() id null", () => store.use(null as never, NOW, NOW), TypeError],
    ["use() id an object with toString", () => store.use({ toString: () => "id" } as never, NOW, NOW), TypeError],
    ["use() id empty", () => store.use("", NOW + 1, NOW), RangeError],
    ["use() id of 513 characters", () => store.use("x".repeat(513), NOW + 1, NOW), RangeError],
    ["use() id with a lone high surrogate", () => store.use("a\ud800", NOW + 1, NOW), RangeError],
    ["use() id with a lone low surrogate", () => store.use("\udc00a", NOW + 1, NOW), RangeError],
    ["use() expiresAt a string", () => store.use("id", String(NOW) as never, NOW), TypeError],
    ["use() now NaN", () => store.use("id", NOW + 1, Number.NaN), RangeError],
    ["use() expiresAt Infinity", () => store.use("id", Number.POSITIVE_INFINITY, NOW), RangeError],
  ];
  for (const [name, run, type] of cases) {
    test(`${name} rejects with a ${type.name}`, async () => {
      await expect(run()).rejects.toThrow(type);
    });
  }
});

describe("createRedisStore() replies", () => {
  const operations: Array<[string, (store: RedisStore) => Promise<unknown>]> = [
    ["hit", (store) => store.hit("k", 10, NOW)],
    ["release", (store) => store.release("k", NOW)],
    ["reset", (store) => store.reset("k")],
    ["check", (store) => store.check(entry)],
    ["use", (store) => store.use("id", NOW + 1, NOW)],
  ];
  const hostile = [
    null,
    undefined,
    "OK",
    "1.5",
    "12345678901234567890",
    1.5,
    Number.NaN,
    2 ** 60,
    10n ** 20n,
    {},
    [1],
    [1, 2, 3],
    ["a", "b"],
    [Number.NaN, 1],
    new Uint8Array([49]),
    true,
  ];
  for (const [name, run] of operations) {
    test(`${name}() rejects every reply it does not expect with a TypeError`, async () => {
      for (const reply of hostile) {
        const store = createRedisStore(fake(reply).client);
        await expect(run(store), `${name} given ${String(reply)}`).rejects.toThrow(/unexpected reply|Redis store/);
      }
    });
  }

  test("check() and use() refuse integers outside their answers", async () => {
    await expect(createRedisStore(fake(3).client).check(entry)).rejects.toThrow(/expected 0, 1 or 2/);
    await expect(createRedisStore(fake(-1).client).check(entry)).rejects.toThrow(TypeError);
    await expect(createRedisStore(fake(2).client).use("id", NOW + 1, NOW)).rejects.toThrow(/expected 0 or 1/);
  });

  test("integers as bigints or digit strings (some clients' settings) are read", async () => {
    expect(await createRedisStore(fake([2n, String(NOW)]).client).hit("k", 10, NOW)).toEqual({
      count: 2,
      resetAt: NOW,
    });
    expect(await createRedisStore(fake("1").client).check(entry)).toBe("replayed");
    expect(await createRedisStore(fake(2n).client).check(entry)).toBe("stale");
  });

  test("a client that throws synchronously, rejects with a non-Error, or never answers makes the operation reject", async () => {
    const throwing = {
      send: () => {
        throw new Error("socket closed");
      },
    };
    await expect(createRedisStore(throwing).hit("k", 10, NOW)).rejects.toThrow("socket closed");
    await expect(createRedisStore({ send: () => Promise.reject("gone") }).reset("k")).rejects.toThrow("(gone)");
    const silent = createRedisStore({ send: () => new Promise(() => {}) }, { timeout: 20 });
    await expect(silent.use("id", NOW + 1, NOW)).rejects.toThrow("no reply within 20 ms");
    await expect(silent.reset("id")).rejects.toThrow("no reply within 20 ms");
  });
});

describe("keys", () => {
  test("encodePart() keeps plain ASCII and escapes separators, braces, controls and everything beyond ASCII", () => {
    expect(encodePart("Ada.Lovelace@example.com")).toBe("Ada.Lovelace@example.com");
    expect(encodePart("a:b {c} #d %e f\u0000\u007f")).toBe("a%3ab%20%7bc%7d%20%23d%20%25e%20f%00%7f");
    expect(encodePart("ä€\ud800\udc00")).toBe("%e4%u20ac%ud800%udc00");
  });

  test("encodePart() is one-to-one on tricky strings", () => {
    const inputs = ["%", "%25", "%u0025", "\ud800", "\ufffd", "\u00e4", "a\u0308", "u", "%75", ":", "%3a", "%3A", ""];
    const encoded = inputs.map(encodePart);
    expect(new Set(encoded).size).toBe(inputs.length);
  });

  test("buildKey() hashes long keys and never lets two part lists meet", async () => {
    const long = await buildKey("p:", "t", ["x".repeat(MAX_ENCODED_LENGTH + 1)]);
    expect(long).toMatch(/^p:t:#[0-9a-f]{64}$/);
    expect(await buildKey("p:", "t", ["x".repeat(MAX_ENCODED_LENGTH)])).toBe(`p:t:${"x".repeat(MAX_ENCODED_LENGTH)}`);
    expect(await buildKey("p:", "n", ["a:b", "c"])).not.toBe(await buildKey("p:", "n", ["a", "b:c"]));
    // A key spelled like a digest cannot pass for one: its # is escaped.
    expect(await buildKey("p:", "t", [`#${"a".repeat(64)}`])).toBe(`p:t:%23${"a".repeat(64)}`);
  });
});
