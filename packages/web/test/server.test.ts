import type { AuthFailure, AuthOutcome } from "@httpauth/core";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "@httpauth/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { ProtectOptions } from "../src/index.ts";
import { createAuthRequest, createFailureResponse, guard, protect } from "../src/index.ts";

const SECRET = "a test secret of more than sixteen bytes";
const ALADDIN = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="; // Aladdin:open sesame

interface User {
  name: string;
}

let clock = Date.parse("2030-01-01T00:00:00Z");

function createTestAuthenticator(options: { proxy?: boolean; throttle?: boolean; missing403?: boolean } = {}) {
  return createAuthenticator({
    schemes: [
      digestAuth<User>({
        realm: "api",
        secret: SECRET,
        algorithms: ["SHA-256", "MD5"],
        password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
        identity: (username) => ({ name: username }),
      }),
      basicAuth<User>({
        realm: "api",
        verify: (username, password) => (password === "open sesame" ? { name: username } : undefined),
      }),
      bearerAuth<User>({
        realm: "api",
        scopes: ["read"],
        verify: (token) => {
          if (token === "explode") throw new Error("token store is down");
          if (token === "reader") return { identity: { name: "reader" }, scopes: ["read"] };
          if (token === "guest") return { identity: { name: "guest" }, scopes: [] };
          return undefined;
        },
      }),
    ],
    now: () => clock,
    ...(options.proxy === true ? { proxy: true } : {}),
    ...(options.throttle === true ? { throttle: { maxFailures: 2, window: 60 } } : {}),
    ...(options.missing403 === true ? { missingCredentialsStatus: 403 as const } : {}),
  });
}

function echoIdentity(_request: Request, context: { identity: User; scheme: string }): Response {
  return Response.json({ identity: context.identity, scheme: context.scheme });
}

function get(headers: Record<string, string> = {}, url = "https://api.example/resource"): Request {
  return new Request(url, { headers });
}

async function digestHeader(challengeValue: string, options: { password?: string; uri?: string } = {}) {
  const challenge = parseChallenges(challengeValue).find((item) => item.scheme === "digest");
  if (challenge === undefined) throw new Error("no Digest challenge");
  const credentials = await computeDigestCredentials(challenge, {
    username: "Mufasa",
    password: options.password ?? "Circle of Life",
    method: "GET",
    uri: options.uri ?? "/resource",
  });
  return serializeCredentials(credentials);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("protect() answers the outcome table", () => {
  const handle = protect(echoIdentity, createTestAuthenticator(), { digestChallenges: "all" });

  test("no credentials: 401 with one Digest challenge by default, the first algorithm, the others in their place", async () => {
    const response = await protect(echoIdentity, createTestAuthenticator())(get());
    expect(response.status).toBe(401);
    // Bun.serve, workerd and Node's Fetch servers write these on one line, where two Digest challenges read as one.
    const challenges = parseChallenges(response.headers.get("www-authenticate") ?? "");
    expect(challenges.map((challenge) => [challenge.scheme, challenge.params.algorithm ?? ""])).toEqual([
      ["digest", "SHA-256"],
      ["basic", ""],
      ["bearer", ""],
    ]);
    // MD5 is no longer offered, but still accepted.
    const md5 = parseChallenges((await handle(get())).headers.get("www-authenticate") ?? "")[1];
    expect(md5?.params.algorithm).toBe("MD5");
    const credentials = await computeDigestCredentials(md5!, {
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/resource",
    });
    const accepted = await protect(
      echoIdentity,
      createTestAuthenticator(),
    )(get({ Authorization: serializeCredentials(credentials) }));
    expect(accepted.status).toBe(200);
  });

  test("no credentials with digestChallenges: all: 401 with every challenge, in configured order", async () => {
    const response = await handle(get());
    expect(response.status).toBe(401);
    const challenges = parseChallenges(response.headers.get("www-authenticate") ?? "");
    expect(challenges.map((challenge) => [challenge.scheme, challenge.params.algorithm ?? ""])).toEqual([
      ["digest", "SHA-256"],
      ["digest", "MD5"],
      ["basic", ""],
      ["bearer", ""],
    ]);
    for (const challenge of challenges) expect(challenge.params.realm).toBe("api");
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toMatch(/^401 Unauthorized: Authentication is required\./);
  });

  test.each([
    ["an unsupported scheme", { Authorization: "Negotiate abc" }, 401, "unsupported-scheme"],
    ["malformed Basic", { Authorization: "Basic !!!" }, 401, "malformed-credentials"],
    ["a wrong Basic password", { Authorization: "Basic QWxhZGRpbjp3cm9uZw==" }, 401, "invalid-credentials"],
  ])("%s: 401 with every challenge", async (_name, headers, status) => {
    const response = await handle(get(headers));
    expect(response.status).toBe(status);
    expect(parseChallenges(response.headers.get("www-authenticate") ?? "")).toHaveLength(4);
  });

  test("malformed Bearer: 400 with only Bearer error=invalid_request", async () => {
    const response = await handle(get({ Authorization: "Bearer a b" }));
    expect(response.status).toBe(400);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_request"');
  });

  test("a rejected token: 401, Bearer with error=invalid_token", async () => {
    const response = await handle(get({ Authorization: "Bearer nope" }));
    expect(response.status).toBe(401);
    const bearer = parseChallenges(response.headers.get("www-authenticate") ?? "").find(
      (challenge) => challenge.scheme === "bearer",
    );
    expect(bearer?.params.error).toBe("invalid_token");
  });

  test("a token without the scope: 403 insufficient_scope", async () => {
    const response = await handle(get({ Authorization: "Bearer guest" }));
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBe(
      'Bearer realm="api", scope="read", error="insufficient_scope"',
    );
  });

  test("an expired Digest nonce: 401 with stale=true", async () => {
    const first = await handle(get());
    const authorization = await digestHeader(first.headers.get("www-authenticate") ?? "");
    clock += 301_000;
    const response = await handle(get({ Authorization: authorization }));
    expect(response.status).toBe(401);
    const digests = parseChallenges(response.headers.get("www-authenticate") ?? "").filter(
      (challenge) => challenge.scheme === "digest",
    );
    expect(digests.map((challenge) => challenge.params.stale)).toEqual(["true", "true"]);
  });

  test("proxy: 407 with Proxy-Authenticate, credentials from Proxy-Authorization", async () => {
    const proxied = protect(echoIdentity, createTestAuthenticator({ proxy: true }));
    const refused = await proxied(get({ Authorization: ALADDIN }));
    expect(refused.status).toBe(407);
    expect(refused.headers.get("www-authenticate")).toBeNull();
    // One Digest challenge by default on Proxy-Authenticate too.
    expect(
      parseChallenges(refused.headers.get("proxy-authenticate") ?? "").map((challenge) => challenge.scheme),
    ).toEqual(["digest", "basic", "bearer"]);
    const allowed = await proxied(get({ "Proxy-Authorization": ALADDIN }));
    expect(allowed.status).toBe(200);
  });

  test("throttled: 429 with Retry-After and no challenge", async () => {
    const throttled = protect(echoIdentity, createTestAuthenticator({ throttle: true }), {
      clientAddress: (request) => request.headers.get("x-client") ?? undefined,
    });
    const wrong = { Authorization: "Basic QWxhZGRpbjp3cm9uZw==", "X-Client": "192.0.2.1" };
    expect((await throttled(get(wrong))).status).toBe(401);
    expect((await throttled(get(wrong))).status).toBe(401);
    const response = await throttled(get({ ...wrong, Authorization: ALADDIN }));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(response.headers.get("www-authenticate")).toBeNull();
    // Another address is not throttled.
    expect((await throttled(get({ Authorization: ALADDIN, "X-Client": "192.0.2.2" }))).status).toBe(200);
  });

  test("throttling without clientAddress: the handler rejects with a TypeError, no counter shared by every client", async () => {
    const unaddressed = protect(echoIdentity, createTestAuthenticator({ throttle: true }));
    await expect(unaddressed(get({ Authorization: ALADDIN }))).rejects.toThrow(/clientAddress/);
    // Without credentials nothing is counted: the challenge goes out.
    expect((await unaddressed(get())).status).toBe(401);
  });

  test("missingCredentialsStatus 403: 403 without a challenge", async () => {
    const legacy = protect(echoIdentity, createTestAuthenticator({ missing403: true }));
    const response = await legacy(get());
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toBeNull();
  });
});

describe("protect() on success", () => {
  const authenticator = createTestAuthenticator();

  test("the identity and scheme reach the handler (Basic)", async () => {
    const response = await protect(echoIdentity, authenticator)(get({ Authorization: ALADDIN }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ identity: { name: "Aladdin" }, scheme: "basic" });
  });

  test("the identity and scheme reach the handler (Bearer)", async () => {
    const response = await protect(echoIdentity, authenticator)(get({ Authorization: "Bearer reader" }));
    expect(await response.json()).toEqual({ identity: { name: "reader" }, scheme: "bearer" });
  });

  test("Digest: Authentication-Info is appended to the handler's response", async () => {
    const handle = protect(
      () => new Response("ok", { headers: { "X-Handler": "1", "Content-Type": "text/plain" } }),
      authenticator,
    );
    const challenge = (await handle(get())).headers.get("www-authenticate") ?? "";
    const response = await handle(get({ Authorization: await digestHeader(challenge) }));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-handler")).toBe("1");
    expect(response.headers.get("authentication-info")).toMatch(/rspauth="[0-9a-f]{64}"/);
    expect(await response.text()).toBe("ok");
  });

  test("Digest: a response with immutable headers is copied, keeping status, headers and body", async () => {
    const immutable = Response.redirect("https://api.example/elsewhere", 302);
    expect(() => immutable.headers.append("X-Test", "1")).toThrow(TypeError);
    const handle = protect(() => immutable, authenticator);
    const challenge = (await handle(get())).headers.get("www-authenticate") ?? "";
    const response = await handle(get({ Authorization: await digestHeader(challenge) }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("https://api.example/elsewhere");
    expect(response.headers.get("authentication-info")).toMatch(/rspauth=/);
  });

  test("Basic and Bearer add no header; the handler's response is returned as is", async () => {
    const original = new Response("same");
    const response = await protect(() => original, authenticator)(get({ Authorization: ALADDIN }));
    expect(response).toBe(original);
  });

  test("the handler is not called for a refused request", async () => {
    const handler = vi.fn(echoIdentity);
    await protect(handler, authenticator)(get({ Authorization: "Basic QWxhZGRpbjp3cm9uZw==" }));
    expect(handler).not.toHaveBeenCalled();
  });

  test("the handler can read the body after core read it for a form-body Bearer token", async () => {
    const formAuthenticator = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          sources: { body: true },
          verify: (token) => (token === "reader" ? { identity: "reader" } : undefined),
        }),
      ],
    });
    const handle = protect(
      async (request, { identity }) => new Response(`${identity}:${await request.text()}`),
      formAuthenticator,
    );
    const response = await handle(
      new Request("https://api.example/", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "access_token=reader&x=1",
      }),
    );
    expect(await response.text()).toBe("reader:access_token=reader&x=1");
  });
});

describe("protect() errors", () => {
  const authenticator = createTestAuthenticator();

  test("an exception in verify rejects (the app answers 500), it is not a 401", async () => {
    const handle = protect(echoIdentity, authenticator);
    await expect(handle(get({ Authorization: "Bearer explode" }))).rejects.toThrow("token store is down");
  });

  test("an exception in the handler rejects", async () => {
    const handle = protect(() => {
      throw new Error("handler failed");
    }, authenticator);
    await expect(handle(get({ Authorization: ALADDIN }))).rejects.toThrow("handler failed");
  });

  test("a handler that returns no Response rejects with a TypeError", async () => {
    const handle = protect(() => "text" as unknown as Response, authenticator);
    await expect(handle(get({ Authorization: ALADDIN }))).rejects.toThrow(TypeError);
  });

  test("bad arguments throw TypeError at once", () => {
    expect(() => protect("nope" as unknown as typeof echoIdentity, authenticator)).toThrow(TypeError);
    expect(() => protect(echoIdentity, {} as typeof authenticator)).toThrow(TypeError);
    expect(() => protect(echoIdentity, authenticator, { clientAddress: "1.2.3.4" as unknown as () => string })).toThrow(
      TypeError,
    );
    for (const digestChallenges of ["none", "FIRST", null, 1, ["first"]]) {
      const options = { digestChallenges } as unknown as ProtectOptions;
      expect(() => protect(echoIdentity, authenticator, options)).toThrow(
        /options\.digestChallenges must be "all" or "first"/,
      );
      expect(() => guard(echoIdentity, authenticator, options)).toThrow(TypeError);
    }
  });
});

describe("createFailureResponse()", () => {
  const failure: AuthFailure = {
    ok: false,
    status: 401,
    reason: "missing-credentials",
    body: "401 Unauthorized\n",
    headers: [
      ["WWW-Authenticate", 'Digest realm="api", nonce="n1", algorithm=SHA-256'],
      ["WWW-Authenticate", 'Basic realm="api"'],
      ["Content-Type", "text/plain; charset=utf-8"],
    ],
  };

  test("appends every header line as its own entry, in order", () => {
    const append = vi.spyOn(Headers.prototype, "append");
    const response = createFailureResponse(failure);
    expect(append.mock.calls).toEqual(failure.headers);
    // Node's Headers joins the entries of one name when read back: one list (RFC 9110 §5.3).
    expect(response.headers.get("www-authenticate")).toBe(
      'Digest realm="api", nonce="n1", algorithm=SHA-256, Basic realm="api"',
    );
    expect(parseChallenges(response.headers.get("www-authenticate") ?? "").map((item) => item.scheme)).toEqual([
      "digest",
      "basic",
    ]);
  });

  test("keeps status and body", async () => {
    const response = createFailureResponse({ ...failure, status: 407, body: "proxy" });
    expect(response.status).toBe(407);
    expect(await response.text()).toBe("proxy");
  });

  test("refuses a success outcome and broken header lines", () => {
    const success: AuthOutcome<string> = { ok: true, scheme: "basic", identity: "x", headers: [] };
    expect(() => createFailureResponse(success as unknown as AuthFailure)).toThrow(TypeError);
    expect(() =>
      createFailureResponse({ ...failure, headers: [["X", 1]] as unknown as AuthFailure["headers"] }),
    ).toThrow(TypeError);
    expect(() => createFailureResponse({ ...failure, headers: [["X", "a\r\nInjected: 1"]] })).toThrow(TypeError);
  });
});

describe("createAuthRequest()", () => {
  test("reads headers case-insensitively and gives the absolute URL", () => {
    const request = createAuthRequest(get({ "X-Thing": "1" }, "https://api.example/a/b?c=d"));
    expect(request.url).toBe("https://api.example/a/b?c=d");
    expect(request.method).toBe("GET");
    expect(request.header("x-thing")).toBe("1");
    expect(request.header("X-THING")).toBe("1");
    expect(request.header("absent")).toBeNull();
    expect("clientAddress" in request).toBe(false);
  });

  test("reads the body lazily, once, from a clone", async () => {
    const original = new Request("https://api.example/", { method: "POST", body: "payload" });
    const clone = vi.spyOn(Request.prototype, "clone");
    const request = createAuthRequest(original);
    expect(clone).not.toHaveBeenCalled();
    const [first, second] = await Promise.all([request.body?.(), request.body?.()]);
    expect(clone).toHaveBeenCalledTimes(1);
    expect(first).toBe(second);
    expect(new TextDecoder().decode(first)).toBe("payload");
    expect(original.bodyUsed).toBe(false);
    expect(await original.text()).toBe("payload");
  });

  test("a request without a body gives empty bytes (an empty entity), a body over the cap undefined (not available)", async () => {
    expect(await createAuthRequest(get()).body?.()).toEqual(new Uint8Array(0));
    const over = new Request("https://api.example/upload", { method: "POST", body: "x".repeat(100) });
    expect(await createAuthRequest(over, { maxBodyLength: 64 }).body?.()).toBeUndefined();
  });

  test("refuses what is not a Request", () => {
    expect(() => createAuthRequest({ url: "/" } as unknown as Request)).toThrow(TypeError);
  });
});
