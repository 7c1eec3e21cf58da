/**
 * Values that may or may not have to be waited for: a step that answers at
 * once is not made to wait a turn of the microtask queue.
 *
 * @module
 */

/** A value, or a promise of it: what a step returns when it may have had to wait. */
export type MaybePromise<Value> = Value | Promise<Value>;

/**
 * Whether `value` is a thenable, which `await` would wait for: an object or
 * function with a callable `then`.
 *
 * @param value anything a callback returned
 * @returns `true` for a promise or another thenable
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
