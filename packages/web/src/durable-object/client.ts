/**
 * `createDurableObjectStore`: the store contracts of `@httpauth/core`, each
 * operation one request to a {@linkcode HTTPAuthDurableObject}.
 *
 * @module
 */

import type {
  NonceCountEntry,
  NonceCountResult,
  NonceCountStore,
  ReplayStore,
  ThrottleState,
  ThrottleStore,
} from "@httpauth/core";
import { checkReplayArguments } from "@httpauth/core";
import { checkNonceCountArguments, checkThrottleArguments, hashStoreKey } from "@httpauth/core/store-steps";
import { type Operation, ORIGIN } from "./protocol.ts";

/** As much of a Durable Object stub as the store uses. */
export interface DurableObjectStubLike {
  /** Sends a request to the object. */
  fetch(input: string, init: RequestInit): Promise<Response>;
}

/** As much of a `DurableObjectNamespace` binding as the store uses. */
export interface DurableObjectNamespaceLike {
  /** The id of the object named `name`. */
  idFromName(name: string): unknown;
  /** A stub for the object `id`. */
  get(id: never): DurableObjectStubLike;
}

/** Options of {@linkcode createDurableObjectStore}. */
export interface DurableObjectStoreOptions {
  /** The name of the object (or the stem of the shards' names). Default `"httpauth"`; 1 to 64 characters. */
  name?: string;
  /** Spread keys over this many objects (by a hash of the key), for more throughput. Default 1. */
  shards?: number;
}

/** The three store contracts on a Durable Object namespace. */
export interface DurableObjectStore extends ThrottleStore, NonceCountStore, ReplayStore {
  /** ThrottleStore: counts one attempt for `key` before it is verified. */
  hit(key: string, windowMs: number, now: number): Promise<ThrottleState>;
  /** ThrottleStore: takes back one attempt from the window closing at `resetAt`, if it is still the one held. */
  release(key: string, resetAt: number): Promise<void>;
  /** ThrottleStore: forgets `key`. */
  reset(key: string): Promise<void>;
  /** NonceCountStore: records `nc` for (`nonce`, `username`) in a window of 32 counts. */
  check(entry: NonceCountEntry): Promise<NonceCountResult>;
  /** ReplayStore: adds `id` until `expiresAt` unless it is live; `true` when it was new. */
  use(id: string, expiresAt: number, now: number): Promise<boolean>;
}

function checkNamespace(namespace: unknown): asserts namespace is DurableObjectNamespaceLike {
  const candidate = namespace as Partial<DurableObjectNamespaceLike> | null;
  if (typeof candidate?.idFromName !== "function" || typeof candidate.get !== "function") {
    throw new TypeError(
      "createDurableObjectStore(): pass a Durable Object namespace binding (env.AUTH_STORE), not Workers KV",
    );
  }
}

/** Rebuilds the object's error on this side: TypeError and RangeError keep their type. */
function remoteError(status: number, body: unknown): Error {
  const error = (body as { error?: { name?: unknown; message?: unknown } } | null)?.error;
  const message = typeof error?.message === "string" ? error.message : `the Durable Object answered ${status}`;
  if (error?.name === "TypeError") return new TypeError(message);
  if (error?.name === "RangeError") return new RangeError(message);
  return new Error(`Cannot run a store operation: ${message}`);
}

/**
 * Creates a store backed by a Durable Object namespace, implementing the
 * throttle, nonce-count and replay contracts of `@httpauth/core` for every
 * instance of a Worker: each operation is one request to one
 * {@linkcode HTTPAuthDurableObject} (by default the object named
 * `"httpauth"`; with `shards`, one of several picked by the key's hash),
 * which runs it atomically. Arguments are checked here first. A failed
 * request or an error in the object rejects, and the authenticator then
 * rejects: no request goes through unchecked.
 *
 * Workers KV is eventually consistent and cannot back these contracts.
 *
 * @param namespace The Durable Object namespace binding of `HTTPAuthDurableObject`.
 * @param options `name` (default `"httpauth"`), `shards` (default 1).
 * @returns The store: pass it as `throttle.store`, `nonceCounts` and wherever a `ReplayStore` is taken.
 * @throws {TypeError} If `namespace` is not a Durable Object namespace.
 * @throws {RangeError} If `name` or `shards` is out of range.
 *
 * @example Each operation is one request to the object
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDurableObjectStore } from "@httpauth/web/durable-object";
 *
 * const sent: string[] = [];
 * const namespace = {
 *   idFromName: (name: string) => name,
 *   get: () => ({
 *     fetch: async (url: string) => {
 *       sent.push(url);
 *       return Response.json({ answer: true });
 *     },
 *   }),
 * };
 * const store = createDurableObjectStore(namespace);
 * assert.equal(await store.use("jti-1", Date.now() + 60_000, Date.now()), true);
 * assert.deepEqual(sent, ["https://httpauth.store/use"]);
 * ```
 */
export function createDurableObjectStore(
  namespace: DurableObjectNamespaceLike,
  options: DurableObjectStoreOptions = {},
): DurableObjectStore {
  checkNamespace(namespace);
  const { name = "httpauth", shards = 1 } = options;
  if (typeof name !== "string" || name.length === 0 || name.length > 64) {
    throw new RangeError("createDurableObjectStore(): name must be a string of 1 to 64 characters");
  }
  if (!Number.isSafeInteger(shards) || shards < 1 || shards > 1024) {
    throw new RangeError("createDurableObjectStore(): shards must be a whole number from 1 to 1024");
  }
  const stubs = new Map<string, DurableObjectStubLike>();
  async function stubFor(parts: readonly string[]): Promise<DurableObjectStubLike> {
    const objectName =
      shards === 1 ? name : `${name}:${Number.parseInt((await hashStoreKey(parts)).slice(0, 8), 16) % shards}`;
    let stub = stubs.get(objectName);
    if (stub === undefined) {
      stub = namespace.get(namespace.idFromName(objectName) as never);
      stubs.set(objectName, stub);
    }
    return stub;
  }
  async function send(operation: Operation, parts: readonly string[], body: object): Promise<unknown> {
    const stub = await stubFor(parts);
    const response = await stub.fetch(`${ORIGIN}/${operation}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) throw remoteError(response.status, answer);
    if (typeof answer !== "object" || answer === null || !("answer" in answer)) {
      throw new Error("Cannot run a store operation: the Durable Object gave no answer");
    }
    return answer.answer;
  }
  return {
    async hit(key, windowMs, now) {
      checkThrottleArguments(key, { now, windowMs });
      return (await send("hit", ["throttle", key], { key, windowMs, now })) as ThrottleState;
    },
    async release(key, resetAt) {
      checkThrottleArguments(key, { resetAt });
      await send("release", ["throttle", key], { key, resetAt });
    },
    async reset(key) {
      checkThrottleArguments(key, {});
      await send("reset", ["throttle", key], { key });
    },
    async check(entry) {
      checkNonceCountArguments(entry);
      const { nonce, username, nc, issuedAt, expiresAt, now } = entry;
      const body = { nonce, username, nc, issuedAt, expiresAt, now };
      return (await send("check", ["nonce-count", nonce, username], body)) as NonceCountResult;
    },
    async use(id, expiresAt, now) {
      checkReplayArguments(id, expiresAt, now);
      return (await send("use", ["replay", id], { id, expiresAt, now })) as boolean;
    },
  };
}
