import type { AuthScheme, DigestAlgorithm } from "@httpauth/core";
import {
  basicAuth,
  bearerAuth,
  createAuthenticator,
  createDigestChallenge,
  digestAuth,
  isHTTPAuthError,
  parseChallenges,
  parseCredentials,
  serializeChallenge,
  verifyDigestCredentials,
} from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import { createAuthFetch, protect } from "../src/index.ts";
import type { TestServer } from "./helpers/node-server.ts";
import { serve } from "./helpers/node-server.ts";

const SECRET = "a test secret of more than sixteen bytes";
const MUFASA = { username: "Mufasa", password: "Circle of Life" };

let clock = Date.parse("2030-01-01T00:00:00Z");
const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function digest(algorithms: DigestAlgorithm[], extra: { domain?: string[]; qop?: ("auth" | "auth-int")[] } = {}) {
  return digestAuth({
    realm: "api",
    secret: SECRET,
    algorithms,
    password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
    ...extra,
  });
}

const basic = basicAuth({
  realm: "api",
  verify: (username, password) => (username === "Mufasa" && password === "Circle of Life" ? username : undefined),
});

const bearer = bearerAuth({
  realm: "api",
  verify: (token) => (token === "t0k3n" ? { identity: "service" } : undefined),
});

/** Serves a protected handler that echoes the identity, the scheme and the request body, on 127.0.0.1. */
async function start(
  schemes: readonly AuthScheme<unknown>[],
  options: {
    proxy?: boolean;
    wrap?: (handler: (request: Request) => Promise<Response>) => (request: Request) => Promise<Response>;
  } = {},
): Promise<TestServer> {
  const authenticator = createAuthenticator({ schemes, now: () => clock, ...(options.proxy ? { proxy: true } : {}) });
  const handler = protect(
    async (request, { identity, scheme }) => new Response(`${scheme}:${String(identity)}:${await request.text()}`),
    authenticator,
    // Every Digest challenge, on one joined line: what the client must pick from.
    { digestChallenges: "all" },
  );
  const server = await serve(options.wrap ? options.wrap(handler) : handler);
  servers.push(server);
  return server;
}

function authorizations(server: TestServer, field = "authorization"): (string | null)[] {
  return server.requests.map((request) => request.headers.get(field));
}

function digestParams(value: string | null | undefined): Record<string, string> {
  if (value === null || value === undefined) throw new Error("no credentials sent");
  const credentials = parseCredentials(value);
  expect(credentials.scheme).toBe("digest");
  return credentials.params;
}

describe("createAuthFetch() against a protected node:http server on 127.0.0.1", () => {
  test("Basic", async () => {
    const server = await start([basic]);
    const response = await createAuthFetch(MUFASA)(`${server.origin}/basic`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("basic:Mufasa:");
    expect(authorizations(server)).toEqual([null, "Basic TXVmYXNhOkNpcmNsZSBvZiBMaWZl"]);
  });

  test.each<[DigestAlgorithm]>([["SHA-256"], ["MD5"], ["SHA-512-256"], ["SHA-256-sess"]])(
    "Digest %s",
    async (algorithm) => {
      const server = await start([digest([algorithm])]);
      const response = await createAuthFetch(MUFASA)(`${server.origin}/digest?x=1`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("digest:Mufasa:");
      const params = digestParams(authorizations(server)[1]);
      expect(params.algorithm).toBe(algorithm);
      expect(params.uri).toBe("/digest?x=1");
      expect(params.nc).toBe("00000001");
    },
  );

  test("Digest: the strongest algorithm wins whatever the server's order, with that challenge's own nonce", async () => {
    const sentChallenges: string[] = [];
    const server = await start([digest(["MD5", "SHA-256"])], {
      wrap: (handler) => async (request) => {
        const response = await handler(request);
        sentChallenges.push(response.headers.get("www-authenticate") ?? "");
        return response;
      },
    });
    expect((await createAuthFetch(MUFASA)(`${server.origin}/`)).status).toBe(200);
    const offered = parseChallenges(sentChallenges[0] ?? "");
    expect(offered.map((challenge) => challenge.params.algorithm)).toEqual(["MD5", "SHA-256"]);
    expect(offered[0]?.params.nonce).not.toBe(offered[1]?.params.nonce);
    const params = digestParams(authorizations(server)[1]);
    expect(params.algorithm).toBe("SHA-256");
    expect(params.nonce).toBe(offered[1]?.params.nonce);
    expect(params.response).toMatch(/^[0-9a-f]{64}$/);
  });

  test("Digest: SHA-512-256 > SHA-256 > MD5 > Basic when all are offered", async () => {
    const server = await start([basic, digest(["MD5", "SHA-256", "SHA-512-256"])]);
    expect((await createAuthFetch(MUFASA)(`${server.origin}/`)).status).toBe(200);
    expect(digestParams(authorizations(server)[1]).algorithm).toBe("SHA-512-256");
  });

  test("Digest is preferred over Basic even when Basic comes first", async () => {
    const server = await start([basic, digest(["MD5"])]);
    const response = await createAuthFetch(MUFASA)(`${server.origin}/`);
    expect(await response.text()).toBe("digest:Mufasa:");
  });

  test("Digest: later requests send credentials at once, nc counting up per nonce", async () => {
    const server = await start([digest(["SHA-256"])]);
    const authFetch = createAuthFetch(MUFASA);
    for (let index = 0; index < 3; index++)
      expect((await authFetch(`${server.origin}/item/${index}`)).status).toBe(200);
    const sent = authorizations(server);
    expect(sent).toHaveLength(4);
    expect(sent[0]).toBeNull();
    const params = sent.slice(1).map(digestParams);
    expect(params.map((item) => item.nc)).toEqual(["00000001", "00000002", "00000003"]);
    expect(new Set(params.map((item) => item.nonce)).size).toBe(1);
    expect(new Set(params.map((item) => item.cnonce)).size).toBe(3);
    expect(params.map((item) => item.uri)).toEqual(["/item/0", "/item/1", "/item/2"]);
  });

  test("Digest: concurrent requests get distinct nc values", async () => {
    const server = await start([digest(["SHA-256"])]);
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    const responses = await Promise.all([1, 2, 3, 4].map(() => authFetch(`${server.origin}/`)));
    // Counts may reach the server out of order; a refused one is answered again with a fresh nonce.
    for (const response of responses) expect(response.status).toBe(200);
    const counts = authorizations(server)
      .slice(2)
      .filter((value) => value !== null)
      .map((value) => `${digestParams(value).nonce}/${digestParams(value).nc}`);
    expect(new Set(counts).size).toBe(counts.length);
  });

  test("Digest: an expired nonce (stale=true) is answered again with the new nonce", async () => {
    const server = await start([digest(["SHA-256"])]);
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    clock += 301_000;
    const response = await authFetch(`${server.origin}/`);
    expect(response.status).toBe(200);
    const sent = authorizations(server);
    expect(sent).toHaveLength(4); // none, answer, stale pre-emptive, answer with the new nonce
    const [old, stale, fresh] = sent.slice(1).map(digestParams);
    expect(stale?.nonce).toBe(old?.nonce);
    expect(stale?.nc).toBe("00000002");
    expect(fresh?.nonce).not.toBe(old?.nonce);
    expect(fresh?.nc).toBe("00000001");
  });

  test("Digest: a nonce that expires between the challenge and the answer is answered once more", async () => {
    const server = await start([digest(["SHA-256"])], {
      wrap: (handler) => async (request) => {
        const response = await handler(request);
        // The first challenge goes out, then the server's clock jumps past the nonce lifetime once.
        if (request.headers.get("authorization") === null) clock += 301_000;
        return response;
      },
    });
    const response = await createAuthFetch(MUFASA)(`${server.origin}/`);
    expect(response.status).toBe(200);
    expect(authorizations(server)).toHaveLength(3);
  });

  test("Digest: a wrong password gets exactly one retry, and its 401 is returned", async () => {
    const server = await start([digest(["SHA-256"])]);
    const authFetch = createAuthFetch({ username: "Mufasa", password: "wrong" });
    const response = await authFetch(`${server.origin}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/^401 Unauthorized/);
    expect(server.requests).toHaveLength(2);
    // Nothing was remembered: the next request starts without credentials.
    await authFetch(`${server.origin}/`);
    expect(authorizations(server)[2]).toBeNull();
  });

  test("Digest: rspauth is verified, and a tampered one is refused with rspauth-mismatch", async () => {
    let tamper = false;
    const server = await start([digest(["SHA-256"])], {
      wrap: (handler) => async (request) => {
        const response = await handler(request);
        const info = response.headers.get("authentication-info");
        if (!tamper || info === null) return response;
        const headers = new Headers(response.headers);
        headers.set(
          "Authentication-Info",
          info.replace(/rspauth="([0-9a-f])/, (_all, digit: string) => `rspauth="${digit === "0" ? "1" : "0"}`),
        );
        return new Response(response.body, { status: response.status, headers });
      },
    });
    const authFetch = createAuthFetch(MUFASA);
    const genuine = await authFetch(`${server.origin}/`);
    expect(genuine.status).toBe(200);
    expect(genuine.headers.get("authentication-info")).toMatch(/rspauth=/);

    tamper = true;
    await expect(authFetch(`${server.origin}/`)).rejects.toSatisfy(
      (error: unknown) => isHTTPAuthError(error) && error.code === "rspauth-mismatch",
    );
    // The impostor's challenge is forgotten: no credentials are sent pre-emptively any more.
    tamper = false;
    await authFetch(`${server.origin}/`);
    expect(authorizations(server).at(-2)).toBeNull();
  });

  test("Digest auth-int: the body is hashed; the retry replays it", async () => {
    const server = await start([digest(["SHA-256"], { qop: ["auth-int"] })], {
      // core's Authentication-Info covers an empty response body, so answer with none.
      wrap: (handler) => async (request) => {
        const response = await handler(request);
        return new Response(null, {
          status: response.status === 200 ? 204 : response.status,
          headers: response.headers,
        });
      },
    });
    const response = await createAuthFetch(MUFASA)(`${server.origin}/upload`, { method: "PUT", body: "payload" });
    expect(response.status).toBe(204);
    expect(digestParams(authorizations(server)[1]).qop).toBe("auth-int");
    expect(await server.requests[1]?.text()).toBe("payload");
  });

  test("a POST body is sent again with the answer", async () => {
    const server = await start([basic]);
    const response = await createAuthFetch(MUFASA)(`${server.origin}/echo`, {
      method: "POST",
      body: new URLSearchParams({ a: "1", b: "two" }),
    });
    expect(await response.text()).toBe("basic:Mufasa:a=1&b=two");
    expect(server.requests[1]?.headers.get("content-type")).toBe("application/x-www-form-urlencoded;charset=UTF-8");
  });

  test("a Request input with a body is buffered and replayed", async () => {
    const server = await start([digest(["SHA-256"])]);
    const request = new Request(`${server.origin}/echo`, { method: "POST", body: "from a Request" });
    const response = await createAuthFetch(MUFASA)(request);
    expect(await response.text()).toBe("digest:Mufasa:from a Request");
  });

  test("a ReadableStream body is refused with a TypeError", async () => {
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("x"));
        controller.close();
      },
    });
    await expect(
      createAuthFetch(MUFASA, { fetch: () => Promise.reject(new Error("not sent")) })("https://api.example/", {
        method: "POST",
        body: stream,
        duplex: "half",
      } as RequestInit),
    ).rejects.toThrow(/ReadableStream body cannot be sent again/);
  });

  test("Bearer: the token goes on the first request", async () => {
    const server = await start([basic, bearer]);
    const response = await createAuthFetch({ token: "t0k3n" })(`${server.origin}/`);
    expect(await response.text()).toBe("bearer:service:");
    expect(authorizations(server)).toEqual(["Bearer t0k3n"]);
  });

  test("Bearer: a rejected token is not sent again, and its 401 is returned", async () => {
    const server = await start([bearer]);
    const response = await createAuthFetch({ token: "revoked" })(`${server.origin}/`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_token"');
    expect(server.requests).toHaveLength(1);
  });

  test("a token cannot answer Basic or Digest: the 401 is returned after one request", async () => {
    const server = await start([basic, digest(["SHA-256"])]);
    const response = await createAuthFetch({ token: "t0k3n" })(`${server.origin}/`);
    expect(response.status).toBe(401);
    expect(server.requests).toHaveLength(1);
  });

  // Node's fetch (undici) follows the Fetch standard, which turns a 407 into a network error for a request
  // without a window; so do browsers. Deno's and Bun's fetch return it. The proxy tests call the handler in-process.
  test("Node's fetch turns a 407 into a network error (why proxy needs another fetch)", async () => {
    const server = await start([basic], { proxy: true });
    await expect(fetch(`${server.origin}/`)).rejects.toThrow(TypeError);
  });

  function inProcess(schemes: readonly AuthScheme<unknown>[], log: Request[]) {
    const handler = protect(
      (_request, { identity, scheme }) => new Response(`${scheme}:${String(identity)}`),
      createAuthenticator({ schemes, proxy: true, now: () => clock }),
    );
    return (request: Request): Promise<Response> => {
      log.push(request);
      return handler(request);
    };
  }

  test("proxy: 407 answered with Proxy-Authorization, Proxy-Authentication-Info verified", async () => {
    const log: Request[] = [];
    const authFetch = createAuthFetch(MUFASA, { proxy: true, fetch: inProcess([digest(["SHA-256"])], log) });
    const response = await authFetch("http://api.example/");
    expect(response.status).toBe(200);
    expect(response.headers.get("proxy-authentication-info")).toMatch(/rspauth=/);
    expect(log.map((request) => request.headers.get("proxy-authorization")?.slice(0, 7) ?? null)).toEqual([
      null,
      "Digest ",
    ]);
    expect(log.map((request) => request.headers.get("authorization"))).toEqual([null, null]);
  });

  test("without proxy: true a 407 is returned unanswered", async () => {
    const log: Request[] = [];
    const response = await createAuthFetch(MUFASA, { fetch: inProcess([basic], log) })("https://api.example/");
    expect(response.status).toBe(407);
    expect(log).toHaveLength(1);
  });

  test("credentials are remembered per origin: another origin is not sent them unasked", async () => {
    const first = await start([digest(["SHA-256"])]);
    const second = await start([digest(["SHA-256"])]);
    const authFetch = createAuthFetch(MUFASA);
    await authFetch(`${first.origin}/`);
    await authFetch(`${second.origin}/`);
    expect(authorizations(second)[0]).toBeNull();
    await authFetch(`${first.origin}/`);
    expect(digestParams(authorizations(first)[2]).nc).toBe("00000002");
  });

  test("the protection space of domain is respected", async () => {
    const server = await start([digest(["SHA-256"], { domain: ["/private/"] })]);
    const authFetch = createAuthFetch(MUFASA);
    await authFetch(`${server.origin}/private/a`);
    await authFetch(`${server.origin}/private/b`);
    await authFetch(`${server.origin}/public`);
    const sent = authorizations(server);
    expect(sent[2]).not.toBeNull(); // /private/b pre-emptive
    expect(sent[3]).toBeNull(); // /public outside the space
  });
});

describe("createAuthFetch() with a fake fetch (no network)", () => {
  function challenging(value: string | null, log: Request[] = [], status = 401) {
    return (request: Request): Promise<Response> => {
      log.push(request);
      if (request.headers.has("authorization")) return Promise.resolve(new Response("in", { status: 200 }));
      const headers = value === null ? undefined : { "WWW-Authenticate": value };
      return Promise.resolve(new Response("challenge", { status, ...(headers ? { headers } : {}) }));
    };
  }

  test("Basic over plain http to a host that is not loopback is refused with a TypeError that says how to allow it", async () => {
    const log: Request[] = [];
    const authFetch = createAuthFetch(MUFASA, { fetch: challenging('Basic realm="api"', log) });
    for (const url of ["http://api.example/", "http://10.0.0.1/", "http://[::2]/", "http://localhost.example/"]) {
      await expect(authFetch(url)).rejects.toThrow(TypeError);
    }
    await expect(authFetch("http://api.example/")).rejects.toThrow(/allowInsecureBasic: true/);
    expect(log.every((request) => !request.headers.has("authorization"))).toBe(true);
  });

  test("Basic over http is sent to loopback, over https anywhere, and with allowInsecureBasic", async () => {
    const authFetch = createAuthFetch(MUFASA, { fetch: challenging('Basic realm="api"') });
    for (const url of [
      "http://localhost:8080/",
      "http://127.0.0.1/",
      "http://127.1.2.3/",
      "http://[::1]/",
      "https://api.example/",
    ]) {
      expect((await authFetch(url)).status).toBe(200);
    }
    const allowed = createAuthFetch(MUFASA, { fetch: challenging('Basic realm="api"'), allowInsecureBasic: true });
    expect((await allowed("http://api.example/")).status).toBe(200);
  });

  test("Bearer over plain http to a host that is not loopback is refused with a TypeError that says how to allow it", async () => {
    // An attacker on the path (or a server reached by a plain-http link) answers 401 Bearer to harvest the token.
    const log: Request[] = [];
    const authFetch = createAuthFetch({ token: "t0k3n" }, { fetch: challenging('Bearer realm="api"', log) });
    for (const url of ["http://api.example/", "http://10.0.0.1/", "http://[::2]/", "http://localhost.example/"]) {
      await expect(authFetch(url)).rejects.toThrow(TypeError);
    }
    await expect(authFetch("http://api.example/")).rejects.toThrow(/allowInsecureBearer: true/);
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((request) => !request.headers.has("authorization"))).toBe(true);
  });

  test("Bearer over http is sent to loopback, over https anywhere, and with allowInsecureBearer", async () => {
    const authFetch = createAuthFetch({ token: "t0k3n" }, { fetch: challenging('Bearer realm="api"') });
    for (const url of ["http://localhost:8080/", "http://127.0.0.1/", "http://[::1]/", "https://api.example/"]) {
      expect((await authFetch(url)).status).toBe(200);
    }
    const allowed = createAuthFetch(
      { token: "t0k3n" },
      { fetch: challenging('Bearer realm="api"'), allowInsecureBearer: true },
    );
    expect((await allowed("http://api.example/")).status).toBe(200);
    // allowInsecureBasic does not allow Bearer.
    const basicOnly = createAuthFetch(
      { token: "t0k3n" },
      { fetch: challenging('Bearer realm="api"'), allowInsecureBasic: true },
    );
    await expect(basicOnly("http://api.example/")).rejects.toThrow(TypeError);
  });

  test("minimumDigestAlgorithm: a server that offers only MD5 (or MD5-sess) gets no credentials", async () => {
    for (const algorithm of ["MD5", "MD5-sess", undefined] as const) {
      const log: Request[] = [];
      const weak = serializeChallenge(
        await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: algorithm ?? "MD5" }),
      );
      // No algorithm parameter at all means MD5 (RFC 7616 §3.3).
      const challenge = algorithm === undefined ? weak.replace(/, algorithm=MD5(?=,|$)/, "") : weak;
      expect(challenge.includes("algorithm") === (algorithm !== undefined)).toBe(true);
      const authFetch = createAuthFetch(MUFASA, {
        fetch: challenging(challenge, log),
        minimumDigestAlgorithm: "SHA-256",
      });
      const response = await authFetch("https://api.example/");
      expect([algorithm, response.status, log.length]).toEqual([algorithm, 401, 1]);
      expect(log[0]?.headers.has("authorization")).toBe(false);
    }
  });

  test("minimumDigestAlgorithm: a downgrade to MD5 beside a stronger challenge answers the stronger one", async () => {
    const log: Request[] = [];
    const md5 = serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "MD5" }));
    const sha = serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "SHA-256" }));
    const authFetch = createAuthFetch(MUFASA, {
      fetch: challenging(`${md5}, ${sha}`, log),
      minimumDigestAlgorithm: "SHA-256",
    });
    expect((await authFetch("https://api.example/")).status).toBe(200);
    expect(parseCredentials(log[1]?.headers.get("authorization") ?? "").params.algorithm).toBe("SHA-256");
    // SHA-512-256 as the minimum refuses SHA-256 too.
    const strictest = createAuthFetch(MUFASA, {
      fetch: challenging(`${md5}, ${sha}`),
      minimumDigestAlgorithm: "SHA-512-256",
    });
    expect((await strictest("https://api.example/")).status).toBe(401);
  });

  test("minimumDigestAlgorithm: MD5 is answered by default, and a bad value is a TypeError", async () => {
    const md5 = serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "MD5" }));
    expect((await createAuthFetch(MUFASA, { fetch: challenging(md5) })("https://api.example/")).status).toBe(200);
    expect(() => createAuthFetch(MUFASA, { minimumDigestAlgorithm: "SHA-1" as never })).toThrow(TypeError);
    expect(() => createAuthFetch(MUFASA, { minimumDigestAlgorithm: "sha-256" as never })).toThrow(TypeError);
  });

  test("Digest over http to any host is fine, and chosen over Basic", async () => {
    const log: Request[] = [];
    const challenge = serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET }));
    const authFetch = createAuthFetch(MUFASA, { fetch: challenging(`Basic realm="api", ${challenge}`, log) });
    expect((await authFetch("http://api.example/")).status).toBe(200);
    expect(log[1]?.headers.get("authorization")).toMatch(/^Digest /);
  });

  test.each([
    ["unparsable", 'Digest realm="unterminated'],
    ["a repeated parameter", 'Basic realm="a", realm="b"'],
    ["oversized", `Basic realm="${"x".repeat(9000)}"`],
    ["Basic without realm", "Basic"],
    ["Basic with a blank realm", 'Basic realm=" "'],
    ["Digest without realm", 'Digest nonce="abc", qop="auth"'],
    ["Digest without nonce", 'Digest realm="api", qop="auth"'],
    ["Digest with an unknown algorithm", 'Digest realm="api", nonce="abc", algorithm=SHA-1'],
    ["Digest with an unknown qop", 'Digest realm="api", nonce="abc", qop="auth-conf"'],
    ["an unknown scheme", 'Negotiate, Newauth realm="x"'],
    ["an empty field", ""],
    ["no field at all", null],
  ])("a hostile 401 (%s) is returned as is, unanswered", async (_name, value) => {
    const log: Request[] = [];
    const response = await createAuthFetch(MUFASA, { fetch: challenging(value, log) })("https://api.example/");
    expect(response.status).toBe(401);
    expect(await response.text()).toBe("challenge");
    expect(log).toHaveLength(1);
  });

  test("a broken Digest challenge does not hide a good one behind it", async () => {
    const log: Request[] = [];
    const good = serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "MD5" }));
    const value = `Digest realm="api", nonce="n", algorithm=SHA-512-256, qop="auth-conf", ${good}, Basic realm="api"`;
    const response = await createAuthFetch(MUFASA, { fetch: challenging(value, log) })("https://api.example/");
    expect(response.status).toBe(200);
    expect(parseCredentials(log[1]?.headers.get("authorization") ?? "").params.algorithm).toBe("MD5");
  });

  test("many challenges are handled without trouble", async () => {
    const log: Request[] = [];
    const value = Array.from({ length: 300 }, (_, index) => `X${index} a=b`).join(", ") + ', Basic realm="api"';
    const response = await createAuthFetch(MUFASA, { fetch: challenging(value, log) })("https://api.example/");
    expect(response.status).toBe(200);
  });

  test("a 401 reached through a redirect is returned unanswered", async () => {
    const log: Request[] = [];
    const authFetch = createAuthFetch(MUFASA, {
      fetch: async (request) => {
        log.push(request);
        const response = new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="x"' } });
        Object.defineProperty(response, "redirected", { value: true });
        return response;
      },
    });
    expect((await authFetch("https://api.example/")).status).toBe(401);
    expect(log).toHaveLength(1);
  });

  test("other statuses are returned untouched", async () => {
    const original = new Response("forbidden", { status: 403, headers: { "WWW-Authenticate": 'Basic realm="x"' } });
    const authFetch = createAuthFetch(MUFASA, { fetch: () => Promise.resolve(original) });
    expect(await authFetch("https://api.example/")).toBe(original);
  });

  test("nextnonce in Authentication-Info is used for the next request, nc from 1", async () => {
    const log: Request[] = [];
    const nonceCounts = false;
    const server = async (request: Request): Promise<Response> => {
      log.push(request);
      const authorization = request.headers.get("authorization");
      const challenge = await createDigestChallenge({ realm: "api", secret: SECRET });
      if (authorization === null) {
        return new Response(null, { status: 401, headers: { "WWW-Authenticate": serializeChallenge(challenge) } });
      }
      const result = await verifyDigestCredentials(authorization, {
        method: request.method,
        uri: new URL(request.url).pathname,
        realm: "api",
        secret: SECRET,
        nonceCounts,
        password: () => "Circle of Life",
        authenticationInfo: { nextnonce: true },
      });
      if (!result.ok) return new Response(null, { status: 401 });
      return new Response("ok", { headers: { "Authentication-Info": result.authenticationInfo ?? "" } });
    };
    const authFetch = createAuthFetch(MUFASA, { fetch: server });
    const first = await authFetch("https://api.example/");
    const nextnonce = /nextnonce="([^"]+)"/.exec(first.headers.get("authentication-info") ?? "")?.[1];
    expect(nextnonce).toBeDefined();
    expect((await authFetch("https://api.example/")).status).toBe(200);
    const params = parseCredentials(log[2]?.headers.get("authorization") ?? "").params;
    expect(params.nonce).toBe(nextnonce);
    expect(params.nc).toBe("00000001");
  });

  test("a malformed Authentication-Info is refused with the parse error", async () => {
    const challenge = serializeChallenge(await createDigestChallenge({ realm: "api", secret: SECRET }));
    const authFetch = createAuthFetch(MUFASA, {
      fetch: async (request) =>
        request.headers.has("authorization")
          ? new Response("ok", { headers: { "Authentication-Info": 'rspauth="unterminated' } })
          : new Response(null, { status: 401, headers: { "WWW-Authenticate": challenge } }),
    });
    await expect(authFetch("https://api.example/")).rejects.toSatisfy(isHTTPAuthError);
  });

  test("the user's headers, method and URL are kept on the retry", async () => {
    const log: Request[] = [];
    const authFetch = createAuthFetch(MUFASA, { fetch: challenging('Basic realm="api"', log) });
    await authFetch(new URL("https://api.example/a?b=c"), { method: "DELETE", headers: { "X-Trace": "42" } });
    expect(log).toHaveLength(2);
    expect(log[1]?.method).toBe("DELETE");
    expect(log[1]?.url).toBe("https://api.example/a?b=c");
    expect(log[1]?.headers.get("x-trace")).toBe("42");
    expect(log[1]?.headers.get("authorization")).toBe("Basic TXVmYXNhOkNpcmNsZSBvZiBMaWZl");
  });

  test("bad arguments throw TypeError", () => {
    expect(() => createAuthFetch({} as { token: string })).toThrow(TypeError);
    expect(() => createAuthFetch({ token: "a", username: "b", password: "c" } as { token: string })).toThrow(TypeError);
    expect(() => createAuthFetch({ token: "not a token" })).toThrow(TypeError);
    expect(() => createAuthFetch({ username: "a", password: 1 } as unknown as typeof MUFASA)).toThrow(TypeError);
    expect(() => createAuthFetch(MUFASA, { fetch: "x" as unknown as typeof fetch })).toThrow(TypeError);
  });

  test("a Basic user name with ':' is refused when Basic is to be sent", async () => {
    const authFetch = createAuthFetch({ username: "a:b", password: "c" }, { fetch: challenging('Basic realm="x"') });
    await expect(authFetch("https://api.example/")).rejects.toThrow(TypeError);
  });
});
