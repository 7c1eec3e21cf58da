/**
 * Checks of the arguments callers pass to the Digest functions: a wrong
 * argument is a programming error, so it throws `TypeError` or `RangeError`
 * with a message that says what to pass.
 *
 * @module
 */

import { isToken } from "../../grammar/quote.ts";
import { encodeUTF8, isWellFormedUTF16 } from "../../internal/utf8.ts";
import type { DigestAlgorithm } from "./algorithms.ts";
import { ALGORITHM_NAMES } from "./algorithms.ts";
import { hasUnsendableCharacter } from "./characters.ts";

/** The shortest HMAC key accepted for nonces. */
const MINIMUM_SECRET_BYTES = 16;

/** The secret as bytes of its own buffer, at least 16 long. */
export function secretBytes(secret: unknown, context: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  if (typeof secret === "string") {
    if (!isWellFormedUTF16(secret)) throw new TypeError(`${context}: secret has a lone surrogate`);
    bytes = new Uint8Array(encodeUTF8(secret));
  } else if (secret instanceof Uint8Array) {
    bytes = new Uint8Array(secret);
  } else {
    throw new TypeError(`${context}: secret must be a string or a Uint8Array`);
  }
  if (bytes.length < MINIMUM_SECRET_BYTES) {
    throw new RangeError(`${context}: secret must be at least ${MINIMUM_SECRET_BYTES} bytes; use a random key`);
  }
  return bytes;
}

/** The realm: a string that is not blank. */
export function checkRealm(realm: unknown, context: string): string {
  if (typeof realm !== "string") throw new TypeError(`${context}: realm is required and must be a string`);
  if (realm.trim() === "") throw new TypeError(`${context}: realm must not be blank (RFC 7616 §3.3 requires it)`);
  return realm;
}

/**
 * Checks the texts a Digest challenge carries — realm, opaque, domain — so
 * that a configuration that could never be sent fails at start-up
 * (`digestAuth()`), not on the first request. Returns the realm.
 */
export function checkDigestChallengeText(
  options: { realm?: unknown; opaque?: unknown; domain?: unknown },
  context: string,
): string {
  const realm = checkRealm(options.realm, context);
  if (hasUnsendableCharacter(realm)) {
    throw new TypeError(`${context}: realm must not contain control characters or characters above U+00FF`);
  }
  const { opaque, domain } = options;
  if (opaque !== undefined && (typeof opaque !== "string" || hasUnsendableCharacter(opaque))) {
    throw new TypeError(`${context}: opaque must be a string without control characters or characters above U+00FF`);
  }
  if (domain !== undefined) {
    if (!Array.isArray(domain)) throw new TypeError(`${context}: domain must be an array of URIs`);
    for (const uri of domain) {
      if (typeof uri !== "string" || uri === "" || uri.includes(" ") || hasUnsendableCharacter(uri)) {
        throw new TypeError(
          `${context}: each domain entry must be a non-empty URI without spaces or control characters`,
        );
      }
    }
  }
  return realm;
}

/** The time in milliseconds since the epoch: `now`, or else `Date.now()`. */
export function checkNow(now: unknown, context: string): number {
  if (now === undefined) return Date.now();
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0) {
    throw new RangeError(`${context}: now must be a finite number of milliseconds since the epoch`);
  }
  return now;
}

/** One of the registered algorithm names, spelled exactly. */
export function checkAlgorithm(algorithm: unknown, context: string, label: string): DigestAlgorithm {
  if (typeof algorithm !== "string" || !(ALGORITHM_NAMES as readonly string[]).includes(algorithm)) {
    throw new RangeError(`${context}: ${label} must be one of ${ALGORITHM_NAMES.join(", ")}`);
  }
  return algorithm as DigestAlgorithm;
}

/** A non-empty list of distinct allowed values, or `fallback` when absent. */
export function checkList<T extends string>(
  list: unknown,
  allowed: readonly T[],
  fallback: readonly T[],
  context: string,
  label: string,
): readonly T[] {
  if (list === undefined) return fallback;
  if (!Array.isArray(list)) throw new TypeError(`${context}: ${label} must be an array`);
  if (list.length === 0) throw new RangeError(`${context}: ${label} must name at least one value`);
  const seen = new Set<string>();
  for (const item of list) {
    if (typeof item !== "string" || !(allowed as readonly string[]).includes(item)) {
      throw new RangeError(`${context}: ${label} may hold only ${allowed.join(", ")}`);
    }
    if (seen.has(item)) throw new RangeError(`${context}: ${label} names ${item} twice`);
    seen.add(item);
  }
  return list as readonly T[];
}

/** The request method: a token. */
export function checkMethod(method: unknown, context: string): string {
  if (typeof method !== "string" || !isToken(method)) {
    throw new TypeError(`${context}: method must be a token such as "GET"`);
  }
  return method;
}

/** The request target: not empty, and only characters a field can carry. */
export function checkUri(uri: unknown, context: string): string {
  if (typeof uri !== "string" || uri === "") throw new TypeError(`${context}: uri must be a non-empty string`);
  if (hasUnsendableCharacter(uri)) {
    throw new TypeError(`${context}: uri has a control character or a character above U+00FF; percent-encode it`);
  }
  return uri;
}

/** A body: absent, a string or a Uint8Array. */
export function checkBody(body: unknown, context: string, label: string): void {
  if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new TypeError(`${context}: ${label} must be a string or a Uint8Array`);
  }
}

/** A callback option: absent or a function. */
export function checkCallback(value: unknown, context: string, label: string): void {
  if (value !== undefined && typeof value !== "function")
    throw new TypeError(`${context}: ${label} must be a function`);
}
