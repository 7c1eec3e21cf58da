import { describe, expect, test } from "vitest";
import { makeProof, testKey } from "../../test/dpop/support.ts";
import { createAuthenticator } from "../authenticator.ts";
import { parseResourceChallenges } from "../oauth/challenge-reader.ts";
import { computeDpopAccessTokenHash, computeJwkThumbprint } from "../schemes/dpop/keys.ts";
import { createDpopNonce } from "../schemes/dpop/nonce.ts";
import { createMemoryReplayStore } from "../stores/replay.ts";
import { bearerAuth } from "./bearer.ts";
import type { DpopAuthOptions } from "./dpop.ts";
import { dpopAuth } from "./dpop.ts";

const NOW = 1_760_000_000_000;
const SECRET = "a secret of at least sixteen bytes";
const TOKEN = "t0k3n";

async function setup(options: Partial<DpopAuthOptions<string>> = {}, jkt?: string) {
  const key = await testKey("ES256");
  const bound = jkt ?? (await computeJwkThumbprint(key.jwk));
  const policy = dpopAuth<string>({
    origin: "https://api.example",
    verify: (token) => (token === TOKEN ? { identity: "ada", scopes: ["read"], cnf: { jkt: bound } } : undefined),
    ...options,
  });
  return { key, policy, authenticator: createAuthenticator({ schemes: [policy], now: () => NOW }) };
}

function request(proof: string | undefined, authorization = `DPoP ${TOKEN}`, url = "/data") {
  return {
    method: "GET",
    url,
    header: (name: string) => (name === "authorization" ? authorization : name === "dpop" ? proof : undefined),
  };
}

async function proofFor(claims: Record<string, unknown> = {}, key?: Awaited<ReturnType<typeof testKey>>) {
  return makeProof({ now: NOW, key, claims: { ath: await computeDpopAccessTokenHash(TOKEN), ...claims } });
}

describe("dpopAuth()", () => {
  test("accepts a bound token with a valid proof", async () => {
    const { authenticator } = await setup();
    expect(await authenticator.authenticate(request(await proofFor()))).toEqual({
      ok: true,
      scheme: "dpop",
      identity: "ada",
      headers: [],
    });
  });

  test("no credentials: a DPoP challenge with algs beside Bearer, one line each", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        dpopAuth({ algorithms: ["ES256", "PS256"], verify: () => undefined }),
        bearerAuth({ realm: "api", verify: () => undefined }),
      ],
    });
    const outcome = await authenticator.authenticate({ method: "GET", url: "/", header: () => undefined });
    expect(outcome.ok === false && outcome.headers.slice(0, 2)).toEqual([
      ["WWW-Authenticate", 'DPoP algs="ES256 PS256"'],
      ["WWW-Authenticate", 'Bearer realm="api"'],
    ]);
  });

  test("a missing or doubled DPoP field, a proof for another token or another key: 401", async () => {
    const { authenticator } = await setup();
    const proof = await proofFor();
    for (const [bad, error] of [
      [request(undefined), "invalid_dpop_proof"],
      [request(`${proof}, ${proof}`), "invalid_dpop_proof"],
      [request(await makeProof({ now: NOW })), "invalid_dpop_proof"],
      [request(await proofFor({}, await testKey("ES256", "other"))), "invalid_token"],
      [request(await proofFor(), "DPoP other"), "invalid_dpop_proof"],
    ] as const) {
      const outcome = await authenticator.authenticate(bad);
      expect(outcome.ok === false && [outcome.status, outcome.headers[0]?.[1]]).toEqual([
        401,
        `DPoP error="${error}", algs="ES256 ES384 ES512 RS256 PS256 EdDSA"`,
      ]);
    }
  });

  test("a malformed token is 400 invalid_request; a refused one or one without cnf 401 invalid_token", async () => {
    const { authenticator } = await setup();
    const bad = await authenticator.authenticate(request(await proofFor(), "DPoP a,b"));
    expect(bad.ok === false && bad.status).toBe(400);
    const unbound = createAuthenticator({
      schemes: [dpopAuth({ origin: "https://api.example", verify: () => ({ identity: "x" }) as never })],
      now: () => NOW,
    });
    const outcome = await unbound.authenticate(request(await proofFor()));
    expect(outcome.ok === false && outcome.reason).toBe("invalid-token");
  });

  test("a DPoP-bound token sent as Bearer is refused (RFC 9449 §7.2)", async () => {
    const authenticator = createAuthenticator({
      schemes: [bearerAuth({ verify: () => ({ identity: "ada", cnf: { jkt: "x".repeat(43) } }) })],
    });
    const outcome = await authenticator.authenticate(request(undefined, `Bearer ${TOKEN}`));
    expect(outcome.ok === false && [outcome.status, outcome.reason]).toEqual([401, "invalid-token"]);
  });

  test("nonces: use_dpop_nonce with DPoP-Nonce, then success; a fresh nonce once renewAfter passed", async () => {
    const { authenticator } = await setup({ nonce: { secret: SECRET, maxAge: 300, renewAfter: 60 } });
    const first = await authenticator.authenticate(request(await proofFor()));
    expect(first.ok).toBe(false);
    if (first.ok) return;
    expect(first.headers[0]?.[1]).toMatch(/^DPoP error="use_dpop_nonce", algs=/);
    const nonce = first.headers.find(([name]) => name === "DPoP-Nonce")?.[1];
    expect(nonce).toHaveLength(48);
    expect(parseResourceChallenges(first.headers[0]![1])[0]?.error).toBe("use_dpop_nonce");
    const ok = await authenticator.authenticate(request(await proofFor({ nonce })));
    expect(ok).toMatchObject({ ok: true, headers: [] });
    const older = await createDpopNonce({ secret: SECRET, now: NOW - 61_000 });
    const renewed = await authenticator.authenticate(request(await proofFor({ nonce: older })));
    expect(renewed.ok && renewed.headers[0]?.[0]).toBe("DPoP-Nonce");
    const foreign = await createDpopNonce({ secret: "another secret, sixteen bytes", now: NOW });
    const refused = await authenticator.authenticate(request(await proofFor({ nonce: foreign })));
    expect(refused.ok === false && refused.reason).toBe("use-dpop-nonce");
  });

  test("replay: many identical proofs at once, exactly one accepted; a store shared by two instances", async () => {
    const { authenticator } = await setup();
    const proof = await proofFor();
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => authenticator.authenticate(request(proof))));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(1);
    const replay = createMemoryReplayStore();
    const one = await setup({ replay });
    const two = await setup({ replay });
    const shared = await proofFor();
    expect((await one.authenticator.authenticate(request(shared))).ok).toBe(true);
    const again = await two.authenticator.authenticate(request(shared));
    expect(again.ok === false && again.reason).toBe("invalid-dpop-proof");
  });

  test("origin: a path without origin is a TypeError; an absolute request URL needs none", async () => {
    const policy = dpopAuth({ verify: () => undefined });
    const authenticator = createAuthenticator({ schemes: [policy], now: () => NOW });
    await expect(authenticator.authenticate(request(await proofFor()))).rejects.toThrow(TypeError);
    const absolute = await authenticator.authenticate(request(await proofFor(), undefined, "https://api.example/data"));
    expect(absolute.ok === false && absolute.reason).toBe("invalid-token");
    expect(() => dpopAuth({ origin: "https://api.example/path", verify: () => undefined })).toThrow(TypeError);
    expect(() => dpopAuth({ origin: "api.example", verify: () => undefined })).toThrow(TypeError);
    const fn = await setup({ origin: () => "https://api.example" });
    expect((await fn.authenticator.authenticate(request(await proofFor()))).ok).toBe(true);
  });

  test("step-up (RFC 9470): verify's demand is 401 insufficient_user_authentication on the DPoP challenge", async () => {
    const demands: Record<string, unknown> = {
      stale: { error: "insufficient_user_authentication", acrValues: ["phr", "phrh"], maxAge: 0 },
      bare: { error: "insufficient_user_authentication" },
    };
    const authenticator = createAuthenticator({
      schemes: [
        dpopAuth({
          realm: "api",
          origin: "https://api.example",
          algorithms: ["ES256"],
          verify: (token) => demands[token] as never,
        }),
        bearerAuth({ realm: "api", verify: () => undefined }),
      ],
      now: () => NOW,
    });
    const proof = async (token: string) =>
      makeProof({ now: NOW, claims: { ath: await computeDpopAccessTokenHash(token) } });
    const outcome = await authenticator.authenticate(request(await proof("stale"), "DPoP stale"));
    expect(outcome.ok === false && [outcome.status, outcome.reason]).toEqual([401, "insufficient-user-authentication"]);
    expect(outcome.ok === false && outcome.headers.filter(([name]) => name === "WWW-Authenticate")).toEqual([
      [
        "WWW-Authenticate",
        'DPoP realm="api", error="insufficient_user_authentication", algs="ES256", acr_values="phr phrh", max_age="0"',
      ],
      ["WWW-Authenticate", 'Bearer realm="api"'],
    ]);
    const [read] = parseResourceChallenges(outcome.ok ? [] : [outcome.headers[0]![1]]);
    expect(read).toMatchObject({
      scheme: "dpop",
      error: "insufficient_user_authentication",
      acrValues: ["phr", "phrh"],
    });
    const bare = await authenticator.authenticate(request(await proof("bare"), "DPoP bare"));
    expect(bare.ok === false && bare.headers[0]).toEqual([
      "WWW-Authenticate",
      'DPoP realm="api", error="insufficient_user_authentication", algs="ES256"',
    ]);
    // The proof is checked first: a demand is never the answer to a bad proof.
    const wrongProof = await authenticator.authenticate(request(await proof("other"), "DPoP stale"));
    expect(wrongProof.ok === false && wrongProof.reason).toBe("invalid-dpop-proof");
  });

  test("scopes, route scopes, resource_metadata and openapi", async () => {
    const { authenticator } = await setup({
      realm: "api",
      resourceMetadata: "https://api.example/.well-known/oauth-protected-resource",
    });
    const outcome = await authenticator.authenticate(request(await proofFor()), { scopes: ["admin"] });
    expect(outcome.ok === false && [outcome.status, outcome.headers[0]?.[1]]).toEqual([
      403,
      'DPoP realm="api", scope="admin", error="insufficient_scope", algs="ES256 ES384 ES512 RS256 PS256 EdDSA", resource_metadata="https://api.example/.well-known/oauth-protected-resource"',
    ]);
    const { policy } = await setup({ scopes: ["read"] });
    expect(policy.openapi()).toMatchObject({ type: "http", scheme: "dpop" });
    expect(() => dpopAuth({ algorithms: ["HS256" as never], verify: () => undefined })).toThrow(RangeError);
  });
});
