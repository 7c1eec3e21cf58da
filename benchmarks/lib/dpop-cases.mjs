// DPoP proof verification (RFC 9449 §4.3, issue 17): one case per algorithm,
// httpauth's verifyDpopProof next to jose's jwtVerify of the same proof with
// its embedded JWK (what a resource server does per request with jose), and
// WebCrypto's verify alone with the key imported once, as the floor.
//
// A client signs every proof with one key, and httpauth keeps the imported
// keys of the last 256 clients: the per-algorithm cases measure that steady
// state (the same proof, so the same key, every call). The "first-seen key"
// case cycles through more keys than that cache holds, so every httpauth call
// imports its key, as jose's always does.

import { DPOP_ALGORITHMS, verifyDpopProof } from "@httpauth/core";
import { EmbeddedJWK, jwtVerify } from "jose";

const PARAMS = {
  ES256: [
    { name: "ECDSA", namedCurve: "P-256" },
    { name: "ECDSA", hash: "SHA-256" },
  ],
  ES384: [
    { name: "ECDSA", namedCurve: "P-384" },
    { name: "ECDSA", hash: "SHA-384" },
  ],
  ES512: [
    { name: "ECDSA", namedCurve: "P-521" },
    { name: "ECDSA", hash: "SHA-512" },
  ],
  RS256: [rsa("RSASSA-PKCS1-v1_5"), { name: "RSASSA-PKCS1-v1_5" }],
  PS256: [rsa("RSA-PSS"), { name: "RSA-PSS", saltLength: 32 }],
  EdDSA: [{ name: "Ed25519" }, { name: "Ed25519" }],
};

function rsa(name) {
  return { name, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };
}

function b64url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

const encode = (value) => b64url(new TextEncoder().encode(JSON.stringify(value)));

/** The request every proof is for. */
export const DPOP_URL = "https://api.example/data";
/** The time every proof is verified at (its iat), in milliseconds. */
export const DPOP_NOW = 1_790_000_000_000;
const OPTIONS = { method: "GET", url: DPOP_URL, now: DPOP_NOW };

/** More keys than httpauth's cache of imported keys holds (256), used in turn. */
const FIRST_SEEN_KEYS = 300;

/** A proof by a fresh key pair for `alg`, with what verifying it needs. */
export async function dpopProof(alg, jti = "j1") {
  const [generate, sign] = PARAMS[alg];
  const pair = await crypto.subtle.generateKey(generate, true, ["sign", "verify"]);
  const { kty, crv, x, y, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const jwk = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined));
  const claims = { jti, htm: "GET", htu: DPOP_URL, iat: DPOP_NOW / 1000 };
  const input = `${encode({ typ: "dpop+jwt", alg, jwk })}.${encode(claims)}`;
  const inputBytes = new TextEncoder().encode(input);
  const signature = new Uint8Array(await crypto.subtle.sign(sign, pair.privateKey, inputBytes));
  const importParams = "modulusLength" in generate ? { name: generate.name, hash: "SHA-256" } : generate;
  const publicKey = await crypto.subtle.importKey("jwk", jwk, importParams, false, ["verify"]);
  return { alg, proof: `${input}.${b64url(signature)}`, signature, inputBytes, publicKey, verifyParams: sign };
}

/** The three implementations of one case; `next` gives the proof of each call. */
function implementations(alg, next, floor) {
  const joseOptions = { typ: "dpop+jwt", algorithms: [alg] };
  return [
    {
      name: "httpauth",
      kind: "httpauth",
      note: "verifyDpopProof: typ, alg, the jwk (public, RSA ≥ 2048 bits), htm, htu (normalised), iat window, signature, RFC 7638 thumbprint",
      run: () => verifyDpopProof(next(), OPTIONS),
      normalize: (verified) => ({ alg: verified.header.alg, htu: verified.claims.htu, jti: verified.claims.jti }),
    },
    {
      name: "jose jwtVerify(EmbeddedJWK)",
      kind: "peer",
      validates: true,
      note: "jwtVerify with EmbeddedJWK, typ and algorithms: typ, alg, the signature (no htm/htu/iat window, no thumbprint)",
      run: () => jwtVerify(next(), EmbeddedJWK, joseOptions),
      normalize: (result) => ({ alg: result.protectedHeader.alg, htu: result.payload.htu, jti: result.payload.jti }),
    },
    {
      name: "WebCrypto verify, key imported once",
      kind: "floor",
      run: () => crypto.subtle.verify(floor.verifyParams, floor.publicKey, floor.signature, floor.inputBytes),
      normalize: (ok) => (ok ? { alg, htu: DPOP_URL, jti: "j1" } : { ok }),
    },
  ];
}

function dpopCase(id, variant, alg, next, floor, expected) {
  return {
    id,
    operation: "verify a DPoP proof",
    variant,
    input: `${alg} proof for GET ${DPOP_URL}`,
    expected,
    primaryFloor: ["WebCrypto verify, key imported once"],
    implementations: implementations(alg, next, floor),
  };
}

/** One case per algorithm (a client's steady state), and ES256 with a key not seen before. */
export async function dpopCases() {
  const cases = [];
  for (const alg of DPOP_ALGORITHMS) {
    const proof = await dpopProof(alg);
    cases.push(
      dpopCase(`verify-dpop-${alg.toLowerCase()}`, alg, alg, () => proof.proof, proof, {
        alg,
        htu: DPOP_URL,
        jti: "j1",
      }),
    );
  }
  const pool = [];
  for (let index = 0; index < FIRST_SEEN_KEYS; index++) pool.push((await dpopProof("ES256")).proof);
  let turn = 0;
  const next = () => pool[turn++ % FIRST_SEEN_KEYS];
  cases.push(
    dpopCase(
      "verify-dpop-es256-first-seen",
      `ES256, a key not seen lately (${FIRST_SEEN_KEYS} keys in turn)`,
      "ES256",
      next,
      await dpopProof("ES256"),
      { alg: "ES256", htu: DPOP_URL, jti: "j1" },
    ),
  );
  return cases;
}
