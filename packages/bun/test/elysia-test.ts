// @httpauth/bun/elysia with real Elysia on Bun: served over loopback by
// app.listen (Bun.serve), read with fetch and as raw bytes from a socket;
// statuses, one Digest challenge on the wire, Authentication-Info, the typed
// `auth`, per-route scopes, scoping of the hooks, throttling by the peer
// address, and malformed, oversized and hostile input. The doc comment
// examples of src/elysia.ts run in bun-test.ts with the others.
//
// Run from packages/bun: bun test ./test/elysia-test.ts

import { afterAll, describe, test } from "bun:test";
import assert from "node:assert/strict";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "@httpauth/core";
import { linesNamed, parseHead, rawGet, rawRequest } from "@httpauth/testkit/wire";
import { Elysia } from "elysia";
import { httpAuth } from "../src/elysia.ts";

const ADA = `Basic ${btoa("ada:secret")}`;
const basic = createAuthenticator({
  schemes: [
    basicAuth({ realm: "elysia", verify: (user, password) => (password === "secret" ? { name: user } : undefined) }),
  ],
});
// Both schemes give the user name as the identity.
const digestThenBasic = createAuthenticator({
  schemes: [
    digestAuth({
      realm: "elysia",
      secret: "a test secret of some length",
      algorithms: ["SHA-256", "MD5"],
      password: (user) => (user === "ada" ? "secret" : undefined),
    }),
    basicAuth({ realm: "elysia", verify: (user, password) => (password === "secret" ? user : undefined) }),
  ],
});

/** Serves `app` on a free loopback port; the base URL and port, and `close`. */
function listen(app: Elysia): { base: string; port: number; close(): Promise<void> } {
  app.listen({ port: 0, hostname: "127.0.0.1" });
  const port = app.server?.port;
  if (port === undefined) throw new Error("Elysia did not start a server");
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      await app.stop(true);
    },
  };
}

describe("httpAuth() on Elysia over loopback", () => {
  const app = new Elysia()
    .get("/public", () => "public")
    .use(httpAuth(digestThenBasic))
    .get("/me", ({ auth }) => `hello ${auth.identity} by ${auth.scheme}`)
    .get("/response", ({ auth }) => new Response(`raw ${auth.identity}`, { headers: { "X-Own": "1" } }))
    .post("/echo", async ({ request }) => `got ${await request.text()}`);
  const server = listen(app as unknown as Elysia);
  afterAll(() => server.close());

  test("routes before .use() stay public; routes after it answer 401 with challenges", async () => {
    assert.equal(await (await fetch(`${server.base}/public`)).text(), "public");
    const refused = await fetch(`${server.base}/me`);
    assert.equal(refused.status, 401);
    const challenges = parseChallenges(refused.headers.get("www-authenticate") ?? "");
    assert.deepEqual(
      challenges.map((challenge) => challenge.params.algorithm ?? challenge.scheme),
      ["SHA-256", "basic"],
    );
  });

  test("one Digest challenge on the one WWW-Authenticate line Bun writes", async () => {
    const head = parseHead(await rawRequest(server.port, rawGet("/me")));
    assert.equal(head.status, 401);
    const lines = linesNamed(head.lines, "www-authenticate");
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.match(/Digest /g)?.length, 1);
    assert.doesNotMatch(lines[0] ?? "", /MD5/);
  });

  test("Basic reaches the handler with the typed identity", async () => {
    const allowed = await fetch(`${server.base}/me`, { headers: { Authorization: ADA } });
    assert.equal(allowed.status, 200);
    assert.equal(await allowed.text(), "hello ada by basic");
  });

  test("Digest (both algorithms) gets Authentication-Info, also on a handler's own Response", async () => {
    for (const algorithm of ["SHA-256", "MD5"]) {
      for (const path of ["/me", "/response"]) {
        const refused = await fetch(`${server.base}${path}`);
        const [first] = parseChallenges(refused.headers.get("www-authenticate") ?? "");
        if (first === undefined) throw new Error("no challenge");
        const challenge = { ...first, params: Object.assign(Object.create(null), first.params, { algorithm }) };
        const credentials = await computeDigestCredentials(challenge, {
          username: "ada",
          password: "secret",
          method: "GET",
          uri: path,
        });
        const response = await fetch(`${server.base}${path}`, {
          headers: { Authorization: serializeCredentials(credentials) },
        });
        assert.equal(response.status, 200, `${algorithm} ${path}`);
        assert.match(response.headers.get("authentication-info") ?? "", /rspauth="/);
        if (path === "/response") {
          assert.equal(await response.text(), "raw ada");
          assert.equal(response.headers.get("x-own"), "1");
        }
      }
    }
  });

  test("the handler still reads the request body", async () => {
    const response = await fetch(`${server.base}/echo`, {
      method: "POST",
      headers: { Authorization: ADA },
      body: "x=1",
    });
    assert.equal(await response.text(), "got x=1");
  });

  test("malformed, oversized and hostile Authorization: 400/401, never the handler", async () => {
    const hostile = [
      "Basic",
      "Basic !!!",
      `Basic ${btoa("ada")}`,
      `Basic ${"A".repeat(20_000)}`,
      'Digest username="ada", realm="elysia", nonce="forged", uri="/me", response="00"',
      "Bearer",
      `Basic ${btoa("ada:secret")}, Basic ${btoa("eve:secret")}`,
    ];
    for (const value of hostile) {
      const response = await fetch(`${server.base}/me`, { headers: { Authorization: value } });
      assert.ok(response.status === 400 || response.status === 401 || response.status === 431, value.slice(0, 40));
      assert.doesNotMatch(await response.text(), /hello/);
    }
  });
});

describe("httpAuth() options and scoping", () => {
  test("scopes as a function of the route: 403 insufficient_scope where the token lacks them", async () => {
    const bearer = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          verify: (token) => (token === "reader" ? { identity: "r", scopes: ["read"] } : undefined),
        }),
      ],
    });
    const app = new Elysia()
      .use(httpAuth(bearer, { scopes: ({ route }) => (route === "/items/:id/write" ? ["write"] : ["read"]) }))
      .get("/items/:id", ({ auth, params }) => `${auth.identity} reads ${params.id}`)
      .get("/items/:id/write", () => "written");
    const headers = { Authorization: "Bearer reader" };
    const read = await app.handle(new Request("http://localhost/items/7", { headers }));
    assert.equal(await read.text(), "r reads 7");
    const write = await app.handle(new Request("http://localhost/items/7/write", { headers }));
    assert.equal(write.status, 403);
    assert.match(
      write.headers.get("www-authenticate") ?? "",
      /^Bearer realm="api", scope="write", error="insufficient_scope"$/,
    );
  });

  test("scopes as a list per group: 403 in one, 200 in the other, one authenticator; bad scope-tokens reach onError", async () => {
    const api = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          verify: (token) => (token === "reader" ? { identity: "r", scopes: ["read"] } : undefined),
        }),
      ],
    });
    const app = new Elysia()
      .onError(({ error }) => new Response(error instanceof TypeError ? "TypeError" : "other", { status: 500 }))
      .group("/read", (group) =>
        group.use(httpAuth(api, { scopes: ["read"] })).get("/x", ({ auth }) => `${auth.identity}`),
      )
      .group("/admin", (group) => group.use(httpAuth(api, { scopes: ["admin"] })).get("/x", () => "admin"))
      .group("/broken", (group) => group.use(httpAuth(api, { scopes: () => ["a b"] })).get("/x", () => "never"));
    const headers = { Authorization: "Bearer reader" };
    const read = await app.handle(new Request("http://localhost/read/x", { headers }));
    assert.equal(read.status, 200);
    assert.equal(await read.text(), "r");
    const admin = await app.handle(new Request("http://localhost/admin/x", { headers }));
    assert.equal(admin.status, 403);
    assert.equal(
      admin.headers.get("www-authenticate"),
      'Bearer realm="api", scope="admin", error="insufficient_scope"',
    );
    const broken = await app.handle(new Request("http://localhost/broken/x", { headers }));
    assert.equal(broken.status, 500);
    assert.equal(await broken.text(), "TypeError");
  });

  test("a plugin in a group guards only that group; two authenticators are not deduplicated", async () => {
    const other = createAuthenticator({
      schemes: [basicAuth({ realm: "other", verify: (user, password) => (password === "other" ? user : undefined) })],
    });
    const app = new Elysia()
      .group("/a", (group) => group.use(httpAuth(basic)).get("/x", ({ auth }) => `a ${auth.identity.name}`))
      .group("/b", (group) => group.use(httpAuth(other)).get("/x", ({ auth }) => `b ${auth.identity}`))
      .get("/open", () => "open");
    assert.equal((await app.handle(new Request("http://localhost/open"))).status, 200);
    const a = await app.handle(new Request("http://localhost/a/x"));
    assert.equal(a.headers.get("www-authenticate"), 'Basic realm="elysia", charset="UTF-8"');
    const b = await app.handle(new Request("http://localhost/b/x"));
    assert.equal(b.headers.get("www-authenticate"), 'Basic realm="other", charset="UTF-8"');
    const other401 = await app.handle(new Request("http://localhost/b/x", { headers: { Authorization: ADA } }));
    assert.equal(other401.status, 401);
    const bob = `Basic ${btoa("bob:other")}`;
    assert.equal(
      await (await app.handle(new Request("http://localhost/b/x", { headers: { Authorization: bob } }))).text(),
      "b bob",
    );
  });

  test("digestChallenges: 'all' sends every algorithm", async () => {
    const app = new Elysia().use(httpAuth(digestThenBasic, { digestChallenges: "all" })).get("/", () => "in");
    const refused = await app.handle(new Request("http://localhost/"));
    const challenges = parseChallenges(refused.headers.get("www-authenticate") ?? "");
    assert.deepEqual(
      challenges.map((challenge) => challenge.params.algorithm ?? challenge.scheme),
      ["SHA-256", "MD5", "basic"],
    );
  });

  test("a CORS preflight passes unauthenticated by default, and is refused with corsPreflight: 'authenticate'", async () => {
    const preflight = {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
    };
    const open = new Elysia().use(httpAuth(basic)).options("/", ({ auth }) => `preflight ${auth.scheme}`);
    assert.equal(
      await (await open.handle(new Request("http://localhost/", preflight))).text(),
      "preflight cors-preflight",
    );
    const strict = new Elysia().use(httpAuth(basic, { corsPreflight: "authenticate" })).options("/", () => "in");
    assert.equal((await strict.handle(new Request("http://localhost/", preflight))).status, 401);
  });

  test("throttling counts the peer address from server.requestIP, or clientAddress", async () => {
    const throttled = createAuthenticator({
      schemes: [basicAuth({ realm: "elysia", verify: () => undefined })],
      throttle: { maxFailures: 1, window: 60 },
    });
    const app = new Elysia().use(httpAuth(throttled)).get("/", () => "in");
    const server = listen(app as unknown as Elysia);
    try {
      const guess = { headers: { Authorization: `Basic ${btoa("ada:guess")}` } };
      assert.equal((await fetch(`${server.base}/`, guess)).status, 401);
      assert.equal((await fetch(`${server.base}/`, guess)).status, 429);
    } finally {
      await server.close();
    }
    // Without Bun's server (app.handle) there is no address: the request is refused with a 500, never counted as one client.
    const noAddress = new Elysia().use(httpAuth(throttled)).get("/", () => "in");
    const refused = await noAddress.handle(new Request("http://localhost/", { headers: { Authorization: ADA } }));
    assert.equal(refused.status, 500);
    const byHeader = new Elysia()
      .use(httpAuth(throttled, { clientAddress: ({ request }) => request.headers.get("X-Real-IP") ?? undefined }))
      .get("/", () => "in");
    const from = (address: string) =>
      new Request("http://localhost/", { headers: { Authorization: `Basic ${btoa("eve:x")}`, "X-Real-IP": address } });
    assert.equal((await byHeader.handle(from("192.0.2.1"))).status, 401);
    assert.equal((await byHeader.handle(from("192.0.2.1"))).status, 429);
    assert.equal((await byHeader.handle(from("192.0.2.2"))).status, 401);
  });

  test("a verify callback that throws reaches onError, never a 401", async () => {
    const broken = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "elysia",
          verify: () => {
            throw new Error("user store down");
          },
        }),
      ],
    });
    const app = new Elysia()
      .onError(({ error }) => new Response(`error: ${(error as Error).message}`, { status: 503 }))
      .use(httpAuth(broken))
      .get("/", () => "in");
    const response = await app.handle(new Request("http://localhost/", { headers: { Authorization: ADA } }));
    assert.equal(response.status, 503);
    assert.equal(await response.text(), "error: user store down");
  });

  test("wrong arguments are TypeError or RangeError", () => {
    const wrong: unknown[] = [undefined, null, {}, { authenticate: 1 }];
    for (const value of wrong) assert.throws(() => httpAuth(value as typeof basic), TypeError);
    const bad: Record<string, unknown>[] = [
      { scopes: "read" },
      { clientAddress: "127.0.0.1" },
      { corsPreflight: "skip" },
      { digestChallenges: "one" },
    ];
    for (const options of bad) assert.throws(() => httpAuth(basic, options as never), TypeError);
    assert.throws(() => httpAuth(basic, "x" as never), TypeError);
    for (const maxBodyLength of [-1, 1.5, Number.NaN])
      assert.throws(() => httpAuth(basic, { maxBodyLength }), RangeError);
  });
});
