// @httpauth/deno under real Deno: Deno.serve on 127.0.0.1, real fetch over
// loopback, and raw bytes read from a Deno.connect socket to see the header
// lines exactly as Deno writes them.
//
// Run from packages/deno: deno test --allow-net=127.0.0.1,127.0.0.2 --doc

import assert from "node:assert/strict";
import { connect } from "node:net";
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
import type { ServeHandler, ServeHandlerInfo } from "../src/index.ts";
import { hashPassword, protect, verifyPassword } from "../src/index.ts";

// ── Fixtures ────────────────────────────────────────────────────────────────

interface User {
  user: string;
}

const SECRET = "a server secret of at least sixteen bytes";

function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** Basic, Bearer (scope "read") and Digest, all in realm "api": three challenge lines. */
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

/** A handler that echoes who was let in. */
function echo(authenticator: Authenticator<User>): ServeHandler {
  return protect<User>(
    (request, _info, { identity, scheme }) => Response.json({ identity, scheme, path: new URL(request.url).pathname }),
    authenticator,
  );
}

interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** `assert.match`, which the node:assert/strict types bundled with Deno lack. */
function assertMatch(text: string, pattern: RegExp, message?: string): void {
  assert.ok(pattern.test(text), message ?? `${JSON.stringify(text)} matches ${pattern}`);
}

function serve(
  handler: (request: Request, info: ServeHandlerInfo) => Response | Promise<Response>,
  onError?: (error: unknown) => Response,
): TestServer {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {}, ...(onError === undefined ? {} : { onError }) },
    handler,
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    close: () => server.shutdown(),
  };
}

/** Runs `body` against a server for `handler`, then shuts the server down. */
async function withServer(handler: ServeHandler, body: (server: TestServer) => Promise<void>): Promise<void> {
  const server = serve(handler);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

/** The response's status and body text, the body read to the end. */
async function get(url: string, headers: Record<string, string> = {}): Promise<[Response, string]> {
  const response = await fetch(url, { headers });
  return [response, await response.text()];
}

/** Sends a raw request with Deno.connect and returns every byte of the response as text. */
async function rawRequest(port: number, head: string): Promise<string> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await connection.write(new TextEncoder().encode(head));
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(4096);
    for (;;) {
      const read = await connection.read(buffer);
      if (read === null) break;
      chunks.push(buffer.slice(0, read));
    }
    return new TextDecoder().decode(concat(chunks));
  } finally {
    connection.close();
  }
}

/** Sends a raw request from a chosen local address (node:net can bind one; Deno.connect cannot). */
function rawRequestFrom(localAddress: string, port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, localAddress }, () => socket.write(head));
    const chunks: Uint8Array[] = [];
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(new TextDecoder().decode(concat(chunks))));
  });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const all = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
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

// ── The outcome table, over fetch ───────────────────────────────────────────

Deno.test("protect() answers 401 with every challenge, in order, when no credentials are sent", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [response, body] = await get(`${url}/`);
    assert.equal(response.status, 401);
    assertMatch(body, /^401 Unauthorized/);
    assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
    const challenges = parseChallenges(response.headers.get("www-authenticate") ?? "");
    assert.deepEqual(
      challenges.map((challenge) => [challenge.scheme, challenge.params.realm]),
      [
        ["basic", "api"],
        ["bearer", "api"],
        ["digest", "api"],
      ],
    );
  });
});

Deno.test("protect() lets valid Basic credentials through with the identity and scheme", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [response, body] = await get(`${url}/files`, { Authorization: basic("ada", "secret") });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(body), { identity: { user: "ada" }, scheme: "basic", path: "/files" });
    assert.equal(response.headers.get("www-authenticate"), null);
  });
});

Deno.test("protect() answers 401 with every challenge for a wrong Basic password", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [response] = await get(`${url}/`, { Authorization: basic("ada", "wrong") });
    assert.equal(response.status, 401);
    assert.equal(parseChallenges(response.headers.get("www-authenticate") ?? "").length, 3);
  });
});

Deno.test("protect() lets a Bearer token with the scope through", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [response, body] = await get(`${url}/`, { Authorization: "Bearer read-token" });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(body), { identity: { user: "robot" }, scheme: "bearer", path: "/" });
  });
});

Deno.test("protect() answers 403 insufficient_scope for a Bearer token without the scope", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [response] = await get(`${url}/`, { Authorization: "Bearer write-token" });
    assert.equal(response.status, 403);
    assert.equal(
      response.headers.get("www-authenticate"),
      'Bearer realm="api", scope="read", error="insufficient_scope"',
    );
  });
});

Deno.test("protect() answers 400 invalid_request for malformed Bearer credentials", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [response] = await get(`${url}/`, { Authorization: "Bearer two tokens" });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="api", error="invalid_request"');
  });
});

Deno.test("protect() answers 407 with Proxy-Authenticate and reads Proxy-Authorization when proxy is on", async () => {
  await withServer(echo(tableAuthenticator({ proxy: true })), async ({ url }) => {
    const [refused] = await get(`${url}/`, { Authorization: basic("ada", "secret") });
    assert.equal(refused.status, 407);
    assert.equal(refused.headers.get("www-authenticate"), null);
    assert.equal(parseChallenges(refused.headers.get("proxy-authenticate") ?? "").length, 3);
    const [allowed, body] = await get(`${url}/`, { "Proxy-Authorization": basic("ada", "secret") });
    assert.equal(allowed.status, 200);
    assert.equal(JSON.parse(body).scheme, "basic");
  });
});

Deno.test("protect() answers the legacy 403 without a challenge when missingCredentialsStatus is 403", async () => {
  await withServer(echo(tableAuthenticator({ missingCredentialsStatus: 403 })), async ({ url }) => {
    const [response] = await get(`${url}/`);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("www-authenticate"), null);
  });
});

Deno.test("protect() answers Digest credentials with 200 and an Authentication-Info that verifies", async () => {
  await withServer(echo(tableAuthenticator()), async ({ url }) => {
    const [refused] = await get(`${url}/digest?page=2`);
    const challenge = parseChallenges(refused.headers.get("www-authenticate") ?? "").find(
      (candidate) => candidate.scheme === "digest",
    );
    assert.ok(challenge);
    const credentials = await computeDigestCredentials(challenge, {
      username: "ada",
      password: "secret",
      method: "GET",
      uri: "/digest?page=2",
    });
    const [response, body] = await get(`${url}/digest?page=2`, { Authorization: serializeCredentials(credentials) });
    assert.equal(response.status, 200);
    assert.deepEqual(JSON.parse(body), { identity: { user: "ada" }, scheme: "digest", path: "/digest" });
    const info = response.headers.get("authentication-info");
    assert.ok(info !== null);
    await verifyDigestAuthenticationInfo(info, credentials, { password: "secret" });
  });
});

Deno.test("protect() copies an immutable handler response to append Authentication-Info", async () => {
  const handler = protect(
    (request) => Response.redirect(new URL("/elsewhere", request.url), 302),
    tableAuthenticator(),
  );
  await withServer(handler, async ({ url }) => {
    const [refused] = await get(`${url}/moved`);
    const challenge = parseChallenges(refused.headers.get("www-authenticate") ?? "").find(
      (candidate) => candidate.scheme === "digest",
    );
    assert.ok(challenge);
    const credentials = await computeDigestCredentials(challenge, {
      username: "ada",
      password: "secret",
      method: "GET",
      uri: "/moved",
    });
    const response = await fetch(`${url}/moved`, {
      headers: { Authorization: serializeCredentials(credentials) },
      redirect: "manual",
    });
    await response.body?.cancel();
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("location"), `${url}/elsewhere`);
    assertMatch(response.headers.get("authentication-info") ?? "", /rspauth="[0-9a-f]{64}"/);
  });
});

Deno.test("protect() leaves the body readable after core read a form-body Bearer token", async () => {
  const handler = protect(async (request) => new Response(await request.text()), tableAuthenticator());
  await withServer(handler, async ({ url }) => {
    const response = await fetch(`${url}/`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "access_token=read-token&note=kept",
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "access_token=read-token&note=kept");
  });
});

Deno.test("protect() lets a verify exception propagate: the promise rejects and Deno.serve answers 500", async () => {
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
  const info: ServeHandlerInfo = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1" } };
  const request = new Request("http://127.0.0.1/", { headers: { Authorization: basic("ada", "secret") } });
  await assert.rejects(handler(request, info), /user store is down/);

  const errors: unknown[] = [];
  const server = serve(handler, (error) => {
    errors.push(error);
    return new Response("Internal Server Error", { status: 500 });
  });
  try {
    const [response] = await get(`${server.url}/`, { Authorization: basic("ada", "secret") });
    assert.equal(response.status, 500);
    assert.equal(errors.length, 1);
    assertMatch(String(errors[0]), /user store is down/);
  } finally {
    await server.close();
  }
});

Deno.test("protect() refuses a handler that is not a function and an authenticator without authenticate", () => {
  const authenticator = tableAuthenticator();
  assert.throws(() => protect("handler" as never, authenticator), TypeError);
  assert.throws(() => protect(() => new Response(), {} as never), TypeError);
  assert.throws(() => protect(() => new Response(), null as never), TypeError);
});

// ── The client address ──────────────────────────────────────────────────────

Deno.test("protect() hands info.remoteAddr.hostname to throttling: 429 for one address, not another", async () => {
  const store = recordingStore();
  const authenticator = createAuthenticator({
    schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
    throttle: { maxFailures: 2, window: 60, store },
  });
  await withServer(
    protect(() => new Response("ok"), authenticator),
    async ({ url, port }) => {
      const wrong = { Authorization: basic("ada", "wrong") };
      assert.equal((await get(`${url}/`, wrong))[0].status, 401);
      assert.equal((await get(`${url}/`, wrong))[0].status, 401);
      const [throttled] = await get(`${url}/`, { Authorization: basic("ada", "secret") });
      assert.equal(throttled.status, 429);
      assertMatch(throttled.headers.get("retry-after") ?? "", /^[1-9][0-9]*$/);
      assert.equal(throttled.headers.get("www-authenticate"), null);
      assert.deepEqual(JSON.parse(store.keys[0] ?? ""), ["127.0.0.1", "ada"]);

      // The same user from 127.0.0.2 is counted apart.
      const head = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basic("ada", "secret")}\r\nConnection: close\r\n\r\n`;
      const other = parseHead(await rawRequestFrom("127.0.0.2", port, head));
      assert.equal(other.status, 200);
      assert.deepEqual(JSON.parse(store.keys.at(-1) ?? ""), ["127.0.0.2", "ada"]);
    },
  );
});

Deno.test("protect() gives no client address for a transport without an IP address", async () => {
  const store = recordingStore();
  const authenticator = createAuthenticator({
    schemes: [basicAuth({ realm: "api", verify: () => "ada" })],
    throttle: { maxFailures: 2, window: 60, store },
  });
  const handler = protect(() => new Response("ok"), authenticator);
  const request = new Request("http://localhost/", { headers: { Authorization: basic("ada", "secret") } });
  const unix = { remoteAddr: { transport: "unix", path: "/run/app.sock" } };
  assert.equal((await handler(request, unix)).status, 200);
  assert.deepEqual(JSON.parse(store.keys[0] ?? ""), ["", "ada"]);
});

// ── On the wire ─────────────────────────────────────────────────────────────

Deno.test("on the wire: one WWW-Authenticate line per challenge, each with its realm", async () => {
  await withServer(echo(tableAuthenticator()), async ({ port }) => {
    const raw = await rawRequest(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const { status, lines } = parseHead(raw);
    assert.equal(status, 401);
    const challenges = linesNamed(lines, "WWW-Authenticate");
    assert.equal(challenges.length, 3, `three lines, got:\n${raw}`);
    assert.deepEqual(
      challenges.map((line) => parseChallenges(line).map((challenge) => [challenge.scheme, challenge.params.realm])),
      [[["basic", "api"]], [["bearer", "api"]], [["digest", "api"]]],
    );
  });
});

Deno.test("on the wire: one Proxy-Authenticate line per challenge behind a proxy", async () => {
  await withServer(echo(tableAuthenticator({ proxy: true })), async ({ port }) => {
    const { status, lines } = parseHead(
      await rawRequest(port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    assert.equal(status, 407);
    const challenges = linesNamed(lines, "Proxy-Authenticate");
    assert.deepEqual(
      challenges.map((line) => parseChallenges(line).length),
      [1, 1, 1],
    );
    assert.deepEqual(linesNamed(lines, "WWW-Authenticate"), []);
  });
});

Deno.test("on the wire: Authentication-Info is appended beside the handler's own repeated lines", async () => {
  const handler = protect(() => {
    const response = new Response("ok");
    response.headers.append("Set-Cookie", "a=1");
    response.headers.append("Set-Cookie", "b=2");
    return response;
  }, tableAuthenticator());
  await withServer(handler, async ({ url, port }) => {
    const [refused] = await get(`${url}/`);
    const challenge = parseChallenges(refused.headers.get("www-authenticate") ?? "").find(
      (candidate) => candidate.scheme === "digest",
    );
    assert.ok(challenge);
    const credentials = await computeDigestCredentials(challenge, {
      username: "ada",
      password: "secret",
      method: "GET",
      uri: "/",
    });
    const head = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${serializeCredentials(credentials)}\r\nConnection: close\r\n\r\n`;
    const { status, lines } = parseHead(await rawRequest(port, head));
    assert.equal(status, 200);
    assert.deepEqual(linesNamed(lines, "Set-Cookie"), ["a=1", "b=2"]);
    assert.equal(linesNamed(lines, "Authentication-Info").length, 1);
  });
});

Deno.test("on the wire: Deno joins values appended to a Headers object that is then passed to Response", async () => {
  // Why protect() passes header pairs: copying a Headers object goes through
  // its iterator, which combines values (Fetch "sort and combine"), so Deno
  // writes one line. Set-Cookie is the only name the iterator keeps apart.
  const server = serve(() => {
    const headers = new Headers();
    headers.append("WWW-Authenticate", 'Basic realm="a"');
    headers.append("WWW-Authenticate", 'Bearer realm="b"');
    return new Response(null, { status: 401, headers });
  });
  try {
    const { lines } = parseHead(
      await rawRequest(server.port, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    assert.deepEqual(linesNamed(lines, "WWW-Authenticate"), ['Basic realm="a", Bearer realm="b"']);
  } finally {
    await server.close();
  }
});

// ── Types ───────────────────────────────────────────────────────────────────

Deno.test("protect() fits Deno.serve and passes Deno's own handler info type through", async () => {
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", verify: (user) => user })] });
  // `info.remoteAddr.port` exists only on Deno.NetAddr: this compiles only if Info was inferred from Deno.serve.
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    protect((_request, info, { identity }) => new Response(`${identity}@${info.remoteAddr.port > 0}`), authenticator),
  );
  try {
    const [response, body] = await get(`http://127.0.0.1:${server.addr.port}/`, { Authorization: basic("ada", "x") });
    assert.equal(response.status, 200);
    assert.equal(body, "ada@true");
  } finally {
    await server.shutdown();
  }
});

// ── Password hashes ─────────────────────────────────────────────────────────

Deno.test("hashPassword() and verifyPassword() round-trip, with a fresh salt each time", async () => {
  const first = await hashPassword("correct horse battery staple", { iterations: 100_000 });
  const second = await hashPassword("correct horse battery staple", { iterations: 100_000 });
  assertMatch(first, /^\$pbkdf2-sha256\$i=100000\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
  assert.notEqual(first, second);
  assert.equal(await verifyPassword("correct horse battery staple", first), true);
  assert.equal(await verifyPassword("correct horse battery staple", second), true);
  assert.equal(await verifyPassword("correct horse battery stapl", first), false);
  assert.equal(await verifyPassword("", first), false);
});

Deno.test("hashPassword() uses 600 000 iterations by default", async () => {
  const hash = await hashPassword("secret");
  assertMatch(hash, /^\$pbkdf2-sha256\$i=600000\$/);
  assert.equal(await verifyPassword("secret", hash), true);
});

Deno.test("verifyPassword() accepts hashes computed by node:crypto (OpenSSL)", async () => {
  // crypto.pbkdf2Sync(password, "httpauth-salt-16", 100000, 32, "sha256"), base64 without padding.
  const ascii = "$pbkdf2-sha256$i=100000$aHR0cGF1dGgtc2FsdC0xNg$Z2YezY1acTpDEVuF4HTJt3zXkEkhaTtCPQtQHaTQ4jM";
  const unicode = "$pbkdf2-sha256$i=100000$aHR0cGF1dGgtc2FsdC0xNg$SUVZy2yzzC2NqUJlewxIrQ7NwJjVw+HdOwjWQiExxhI";
  assert.equal(await verifyPassword("correct horse battery staple", ascii), true);
  assert.equal(await verifyPassword("pässwörd \u{1F511}", unicode), true);
  assert.equal(await verifyPassword("passwörd \u{1F511}", unicode), false);
});

Deno.test("hashPassword() refuses iteration counts out of range and passwords that are not strings", async () => {
  for (const iterations of [99_999, 10_000_001, 150_000.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    await assert.rejects(hashPassword("secret", { iterations }), RangeError, String(iterations));
  }
  await assert.rejects(hashPassword(42 as never), TypeError);
  await assert.rejects(hashPassword("\uD800 lone"), /lone surrogate/);
  await assert.rejects(verifyPassword("\uDC00", "$pbkdf2-sha256$i=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"), /surrogate/);
});

Deno.test("verifyPassword() refuses malformed and hostile hashes with a TypeError naming the problem", async () => {
  const salt = "c2FsdHNhbHQ"; // 8 bytes
  const key = "aGFzaGhhc2hoYXNoaGFzaA"; // 16 bytes
  const cases: [hash: unknown, problem: RegExp][] = [
    [42, /must be a string/],
    ["", /of the form/],
    [`$pbkdf2-sha256$i=1$${salt}`, /of the form/],
    [`$pbkdf2-sha256$i=1$${salt}$${key}$extra`, /of the form/],
    [`pbkdf2-sha256$i=1$${salt}$${key}$`, /of the form/],
    [`$pbkdf2-sha512$i=1$${salt}$${key}`, /not a pbkdf2-sha256 hash/],
    [`$pbkdf2-sha256$i=99999999999$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=10000001$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=0$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=0100$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=-5$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=1e6$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$rounds=1000$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=$${salt}$${key}`, /iteration count/],
    [`$pbkdf2-sha256$i=1$c2FsdH*hbHQ$${key}`, /salt is not strict/],
    [`$pbkdf2-sha256$i=1$c2FsdHNhbHQ=$${key}`, /salt is not strict/],
    [`$pbkdf2-sha256$i=1$c2FsdHNhbHR$${key}`, /salt is not strict/],
    [`$pbkdf2-sha256$i=1$c2FsdHNhbHQx2$${key}`, /salt is not strict/],
    [`$pbkdf2-sha256$i=1$c2FsdA$${key}`, /salt must be 8 to 64 bytes/],
    [`$pbkdf2-sha256$i=1$${"A".repeat(88)}$${key}`, /salt must be 8 to 64 bytes/],
    [`$pbkdf2-sha256$i=1$${salt}$aGFz-2hhc2hoYXNoaGFzaA`, /derived key is not strict/],
    [`$pbkdf2-sha256$i=1$${salt}$aGFzaA`, /derived key must be 16 to 64 bytes/],
    [`$pbkdf2-sha256$i=1$${salt}$${"A".repeat(300)}`, /longer than 256 characters/],
  ];
  for (const [hash, problem] of cases) {
    await assert.rejects(verifyPassword("secret", hash as string), (error: unknown) => {
      assert.ok(error instanceof TypeError, `${String(hash)}: a TypeError`);
      assertMatch(error.message, problem, String(hash));
      assert.ok(!error.message.includes(String(hash)) || String(hash) === "", "the message never repeats the hash");
      return true;
    });
  }
  // The smallest accepted values still verify.
  assert.equal(await verifyPassword("secret", `$pbkdf2-sha256$i=1$${salt}$${key}`), false);
});

// ── Hardening: the body cap, header injection, planted secrets ──────────────

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

const TCP_INFO: ServeHandlerInfo = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1" } };

Deno.test("protect() reads a streamed body for core only up to maxBodyLength and leaves all of it to the handler", async () => {
  const handler = protect(
    async (request, _info, { identity }) =>
      Response.json({ identity, length: (await request.arrayBuffer()).byteLength }),
    tableAuthenticator(),
    { maxBodyLength: 32 * 1024 },
  );
  // 1 MiB streamed, token at the start: over the cap, so core sees no body and no token.
  const over = streamedForm(64);
  assert.equal((await handler(formRequest(over.body), TCP_INFO)).status, 401);
  assert.ok(over.pulled() < 80 * 1024, `pulled ${over.pulled()} bytes of a 1 MiB body`);
  // The same 1 MiB with Basic credentials: the handler reads every byte.
  const passed = streamedForm(64);
  const response = await handler(formRequest(passed.body, { Authorization: basic("ada", "secret") }), TCP_INFO);
  assert.deepEqual(await response.json(), { identity: { user: "ada" }, length: 28 + 64 * 16 * 1024 });
  // Within the cap, the token is found.
  const within = streamedForm(1);
  assert.equal((await handler(formRequest(within.body), TCP_INFO)).status, 200);
  assert.throws(() => protect(() => new Response(), tableAuthenticator(), { maxBodyLength: -1 }), RangeError);
});

Deno.test("on the wire: a form body whose Content-Length is over the default cap is not read for its token", async () => {
  const handler = protect(async (request) => new Response(String((await request.text()).length)), tableAuthenticator());
  await withServer(handler, async ({ url }) => {
    const small = await fetch(url, formRequest(`access_token=read-token&pad=${"x".repeat(100)}`));
    assert.deepEqual([small.status, await small.text()], [200, "128"]);
    const large = await fetch(url, formRequest(`access_token=read-token&pad=${"x".repeat(70_000)}`));
    assert.equal(large.status, 401);
    await large.body?.cancel();
  });
});

Deno.test("protect() lets no CR or LF out: a hostile header line is refused with a TypeError", async () => {
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
        response = await protect(() => new Response("in"), authenticator)(new Request("http://127.0.0.1/"), TCP_INFO);
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

Deno.test("on the wire: refused requests carry no planted secret", async () => {
  const marker = "pl4nted-S3CRET";
  await withServer(echo(tableAuthenticator({ proxy: false })), async ({ url }) => {
    for (const authorization of [basic("ada", marker), `Bearer ${marker}`, `Bearer ${marker}!`, `Basic ${marker}`]) {
      const response = await fetch(`${url}/?access_token=${marker}`, { headers: { Authorization: authorization } });
      const text = await response.text();
      assert.notEqual(response.status, 200);
      assert.ok(!JSON.stringify([[...response.headers], text]).includes(marker), authorization);
    }
  });
});

// ── Doc comments ────────────────────────────────────────────────────────────
// `deno test --doc` runs every example; this checks that every export has one.

Deno.test("every value exported from src/index.ts has a doc comment example", async () => {
  const library = await import("../src/index.ts");
  const documented = new Set<string>();
  const sources = new URL("../src/", import.meta.url);
  for await (const entry of Deno.readDir(sources)) {
    if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(new URL(entry.name, sources));
    for (const match of text.matchAll(/^\s*\* import\s*{([^}]*)}\s*from\s*"@httpauth\/deno"/gm)) {
      for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
    }
  }
  assert.deepEqual(
    Object.keys(library).filter((name) => !documented.has(name)),
    [],
  );
});
