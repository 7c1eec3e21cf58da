// createRedisStore on a real redis-server (started here on a free loopback port, installed
// from Debian's package when missing) through node-redis and ioredis: the contract suite of
// ./contract.ts for each client, then what a dead or restarted server does.

import assert from "node:assert/strict";
import { type RedisServer, startRedisServer } from "@httpauth/testkit/redis-server";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createRedisStore, type RedisClientLike, type RedisStore } from "../src/index.ts";
import { runStoreContract } from "./contract.ts";

let server: RedisServer;
const closers: Array<() => Promise<unknown> | unknown> = [];
let counter = 0;

beforeAll(async () => {
  server = await startRedisServer();
}, 600_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await server?.stop();
});

async function nodeRedis(url: string, options: Record<string, unknown> = {}) {
  const client = createClient({ url, ...options });
  client.on("error", () => {});
  await client.connect();
  closers.push(() => client.destroy());
  return client;
}

function ioredis(url: string, options: Record<string, unknown> = {}) {
  const client = new Redis(url, { lazyConnect: false, ...options });
  client.on("error", () => {});
  closers.push(() => client.disconnect());
  return client;
}

const CLIENTS: Array<[string, (url: string) => Promise<RedisClientLike>]> = [
  ["node-redis", (url) => nodeRedis(url)],
  ["ioredis", async (url) => ioredis(url)],
];

for (const [name, connect] of CLIENTS) {
  let client: RedisClientLike;
  describe(name, () => {
    beforeAll(async () => {
      client = await connect(server.url);
    });
    runStoreContract({ describe, test }, `createRedisStore(${name})`, () => ({
      store() {
        const prefix = `test-${name}-${++counter}:`;
        return { store: createRedisStore(client, { prefix }), prefix };
      },
      command: (command) => server.command(command),
    }));
  });
}

describe("a server that goes away", () => {
  let own: RedisServer;
  beforeAll(async () => {
    own = await startRedisServer();
  }, 600_000);
  afterAll(async () => {
    await own?.stop();
  });

  async function expectRejections(store: RedisStore) {
    await assert.rejects(store.hit("ada", 60_000, Date.now()), /Redis store/);
    await assert.rejects(store.release("ada", Date.now()), /Redis store/);
    await assert.rejects(store.reset("ada"), /Redis store/);
    const now = Date.now();
    await assert.rejects(store.check({ nonce: "n", username: "u", nc: 1, issuedAt: now, expiresAt: now + 1, now }));
    await assert.rejects(store.use("jti", now + 60_000, now), /Redis store/);
  }

  test("every operation rejects once the server is killed, and works again after a restart", async () => {
    const redis = await nodeRedis(own.url, { disableOfflineQueue: true });
    const io = ioredis(own.url, { maxRetriesPerRequest: 0, enableOfflineQueue: false });
    const queued = await nodeRedis(own.url);
    const stores = [redis, io].map((client) => createRedisStore(client, { prefix: "gone:" }));
    const patient = createRedisStore(queued, { prefix: "gone:", timeout: 300 });
    assert.equal((await stores[0]!.hit("ada", 60_000, 0)).count, 1);
    assert.equal((await stores[1]!.hit("ada", 60_000, 0)).count, 2);
    assert.equal((await patient.hit("ada", 60_000, 0)).count, 3);
    await own.kill();
    for (const store of stores) await expectRejections(store);
    // node-redis queues commands while it reconnects: the store's timeout rejects instead (the
    // queued hit still runs once the server is back, which only ever counts more).
    await assert.rejects(patient.hit("queued", 60_000, 0), /no reply within 300 ms/);
    await own.restart();
    for (const [index, store] of [...stores, patient].entries()) {
      await waitFor(async () => (await store.hit(`back-${index}`, 60_000, 0)).count === 1);
    }
    // The restarted server is empty and has no scripts: EVALSHA answers NOSCRIPT, EVAL runs.
    assert.deepEqual(await stores[1]!.hit("ada", 60_000, 0), { count: 1, resetAt: 60_000 });
    assert.equal(await stores[0]!.use("jti", 60_000, 0), true);
    assert.equal(await stores[1]!.use("jti", 60_000, 0), false);
  }, 30_000);
});

/** Retries `probe` (rejections included) until it answers true, for up to 10 s. */
async function waitFor(probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error("the store did not come back within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
