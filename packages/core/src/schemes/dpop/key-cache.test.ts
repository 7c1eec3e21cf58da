import { afterEach, describe, expect, test, vi } from "vitest";
import { makeProof, signProof, testKey } from "../../../test/dpop/support.ts";
import { isDpopError } from "./errors.ts";
import type { DpopAlgorithm } from "./keys.ts";
import { cachedKeyCount, checkPublicKey, computeJwkThumbprint, DPOP_ALGORITHMS, KEY_CACHE_LIMIT } from "./keys.ts";
import type { VerifyDpopProofOptions } from "./verify.ts";
import { verifyDpopProof } from "./verify.ts";

const NOW = 1_760_000_000_000;
const base: VerifyDpopProofOptions = { method: "GET", url: "https://api.example/data", now: NOW };

async function codeOf(proof: string): Promise<string> {
  try {
    await verifyDpopProof(proof, base);
  } catch (error) {
    if (isDpopError(error)) return error.code;
    throw error;
  }
  return "accepted";
}

/** Counts WebCrypto key imports while `run` runs. */
async function importsDuring(run: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(crypto.subtle, "importKey");
  try {
    await run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the imported-key cache: its key is the whole key", () => {
  test.each(DPOP_ALGORITHMS)("%s: the thumbprint input is exactly the JSON of what is imported", async (alg) => {
    const { jwk } = await testKey(alg);
    const key = checkPublicKey(alg as DpopAlgorithm, { ...jwk, kid: "k", use: "sig", alg, key_ops: ["verify"] });
    // importKey reads key.jwk and nothing else; key.canonical (the cache key, with alg) is JSON.stringify of it,
    // which is one-to-one for an object of string members in a fixed order: one entry, one key.
    expect(key.canonical).toBe(JSON.stringify(key.jwk));
    expect(Object.keys(key.jwk)).toEqual(Object.keys(key.jwk).sort());
    expect(Object.keys(key.jwk)).toEqual(
      { EC: ["crv", "kty", "x", "y"], RSA: ["e", "kty", "n"], OKP: ["crv", "kty", "x"] }[jwk.kty!],
    );
    expect(await computeJwkThumbprint(jwk)).toBe(await computeJwkThumbprint(key.jwk));
  });

  test("keys that differ in any one public member have different cache keys", async () => {
    const ec = (await testKey("ES256")).jwk as Record<string, string>;
    const other = (await testKey("ES256", "other")).jwk as Record<string, string>;
    const seen = new Set([checkPublicKey("ES256", ec).canonical]);
    for (const name of ["x", "y"]) {
      const canonical = checkPublicKey("ES256", { ...ec, [name]: other[name] }).canonical;
      expect(seen.has(canonical), name).toBe(false);
      seen.add(canonical);
    }
  });

  test("a proof signed by another key does not verify through the cached key it names", async () => {
    const holder = await testKey("ES256");
    const thief = await testKey("ES256", "thief");
    expect(await codeOf(await makeProof({ key: holder, now: NOW }))).toBe("accepted");
    // The thief names the holder's key (cached now) and signs with its own.
    const forged = await makeProof({ key: thief, now: NOW, header: { jwk: holder.jwk } });
    expect(await codeOf(forged)).toBe("invalid-signature");
    // A private member is refused before the cache is looked at.
    const withD = await makeProof({ key: holder, now: NOW, header: { jwk: { ...holder.jwk, d: "AAAA" } } });
    expect(await codeOf(withD)).toBe("invalid-key");
  });

  test("one RSA key cached for RS256 is not the key of a PS256 proof: the algorithm is part of the entry", async () => {
    const rs = await testKey("RS256");
    expect(await codeOf(await makeProof({ key: rs, now: NOW }))).toBe("accepted");
    // The same public key under PS256, with an RS256 (PKCS#1 v1.5) signature.
    const mixed = await signProof(
      rs,
      { typ: "dpop+jwt", alg: "PS256", jwk: rs.jwk },
      { jti: "mixed", htm: "GET", htu: base.url, iat: NOW / 1000 },
    );
    expect(await codeOf(mixed)).toBe("invalid-signature");
  });

  test("a client's repeated proofs import its key once", async () => {
    const key = await testKey("EdDSA", "repeat");
    const proofs = await Promise.all([0, 1, 2, 3].map(() => makeProof({ key, now: NOW })));
    const first = await importsDuring(() => verifyDpopProof(proofs[0]!, base));
    const again = await importsDuring(async () => {
      for (const proof of proofs.slice(1)) await verifyDpopProof(proof, base);
    });
    expect(first).toBe(1);
    expect(again).toBe(0);
  });
});

describe("the imported-key cache under a flood of keys", () => {
  test(`distinct keys keep it at ${KEY_CACHE_LIMIT} entries, and every answer stays right`, async () => {
    const count = KEY_CACHE_LIMIT + 44;
    const keys = await Promise.all(Array.from({ length: count }, (_, index) => testKey("ES256", `flood-${index}`)));
    const kept = await testKey("ES256", "kept");
    for (const [index, key] of keys.entries()) {
      expect(await codeOf(await makeProof({ key, now: NOW }))).toBe("accepted");
      // A key in steady use stays cached: least recently used entries go first.
      if (index % 64 === 0) expect(await codeOf(await makeProof({ key: kept, now: NOW }))).toBe("accepted");
      expect(cachedKeyCount()).toBeLessThanOrEqual(KEY_CACHE_LIMIT);
    }
    expect(cachedKeyCount()).toBe(KEY_CACHE_LIMIT);
    // The first keys were evicted: they are imported again, and verify as before.
    const evicted = keys[0]!;
    const proof = await makeProof({ key: evicted, now: NOW });
    expect(await importsDuring(() => verifyDpopProof(proof, base))).toBe(1);
    // A forged signature under an evicted or a cached key is refused all the same.
    const forgedEvicted = await makeProof({ key: keys[1]!, now: NOW, header: { jwk: keys[2]!.jwk } });
    expect(await codeOf(forgedEvicted)).toBe("invalid-signature");
    const last = keys[count - 1]!;
    const forgedCached = await makeProof({ key: kept, now: NOW, header: { jwk: last.jwk } });
    expect(await codeOf(forgedCached)).toBe("invalid-signature");
    const keptProof = await makeProof({ key: kept, now: NOW });
    expect(await importsDuring(() => verifyDpopProof(keptProof, base))).toBe(0);
  }, 60_000);
});
