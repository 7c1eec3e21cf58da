import { describe, expect, test } from "vitest";
import type { AuthFailure, AuthOutcome, AuthRequest } from "../index.ts";
import {
  basicAuth,
  bearerAuth,
  createAuthenticator,
  createMemoryThrottleStore,
  createResourceMetadata,
  EXPOSED_AUTH_HEADERS,
  parseChallenges,
} from "../index.ts";

const URL = "https://api.example/.well-known/oauth-protected-resource/mcp";

function request(token?: string, extra: Partial<AuthRequest> = {}): AuthRequest {
  return {
    method: "POST",
    url: "/mcp",
    header: (name) => (name === "authorization" && token !== undefined ? `Bearer ${token}` : undefined),
    ...extra,
  };
}

function failure(outcome: AuthOutcome<unknown>): AuthFailure {
  if (outcome.ok) throw new Error("expected a failure");
  return outcome;
}

function challengeLines(outcome: AuthOutcome<unknown>): string[] {
  return failure(outcome)
    .headers.filter(([name]) => name === "WWW-Authenticate")
    .map(([, value]) => value);
}

const verify = (token: string) => {
  if (token === "reader") return { identity: "ada", scopes: ["read"] };
  if (token === "admin") return { identity: "root", scopes: ["read", "admin"] };
  if (token === "stale")
    return { error: "insufficient_user_authentication" as const, acrValues: ["phr", "phrh"], maxAge: 0 };
  if (token === "acr-only")
    return { error: "insufficient_user_authentication" as const, acrValues: "urn:mace:incommon:iap:silver" };
  if (token === "bare") return { error: "insufficient_user_authentication" as const };
  return undefined;
};

describe("bearerAuth({ resourceMetadata })", () => {
  const authenticator = createAuthenticator({
    schemes: [bearerAuth({ realm: "mcp", scopes: ["read"], resourceMetadata: URL, verify })],
  });

  test("bearerAuth() puts resource_metadata on every Bearer challenge (RFC 9728 §5.1)", async () => {
    const cases: [string | undefined, number, string][] = [
      [undefined, 401, `Bearer realm="mcp", resource_metadata="${URL}"`],
      ["wrong", 401, `Bearer realm="mcp", error="invalid_token", resource_metadata="${URL}"`],
      ["a,b", 400, `Bearer realm="mcp", error="invalid_request", resource_metadata="${URL}"`],
    ];
    for (const [token, status, line] of cases) {
      const outcome = await authenticator.authenticate(request(token));
      expect(failure(outcome).status).toBe(status);
      expect(challengeLines(outcome)).toEqual([line]);
    }
    const narrow = createAuthenticator({
      schemes: [bearerAuth({ scopes: ["admin"], resourceMetadata: URL, verify })],
    });
    const outcome = await narrow.authenticate(request("reader"));
    expect(failure(outcome).status).toBe(403);
    expect(challengeLines(outcome)).toEqual([
      `Bearer scope="admin", error="insufficient_scope", resource_metadata="${URL}"`,
    ]);
  });

  test("bearerAuth() takes the object of createResourceMetadata(), so the challenge names the document it serves", async () => {
    const metadata = createResourceMetadata({ resource: "https://api.example/mcp" });
    const outcome = await createAuthenticator({
      schemes: [bearerAuth({ resourceMetadata: metadata, verify })],
    }).authenticate(request());
    expect(challengeLines(outcome)).toEqual([`Bearer resource_metadata="${metadata.url}"`]);
  });

  test("bearerAuth() takes a function of the request, checked when it answers", async () => {
    const dynamic = createAuthenticator({
      schemes: [
        bearerAuth({
          resourceMetadata: (incoming) =>
            `${incoming.header("x-origin") ?? ""}/.well-known/oauth-protected-resource/mcp`,
          verify,
        }),
      ],
    });
    const origin = (value: string) =>
      request(undefined, { header: (name) => (name === "x-origin" ? value : undefined) });
    expect(challengeLines(await dynamic.authenticate(origin("http://127.0.0.1:8080")))).toEqual([
      'Bearer resource_metadata="http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp"',
    ]);
    await expect(dynamic.authenticate(origin("http://evil.example"))).rejects.toThrow(
      /resourceMetadata returned a URL that must use https/,
    );
    await expect(dynamic.authenticate(origin(""))).rejects.toThrow(TypeError);
    // A success never asks the function.
    const counted = { calls: 0 };
    const quiet = createAuthenticator({
      schemes: [
        bearerAuth({
          resourceMetadata: () => {
            counted.calls++;
            return URL;
          },
          verify,
        }),
      ],
    });
    expect((await quiet.authenticate(request("reader"))).ok).toBe(true);
    expect(counted.calls).toBe(0);
  });

  test("bearerAuth() refuses a resourceMetadata URL RFC 9728 does not allow, saying what to do", () => {
    const refused: [unknown, RegExp][] = [
      [
        "http://api.example/.well-known/oauth-protected-resource",
        /must use https; http is allowed only on a loopback host/,
      ],
      ["/.well-known/oauth-protected-resource", /absolute URL/],
      ["https://api.example/x#y", /fragment/],
      ['https://api.example/"quoted"', /resource_metadata/],
      ["https://api.example/\r\nSet-Cookie: a=b", /absolute URL|resource_metadata/],
      [42, /must be a string/],
      [{ url: 5 }, /must be a string/],
      [`https://api.example/${"a".repeat(5000)}`, /longer than 2048/],
    ];
    for (const [resourceMetadata, message] of refused) {
      expect(
        () => bearerAuth({ resourceMetadata: resourceMetadata as string, verify }),
        String(resourceMetadata).slice(0, 40),
      ).toThrow(message);
    }
    for (const loopback of ["http://localhost:3000/m", "http://127.8.9.10/m", "http://[::1]/m", "https://h/m"]) {
      expect(() => bearerAuth({ resourceMetadata: loopback, verify })).not.toThrow();
    }
  });
});

describe("step-up (RFC 9470)", () => {
  const authenticator = createAuthenticator({
    schemes: [
      basicAuth({ realm: "mcp", verify: () => undefined }),
      bearerAuth({ realm: "mcp", resourceMetadata: URL, verify }),
    ],
  });

  test("a step-up demand is 401 insufficient_user_authentication with acr_values and max_age", async () => {
    const outcome = await authenticator.authenticate(request("stale"));
    expect(failure(outcome).status).toBe(401);
    expect(failure(outcome).reason).toBe("insufficient-user-authentication");
    expect(challengeLines(outcome)).toEqual([
      'Basic realm="mcp", charset="UTF-8"',
      `Bearer realm="mcp", error="insufficient_user_authentication", acr_values="phr phrh", max_age="0", resource_metadata="${URL}"`,
    ]);
    const [, bearer] = parseChallenges(challengeLines(outcome));
    expect(bearer?.params.acr_values).toBe("phr phrh");
    expect(challengeLines(await authenticator.authenticate(request("acr-only")))[1]).toBe(
      `Bearer realm="mcp", error="insufficient_user_authentication", acr_values="urn:mace:incommon:iap:silver", resource_metadata="${URL}"`,
    );
    expect(challengeLines(await authenticator.authenticate(request("bare")))[1]).toBe(
      `Bearer realm="mcp", error="insufficient_user_authentication", resource_metadata="${URL}"`,
    );
  });

  test("a step-up demand is not counted as a failed attempt by throttling", async () => {
    const throttled = createAuthenticator({
      schemes: [bearerAuth({ verify })],
      throttle: { maxFailures: 1, window: 60, store: createMemoryThrottleStore() },
    });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(failure(await throttled.authenticate(request("stale", { clientAddress: "192.0.2.1" }))).status).toBe(401);
    }
  });

  test("a malformed step-up demand is the app's bug: authenticate() rejects with a TypeError", async () => {
    const demands: unknown[] = [
      { error: "insufficient_user_authentication", acrValues: [] },
      { error: "insufficient_user_authentication", acrValues: ["a b"] },
      { error: "insufficient_user_authentication", acrValues: ['"quoted"'] },
      { error: "insufficient_user_authentication", acrValues: [5] },
      { error: "insufficient_user_authentication", maxAge: -1 },
      { error: "insufficient_user_authentication", maxAge: 1.5 },
      { error: "insufficient_user_authentication", maxAge: "300" },
      { error: "invalid_token" },
      { error: "something_else", identity: "x" },
    ];
    for (const demand of demands) {
      const broken = createAuthenticator({ schemes: [bearerAuth({ verify: () => demand as never })] });
      await expect(broken.authenticate(request("t")), JSON.stringify(demand)).rejects.toThrow(TypeError);
    }
  });
});

describe("authenticate(request, { scopes })", () => {
  const authenticator = createAuthenticator({
    schemes: [bearerAuth({ scopes: ["read"], resourceMetadata: URL, verify })],
  });

  test("a route's scopes add to the policy's: 403 names every scope needed", async () => {
    expect((await authenticator.authenticate(request("admin"), { scopes: ["admin"] })).ok).toBe(true);
    const outcome = await authenticator.authenticate(request("reader"), { scopes: ["admin"] });
    expect(failure(outcome).status).toBe(403);
    expect(challengeLines(outcome)).toEqual([
      `Bearer scope="read admin", error="insufficient_scope", resource_metadata="${URL}"`,
    ]);
    expect((await authenticator.authenticate(request("reader"), { scopes: [] })).ok).toBe(true);
    expect((await authenticator.authenticate(request("reader"), {})).ok).toBe(true);
    expect((await authenticator.authenticate(request("reader"), { scopes: ["read", "read"] })).ok).toBe(true);
  });

  test("a route's scopes leave the other answers alone", async () => {
    expect(challengeLines(await authenticator.authenticate(request(), { scopes: ["admin"] }))).toEqual([
      `Bearer resource_metadata="${URL}"`,
    ]);
    expect(failure(await authenticator.authenticate(request("nope"), { scopes: ["admin"] })).status).toBe(401);
  });

  test("authenticate() refuses malformed, oversized and hostile scopes with a TypeError", async () => {
    const refused: unknown[] = [
      "admin",
      ["a b"],
      [""],
      ['quo"te'],
      ["back\\slash"],
      ["new\nline"],
      ["ünïcode"],
      [5],
      [null],
      ["x".repeat(257)],
      Array.from({ length: 65 }, (_, index) => `s${index}`),
    ];
    for (const scopes of refused) {
      await expect(
        authenticator.authenticate(request("admin"), { scopes } as never),
        String(scopes).slice(0, 30),
      ).rejects.toThrow(TypeError);
    }
    await expect(authenticator.authenticate(request("admin"), null as never)).rejects.toThrow(TypeError);
  });
});

describe("createAuthenticator({ exposeHeaders })", () => {
  test("every outcome carries Access-Control-Expose-Headers when asked, none otherwise", async () => {
    const line = ["Access-Control-Expose-Headers", EXPOSED_AUTH_HEADERS.join(", ")];
    const exposing = createAuthenticator({ schemes: [bearerAuth({ verify })], exposeHeaders: true });
    expect(failure(await exposing.authenticate(request())).headers).toContainEqual(line);
    expect(failure(await exposing.authenticate(request("a,b"))).headers).toContainEqual(line);
    const success = await exposing.authenticate(request("reader"));
    expect(success.ok && success.headers).toEqual([line]);
    const plain = createAuthenticator({ schemes: [bearerAuth({ verify })] });
    expect(
      failure(await plain.authenticate(request())).headers.some(([name]) => name.startsWith("Access-Control")),
    ).toBe(false);
    expect(EXPOSED_AUTH_HEADERS).toContain("WWW-Authenticate");
    expect(EXPOSED_AUTH_HEADERS).toContain("DPoP-Nonce");
    expect(Object.isFrozen(EXPOSED_AUTH_HEADERS)).toBe(true);
  });
});
