/**
 * The guarded routes of the Durable Object test worker: an authenticator
 * created per request (so no state survives in the isolate) whose Digest
 * nonce counts and throttle counts live in the Durable Object.
 *
 * @module
 */

import type { DurableObjectStore } from "../src/durable-object.ts";

/** Answers 404 until the store contracts of issue 13 land (the authenticator routes need them). */
export async function authenticatorRoute(_request: Request, _store: DurableObjectStore): Promise<Response> {
  return new Response("not yet\n", { status: 404 });
}
