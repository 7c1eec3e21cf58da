// Interop: DPoP proofs made by createDpopProof (@httpauth/core) checked by a reference verifier written
// with jose, code we did not write: jwtVerify with the key embedded in the header (EmbeddedJWK), the
// RFC 7638 thumbprint with calculateJwkThumbprint, and RFC 9449 §4.3's checks on typ, htm, htu, ath, iat.

import type { DpopAlgorithm } from "@httpauth/core";
import { createDpopProof, generateDpopKeyPair } from "@httpauth/core";
import { base64url, calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";
import { describe, expect, test } from "vitest";

const ALGORITHMS: DpopAlgorithm[] = ["ES256", "ES384", "ES512", "RS256", "PS256", "EdDSA"];

/** What a resource server expects of a proof (RFC 9449 §4.3). */
interface Expected {
  method: string;
  url: string;
  accessToken?: string;
  nonce?: string;
  now: number;
}

/** A reference DPoP proof check written with jose only: returns the proof key's thumbprint, or throws. */
async function referenceCheck(proof: string, expected: Expected): Promise<string> {
  const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
    typ: "dpop+jwt",
    algorithms: ALGORITHMS,
    currentDate: new Date(expected.now),
    maxTokenAge: 300,
    requiredClaims: ["jti", "htm", "htu", "iat"],
  });
  const jwk = protectedHeader.jwk;
  if (jwk === undefined || "d" in jwk) throw new Error("the header must carry a public jwk");
  if (payload.htm !== expected.method) throw new Error("htm mismatch");
  const target = new URL(expected.url);
  if (payload.htu !== `${target.origin}${target.pathname}`) throw new Error("htu mismatch");
  if (typeof payload.jti !== "string" || payload.jti.length < 22) throw new Error("jti too short");
  if (expected.accessToken !== undefined) {
    const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(expected.accessToken));
    if (payload.ath !== base64url.encode(new Uint8Array(hash))) throw new Error("ath mismatch");
  } else if ("ath" in payload) {
    throw new Error("unexpected ath");
  }
  if (payload.nonce !== expected.nonce) throw new Error("nonce mismatch");
  return calculateJwkThumbprint(jwk, "sha256");
}

describe("createDpopProof() and jose", () => {
  test.each(ALGORITHMS)("a %s proof of createDpopProof() passes the jose reference check", async (algorithm) => {
    const keyPair = await generateDpopKeyPair(algorithm);
    const expected = {
      method: "POST",
      url: "https://api.example:8443/resource/a?x=1#frag",
      accessToken: "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
      nonce: "eyJ7S_zG.ITp-nonce",
      now: Date.now(),
    };
    const proof = await createDpopProof({ keyPair, ...expected });
    const thumbprint = await referenceCheck(proof, expected);
    expect(thumbprint).toBe(await calculateJwkThumbprint(await crypto.subtle.exportKey("jwk", keyPair.publicKey)));
  });

  test("the jose reference check refuses our proofs for another request, token, nonce or time", async () => {
    const keyPair = await generateDpopKeyPair();
    const now = Date.parse("2030-01-01T00:00:00Z");
    const expected = { method: "GET", url: "https://api.example/r", accessToken: "token-a", now };
    const proof = await createDpopProof({ keyPair, ...expected });
    await expect(referenceCheck(proof, expected)).resolves.toMatch(/^[\w-]{43}$/);
    const wrong: Expected[] = [
      { ...expected, method: "POST" },
      { ...expected, url: "https://api.example/other" },
      { ...expected, url: "http://api.example/r" },
      { ...expected, accessToken: "token-b" },
      { ...expected, nonce: "n" },
      { ...expected, now: now + 3_600_000 },
    ];
    for (const other of wrong) await expect(referenceCheck(proof, other)).rejects.toThrow();
    const [header, payload, signature = ""] = proof.split(".");
    const tampered = `${header}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    await expect(referenceCheck(tampered, expected)).rejects.toThrow();
  });
});
