// @httpauth/web/durable-object under Node: HTTPAuthDurableObject over a
// Map-backed storage, reached through a fake namespace, runs the store
// contracts; hostile requests to the object; the sweep; bad arguments.
// The real thing runs under workerd: test/workerd-durable-object.mjs.

import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { runReplayStoreContract } from "@httpauth/testkit/replay-store-contract";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import { describe, expect, test } from "vitest";
import {
  createDurableObjectStore,
  type DurableObjectNamespaceLike,
  type DurableObjectStorageLike,
  HTTPAuthDurableObject,
} from "../src/durable-object.ts";

/** A Map with the storage methods the object uses; the alarm is only recorded. */
function memoryStorage(): DurableObjectStorageLike & { entries: Map<string, unknown>; alarm: number | null } {
  const entries = new Map<string, unknown>();
  const storage = {
    entries,
    alarm: null as number | null,
    get: async (key: string) => structuredClone(entries.get(key)),
    put: async (key: string, value: unknown) => {
      entries.set(key, structuredClone(value));
    },
    delete: async (key: string) => entries.delete(key),
    list: async ({ startAfter, limit = Number.POSITIVE_INFINITY }: { startAfter?: string; limit?: number }) =>
      new Map(
        [...entries]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .filter(([key]) => startAfter === undefined || key > startAfter)
          .slice(0, limit),
      ),
    getAlarm: async () => storage.alarm,
    setAlarm: async (time: number) => {
      storage.alarm = time;
    },
  };
  return storage;
}

/** A namespace of objects over Map storage, each request through a real Request. */
function fakeNamespace(): DurableObjectNamespaceLike & { objects: Map<string, HTTPAuthDurableObject> } {
  const objects = new Map<string, HTTPAuthDurableObject>();
  return {
    objects,
    idFromName: (name: string) => name,
    get: (id: never) => ({
      fetch: (input: string, init: RequestInit) => {
        let object = objects.get(id);
        if (object === undefined) {
          object = new HTTPAuthDurableObject({ storage: memoryStorage() });
          objects.set(id, object);
        }
        return object.fetch(new Request(input, init));
      },
    }),
  };
}

describe("createDurableObjectStore() over HTTPAuthDurableObject (Map storage)", () => {
  const namespace = fakeNamespace();
  let count = 0;
  const fresh = () => createDurableObjectStore(namespace, { name: `n-${++count}` });
  runThrottleStoreContract("Map storage", { create: fresh }, test);
  runNonceCountStoreSuite("Map storage", fresh, test);
  runReplayStoreContract("Map storage", { create: fresh }, test);

  test("createDurableObjectStore() with shards spreads keys over several objects", async () => {
    const sharded = fakeNamespace();
    const store = createDurableObjectStore(sharded, { name: "s", shards: 8 });
    const now = Date.now();
    for (let index = 0; index < 64; index++) expect(await store.use(`jti-${index}`, now + 1_000, now)).toBe(true);
    expect(sharded.objects.size).toBeGreaterThan(1);
    for (let index = 0; index < 64; index++) expect(await store.use(`jti-${index}`, now + 1_000, now)).toBe(false);
  });
});

describe("createDurableObjectStore()", () => {
  test("createDurableObjectStore() refuses what is not a Durable Object namespace, Workers KV included", () => {
    const workersKV = { get() {}, put() {}, list() {}, delete() {} };
    for (const namespace of [undefined, null, {}, workersKV, "STORE"]) {
      expect(() => createDurableObjectStore(namespace as never)).toThrow(/not Workers KV/);
    }
  });

  test("createDurableObjectStore() refuses a bad name or shards", () => {
    for (const name of ["", "x".repeat(65), 1]) {
      expect(() => createDurableObjectStore(fakeNamespace(), { name: name as string })).toThrow(RangeError);
    }
    for (const shards of [0, 1.5, 1025, Number.NaN]) {
      expect(() => createDurableObjectStore(fakeNamespace(), { shards })).toThrow(/shards must be/);
    }
  });

  test("createDurableObjectStore() rejects when the object fails or answers nonsense, never answers unchecked", async () => {
    const answering = (response: () => Response | Promise<Response>) =>
      createDurableObjectStore({ idFromName: (name) => name, get: () => ({ fetch: async () => response() }) });
    const now = Date.now();
    await expect(answering(() => new Response("oops", { status: 500 })).use("j", now + 1, now)).rejects.toThrow(
      /answered 500/,
    );
    await expect(answering(() => Response.json({})).use("j", now + 1, now)).rejects.toThrow(/gave no answer/);
    await expect(answering(() => Promise.reject(new Error("network lost"))).hit("k", 1_000, now)).rejects.toThrow(
      /network lost/,
    );
    const remote = answering(() => Response.json({ error: { name: "RangeError", message: "far" } }, { status: 400 }));
    await expect(remote.reset("k")).rejects.toThrow(RangeError);
  });
});

describe("HTTPAuthDurableObject", () => {
  const call = (object: HTTPAuthDurableObject, path: string, body: string, method = "POST") =>
    object.fetch(new Request(`https://httpauth.store${path}`, { method, ...(method === "POST" ? { body } : {}) }));

  test("HTTPAuthDurableObject refuses hostile requests with 400, 405 and 413 and a JSON error", async () => {
    const object = new HTTPAuthDurableObject({ storage: memoryStorage() });
    const now = Date.now();
    const cases: [string, string, number, string?][] = [
      ["/use", "not json", 400],
      ["/use", "[1]", 400],
      ["/use", "null", 400],
      ["/drop-table", "{}", 400],
      ["/__proto__", "{}", 400],
      ["/use", JSON.stringify({ id: 5, expiresAt: now + 1, now }), 400],
      ["/check", JSON.stringify({ nonce: "n", username: "u", nc: 0, issuedAt: now, expiresAt: now + 1, now }), 400],
      ["/hit", JSON.stringify({ key: "k", windowMs: -1, now }), 400],
      ["/use", "x".repeat(20_000), 413],
      ["/use", "{}", 405, "GET"],
    ];
    for (const [path, body, status, method] of cases) {
      const response = await call(object, path, body, method);
      expect(response.status, `${method ?? "POST"} ${path} ${body.slice(0, 40)}`).toBe(status);
      expect(typeof ((await response.json()) as { error: { message: string } }).error.message).toBe("string");
    }
  });

  test("HTTPAuthDurableObject refuses to be built without a storage", () => {
    expect(() => new HTTPAuthDurableObject({} as never)).toThrow(/Durable Object namespace binding/);
  });

  test("HTTPAuthDurableObject schedules an alarm at the earliest deadline and its sweep deletes expired entries", async () => {
    const storage = memoryStorage();
    const object = new HTTPAuthDurableObject({ storage });
    const now = Date.now();
    await call(object, "/use", JSON.stringify({ id: "old", expiresAt: now + 10, now }));
    await call(object, "/use", JSON.stringify({ id: "new", expiresAt: now + 60_000, now }));
    // Deleted by the object's clock: 10 ms and 60 s after each was written.
    expect(storage.alarm).toBeGreaterThanOrEqual(now + 10);
    expect(storage.alarm).toBeLessThan(now + 10_000);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await object.alarm();
    expect([...storage.entries.keys()].length).toBe(1);
    expect(storage.alarm).toBeGreaterThanOrEqual(now + 60_000);
  });
});
