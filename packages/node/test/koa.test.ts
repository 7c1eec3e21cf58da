// @httpauth/node/koa against real koa 3 over 127.0.0.1: field lines read from
// rawHeaders and raw bytes, ctx.state.auth, koa's error handling.

import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { computeDigestCredentials, parseChallenges, serializeCredentials } from "@httpauth/core";
import Koa from "koa";
import { afterEach, describe, expect, expectTypeOf, test } from "vitest";
import type { AuthContext } from "../src/index.ts";
import type { KoaAuthState } from "../src/koa.ts";
import { httpAuth } from "../src/koa.ts";
import type { User } from "./support/authenticators.ts";
import {
  BASIC_CHALLENGE,
  BEARER_CHALLENGE,
  createBasicAuthenticator,
  createTestAuthenticator,
  STORE_DOWN,
} from "./support/authenticators.ts";
import { basic, fieldLines, rawExchange, send } from "./support/http.ts";

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(app: Koa<KoaAuthState<User>>): Promise<{ origin: string; port: number }> {
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port };
}

/** A koa app: the middleware, then an echo of ctx.state.auth. */
function createApp(middleware = httpAuth(createTestAuthenticator())): Koa<KoaAuthState<User>> {
  const app = new Koa<KoaAuthState<User>>();
  app.silent = true;
  app.use(middleware);
  app.use((ctx) => {
    expectTypeOf(ctx.state.auth).toEqualTypeOf<AuthContext<User>>();
    ctx.body = { auth: ctx.state.auth ?? null };
  });
  return app;
}

describe("httpAuth() on real koa", () => {
  test("httpAuth() answers 401 with one WWW-Authenticate line per challenge, on the raw bytes", async () => {
    const { origin, port } = await listen(createApp());
    const reply = await send(`${origin}/`);
    expect(reply.status).toBe(401);
    expect(reply.body).toContain("401");
    expect(fieldLines(reply, "WWW-Authenticate").slice(0, 2)).toEqual([BASIC_CHALLENGE, BEARER_CHALLENGE]);
    const bytes = await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(bytes.match(/\r\nWWW-Authenticate: /gi)).toHaveLength(3);
    expect(bytes).toContain(`\r\nWWW-Authenticate: ${BASIC_CHALLENGE}\r\nWWW-Authenticate: ${BEARER_CHALLENGE}\r\n`);
  });

  test("httpAuth() puts { identity, scheme } on ctx.state.auth", async () => {
    const { origin } = await listen(createApp());
    const reply = await send(`${origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ auth: { identity: { name: "ada" }, scheme: "basic" } });
  });

  test("httpAuth() sets Authentication-Info for Digest on success", async () => {
    const { origin } = await listen(createApp());
    const first = await send(`${origin}/a?b=c`);
    const challenge = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(({ scheme }) => scheme === "digest");
    const credentials = await computeDigestCredentials(challenge!, {
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/a?b=c",
    });
    const reply = await send(`${origin}/a?b=c`, { headers: { authorization: serializeCredentials(credentials) } });
    expect(reply.status).toBe(200);
    expect(fieldLines(reply, "Authentication-Info")).toHaveLength(1);
  });

  test("httpAuth() answers 403 insufficient_scope", async () => {
    const { origin } = await listen(createApp());
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer writer-token" } });
    expect(reply.status).toBe(403);
    expect(fieldLines(reply, "WWW-Authenticate")[0]).toContain('error="insufficient_scope"');
  });

  test("httpAuth() lets what verify throws reach koa's error handling", async () => {
    const errors: unknown[] = [];
    const app = createApp();
    app.on("error", (error) => errors.push(error));
    const { origin } = await listen(app);
    const reply = await send(`${origin}/`, { headers: { authorization: basic("crash", "x") } });
    expect(reply.status).toBe(500);
    expect(reply.body).not.toContain("hunter2");
    expect((errors[0] as Error).message).toBe(STORE_DOWN);
  });

  test("httpAuth() lets a CORS preflight through without ctx.state.auth, unless told to authenticate it", async () => {
    const headers = { origin: "https://a.example", "access-control-request-method": "GET" };
    const { origin } = await listen(createApp(httpAuth(createBasicAuthenticator())));
    const passed = await send(`${origin}/`, { method: "OPTIONS", headers });
    expect(JSON.parse(passed.body)).toEqual({ auth: null });
    const strict = await listen(createApp(httpAuth(createBasicAuthenticator(), { corsPreflight: "authenticate" })));
    expect((await send(`${strict.origin}/`, { method: "OPTIONS", headers })).status).toBe(401);
  });

  test("httpAuth() reads the client address from ctx.ip, or from options.clientAddress", async () => {
    const seen: Array<string | undefined> = [];
    const authenticator = createBasicAuthenticator();
    const spy = {
      authenticate: (request: Parameters<typeof authenticator.authenticate>[0]) => {
        seen.push(request.clientAddress);
        return authenticator.authenticate(request);
      },
    } as typeof authenticator;
    const proxied = createApp(httpAuth(spy));
    proxied.proxy = true;
    const { origin } = await listen(proxied);
    await send(`${origin}/`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    const custom = await listen(createApp(httpAuth(spy, { clientAddress: () => "198.51.100.1" })));
    await send(`${custom.origin}/`);
    expect(seen).toEqual(["203.0.113.7", "198.51.100.1"]);
  });

  test("httpAuth() survives hostile Authorization values: 400/401, never 500", async () => {
    const { origin } = await listen(createApp());
    const hostile = [
      "Basic !!!!",
      "Basic ",
      `Basic ${"A".repeat(8000)}`,
      'Digest username="a, realm=',
      `Digest ${'a="b", '.repeat(1000)}`,
      "Bearer \u00ff\u00fe",
      ",,,,,,",
    ];
    for (const authorization of hostile) {
      const reply = await send(`${origin}/`, { headers: { authorization } });
      expect([400, 401], authorization.slice(0, 40)).toContain(reply.status);
    }
    const oversized = await send(`${origin}/`, { headers: { authorization: `Bearer ${"a".repeat(20_000)}` } });
    expect(oversized.status).toBe(431);
  });

  test("httpAuth() refuses bad arguments with TypeError and RangeError", () => {
    expect(() => httpAuth(undefined as never)).toThrow(TypeError);
    expect(() => httpAuth({} as never)).toThrow(TypeError);
    const authenticator = createBasicAuthenticator();
    expect(() => httpAuth(authenticator, { corsPreflight: "skip" as never })).toThrow(TypeError);
    expect(() => httpAuth(authenticator, { clientAddress: "10.0.0.1" as never })).toThrow(TypeError);
    expect(() => httpAuth(authenticator, { maxBodyLength: -1 })).toThrow(RangeError);
    expect(() => httpAuth(authenticator, { maxBodyLength: 1.5 })).toThrow(RangeError);
  });

  test("httpAuth() fits koa's app.use() and a router's middleware type", () => {
    expectTypeOf(httpAuth(createBasicAuthenticator())).toMatchTypeOf<Koa.Middleware<KoaAuthState<User>>>();
    expectTypeOf(httpAuth(createBasicAuthenticator())).toMatchTypeOf<Koa.Middleware>();
  });
});
