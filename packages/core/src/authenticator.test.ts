import { describe, expect, test } from "vitest";
import type { AuthFailure, AuthOutcome, AuthRequest, HeaderLine } from "./index.ts";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  createMemoryThrottleStore,
  digestAuth,
  parseAuthParams,
  parseChallenges,
  serializeBasicCredentials,
  serializeCredentials,
  verifyDigestAuthenticationInfo,
} from "./index.ts";

const SECRET = "0123456789abcdef-server-secret";
const USERS: Record<string, string> = { alice: "wonderland", jäsøn: "pässwörd" };

function request(headers: Record<string, string> = {}, extra: Partial<AuthRequest> = {}): AuthRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: "GET", url: "/resource", header: (name) => lower[name.toLowerCase()], ...extra };
}

function basicHeader(username: string, password: string): string {
  return serializeBasicCredentials({ username, password });
}

const basic = basicAuth({
  realm: "api",
  verify: (username, password) => (USERS[username] === password ? { user: username } : undefined),
});
const bearer = bearerAuth({
  realm: "api",
  scopes: ["read"],
  verify: (token) => {
    if (token === "good") return { identity: { user: "svc" }, scopes: ["read", "write"] };
    if (token === "narrow") return { identity: { user: "svc" }, scopes: ["write"] };
    return undefined;
  },
});
const digest = digestAuth({
  realm: "api",
  secret: SECRET,
  algorithms: ["SHA-256", "MD5"],
  password: (username) => USERS[username],
});

function failure(outcome: AuthOutcome<unknown>): AuthFailure {
  if (outcome.ok) throw new Error("expected a failure");
  return outcome;
}

function lines(headers: readonly HeaderLine[], name: string): string[] {
  return headers.filter(([header]) => header.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}

describe("the outcome table", () => {
  const authenticator = createAuthenticator({ schemes: [digest, basic, bearer] });

  test("no credentials: 401 with one challenge line per scheme, in configured order, Bearer without error", async () => {
    const outcome = failure(await authenticator.authenticate(request()));
    expect(outcome.status).toBe(401);
    expect(outcome.reason).toBe("missing-credentials");
    const challenges = lines(outcome.headers, "WWW-Authenticate");
    expect(challenges).toHaveLength(4);
    const parsed = challenges.map((line) => parseChallenges(line));
    expect(parsed.every((list) => list.length === 1)).toBe(true);
    expect(parsed.map(([challenge]) => [challenge?.scheme, challenge?.params.algorithm])).toEqual([
      ["digest", "SHA-256"],
      ["digest", "MD5"],
      ["basic", undefined],
      ["bearer", undefined],
    ]);
    expect(challenges[2]).toBe('Basic realm="api", charset="UTF-8"');
    expect(challenges[3]).toBe('Bearer realm="api"');
    expect(parsed.every(([challenge]) => challenge?.params.realm === "api")).toBe(true);
  });

  test("a scheme that is not configured: 401 with every challenge", async () => {
    const outcome = failure(await authenticator.authenticate(request({ Authorization: "Negotiate abc" })));
    expect([outcome.status, outcome.reason]).toEqual([401, "unsupported-scheme"]);
    expect(lines(outcome.headers, "WWW-Authenticate")).toHaveLength(4);
  });

  test("malformed Basic (bad base64, no colon): 401 with every challenge", async () => {
    for (const header of ["Basic !!!", "Basic QWxhZGRpbg==", "Basic", "Basic QWxh ZGRp"]) {
      const outcome = failure(await authenticator.authenticate(request({ Authorization: header })));
      expect([header, outcome.status, outcome.reason]).toEqual([header, 401, "malformed-credentials"]);
      expect(lines(outcome.headers, "WWW-Authenticate")).toHaveLength(4);
    }
  });

  test("a wrong password (Basic): 401 with every challenge", async () => {
    const outcome = failure(await authenticator.authenticate(request({ Authorization: basicHeader("alice", "nope") })));
    expect([outcome.status, outcome.reason]).toEqual([401, "invalid-credentials"]);
    expect(lines(outcome.headers, "WWW-Authenticate")).toHaveLength(4);
  });

  test("a wrong password (Digest): 401 with every challenge", async () => {
    const first = failure(await authenticator.authenticate(request()));
    const [challenge] = parseChallenges(lines(first.headers, "WWW-Authenticate")[0] ?? "");
    const credentials = await computeDigestCredentials(challenge!, {
      username: "alice",
      password: "wrong",
      method: "GET",
      uri: "/resource",
    });
    const outcome = failure(
      await authenticator.authenticate(request({ Authorization: serializeCredentials(credentials) })),
    );
    expect([outcome.status, outcome.reason]).toEqual([401, "invalid-credentials"]);
    expect(lines(outcome.headers, "WWW-Authenticate")).toHaveLength(4);
  });

  test("malformed Bearer: 400 with Bearer error=invalid_request", async () => {
    for (const header of ["Bearer a,b", "Bearer", "Bearer a b", 'Bearer "quoted"']) {
      const outcome = failure(await authenticator.authenticate(request({ Authorization: header })));
      expect([header, outcome.status, outcome.reason]).toEqual([header, 400, "invalid-request"]);
      expect(lines(outcome.headers, "WWW-Authenticate")).toEqual(['Bearer realm="api", error="invalid_request"']);
    }
  });

  test("a Bearer token sent in more than one place: 400 invalid_request", async () => {
    const everywhere = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          sources: { query: true, body: true },
          verify: (token) => (token === "good" ? { identity: "svc" } : undefined),
        }),
      ],
    });
    const form = new TextEncoder().encode("access_token=good");
    const cases: AuthRequest[] = [
      request({ Authorization: "Bearer good" }, { url: "/r?access_token=good" }),
      request({}, { url: "/r?access_token=good&access_token=good" }),
      request(
        { "Content-Type": "application/x-www-form-urlencoded" },
        { method: "POST", url: "/r?access_token=good", body: async () => form },
      ),
      request(
        { Authorization: "Bearer good", "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
        { method: "POST", body: async () => form },
      ),
    ];
    for (const each of cases) {
      const outcome = failure(await everywhere.authenticate(each));
      expect([outcome.status, outcome.reason]).toEqual([400, "invalid-request"]);
      expect(lines(outcome.headers, "WWW-Authenticate")).toEqual(['Bearer realm="api", error="invalid_request"']);
    }
    // Each source alone works.
    for (const each of [
      request({}, { url: "/r?access_token=good" }),
      request({ "Content-Type": "application/x-www-form-urlencoded" }, { method: "POST", body: async () => form }),
      request({ Authorization: "Bearer good" }),
    ]) {
      expect(await everywhere.authenticate(each)).toMatchObject({ ok: true, identity: "svc" });
    }
  });

  test("Bearer body and query sources are off by default, and a GET body never counts", async () => {
    const form = new TextEncoder().encode("access_token=good");
    expect(failure(await authenticator.authenticate(request({}, { url: "/r?access_token=good" }))).reason).toBe(
      "missing-credentials",
    );
    const bodyOnly = createAuthenticator({
      schemes: [bearerAuth({ sources: { body: true }, verify: () => ({ identity: 1 }) })],
    });
    const get = request({ "Content-Type": "application/x-www-form-urlencoded" }, { body: async () => form });
    expect(failure(await bodyOnly.authenticate(get)).reason).toBe("missing-credentials");
    const json = request({ "Content-Type": "application/json" }, { method: "POST", body: async () => form });
    expect(failure(await bodyOnly.authenticate(json)).reason).toBe("missing-credentials");
  });

  test("a rejected Bearer token: 401, Bearer with error=invalid_token, every challenge", async () => {
    const outcome = failure(await authenticator.authenticate(request({ Authorization: "Bearer expired" })));
    expect([outcome.status, outcome.reason]).toEqual([401, "invalid-token"]);
    const challenges = lines(outcome.headers, "WWW-Authenticate");
    expect(challenges).toHaveLength(4);
    expect(challenges[3]).toBe('Bearer realm="api", error="invalid_token"');
  });

  test("a valid Bearer token without the scope: 403 insufficient_scope with the scope", async () => {
    const outcome = failure(await authenticator.authenticate(request({ Authorization: "Bearer narrow" })));
    expect([outcome.status, outcome.reason]).toEqual([403, "insufficient-scope"]);
    expect(lines(outcome.headers, "WWW-Authenticate")).toEqual([
      'Bearer realm="api", scope="read", error="insufficient_scope"',
    ]);
  });

  test("an expired Digest nonce with an otherwise right response: 401 with stale=true", async () => {
    let now = 1_700_000_000_000;
    const clocked = createAuthenticator({ schemes: [digest, basic], now: () => now });
    const first = failure(await clocked.authenticate(request()));
    const [challenge] = parseChallenges(lines(first.headers, "WWW-Authenticate")[0] ?? "");
    const credentials = serializeCredentials(
      await computeDigestCredentials(challenge!, {
        username: "alice",
        password: "wonderland",
        method: "GET",
        uri: "/resource",
      }),
    );
    now += 301_000;
    const outcome = failure(await clocked.authenticate(request({ Authorization: credentials })));
    expect([outcome.status, outcome.reason]).toEqual([401, "stale-nonce"]);
    const challenges = lines(outcome.headers, "WWW-Authenticate").map((line) => parseChallenges(line)[0]);
    expect(challenges.map((each) => each?.params.stale)).toEqual(["true", "true", undefined]);
    expect(challenges[0]?.params.nonce).not.toBe(challenge?.params.nonce);
    // The same credentials with a wrong password are not stale: they are wrong.
    const wrong = serializeCredentials(
      await computeDigestCredentials(challenge!, {
        username: "alice",
        password: "nope",
        method: "GET",
        uri: "/resource",
      }),
    );
    expect(failure(await clocked.authenticate(request({ Authorization: wrong }))).reason).toBe("invalid-credentials");
  });

  test("proxy: 407 with Proxy-Authenticate, credentials from Proxy-Authorization", async () => {
    const proxy = createAuthenticator({ schemes: [basic], proxy: true });
    const missing = failure(await proxy.authenticate(request({ Authorization: basicHeader("alice", "wonderland") })));
    expect(missing.status).toBe(407);
    expect(lines(missing.headers, "Proxy-Authenticate")).toEqual(['Basic realm="api", charset="UTF-8"']);
    expect(lines(missing.headers, "WWW-Authenticate")).toEqual([]);
    const wrong = failure(await proxy.authenticate(request({ "Proxy-Authorization": basicHeader("alice", "x") })));
    expect([wrong.status, wrong.reason]).toEqual([407, "invalid-credentials"]);
    const ok = await proxy.authenticate(request({ "Proxy-Authorization": basicHeader("alice", "wonderland") }));
    expect(ok).toEqual({ ok: true, scheme: "basic", identity: { user: "alice" }, headers: [] });
  });

  test("proxy Digest answers with Proxy-Authentication-Info", async () => {
    const proxy = createAuthenticator({ schemes: [digest], proxy: true });
    const first = failure(await proxy.authenticate(request()));
    const [challenge] = parseChallenges(lines(first.headers, "Proxy-Authenticate")[0] ?? "");
    const credentials = serializeCredentials(
      await computeDigestCredentials(challenge!, {
        username: "alice",
        password: "wonderland",
        method: "GET",
        uri: "/resource",
      }),
    );
    const outcome = await proxy.authenticate(request({ "Proxy-Authorization": credentials }));
    expect(outcome.ok).toBe(true);
    expect(outcome.ok && lines(outcome.headers, "Proxy-Authentication-Info")).toHaveLength(1);
  });

  test("missingCredentialsStatus 403: 403 with no challenge, and only when there are no credentials", async () => {
    const legacy = createAuthenticator({ schemes: [basic], missingCredentialsStatus: 403 });
    const missing = failure(await legacy.authenticate(request()));
    expect([missing.status, missing.reason]).toEqual([403, "missing-credentials"]);
    expect(lines(missing.headers, "WWW-Authenticate")).toEqual([]);
    const wrong = failure(await legacy.authenticate(request({ Authorization: basicHeader("alice", "x") })));
    expect(wrong.status).toBe(401);
    expect(lines(wrong.headers, "WWW-Authenticate")).toHaveLength(1);
  });

  test("success: the identity verify returned", async () => {
    expect(await authenticator.authenticate(request({ Authorization: basicHeader("alice", "wonderland") }))).toEqual({
      ok: true,
      scheme: "basic",
      identity: { user: "alice" },
      headers: [],
    });
    expect(
      await authenticator.authenticate(request({ Authorization: basicHeader("jäsøn", "pässwörd") })),
    ).toMatchObject({
      ok: true,
      identity: { user: "jäsøn" },
    });
    expect(await authenticator.authenticate(request({ Authorization: "bearer good" }))).toEqual({
      ok: true,
      scheme: "bearer",
      identity: { user: "svc" },
      headers: [],
    });
  });

  test("success with Digest: Authentication-Info whose rspauth the client verifies", async () => {
    const first = failure(await authenticator.authenticate(request()));
    for (const line of lines(first.headers, "WWW-Authenticate").slice(0, 2)) {
      const [challenge] = parseChallenges(line);
      const credentials = await computeDigestCredentials(challenge!, {
        username: "alice",
        password: "wonderland",
        method: "GET",
        uri: "/resource",
      });
      const outcome = await authenticator.authenticate(request({ Authorization: serializeCredentials(credentials) }));
      expect(outcome).toMatchObject({ ok: true, scheme: "digest", identity: "alice" });
      const [info] = outcome.ok ? lines(outcome.headers, "Authentication-Info") : [];
      expect(parseAuthParams(info ?? "").rspauth).toMatch(/^[0-9a-f]+$/);
      await verifyDigestAuthenticationInfo(info ?? "", credentials, { password: "wonderland" });
      // A replay of the same nc is refused: stale=true and a fresh nonce, not a wrong password.
      const replay = failure(
        await authenticator.authenticate(request({ Authorization: serializeCredentials(credentials) })),
      );
      expect(replay.reason).toBe("stale-nonce");
    }
  });
});

describe("Digest auth-int", () => {
  test("auth-int authenticates the request body and sends no Authentication-Info (rspauth would cover the unknown response body)", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret: SECRET, qop: ["auth-int"], password: (username) => USERS[username] }),
      ],
    });
    const body = new TextEncoder().encode("amount=100");
    const first = failure(await authenticator.authenticate(request({}, { method: "POST" })));
    const [challenge] = parseChallenges(lines(first.headers, "WWW-Authenticate")[0] ?? "");
    expect(challenge?.params.qop).toBe("auth-int");
    const credentials = await computeDigestCredentials(challenge!, {
      username: "alice",
      password: "wonderland",
      method: "POST",
      uri: "/resource",
      body,
    });
    const header = { Authorization: serializeCredentials(credentials) };
    const outcome = await authenticator.authenticate(request(header, { method: "POST", body: async () => body }));
    expect(outcome).toEqual({ ok: true, scheme: "digest", identity: "alice", headers: [] });
    const tampered = new TextEncoder().encode("amount=999");
    const again = await computeDigestCredentials(challenge!, {
      username: "alice",
      password: "wonderland",
      method: "POST",
      uri: "/resource",
      body,
    });
    const refused = await authenticator.authenticate(
      request({ Authorization: serializeCredentials(again) }, { method: "POST", body: async () => tampered }),
    );
    expect(failure(refused).reason).toBe("invalid-credentials");
  });
});

describe("callbacks", () => {
  test("verify may be async", async () => {
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "r", verify: async (username) => (username === "a" ? 42 : undefined) })],
    });
    expect(await authenticator.authenticate(request({ Authorization: basicHeader("a", "") }))).toMatchObject({
      ok: true,
      identity: 42,
    });
  });

  test("an exception thrown by verify propagates instead of becoming a 401", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "r",
          verify: () => {
            throw new Error("user store down");
          },
        }),
        bearerAuth({ verify: async () => Promise.reject(new Error("introspection down")) }),
      ],
    });
    await expect(authenticator.authenticate(request({ Authorization: basicHeader("a", "b") }))).rejects.toThrow(
      "user store down",
    );
    await expect(authenticator.authenticate(request({ Authorization: "Bearer x" }))).rejects.toThrow(
      "introspection down",
    );
  });

  test("verify refuses with undefined, null or false, and accepts 0 or an empty string as identities", async () => {
    for (const [returned, ok] of [
      [undefined, false],
      [null, false],
      [false, false],
      [0, true],
      ["", true],
    ] as const) {
      const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "r", verify: () => returned })] });
      const outcome = await authenticator.authenticate(request({ Authorization: basicHeader("a", "b") }));
      expect([returned, outcome.ok]).toEqual([returned, ok]);
    }
  });
});

describe("bodies", () => {
  test("failure bodies are short plain text by default", async () => {
    const authenticator = createAuthenticator({ schemes: [basic] });
    const outcome = failure(await authenticator.authenticate(request()));
    expect(lines(outcome.headers, "Content-Type")).toEqual(["text/plain; charset=utf-8"]);
    expect(outcome.body).toBe("401 Unauthorized: Authentication is required.\n");
  });

  test("problemDetails gives RFC 9457 application/problem+json", async () => {
    const authenticator = createAuthenticator({ schemes: [bearer], problemDetails: true });
    const outcome = failure(await authenticator.authenticate(request({ Authorization: "Bearer narrow" })));
    expect(lines(outcome.headers, "Content-Type")).toEqual(["application/problem+json"]);
    expect(JSON.parse(outcome.body)).toEqual({
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      detail: "The access token does not grant the scope this resource needs.",
    });
  });

  test("no output of a failure contains the credentials", async () => {
    const secret = "pl4nted-SECRET";
    const authenticator = createAuthenticator({ schemes: [digest, basic, bearer], problemDetails: true });
    for (const header of [
      basicHeader("alice", secret),
      basicHeader(secret, "x"),
      `Bearer ${secret}`,
      `Bearer ${secret}!`,
      `Basic ${secret}`,
      `Digest username="${secret}", realm="api"`,
      `Digest username="alice", response="${secret}"`,
    ]) {
      const outcome = failure(await authenticator.authenticate(request({ Authorization: header })));
      expect(JSON.stringify(outcome)).not.toContain(secret);
    }
  });
});

describe("throttling", () => {
  test("after maxFailures failures in the window: 429 with Retry-After, without checking credentials", async () => {
    let now = 1_000_000;
    let checks = 0;
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "r",
          verify: (username, password) => {
            checks++;
            return password === "right" ? username : undefined;
          },
        }),
      ],
      throttle: { maxFailures: 3, window: 60 },
      now: () => now,
    });
    const wrong = request({ Authorization: basicHeader("alice", "wrong") }, { clientAddress: "192.0.2.1" });
    const right = request({ Authorization: basicHeader("alice", "right") }, { clientAddress: "192.0.2.1" });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(failure(await authenticator.authenticate(wrong)).status).toBe(401);
      now += 1000;
    }
    const throttled = failure(await authenticator.authenticate(right));
    expect([throttled.status, throttled.reason]).toEqual([429, "throttled"]);
    expect(lines(throttled.headers, "Retry-After")).toEqual(["57"]);
    expect(lines(throttled.headers, "WWW-Authenticate")).toEqual([]);
    expect(checks).toBe(3);
    // Another user from the same address, and the same user from another address, are not throttled.
    const other = request({ Authorization: basicHeader("bob", "right") }, { clientAddress: "192.0.2.1" });
    expect((await authenticator.authenticate(other)).ok).toBe(true);
    const elsewhere = request({ Authorization: basicHeader("alice", "right") }, { clientAddress: "192.0.2.2" });
    expect((await authenticator.authenticate(elsewhere)).ok).toBe(true);
    // When the window closes, the right password works, and success resets the count.
    now += 58_000;
    expect((await authenticator.authenticate(right)).ok).toBe(true);
    expect(failure(await authenticator.authenticate(wrong)).status).toBe(401);
    expect(failure(await authenticator.authenticate(wrong)).status).toBe(401);
    expect((await authenticator.authenticate(right)).ok).toBe(true);
  });

  test("requests without credentials are not counted", async () => {
    const authenticator = createAuthenticator({ schemes: [basic], throttle: { maxFailures: 1, window: 60 } });
    const from = { clientAddress: "192.0.2.1" };
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(failure(await authenticator.authenticate(request({}, from))).status).toBe(401);
    }
    const right = request({ Authorization: basicHeader("alice", "wonderland") }, from);
    expect((await authenticator.authenticate(right)).ok).toBe(true);
  });

  test("a shared store counts failures from several authenticators", async () => {
    const store = createMemoryThrottleStore();
    const make = () => createAuthenticator({ schemes: [basic], throttle: { maxFailures: 2, window: 60, store } });
    const [first, second] = [make(), make()];
    const wrong = request({ Authorization: basicHeader("alice", "x") }, { clientAddress: "203.0.113.9" });
    await first.authenticate(wrong);
    await second.authenticate(wrong);
    expect(failure(await first.authenticate(wrong)).status).toBe(429);
  });

  test("createMemoryThrottleStore() refuses a bound that is not a positive whole number", () => {
    expect(() => createMemoryThrottleStore({ maxKeys: 0 })).toThrow(RangeError);
  });
});

describe("configuration", () => {
  test("a Basic scheme without realm cannot be configured", () => {
    for (const realm of ["", "  ", undefined]) {
      expect(() => basicAuth({ realm, verify: () => 1 } as unknown as Parameters<typeof basicAuth>[0])).toThrow(
        TypeError,
      );
    }
  });

  test("createAuthenticator() refuses empty, foreign or repeated schemes and bad options", () => {
    expect(() => createAuthenticator({ schemes: [] })).toThrow(TypeError);
    expect(() => createAuthenticator({ schemes: [{ scheme: "basic", realm: "x" }] })).toThrow(TypeError);
    expect(() => createAuthenticator({ schemes: [basic, basic] })).toThrow(TypeError);
    expect(() => createAuthenticator({ schemes: [basic], missingCredentialsStatus: 404 as unknown as 401 })).toThrow(
      TypeError,
    );
    expect(() => createAuthenticator({ schemes: [basic], throttle: { maxFailures: 0, window: 1 } })).toThrow(
      RangeError,
    );
    expect(() => createAuthenticator({ schemes: [basic], throttle: { maxFailures: 1, window: 0 } })).toThrow(
      RangeError,
    );
    expect(() => createAuthenticator({ schemes: [basic], maxLength: -1 })).toThrow(RangeError);
  });

  test("digestAuth() refuses a short secret, and both or neither of password and ha1", () => {
    expect(() => digestAuth({ realm: "r", secret: "short", password: () => "x" })).toThrow(RangeError);
    expect(() => digestAuth({ realm: "r", secret: SECRET })).toThrow(TypeError);
    expect(() => digestAuth({ realm: "r", secret: SECRET, password: () => "x", ha1: () => "y" })).toThrow(TypeError);
    expect(() => digestAuth({ realm: " ", secret: SECRET, password: () => "x" })).toThrow(TypeError);
  });

  test("digestAuth() refuses a realm, opaque or domain that could never be sent, at start-up", () => {
    const base = { secret: SECRET, password: () => "x" };
    expect(() => digestAuth({ ...base, realm: "a\r\nb" })).toThrow(TypeError);
    expect(() => digestAuth({ ...base, realm: "r", opaque: "a\nb" })).toThrow(TypeError);
    expect(() => digestAuth({ ...base, realm: "r", domain: ["/a b"] })).toThrow(TypeError);
    expect(() => digestAuth({ ...base, realm: "r\u2603" })).toThrow(TypeError);
  });

  test("bearerAuth() refuses scopes outside RFC 6750 §3", () => {
    expect(() => bearerAuth({ verify: () => undefined, scopes: ['a"b'] })).toThrow(TypeError);
  });

  test("oversized credentials are malformed, not a crash", async () => {
    const authenticator = createAuthenticator({ schemes: [basic, bearer], maxLength: 100 });
    const outcome = failure(
      await authenticator.authenticate(request({ Authorization: `Basic ${"QUFB".repeat(100)}` })),
    );
    expect([outcome.status, outcome.reason]).toEqual([401, "malformed-credentials"]);
    const big = failure(await authenticator.authenticate(request({ Authorization: `Bearer ${"a".repeat(200)}` })));
    expect([big.status, big.reason]).toEqual([400, "invalid-request"]);
  });

  test("openapi() lists the configured schemes as OpenAPI 3.1 security schemes", () => {
    const authenticator = createAuthenticator({
      schemes: [digest, basic, bearerAuth({ verify: () => undefined, bearerFormat: "JWT" })],
    });
    const entries = authenticator.openapi();
    expect(Object.keys(entries)).toEqual(["digestAuth", "basicAuth", "bearerAuth"]);
    expect(entries.basicAuth).toMatchObject({ type: "http", scheme: "basic" });
    expect(entries.bearerAuth).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(entries.digestAuth).toMatchObject({ type: "http", scheme: "digest" });
  });
});
