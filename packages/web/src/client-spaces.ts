/**
 * What `createAuthFetch` remembers of the protection spaces it has
 * authenticated in (RFC 9110 §11.5: an origin and a realm), so that later
 * requests into them carry credentials on the first attempt: Digest
 * challenges (RFC 7616 §3.3, `domain`) and Basic spaces (RFC 7617 §2.2).
 * Each map holds at most {@linkcode MAX_REMEMBERED} entries, the least
 * recently used going first.
 *
 * @module
 */

import type { Challenge } from "@httpauth/core";

/** A Digest challenge kept for pre-emptive credentials. */
export interface RememberedChallenge {
  /** The origin that sent the challenge. */
  origin: string;
  /** The challenge's realm. */
  realm: string;
  /** The parsed challenge: the same object every time, so core counts `nc` per nonce. */
  challenge: Challenge;
  /** The protection space as absolute URL prefixes on `origin` (`domain`, RFC 7616 §3.3); empty for the whole origin. */
  space: string[];
}

/** A Basic protection space whose credentials were accepted. */
export interface RememberedBasic {
  /** The origin that accepted them. */
  origin: string;
  /** The realm of the challenge they answered. */
  realm: string;
  /** The path prefix, ending in `/`, that later requests must start with (RFC 7617 §2.2). */
  path: string;
}

/** The most entries remembered per map and per `createAuthFetch`; the least recently used goes first. */
export const MAX_REMEMBERED = 64;

/**
 * An own parameter of a parsed challenge.
 *
 * @param challenge A parsed challenge.
 * @param name The parameter's name, lower case.
 * @returns Its value, or `undefined` when absent.
 */
export function param(challenge: Challenge, name: string): string | undefined {
  return Object.hasOwn(challenge.params, name) ? challenge.params[name] : undefined;
}

/**
 * The protection space of a Digest challenge (RFC 7616 §3.3 `domain`): its
 * space-separated URIs made absolute against the request URL, keeping those
 * on the request's origin. Without `domain`, the whole origin.
 *
 * @param challenge The Digest challenge.
 * @param url The URL of the request it answered.
 * @returns Absolute URL prefixes; empty for the whole origin.
 */
export function protectionSpace(challenge: Challenge, url: URL): string[] {
  const domain = param(challenge, "domain");
  if (domain === undefined) return [];
  const prefixes: string[] = [];
  for (const item of domain.split(" ")) {
    if (item === "") continue;
    let resolved: URL;
    try {
      resolved = new URL(item, url);
    } catch {
      continue;
    }
    if (resolved.origin === url.origin) prefixes.push(resolved.href);
  }
  return prefixes;
}

function keyOf(origin: string, realm: string): string {
  return JSON.stringify([origin, realm]);
}

/**
 * Remembers an entry as the most recently used of its origin and realm,
 * forgetting the oldest beyond {@linkcode MAX_REMEMBERED}.
 *
 * @param map The map of one kind of entry.
 * @param entry The entry.
 */
export function rememberEntry<Entry extends { origin: string; realm: string }>(
  map: Map<string, Entry>,
  entry: Entry,
): void {
  const key = keyOf(entry.origin, entry.realm);
  map.delete(key);
  map.set(key, entry);
  if (map.size > MAX_REMEMBERED) {
    const oldest = map.keys().next();
    if (oldest.done !== true) map.delete(oldest.value);
  }
}

/**
 * Forgets an entry, unless another one has replaced it since.
 *
 * @param map The map of one kind of entry.
 * @param entry The entry.
 */
export function forgetEntry<Entry extends { origin: string; realm: string }>(
  map: Map<string, Entry>,
  entry: Entry,
): void {
  const key = keyOf(entry.origin, entry.realm);
  if (map.get(key) === entry) map.delete(key);
}

/**
 * The most recently used remembered Digest challenge whose protection space holds `url`.
 *
 * @param map The remembered challenges.
 * @param url The URL about to be requested.
 * @returns The entry, or `undefined`.
 */
export function lookupDigest(map: Map<string, RememberedChallenge>, url: URL): RememberedChallenge | undefined {
  const entries = [...map.values()];
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (entry.origin !== url.origin) continue;
    if (entry.space.length === 0 || entry.space.some((prefix) => url.href.startsWith(prefix))) return entry;
  }
  return undefined;
}

/**
 * The directory of a URL's path, up to and including its last `/`: what
 * RFC 7617 §2.2 lets a client assume is in the same Basic protection space.
 */
function directoryOf(url: URL): string {
  return url.pathname.slice(0, url.pathname.lastIndexOf("/") + 1) || "/";
}

/** The longest prefix two paths ending in `/` share, ending in `/`. */
function commonDirectory(first: string, second: string): string {
  let length = 0;
  while (length < first.length && length < second.length && first[length] === second[length]) length++;
  return first.slice(0, first.slice(0, length).lastIndexOf("/") + 1) || "/";
}

/**
 * Remembers that Basic credentials were accepted for `url` in `realm`: its
 * origin, and its path's directory (RFC 7617 §2.2), widened to the
 * directory it shares with an earlier entry of the same realm.
 *
 * @param map The remembered Basic spaces.
 * @param url The URL whose request was accepted.
 * @param realm The realm of the challenge answered.
 */
export function rememberBasic(map: Map<string, RememberedBasic>, url: URL, realm: string): void {
  const earlier = map.get(keyOf(url.origin, realm));
  const directory = directoryOf(url);
  const path = earlier === undefined ? directory : commonDirectory(earlier.path, directory);
  rememberEntry(map, { origin: url.origin, realm, path });
}

/**
 * Forgets the Basic space of `realm` on `url`'s origin: its credentials got a 401 (407).
 *
 * @param map The remembered Basic spaces.
 * @param url The URL whose request was refused.
 * @param realm The realm of the credentials sent.
 */
export function forgetBasic(map: Map<string, RememberedBasic>, url: URL, realm: string): void {
  map.delete(keyOf(url.origin, realm));
}

/**
 * The most recently used Basic space on `url`'s origin whose path prefix `url` starts with.
 *
 * @param map The remembered Basic spaces.
 * @param url The URL about to be requested.
 * @returns The entry, or `undefined`.
 */
export function lookupBasic(map: Map<string, RememberedBasic>, url: URL): RememberedBasic | undefined {
  const entries = [...map.values()];
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index]!;
    if (entry.origin === url.origin && url.pathname.startsWith(entry.path)) return entry;
  }
  return undefined;
}
