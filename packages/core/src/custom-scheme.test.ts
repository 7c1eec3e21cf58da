// A scheme of one's own, built only from the public AuthSchemePolicy interface,
// beside the built-in ones: an API key in an `X-API-Key` header, and a
// `Token` auth-scheme in the Authorization field.

import { describe, expect, test } from "vitest";
import type { AuthFailure, AuthOutcome, AuthRequest, AuthSchemePolicy, HeaderLine, SchemeFailure } from "./index.ts";
import { basicAuth, bearerAuth, createAuthenticator, serializeBasicCredentials } from "./index.ts";

/** Keys are `id.secret`; the id is the canonical identity failures are counted by. */
const KEYS: Record<string, { secret: string; service: string; admin: boolean }> = {
  k1: { secret: "s3cret", service: "billing", admin: true },
  k2: { secret: "other", service: "reports", admin: false },
};

interface Service {
  service: string;
}

function apiKeyAuth(options: { header: string; adminOnly?: boolean }): AuthSchemePolicy<Service> {
  const header = options.header.toLowerCase();
  const challenge = Object.freeze({ scheme: "APIKey", params: Object.freeze({ header: options.header }) });
  const split = (value: string): [string, string] => {
    const dot = value.indexOf(".");
    return dot === -1 ? ["", value] : [value.slice(0, dot), value.slice(dot + 1)];
  };
  const refused: SchemeFailure = {
    ok: false,
    status: 401,
    reason: "invalid-credentials",
    challenge: { error: "invalid_key" },
  };
  return {
    scheme: "apikey",
    realm: undefined,
    authSchemes: [],
    locate(request) {
      const value = request.header(header);
      return typeof value === "string" ? { from: header, value } : undefined;
    },
    throttleKey(credentials) {
      return split(credentials.value)[0] || undefined;
    },
    verify(credentials) {
      const [id, secret] = split(credentials.value);
      const key = Object.hasOwn(KEYS, id) ? KEYS[id] : undefined;
      if (key === undefined || key.secret !== secret) return refused;
      if (options.adminOnly === true && !key.admin) return { ok: false, status: 403, reason: "insufficient-scope" };
      return { ok: true, identity: { service: key.service } };
    },
    challenges(context) {
      const error = context.failure?.challenge?.error;
      return error === undefined ? [challenge] : [{ scheme: "APIKey", params: { header: options.header, error } }];
    },
    openapi() {
      return { type: "apiKey", in: "header", name: options.header, description: "An API key" };
    },
  };
}

/** `Authorization: Token <key>`: a custom auth-scheme prefix. */
const tokenAuth: AuthSchemePolicy<string> = {
  scheme: "token",
  realm: "api",
  authSchemes: ["Token"],
  verify(credentials) {
    const key = credentials.value.slice(credentials.value.indexOf(" ") + 1).trim();
    return key === "t0k3n" ? { ok: true, identity: "token-user" } : { ok: false, status: 401, reason: "invalid-token" };
  },
  challenges() {
    return [{ scheme: "Token", params: { realm: "api" } }];
  },
  openapi() {
    return { type: "http", scheme: "token", description: "A Token auth-scheme" };
  },
};

const basic = basicAuth({ realm: "api", verify: (user, password) => (password === "pw" ? user : undefined) });

function request(headers: Record<string, string> = {}, extra: Partial<AuthRequest> = {}): AuthRequest {
  const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { method: "GET", url: "/resource", header: (name) => lower.get(name.toLowerCase()), ...extra };
}

function failure(outcome: AuthOutcome<unknown>): AuthFailure {
  if (outcome.ok) throw new Error("expected a failure");
  return outcome;
}

function challengeLines(headers: readonly HeaderLine[]): string[] {
  return headers.filter(([name]) => name === "WWW-Authenticate").map(([, value]) => value);
}

describe("a custom scheme policy", () => {
  const authenticator = createAuthenticator({
    schemes: [basic, apiKeyAuth({ header: "X-API-Key" }), bearerAuth({ realm: "api", verify: () => undefined })],
  });

  test("no credentials: 401 with its challenge among the others, in configured order", async () => {
    const outcome = failure(await authenticator.authenticate(request()));
    expect([outcome.status, outcome.reason]).toEqual([401, "missing-credentials"]);
    expect(challengeLines(outcome.headers)).toEqual([
      'Basic realm="api", charset="UTF-8"',
      "APIKey header=X-API-Key",
      'Bearer realm="api"',
    ]);
  });

  test("a wrong key: 401, every challenge, its own with the failure's error parameter", async () => {
    const outcome = failure(await authenticator.authenticate(request({ "X-API-Key": "k1.wrong" })));
    expect([outcome.status, outcome.reason]).toEqual([401, "invalid-credentials"]);
    expect(challengeLines(outcome.headers)).toEqual([
      'Basic realm="api", charset="UTF-8"',
      "APIKey header=X-API-Key, error=invalid_key",
      'Bearer realm="api"',
    ]);
  });

  test("a right key: success with its scheme name and identity", async () => {
    expect(await authenticator.authenticate(request({ "X-API-Key": "k1.s3cret" }))).toEqual({
      ok: true,
      scheme: "apikey",
      identity: { service: "billing" },
      headers: [],
    });
  });

  test("a 403 verdict: 403 with its own challenge only", async () => {
    const admin = createAuthenticator({ schemes: [basic, apiKeyAuth({ header: "X-API-Key", adminOnly: true })] });
    const outcome = failure(await admin.authenticate(request({ "X-API-Key": "k2.other" })));
    expect([outcome.status, outcome.reason]).toEqual([403, "insufficient-scope"]);
    expect(challengeLines(outcome.headers)).toEqual(["APIKey header=X-API-Key"]);
  });

  test("the Authorization field decides before a custom header; without it, the first locating scheme in order", async () => {
    const both = request({
      Authorization: serializeBasicCredentials({ username: "ann", password: "pw" }),
      "X-API-Key": "k1.s3cret",
    });
    expect(await authenticator.authenticate(both)).toMatchObject({ ok: true, scheme: "basic", identity: "ann" });
    const unknown = failure(
      await authenticator.authenticate(request({ Authorization: "Negotiate x", "X-API-Key": "k1.s3cret" })),
    );
    expect([unknown.status, unknown.reason]).toEqual([401, "unsupported-scheme"]);

    const queryBearer = bearerAuth({ sources: { query: true }, verify: (token) => ({ identity: `bearer:${token}` }) });
    const keyFirst = createAuthenticator({ schemes: [apiKeyAuth({ header: "X-API-Key" }), queryBearer] });
    const bearerFirst = createAuthenticator({ schemes: [queryBearer, apiKeyAuth({ header: "X-API-Key" })] });
    const twoPlaces = request({ "X-API-Key": "k1.s3cret" }, { url: "/r?access_token=abc" });
    expect(await keyFirst.authenticate(twoPlaces)).toMatchObject({ ok: true, scheme: "apikey" });
    expect(await bearerFirst.authenticate(twoPlaces)).toMatchObject({
      ok: true,
      scheme: "bearer",
      identity: "bearer:abc",
    });
  });

  test("throttling counts failures by its throttle key and the client address", async () => {
    let now = 1_000_000;
    const throttled = createAuthenticator({
      schemes: [apiKeyAuth({ header: "X-API-Key" }), basic],
      throttle: { maxFailures: 2, window: 60 },
      now: () => now,
    });
    const from = { clientAddress: "192.0.2.7" };
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(failure(await throttled.authenticate(request({ "X-API-Key": "k1.wrong" }, from))).status).toBe(401);
    }
    const blocked = failure(await throttled.authenticate(request({ "X-API-Key": "k1.s3cret" }, from)));
    expect([blocked.status, blocked.reason]).toEqual([429, "throttled"]);
    expect(blocked.headers.find(([name]) => name === "Retry-After")).toEqual(["Retry-After", "60"]);
    // Another key id from the same address is counted apart.
    expect((await throttled.authenticate(request({ "X-API-Key": "k2.other" }, from))).ok).toBe(true);
    now += 61_000;
    expect((await throttled.authenticate(request({ "X-API-Key": "k1.s3cret" }, from))).ok).toBe(true);
  });

  test("a custom auth-scheme prefix in the Authorization field", async () => {
    const tokens = createAuthenticator({ schemes: [tokenAuth, basic] });
    expect(await tokens.authenticate(request({ Authorization: "token t0k3n" }))).toEqual({
      ok: true,
      scheme: "token",
      identity: "token-user",
      headers: [],
    });
    const wrong = failure(await tokens.authenticate(request({ Authorization: "Token nope" })));
    expect([wrong.status, wrong.reason]).toEqual([401, "invalid-token"]);
    expect(challengeLines(wrong.headers)).toEqual(['Token realm="api"', 'Basic realm="api", charset="UTF-8"']);
  });

  test("openapi() takes each policy's entry, keyed by its name", () => {
    const entries = createAuthenticator({ schemes: [tokenAuth, apiKeyAuth({ header: "X-API-Key" })] }).openapi();
    expect(entries).toEqual({
      tokenAuth: { type: "http", scheme: "token", description: "A Token auth-scheme" },
      apikeyAuth: { type: "apiKey", in: "header", name: "X-API-Key", description: "An API key" },
    });
  });

  test("createAuthenticator() refuses an incomplete policy and two policies reading the same auth-scheme", () => {
    const { verify: _verify, ...noVerify } = tokenAuth;
    expect(() => createAuthenticator({ schemes: [noVerify] })).toThrow(TypeError);
    const alsoBearer: AuthSchemePolicy<string> = { ...tokenAuth, scheme: "other", authSchemes: ["bearer"] };
    expect(() => createAuthenticator({ schemes: [bearerAuth({ verify: () => undefined }), alsoBearer] })).toThrow(
      /two schemes read bearer/,
    );
  });
});
