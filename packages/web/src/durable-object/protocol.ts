/**
 * What the store client and the Durable Object say to each other: one POST
 * per operation to `https://httpauth.store/<operation>` with a JSON body,
 * answered by `{ answer }` (200), or `{ error: { name, message } }` (400 for
 * bad arguments, 500 otherwise). Arguments are checked on both sides.
 *
 * @module
 */

import { checkReplayArguments } from "@httpauth/core";
import { checkNonceCountArguments, checkThrottleArguments, hashStoreKey } from "@httpauth/core/store-steps";

/** The operations, by the path they are sent to. */
export type Operation = "hit" | "release" | "reset" | "check" | "use";

/** The origin of the requests to the object (never resolved: a stub routes by its id). */
export const ORIGIN = "https://httpauth.store";

/** The largest request body the object reads, in bytes. */
export const MAX_BODY_LENGTH = 16_384;

/** Checks the arguments of `operation`, read from untrusted JSON, with the store contracts' errors. */
export function checkOperation(operation: string, body: Record<string, unknown>): asserts operation is Operation {
  switch (operation) {
    case "hit":
      return checkThrottleArguments(body.key, { now: body.now, windowMs: body.windowMs });
    case "release":
      return checkThrottleArguments(body.key, { resetAt: body.resetAt });
    case "reset":
      return checkThrottleArguments(body.key, {});
    case "check":
      return checkNonceCountArguments(body);
    case "use":
      return checkReplayArguments(body.id as string, body.expiresAt as number, body.now as number);
    default:
      throw new RangeError(`Cannot run a store operation: unknown operation ${JSON.stringify(operation.slice(0, 32))}`);
  }
}

/** The storage key of an operation's entry: its kind and the SHA-256 of what names it. */
export async function storageKey(operation: Operation, body: Record<string, unknown>): Promise<string> {
  if (operation === "check")
    return `nonce-count:${await hashStoreKey([body.nonce as string, body.username as string])}`;
  if (operation === "use") return `replay:${await hashStoreKey([body.id as string])}`;
  return `throttle:${await hashStoreKey([body.key as string])}`;
}
