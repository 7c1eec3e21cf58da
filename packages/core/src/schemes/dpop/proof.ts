/**
 * The client side of DPoP (RFC 9449): a key pair held by the client, and
 * the proof JWT it signs for each request (§4). WebCrypto only.
 *
 * @module
 */

import { CLASSES, TCHAR } from "../../grammar/chars.ts";
import { encodeBase64URL } from "../../internal/base64url.ts";
import { encodeUTF8 } from "../../internal/utf8.ts";
import { isB64Token } from "../bearer.ts";
import type { DpopAlgorithm } from "./keys.ts";
import { computeDpopAccessTokenHash } from "./keys.ts";

/** What {@linkcode createDpopProof} signs. */
export interface CreateDpopProofOptions {
  /** The client's key pair, from {@linkcode generateDpopKeyPair} (or any WebCrypto pair of a supported algorithm). */
  keyPair: CryptoKeyPair;
  /** The request method: `htm` (RFC 9449 §4.2), such as `GET`. */
  method: string;
  /** The absolute `http(s)` URL of the request; `htu` is it without query and fragment. */
  url: string;
  /** The access token sent beside the proof: its SHA-256 hash becomes `ath`. */
  accessToken?: string;
  /** The server's last `DPoP-Nonce` (RFC 9449 §8, §9), sent as `nonce`. */
  nonce?: string;
  /** Milliseconds since the epoch, for `iat`; default `Date.now()`. */
  now?: number;
  /** The proof's unique identifier; default 128 random bits, base64url. */
  jti?: string;
}

/** The WebCrypto parameters of one JWS algorithm. */
interface AlgorithmParameters {
  generate: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm;
  sign: AlgorithmIdentifier | RsaPssParams | EcdsaParams;
  /** The public JWK members kept in the proof header (RFC 7638 §3.2 lists them per key type). */
  members: readonly string[];
}

const RSA_MEMBERS = ["kty", "n", "e"] as const;
const EC_MEMBERS = ["kty", "crv", "x", "y"] as const;
const OKP_MEMBERS = ["kty", "crv", "x"] as const;
const RSA_EXPONENT = Uint8Array.of(1, 0, 1);

/** Each algorithm's key generation and signature parameters (RFC 7518 §3.3–§3.5, RFC 8037 §3.1). */
const ALGORITHMS: Readonly<Record<DpopAlgorithm, AlgorithmParameters>> = {
  ES256: {
    generate: { name: "ECDSA", namedCurve: "P-256" },
    sign: { name: "ECDSA", hash: "SHA-256" },
    members: EC_MEMBERS,
  },
  ES384: {
    generate: { name: "ECDSA", namedCurve: "P-384" },
    sign: { name: "ECDSA", hash: "SHA-384" },
    members: EC_MEMBERS,
  },
  ES512: {
    generate: { name: "ECDSA", namedCurve: "P-521" },
    sign: { name: "ECDSA", hash: "SHA-512" },
    members: EC_MEMBERS,
  },
  RS256: {
    generate: { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: RSA_EXPONENT, hash: "SHA-256" },
    sign: { name: "RSASSA-PKCS1-v1_5" },
    members: RSA_MEMBERS,
  },
  PS256: {
    generate: { name: "RSA-PSS", modulusLength: 2048, publicExponent: RSA_EXPONENT, hash: "SHA-256" },
    sign: { name: "RSA-PSS", saltLength: 32 },
    members: RSA_MEMBERS,
  },
  EdDSA: { generate: { name: "Ed25519" }, sign: { name: "Ed25519" }, members: OKP_MEMBERS },
};

/** The longest `nonce` sent; a server's `DPoP-Nonce` longer than this is not one to repeat. */
const MAX_NONCE_LENGTH = 1024;
/** The longest caller-given `jti`. */
const MAX_JTI_LENGTH = 256;

/**
 * Generates a key pair for DPoP proofs (RFC 9449 §4) with WebCrypto. The
 * private key is not extractable: it can sign, and nothing can read it out
 * (the public key is exportable, as WebCrypto makes every public key). Keep
 * the pair for as long as the tokens bound to it live: a new pair cannot use
 * them.
 *
 * @example Generate a pair and look at it
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateDpopKeyPair } from "@httpauth/core";
 *
 * const keyPair = await generateDpopKeyPair();
 * assert.equal(keyPair.privateKey.extractable, false);
 * assert.deepEqual(keyPair.privateKey.usages, ["sign"]);
 * assert.equal((await crypto.subtle.exportKey("jwk", keyPair.publicKey)).crv, "P-256");
 * ```
 *
 * @param algorithm The JWS algorithm: `ES256` (the default), `ES384`, `ES512`, `RS256`, `PS256` or `EdDSA` (Ed25519).
 * @returns The key pair: `privateKey` non-extractable, for `sign`; `publicKey` for `verify`.
 * @throws {TypeError} If `algorithm` is not a string.
 * @throws {RangeError} If `algorithm` is not one of those above.
 */
export async function generateDpopKeyPair(algorithm: DpopAlgorithm = "ES256"): Promise<CryptoKeyPair> {
  if (typeof algorithm !== "string") throw new TypeError("generateDpopKeyPair(): algorithm must be a string");
  const parameters = Object.hasOwn(ALGORITHMS, algorithm) ? ALGORITHMS[algorithm] : undefined;
  if (parameters === undefined) {
    throw new RangeError(`generateDpopKeyPair(): algorithm must be one of ${Object.keys(ALGORITHMS).join(", ")}`);
  }
  const pair = await crypto.subtle.generateKey(parameters.generate, false, ["sign", "verify"]);
  return pair as CryptoKeyPair;
}

/** The name of a key's hash, for RSA keys: `SHA-256`, … */
function hashName(algorithm: KeyAlgorithm): string | undefined {
  const hash = (algorithm as RsaHashedKeyAlgorithm).hash;
  return typeof hash === "object" && hash !== null ? hash.name : undefined;
}

/** The JWS algorithm of a WebCrypto key, or `undefined` when DPoP proofs here cannot use it. */
function algorithmOf(key: CryptoKey): DpopAlgorithm | undefined {
  const algorithm = key.algorithm;
  switch (algorithm.name) {
    case "ECDSA": {
      const curve = (algorithm as EcKeyAlgorithm).namedCurve;
      return curve === "P-256" ? "ES256" : curve === "P-384" ? "ES384" : curve === "P-521" ? "ES512" : undefined;
    }
    case "RSASSA-PKCS1-v1_5":
      return hashName(algorithm) === "SHA-256" ? "RS256" : undefined;
    case "RSA-PSS":
      return hashName(algorithm) === "SHA-256" ? "PS256" : undefined;
    case "Ed25519":
      return "EdDSA";
    default:
      return undefined;
  }
}

/** Whether `value` looks like a WebCrypto key of the given type. */
function isKey(value: unknown, type: KeyType): value is CryptoKey {
  if (typeof value !== "object" || value === null) return false;
  if (typeof CryptoKey === "function" && !(value instanceof CryptoKey)) return false;
  const key = value as CryptoKey;
  return key.type === type && typeof key.algorithm === "object" && key.algorithm !== null;
}

/** Checks the key pair and names its algorithm. */
function readKeyPair(keyPair: unknown): { pair: CryptoKeyPair; algorithm: DpopAlgorithm } {
  if (typeof keyPair !== "object" || keyPair === null) {
    throw new TypeError("createDpopProof(): keyPair must be a CryptoKeyPair, such as generateDpopKeyPair() returns");
  }
  const { privateKey, publicKey } = keyPair as Partial<CryptoKeyPair>;
  if (!isKey(privateKey, "private") || !isKey(publicKey, "public")) {
    throw new TypeError("createDpopProof(): keyPair must hold a private and a public CryptoKey");
  }
  const algorithm = algorithmOf(privateKey);
  if (algorithm === undefined || algorithmOf(publicKey) !== algorithm) {
    throw new TypeError(
      `createDpopProof(): keyPair must be a matching pair for one of ${Object.keys(ALGORITHMS).join(", ")}`,
    );
  }
  return { pair: { privateKey, publicKey }, algorithm };
}

/** Whether every character of `value` is a tchar (RFC 9110 §5.6.2), and there is one at least. */
function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (CLASSES[code]! & TCHAR) === 0) return false;
  }
  return true;
}

// NQCHAR = %x21 / %x23-5B / %x5D-7E   (RFC 9449 §8.1: nonce = 1*NQCHAR)
/**
 * Whether `value` can be a DPoP nonce: one or more NQCHAR (RFC 9449 §8.1),
 * at most 1024 of them. A client repeats a server's `DPoP-Nonce` only when it
 * is one, so a hostile server cannot make it send other characters.
 *
 * @example Check what a server sent
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDpopNonce } from "@httpauth/core";
 *
 * assert.equal(isDpopNonce("eyJ7S_zG.ITp-nonce"), true);
 * assert.equal(isDpopNonce('has "quotes"'), false);
 * assert.equal(isDpopNonce(""), false);
 * ```
 *
 * @param value The candidate, such as a `DPoP-Nonce` response header.
 * @returns `true` when it is 1 to 1024 characters from `!`, `#`–`[`, `]`–`~`.
 * @throws {TypeError} Never: a value that is not a string gives `false`.
 */
export function isDpopNonce(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_NONCE_LENGTH) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x21 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** `htu`: the absolute `http(s)` URL without query and fragment (RFC 9449 §4.2). */
function targetURI(url: unknown): string {
  if (typeof url !== "string") throw new TypeError("createDpopProof(): url must be a string");
  let parsed: URL | undefined;
  // The URL parser trims spaces and controls at either end; a URL that needed that is not one.
  const trimmed = url.length > 0 && url.charCodeAt(0) > 0x20 && url.charCodeAt(url.length - 1) > 0x20;
  try {
    parsed = trimmed ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    throw new TypeError("createDpopProof(): url must be an absolute http: or https: URL");
  }
  return `${parsed.origin}${parsed.pathname}`;
}

/** The checked `jti`: the caller's, or 128 random bits. */
function proofId(jti: unknown): string {
  if (jti === undefined) return encodeBase64URL(crypto.getRandomValues(new Uint8Array(16)));
  if (typeof jti !== "string" || jti.length === 0)
    throw new TypeError("createDpopProof(): jti must be a non-empty string");
  if (jti.length > MAX_JTI_LENGTH)
    throw new RangeError(`createDpopProof(): jti must be at most ${MAX_JTI_LENGTH} characters`);
  return jti;
}

/** The checked `iat`, in seconds. */
function issuedAt(now: unknown): number {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0) {
    throw new RangeError("createDpopProof(): now must be a non-negative number of milliseconds since the epoch");
  }
  return Math.floor(now / 1000);
}

/** The payload claims, checked, in the order RFC 9449 §4.2 lists them. */
async function proofClaims(options: CreateDpopProofOptions): Promise<Record<string, string | number>> {
  const { method, accessToken, nonce } = options;
  if (typeof method !== "string" || !isToken(method)) {
    throw new TypeError("createDpopProof(): method must be an HTTP method token, such as GET");
  }
  const htu = targetURI(options.url);
  if (accessToken !== undefined && (typeof accessToken !== "string" || !isB64Token(accessToken))) {
    throw new TypeError("createDpopProof(): accessToken must be a token68 string (RFC 9449 §7.1)");
  }
  if (nonce !== undefined && !isDpopNonce(nonce)) {
    throw new TypeError("createDpopProof(): nonce must be 1 to 1024 NQCHAR characters (RFC 9449 §8.1)");
  }
  const claims: Record<string, string | number> = {
    jti: proofId(options.jti),
    htm: method,
    htu,
    iat: issuedAt(options.now),
  };
  if (accessToken !== undefined) claims.ath = await computeDpopAccessTokenHash(accessToken);
  if (nonce !== undefined) claims.nonce = nonce;
  return claims;
}

/** The public members of the proof key, as RFC 9449 §4.2 puts them in the header. */
async function publicJWK(publicKey: CryptoKey, algorithm: DpopAlgorithm): Promise<Record<string, string>> {
  const exported = (await crypto.subtle.exportKey("jwk", publicKey)) as Record<string, unknown>;
  const jwk: Record<string, string> = {};
  for (const member of ALGORITHMS[algorithm].members) {
    const value = exported[member];
    if (typeof value !== "string") throw new TypeError(`createDpopProof(): the public key has no JWK member ${member}`);
    jwk[member] = value;
  }
  return jwk;
}

function encodeSegment(value: unknown): string {
  return encodeBase64URL(encodeUTF8(JSON.stringify(value)));
}

/**
 * Creates a DPoP proof (RFC 9449 §4): a compact JWS signed with the key
 * pair's private key, with header `typ: "dpop+jwt"`, `alg`, and `jwk` (the
 * public key's members only), and claims `jti` (128 random bits unless
 * given), `htm`, `htu` (the URL without query and fragment), `iat`, plus
 * `ath` (base64url SHA-256 of the access token, §4.2) when `accessToken`
 * is given and `nonce` when the server asked for one (§8). Send it in the
 * `DPoP` request header, a new one for every request.
 *
 * @example Sign a proof for a request with an access token
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDpopProof, generateDpopKeyPair } from "@httpauth/core";
 *
 * const keyPair = await generateDpopKeyPair();
 * const proof = await createDpopProof({
 *   keyPair,
 *   method: "GET",
 *   url: "https://api.example/files?page=2#top",
 *   accessToken: "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
 *   nonce: "eyJ7S_zG.ITp-nonce",
 *   now: 1_700_000_000_000,
 * });
 * const [header, payload] = proof.split(".").slice(0, 2).map((part) => JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/"))));
 * assert.equal(header.typ, "dpop+jwt");
 * assert.equal(header.alg, "ES256");
 * assert.deepEqual(Object.keys(header.jwk), ["kty", "crv", "x", "y"]);
 * assert.equal(payload.htm, "GET");
 * assert.equal(payload.htu, "https://api.example/files");
 * assert.equal(payload.iat, 1_700_000_000);
 * assert.equal(payload.nonce, "eyJ7S_zG.ITp-nonce");
 * assert.equal(typeof payload.ath, "string");
 * assert.equal(payload.jti.length, 22);
 * ```
 *
 * @param options `keyPair`, `method`, `url`; `accessToken`, `nonce`, `now`, `jti` when needed.
 * @returns The proof, `header.payload.signature` in base64url.
 * @throws {TypeError} If `keyPair` is not a matching WebCrypto pair of a
 *   supported algorithm, `method` is not a token
 *   (RFC 9110 §9.1), `url` is not an absolute `http(s)` URL, `accessToken`
 *   is not token68, `nonce` is not 1 to 1024 NQCHAR (RFC 9449 §8.1), or `jti`
 *   is empty.
 * @throws {RangeError} If `now` is not a non-negative finite number, or `jti` is over 256 characters.
 */
export async function createDpopProof(options: CreateDpopProofOptions): Promise<string> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError("createDpopProof(): pass { keyPair, method, url }");
  }
  const { pair, algorithm } = readKeyPair(options.keyPair);
  const claims = await proofClaims(options);
  const header = { typ: "dpop+jwt", alg: algorithm, jwk: await publicJWK(pair.publicKey, algorithm) };
  const input = `${encodeSegment(header)}.${encodeSegment(claims)}`;
  const signature = await crypto.subtle.sign(
    ALGORITHMS[algorithm].sign,
    pair.privateKey,
    encodeUTF8(input) as Uint8Array<ArrayBuffer>,
  );
  return `${input}.${encodeBase64URL(new Uint8Array(signature))}`;
}
