/**
 * Digest algorithms (RFC 7616 §3.3, §6.1): the registered names, the hash
 * each one uses and whether it is a `-sess` variant, and the response digest
 * computed from them (§3.4.1–§3.4.3).
 *
 * @module
 */

import type { DigestHashName } from "../../internal/hash.ts";
import { hashHex } from "../../internal/hash.ts";
import { timingSafeEqual } from "../../internal/timing-safe-equal.ts";
import { encodeUTF8 } from "../../internal/utf8.ts";

/**
 * A value of the HTTP Digest Algorithm Values registry (RFC 7616 §3.3, §6.1).
 * Received names compare case-insensitively; a missing `algorithm` means MD5.
 */
export type DigestAlgorithm = "MD5" | "MD5-sess" | "SHA-256" | "SHA-256-sess" | "SHA-512-256" | "SHA-512-256-sess";

/** A quality of protection (RFC 7616 §3.3): `auth`, or `auth-int` which also covers the body. */
export type DigestQop = "auth" | "auth-int";

/** An algorithm with its hash and whether A1 is the session form. */
export interface AlgorithmInfo {
  name: DigestAlgorithm;
  hash: DigestHashName;
  session: boolean;
}

export const ALGORITHM_NAMES: readonly DigestAlgorithm[] = [
  "MD5",
  "MD5-sess",
  "SHA-256",
  "SHA-256-sess",
  "SHA-512-256",
  "SHA-512-256-sess",
];

export const QOP_VALUES: readonly DigestQop[] = ["auth", "auth-int"];

/** Builds the case-insensitive lookup of algorithm names. */
function buildAlgorithms(): Record<string, AlgorithmInfo> {
  const table = Object.create(null) as Record<string, AlgorithmInfo>;
  for (const name of ALGORITHM_NAMES) {
    const session = name.endsWith("-sess");
    const hash = (session ? name.slice(0, -5) : name) as DigestHashName;
    table[name.toLowerCase()] = { name, hash, session };
  }
  return table;
}

export const ALGORITHMS: Readonly<Record<string, AlgorithmInfo>> = buildAlgorithms();

/** The algorithm named `name`, compared case-insensitively. */
export function lookupAlgorithm(name: string): AlgorithmInfo | undefined {
  return ALGORITHMS[name.toLowerCase()];
}

/** H(data) over the UTF-8 of `text`, in lower-case hex. */
export function hashText(hash: DigestHashName, text: string): Promise<string> {
  return hashHex(hash, encodeUTF8(text));
}

/** H(entity-body): a string body is hashed as UTF-8; absent is empty. */
export function hashBody(hash: DigestHashName, body: Uint8Array | string | undefined): Promise<string> {
  if (body === undefined) return hashHex(hash, new Uint8Array(0));
  return hashHex(hash, typeof body === "string" ? encodeUTF8(body) : body);
}

/** Everything the response digest is computed from. */
export interface DigestInput {
  algorithm: AlgorithmInfo;
  /** H(username ":" realm ":" password) with the base hash, lower-case hex. */
  ha1: string;
  nonce: string;
  qop: DigestQop | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
  /** The method, or `""` for `rspauth`, whose A2 starts with ":" (RFC 7616 §3.5). */
  method: string;
  uri: string;
  /** The body for qop=auth-int. */
  body: Uint8Array | string | undefined;
}

/**
 * response = KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2))   (RFC 7616 §3.4.1)
 * response = KD(H(A1), unq(nonce) ":" H(A2))                                         (RFC 2069, no qop)
 * A1       = unq(username) ":" unq(realm) ":" passwd                                  (§3.4.2)
 *          | H(unq(username) ":" unq(realm) ":" passwd) ":" unq(nonce) ":" unq(cnonce)   for -sess
 * A2       = Method ":" request-uri [ ":" H(entity-body) ]                            (§3.4.3, auth-int)
 * KD(secret, data) = H(secret ":" data)
 */
export async function computeDigest(input: DigestInput): Promise<string> {
  const hash = input.algorithm.hash;
  const ha1 = input.algorithm.session
    ? await hashText(hash, `${input.ha1}:${input.nonce}:${input.cnonce ?? ""}`)
    : input.ha1;
  let a2 = `${input.method}:${input.uri}`;
  if (input.qop === "auth-int") a2 += `:${await hashBody(hash, input.body)}`;
  const ha2 = await hashText(hash, a2);
  if (input.qop === undefined) return hashText(hash, `${ha1}:${input.nonce}:${ha2}`);
  return hashText(hash, `${ha1}:${input.nonce}:${input.nc ?? ""}:${input.cnonce ?? ""}:${input.qop}:${ha2}`);
}

/** Compares two lower-case hex digests of the same length without an early exit. */
export function hexEqual(received: string, expected: string): boolean {
  return timingSafeEqual(encodeUTF8(received), encodeUTF8(expected));
}
