import { describe, expect, test } from "vitest";
import { makeProof, signProof, testKey } from "../../../test/dpop/support.ts";
import { encodeBase64URL } from "../../internal/base64url.ts";
import { createMemoryReplayStore } from "../../stores/replay.ts";
import { createNonce } from "../digest/nonce.ts";
import type { DpopErrorCode } from "./errors.ts";
import { isDpopError } from "./errors.ts";
import type { DpopAlgorithm } from "./keys.ts";
import { computeDpopAccessTokenHash, computeJwkThumbprint, DPOP_ALGORITHMS } from "./keys.ts";
import { createDpopNonce } from "./nonce.ts";
import type { VerifyDpopProofOptions } from "./verify.ts";
import { verifyDpopProof } from "./verify.ts";

const NOW = 1_760_000_000_000;
const URL_ = "https://api.example/data";
const base: VerifyDpopProofOptions = { method: "GET", url: URL_, now: NOW };
const SECRET = "a secret of at least sixteen bytes";

function b64(value: unknown): string {
  return encodeBase64URL(new TextEncoder().encode(typeof value === "string" ? value : JSON.stringify(value)));
}

async function refusal(proof: string, options: Partial<VerifyDpopProofOptions> = {}): Promise<DpopErrorCode> {
  try {
    await verifyDpopProof(proof, { ...base, ...options });
  } catch (error) {
    if (isDpopError(error)) return error.code;
    throw error;
  }
  throw new Error("the proof was accepted");
}

describe("verifyDpopProof() accepts", () => {
  test.each(DPOP_ALGORITHMS)("a proof signed with %s, returning its key's thumbprint", async (alg) => {
    const key = await testKey(alg);
    const verified = await verifyDpopProof(await makeProof({ key, now: NOW }), base);
    expect(verified.header.alg).toBe(alg);
    expect(verified.jkt).toBe(await computeJwkThumbprint(key.jwk));
    expect(verified.claims.htu).toBe(URL_);
  });

  test("the returned jwk has the required public members only; typ is compared ignoring case", async () => {
    const key = await testKey("ES256");
    const proof = await makeProof({
      key,
      now: NOW,
      header: { typ: "application/DPoP+JWT", jwk: { ...key.jwk, kid: "k1", use: "sig", alg: "ES256" } },
    });
    const verified = await verifyDpopProof(proof, base);
    expect(Object.keys(verified.header.jwk).sort()).toEqual(["crv", "kty", "x", "y"]);
    expect(verified.header.typ).toBe("dpop+jwt");
  });

  test("an iat at the edges of the window: maxAge + leeway in the past, leeway in the future", async () => {
    const old = await makeProof({ now: NOW - 305_000 });
    await expect(verifyDpopProof(old, base)).resolves.toBeDefined();
    const ahead = await makeProof({ now: NOW + 5_000 });
    await expect(verifyDpopProof(ahead, base)).resolves.toBeDefined();
  });

  test("htu spelled differently as RFC 3986 §6.2.2/§6.2.3 allow; query and fragment ignored", async () => {
    const spellings: [string, string][] = [
      ["HTTPS://API.Example/data", URL_],
      ["https://api.example:443/data", URL_],
      ["https://api.example/data?x=1#f", URL_],
      ["https://api.example/data", "https://api.example/data?y=2"],
      ["https://api.example/%7euser/a%2fb", "https://api.example/~user/a%2Fb"],
      ["https://api.example/a/../data", URL_],
      ["https://api.example", "https://api.example/"],
      ["http://api.example:80/data", "http://api.example/data"],
    ];
    for (const [htu, url] of spellings) {
      const proof = await makeProof({ now: NOW, claims: { htu } });
      await expect(verifyDpopProof(proof, { ...base, url }), `${htu} for ${url}`).resolves.toBeDefined();
    }
  });

  test("a proof with ath when no access token is given (the token endpoint), and a proof with ath for it", async () => {
    const ath = await computeDpopAccessTokenHash("t0k3n");
    const proof = await makeProof({ now: NOW, claims: { ath } });
    await expect(verifyDpopProof(proof, base)).resolves.toBeDefined();
    await expect(verifyDpopProof(proof, { ...base, accessToken: "t0k3n" })).resolves.toBeDefined();
  });
});

describe("verifyDpopProof() refuses a malformed proof", () => {
  test("not three parts, oversized, or not strict base64url", async () => {
    const good = await makeProof({ now: NOW });
    const [h, c, s] = good.split(".") as [string, string, string];
    expect(await refusal("")).toBe("malformed-proof");
    expect(await refusal(`${h}.${c}`)).toBe("malformed-proof");
    expect(await refusal(`${h}.${c}.${s}.x`)).toBe("malformed-proof");
    expect(await refusal(`.${c}.${s}`)).toBe("malformed-proof");
    expect(await refusal(`${h}..${s}`)).toBe("malformed-proof");
    expect(await refusal(`${h}=.${c}.${s}`)).toBe("malformed-proof");
    expect(await refusal(`${h}.${c}.${s}=`)).toBe("malformed-proof");
    expect(await refusal(`${h}.${c.replace(/.$/, "+")}.${s}`)).toBe("malformed-proof");
    expect(await refusal(`${h} .${c}.${s}`)).toBe("malformed-proof");
    expect(await refusal(`${h}.${c}.${s}`.padEnd(8193, "A"))).toBe("malformed-proof");
  });

  test("a non-canonical last symbol (bits past the data) is not strict base64url", async () => {
    // "e30" is {} ; "e31" decodes to the same bytes with a non-zero trailing bit.
    expect(await refusal(`e31.${b64({})}.AA`)).toBe("malformed-proof");
  });

  test("a huge or deeply nested header, invalid UTF-8, JSON that is not an object", async () => {
    const { jwk } = await testKey("ES256");
    const nested = (depth: number): string =>
      `{"typ":"dpop+jwt","alg":"ES256","jwk":${JSON.stringify(jwk)},"x":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    expect(await refusal(`${b64(nested(100_000))}.${b64({})}.AA`)).toBe("malformed-proof");
    // Within the size cap, nesting is only JSON: the proof fails later, without a crash.
    const claims = b64({ jti: "a", htm: "GET", htu: URL_, iat: NOW / 1000 });
    expect(await refusal(`${b64(nested(1_900))}.${claims}.${"A".repeat(86)}`)).toBe("invalid-signature");
    const huge = { typ: "dpop+jwt", alg: "ES256", jwk, pad: "x".repeat(5000) };
    expect(await refusal(`${b64(huge)}.${b64({})}.AA`)).toBe("malformed-proof");
    const badUTF8 = encodeBase64URL(Uint8Array.of(0x7b, 0xc0, 0x80, 0x7d));
    expect(await refusal(`${badUTF8}.${b64({})}.AA`)).toBe("malformed-proof");
    expect(await refusal(`${b64("[1]")}.${b64({})}.AA`)).toBe("malformed-proof");
    expect(await refusal(`${b64("null")}.${b64({})}.AA`)).toBe("malformed-proof");
    expect(await refusal(`${b64("{")}.${b64({})}.AA`)).toBe("malformed-proof");
    expect(await refusal(`${b64({ typ: "dpop+jwt", alg: "ES256", jwk })}.${b64("[]")}.AA`)).toBe("malformed-proof");
  });

  test("typ other than dpop+jwt, or a crit header", async () => {
    expect(await refusal(await makeProof({ now: NOW, header: { typ: "JWT" } }))).toBe("malformed-proof");
    expect(await refusal(await makeProof({ now: NOW, header: { typ: undefined } }))).toBe("malformed-proof");
    expect(await refusal(await makeProof({ now: NOW, header: { crit: ["exp"], exp: 1 } }))).toBe("malformed-proof");
  });

  test("a claim missing or of the wrong type", async () => {
    for (const claims of [
      { jti: undefined },
      { jti: "" },
      { jti: 7 },
      { jti: "x".repeat(257) },
      { jti: "\uD800" },
      { htm: undefined },
      { htm: 1 },
      { htu: undefined },
      { htu: ["https://api.example/data"] },
      { iat: undefined },
      { iat: "1760000000" },
      { ath: 1 },
      { nonce: {} },
    ]) {
      expect(await refusal(await makeProof({ now: NOW, claims })), JSON.stringify(claims)).toBe("malformed-proof");
    }
  });
});

describe("verifyDpopProof() refuses a hostile algorithm or key", () => {
  test("alg none, with or without a signature", async () => {
    const { jwk } = await testKey("ES256");
    const header = b64({ typ: "dpop+jwt", alg: "none", jwk });
    const claims = b64({ jti: "a", htm: "GET", htu: URL_, iat: NOW / 1000 });
    expect(await refusal(`${header}.${claims}.`)).toBe("unsupported-algorithm");
    expect(await refusal(`${header}.${claims}.AAAA`)).toBe("unsupported-algorithm");
  });

  test("HS256 with the public key as the HMAC secret", async () => {
    for (const alg of ["ES256", "RS256"] as const) {
      const { jwk } = await testKey(alg);
      const header = b64({ typ: "dpop+jwt", alg: "HS256", jwk });
      const claims = b64({ jti: "a", htm: "GET", htu: URL_, iat: NOW / 1000 });
      const secret = new TextEncoder().encode(JSON.stringify(jwk));
      const hmac = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
      const mac = await crypto.subtle.sign("HMAC", hmac, new TextEncoder().encode(`${header}.${claims}`));
      expect(await refusal(`${header}.${claims}.${encodeBase64URL(new Uint8Array(mac))}`)).toBe(
        "unsupported-algorithm",
      );
    }
  });

  test("an algorithm left out of `algorithms`, and alg that is not a string", async () => {
    const proof = await makeProof({ alg: "EdDSA", now: NOW });
    expect(await refusal(proof, { algorithms: ["ES256"] })).toBe("unsupported-algorithm");
    expect(await refusal(await makeProof({ now: NOW, header: { alg: ["ES256"] } }))).toBe("unsupported-algorithm");
  });

  test("a jwk with a private member", async () => {
    const key = await testKey("ES256");
    for (const name of ["d", "p", "q", "dp", "dq", "qi", "k", "oth"]) {
      const proof = await makeProof({ key, now: NOW, header: { jwk: { ...key.jwk, [name]: "AAAA" } } });
      expect(await refusal(proof), name).toBe("invalid-key");
    }
  });

  test("a real private JWK (with d) as the jwk header", async () => {
    const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const privateJwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const key = { alg: "ES256" as const, privateKey: pair.privateKey, jwk: privateJwk };
    expect(await refusal(await makeProof({ key, now: NOW }))).toBe("invalid-key");
  });

  test("an RSA key under 2048 bits", async () => {
    const small = await testKey("RS256", "small", 1024);
    expect(await refusal(await makeProof({ key: small, now: NOW }))).toBe("invalid-key");
  });

  test("kty or crv that does not fit alg, coordinates of the wrong size, a point off the curve", async () => {
    const p256 = await testKey("ES256");
    const p384 = await testKey("ES384");
    const rsa = await testKey("RS256");
    const ed = await testKey("EdDSA");
    const cases: [DpopAlgorithm, unknown][] = [
      ["ES256", p384.jwk],
      ["ES256", rsa.jwk],
      ["ES384", { ...p384.jwk, crv: "P-256" }],
      ["RS256", p256.jwk],
      ["EdDSA", { ...ed.jwk, crv: "Ed448" }],
      ["EdDSA", { ...ed.jwk, kty: "EC" }],
      ["ES256", { ...p256.jwk, x: p384.jwk.x }],
      ["ES256", { ...p256.jwk, y: undefined }],
      ["ES256", { ...p256.jwk, x: `${p256.jwk.x}=` }],
      ["ES256", { ...p256.jwk, x: encodeBase64URL(new Uint8Array(32).fill(7)) }],
      ["RS256", { ...rsa.jwk, e: "" }],
      ["ES256", "not an object"],
      ["ES256", ["EC"]],
      ["ES256", undefined],
    ];
    for (const [alg, jwk] of cases) {
      const header = { typ: "dpop+jwt", alg, jwk };
      const proof = await signProof(p256, header, { jti: "a", htm: "GET", htu: URL_, iat: NOW / 1000 });
      expect(await refusal(proof), JSON.stringify(header)).toBe("invalid-key");
    }
  });

  test("a signature that does not verify: another key, tampered claims, a flipped bit, a wrong length", async () => {
    const key = await testKey("ES256");
    const other = await testKey("ES256", "other");
    const byOther = await makeProof({ key: other, now: NOW, header: { jwk: key.jwk } });
    expect(await refusal(byOther)).toBe("invalid-signature");
    const good = await makeProof({ key, now: NOW });
    const [h, , s] = good.split(".") as [string, string, string];
    const tampered = `${h}.${b64({ jti: "z", htm: "GET", htu: URL_, iat: NOW / 1000 })}.${s}`;
    expect(await refusal(tampered)).toBe("invalid-signature");
    const at = good.lastIndexOf(".") + 10;
    const flipped = `${good.slice(0, at)}${good[at] === "A" ? "B" : "A"}${good.slice(at + 1)}`;
    expect(await refusal(flipped)).toBe("invalid-signature");
    expect(await refusal(good.slice(0, good.lastIndexOf(".") + 41))).toBe("invalid-signature");
  });

  test("an ECDSA signature in DER form (JWS wants raw r‖s)", async () => {
    const key = await testKey("ES256");
    const proof = await makeProof({ key, now: NOW });
    const raw = proof.slice(proof.lastIndexOf(".") + 1);
    const der = encodeBase64URL(
      Uint8Array.of(0x30, 0x44, 0x02, 0x20, ...new Uint8Array(32), 0x02, 0x20, ...new Uint8Array(32)),
    );
    expect(raw.length).toBe(86);
    expect(await refusal(`${proof.slice(0, proof.lastIndexOf(".") + 1)}${der}`)).toBe("invalid-signature");
  });
});

describe("verifyDpopProof() refuses a proof for another request", () => {
  test("htm other than the method, also in another case", async () => {
    expect(await refusal(await makeProof({ now: NOW, claims: { htm: "POST" } }))).toBe("wrong-method");
    expect(await refusal(await makeProof({ now: NOW, claims: { htm: "get" } }))).toBe("wrong-method");
  });

  test("htu of another resource, scheme, port, host (a trailing dot is another host), or not absolute", async () => {
    for (const htu of [
      "https://api.example/other",
      "https://api.example/Data",
      "https://api.example/data/",
      "http://api.example/data",
      "https://api.example:8443/data",
      "https://api.example./data",
      "https://evil.example/data",
      "https://user@api.example/data",
      "https://api.example/data%2F",
      "/data",
      "ftp://api.example/data",
      "not a url",
    ]) {
      expect(await refusal(await makeProof({ now: NOW, claims: { htu } })), htu).toBe("wrong-uri");
    }
  });

  test("iat too far in the past or the future", async () => {
    expect(await refusal(await makeProof({ now: NOW - 306_000 }))).toBe("stale-proof");
    expect(await refusal(await makeProof({ now: NOW + 6_000 }))).toBe("stale-proof");
    expect(await refusal(await makeProof({ now: 0 }))).toBe("stale-proof");
    expect(await refusal(await makeProof({ now: NOW, claims: { iat: 1e300 } }))).toBe("stale-proof");
    const minute = await makeProof({ now: NOW - 61_000 });
    expect(await refusal(minute, { maxAge: 60, leeway: 0 })).toBe("stale-proof");
  });

  test("ath missing, wrong, or for another token", async () => {
    expect(await refusal(await makeProof({ now: NOW }), { accessToken: "t0k3n" })).toBe("wrong-token-hash");
    const other = await makeProof({ now: NOW, claims: { ath: await computeDpopAccessTokenHash("other") } });
    expect(await refusal(other, { accessToken: "t0k3n" })).toBe("wrong-token-hash");
    expect(await refusal(await makeProof({ now: NOW, claims: { ath: "x" } }), { accessToken: "t0k3n" })).toBe(
      "wrong-token-hash",
    );
  });
});

describe("verifyDpopProof() with server nonces", () => {
  const nonce = { secret: SECRET };

  test("accepts a fresh nonce of its secret", async () => {
    const value = await createDpopNonce({ secret: SECRET, now: NOW - 10_000 });
    const verified = await verifyDpopProof(await makeProof({ now: NOW, claims: { nonce: value } }), { ...base, nonce });
    expect(verified.claims.nonce).toBe(value);
  });

  test("refuses a proof without nonce (use-nonce), a nonce of another secret, a stale one, a Digest nonce", async () => {
    expect(await refusal(await makeProof({ now: NOW }), { nonce })).toBe("use-nonce");
    const foreign = await createDpopNonce({ secret: "another secret of sixteen bytes", now: NOW });
    expect(await refusal(await makeProof({ now: NOW, claims: { nonce: foreign } }), { nonce })).toBe("stale-nonce");
    const old = await createDpopNonce({ secret: SECRET, now: NOW - 300_000 });
    expect(await refusal(await makeProof({ now: NOW, claims: { nonce: old } }), { nonce })).toBe("stale-nonce");
    const future = await createDpopNonce({ secret: SECRET, now: NOW + 120_000 });
    expect(await refusal(await makeProof({ now: NOW, claims: { nonce: future } }), { nonce })).toBe("stale-nonce");
    const digest = await createNonce(new TextEncoder().encode(SECRET), "api", "SHA-256", NOW);
    expect(await refusal(await makeProof({ now: NOW, claims: { nonce: digest } }), { nonce })).toBe("stale-nonce");
    expect(await refusal(await makeProof({ now: NOW, claims: { nonce: "eyJ7S_zG.eyJH0-Z.HX4w-7v" } }), { nonce })).toBe(
      "stale-nonce",
    );
  });

  test("a shorter maxAge makes a nonce stale sooner", async () => {
    const value = await createDpopNonce({ secret: SECRET, now: NOW - 61_000 });
    const proof = await makeProof({ now: NOW, claims: { nonce: value } });
    expect(await refusal(proof, { nonce: { secret: SECRET, maxAge: 60 } })).toBe("stale-nonce");
  });
});

describe("verifyDpopProof() with a replay store", () => {
  test("refuses a jti seen before for the same key, also when the store is shared", async () => {
    const replay = createMemoryReplayStore();
    const proof = await makeProof({ now: NOW });
    await verifyDpopProof(proof, { ...base, replay });
    expect(await refusal(proof, { replay })).toBe("replayed-proof");
    const again = await makeProof({ now: NOW, claims: { jti: JSON.parse(atob(proof.split(".")[1]!)).jti } });
    expect(await refusal(again, { replay })).toBe("replayed-proof");
    // The same jti from another key is another proof.
    const otherKey = await testKey("ES256", "other");
    const fromOther = await makeProof({
      key: otherKey,
      now: NOW,
      claims: { jti: JSON.parse(atob(proof.split(".")[1]!)).jti },
    });
    await expect(verifyDpopProof(fromOther, { ...base, replay })).resolves.toBeDefined();
  });

  test("keys the store by thumbprint and jti, within its length limit, expiring with the window", async () => {
    const seen: [string, number, number][] = [];
    const replay = {
      use(id: string, expiresAt: number, now: number) {
        seen.push([id, expiresAt, now]);
        return true;
      },
    };
    const key = await testKey("ES256");
    const jti = "j".repeat(256);
    await verifyDpopProof(await makeProof({ key, now: NOW, claims: { jti } }), { ...base, replay });
    expect(seen).toEqual([[`${await computeJwkThumbprint(key.jwk)}:${jti}`, NOW + 305_001, NOW]]);
  });

  test("does not use the jti of a proof that fails another check", async () => {
    const seen: string[] = [];
    const replay = {
      use(id: string) {
        seen.push(id);
        return true;
      },
    };
    await refusal(await makeProof({ now: NOW, claims: { htm: "POST" } }), { replay });
    await refusal(await makeProof({ now: NOW }), { replay, accessToken: "t" });
    expect(seen).toEqual([]);
  });

  test("a store that fails makes verification reject (fail closed)", async () => {
    const replay = { use: () => Promise.reject(new Error("store down")) };
    await expect(verifyDpopProof(await makeProof({ now: NOW }), { ...base, replay })).rejects.toThrow("store down");
  });
});

describe("verifyDpopProof() arguments", () => {
  test("wrong arguments are TypeError or RangeError, never DpopError", async () => {
    const proof = await makeProof({ now: NOW });
    await expect(verifyDpopProof(proof, { ...base, url: "/data" })).rejects.toThrow(TypeError);
    await expect(verifyDpopProof(proof, { ...base, method: "" })).rejects.toThrow(TypeError);
    await expect(verifyDpopProof(proof, undefined as never)).rejects.toThrow(TypeError);
    await expect(verifyDpopProof(proof, { ...base, accessToken: "" })).rejects.toThrow(TypeError);
    await expect(verifyDpopProof(proof, { ...base, algorithms: ["HS256" as never] })).rejects.toThrow(RangeError);
    await expect(verifyDpopProof(proof, { ...base, algorithms: [] })).rejects.toThrow(RangeError);
    await expect(verifyDpopProof(proof, { ...base, maxAge: 0 })).rejects.toThrow(RangeError);
    await expect(verifyDpopProof(proof, { ...base, leeway: -1 })).rejects.toThrow(RangeError);
    await expect(verifyDpopProof(proof, { ...base, replay: {} as never })).rejects.toThrow(TypeError);
    await expect(verifyDpopProof(proof, { ...base, nonce: { secret: "short" } })).rejects.toThrow(RangeError);
    await expect(verifyDpopProof(7 as never, base)).rejects.toSatisfy(isDpopError);
  });

  test("random mutations of a proof are refused with a DpopError, never anything else", async () => {
    const proof = await makeProof({ now: NOW });
    const alphabet = "AZaz09-_.=+/ %\u0000\u00ff\u20ac";
    let seed = 7;
    const random = (limit: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % limit;
    };
    for (let round = 0; round < 300; round++) {
      const chars = [...proof];
      for (let edits = 1 + random(3); edits > 0; edits--)
        chars[random(chars.length)] = alphabet[random(alphabet.length)]!;
      const mutated = chars.join("");
      if (mutated === proof) continue;
      await expect(verifyDpopProof(mutated, base)).rejects.toSatisfy(isDpopError);
    }
  });
});
