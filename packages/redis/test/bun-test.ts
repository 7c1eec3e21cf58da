// createRedisStore under real Bun with Bun's built-in RedisClient (`send(command, args)`), on a
// real redis-server started here: the contract suite of ./contract.ts, the shared suites of
// @httpauth/testkit, then a killed and restarted server.
//
// Run from packages/redis: bun test ./test/bun-test.ts

import { afterAll, beforeAll, describe, test } from "bun:test";
import assert from "node:assert/strict";
import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { type RedisServer, startRedisServer } from "@httpauth/testkit/redis-server";
import { runReplayStoreContract } from "@httpauth/testkit/replay-store-contract";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import { createRedisStore, type SendClient } from "../src/index.ts";
import { runStoreContract } from "./contract.ts";

/** The slice of Bun's RedisClient these tests use, typed here since @types/bun is not installed. */
interface BunRedisClient extends SendClient {
  connect(): Promise<void>;
  close(): void;
}
type BunRedisClientConstructor = new (url: string, options?: Record<string, unknown>) => BunRedisClient;
const { RedisClient } = (await import("bun" as string)) as { RedisClient: BunRedisClientConstructor };

let server: RedisServer;
const clients: BunRedisClient[] = [];
let counter = 0;

async function connect(url: string, options: Record<string, unknown> = {}): Promise<BunRedisClient> {
  const client = new RedisClient(url, options);
  await client.connect();
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedisServer();
}, 600_000);

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

describe("Bun's RedisClient", () => {
  let client: BunRedisClient;
  beforeAll(async () => {
    client = await connect(server.url);
  });
  runStoreContract({ describe, test }, "createRedisStore(Bun RedisClient)", () => ({
    store() {
      const prefix = `test-bun-${++counter}:`;
      return { store: createRedisStore(client, { prefix }), prefix };
    },
    command: (command) => server.command(command),
  }));
});

describe("Bun's RedisClient: @httpauth/testkit's shared contract suites", () => {
  let client: BunRedisClient;
  beforeAll(async () => {
    client = await connect(server.url);
  });
  const create = () => createRedisStore(client, { prefix: `contract-bun-${++counter}:` });
  runThrottleStoreContract("redis (Bun RedisClient)", { create }, test);
  runNonceCountStoreSuite("redis (Bun RedisClient)", create, test);
  runReplayStoreContract("redis (Bun RedisClient)", { create }, test);
});

test("a killed server makes every operation reject; after a restart the store works again", async () => {
  const own = await startRedisServer();
  try {
    const client = await connect(own.url, { autoReconnect: true, enableOfflineQueue: false });
    const store = createRedisStore(client, { prefix: "gone:", timeout: 1_000 });
    assert.equal((await store.hit("ada", 60_000, 0)).count, 1);
    await own.kill();
    const now = Date.now();
    await assert.rejects(store.hit("ada", 60_000, now));
    await assert.rejects(store.check({ nonce: "n", username: "u", nc: 1, issuedAt: now, expiresAt: now + 1, now }));
    await assert.rejects(store.use("jti", now + 60_000, now));
    await own.restart();
    const fresh = createRedisStore(await connect(own.url), { prefix: "gone:" });
    assert.deepEqual(await fresh.hit("ada", 60_000, 0), { count: 1, resetAt: 60_000 });
  } finally {
    await own.stop();
  }
}, 30_000);
