/**
 * Small helpers the scheme policies and the authenticator share: argument
 * checks, the refusal test, the request target, the credentials' leading
 * auth-scheme, and frozen challenges serialized once.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { serializeChallenge } from "../challenge.ts";
import { CLASSES, TCHAR } from "../grammar/chars.ts";
import type { Refusal } from "../policies/types.ts";

/**
 * Throws unless `value` is a function.
 *
 * @param value The argument.
 * @param what Its name in the message (`basicAuth(): verify`).
 * @throws {TypeError} If `value` is not a function.
 */
export function assertFunction(value: unknown, what: string): void {
  if (typeof value !== "function") throw new TypeError(`${what} must be a function`);
}

/**
 * Whether `value` is an object or a function: something `await` must look into for a `then`.
 *
 * @param value Anything.
 * @returns `true` for objects and functions.
 */
export function isObjectLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

/**
 * Whether a `verify` callback refused: `undefined`, `null` or `false`.
 *
 * @param value What it returned.
 * @returns `true` for a refusal.
 */
export function isRefusal(value: unknown): value is Refusal {
  return value === undefined || value === null || value === false;
}

/**
 * The origin-form target of `url`: the path and query of an absolute URL, or `url` itself.
 *
 * @param url The request's URL or target.
 * @returns The path and query.
 */
export function requestTarget(url: string): string {
  if (url.startsWith("/") || url === "*") return url;
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

/**
 * The leading auth-scheme token of a credentials value, lower-cased.
 *
 * @param value An `Authorization` field value.
 * @returns The scheme, or `""` when the value does not start with a token.
 */
export function leadingScheme(value: string): string {
  let start = 0;
  while (start < value.length && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  let end = start;
  while (end < value.length) {
    const code = value.charCodeAt(end);
    if (code > 0xff || (CLASSES[code]! & TCHAR) === 0) break;
    end++;
  }
  return value.slice(start, end).toLowerCase();
}

/**
 * Freezes a challenge and its parameters, so that its serialized line may be reused.
 *
 * @param challenge A challenge that never changes.
 * @returns The same challenge, frozen.
 */
export function freezeChallenge(challenge: Challenge): Challenge {
  Object.freeze(challenge.params);
  return Object.freeze(challenge);
}

const lines = new WeakMap<Challenge, string>();

/**
 * Serializes a challenge as one field line; a frozen challenge is serialized
 * once and its line reused.
 *
 * @param challenge The challenge.
 * @returns Its field line.
 * @throws {TypeError} If the challenge cannot be sent (see `serializeChallenge`).
 */
export function challengeLine(challenge: Challenge): string {
  let line = lines.get(challenge);
  if (line !== undefined) return line;
  line = serializeChallenge(challenge);
  if (Object.isFrozen(challenge) && Object.isFrozen(challenge.params)) lines.set(challenge, line);
  return line;
}
