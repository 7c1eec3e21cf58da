/**
 * The keys of DPoP proofs (RFC 9449 §4.2): the JWS algorithms accepted, the
 * public JWK each needs (RFC 7518 §6), its import into WebCrypto, its RFC 7638
 * thumbprint, and the `ath` hash of an access token.
 *
 * A client signs many proofs with one key, so the imported `CryptoKey` and
 * the thumbprint of the last 256 keys seen are kept, keyed by the algorithm
 * and the RFC 7638 thumbprint input: every member the import reads, so one
 * entry can only ever stand for one key. Both hashes are SHA-256 in plain
 * JavaScript (`sha256.ts`): for a few hundred bytes a WebCrypto digest costs
 * more in its promise round trip (on Node, a thread-pool job) than in hashing.
 *
 * @module
 */

import { decodeBase64URL, encodeBase64URL } from "../../internal/base64url.ts";
import { sha256Sync } from "../../internal/sha256.ts";
import { encodeUTF8 } from "../../internal/utf8.ts";
import { DpopError } from "./errors.ts";

/**
 * The JWS algorithms (RFC 7518 §3, RFC 8037 §3.1) DPoP proofs may use here:
 * asymmetric only, each verified with WebCrypto on Node 20+, Deno 2, Bun and
 * workerd. `EdDSA` means Ed25519 keys (`crv: "Ed25519"`) only.
 */
export type DpopAlgorithm = "ES256" | "ES384" | "ES512" | "RS256" | "PS256" | "EdDSA";

/**
 * Every algorithm {@linkcode verifyDpopProof} accepts by default, in order of
 * preference (the order of the `algs` challenge parameter): ES256 first, the
 * one RFC 9449 implementations are most likely to share.
 *
 * @example The default set
 * ```ts
 * import assert from "node:assert/strict";
 * import { DPOP_ALGORITHMS } from "@httpauth/core";
 *
 * assert.deepEqual(DPOP_ALGORITHMS, ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"]);
 * ```
 */
export const DPOP_ALGORITHMS: readonly DpopAlgorithm[] = Object.freeze([
  "ES256",
  "ES384",
  "ES512",
  "RS256",
  "PS256",
  "EdDSA",
]);

/** What each algorithm needs: key type, curve, coordinate size, and the WebCrypto parameters. */
interface AlgorithmInfo {
  readonly kty: "EC" | "RSA" | "OKP";
  /** The JWK `crv`, for EC and OKP keys. */
  readonly crv?: string;
  /** The length of each coordinate (EC) or of the key (OKP), in bytes; the signature is twice it (EC) or 64 (Ed25519). */
  readonly size?: number;
  readonly importParams: Parameters<SubtleCrypto["importKey"]>[2];
  readonly verifyParams: Parameters<SubtleCrypto["verify"]>[0];
}

const ALGORITHMS: Readonly<Record<DpopAlgorithm, AlgorithmInfo>> = {
  ES256: ecdsa("P-256", 32, "SHA-256"),
  ES384: ecdsa("P-384", 48, "SHA-384"),
  ES512: ecdsa("P-521", 66, "SHA-512"),
  RS256: {
    kty: "RSA",
    importParams: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    verifyParams: { name: "RSASSA-PKCS1-v1_5" },
  },
  PS256: {
    kty: "RSA",
    importParams: { name: "RSA-PSS", hash: "SHA-256" },
    // RFC 7518 §3.5: the salt is as long as the hash.
    verifyParams: { name: "RSA-PSS", saltLength: 32 },
  },
  EdDSA: { kty: "OKP", crv: "Ed25519", size: 32, importParams: { name: "Ed25519" }, verifyParams: { name: "Ed25519" } },
};

function ecdsa(crv: string, size: number, hash: string): AlgorithmInfo {
  return {
    kty: "EC",
    crv,
    size,
    importParams: { name: "ECDSA", namedCurve: crv },
    verifyParams: { name: "ECDSA", hash },
  };
}

/** The smallest RSA modulus accepted, in bits (RFC 7518 §3.3, §3.5: 2048 or larger). */
const MIN_RSA_BITS = 2048;
/** The largest RSA modulus accepted, in bits: far above real keys, a bound on the work. */
const MAX_RSA_BITS = 8192;
/** JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/** The members RFC 7638 §3.2 hashes, in lexicographic order, for each key type. */
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ["crv", "kty", "x", "y"],
  RSA: ["e", "kty", "n"],
  OKP: ["crv", "kty", "x"],
};

/** How many imported keys are kept: a bound on memory whatever keys are sent. */
export const KEY_CACHE_LIMIT = 256;

/** Imported keys by algorithm and thumbprint input, least recently used first. */
const keyCache = new Map<string, ProofKey>();

/**
 * Whether `name` is one of {@linkcode DPOP_ALGORITHMS}.
 *
 * @param name Anything.
 * @returns `true` for a supported algorithm.
 */
export function isDpopAlgorithm(name: unknown): name is DpopAlgorithm {
  return typeof name === "string" && Object.hasOwn(ALGORITHMS, name);
}

/** A JWK member that must be base64url of `length` bytes (any length when `undefined`). */
function member(jwk: Record<string, unknown>, name: string, length?: number): Uint8Array {
  const value = jwk[name];
  const bytes = typeof value === "string" ? decodeBase64URL(value) : undefined;
  if (bytes === undefined || bytes.length === 0 || (length !== undefined && bytes.length !== length)) {
    throw new DpopError("invalid-key", `Cannot accept the DPoP proof: jwk member "${name}" is not a valid key value`);
  }
  return bytes;
}

/** The bit length of a big-endian unsigned integer. */
function bitLength(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length && bytes[index] === 0) index++;
  if (index === bytes.length) return 0;
  return (bytes.length - index - 1) * 8 + (32 - Math.clz32(bytes[index]!));
}

/** The public key checked against `alg`: its required members only (RFC 7638 §3.2), and the signature length. */
export interface PublicKey {
  readonly jwk: JsonWebKey;
  /** The exact length a signature by this key has, in bytes. */
  readonly signatureLength: number;
  /** The RFC 7638 §3 thumbprint input: the required members, sorted, as JSON without whitespace. */
  readonly canonical: string;
}

/**
 * Checks the `jwk` header of a proof against its `alg` (RFC 9449 §4.3 checks 5 and 7).
 *
 * @param alg A supported algorithm.
 * @param jwk The received `jwk` header value.
 * @returns The public key's required members, and the signature length.
 * @throws {DpopError} `invalid-key`.
 */
export function checkPublicKey(alg: DpopAlgorithm, jwk: unknown): PublicKey {
  if (typeof jwk !== "object" || jwk === null || Array.isArray(jwk)) {
    throw new DpopError("invalid-key", "Cannot accept the DPoP proof: the jwk header must be a JSON object");
  }
  const key = jwk as Record<string, unknown>;
  for (const name of PRIVATE_MEMBERS) {
    if (Object.hasOwn(key, name)) {
      throw new DpopError(
        "invalid-key",
        `Cannot accept the DPoP proof: the jwk header has the private member "${name}"; it must be a public key (RFC 9449 §4.2)`,
      );
    }
  }
  const info = ALGORITHMS[alg];
  if (key.kty !== info.kty || (info.crv !== undefined && key.crv !== info.crv)) {
    throw new DpopError(
      "invalid-key",
      `Cannot accept the DPoP proof: alg ${alg} needs a ${info.kty} key${info.crv === undefined ? "" : ` on ${info.crv}`}`,
    );
  }
  const canonical = canonicalOf(key, THUMBPRINT_MEMBERS[info.kty]!);
  // A key imported lately passed every check below with this alg: the same members pass them again.
  const seen = canonical === undefined ? undefined : keyCache.get(`${alg} ${canonical}`);
  if (seen !== undefined)
    return { jwk: publicMembers(key, info.kty), signatureLength: seen.signatureLength, canonical: canonical! };
  let signatureLength: number;
  if (info.kty === "RSA") {
    const bits = bitLength(member(key, "n"));
    member(key, "e");
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new DpopError(
        "invalid-key",
        `Cannot accept the DPoP proof: the RSA modulus must have ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits`,
      );
    }
    signatureLength = Math.ceil(bits / 8);
  } else {
    member(key, "x", info.size);
    if (info.kty === "EC") member(key, "y", info.size);
    signatureLength = info.kty === "EC" ? 2 * info.size! : 64;
  }
  // The members were checked as base64url strings just above.
  return { jwk: publicMembers(key, info.kty), signatureLength, canonical: canonical! };
}

/** The required members of a `kty` (RFC 7638 §3.2), in lexicographic order, and nothing else. */
function publicMembers(key: Record<string, unknown>, kty: string): JsonWebKey {
  const jwk: Record<string, unknown> = {};
  for (const name of THUMBPRINT_MEMBERS[kty]!) jwk[name] = key[name];
  return jwk as JsonWebKey;
}

/** The RFC 7638 §3 thumbprint input: `names` (sorted) and their string values as JSON, or `undefined` if one is not a string. */
function canonicalOf(key: Record<string, unknown>, names: readonly string[]): string | undefined {
  let text = "";
  for (const name of names) {
    const value = key[name];
    if (typeof value !== "string") return undefined;
    text += `${text === "" ? "{" : ","}${JSON.stringify(name)}:${JSON.stringify(value)}`;
  }
  return `${text}}`;
}

/** A checked public key, imported, with its RFC 7638 thumbprint. */
export interface ProofKey {
  readonly cryptoKey: CryptoKey;
  /** The exact length a signature by this key has, in bytes. */
  readonly signatureLength: number;
  /** The RFC 7638 thumbprint (SHA-256, base64url). */
  readonly jkt: string;
}

/**
 * The number of keys held now (for tests: it never exceeds {@linkcode KEY_CACHE_LIMIT}).
 *
 * @returns The count.
 */
export function cachedKeyCount(): number {
  return keyCache.size;
}

/**
 * Imports a checked public key into WebCrypto for `alg` and computes its
 * thumbprint, or takes both from the cache of the last
 * {@linkcode KEY_CACHE_LIMIT} keys. The cache key is the algorithm and the
 * complete thumbprint input, which holds every member the import reads
 * (`jwk` has no other), so two keys share an entry only when they are one key.
 *
 * @param alg A supported algorithm.
 * @param key The key from {@linkcode checkPublicKey}.
 * @returns The imported key and its thumbprint.
 * @throws {DpopError} `invalid-key` when WebCrypto cannot import the key.
 */
export async function importProofKey(alg: DpopAlgorithm, key: PublicKey): Promise<ProofKey> {
  const id = `${alg} ${key.canonical}`;
  const cached = keyCache.get(id);
  if (cached !== undefined) {
    // Most recently used last: delete and set again.
    keyCache.delete(id);
    keyCache.set(id, cached);
    return cached;
  }
  let cryptoKey: CryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey("jwk", key.jwk, ALGORITHMS[alg].importParams, false, ["verify"]);
  } catch {
    throw new DpopError("invalid-key", "Cannot accept the DPoP proof: the jwk header is not a usable public key");
  }
  const entry: ProofKey = { cryptoKey, signatureLength: key.signatureLength, jkt: thumbprintOf(key.canonical) };
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(id, entry);
  return entry;
}

/**
 * Verifies a JWS signature with a checked public key (RFC 7515 §5.2),
 * imported through {@linkcode importProofKey}. A signature of the wrong
 * length fails before any import.
 *
 * @param alg The algorithm.
 * @param key The key from {@linkcode checkPublicKey}.
 * @param signature The decoded signature (raw r‖s for ECDSA, RFC 7518 §3.4).
 * @param input The JWS signing input: the ASCII bytes of `header.payload`.
 * @returns The key's RFC 7638 thumbprint when the signature verifies, `undefined` when it does not.
 * @throws {DpopError} `invalid-key` when WebCrypto cannot import the key.
 */
export async function verifySignature(
  alg: DpopAlgorithm,
  key: PublicKey,
  signature: Uint8Array<ArrayBuffer>,
  input: Uint8Array<ArrayBuffer>,
): Promise<string | undefined> {
  if (signature.length !== key.signatureLength) return undefined;
  const { cryptoKey, jkt } = await importProofKey(alg, key);
  return (await crypto.subtle.verify(ALGORITHMS[alg].verifyParams, cryptoKey, signature, input)) ? jkt : undefined;
}

/** The RFC 7638 thumbprint of a thumbprint input: SHA-256, base64url. */
function thumbprintOf(canonical: string): string {
  return encodeBase64URL(sha256Sync(encodeUTF8(canonical)));
}

/**
 * Computes a JWK's thumbprint (RFC 7638 §3) with SHA-256, base64url: what a
 * DPoP-bound token's `cnf.jkt` holds (RFC 9449 §6.1). Only the required
 * members count, so a private key has its public key's thumbprint.
 *
 * @param jwk An EC, RSA or OKP key.
 * @returns The thumbprint, 43 characters.
 * @throws {TypeError} If `jwk` is not an object, its `kty` is not `EC`,
 *   `RSA` or `OKP`, or a required member is not a non-empty string.
 *
 * @example The key of RFC 9449 §4.1 and its thumbprint from §6.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeJwkThumbprint } from "@httpauth/core";
 *
 * const jkt = await computeJwkThumbprint({
 *   kty: "EC",
 *   x: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
 *   y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA",
 *   crv: "P-256",
 * });
 * assert.equal(jkt, "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
 * ```
 */
export async function computeJwkThumbprint(jwk: JsonWebKey): Promise<string> {
  if (typeof jwk !== "object" || jwk === null) throw new TypeError("computeJwkThumbprint() needs a JWK object");
  const key = jwk as Record<string, unknown>;
  const names =
    typeof key.kty === "string" && Object.hasOwn(THUMBPRINT_MEMBERS, key.kty)
      ? THUMBPRINT_MEMBERS[key.kty]!
      : undefined;
  if (names === undefined) throw new TypeError('computeJwkThumbprint(): kty must be "EC", "RSA" or "OKP"');
  const parts: string[] = [];
  for (const name of names) {
    const value = key[name];
    if (typeof value !== "string" || value.length === 0) {
      throw new TypeError(`computeJwkThumbprint(): a ${key.kty} key needs the member "${name}" as a non-empty string`);
    }
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
  }
  return thumbprintOf(`{${parts.join(",")}}`);
}

/**
 * Computes the `ath` of an access token (RFC 9449 §4.2): the base64url
 * SHA-256 hash of its ASCII bytes.
 *
 * @param token The access token, as sent after `DPoP `.
 * @returns The hash, 43 characters.
 * @throws {TypeError} If `token` is not a non-empty string of ASCII characters.
 *
 * @example The access token of RFC 9449 §7.1
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeDpopAccessTokenHash } from "@httpauth/core";
 *
 * const ath = await computeDpopAccessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
 * assert.equal(ath, "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
 * ```
 */
export async function computeDpopAccessTokenHash(token: string): Promise<string> {
  if (typeof token !== "string" || token.length === 0) {
    throw new TypeError("computeDpopAccessTokenHash() needs the access token as a non-empty string");
  }
  const bytes = new Uint8Array(token.length);
  for (let index = 0; index < token.length; index++) {
    const code = token.charCodeAt(index);
    if (code > 0x7f) throw new TypeError("computeDpopAccessTokenHash(): an access token is ASCII (RFC 9449 §4.2)");
    bytes[index] = code;
  }
  return encodeBase64URL(sha256Sync(bytes));
}
