// @httpauth/deno under real Deno: the cases shared with @httpauth/bun
// (@httpauth/testkit/fetch-runtime-suite) over Deno.serve on 127.0.0.1, real
// fetch over loopback and raw bytes read from a socket, then what only Deno
// has: its line layout for a Headers object, its handler info type, PBKDF2.
//
// Run from packages/deno: deno test --allow-net=127.0.0.1,127.0.0.2 --allow-read=./src --doc

import assert from "node:assert/strict";
import { basicAuth, createAuthenticator } from "@httpauth/core";
import { type FetchRuntimeHarness, runFetchRuntimeSuite, type Served } from "@httpauth/testkit/fetch-runtime-suite";
import { runOAuthRuntimeSuite } from "@httpauth/testkit/oauth-runtime-suite";
import { linesNamed, parseHead, rawGet, rawRequest } from "@httpauth/testkit/wire";
import type { ServeHandler, ServeHandlerInfo } from "../src/index.ts";
import { createResourceMetadataHandler, hashPassword, protect, verifyPassword } from "../src/index.ts";

// ── The shared cases, on Deno.serve ─────────────────────────────────────────

const TCP_INFO: ServeHandlerInfo = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1" } };

/** Serves `handler` with Deno.serve on 127.0.0.1, on a free port. */
function serve(
  handler: (request: Request, info: ServeHandlerInfo) => Response | Promise<Response>,
  onError?: (error: unknown) => Response,
): Served {
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {}, ...(onError === undefined ? {} : { onError }) },
    handler,
  );
  return { base: `http://127.0.0.1:${server.addr.port}`, port: server.addr.port, close: () => server.shutdown() };
}

const harness: FetchRuntimeHarness<ServeHandler> = {
  modes: ["Deno.serve"],
  layout: "a line per challenge",
  path: (name) => `/${name}`,
  protect: (handler, authenticator, options) =>
    protect((request, _info, context) => handler(request, context), authenticator, options),
  protectUnchecked: (handler, authenticator) => protect(handler as never, authenticator as never),
  echoExtra: () => ({}),
  expectedExtra: () => ({}),
  serve: (_mode, handler, onError) => serve(handler, onError),
  call: (handler, request) => handler(request, TCP_INFO),
  callWithoutAddress: (handler, request) =>
    handler(request, { remoteAddr: { transport: "unix", path: "/run/app.sock" } } as ServeHandlerInfo),
};

runFetchRuntimeSuite(harness, Deno.test);
runOAuthRuntimeSuite(
  {
    mode: "Deno.serve",
    protect: (handler, authenticator, options) =>
      protect((request, _info, context) => handler(request, context), authenticator, options),
    createResourceMetadataHandler,
    serve: (_mode, handler) => serve(handler),
    adapt: (handler) => (request) => handler(request),
  },
  Deno.test,
);

/** `assert.match`, which the node:assert/strict types bundled with Deno lack. */
function assertMatch(text: string, pattern: RegExp, message?: string): void {
  assert.ok(pattern.test(text), message ?? `${JSON.stringify(text)} matches ${pattern}`);
}

function basic(user: string, password: string): string {
  return `Basic ${btoa(`${user}:${password}`)}`;
}

/** The response's status and body text, the body read to the end. */
async function get(url: string, headers: Record<string, string> = {}): Promise<[Response, string]> {
  const response = await fetch(url, { headers });
  return [response, await response.text()];
}

// ── On the wire ─────────────────────────────────────────────────────────────

Deno.test("on the wire: Deno joins values appended to a Headers object that is then passed to Response", async () => {
  // Why createFailureResponse() appends to the response's own header list:
  // copying a Headers object goes through its iterator, which combines values
  // (Fetch "sort and combine"), so Deno writes one line. Set-Cookie is the only name the iterator keeps apart.
  const server = serve(() => {
    const headers = new Headers();
    headers.append("WWW-Authenticate", 'Basic realm="a"');
    headers.append("WWW-Authenticate", 'Bearer realm="b"');
    return new Response(null, { status: 401, headers });
  });
  try {
    const { lines } = parseHead(await rawRequest(server.port, rawGet("/")));
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

Deno.test("verifyPassword() bounds the total PBKDF2 work, iterations × blocks, before deriving a key", async () => {
  // A hostile stored hash: the most iterations with the longest key. Each 32 bytes
  // of key is one more HMAC-SHA-256 block that runs every iteration again, so this
  // is 20 000 000 block iterations (seconds of CPU per login attempt).
  const salt = "c2FsdHNhbHQ"; // 8 bytes
  const key64 = "A".repeat(86); // 64 bytes: 2 blocks
  const key33 = "A".repeat(44); // 33 bytes: 2 blocks
  const key32 = "A".repeat(43); // 32 bytes: 1 block
  for (const hash of [
    `$pbkdf2-sha256$i=10000000$${salt}$${key64}`,
    `$pbkdf2-sha256$i=5000001$${salt}$${key64}`,
    `$pbkdf2-sha256$i=5000001$${salt}$${key33}`,
  ]) {
    const started = performance.now();
    await assert.rejects(verifyPassword("secret", hash), (error: unknown) => {
      assert.ok(error instanceof TypeError, `${hash}: a TypeError`);
      assertMatch(error.message, /block iterations of work/);
      return true;
    });
    // Refused before any derivation (a derivation of this size takes seconds).
    assert.ok(performance.now() - started < 500, "refused before any work");
  }
  // At the bound: accepted (the key is wrong, so false). Kept small to stay fast:
  // the bound is checked, not timed, for 2 blocks × 5 000 000 and 1 block × 10 000 000.
  assert.equal(await verifyPassword("secret", `$pbkdf2-sha256$i=1$${salt}$${key64}`), false);
  assert.equal(await verifyPassword("secret", `$pbkdf2-sha256$i=1$${salt}$${key32}`), false);
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
