import { describe, expect, test } from "vitest";
import { testKey } from "../../../test/dpop/support.ts";
import { decodeBase64URL, encodeBase64URL } from "../../internal/base64url.ts";
import { computeDpopAccessTokenHash, computeJwkThumbprint, isDpopAlgorithm } from "./keys.ts";
import { createDpopNonce } from "./nonce.ts";

const RFC_JWK = {
  kty: "EC",
  x: "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
  y: "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA",
  crv: "P-256",
};

describe("computeJwkThumbprint()", () => {
  test("RFC 9449 §6.1's jkt of the §4.1 key, whatever the member order and extra members", async () => {
    const jkt = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";
    expect(await computeJwkThumbprint(RFC_JWK)).toBe(jkt);
    const reordered = { y: RFC_JWK.y, crv: "P-256", x: RFC_JWK.x, kty: "EC", kid: "k", use: "sig" };
    expect(await computeJwkThumbprint(reordered)).toBe(jkt);
  });

  test("a private key has its public key's thumbprint", async () => {
    const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
    const publicJwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
    const privateJwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    expect(await computeJwkThumbprint(privateJwk)).toBe(await computeJwkThumbprint(publicJwk));
  });

  test("RSA: e, kty, n", async () => {
    const { jwk } = await testKey("RS256");
    const json = `{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`;
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(json)));
    expect(await computeJwkThumbprint(jwk)).toBe(encodeBase64URL(digest));
  });

  test("refuses what is not a usable key with a TypeError", async () => {
    for (const jwk of [
      null,
      "EC",
      {},
      { kty: "oct", k: "AAAA" },
      { ...RFC_JWK, y: 7 },
      { kty: "RSA", n: "", e: "AQAB" },
      { kty: "__proto__" },
    ]) {
      await expect(computeJwkThumbprint(jwk as never), JSON.stringify(jwk)).rejects.toThrow(TypeError);
    }
  });
});

describe("computeDpopAccessTokenHash()", () => {
  test("RFC 9449 §7.1's ath", async () => {
    expect(await computeDpopAccessTokenHash("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")).toBe(
      "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo",
    );
  });

  test("refuses an empty, non-string or non-ASCII token", async () => {
    for (const token of ["", 7, "tök"]) {
      await expect(computeDpopAccessTokenHash(token as never)).rejects.toThrow(TypeError);
    }
  });
});

describe("isDpopAlgorithm()", () => {
  test("names the supported algorithms only, not inherited keys", () => {
    expect(isDpopAlgorithm("ES256")).toBe(true);
    for (const name of ["none", "HS256", "es256", "toString", "__proto__", 1])
      expect(isDpopAlgorithm(name)).toBe(false);
  });
});

describe("createDpopNonce()", () => {
  test("48 NQCHARs, different each time", async () => {
    const a = await createDpopNonce({ secret: "sixteen bytes at least" });
    const b = await createDpopNonce({ secret: new Uint8Array(32), now: 0 });
    expect(a).toMatch(/^[A-Za-z0-9+/]{48}$/);
    expect(a).not.toBe(await createDpopNonce({ secret: "sixteen bytes at least" }));
    expect(b).toHaveLength(48);
  });

  test("refuses a short or missing secret and a bad time", async () => {
    await expect(createDpopNonce({ secret: "short" })).rejects.toThrow(RangeError);
    await expect(createDpopNonce({ secret: 7 as never })).rejects.toThrow(TypeError);
    await expect(createDpopNonce(undefined as never)).rejects.toThrow(TypeError);
    await expect(createDpopNonce({ secret: "sixteen bytes at least", now: Number.NaN })).rejects.toThrow(RangeError);
  });
});

describe("base64url (RFC 4648 §5), strict", () => {
  test("round-trips every length and refuses padding, base64 characters and non-canonical forms", () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Uint8Array.from({ length }, (_, index) => (index * 97 + 251) % 256);
      expect(decodeBase64URL(encodeBase64URL(bytes))).toEqual(bytes);
    }
    expect(encodeBase64URL(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
    for (const text of ["-_8=", "+/8", "e31", "A", "e3 0", "e30\n"])
      expect(decodeBase64URL(text), text).toBeUndefined();
  });
});
