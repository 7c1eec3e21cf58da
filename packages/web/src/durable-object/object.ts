/**
 * `HTTPAuthDurableObject`: the Durable Object class that holds the state of
 * the store contracts, one operation per request, one at a time.
 *
 * @module
 */

import {
  nonceCountStep,
  replayUseStep,
  type StoreStep,
  stampStep,
  throttleHitStep,
  throttleReleaseStep,
} from "@httpauth/core/store-steps";
import { checkOperation, MAX_BODY_LENGTH, type Operation, storageKey } from "./protocol.ts";

/** As much of a Durable Object's `state.storage` as the class uses. */
export interface DurableObjectStorageLike {
  /** Reads one key. */
  get(key: string): Promise<unknown>;
  /** Writes one key. */
  put(key: string, value: unknown): Promise<void>;
  /** Deletes one key. */
  delete(key: string): Promise<boolean>;
  /** Lists entries in key order, from `startAfter`, at most `limit`. */
  list(options: { startAfter?: string; limit?: number }): Promise<Map<string, unknown>>;
  /** The time of the scheduled alarm, or `null`. */
  getAlarm(): Promise<number | null>;
  /** Schedules the alarm. */
  setAlarm(scheduledTime: number): Promise<void>;
}

/** As much of a Durable Object's `state` as the class uses. */
export interface DurableObjectStateLike {
  /** The object's transactional storage. */
  storage: DurableObjectStorageLike;
}

/** Entries whose deadline has passed are swept this many at a time by the alarm. */
const SWEEP_BATCH = 512;

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function errorResponse(error: unknown): Response {
  const known = error instanceof TypeError || error instanceof RangeError;
  const name = known ? error.name : "Error";
  const message = error instanceof Error ? error.message : "Cannot run a store operation";
  return jsonResponse(known ? 400 : 500, { error: { name, message } });
}

/** When an entry may be deleted, by the object's clock (`deleteAt`, written by `stamp`). */
function deleteAtOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { deleteAt } = value as { deleteAt?: unknown };
  return typeof deleteAt === "number" ? deleteAt : undefined;
}

/**
 * The Durable Object behind {@linkcode createDurableObjectStore}: export it
 * from the Worker and bind its namespace. Each request is one operation of
 * the throttle, nonce-count or replay contract, run to completion before
 * the next starts (a promise chain on top of the object's single thread and
 * input gate), so read-decide-write is atomic. Deadlines live in the stored
 * values, checked against the caller's `now`; each entry also carries when
 * the object may delete it by its own clock, and an alarm deletes those.
 *
 * @example Export it from the Worker (the binding's class name is `HTTPAuthDurableObject`)
 * ```ts
 * import assert from "node:assert/strict";
 * import { HTTPAuthDurableObject } from "@httpauth/web/durable-object";
 *
 * export { HTTPAuthDurableObject };
 * assert.equal(typeof HTTPAuthDurableObject.prototype.fetch, "function");
 * ```
 */
export class HTTPAuthDurableObject {
  readonly #storage: DurableObjectStorageLike;
  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Called by the runtime.
   *
   * @param state The object's state; only `state.storage` is used.
   * @param _env The Worker's bindings (unused).
   */
  constructor(state: DurableObjectStateLike, _env?: unknown) {
    if (typeof state?.storage?.get !== "function") {
      throw new TypeError("HTTPAuthDurableObject: construct it through a Durable Object namespace binding");
    }
    this.#storage = state.storage;
  }

  /**
   * Runs one store operation, sent by {@linkcode createDurableObjectStore}.
   *
   * @param request `POST /<operation>` with a JSON body.
   * @returns `{ answer }` (200), or `{ error }` (400 bad arguments, 405, 413, 500).
   */
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return jsonResponse(405, { error: { name: "Error", message: "POST only" } });
    const tooLarge = () => jsonResponse(413, { error: { name: "Error", message: "too large" } });
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_LENGTH) return tooLarge();
    const text = await request.text();
    if (text.length > MAX_BODY_LENGTH) return tooLarge();
    try {
      const body: unknown = JSON.parse(text);
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        throw new TypeError("Cannot run a store operation: the body must be a JSON object");
      }
      const operation = new URL(request.url).pathname.slice(1);
      checkOperation(operation, body as Record<string, unknown>);
      const answer = await this.#serially(() => this.#run(operation, body as Record<string, unknown>));
      return jsonResponse(200, { answer: answer ?? null });
    } catch (error) {
      return errorResponse(
        error instanceof SyntaxError ? new TypeError("Cannot run a store operation: bad JSON") : error,
      );
    }
  }

  /** Deletes the entries whose deadline has passed, and schedules the next sweep. */
  async alarm(): Promise<void> {
    await this.#serially(async () => {
      const now = Date.now();
      let next = Number.POSITIVE_INFINITY;
      let startAfter: string | undefined;
      for (;;) {
        const batch = await this.#storage.list({ limit: SWEEP_BATCH, ...(startAfter ? { startAfter } : {}) });
        for (const [key, value] of batch) {
          const deadline = deleteAtOf(value) ?? now;
          if (deadline <= now) await this.#storage.delete(key);
          else next = Math.min(next, deadline);
          startAfter = key;
        }
        if (batch.size < SWEEP_BATCH) break;
      }
      if (next !== Number.POSITIVE_INFINITY) await this.#storage.setAlarm(next);
    });
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #run(operation: Operation, body: Record<string, unknown>): Promise<unknown> {
    const key = await storageKey(operation, body);
    if (operation === "reset") {
      await this.#storage.delete(key);
      return undefined;
    }
    const stored = await this.#storage.get(key);
    const step = stepOf(operation, stored, body);
    const value = stampStep(step as StoreStep<object, unknown>, stored, Date.now());
    if (value === null) await this.#storage.delete(key);
    else if (value !== undefined) {
      await this.#storage.put(key, value);
      await this.#scheduleSweep(value.deleteAt);
    }
    return step.answer;
  }

  async #scheduleSweep(deadline: number): Promise<void> {
    const scheduled = await this.#storage.getAlarm();
    if (scheduled === null || scheduled > deadline) await this.#storage.setAlarm(deadline);
  }
}

function stepOf(
  operation: Exclude<Operation, "reset">,
  stored: unknown,
  body: Record<string, unknown>,
): StoreStep<unknown, unknown> {
  const now = body.now as number;
  switch (operation) {
    case "hit":
      return throttleHitStep(stored, body.windowMs as number, now);
    case "release":
      return throttleReleaseStep(stored, body.resetAt as number);
    case "check":
      return nonceCountStep(stored, body.nc as number, body.expiresAt as number, now);
    case "use":
      return replayUseStep(stored, body.expiresAt as number, now);
  }
}
