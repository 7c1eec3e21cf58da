/**
 * The cases `@httpauth/deno` and `@httpauth/bun` share: the outcome table over
 * a real server, the client address, the body cap, header injection, planted
 * secrets, CORS preflights (`preflight-cases.ts`), and the header lines on the wire in the runtime's layout. Written
 * against a small harness (serve a handler, call it directly, the runtime's
 * line layout) that each runtime's test file implements and injects with its
 * own `test` function; plain TypeScript with `node:assert/strict`, no test
 * framework, so Deno and Bun run it directly.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { AuthContext, Authenticator, Credentials, ThrottleStore } from "@httpauth/core";
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
import { runDigestLineCases } from "./digest-line-cases.ts";
import { runPreflightCases } from "./preflight-cases.ts";
import { streamedForm } from "./streams.ts";
import { linesNamed, parseHead, rawGet, rawRequest } from "./wire.mjs";

/** A running server: `base` is its origin, `port` its TCP port. */
export interface Served {
  base: string;
  port: number;
  close(): Promise<void>;
}

/** A handler of the Fetch API that runs once the request is authenticated. */
export type PlainHandler<Identity> = (request: Request, context: AuthContext<Identity>) => Response | Promise<Response>;

/** What a runtime's test file provides: its `protect`, its server, and what its server writes. */
export interface FetchRuntimeHarness<Handler> {
  /** The ways a handler is served, run by every case that serves one: `["Deno.serve"]`, `["fetch", "routes"]`. */
  modes: readonly string[];
  /** Whether the runtime writes each challenge on its own line, or joins them into one. */
  layout: "a line per challenge" | "one joined line";
  /** The path of a resource named `name` on a served handler. */
  path(name: string): string;
  /** The runtime's `protect` around a handler that takes the request and the context. */
  protect<Identity>(
    handler: PlainHandler<Identity>,
    authenticator: Authenticator<Identity>,
    options?: {
      maxBodyLength?: number;
      clientAddress?: (request: Request) => string | undefined;
      corsPreflight?: "pass" | "authenticate";
      digestChallenges?: "all" | "first";
    },
  ): Handler;
  /** The runtime's `protect` with arguments as they are, for the argument checks. */
  protectUnchecked(handler: unknown, authenticator: unknown): unknown;
  /** Fields the echo handler adds for a request (Bun's route parameters). */
  echoExtra(request: Request): Record<string, unknown>;
  /** The fields {@linkcode FetchRuntimeHarness.echoExtra} gives for the resource `name` in `mode`. */
  expectedExtra(mode: string, name: string): Record<string, unknown>;
  /** Serves `handler` on 127.0.0.1, on a free port; `onError` answers what the handler's promise rejects with. */
  serve(mode: string, handler: Handler, onError?: (error: unknown) => Response): Served;
  /** Calls `handler` directly, as the runtime would for a peer at 127.0.0.1. */
  call(handler: Handler, request: Request): Promise<Response>;
  /** Calls `handler` directly for a peer without an IP address (a Unix socket). */
  callWithoutAddress(handler: Handler, request: Request): Promise<Response>;
}

/** The runtime's test registration: `Deno.test`, or `test` of `bun:test`. */
export type Register = (name: string, body: () => Promise<void> | void) => void;

interface User {
  user: string;
}

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

/** The response and its body text, the body read to the end. */
async function get(url: string, headers: Record<string, string> = {}): Promise<[Response, string]> {
  const response = await fetch(url, { headers });
  return [response, await response.text()];
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
    hit(key, windowMs, now) {
      keys.push(key);
      return inner.hit(key, windowMs, now);
    },
    release: (key, resetAt) => inner.release(key, resetAt),
    reset: (key) => inner.reset(key),
  };
}

/** Digest credentials for `uri`, answering the challenge of a refused GET of `url`. */
async function digestCredentialsFor(url: string, uri: string): Promise<Credentials> {
  const [refused] = await get(url);
  const challenge = parseChallenges(refused.headers.get("www-authenticate") ?? "").find(
    (candidate) => candidate.scheme === "digest",
  );
  assert.ok(challenge, "a Digest challenge");
  return computeDigestCredentials(challenge, { username: "ada", password: "secret", method: "GET", uri });
}

function formRequest(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1/", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
}

/** The pieces every case uses: the harness, a served-handler helper, the echo handler. */
class Cases<Handler> {
  constructor(
    readonly harness: FetchRuntimeHarness<Handler>,
    readonly register: Register,
  ) {}

  /** A handler that echoes who was let in, the path, and what the runtime adds. */
  echo(authenticator: Authenticator<User>): Handler {
    return this.harness.protect<User>(
      (request, { identity, scheme }) =>
        Response.json({ identity, scheme, path: new URL(request.url).pathname, ...this.harness.echoExtra(request) }),
      authenticator,
    );
  }

  /** Runs `body` against a server for `handler`, then shuts the server down. */
  async withServer(mode: string, handler: Handler, body: (server: Served) => Promise<void>): Promise<void> {
    const server = this.harness.serve(mode, handler);
    try {
      await body(server);
    } finally {
      await server.close();
    }
  }

  /** Registers `body` once per mode, the mode in the name when there are several. */
  eachMode(name: string, body: (mode: string) => Promise<void>): void {
    for (const mode of this.harness.modes) {
      this.register(this.harness.modes.length > 1 ? `${name} (${mode})` : name, () => body(mode));
    }
  }
}

/**
 * Registers every shared case with `register`, run against `harness`.
 *
 * @param harness the runtime's harness
 * @param register `Deno.test`, or `test` of `bun:test`
 */
export function runFetchRuntimeSuite<Handler>(harness: FetchRuntimeHarness<Handler>, register: Register): void {
  const cases = new Cases(harness, register);
  refusals(cases);
  successes(cases);
  errors(cases);
  clientAddress(cases);
  wire(cases);
  hardening(cases);
  runPreflightCases(harness, register);
  runDigestLineCases(harness, register);
  digestTargets(cases);
}

/**
 * Digest `uri` as real clients send it, raw on the wire (issue 13 point 8):
 * the runtime hands core a URL its WHATWG parser normalised (an empty `?`
 * kept, dot segments removed, `{` `}` percent-encoded), and core normalises
 * the client's `uri` the same way, so the right password passes.
 */
function digestTargets<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  const dotted = (path: string): string => path.replace(/\/([^/]*)$/, "/./$1");
  const targets = [`${harness.path("report")}?`, harness.path("x{y}"), `${harness.path("q")}?range={1,2}`];
  // Dot segments only where the handler sees every path: a router may match the raw path (Bun's routes: 404).
  const dotTargets = [dotted(harness.path("dot")), `${harness.path("up")}/../back`];
  cases.eachMode("protect() accepts Digest credentials whose uri is the raw target the runtime normalised", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base, port }) => {
      for (const target of mode === harness.modes[0] ? [...targets, ...dotTargets] : targets) {
        const credentials = await digestCredentialsFor(`${base}${harness.path("report")}`, target);
        const raw = await rawRequest(
          port,
          rawGet(target, { headers: { Authorization: serializeCredentials(credentials) } }),
        );
        assert.equal(parseHead(raw).status, 200, `GET ${target}`);
      }
      // Another resource stays refused.
      const other = await digestCredentialsFor(`${base}${harness.path("report")}`, harness.path("other"));
      const raw = await rawRequest(
        port,
        rawGet(harness.path("report"), { headers: { Authorization: serializeCredentials(other) } }),
      );
      assert.equal(parseHead(raw).status, 401);
    }),
  );
}

/** The outcome table: what a refused request is answered with. */
function refusals<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  cases.eachMode("protect() answers 401 with every challenge, in order, when no credentials are sent", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const [response, body] = await get(`${base}${harness.path("files")}`);
      assert.equal(response.status, 401);
      assert.ok(/^401 Unauthorized/.test(body), body);
      assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
      assert.deepEqual(schemesAndRealms(response.headers.get("www-authenticate")), [
        ["basic", "api"],
        ["bearer", "api"],
        ["digest", "api"],
      ]);
    }),
  );
  cases.eachMode("protect() answers 401 with every challenge for a wrong Basic password", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const [response] = await get(`${base}${harness.path("files")}`, { Authorization: basic("ada", "wrong") });
      assert.equal(response.status, 401);
      assert.equal(schemesAndRealms(response.headers.get("www-authenticate")).length, 3);
    }),
  );
  cases.eachMode("protect() answers 403 insufficient_scope for a Bearer token without the scope", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const [response] = await get(`${base}${harness.path("files")}`, { Authorization: "Bearer write-token" });
      assert.equal(response.status, 403);
      assert.equal(
        response.headers.get("www-authenticate"),
        'Bearer realm="api", scope="read", error="insufficient_scope"',
      );
    }),
  );
  cases.eachMode("protect() answers 400 invalid_request for malformed Bearer credentials", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const [response] = await get(`${base}${harness.path("files")}`, { Authorization: "Bearer two tokens" });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="api", error="invalid_request"');
    }),
  );
  cases.eachMode(
    "protect() answers 407 with Proxy-Authenticate and reads Proxy-Authorization when proxy is on",
    (mode) =>
      cases.withServer(mode, cases.echo(tableAuthenticator({ proxy: true })), async ({ base }) => {
        const [refused] = await get(`${base}${harness.path("x")}`, { Authorization: basic("ada", "secret") });
        assert.equal(refused.status, 407);
        assert.equal(refused.headers.get("www-authenticate"), null);
        assert.equal(schemesAndRealms(refused.headers.get("proxy-authenticate")).length, 3);
        const [allowed, body] = await get(`${base}${harness.path("x")}`, {
          "Proxy-Authorization": basic("ada", "secret"),
        });
        assert.equal(allowed.status, 200);
        assert.equal(JSON.parse(body).scheme, "basic");
      }),
  );
  cases.eachMode("protect() answers the legacy 403 without a challenge when missingCredentialsStatus is 403", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator({ missingCredentialsStatus: 403 })), async ({ base }) => {
      const [response] = await get(`${base}${harness.path("x")}`);
      assert.equal(response.status, 403);
      assert.equal(response.headers.get("www-authenticate"), null);
    }),
  );
}

/** The outcome table: what reaches the handler, and what is added to its response. */
function successes<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  cases.eachMode("protect() lets valid Basic credentials through with the identity and scheme", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const [response, body] = await get(`${base}${harness.path("files")}`, { Authorization: basic("ada", "secret") });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(body), {
        identity: { user: "ada" },
        scheme: "basic",
        path: harness.path("files"),
        ...harness.expectedExtra(mode, "files"),
      });
      assert.equal(response.headers.get("www-authenticate"), null);
    }),
  );
  cases.eachMode("protect() lets a Bearer token with the scope through", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const [response, body] = await get(`${base}${harness.path("files")}`, { Authorization: "Bearer read-token" });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(body), {
        identity: { user: "robot" },
        scheme: "bearer",
        path: harness.path("files"),
        ...harness.expectedExtra(mode, "files"),
      });
    }),
  );
  cases.eachMode("protect() answers Digest credentials with 200 and an Authentication-Info that verifies", (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ base }) => {
      const uri = `${harness.path("digest")}?page=2`;
      const credentials = await digestCredentialsFor(`${base}${uri}`, uri);
      const [response, body] = await get(`${base}${uri}`, { Authorization: serializeCredentials(credentials) });
      assert.equal(response.status, 200);
      assert.deepEqual(JSON.parse(body), {
        identity: { user: "ada" },
        scheme: "digest",
        path: harness.path("digest"),
        ...harness.expectedExtra(mode, "digest"),
      });
      const info = response.headers.get("authentication-info");
      assert.ok(info !== null);
      await verifyDigestAuthenticationInfo(info, credentials, { password: "secret" });
    }),
  );
  cases.eachMode("protect() leaves the body readable after core read a form-body Bearer token", (mode) => {
    const handler = harness.protect(async (request) => new Response(await request.text()), tableAuthenticator());
    return cases.withServer(mode, handler, async ({ base }) => {
      const response = await fetch(`${base}${harness.path("form")}`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "access_token=read-token&note=kept",
      });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "access_token=read-token&note=kept");
    });
  });
  immutableResponses(cases);
}

/** Authentication-Info on responses whose headers may be immutable: a redirect, a fetch() result. */
function immutableResponses<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  cases.register("protect() copies an immutable handler response to append Authentication-Info", async () => {
    const handler = harness.protect(
      (request) => Response.redirect(new URL("/elsewhere", request.url), 302),
      tableAuthenticator(),
    );
    await cases.withServer(harness.modes[0] ?? "", handler, async ({ base }) => {
      const url = `${base}${harness.path("moved")}`;
      const credentials = await digestCredentialsFor(url, harness.path("moved"));
      const response = await fetch(url, {
        headers: { Authorization: serializeCredentials(credentials) },
        redirect: "manual",
      });
      await response.body?.cancel();
      assert.equal(response.status, 302);
      assert.equal(response.headers.get("location"), `${base}/elsewhere`);
      assert.ok(/rspauth="[0-9a-f]{64}"/.test(response.headers.get("authentication-info") ?? ""));
    });
  });
  cases.register("protect() appends Authentication-Info to a response passed through from fetch()", async () => {
    const mode = harness.modes[0] ?? "";
    const upstream = harness.serve(
      mode,
      harness.protect(() => new Response("upstream", { headers: { "X-Upstream": "1" } }), {
        openapi: () => ({}),
        authenticate: () => Promise.resolve({ ok: true, scheme: "basic", identity: "anyone", headers: [] }),
      }),
    );
    const handler = harness.protect(() => fetch(`${upstream.base}${harness.path("up")}`), tableAuthenticator());
    try {
      await cases.withServer(mode, handler, async ({ base }) => {
        const credentials = await digestCredentialsFor(`${base}${harness.path("x")}`, harness.path("x"));
        const [response, body] = await get(`${base}${harness.path("x")}`, {
          Authorization: serializeCredentials(credentials),
        });
        assert.equal(response.status, 200);
        assert.equal(body, "upstream");
        assert.equal(response.headers.get("x-upstream"), "1");
        assert.ok(/rspauth="[0-9a-f]{64}"/.test(response.headers.get("authentication-info") ?? ""));
      });
    } finally {
      await upstream.close();
    }
  });
}

/** Exceptions propagate; bad arguments are refused at once. */
function errors<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  const failing = () =>
    createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: () => {
            throw new Error("user store is down");
          },
        }),
      ],
    });
  cases.register("protect() rejects with a verify exception when called directly", async () => {
    const handler = harness.protect(() => new Response("never"), failing());
    const request = new Request("http://127.0.0.1/", { headers: { Authorization: basic("ada", "secret") } });
    await assert.rejects(harness.call(handler, request), /user store is down/);
  });
  cases.eachMode("protect() lets a verify exception propagate to the server's error handler (500)", async (mode) => {
    const caught: unknown[] = [];
    const server = harness.serve(
      mode,
      harness.protect(() => new Response("never"), failing()),
      (error) => {
        caught.push(error);
        return new Response("Internal Server Error", { status: 500 });
      },
    );
    try {
      const [response] = await get(`${server.base}${harness.path("x")}`, { Authorization: basic("ada", "secret") });
      assert.equal(response.status, 500);
      assert.equal(caught.length, 1);
      assert.equal((caught[0] as Error | undefined)?.message, "user store is down");
    } finally {
      await server.close();
    }
  });
  cases.register("protect() refuses a handler that is not a function and an authenticator without authenticate", () => {
    const authenticator = tableAuthenticator();
    assert.throws(() => harness.protectUnchecked("handler", authenticator), TypeError);
    assert.throws(() => harness.protectUnchecked(() => new Response(), {}), TypeError);
    assert.throws(() => harness.protectUnchecked(() => new Response(), null), TypeError);
  });
}

/** The client address reaches throttling; a peer without an IP address gives none. */
function clientAddress<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  cases.eachMode("protect() hands the peer's address to throttling: 429 for one address, not another", (mode) => {
    const store = recordingStore();
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
      throttle: { maxFailures: 2, window: 60, store },
    });
    return cases.withServer(
      mode,
      harness.protect(() => new Response("ok"), authenticator),
      async ({ base, port }) => {
        const url = `${base}${harness.path("x")}`;
        const wrong = { Authorization: basic("ada", "wrong") };
        assert.equal((await get(url, wrong))[0].status, 401);
        assert.equal((await get(url, wrong))[0].status, 401);
        const [throttled] = await get(url, { Authorization: basic("ada", "secret") });
        assert.equal(throttled.status, 429);
        assert.ok(/^[1-9][0-9]*$/.test(throttled.headers.get("retry-after") ?? ""));
        assert.equal(throttled.headers.get("www-authenticate"), null);
        assert.deepEqual(JSON.parse(store.keys[0] ?? ""), ["address", "127.0.0.1"]);
        assert.deepEqual(JSON.parse(store.keys[1] ?? ""), ["identity", "127.0.0.1", "basic", "ada"]);

        // The same user from 127.0.0.2 is counted apart.
        const head = rawGet(harness.path("x"), { headers: { Authorization: basic("ada", "secret") } });
        assert.equal(parseHead(await rawRequest(port, head, { localAddress: "127.0.0.2" })).status, 200);
        assert.deepEqual(JSON.parse(store.keys.at(-1) ?? ""), ["identity", "127.0.0.2", "basic", "ada"]);
      },
    );
  });
  cases.register(
    "protect() refuses a peer without an IP address when throttling: never one shared counter",
    async () => {
      const store = recordingStore();
      const authenticator = createAuthenticator({
        schemes: [basicAuth({ realm: "api", verify: () => "ada" })],
        throttle: { maxFailures: 2, window: 60, store },
      });
      const handler = harness.protect(() => new Response("ok"), authenticator);
      const request = new Request("http://localhost/", { headers: { Authorization: basic("ada", "secret") } });
      await assert.rejects(harness.callWithoutAddress(handler, request), (error: unknown) => {
        assert.ok(error instanceof TypeError);
        assert.match(error.message, /clientAddress/);
        return true;
      });
      assert.deepEqual(store.keys, []);
    },
  );
  cases.register("protect({ clientAddress }) replaces the peer's address (a reverse proxy)", async () => {
    const store = recordingStore();
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) })],
      throttle: { maxFailures: 1, window: 60, store },
    });
    const handler = harness.protect(() => new Response("ok"), authenticator, {
      clientAddress: (request) => request.headers.get("X-Real-IP") ?? undefined,
    });
    const from = (address: string, password: string): Request =>
      new Request("http://localhost/", { headers: { Authorization: basic("ada", password), "X-Real-IP": address } });
    assert.equal((await harness.call(handler, from("192.0.2.1", "wrong"))).status, 401);
    assert.equal((await harness.call(handler, from("192.0.2.1", "secret"))).status, 429);
    assert.equal((await harness.call(handler, from("192.0.2.2", "secret"))).status, 200);
    assert.deepEqual(JSON.parse(store.keys[0] ?? ""), ["address", "192.0.2.1"]);
    // Behind the proxy, a request the proxy did not label has no address: refused, not counted with the others.
    const unlabelled = new Request("http://localhost/", { headers: { Authorization: basic("ada", "secret") } });
    await assert.rejects(harness.call(handler, unlabelled), TypeError);
  });
}

/** The header lines as the runtime writes them, read from a raw socket. */
function wire<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  const separate = harness.layout === "a line per challenge";
  cases.eachMode(`on the wire: the challenges go out as ${harness.layout}, in order, each with its realm`, (mode) =>
    cases.withServer(mode, cases.echo(tableAuthenticator()), async ({ port }) => {
      const raw = await rawRequest(port, rawGet(harness.path("x")));
      const { status, lines } = parseHead(raw);
      assert.equal(status, 401);
      const values = linesNamed(lines, "WWW-Authenticate");
      if (separate) {
        assert.equal(values.length, 3, `three lines, got:\n${raw}`);
        assert.deepEqual(
          values.map((line) => schemesAndRealms(line)),
          [[["basic", "api"]], [["bearer", "api"]], [["digest", "api"]]],
        );
        return;
      }
      // One line per challenge is what httpauth asks for; the runtime joins them.
      assert.equal(values.length, 1, `the runtime now writes ${values.length} lines: update protect()'s docs\n${raw}`);
      assert.deepEqual(schemesAndRealms(values[0] ?? ""), [
        ["basic", "api"],
        ["bearer", "api"],
        ["digest", "api"],
      ]);
      assert.ok(values[0]?.startsWith('Basic realm="api", charset="UTF-8", Bearer realm="api", Digest realm="api"'));
    }),
  );
  cases.register(`on the wire: Proxy-Authenticate goes out as ${harness.layout} behind a proxy`, () =>
    cases.withServer(harness.modes[0] ?? "", cases.echo(tableAuthenticator({ proxy: true })), async ({ port }) => {
      const { status, lines } = parseHead(await rawRequest(port, rawGet(harness.path("x"))));
      assert.equal(status, 407);
      const values = linesNamed(lines, "Proxy-Authenticate");
      assert.deepEqual(
        values.map((line) => parseChallenges(line).length),
        separate ? [1, 1, 1] : [3],
      );
      assert.deepEqual(linesNamed(lines, "WWW-Authenticate"), []);
    }),
  );
  cases.register("on the wire: Authentication-Info is appended beside the handler's own repeated lines", async () => {
    const handler = harness.protect(() => {
      const response = new Response("ok");
      response.headers.append("Set-Cookie", "a=1");
      response.headers.append("Set-Cookie", "b=2");
      return response;
    }, tableAuthenticator());
    await cases.withServer(harness.modes[0] ?? "", handler, async ({ base, port }) => {
      const credentials = await digestCredentialsFor(`${base}${harness.path("x")}`, harness.path("x"));
      const head = rawGet(harness.path("x"), { headers: { Authorization: serializeCredentials(credentials) } });
      const { status, lines } = parseHead(await rawRequest(port, head));
      assert.equal(status, 200);
      assert.deepEqual(linesNamed(lines, "Set-Cookie"), ["a=1", "b=2"]);
      assert.equal(linesNamed(lines, "Authentication-Info").length, 1);
    });
  });
}

/** The body cap; then {@linkcode injection}. */
function hardening<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  cases.register(
    "protect() reads a streamed body for core only up to maxBodyLength and leaves all of it to the handler",
    async () => {
      const handler = harness.protect(
        async (request, { identity }) => Response.json({ identity, length: (await request.arrayBuffer()).byteLength }),
        tableAuthenticator(),
        { maxBodyLength: 32 * 1024 },
      );
      // 1 MiB streamed, token at the start: over the cap, so core sees no body and no token.
      const over = streamedForm("read-token", 64);
      assert.equal((await harness.call(handler, formRequest(over.body))).status, 401);
      assert.ok(over.pulled() < 80 * 1024, `pulled ${over.pulled()} bytes of a 1 MiB body`);
      // The same 1 MiB with Basic credentials: the handler reads every byte.
      const passed = streamedForm("read-token", 64);
      const response = await harness.call(handler, formRequest(passed.body, { Authorization: basic("ada", "secret") }));
      assert.deepEqual(await response.json(), { identity: { user: "ada" }, length: 28 + 64 * 16 * 1024 });
      // Within the cap, the token is found.
      const within = streamedForm("read-token", 1);
      assert.equal((await harness.call(handler, formRequest(within.body))).status, 200);
      assert.throws(
        () => harness.protect(() => new Response(), tableAuthenticator(), { maxBodyLength: -1 }),
        RangeError,
      );
    },
  );
  cases.register(
    "on the wire: a form body whose Content-Length is over the default cap is not read for its token",
    async () => {
      const handler = harness.protect(
        async (request) => new Response(String((await request.text()).length)),
        tableAuthenticator(),
      );
      await cases.withServer(harness.modes[0] ?? "", handler, async ({ base }) => {
        const url = `${base}${harness.path("x")}`;
        const small = await fetch(url, formRequest(`access_token=read-token&pad=${"x".repeat(100)}`));
        assert.deepEqual([small.status, await small.text()], [200, "128"]);
        const large = await fetch(url, formRequest(`access_token=read-token&pad=${"x".repeat(70_000)}`));
        assert.equal(large.status, 401);
        await large.body?.cancel();
      });
    },
  );
  injection(cases);
}

/** No CR, LF or NUL leaves through a header line; no secret through a refusal. */
function injection<Handler>(cases: Cases<Handler>): void {
  const { harness } = cases;
  cases.register(
    "protect() lets no CR or LF out: a hostile header line is refused with a TypeError, or never written",
    async () => {
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
            response = await harness.call(
              harness.protect(() => new Response("in"), authenticator),
              new Request("http://127.0.0.1/"),
            );
          } catch (error) {
            assert.ok(error instanceof TypeError, String(error));
            continue;
          }
          for (const [name, value] of response.headers) {
            assert.ok(!/[\r\n\0]/.test(name + value), JSON.stringify([name, value]));
          }
        }
      }
    },
  );
  cases.register("on the wire: refused requests carry no planted secret", async () => {
    const marker = "pl4nted-S3CRET";
    await cases.withServer(harness.modes[0] ?? "", cases.echo(tableAuthenticator()), async ({ base }) => {
      for (const authorization of [basic("ada", marker), `Bearer ${marker}`, `Bearer ${marker}!`, `Basic ${marker}`]) {
        const response = await fetch(`${base}${harness.path("x")}?access_token=${marker}`, {
          headers: { Authorization: authorization },
        });
        const text = await response.text();
        assert.notEqual(response.status, 200);
        assert.ok(!JSON.stringify([[...response.headers], text]).includes(marker), authorization);
      }
    });
  });
}
