import { describe, expect, it } from "vitest";
import type { DpopAlgorithm } from "./keys.ts";
import { createDpopProof, generateDpopKeyPair, isDpopNonce } from "./proof.ts";

const ALGORITHMS: DpopAlgorithm[] = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

const VERIFY: Record<DpopAlgorithm, AlgorithmIdentifier | RsaPssParams | EcdsaParams> = {
  ES256: { name: "ECDSA", hash: "SHA-256" },
  ES384: { name: "ECDSA", hash: "SHA-384" },
  ES512: { name: "ECDSA", hash: "SHA-512" },
  RS256: { name: "RSASSA-PKCS1-v1_5" },
  PS256: { name: "RSA-PSS", saltLength: 32 },
  EdDSA: { name: "Ed25519" },
};

const IMPORT: Record<DpopAlgorithm, AlgorithmIdentifier | RsaHashedImportParams | EcKeyImportParams> = {
  ES256: { name: "ECDSA", namedCurve: "P-256" },
  ES384: { name: "ECDSA", namedCurve: "P-384" },
  ES512: { name: "ECDSA", namedCurve: "P-521" },
  RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
  PS256: { name: "RSA-PSS", hash: "SHA-256" },
  EdDSA: { name: "Ed25519" },
};

function decodeSegment(segment: string): Uint8Array<ArrayBuffer> {
  const binary = atob(segment.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (character) => character.charCodeAt(0));
}

function decodeJSON(segment: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(decodeSegment(segment))) as Record<string, unknown>;
}

/** Checks the signature with the key in the header alone, as a server does. */
async function verifiedParts(
  proof: string,
  algorithm: DpopAlgorithm,
): Promise<{ header: Record<string, unknown>; claims: Record<string, unknown> }> {
  const [header = "", payload = "", signature = ""] = proof.split(".");
  expect(proof.split(".")).toHaveLength(3);
  for (const part of [header, payload, signature]) expect(part).toMatch(/^[\w-]+$/);
  const parsedHeader = decodeJSON(header);
  const key = await crypto.subtle.importKey("jwk", parsedHeader.jwk as JsonWebKey, IMPORT[algorithm], false, [
    "verify",
  ]);
  const valid = await crypto.subtle.verify(
    VERIFY[algorithm],
    key,
    decodeSegment(signature),
    new TextEncoder().encode(`${header}.${payload}`),
  );
  expect(valid).toBe(true);
  return { header: parsedHeader, claims: decodeJSON(payload) };
}

describe("generateDpopKeyPair()", () => {
  it.each(ALGORITHMS)(
    "generateDpopKeyPair(%s) makes a pair whose private key is not extractable",
    async (algorithm) => {
      const keyPair = await generateDpopKeyPair(algorithm);
      expect(keyPair.privateKey.extractable).toBe(false);
      expect(keyPair.privateKey.usages).toEqual(["sign"]);
      await expect(crypto.subtle.exportKey("jwk", keyPair.privateKey)).rejects.toThrow();
      await expect(crypto.subtle.exportKey("pkcs8", keyPair.privateKey)).rejects.toThrow();
    },
  );

  it("generateDpopKeyPair() refuses an algorithm it does not support, and a non-string", async () => {
    for (const algorithm of ["HS256", "none", "es256", "RS384", "toString", "__proto__", ""]) {
      await expect(generateDpopKeyPair(algorithm as DpopAlgorithm)).rejects.toThrow(RangeError);
    }
    await expect(generateDpopKeyPair(256 as unknown as DpopAlgorithm)).rejects.toThrow(TypeError);
  });
});

describe("createDpopProof()", () => {
  it.each(ALGORITHMS)("createDpopProof() signs a %s proof its own header key verifies", async (algorithm) => {
    const keyPair = await generateDpopKeyPair(algorithm);
    const proof = await createDpopProof({ keyPair, method: "POST", url: "https://as.example/token" });
    const { header, claims } = await verifiedParts(proof, algorithm);
    expect(header.typ).toBe("dpop+jwt");
    expect(header.alg).toBe(algorithm);
    expect(Object.keys(claims).sort()).toEqual(["htm", "htu", "iat", "jti"]);
  });

  it("createDpopProof() puts only public members in the header jwk", async () => {
    for (const algorithm of ["ES256", "RS256", "EdDSA"] as const) {
      const keyPair = await generateDpopKeyPair(algorithm);
      const proof = await createDpopProof({ keyPair, method: "GET", url: "https://api.example/" });
      const jwk = decodeJSON(proof.split(".")[0] ?? "").jwk as Record<string, unknown>;
      const expected = { ES256: ["crv", "kty", "x", "y"], RS256: ["e", "kty", "n"], EdDSA: ["crv", "kty", "x"] };
      expect(Object.keys(jwk).sort()).toEqual(expected[algorithm]);
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k", "key_ops", "ext"])
        expect(jwk).not.toHaveProperty(secret);
    }
  });

  it("createDpopProof() writes htm, htu without query and fragment, iat in seconds, ath and nonce", async () => {
    const keyPair = await generateDpopKeyPair();
    const proof = await createDpopProof({
      keyPair,
      method: "DELETE",
      url: "https://user:pass@API.Example:443/a%20b/c?x=1#frag",
      accessToken: "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
      nonce: "eyJ7S_zG.ITp-nonce",
      now: 1_700_000_000_999,
      jti: "my-id",
    });
    const { claims } = await verifiedParts(proof, "ES256");
    expect(claims).toEqual({
      jti: "my-id",
      htm: "DELETE",
      htu: "https://api.example/a%20b/c",
      iat: 1_700_000_000,
      // RFC 9449 §7.1's example: this token's ath.
      ath: "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo",
      nonce: "eyJ7S_zG.ITp-nonce",
    });
  });

  it("createDpopProof() makes a new 128-bit jti for every proof", async () => {
    const keyPair = await generateDpopKeyPair();
    const seen = new Set<string>();
    for (let index = 0; index < 50; index++) {
      const proof = await createDpopProof({ keyPair, method: "GET", url: "http://127.0.0.1/" });
      const jti = decodeJSON(proof.split(".")[1] ?? "").jti as string;
      expect(jti).toMatch(/^[\w-]{22}$/);
      seen.add(jti);
    }
    expect(seen.size).toBe(50);
  });

  it("createDpopProof() accepts an extractable private key, and refuses what is not a CryptoKeyPair", async () => {
    const extractable = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    const proof = await createDpopProof({ keyPair: extractable, method: "GET", url: "https://api.example/" });
    await verifiedParts(proof, "ES256");

    const pair = await generateDpopKeyPair();
    const rsa = await generateDpopKeyPair("RS256");
    const hmac = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const notPairs: unknown[] = [
      undefined,
      null,
      "key",
      {},
      { privateKey: pair.privateKey },
      { privateKey: pair.publicKey, publicKey: pair.privateKey },
      { privateKey: pair.privateKey, publicKey: rsa.publicKey },
      { privateKey: hmac, publicKey: hmac },
      { privateKey: { type: "private", algorithm: { name: "ECDSA", namedCurve: "P-256" } }, publicKey: pair.publicKey },
      await crypto.subtle.exportKey("jwk", pair.publicKey),
    ];
    for (const keyPair of notPairs) {
      await expect(
        createDpopProof({ keyPair: keyPair as CryptoKeyPair, method: "GET", url: "https://api.example/" }),
      ).rejects.toThrow(TypeError);
    }
    const sha1RSA = await crypto.subtle.generateKey(
      { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: "SHA-1" },
      false,
      ["sign", "verify"],
    );
    await expect(
      createDpopProof({ keyPair: sha1RSA as CryptoKeyPair, method: "GET", url: "https://api.example/" }),
    ).rejects.toThrow(TypeError);
  });

  it("createDpopProof() refuses a method that is not a token, and a URL that is not absolute http(s)", async () => {
    const keyPair = await generateDpopKeyPair();
    for (const method of ["", "GET ", "G\r\nET", "GÉT", "a/b", 1, undefined]) {
      await expect(createDpopProof({ keyPair, method: method as string, url: "https://api.example/" })).rejects.toThrow(
        TypeError,
      );
    }
    const urls = [
      "/relative",
      "api.example/x",
      "ftp://api.example/",
      "javascript:alert(1)",
      "data:text/plain,x",
      " https://api.example/",
      "https://api.example/\n",
      "https://",
      "",
      new URL("https://api.example/"),
    ];
    for (const url of urls) {
      await expect(createDpopProof({ keyPair, method: "GET", url: url as string })).rejects.toThrow(TypeError);
    }
  });

  it("createDpopProof() refuses a nonce outside NQCHAR, a huge one, a bad token, jti and now", async () => {
    const keyPair = await generateDpopKeyPair();
    const base = { keyPair, method: "GET", url: "https://api.example/" };
    for (const nonce of ["", 'a"b', "a\\b", "a b", "a\r\nDPoP: x", "é", "x".repeat(1025), 42]) {
      await expect(createDpopProof({ ...base, nonce: nonce as string })).rejects.toThrow(TypeError);
    }
    await createDpopProof({ ...base, nonce: "x".repeat(1024) });
    for (const accessToken of ["", "a b", "tok\r\n", "é", "=abc", 7]) {
      await expect(createDpopProof({ ...base, accessToken: accessToken as string })).rejects.toThrow(TypeError);
    }
    await expect(createDpopProof({ ...base, jti: "" })).rejects.toThrow(TypeError);
    await expect(createDpopProof({ ...base, jti: "j".repeat(257) })).rejects.toThrow(RangeError);
    for (const now of [-1, Number.NaN, Number.POSITIVE_INFINITY, "1700000000000"]) {
      await expect(createDpopProof({ ...base, now: now as number })).rejects.toThrow(RangeError);
    }
    await expect(createDpopProof(undefined as never)).rejects.toThrow(TypeError);
  });
});

describe("isDpopNonce()", () => {
  it("isDpopNonce() takes 1 to 1024 NQCHAR and nothing else", () => {
    expect(isDpopNonce("!#[]~")).toBe(true);
    expect(isDpopNonce("x".repeat(1024))).toBe(true);
    for (const value of ["", "x".repeat(1025), "a b", 'a"', "a\\", "\x7f", "\u0100", "a\tb", undefined, 1, ["a"]]) {
      expect(isDpopNonce(value)).toBe(false);
    }
  });
});
