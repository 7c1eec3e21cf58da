// DPoP proof verification (issue 17): one verifyDpopProof per algorithm next
// to jose's jwtVerify of the same proof with its embedded JWK (the work a
// resource server does per request with jose). Runs on Node, Deno and Bun:
//   node benchmarks/dpop.mjs   |   deno run -A benchmarks/dpop.mjs   |   bun benchmarks/dpop.mjs
// Needs @httpauth/core built (npx turbo run build --filter=@httpauth/core).
// The two are run interleaved in one mitata session; compare them on one
// machine and one run, never across runs.

import { DPOP_ALGORITHMS, verifyDpopProof } from "@httpauth/core";
import { EmbeddedJWK, jwtVerify } from "jose";
import { bench, group, run, summary } from "mitata";

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
const URL_ = "https://api.example/data";
const NOW = Date.now();

async function proofFor(alg) {
  const [generate, sign] = PARAMS[alg];
  const pair = await crypto.subtle.generateKey(generate, true, ["sign", "verify"]);
  const { kty, crv, x, y, n, e } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const jwk = Object.fromEntries(Object.entries({ kty, crv, x, y, n, e }).filter(([, value]) => value !== undefined));
  const input = `${encode({ typ: "dpop+jwt", alg, jwk })}.${encode({ jti: "j1", htm: "GET", htu: URL_, iat: Math.floor(NOW / 1000) })}`;
  const signature = await crypto.subtle.sign(sign, pair.privateKey, new TextEncoder().encode(input));
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

for (const alg of DPOP_ALGORITHMS) {
  const proof = await proofFor(alg);
  const options = { method: "GET", url: URL_, now: NOW };
  await verifyDpopProof(proof, options);
  await jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: [alg] });
  group(alg, () => {
    summary(() => {
      bench(`httpauth verifyDpopProof ${alg}`, () => verifyDpopProof(proof, options));
      bench(`jose jwtVerify(EmbeddedJWK) ${alg}`, () =>
        jwtVerify(proof, EmbeddedJWK, { typ: "dpop+jwt", algorithms: [alg] }),
      );
    });
  });
}

await run({ format: process.argv.includes("--json") ? "json" : "mitata" });
