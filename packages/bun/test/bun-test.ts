// @httpauth/bun under real Bun: Bun.serve on 127.0.0.1 with the handler as
// `fetch` and as a `routes` entry, real fetch over loopback, and raw bytes
// read from a node:net socket to see the header lines exactly as Bun writes
// them.
//
// Run from packages/bun: bun test ./test/bun-test.ts

import { afterAll, beforeAll, describe, test } from "bun:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Authenticator, ThrottleStore } from "@httpauth/core";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  createMemoryThrottleStore,
  digestAuth,
  parseChallenges,
  serializeCredentials,
  verifyDigestAuthenticationInfo,
} from "@httpauth/core";
import type { BunHandler, BunServer, RouteRequest } from "../src/index.ts";
import * as library from "../src/index.ts";
import { hashPassword, protect, verifyPassword } from "../src/index.ts";

// ── Fixtures ────────────────────────────────────────────────────────────────

interface User {
  user: string;
}

/** The slice of Bun.serve's options and server these tests use, typed here since @types/bun is not installed. */
interface ServeOptions {
  port: number;
  hostname: string;
  fetch?: (request: Request, server: BunServer) => Response | undefined | Promise<Response | undefined>;
  websocket?: { message(socket: { send(message: string | Uint8Array): void }, message: string | Uint8Array): void };
  routes?: Record<string, (request: RouteRequest, server: BunServer) => Response | Promise<Response>>;
  error?: (error: Error) => Response;
}
interface RunningServer {
  readonly port: number;
  stop(closeActiveConnections?: boolean): Promise<void>;
}
const { serve: bunServe } = (globalThis as unknown as { Bun: { serve(options: ServeOptions): RunningServer } }).Bun;

const SECRET = "a server secret of at least sixteen bytes";

function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** Basic, Bearer (scope "read", form bodies on) and Digest, all in realm "api": three challenges. */
function tableAuthenticator(options: { proxy?: boolean; missingCredentialsStatus?: 401 | 403 } = {}) {
  return createAuthenticator({
    ...options,
    schemes: [
      basicAuth<User>({
        realm: "api",
        verify: (user, password) => (user === "ada" && password === "secret" ? { user } : undefined),
      }),
      bearerAuth<User>({
        realm: "api",
        scopes: ["read"],
        sources: { body: true },
        verify: (token) => {
          if (token === "read-token") return { identity: { user: "robot" }, scopes: ["read"] };
          if (token === "write-token") return { identity: { user: "robot" }, scopes: ["write"] };
          return undefined;
        },
      }),
      digestAuth<User>({
        realm: "api",
        secret: SECRET,
        password: (user) => (user === "ada" ? "secret" : undefined),
        identity: (user) => ({ user }),
      }),
    ],
  });
}

/** A handler that echoes who was let in, the path, and the route parameters when there are any. */
function echo(authenticator: Authenticator<User>): BunHandler<Request | RouteRequest> {
  return protect<User, Request | RouteRequest>(
    (request, _server, { identity, scheme }) =>
      Response.json({
        identity,
        scheme,
        path: new URL(request.url).pathname,
        params: "params" in request ? request.params : null,
      }),
    authenticator,
  );
}

type Mode = "fetch" | "routes";

interface TestServer {
  /** The base URL; resources live under `${base}/resource/<name>`. */
  base: string;
  port: number;
  close(): Promise<void>;
}

/** Serves `handler` as the fetch handler, or as the route `/resource/:name` (with a 404 fetch fallback). */
function serve(
  mode: Mode,
  handler: BunHandler<Request | RouteRequest>,
  error?: (error: Error) => Response,
): TestServer {
  const options: ServeOptions =
    mode === "fetch"
      ? { port: 0, hostname: "127.0.0.1", fetch: handler }
      : {
          port: 0,
          hostname: "127.0.0.1",
          routes: { "/resource/:name": handler },
          fetch: () => new Response("no such route", { status: 404 }),
        };
  const server = bunServe(error === undefined ? options : { ...options, error });
  return { base: `http://127.0.0.1:${server.port}`, port: server.port, close: () => server.stop(true) };
}

async function withServer(
  mode: Mode,
  handler: BunHandler<Request | RouteRequest>,
  body: (server: TestServer) => Promise<void>,
): Promise<void> {
  const server = serve(mode, handler);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** The response and its body text. */
async function get(url: string, headers: Record<string, string> = {}): Promise<[Response, string]> {
  const response = await fetch(url, { headers });
  return [response, await response.text()];
}

/** Sends a raw request over node:net, from `localAddress`, and returns every byte of the response as text. */
function rawRequest(port: number, head: string, localAddress = "127.0.0.1"): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress }, () => socket.write(head));
    const chunks: Uint8Array[] = [];
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
  });
}

/** The status code and the header field lines of a raw response, as [name, value] in wire order. */
function parseHead(raw: string): { status: number; lines: [string, string][] } {
  const end = raw.indexOf("\r\n\r\n");
  assert.notEqual(end, -1, "the response has a complete header section");
  const [statusLine = "", ...fieldLines] = raw.slice(0, end).split("\r\n");
  const lines = fieldLines.map((line): [string, string] => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { status: Number(statusLine.split(" ")[1]), lines };
}

function linesNamed(lines: readonly [string, string][], name: string): string[] {
  return lines.filter(([field]) => field.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
}

function schemesAndRealms(value: string | null): [string, string | undefined][] {
  return parseChallenges(value ?? "").map((challenge) => [challenge.scheme, challenge.params.realm]);
}

/** A throttle store that remembers the keys core asks about. */
function recordingStore(): ThrottleStore & { keys: string[] } {
  const inner = createMemoryThrottleStore();
  const keys: string[] = [];
  return {
    keys,
    get(key, now) {
      keys.push(key);
      return inner.get(key, now);
    },
    hit: (key, windowMs, now) => inner.hit(key, windowMs, now),
    reset: (key) => inner.reset(key),
  };
}

async function digestCredentialsFor(url: string, uri: string): Promise<Parameters<typeof serializeCredentials>[0]> {
  const [refused] = await get(url);
  const challenge = parseChallenges(refused.headers.get("www-authenticate") ?? "").find(
    (candidate) => candidate.scheme === "digest",
  );
  assert.ok(challenge, "a Digest challenge");
  return computeDigestCredentials(challenge, { username: "ada", password: "secret", method: "GET", uri });
}

// ── The outcome table, as fetch and as a route ──────────────────────────────

for (const mode of ["fetch", "routes"] as const) {
  describe(`protect() as ${mode === "fetch" ? "the fetch handler" : "a routes entry"}`, () => {
    let server: TestServer;
    let url: string;
    beforeAll(() => {
      server = serve(mode, echo(tableAuthenticator()));
      url = `${server.base}/resource/files`;
    });
    afterAll(() => server.close());

    test("answers 401 with every challenge, in order, when no credentials are sent", async () => {
      const [response, body] = await get(url);
      assert.equal(response.status, 401);
      assert.ok(body.startsWith("401 Unauthorized"));
      assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.deepEqual(schemesAndRealms(response.headers.get("www-authenticate")), [
        ["basic", "api"],
        ["bearer", "api"],
        ["digest", "api"],
      ]);
    });

    test("lets valid Basic credentials through with the identity and scheme", async () => {
      const [response, body] = await get(url, { Authorization: basic("ada", "secret") });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(body), {
        identity: { user: "ada" },
        scheme: "basic",
        path: "/resource/files",
        params: mode === "routes" ? { name: "files" } : null,
      });
      assert.equal(response.headers.get("www-authenticate"), null);
    });

    test("answers 401 with every challenge for a wrong Basic password", async () => {
      const [response] = await get(url, { Authorization: basic("ada", "wrong") });
      assert.equal(response.status, 401);
      assert.equal(schemesAndRealms(response.headers.get("www-authenticate")).length, 3);
    });

    test("lets a Bearer token with the scope through", async () => {
      const [response, body] = await get(url, { Authorization: "Bearer read-token" });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(body).identity, { user: "robot" });
      assert.equal(JSON.parse(body).scheme, "bearer");
    });

    test("answers 403 insufficient_scope for a Bearer token without the scope", async () => {
      const [response] = await get(url, { Authorization: "Bearer write-token" });
      assert.equal(response.status, 403);
      assert.equal(
        response.headers.get("www-authenticate"),
        'Bearer realm="api", scope="read", error="insufficient_scope"',
      );
    });

    test("answers 400 invalid_request for malformed Bearer credentials", async () => {
      const [response] = await get(url, { Authorization: "Bearer two tokens" });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="api", error="invalid_request"');
    });

    test("answers 407 with Proxy-Authenticate and reads Proxy-Authorization when proxy is on", async () => {
      await withServer(mode, echo(tableAuthenticator({ proxy: true })), async ({ base }) => {
        const [refused] = await get(`${base}/resource/x`, { Authorization: basic("ada", "secret") });
        assert.equal(refused.status, 407);
        assert.equal(refused.headers.get("www-authenticate"), null);
        assert.equal(schemesAndRealms(refused.headers.get("proxy-authenticate")).length, 3);
        const [allowed, body] = await get(`${base}/resource/x`, { "Proxy-Authorization": basic("ada", "secret") });
        assert.equal(allowed.status, 200);
        assert.equal(JSON.parse(body).scheme, "basic");
      });
    });

    test("answers the legacy 403 without a challenge when missingCredentialsStatus is 403", async () => {
      await withServer(mode, echo(tableAuthenticator({ missingCredentialsStatus: 403 })), async ({ base }) => {
        const [response] = await get(`${base}/resource/x`);
        assert.equal(response.status, 403);
        assert.equal(response.headers.get("www-authenticate"), null);
      });
    });

    test("answers Digest credentials with 200 and an Authentication-Info that verifies", async () => {
      const credentials = await digestCredentialsFor(
        `${server.base}/resource/digest?page=2`,
        "/resource/digest?page=2",
      );
      const [response, body] = await get(`${server.base}/resource/digest?page=2`, {
        Authorization: serializeCredentials(credentials),
      });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(body).identity, { user: "ada" });
      assert.equal(JSON.parse(body).scheme, "digest");
      const info = response.headers.get("authentication-info");
      assert.ok(info !== null);
      await verifyDigestAuthenticationInfo(info, credentials, { password: "secret" });
    });

    test("leaves the body readable after core read a form-body Bearer token", async () => {
      const handler = protect<User, Request | RouteRequest>(
        async (request) => new Response(await request.text()),
        tableAuthenticator(),
      );
      await withServer(mode, handler, async ({ base }) => {
        const response = await fetch(`${base}/resource/form`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: "access_token=read-token&note=kept",
        });
        assert.equal(response.status, 200);
        assert.equal(await response.text(), "access_token=read-token&note=kept");
      });
    });

    test("lets a verify exception propagate to Bun.serve's error handler (500)", async () => {
      const authenticator = createAuthenticator({
        schemes: [
          basicAuth({
            realm: "api",
            verify: () => {
              throw new Error("user store is down");
            },
          }),
        ],
      });
      const errors: Error[] = [];
      const failing = serve(
        mode,
        protect(() => new Response("never"), authenticator),
        (error) => {
          errors.push(error);
          return new Response("Internal Server Error", { status: 500 });
        },
      );
      try {
        const [response] = await get(`${failing.base}/resource/x`, { Authorization: basic("ada", "secret") });
        assert.equal(response.status, 500);
        assert.equal(errors.length, 1);
        assert.equal(errors[0]?.message, "user store is down");
      } finally {
        await failing.close();
      }
    });
  });
}

describe("protect()", () => {
  test("hands route parameters through with their type", async () => {
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", verify: (user) => user })] });
    const handler = protect(
      (request: RouteRequest<{ id: string }>, _server, { identity }) =>
        new Response(`${identity} reads ${request.params.id}`),
      authenticator,
    );
    const server = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      routes: { "/users/:id": handler as (request: RouteRequest, server: BunServer) => Promise<Response> },
    });
    try {
      const [response, body] = await get(`http://127.0.0.1:${server.port}/users/42`, {
        Authorization: basic("ada", "x"),
      });
      assert.equal(response.status, 200);
      assert.equal(body, "ada reads 42");
    } finally {
      await server.stop(true);
    }
  });

  test("rejects with a verify exception when called directly", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: () => {
            throw new Error("user store is down");
          },
        }),
      ],
    });
    const handler = protect(() => new Response("never"), authenticator);
    const request = new Request("http://127.0.0.1/", { headers: { Authorization: basic("ada", "secret") } });
    await assert.rejects(handler(request, { requestIP: () => ({ address: "127.0.0.1" }) }), /user store is down/);
  });

  test("appends Authentication-Info to a response passed through from fetch()", async () => {
    const upstream = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () => new Response("upstream", { headers: { "X-Upstream": "1" } }),
    });
    const handler = protect(() => fetch(`http://127.0.0.1:${upstream.port}/`), tableAuthenticator());
    const server = serve("fetch", handler);
    try {
      const credentials = await digestCredentialsFor(`${server.base}/`, "/");
      const [response, body] = await get(`${server.base}/`, { Authorization: serializeCredentials(credentials) });
      assert.equal(response.status, 200);
      assert.equal(body, "upstream");
      assert.equal(response.headers.get("x-upstream"), "1");
      assert.ok(/rspauth="[0-9a-f]{64}"/.test(response.headers.get("authentication-info") ?? ""));
    } finally {
      await server.close();
      await upstream.stop(true);
    }
  });

  test("lets only authenticated requests upgrade to a WebSocket", async () => {
    interface UpgradingServer extends BunServer {
      upgrade(request: Request): boolean;
    }
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
    });
    const server = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      websocket: { message: (socket, message) => socket.send(message) },
      fetch: protect(
        (request, server: UpgradingServer) =>
          server.upgrade(request) ? undefined : new Response("expected a WebSocket", { status: 400 }),
        authenticator,
      ),
    });
    const url = `ws://127.0.0.1:${server.port}/`;
    // Bun's WebSocket client accepts request headers as a second argument.
    const Socket = WebSocket as unknown as new (url: string, options: { headers: Record<string, string> }) => WebSocket;
    try {
      const refused = new Socket(url, { headers: {} });
      const refusal = await new Promise<string>((resolve) => {
        refused.onopen = () => resolve("open");
        refused.onerror = () => resolve("error");
      });
      assert.equal(refusal, "error");
      assert.equal((await get(`http://127.0.0.1:${server.port}/`))[0].status, 401);

      const socket = new Socket(url, { headers: { Authorization: basic("ada", "secret") } });
      const echoed = await new Promise<string>((resolve, reject) => {
        socket.onopen = () => socket.send("ping");
        socket.onmessage = (event) => resolve(String(event.data));
        socket.onerror = () => reject(new Error("the authenticated upgrade failed"));
      });
      socket.close();
      assert.equal(echoed, "ping");
    } finally {
      await server.stop(true);
    }
  });

  test("refuses a handler that is not a function and an authenticator without authenticate", () => {
    const authenticator = tableAuthenticator();
    assert.throws(() => protect("handler" as never, authenticator), TypeError);
    assert.throws(() => protect(() => new Response(), {} as never), TypeError);
    assert.throws(() => protect(() => new Response(), null as never), TypeError);
  });
});

// ── The client address ──────────────────────────────────────────────────────

describe("the client address", () => {
  for (const mode of ["fetch", "routes"] as const) {
    test(`server.requestIP reaches throttling (${mode}): 429 for one address, not for another`, async () => {
      const store = recordingStore();
      const authenticator = createAuthenticator({
        schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
        throttle: { maxFailures: 2, window: 60, store },
      });
      await withServer(
        mode,
        protect(() => new Response("ok"), authenticator),
        async ({ base, port }) => {
          const wrong = { Authorization: basic("ada", "wrong") };
          assert.equal((await get(`${base}/resource/x`, wrong))[0].status, 401);
          assert.equal((await get(`${base}/resource/x`, wrong))[0].status, 401);
          const [throttled] = await get(`${base}/resource/x`, { Authorization: basic("ada", "secret") });
          assert.equal(throttled.status, 429);
          assert.ok(/^[1-9][0-9]*$/.test(throttled.headers.get("retry-after") ?? ""));
          assert.equal(throttled.headers.get("www-authenticate"), null);
          assert.deepEqual(JSON.parse(store.keys[0] ?? ""), ["127.0.0.1", "ada"]);

          // The same user from 127.0.0.2 is counted apart.
          const head = `GET /resource/x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic("ada", "secret")}\r\nConnection: close\r\n\r\n`;
          assert.equal(parseHead(await rawRequest(port, head, "127.0.0.2")).status, 200);
          assert.deepEqual(JSON.parse(store.keys.at(-1) ?? ""), ["127.0.0.2", "ada"]);
        },
      );
    });
  }

  test("is absent when server.requestIP gives null (a Unix socket)", async () => {
    const store = recordingStore();
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: () => "ada" })],
      throttle: { maxFailures: 2, window: 60, store },
    });
    const handler = protect(() => new Response("ok"), authenticator);
    const request = new Request("http://localhost/", { headers: { Authorization: basic("ada", "secret") } });
    assert.equal((await handler(request, { requestIP: () => null })).status, 200);
    assert.deepEqual(JSON.parse(store.keys[0] ?? ""), ["", "ada"]);
  });
});

// ── On the wire ─────────────────────────────────────────────────────────────

const RAW_GET = "GET /resource/x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

describe("on the wire", () => {
  for (const mode of ["fetch", "routes"] as const) {
    test(`Bun 1.4 sends the challenges as one WWW-Authenticate list, in order, each with its realm (${mode})`, async () => {
      await withServer(mode, echo(tableAuthenticator()), async ({ port }) => {
        const raw = await rawRequest(port, RAW_GET);
        const { status, lines } = parseHead(raw);
        assert.equal(status, 401);
        const values = linesNamed(lines, "WWW-Authenticate");
        // One line per challenge is what httpauth asks for; Bun joins them (see the next test).
        assert.equal(values.length, 1, `Bun now writes ${values.length} lines: update protect()'s docs\n${raw}`);
        assert.deepEqual(schemesAndRealms(values[0] ?? ""), [
          ["basic", "api"],
          ["bearer", "api"],
          ["digest", "api"],
        ]);
        assert.ok(values[0]?.startsWith('Basic realm="api", charset="UTF-8", Bearer realm="api", Digest realm="api"'));
      });
    });
  }

  test("Bun 1.4 joins repeated values however the Response is built; only Set-Cookie stays apart", async () => {
    const a = 'Basic realm="a"';
    const b = 'Bearer realm="b"';
    const builds: Record<string, () => Response> = {
      "a list of pairs": () =>
        new Response(null, {
          status: 401,
          headers: [
            ["WWW-Authenticate", a],
            ["WWW-Authenticate", b],
          ],
        }),
      "pairs in two cases": () =>
        new Response(null, {
          status: 401,
          headers: [
            ["WWW-Authenticate", a],
            ["www-authenticate", b],
          ],
        }),
      "Headers.append": () => {
        const headers = new Headers();
        headers.append("WWW-Authenticate", a);
        headers.append("WWW-Authenticate", b);
        return new Response(null, { status: 401, headers });
      },
      "response.headers.append": () => {
        const response = new Response(null, { status: 401 });
        response.headers.append("WWW-Authenticate", a);
        response.headers.append("WWW-Authenticate", b);
        return response;
      },
      "an uncommon header name": () =>
        new Response(null, {
          headers: [
            ["X-Challenge", a],
            ["X-Challenge", b],
          ],
        }),
    };
    for (const [how, build] of Object.entries(builds)) {
      const server = bunServe({ port: 0, hostname: "127.0.0.1", fetch: build });
      try {
        const { lines } = parseHead(await rawRequest(server.port, RAW_GET));
        const values = [...linesNamed(lines, "WWW-Authenticate"), ...linesNamed(lines, "X-Challenge")];
        assert.deepEqual(values, [`${a}, ${b}`], how);
      } finally {
        await server.stop(true);
      }
    }
    const cookies = bunServe({
      port: 0,
      hostname: "127.0.0.1",
      fetch: () =>
        new Response(null, {
          headers: [
            ["Set-Cookie", "a=1"],
            ["Set-Cookie", "b=2"],
          ],
        }),
    });
    try {
      const { lines } = parseHead(await rawRequest(cookies.port, RAW_GET));
      assert.deepEqual(linesNamed(lines, "Set-Cookie"), ["a=1", "b=2"]);
    } finally {
      await cookies.stop(true);
    }
  });

  test("Proxy-Authenticate goes out as one list behind a proxy", async () => {
    await withServer("fetch", echo(tableAuthenticator({ proxy: true })), async ({ port }) => {
      const { status, lines } = parseHead(await rawRequest(port, RAW_GET));
      assert.equal(status, 407);
      assert.equal(linesNamed(lines, "Proxy-Authenticate").length, 1);
      assert.equal(schemesAndRealms(linesNamed(lines, "Proxy-Authenticate")[0] ?? "").length, 3);
      assert.deepEqual(linesNamed(lines, "WWW-Authenticate"), []);
    });
  });
});

// ── Password hashes ─────────────────────────────────────────────────────────

describe("hardening: the body cap, header injection, planted secrets", () => {
  /** A form body as a stream without Content-Length: the token, then `chunks` chunks of 16 KiB; counts what is pulled. */
  function streamedForm(chunks: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
    let sent = 0;
    let bytes = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > chunks) return controller.close();
        const chunk =
          sent === 0 ? new TextEncoder().encode("access_token=read-token&pad=") : new Uint8Array(16 * 1024).fill(0x61);
        sent++;
        bytes += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    return { body, pulled: () => bytes };
  }

  function formRequest(body: BodyInit, headers: Record<string, string> = {}): Request {
    return new Request("http://127.0.0.1/", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body,
    });
  }

  const server: BunServer = { requestIP: () => ({ address: "127.0.0.1" }) };

  test("reads a streamed body for core only up to maxBodyLength and leaves all of it to the handler", async () => {
    const handler = protect(
      async (request, _server, { identity }) =>
        Response.json({ identity, length: (await request.arrayBuffer()).byteLength }),
      tableAuthenticator(),
      { maxBodyLength: 32 * 1024 },
    );
    const over = streamedForm(64);
    assert.equal((await handler(formRequest(over.body), server)).status, 401);
    assert.ok(over.pulled() < 80 * 1024, `pulled ${over.pulled()} bytes of a 1 MiB body`);
    const passed = streamedForm(64);
    const response = await handler(formRequest(passed.body, { Authorization: basic("ada", "secret") }), server);
    assert.deepEqual(await response.json(), { identity: { user: "ada" }, length: 28 + 64 * 16 * 1024 });
    const within = streamedForm(1);
    assert.equal((await handler(formRequest(within.body), server)).status, 200);
    assert.throws(() => protect(() => new Response(), tableAuthenticator(), { maxBodyLength: -1 }), RangeError);
  });

  test("on the wire: a form body whose Content-Length is over the default cap is not read for its token", async () => {
    const handler = protect(
      async (request) => new Response(String((await request.text()).length)),
      tableAuthenticator(),
    ) as BunHandler<Request | RouteRequest>;
    await withServer("fetch", handler, async ({ base }) => {
      const small = await fetch(base, formRequest(`access_token=read-token&pad=${"x".repeat(100)}`));
      assert.deepEqual([small.status, await small.text()], [200, "128"]);
      const large = await fetch(base, formRequest(`access_token=read-token&pad=${"x".repeat(70_000)}`));
      assert.equal(large.status, 401);
      await large.body?.cancel();
    });
  });

  test("lets no CR or LF out: a hostile header line is refused with a TypeError, or never written", async () => {
    const hostile: [string, string][] = [
      ["WWW-Authenticate", "x\r\nSet-Cookie: a=b"],
      ["X-Y", "a\nb"],
      ["X-Y", "a\u0000b"],
      ["Bad Name", "v"],
      ["X-Y", "\u0100"],
    ];
    for (const line of hostile) {
      for (const ok of [false, true]) {
        const authenticator: Authenticator<string> = {
          openapi: () => ({}),
          authenticate: () =>
            Promise.resolve(
              ok
                ? { ok: true, scheme: "basic", identity: "x", headers: [line] }
                : { ok: false, status: 401, headers: [line], body: "", reason: "invalid-credentials" },
            ),
        };
        let response: Response | undefined;
        try {
          response = await protect(() => new Response("in"), authenticator)(new Request("http://127.0.0.1/"), server);
        } catch (error) {
          assert.ok(error instanceof TypeError, String(error));
          continue;
        }
        for (const [name, value] of response.headers) {
          assert.ok(!/[\r\n\0]/.test(name + value), JSON.stringify([name, value]));
        }
      }
    }
  });

  test("on the wire: refused requests carry no planted secret", async () => {
    const marker = "pl4nted-S3CRET";
    await withServer("fetch", echo(tableAuthenticator()), async ({ base }) => {
      for (const authorization of [basic("ada", marker), `Bearer ${marker}`, `Bearer ${marker}!`, `Basic ${marker}`]) {
        const response = await fetch(`${base}/?access_token=${marker}`, { headers: { Authorization: authorization } });
        const text = await response.text();
        assert.notEqual(response.status, 200);
        assert.ok(!JSON.stringify([[...response.headers], text]).includes(marker), authorization);
      }
    });
  });
});

describe("hashPassword() and verifyPassword()", () => {
  for (const algorithm of ["argon2id", "argon2i", "argon2d"] as const) {
    test(`round-trip with ${algorithm}`, async () => {
      const hash = await hashPassword("correct horse battery staple", { algorithm, memoryCost: 19_456, timeCost: 1 });
      assert.ok(hash.startsWith(`$${algorithm}$v=19$m=19456,t=1,p=1$`), hash);
      assert.equal(await verifyPassword("correct horse battery staple", hash), true);
      assert.equal(await verifyPassword("correct horse battery stapl", hash), false);
      assert.notEqual(await hashPassword("correct horse battery staple", { algorithm, memoryCost: 19_456 }), hash);
    });
  }

  test("use argon2id with 64 MiB and 2 passes by default", async () => {
    const hash = await hashPassword("secret");
    assert.ok(hash.startsWith("$argon2id$v=19$m=65536,t=2,p=1$"), hash);
    assert.equal(await verifyPassword("secret", hash), true);
  });

  test("round-trip with bcrypt, cost 10 by default", async () => {
    const hash = await hashPassword("correct horse battery staple", { algorithm: "bcrypt" });
    assert.ok(/^\$2b\$10\$[./A-Za-z0-9]{53}$/.test(hash), hash);
    assert.equal(await verifyPassword("correct horse battery staple", hash), true);
    assert.equal(await verifyPassword("correct horse battery stapl", hash), false);
  });

  test("bcrypt from Bun tells apart passwords that differ past 72 bytes", async () => {
    const long = "x".repeat(100);
    const hash = await hashPassword(long, { algorithm: "bcrypt" });
    assert.equal(await verifyPassword(long, hash), true);
    assert.equal(await verifyPassword(`${long}y`, hash), false);
  });

  test("verifyPassword() accepts hashes from other implementations", async () => {
    // crypt_blowfish's test vectors ($2a$ and the same hash as $2b$ and $2y$).
    assert.equal(await verifyPassword("U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), true);
    assert.equal(await verifyPassword("U*U", "$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), true);
    assert.equal(await verifyPassword("U*U", "$2y$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), true);
    assert.equal(await verifyPassword("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"), true);
    assert.equal(await verifyPassword("U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"), true);
    assert.equal(await verifyPassword("U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), false);
    // The argon2 reference implementation's README example (argon2i, 64 MiB, 2 passes, 4 lanes).
    const argon2 = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    assert.equal(await verifyPassword("password", argon2), true);
    assert.equal(await verifyPassword("passw0rd", argon2), false);
  });

  test("hashPassword() refuses costs out of range, unknown algorithms and bad passwords", async () => {
    const refused: [unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor][] = [
      [{ memoryCost: 19_455 }, RangeError],
      [{ memoryCost: 262_145 }, RangeError],
      [{ memoryCost: 65_536.5 }, RangeError],
      [{ timeCost: 0 }, RangeError],
      [{ timeCost: 9 }, RangeError],
      [{ algorithm: "bcrypt", cost: 9 }, RangeError],
      [{ algorithm: "bcrypt", cost: 16 }, RangeError],
      [{ algorithm: "scrypt" }, TypeError],
      [null, TypeError],
    ];
    for (const [options, type] of refused) {
      await assert.rejects(hashPassword("secret", options as never), type, JSON.stringify(options));
    }
    await assert.rejects(hashPassword(""), /empty/);
    await assert.rejects(hashPassword(42 as never), TypeError);
    await assert.rejects(hashPassword("lone \uD800"), /lone surrogate/);
    await assert.rejects(
      verifyPassword("\uDC00", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"),
      /surrogate/,
    );
  });

  test("verifyPassword() refuses malformed and hostile hashes with a TypeError naming the problem", async () => {
    const bcrypt = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
    const argon2 = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    const cases: [hash: unknown, problem: RegExp][] = [
      [42, /must be a string/],
      ["", /not an argon2 .* or bcrypt/],
      ["plaintext", /not an argon2 .* or bcrypt/],
      ["$pbkdf2-sha256$i=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", /not an argon2 .* or bcrypt/],
      [`${argon2}$`, /of the form/],
      [argon2.replace("$c29tZXNhbHQ", ""), /of the form/],
      [argon2.replace("argon2i", "argon2x"), /variant/],
      [argon2.replace("v=19", "v=16"), /version 19/],
      [argon2.replace("m=65536", "m=4194304"), /memory cost is over the limit/],
      [argon2.replace("m=65536", "m=99999999999"), /parameters must be/],
      [argon2.replace("t=2", "t=1000"), /time cost/],
      [argon2.replace("t=2", "t=0"), /time cost/],
      [argon2.replace("p=4", "p=255"), /parallelism/],
      [argon2.replace("m=65536,t=2,p=4", "t=2,m=65536,p=4"), /parameters must be/],
      [argon2.replace("m=65536", "m=065536"), /parameters must be/],
      [argon2.replace("p=4", "p=4,keyid=1"), /parameters must be/],
      [argon2.replace("c29tZXNhbHQ", "c29tZXNhbHQ="), /salt must be unpadded base64/],
      [argon2.replace("c29tZXNhbHQ", "c29t"), /salt must be unpadded base64/],
      [argon2.replace("RdescudvJCsgt3ub+b+dWRWJTmaaJObG", "Rdes-udv"), /hash must be unpadded base64/],
      [bcrypt.replace("$2a$", "$2x$"), /variant/],
      [bcrypt.replace("$2a$", "$2$"), /variant/],
      [bcrypt.replace("$05$", "$31$"), /cost must be/],
      [bcrypt.replace("$05$", "$16$"), /cost must be/],
      [bcrypt.replace("$05$", "$03$"), /cost must be/],
      [bcrypt.replace("$05$", "$5a$"), /cost must be/],
      [bcrypt.slice(0, -1), /60 characters/],
      [`${bcrypt}x`, /60 characters/],
      [bcrypt.replace("E5YPO", "E5Y!O"), /bcrypt's base64/],
      [`$argon2id$v=19$m=65536,t=2,p=1$${"A".repeat(300)}$AAAAAA`, /longer than 256 characters/],
    ];
    for (const [hash, problem] of cases) {
      await assert.rejects(verifyPassword("U*U", hash as string), (error: unknown) => {
        assert.ok(error instanceof TypeError, `${String(hash)}: a TypeError, got ${String(error)}`);
        assert.ok(problem.test(error.message), `${String(hash)}: ${error.message}`);
        assert.ok(String(hash) === "" || !error.message.includes(String(hash)), "the message never repeats the hash");
        return true;
      });
    }
  });

  test("verifyPassword() turns Bun's own refusals into a TypeError with Bun's error as the cause", async () => {
    const argon2 = "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    const cases: [hash: string, code: string][] = [
      [argon2.replace("m=65536", "m=0"), "PASSWORD_WEAK_PARAMETERS"],
      [argon2.replace("c29tZXNhbHQ", "c29tZXNhbHR"), "PASSWORD_INVALID_ENCODING"],
    ];
    for (const [hash, code] of cases) {
      await assert.rejects(verifyPassword("password", hash), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.ok(error.message.includes(code), error.message);
        assert.equal((error.cause as { code?: string } | undefined)?.code, code);
        return true;
      });
    }
  });
});

// ── Doc comments ────────────────────────────────────────────────────────────

describe("doc comment examples", () => {
  const sources = fileURLToPath(new URL("../src/", import.meta.url));
  const index = pathToFileURL(join(sources, "index.ts")).href;
  const core = import.meta.resolve("@httpauth/core");
  const examples: { where: string; title: string; code: string }[] = [];
  for (const file of readdirSync(sources).filter((name) => name.endsWith(".ts"))) {
    const lines = readFileSync(join(sources, file), "utf8").split("\n");
    let title = "";
    let code: string[] | undefined;
    let start = 0;
    lines.forEach((raw, line) => {
      const text = raw.replace(/^\s*\* ?/, "");
      if (code === undefined) {
        const heading = /^@example\s*(.*)$/.exec(text);
        if (heading) title = heading[1] ?? "";
        if (text.trim() === "```ts") {
          code = [];
          start = line + 1;
        }
      } else if (text.trim() === "```") {
        examples.push({ where: `src/${file}:${start}`, title, code: code.join("\n") });
        code = undefined;
      } else {
        code.push(text);
      }
    });
  }
  const folder = mkdtempSync(join(tmpdir(), "httpauth-bun-examples-"));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  for (const [number, example] of examples.entries()) {
    test(`${example.where} ${example.title}`, async () => {
      const code = example.code
        .replaceAll('"@httpauth/bun"', JSON.stringify(index))
        .replaceAll('"@httpauth/core"', JSON.stringify(core));
      const file = join(folder, `example-${number}.ts`);
      writeFileSync(file, `${code}\nexport {};\n`);
      await import(pathToFileURL(file).href);
    });
  }

  test("every value exported from src/index.ts has an example", () => {
    const documented = new Set<string>();
    for (const example of examples) {
      for (const match of example.code.matchAll(/import\s*{([^}]*)}\s*from\s*"@httpauth\/bun"/g)) {
        for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
      }
    }
    assert.deepEqual(
      Object.keys(library).filter((name) => !documented.has(name)),
      [],
    );
  });
});
