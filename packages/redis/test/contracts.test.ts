// The shared store contract suites of @httpauth/testkit — the same cases the in-memory stores
// of @httpauth/core pass — run against createRedisStore on a real redis-server, through
// node-redis and ioredis: throttle (testkit/throttle-store-contract) Digest nonce counts
// (testkit/nonce-count-store-suite) and one-time values (testkit/replay-store-contract). Each store gets a prefix of its own.

import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { type RedisServer, startRedisServer } from "@httpauth/testkit/redis-server";
import { runReplayStoreContract } from "@httpauth/testkit/replay-store-contract";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, test } from "vitest";
import { createRedisStore, type RedisClientLike } from "../src/index.ts";

let server: RedisServer;
const clients: Record<string, RedisClientLike> = {};
const closers: Array<() => unknown> = [];
let counter = 0;

beforeAll(async () => {
  server = await startRedisServer();
  const nodeRedis = createClient({ url: server.url });
  nodeRedis.on("error", () => {});
  await nodeRedis.connect();
  closers.push(() => nodeRedis.destroy());
  const ioredis = new Redis(server.url);
  ioredis.on("error", () => {});
  closers.push(() => ioredis.disconnect());
  Object.assign(clients, { "node-redis": nodeRedis, ioredis });
}, 600_000);

afterAll(async () => {
  for (const close of closers) close();
  await server?.stop();
});

for (const name of ["node-redis", "ioredis"]) {
  const create = () => createRedisStore(clients[name]!, { prefix: `contract-${name}-${++counter}:` });
  describe(`createRedisStore(${name})`, () => {
    runThrottleStoreContract(`redis (${name})`, { create }, test);
    runNonceCountStoreSuite(`redis (${name})`, create, test);
    runReplayStoreContract(`redis (${name})`, { create }, test);
  });
}
