/**
 * The store contracts of `@httpauth/core` (throttle, nonce counts, one-time
 * values) on a Cloudflare Durable Object, for Workers that run as many
 * instances: {@linkcode HTTPAuthDurableObject}, the class to export from
 * the Worker and bind as a Durable Object namespace, and
 * {@linkcode createDurableObjectStore}, the store the authenticator is given.
 *
 * Workers KV is eventually consistent (a write can take a minute to be seen
 * elsewhere), so it cannot implement these contracts: do not back a store
 * with it.
 *
 * @example Export the class and use the store (wrangler: a `durable_objects` binding `AUTH_STORE`, class `HTTPAuthDurableObject`)
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDurableObjectStore, HTTPAuthDurableObject } from "@httpauth/web/durable-object";
 *
 * export { HTTPAuthDurableObject };
 * assert.equal(typeof HTTPAuthDurableObject, "function");
 * const worker = {
 *   async fetch(request: Request, env: { AUTH_STORE: Parameters<typeof createDurableObjectStore>[0] }) {
 *     const store = createDurableObjectStore(env.AUTH_STORE);
 *     const now = Date.now();
 *     return Response.json({ fresh: await store.use("jti-1", now + 60_000, now) });
 *   },
 * };
 * assert.equal(typeof worker.fetch, "function");
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
export type {
  DurableObjectNamespaceLike,
  DurableObjectStore,
  DurableObjectStoreOptions,
  DurableObjectStubLike,
} from "./durable-object/client.ts";
export { createDurableObjectStore } from "./durable-object/client.ts";
export type { DurableObjectStateLike, DurableObjectStorageLike } from "./durable-object/object.ts";
export { HTTPAuthDurableObject } from "./durable-object/object.ts";
