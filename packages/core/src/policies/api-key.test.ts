// apiKeyAuth(): a key in a header of its own or under an auth-scheme of its
// own; malformed, oversized and hostile keys; the challenge on every 401;
// throttling attacked by key guessing; the keys map; openapi().

import { describe, expect, test } from "vitest";
import type { AuthOutcome, AuthRequest } from "../index.ts";
import { apiKeyAuth, basicAuth, createAuthenticator, serializeBasicCredentials } from "../index.ts";

/** A request with these header fields (names compared case-insensitively, as every runtime does). */
function request(fields: Record<string, string>, clientAddress = "192.0.2.1"): AuthRequest {
  const lower = new Map(Object.entries(fields).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: "GET", url: "/", clientAddress, header: (name) => lower.get(name.toLowerCase()) ?? null };
}

function failure(outcome: AuthOutcome<unknown>): [number, string, string[]] | undefined {
  if (outcome.ok) return undefined;
  const challenges = outcome.headers.filter(([name]) => name === "WWW-Authenticate");
  return [outcome.status, outcome.reason, challenges.map(([name, value]) => `${name}: ${value}`)];
}

const KEY = "k3y-0f_the.service~A+/b==";
const HEADER_CHALLENGE = 'WWW-Authenticate: APIKey realm="api", header=X-API-Key';

describe("apiKeyAuth() with a key in a header", () => {
  const seen: string[] = [];
  const authenticator = createAuthenticator({
    schemes: [
      apiKeyAuth({
        realm: "api",
        verify: (key) => {
          seen.push(key);
          return key === KEY ? { service: "a" } : undefined;
        },
      }),
    ],
  });

  test("apiKeyAuth() accepts a key in X-API-Key, whatever the header name's case", async () => {
    for (const name of ["X-API-Key", "x-api-key", "X-Api-KEY"]) {
      expect(await authenticator.authenticate(request({ [name]: KEY }))).toEqual({
        ok: true,
        scheme: "apikey",
        identity: { service: "a" },
        headers: [],
      });
    }
  });

  test("apiKeyAuth() answers 401 with its challenge without a key, and for a wrong one", async () => {
    expect(failure(await authenticator.authenticate(request({})))).toEqual([
      401,
      "missing-credentials",
      [HEADER_CHALLENGE],
    ]);
    expect(failure(await authenticator.authenticate(request({ "X-API-Key": "wrong" })))).toEqual([
      401,
      "invalid-credentials",
      [HEADER_CHALLENGE],
    ]);
  });

  test("apiKeyAuth() refuses malformed, oversized and hostile keys as malformed, never asking verify", async () => {
    seen.length = 0;
    const hostile = [
      "",
      " ",
      `${KEY}, ${KEY}`, // two X-API-Key fields, as runtimes join them
      `${KEY},${KEY}`,
      `${KEY} ${KEY}`,
      `"${KEY}"`,
      "=abc",
      "a=b=c",
      "k\u00e9y",
      "key\u0000",
      "key\r\nX-Injected: 1",
      "a".repeat(257),
      "A".repeat(100_000),
    ];
    for (const value of hostile) {
      expect(failure(await authenticator.authenticate(request({ "X-API-Key": value })))?.slice(0, 2)).toEqual([
        401,
        "malformed-credentials",
      ]);
    }
    expect(seen).toEqual([]);
    // At the cap exactly, the key reaches verify.
    await authenticator.authenticate(request({ "X-API-Key": "a".repeat(256) }));
    expect(seen).toEqual(["a".repeat(256)]);
  });

  test("apiKeyAuth() reads only its own header: other spellings and the challenge's scheme in Authorization are not keys", async () => {
    for (const name of ["X_API_KEY", "X-API-Keys", "API-Key", "X-API-Key-"]) {
      expect(failure(await authenticator.authenticate(request({ [name]: KEY })))?.[1]).toBe("missing-credentials");
    }
    // The challenge names the scheme APIKey, but no policy reads it from Authorization.
    expect(failure(await authenticator.authenticate(request({ Authorization: `APIKey ${KEY}` })))).toEqual([
      401,
      "unsupported-scheme",
      [HEADER_CHALLENGE],
    ]);
  });

  test("apiKeyAuth() leaves the request to Authorization when both are sent", async () => {
    const both = createAuthenticator({
      schemes: [
        apiKeyAuth({ keys: { robot: KEY } }),
        basicAuth({ realm: "api", verify: (user, password) => (password === "pw" ? user : undefined) }),
      ],
    });
    const authorization = serializeBasicCredentials({ username: "ada", password: "pw" });
    expect(await both.authenticate(request({ Authorization: authorization, "X-API-Key": "wrong" }))).toMatchObject({
      ok: true,
      scheme: "basic",
      identity: "ada",
    });
    expect(await both.authenticate(request({ "X-API-Key": KEY }))).toMatchObject({ ok: true, identity: "robot" });
  });

  test("apiKeyAuth() with header: a custom header, named in the challenge and in openapi()", async () => {
    const custom = createAuthenticator({ schemes: [apiKeyAuth({ header: "X-Service-Token", keys: { s: KEY } })] });
    expect(await custom.authenticate(request({ "x-service-token": KEY }))).toMatchObject({ ok: true, identity: "s" });
    expect(failure(await custom.authenticate(request({ "X-API-Key": KEY })))?.[2]).toEqual([
      "WWW-Authenticate: APIKey header=X-Service-Token",
    ]);
    expect(custom.openapi()).toEqual({
      apikeyAuth: {
        type: "apiKey",
        in: "header",
        name: "X-Service-Token",
        description: "An API key in the X-Service-Token header",
      },
    });
  });

  test("apiKeyAuth() lets a verify exception out of authenticate()", async () => {
    const broken = createAuthenticator({
      schemes: [
        apiKeyAuth({
          verify: () => {
            throw new Error("key store down");
          },
        }),
      ],
    });
    await expect(broken.authenticate(request({ "X-API-Key": KEY }))).rejects.toThrow("key store down");
  });
});

describe("apiKeyAuth() with a scheme of its own", () => {
  const authenticator = createAuthenticator({
    schemes: [apiKeyAuth({ scheme: "Bot", realm: "chat", keys: { "bot-7": KEY } })],
  });

  test("apiKeyAuth({ scheme }) accepts Authorization: Bot <key>, the scheme in any case", async () => {
    for (const value of [`Bot ${KEY}`, `bot ${KEY}`, `BOT ${KEY}`]) {
      expect(await authenticator.authenticate(request({ Authorization: value }))).toEqual({
        ok: true,
        scheme: "bot",
        identity: "bot-7",
        headers: [],
      });
    }
  });

  test("apiKeyAuth({ scheme }) refuses malformed and oversized credentials with its challenge", async () => {
    const hostile = [
      "Bot",
      "Bot ",
      `Bot ${KEY} ${KEY}`,
      `Bot ${KEY}, Bot ${KEY}`,
      "Bot key=value",
      'Bot key="value"',
      `Bot "${KEY}"`,
      `Bot ${"a".repeat(257)}`,
      `Bot ${"a".repeat(20_000)}`,
    ];
    for (const value of hostile) {
      expect(failure(await authenticator.authenticate(request({ Authorization: value })))).toEqual([
        401,
        "malformed-credentials",
        ['WWW-Authenticate: Bot realm="chat"'],
      ]);
    }
    expect(failure(await authenticator.authenticate(request({ Authorization: "Bot wrong" })))?.[1]).toBe(
      "invalid-credentials",
    );
  });

  test("apiKeyAuth({ scheme }) does not read the X-API-Key header, nor another scheme", async () => {
    expect(failure(await authenticator.authenticate(request({ "X-API-Key": KEY })))?.[1]).toBe("missing-credentials");
    expect(failure(await authenticator.authenticate(request({ Authorization: `Token ${KEY}` })))?.[1]).toBe(
      "unsupported-scheme",
    );
  });

  test("apiKeyAuth({ scheme }) gives openapi() an apiKey scheme in Authorization", () => {
    expect(authenticator.openapi()).toEqual({
      botAuth: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description: 'An API key in Authorization: Bot <key>, realm "chat"',
      },
    });
  });
});

describe("apiKeyAuth() under attack", () => {
  test("apiKeyAuth(): key guessing from one address is throttled before verify, even for the right key then", async () => {
    let calls = 0;
    const authenticator = createAuthenticator({
      schemes: [
        apiKeyAuth({
          verify: (key) => {
            calls++;
            return key === KEY ? "service" : undefined;
          },
        }),
      ],
      throttle: { maxFailures: 1, maxFailuresPerAddress: 3, window: 60 },
    });
    for (let guess = 0; guess < 3; guess++) {
      const outcome = await authenticator.authenticate(request({ "X-API-Key": `guess${guess}` }));
      expect(failure(outcome)?.[1]).toBe("invalid-credentials");
    }
    // Malformed keys count too: spraying garbage is no way around the limit.
    const garbage = await authenticator.authenticate(request({ "X-API-Key": "a b" }));
    expect(failure(garbage)?.slice(0, 2)).toEqual([429, "throttled"]);
    const right = await authenticator.authenticate(request({ "X-API-Key": KEY }));
    expect(failure(right)?.slice(0, 2)).toEqual([429, "throttled"]);
    expect(calls).toBe(3);
    // Another address is not locked out.
    expect((await authenticator.authenticate(request({ "X-API-Key": KEY }, "192.0.2.2"))).ok).toBe(true);
  });

  test("apiKeyAuth({ keys }) compares every entry and answers the name, never the key", async () => {
    const authenticator = createAuthenticator({
      schemes: [apiKeyAuth({ keys: { first: "AAAA", second: "BBBB", third: KEY } })],
    });
    expect(await authenticator.authenticate(request({ "X-API-Key": KEY }))).toMatchObject({ identity: "third" });
    for (const value of ["AAA", "AAAAA", "aaaa", "BBBB=", "first", "__proto__", "constructor"]) {
      expect((await authenticator.authenticate(request({ "X-API-Key": value }))).ok).toBe(false);
    }
  });

  test("apiKeyAuth() refuses wrong arguments: TypeError or RangeError, nothing echoed", () => {
    const verify = (): undefined => undefined;
    const wrong: unknown[] = [
      undefined,
      null,
      {},
      { verify, keys: { a: KEY } },
      { verify: "yes" },
      { keys: {} },
      { keys: { a: "with space" } },
      { keys: { a: "" } },
      { keys: { a: 7 } },
      { keys: { a: KEY, b: KEY } },
      { keys: { a: "x".repeat(257) } },
      { verify, header: "Authorization" },
      { verify, header: "proxy-authorization" },
      { verify, header: "WWW-Authenticate" },
      { verify, header: "X API Key" },
      { verify, header: "" },
      { verify, header: "X-Key\r\nSet-Cookie: a=b" },
      { verify, scheme: "Basic" },
      { verify, scheme: "bearer" },
      { verify, scheme: "Digest" },
      { verify, scheme: "B ot" },
      { verify, scheme: "" },
      { verify, scheme: "Bot", header: "X-API-Key" },
      { verify, realm: "" },
      { verify, realm: 'x"\r\nSet-Cookie: a=b' },
      { verify, realm: "caf\u00e9\u2603" },
      { verify, realm: 7 },
      { verify, description: 7 },
    ];
    for (const options of wrong) {
      expect(() => apiKeyAuth(options as never), JSON.stringify(options)).toThrow(TypeError);
    }
    for (const maxKeyLength of [0, -1, 1.5, 4097, Number.NaN, "64"]) {
      expect(() => apiKeyAuth({ verify, maxKeyLength: maxKeyLength as number })).toThrow(RangeError);
    }
    try {
      apiKeyAuth({ keys: { a: "secret with space" } });
    } catch (error) {
      expect(String(error)).not.toContain("secret");
    }
  });
});
