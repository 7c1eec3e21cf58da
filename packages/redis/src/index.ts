/**
 * httpauth's shared state on Redis or Valkey: the throttle, Digest nonce
 * count and one-time value stores in one object, through the client you
 * already have (node-redis, ioredis, iovalkey, Bun's `RedisClient`). Each
 * operation is one Lua script on one key (`EVALSHA`, `EVAL` on `NOSCRIPT`),
 * so it is atomic, one round trip, and safe on a Redis Cluster.
 *
 * @example Two instances, one count
 * ```ts
 * import assert from "node:assert/strict";
 * import { createRedisStore } from "@httpauth/redis";
 *
 * // With a real client: createRedisStore(await createClient({ url }).connect())
 * const client = { send: async () => 1 };
 * const store = createRedisStore(client);
 * assert.equal(typeof store.hit, "function");
 * assert.equal(await store.use("jti-1", 60_000, 0), true);
 * ```
 *
 * @module
 */

export type {
  NonceCountEntry,
  NonceCountResult,
  NonceCountStore,
  ReplayStore,
  ThrottleState,
  ThrottleStore,
} from "@httpauth/core";
export type { IORedisClient, NodeRedisClient, RedisClientLike, SendClient } from "./client.ts";
export type { RedisStore, RedisStoreOptions } from "./store.ts";
export { createRedisStore } from "./store.ts";
