// createAuthFetch with DPoP credentials (RFC 9449), against real node:http servers on 127.0.0.1 that
// write their header lines as given (several WWW-Authenticate lines stay several lines on the wire).

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { bearerAuth, computeJwkThumbprint, createAuthenticator, dpopAuth, generateDpopKeyPair } from "@httpauth/core";
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from "jose";
import { afterEach, describe, expect, test } from "vitest";
import { createAuthFetch, protect } from "../src/index.ts";
import type { TestServer } from "./helpers/node-server.ts";
import { serve } from "./helpers/node-server.ts";

interface Seen {
  method: string;
  path: string;
  authorization: string | undefined;
  proof: string | undefined;
  body: string;
}

interface Answer {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

interface RawServer {
  origin: string;
  seen: Seen[];
  close(): Promise<void>;
}

const servers: RawServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function readBody(incoming: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of incoming) text += String(chunk);
  return text;
}

/** A node:http server whose answers are written exactly: arrays of header values become several lines. */
function serveRaw(answer: (seen: Seen, index: number) => Answer): Promise<RawServer> {
  const seen: Seen[] = [];
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    void readBody(incoming).then((body) => {
      const request: Seen = {
        method: incoming.method ?? "GET",
        path: incoming.url ?? "/",
        authorization: incoming.headers.authorization,
        proof: incoming.headers.dpop as string | undefined,
        body,
      };
      seen.push(request);
      const { status = 200, headers = {}, body: text = "ok" } = answer(request, seen.length - 1);
      outgoing.statusCode = status;
      for (const [name, value] of Object.entries(headers)) outgoing.setHeader(name, value);
      outgoing.end(text);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const started: RawServer = {
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      };
      servers.push(started);
      resolve(started);
    });
  });
}

function claimsOf(proof: string | undefined): Record<string, unknown> {
  const payload = (proof ?? "").split(".")[1] ?? "";
  return JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/"))) as Record<string, unknown>;
}

const TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
/** RFC 9449 §7.1: the ath of TOKEN. */
const TOKEN_ATH = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";

/** A 401 asking for a nonce, in a given layout of WWW-Authenticate lines. */
const LAYOUTS: Record<string, string | string[]> = {
  "DPoP alone": 'DPoP algs="ES256", error="use_dpop_nonce"',
  "Bearer, DPoP on one line": 'Bearer realm="api", DPoP algs="ES256 PS256", error="use_dpop_nonce"',
  "DPoP, Bearer on one line": 'DPoP error="use_dpop_nonce", error_description="Nonce please", Bearer realm="api"',
  "Bearer line, then DPoP line": ['Bearer realm="api"', 'DPoP algs="ES256", error="use_dpop_nonce"'],
  "DPoP line, then Bearer line": ['DPoP error="use_dpop_nonce"', 'Bearer realm="api", error="invalid_token"'],
  "Basic, Bearer and DPoP on three lines": ['Basic realm="api"', "Bearer", "DPoP error=use_dpop_nonce"],
};

describe("createAuthFetch({ token, dpop })", () => {
  test("createAuthFetch({ token, dpop }) sends Authorization: DPoP and a new proof per request that jose accepts", async () => {
    const server = await serveRaw(() => ({}));
    const keyPair = await generateDpopKeyPair();
    const authFetch = createAuthFetch({ token: TOKEN, dpop: keyPair });
    await authFetch(`${server.origin}/files/a?page=2#top`);
    await authFetch(`${server.origin}/files/a`, { method: "PUT", body: "x" });
    const expectedJkt = await calculateJwkThumbprint(await crypto.subtle.exportKey("jwk", keyPair.publicKey));
    const ids = new Set<unknown>();
    for (const [index, request] of server.seen.entries()) {
      expect(request.authorization).toBe(`DPoP ${TOKEN}`);
      const { payload, protectedHeader } = await jwtVerify(request.proof ?? "", EmbeddedJWK, { typ: "dpop+jwt" });
      expect(await calculateJwkThumbprint(protectedHeader.jwk!)).toBe(expectedJkt);
      expect(payload.htm).toBe(index === 0 ? "GET" : "PUT");
      expect(payload.htu).toBe(`${server.origin}/files/a`);
      expect(payload.ath).toBe(TOKEN_ATH);
      expect(Math.abs(Number(payload.iat) - Date.now() / 1000)).toBeLessThan(60);
      expect(payload).not.toHaveProperty("nonce");
      ids.add(payload.jti);
    }
    expect(ids.size).toBe(2);
  });

  test("createAuthFetch({ dpop }) sends proofs only, without ath, and keeps the caller's Authorization", async () => {
    const server = await serveRaw(() => ({}));
    const authFetch = createAuthFetch({ dpop: await generateDpopKeyPair("EdDSA") });
    await authFetch(`${server.origin}/token`, {
      method: "POST",
      headers: { Authorization: "Basic Y2xpZW50OnNlY3JldA==" },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    const [request] = server.seen;
    expect(request?.authorization).toBe("Basic Y2xpZW50OnNlY3JldA==");
    expect(request?.body).toBe("grant_type=client_credentials");
    const claims = claimsOf(request?.proof);
    expect(claims.htm).toBe("POST");
    expect(claims).not.toHaveProperty("ath");
  });

  test("createAuthFetch() with DPoP refuses bad credentials and proxy: true", async () => {
    const keyPair = await generateDpopKeyPair();
    const bad: unknown[] = [
      { dpop: "key" },
      { dpop: null },
      { dpop: {} },
      { dpop: keyPair, token: "" },
      { dpop: keyPair, token: 42 },
      { dpop: keyPair, token: "two words" },
      { dpop: keyPair, token: "line\r\nbreak" },
      { dpop: keyPair, username: "a", password: "b" },
    ];
    for (const credentials of bad) {
      expect(() => createAuthFetch(credentials as { dpop: CryptoKeyPair })).toThrow(TypeError);
    }
    expect(() => createAuthFetch({ dpop: keyPair }, { proxy: true })).toThrow(TypeError);
    const notAPair = createAuthFetch({ dpop: { privateKey: keyPair.publicKey, publicKey: keyPair.privateKey } });
    await expect(notAPair("http://127.0.0.1:9/")).rejects.toThrow(TypeError);
  });

  test("createAuthFetch() never makes the private key extractable, nor sends it", async () => {
    const server = await serveRaw(() => ({}));
    for (const algorithm of ["ES256", "RS256", "EdDSA"] as const) {
      const keyPair = await generateDpopKeyPair(algorithm);
      await createAuthFetch({ token: TOKEN, dpop: keyPair })(`${server.origin}/`);
      expect(keyPair.privateKey.extractable).toBe(false);
      await expect(crypto.subtle.exportKey("jwk", keyPair.privateKey)).rejects.toThrow();
    }
    for (const { proof } of server.seen) {
      const header = JSON.parse(atob((proof ?? "").split(".")[0]!.replaceAll("-", "+").replaceAll("_", "/")));
      for (const member of ["d", "p", "q", "dp", "dq", "qi"]) expect(header.jwk).not.toHaveProperty(member);
    }
  });
});

describe("createAuthFetch() with DPoP: server nonces", () => {
  test("createAuthFetch() remembers DPoP-Nonce per origin, from any response", async () => {
    let count = 0;
    const first = await serveRaw(() => ({ status: 404, headers: { "DPoP-Nonce": `first-${++count}` } }));
    const second = await serveRaw(() => ({}));
    const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
    await authFetch(`${first.origin}/a`);
    await authFetch(`${second.origin}/b`);
    await authFetch(`${first.origin}/c`);
    await authFetch(`${first.origin}/d`);
    expect(first.seen.map((request) => claimsOf(request.proof).nonce)).toEqual([undefined, "first-1", "first-2"]);
    expect(claimsOf(second.seen[0]?.proof)).not.toHaveProperty("nonce");
  });

  test.each(Object.entries(LAYOUTS))("createAuthFetch() answers use_dpop_nonce once: %s", async (_name, lines) => {
    const server = await serveRaw((request) =>
      claimsOf(request.proof).nonce === "n-1"
        ? { body: "welcome" }
        : { status: 401, headers: { "WWW-Authenticate": lines, "DPoP-Nonce": "n-1" } },
    );
    const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
    const response = await authFetch(`${server.origin}/resource`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("welcome");
    expect(server.seen).toHaveLength(2);
    const [before, after] = server.seen.map((request) => claimsOf(request.proof));
    expect(after?.nonce).toBe("n-1");
    expect(after?.jti).not.toBe(before?.jti);
  });

  test("createAuthFetch() retries once, never twice, when every answer asks for a new nonce", async () => {
    let count = 0;
    const server = await serveRaw(() => ({
      status: 401,
      headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": `n-${++count}` },
    }));
    const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
    const response = await authFetch(`${server.origin}/`);
    expect(response.status).toBe(401);
    expect(server.seen).toHaveLength(2);
    // The next request starts with the newest nonce, and again retries once at most.
    await authFetch(`${server.origin}/`);
    expect(server.seen.map((request) => claimsOf(request.proof).nonce)).toEqual([undefined, "n-1", "n-2", "n-3"]);
  });

  test("createAuthFetch() does not retry without a new valid nonce, nor for other errors", async () => {
    const answers: Answer[] = [
      { status: 401, headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"' } },
      { status: 401, headers: { "WWW-Authenticate": 'DPoP error="invalid_dpop_proof"', "DPoP-Nonce": "n" } },
      { status: 401, headers: { "WWW-Authenticate": 'Bearer error="use_dpop_nonce"', "DPoP-Nonce": "n" } },
      { status: 401, headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce" "broken', "DPoP-Nonce": "n" } },
      { status: 403, headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n" } },
      { status: 400, headers: { "DPoP-Nonce": "n" }, body: '{"error":"invalid_dpop_proof"}' },
      { status: 400, headers: { "DPoP-Nonce": "n" }, body: "use_dpop_nonce" },
      { status: 400, headers: { "DPoP-Nonce": "n" }, body: `{"error":"use_dpop_nonce","pad":"${"x".repeat(5000)}"}` },
      { status: 500, headers: { "DPoP-Nonce": "n" }, body: '{"error":"use_dpop_nonce"}' },
    ];
    for (const answer of answers) {
      const server = await serveRaw(() => answer);
      const response = await createAuthFetch({ dpop: await generateDpopKeyPair() })(`${server.origin}/`);
      expect(response.status).toBe(answer.status);
      expect(await response.text()).toBe(answer.body ?? "ok");
      expect(server.seen).toHaveLength(1);
    }
  });

  test("createAuthFetch() does not retry when the server repeats the nonce just sent", async () => {
    const server = await serveRaw(() => ({
      status: 401,
      headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "same" },
    }));
    const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
    await authFetch(`${server.origin}/`);
    await authFetch(`${server.origin}/`);
    expect(server.seen.map((request) => claimsOf(request.proof).nonce)).toEqual([undefined, "same", "same"]);
  });

  test("createAuthFetch() answers an authorization server's 400 use_dpop_nonce once, the form body sent again", async () => {
    const server = await serveRaw((request) =>
      claimsOf(request.proof).nonce === "as-nonce"
        ? { headers: { "Content-Type": "application/json" }, body: '{"access_token":"t","token_type":"DPoP"}' }
        : {
            status: 400,
            headers: { "Content-Type": "application/json", "DPoP-Nonce": "as-nonce" },
            body: '{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}',
          },
    );
    const authFetch = createAuthFetch({ dpop: await generateDpopKeyPair() });
    const response = await authFetch(`${server.origin}/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ access_token: "t", token_type: "DPoP" });
    expect(server.seen.map((request) => request.body)).toEqual([
      "grant_type=client_credentials",
      "grant_type=client_credentials",
    ]);
    expect(server.seen.map((request) => request.method)).toEqual(["POST", "POST"]);
  });

  test("createAuthFetch() with DPoP refuses a ReadableStream body, which could not be sent again", async () => {
    const server = await serveRaw(() => ({}));
    const authFetch = createAuthFetch({ dpop: await generateDpopKeyPair() });
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("once"));
        controller.close();
      },
    });
    await expect(
      authFetch(`${server.origin}/`, { method: "POST", body, duplex: "half" } as RequestInit),
    ).rejects.toThrow(TypeError);
    expect(server.seen).toHaveLength(0);
  });

  test("createAuthFetch() ignores a hostile DPoP-Nonce: bad characters or huge, never sent back", async () => {
    const hostile = ['a"b', "a\\b", "a b", "é", "x".repeat(1025), "evil, DPoP-Nonce=x"];
    for (const nonce of hostile) {
      const server = await serveRaw(() => ({
        status: 401,
        headers: { "WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": nonce },
      }));
      const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
      expect((await authFetch(`${server.origin}/`)).status).toBe(401);
      await authFetch(`${server.origin}/`);
      expect(server.seen).toHaveLength(2);
      for (const request of server.seen) expect(claimsOf(request.proof)).not.toHaveProperty("nonce");
    }
  });

  test("createAuthFetch() with DPoP gives challengeOf() for the 401 it returns", async () => {
    const server = await serveRaw(() => ({
      status: 401,
      headers: { "WWW-Authenticate": ['Bearer realm="api"', 'DPoP algs="ES256", error="invalid_token"'] },
    }));
    const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
    const response = await authFetch(`${server.origin}/`);
    const dpop = authFetch.challengeOf(response)?.challenges.find((challenge) => challenge.scheme === "dpop");
    expect(dpop?.algs).toEqual(["ES256"]);
    expect(dpop?.error).toBe("invalid_token");
  });

  test("createAuthFetch() forgets the least recently used origin's nonce beyond 64 origins", async () => {
    const origins: string[] = [];
    const seenNonces: unknown[] = [];
    const fake = (request: Request): Promise<Response> => {
      seenNonces.push(claimsOf(request.headers.get("DPoP") ?? undefined).nonce);
      return Promise.resolve(new Response("ok", { headers: { "DPoP-Nonce": new URL(request.url).hostname } }));
    };
    const authFetch = createAuthFetch({ dpop: await generateDpopKeyPair() }, { fetch: fake });
    for (let index = 0; index < 65; index++) origins.push(`https://h${index}.example/`);
    for (const origin of origins) await authFetch(origin);
    seenNonces.length = 0;
    await authFetch(origins[64]!);
    await authFetch(origins[0]!);
    expect(seenNonces).toEqual(["h64.example", undefined]);
  });
});

describe("createAuthFetch() with DPoP against core's dpopAuth", () => {
  /** A Bearer and a DPoP scheme side by side, DPoP with server nonces; its token bound to `jkt`. */
  async function startGuarded(jkt: string): Promise<TestServer> {
    const authenticator = createAuthenticator({
      schemes: [
        bearerAuth({ realm: "api", verify: () => undefined }),
        dpopAuth({
          realm: "api",
          nonce: { secret: "a nonce secret of more than sixteen bytes" },
          verify: (token) => (token === TOKEN ? { identity: "service", cnf: { jkt } } : undefined),
        }),
      ],
    });
    const server = await serve(
      protect(
        async (request, { identity, scheme }) => new Response(`${scheme}:${identity}:${await request.text()}`),
        authenticator,
      ),
    );
    guarded.push(server);
    return server;
  }
  const guarded: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(guarded.splice(0).map((server) => server.close()));
  });

  test("createAuthFetch({ token, dpop }) follows dpopAuth's use_dpop_nonce once, then sends the nonce at once", async () => {
    const keyPair = await generateDpopKeyPair();
    const jkt = await computeJwkThumbprint(await crypto.subtle.exportKey("jwk", keyPair.publicKey));
    const server = await startGuarded(jkt);
    const authFetch = createAuthFetch({ token: TOKEN, dpop: keyPair });
    const first = await authFetch(`${server.origin}/files`, { method: "POST", body: "payload" });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe("dpop:service:payload");
    expect(server.requests).toHaveLength(2);
    const second = await authFetch(`${server.origin}/files`);
    expect(second.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.map((request) => request.headers.get("authorization"))).toEqual([
      `DPoP ${TOKEN}`,
      `DPoP ${TOKEN}`,
      `DPoP ${TOKEN}`,
    ]);
  });

  test("createAuthFetch({ token, dpop }) with a key the token is not bound to gets dpopAuth's 401 invalid_token, once", async () => {
    const server = await startGuarded("another-thumbprint-aaaaaaaaaaaaaaaaaaaaaaaaa");
    const authFetch = createAuthFetch({ token: TOKEN, dpop: await generateDpopKeyPair() });
    const response = await authFetch(`${server.origin}/files`);
    expect(response.status).toBe(401);
    const dpop = authFetch.challengeOf(response)?.challenges.find((challenge) => challenge.scheme === "dpop");
    expect(dpop?.error).toBe("invalid_token");
    expect(server.requests).toHaveLength(2);
  });
});
