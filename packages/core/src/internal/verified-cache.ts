/**
 * A short-lived cache of verified Basic credentials, as Apache's
 * `mod_authn_socache` keeps one: a success is remembered under an HMAC-SHA-256
 * of the user name and password with a random key made in this process, so
 * the cache never holds a password, nor a hash an attacker could test
 * guesses against offline. Bounded in size (the oldest entry goes first) and
 * emptied of a user's entries on any failure for that user.
 *
 * @module
 */

import { encodeCodeUnits } from "./code-units.ts";
import { timingSafeEqual } from "./timing-safe-equal.ts";

/** An entry: whose credentials, what `verify` returned, until when (ms since the epoch). */
interface Entry<Identity> {
  username: string;
  identity: Identity;
  expires: number;
}

/** The cache of one `basicAuth()` policy. */
export interface VerifiedCache<Identity> {
  /** The key of a user name and password: an HMAC, hex-encoded. */
  key(username: string, password: string): Promise<string>;
  /** The identity cached under `key` and still fresh at `now`, wrapped; `undefined` on a miss. */
  get(key: string, now: number): { identity: Identity } | undefined;
  /** Remembers a success until `now + ttl`, evicting the oldest entry when full. */
  set(key: string, username: string, identity: Identity, now: number): void;
  /** Forgets every entry of `username` (after a failure for that user). */
  forget(username: string): void;
  /** The number of entries, for tests. */
  readonly size: number;
}

/** A random HMAC-SHA-256 key, never leaving this instance of the program. */
function randomKey(): Promise<CryptoKey> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

/** Lower-case hex of `bytes`. */
function hex(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += byte.toString(16).padStart(2, "0");
  return text;
}

/**
 * Compares two strings in constant time through WebCrypto's SHA-256 (not the
 * plain-JavaScript one Digest uses, so a Basic-only bundle stays small): the
 * result of `a === b`, without revealing where they differ or their lengths.
 *
 * @param a the value received
 * @param b the expected secret
 * @returns `true` when the strings are equal
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [digestA, digestB] = await Promise.all([
    crypto.subtle.digest("SHA-256", encodeCodeUnits(a)),
    crypto.subtle.digest("SHA-256", encodeCodeUnits(b)),
  ]);
  return timingSafeEqual(new Uint8Array(digestA), new Uint8Array(digestB));
}

/**
 * Creates an empty cache.
 *
 * @param ttlMs how long a success is remembered, in milliseconds
 * @param maxEntries the most entries kept
 * @returns the cache
 */
export function createVerifiedCache<Identity>(ttlMs: number, maxEntries: number): VerifiedCache<Identity> {
  let hmacKey: Promise<CryptoKey> | undefined;
  const entries = new Map<string, Entry<Identity>>();
  const byUser = new Map<string, Set<string>>();

  function remove(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    const keys = byUser.get(entry.username);
    keys?.delete(key);
    if (keys?.size === 0) byUser.delete(entry.username);
  }

  return {
    async key(username, password) {
      hmacKey ??= randomKey();
      // The user name's length first, so that ("a:b", "c") and ("a", "b:c") never share a key;
      // UTF-16 code units, one-to-one on every string (TextEncoder would merge lone surrogates).
      const data = encodeCodeUnits(`${username.length}:${username}:${password}`);
      return hex(new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey, data)));
    },
    get(key, now) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expires <= now) {
        remove(key);
        return undefined;
      }
      return { identity: entry.identity };
    },
    set(key, username, identity, now) {
      remove(key);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        remove(oldest.value);
      }
      entries.set(key, { username, identity, expires: now + ttlMs });
      const keys = byUser.get(username) ?? new Set<string>();
      keys.add(key);
      byUser.set(username, keys);
    },
    forget(username) {
      const keys = byUser.get(username);
      if (keys === undefined) return;
      for (const key of [...keys]) remove(key);
    },
    get size() {
      return entries.size;
    },
  };
}
