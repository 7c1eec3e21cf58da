/**
 * Test helpers: DPoP proofs signed with WebCrypto directly (the client side
 * lives elsewhere), and hostile variations of them. Not exported.
 *
 * @module
 */

import { encodeBase64URL } from "../../src/internal/base64url.ts";
import type { DpopAlgorithm } from "../../src/schemes/dpop/keys.ts";

const GENERATE: Record<
  DpopAlgorithm,
  [EcKeyGenParams | RsaHashedKeyGenParams | Algorithm, Parameters<SubtleCrypto["sign"]>[0]]
> = {
  ES256: [{ name: "ECDSA", namedCurve: "P-256" } as EcKeyGenParams, { name: "ECDSA", hash: "SHA-256" }],
  ES384: [{ name: "ECDSA", namedCurve: "P-384" } as EcKeyGenParams, { name: "ECDSA", hash: "SHA-384" }],
  ES512: [{ name: "ECDSA", namedCurve: "P-521" } as EcKeyGenParams, { name: "ECDSA", hash: "SHA-512" }],
  RS256: [rsa("RSASSA-PKCS1-v1_5", 2048), { name: "RSASSA-PKCS1-v1_5" }],
  PS256: [rsa("RSA-PSS", 2048), { name: "RSA-PSS", saltLength: 32 }],
  EdDSA: [{ name: "Ed25519" }, { name: "Ed25519" }],
};

function rsa(name: string, modulusLength: number): RsaHashedKeyGenParams {
  return { name, modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
}

/** A signing key of a proof, with its public JWK. */
export interface TestKey {
  alg: DpopAlgorithm;
  privateKey: CryptoKey;
  jwk: JsonWebKey;
}

const keys = new Map<string, Promise<TestKey>>();

/** A key pair for `alg` (cached per alg and label, since RSA generation is slow). */
export function testKey(alg: DpopAlgorithm, label = "", modulusLength?: number): Promise<TestKey> {
  const cacheKey = `${alg}/${label}/${modulusLength ?? ""}`;
  let key = keys.get(cacheKey);
  if (key === undefined) {
    key = (async () => {
      const params = modulusLength === undefined ? GENERATE[alg][0] : rsa(GENERATE[alg][0].name, modulusLength);
      const pair = (await crypto.subtle.generateKey(params, true, ["sign", "verify"])) as CryptoKeyPair;
      const { key_ops: _ops, ext: _ext, alg: _alg, ...jwk } = await crypto.subtle.exportKey("jwk", pair.publicKey);
      return { alg, privateKey: pair.privateKey, jwk };
    })();
    keys.set(cacheKey, key);
  }
  return key;
}

function part(value: unknown): string {
  return encodeBase64URL(new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)));
}

/** Signs `header.claims` with `key` (the header's alg picks nothing: the key's alg signs). */
export async function signProof(key: TestKey, header: unknown, claims: unknown): Promise<string> {
  const input = `${part(header)}.${part(claims)}`;
  const signature = await crypto.subtle.sign(GENERATE[key.alg][1], key.privateKey, new TextEncoder().encode(input));
  return `${input}.${encodeBase64URL(new Uint8Array(signature))}`;
}

/** What a proof says, with defaults for a GET of https://api.example/data now. */
export interface ProofSpec {
  alg?: DpopAlgorithm;
  header?: Record<string, unknown>;
  claims?: Record<string, unknown>;
  now?: number;
  key?: TestKey;
}

let counter = 0;

/** A valid proof for GET https://api.example/data at `now` (ms), with overrides. */
export async function makeProof(spec: ProofSpec = {}): Promise<string> {
  const key = spec.key ?? (await testKey(spec.alg ?? "ES256"));
  const header = { typ: "dpop+jwt", alg: key.alg, jwk: key.jwk, ...spec.header };
  const claims = {
    jti: `jti-${++counter}-${Math.random().toString(36).slice(2)}`,
    htm: "GET",
    htu: "https://api.example/data",
    iat: Math.floor((spec.now ?? Date.now()) / 1000),
    ...spec.claims,
  };
  return signProof(key, header, claims);
}
