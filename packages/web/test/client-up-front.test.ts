// createAuthFetch() sending credentials up front (issue 18): Basic once its
// protection space is known, Bearer always, each counted in requests per call
// against real node:http servers on 127.0.0.1; and the guards around them.

import { basicAuth, bearerAuth, createAuthenticator, generateDpopKeyPair } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import { createAuthFetch, protect } from "../src/index.ts";
import type { TestServer } from "./helpers/node-server.ts";
import { serve } from "./helpers/node-server.ts";

const MUFASA = { username: "Mufasa", password: "Circle of Life" };
const MUFASA_BASIC = "Basic TXVmYXNhOkNpcmNsZSBvZiBMaWZl";

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A Basic-protected echo server; `password.current` is the password it accepts now. */
async function basicServer(password = { current: "Circle of Life" }, realm = "api"): Promise<TestServer> {
  const authenticator = createAuthenticator({
    schemes: [
      basicAuth({
        realm,
        verify: (username, given) => (username === "Mufasa" && given === password.current ? username : undefined),
      }),
    ],
  });
  const server = await serve(
    protect(async (request, { identity }) => new Response(`${identity}:${await request.text()}`), authenticator),
  );
  servers.push(server);
  return server;
}

/** A server with no authentication that records what it is sent. */
async function openServer(
  handler: (request: Request) => Promise<Response> = async () => new Response("open"),
): Promise<TestServer> {
  const server = await serve(handler);
  servers.push(server);
  return server;
}

/** What `server` was sent, from request `from` on: the `Authorization` of each request. */
function sentSince(server: TestServer, from: number): (string | null)[] {
  return server.requests.slice(from).map((request) => request.headers.get("authorization"));
}

describe("createAuthFetch() sends Basic up front once its protection space is known", () => {
  test("after one accepted challenge, each call is one request and a POST body is sent once", async () => {
    const server = await basicServer();
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    expect(sentSince(server, 0)).toEqual([null, MUFASA_BASIC]);

    const posted = await authFetch(`${server.origin}/items`, { method: "POST", body: "payload" });
    expect(await posted.text()).toBe("Mufasa:payload");
    expect(sentSince(server, 2)).toEqual([MUFASA_BASIC]);
    for (let index = 0; index < 3; index++) expect((await authFetch(`${server.origin}/${index}`)).status).toBe(200);
    expect(server.requests).toHaveLength(6);
  });

  test("another origin never receives the credentials up front: another port, or the same server by another name", async () => {
    const server = await basicServer();
    const other = await openServer();
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);

    expect(await (await authFetch(`${other.origin}/collect`)).text()).toBe("open");
    expect(sentSince(other, 0)).toEqual([null]);
    // localhost is the same socket but not the same origin: a challenge first, as for any new space.
    const byName = server.origin.replace("127.0.0.1", "localhost");
    expect((await authFetch(`${byName}/`)).status).toBe(200);
    expect(sentSince(server, 2)).toEqual([null, MUFASA_BASIC]);
  });

  test("a cross-origin redirect from the protected origin does not carry them along", async () => {
    const other = await openServer();
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (username) => username })],
    });
    const server = await openServer(
      protect((request) => {
        const url = new URL(request.url);
        return url.pathname === "/go" ? Response.redirect(`${other.origin}/landing`, 302) : new Response("in");
      }, authenticator),
    );
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    const response = await authFetch(`${server.origin}/go`);
    expect(await response.text()).toBe("open");
    expect(sentSince(server, 2)).toEqual([MUFASA_BASIC]);
    expect(sentSince(other, 0)).toEqual([null]);
  });

  test("a 401 to the up-front credentials forgets the space and is answered once: two requests, never more", async () => {
    const password = { current: "Circle of Life" };
    const server = await basicServer(password);
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);

    password.current = "changed";
    const refused = await authFetch(`${server.origin}/`, { method: "POST", body: "once" });
    expect(refused.status).toBe(401);
    expect(sentSince(server, 2)).toEqual([MUFASA_BASIC, MUFASA_BASIC]);
    // Forgotten: the next call starts without credentials, and is answered once.
    expect((await authFetch(`${server.origin}/`)).status).toBe(401);
    expect(sentSince(server, 4)).toEqual([null, MUFASA_BASIC]);

    password.current = "Circle of Life";
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    expect(sentSince(server, 6)).toEqual([null, MUFASA_BASIC, MUFASA_BASIC]);
  });

  test("a 401 to them that the answer then passes keeps the space remembered", async () => {
    let refuseNext = false;
    const inner = await basicServer();
    const server = await openServer(async (request) => {
      if (refuseNext && request.headers.has("authorization")) {
        refuseNext = false;
        return new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="api"' } });
      }
      return fetch(new Request(`${inner.origin}${new URL(request.url).pathname}`, request));
    });
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    refuseNext = true;
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    expect(sentSince(server, 0)).toEqual([null, MUFASA_BASIC, MUFASA_BASIC, MUFASA_BASIC, MUFASA_BASIC]);
  });

  test("only at or below the directory of the accepted URL (RFC 7617 §2.2), then what two accepted URLs share", async () => {
    const server = await basicServer();
    const authFetch = createAuthFetch(MUFASA);
    expect((await authFetch(`${server.origin}/docs/a`)).status).toBe(200);
    expect((await authFetch(`${server.origin}/docs/sub/b`)).status).toBe(200);
    expect(sentSince(server, 2)).toEqual([MUFASA_BASIC]);
    expect((await authFetch(`${server.origin}/other/c`)).status).toBe(200);
    expect(sentSince(server, 3)).toEqual([null, MUFASA_BASIC]);
    // /docs/ and /other/ share /: the whole origin now.
    expect((await authFetch(`${server.origin}/elsewhere`)).status).toBe(200);
    expect(sentSince(server, 5)).toEqual([MUFASA_BASIC]);
  });

  test("a wrong password is never remembered", async () => {
    const server = await basicServer();
    const authFetch = createAuthFetch({ username: "Mufasa", password: "wrong" });
    for (let index = 0; index < 2; index++) expect((await authFetch(`${server.origin}/`)).status).toBe(401);
    expect(sentSince(server, 0)).toEqual([null, "Basic TXVmYXNhOndyb25n", null, "Basic TXVmYXNhOndyb25n"]);
  });

  test("at most 64 spaces are remembered, the least recently used going first", async () => {
    const log: Request[] = [];
    const authFetch = createAuthFetch(MUFASA, {
      fetch: async (request) => {
        log.push(request);
        if (request.headers.has("authorization")) return new Response("in");
        return new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="api"' } });
      },
    });
    for (let index = 0; index <= 64; index++) await authFetch(`https://h${index}.example/`);
    expect(log).toHaveLength(130);
    await authFetch("https://h64.example/");
    expect(log).toHaveLength(131);
    await authFetch("https://h0.example/");
    expect(log.slice(131).map((request) => request.headers.get("authorization"))).toEqual([null, MUFASA_BASIC]);
  });

  test("Basic up front keeps the plain-http guard: only with allowInsecureBasic to a host that is not loopback", async () => {
    const log: Request[] = [];
    const options = {
      allowInsecureBasic: true,
      fetch: async (request: Request) => {
        log.push(request);
        if (request.headers.has("authorization")) return new Response("in");
        return new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="api"' } });
      },
    };
    const authFetch = createAuthFetch(MUFASA, options);
    await authFetch("http://intranet.example/");
    await authFetch("http://intranet.example/");
    expect(log.map((request) => request.headers.get("authorization"))).toEqual([null, MUFASA_BASIC, MUFASA_BASIC]);
    const strict = createAuthFetch(MUFASA, { ...options, allowInsecureBasic: false });
    await expect(strict("http://intranet.example/")).rejects.toThrow(/allowInsecureBasic: true/);
    expect(log).toHaveLength(4);
    expect(log[3]?.headers.has("authorization")).toBe(false);
  });
});

describe("createAuthFetch() sends a Bearer token on the first request", () => {
  async function bearerServer(): Promise<TestServer> {
    const authenticator = createAuthenticator({
      schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "svc" } : undefined) })],
    });
    const server = await serve(
      protect(async (request, { identity }) => new Response(`${identity}:${await request.text()}`), authenticator),
    );
    servers.push(server);
    return server;
  }

  test("one request per call, a POST body sent once", async () => {
    const server = await bearerServer();
    const authFetch = createAuthFetch({ token: "t0k3n" });
    const response = await authFetch(`${server.origin}/upload`, { method: "POST", body: "data" });
    expect(await response.text()).toBe("svc:data");
    expect((await authFetch(`${server.origin}/`)).status).toBe(200);
    expect(sentSince(server, 0)).toEqual(["Bearer t0k3n", "Bearer t0k3n"]);
  });

  test("a 401 to the token is returned after one request, not answered with the same token", async () => {
    const server = await bearerServer();
    const response = await createAuthFetch({ token: "expired" })(`${server.origin}/`);
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);
    expect(server.requests).toHaveLength(1);
  });

  test("over plain http to a host that is not loopback it waits for a challenge, which throws", async () => {
    const log: Request[] = [];
    const open = createAuthFetch(
      { token: "t0k3n" },
      {
        fetch: async (request) => {
          log.push(request);
          return new Response("public");
        },
      },
    );
    expect(await (await open("http://api.example/public")).text()).toBe("public");
    expect(log[0]?.headers.has("authorization")).toBe(false);

    const challenged = createAuthFetch(
      { token: "t0k3n" },
      {
        fetch: async (request) => {
          log.push(request);
          return new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="api"' } });
        },
      },
    );
    await expect(challenged("http://api.example/")).rejects.toThrow(/allowInsecureBearer: true/);
    expect(log.every((request) => !request.headers.has("authorization"))).toBe(true);
  });

  test("with allowInsecureBearer it goes up front over plain http too", async () => {
    const sent: (string | null)[] = [];
    const authFetch = createAuthFetch(
      { token: "t0k3n" },
      {
        allowInsecureBearer: true,
        fetch: async (request) => {
          sent.push(request.headers.get("authorization"));
          return new Response("in");
        },
      },
    );
    await authFetch("http://api.example/");
    expect(sent).toEqual(["Bearer t0k3n"]);
  });
});

describe("createAuthFetch() with DPoP keeps Bearer's plain-http guard", () => {
  test("a DPoP-bound token is refused over plain http to a host that is not loopback, before anything is sent", async () => {
    const keyPair = await generateDpopKeyPair();
    const sent: Request[] = [];
    const send = async (request: Request) => {
      sent.push(request);
      return new Response("in");
    };
    const authFetch = createAuthFetch({ token: "t0k3n", dpop: keyPair }, { fetch: send });
    for (const url of ["http://api.example/", "http://10.0.0.1/", "http://localhost.example/"]) {
      await expect(authFetch(url)).rejects.toThrow(/DPoP-bound token.*allowInsecureBearer: true/);
    }
    expect(sent).toHaveLength(0);

    for (const url of ["http://127.0.0.1:8080/", "http://localhost/", "https://api.example/"]) await authFetch(url);
    expect(sent.map((request) => request.headers.get("authorization"))).toEqual([
      "DPoP t0k3n",
      "DPoP t0k3n",
      "DPoP t0k3n",
    ]);
    const allowed = createAuthFetch({ token: "t0k3n", dpop: keyPair }, { fetch: send, allowInsecureBearer: true });
    await allowed("http://api.example/");
    // Proofs alone (a token request) carry no token: not refused.
    await createAuthFetch({ dpop: keyPair }, { fetch: send })("http://as.example/token", { method: "POST" });
    expect(sent).toHaveLength(5);
    expect(sent[4]?.headers.has("authorization")).toBe(false);
    expect(sent[4]?.headers.has("dpop")).toBe(true);
  });
});
