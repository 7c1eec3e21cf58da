// @httpauth/node/fastify against real fastify 5 over 127.0.0.1: field lines read
// from rawHeaders and raw bytes, @fastify/auth composition, the error handler.

import fastifyAuth from "@fastify/auth";
import { computeDigestCredentials, parseChallenges, serializeCredentials } from "@httpauth/core";
import type { FastifyInstance } from "fastify";
import Fastify from "fastify";
import { afterEach, describe, expect, expectTypeOf, test } from "vitest";
import type { FastifyAuthFailureError, FastifyAuthHook, FastifyAuthIdentity } from "../src/fastify.ts";
import { httpAuthPlugin } from "../src/fastify.ts";
import type { AuthContext } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import {
  BASIC_CHALLENGE,
  BEARER_CHALLENGE,
  createBasicAuthenticator,
  createTestAuthenticator,
  STORE_DOWN,
} from "./support/authenticators.ts";
import type { Reply } from "./support/http.ts";
import { basic, fieldLines, rawExchange, send } from "./support/http.ts";

declare module "../src/fastify.ts" {
  interface FastifyAuthTypes {
    identity: User;
  }
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A fastify app with the plugin registered, `/` guarded by the test authenticator (Basic, Bearer, Digest). */
async function createApp(setup?: (app: FastifyInstance) => void | Promise<void>): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await app.register(httpAuthPlugin);
  if (setup === undefined) {
    app.get("/", { onRequest: app.httpAuth(createTestAuthenticator()) }, async (request) => ({ auth: request.auth }));
  } else {
    await setup(app);
  }
  return app;
}

async function listen(app: FastifyInstance): Promise<{ origin: string; port: number }> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return { origin: `http://127.0.0.1:${port}`, port };
}

async function digestAuthorization(origin: string, path: string): Promise<string> {
  const first: Reply = await send(`${origin}${path}`);
  const challenge = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(({ scheme }) => scheme === "digest");
  const credentials = await computeDigestCredentials(challenge!, {
    username: "Mufasa",
    password: "Circle of Life",
    method: "GET",
    uri: path,
  });
  return serializeCredentials(credentials);
}

describe("httpAuthPlugin on real fastify", () => {
  test("httpAuth() answers 401 with one WWW-Authenticate line per challenge, on the raw bytes", async () => {
    const { origin, port } = await listen(await createApp());
    const reply = await send(`${origin}/`);
    expect(reply.status).toBe(401);
    const challenges = fieldLines(reply, "WWW-Authenticate");
    expect(challenges).toHaveLength(3);
    expect(challenges.slice(0, 2)).toEqual([BASIC_CHALLENGE, BEARER_CHALLENGE]);
    expect(challenges.slice(2).every((line) => line.startsWith("Digest "))).toBe(true);
    const bytes = await rawExchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(bytes.match(/\r\nWWW-Authenticate: /gi)).toHaveLength(3);
    // fastify writes header names in lower case; each challenge still has its own line.
    expect(bytes).toContain(`\r\nwww-authenticate: ${BASIC_CHALLENGE}\r\nwww-authenticate: ${BEARER_CHALLENGE}\r\n`);
  });

  test("httpAuth() puts { identity, scheme } on request.auth", async () => {
    const { origin } = await listen(await createApp());
    const reply = await send(`${origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ auth: { identity: { name: "ada" }, scheme: "basic" } });
  });

  test("httpAuth() sets Authentication-Info for Digest, as a preHandler too", async () => {
    const app = await createApp((app) => {
      app.get("/d", { preHandler: app.httpAuth(createTestAuthenticator()) }, async (request) => request.auth?.scheme);
    });
    const { origin } = await listen(app);
    const reply = await send(`${origin}/d`, { headers: { authorization: await digestAuthorization(origin, "/d") } });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe("digest");
    expect(fieldLines(reply, "Authentication-Info")).toHaveLength(1);
  });

  test("httpAuth() answers 403 insufficient_scope and 400 for a malformed Bearer request", async () => {
    const { origin } = await listen(await createApp());
    const forbidden = await send(`${origin}/`, { headers: { authorization: "Bearer writer-token" } });
    expect(forbidden.status).toBe(403);
    expect(fieldLines(forbidden, "WWW-Authenticate")[0]).toContain('error="insufficient_scope"');
    const malformed = await send(`${origin}/`, { headers: { authorization: "Bearer a b" } });
    expect([400, 401]).toContain(malformed.status);
  });

  test("httpAuth() passes what verify throws to fastify's error handler", async () => {
    const seen: unknown[] = [];
    const app = await createApp((app) => {
      app.setErrorHandler((error, _request, reply) => {
        seen.push(error);
        return reply.code(503).send("try later");
      });
      app.get("/", { onRequest: app.httpAuth(createTestAuthenticator()) }, async () => "no");
    });
    const { origin } = await listen(app);
    const reply = await send(`${origin}/`, { headers: { authorization: basic("crash", "x") } });
    expect(reply.status).toBe(503);
    expect(reply.body).toBe("try later");
    expect((seen[0] as Error).message).toBe(STORE_DOWN);
  });

  test("httpAuth() lets a CORS preflight through with request.auth null, unless told to authenticate it", async () => {
    const preflight = { origin: "https://a.example", "access-control-request-method": "GET" };
    const app = await createApp((app) => {
      app.options("/", { onRequest: app.httpAuth(createBasicAuthenticator()) }, async (request) => ({
        auth: request.auth,
      }));
      app.options(
        "/strict",
        { onRequest: app.httpAuth(createBasicAuthenticator(), { corsPreflight: "authenticate" }) },
        async () => "no",
      );
    });
    const { origin } = await listen(app);
    const passed = await send(`${origin}/`, { method: "OPTIONS", headers: preflight });
    expect(JSON.parse(passed.body)).toEqual({ auth: null });
    const strict = await send(`${origin}/strict`, { method: "OPTIONS", headers: preflight });
    expect(strict.status).toBe(401);
  });

  test("httpAuth() survives hostile Authorization values: 400/401, never 500", async () => {
    const { origin } = await listen(await createApp());
    const hostile = [
      "Basic !!!!",
      "Basic ",
      `Basic ${"A".repeat(8000)}`,
      'Digest username="a, realm=',
      `Digest ${'a="b", '.repeat(1000)}`,
      "Bearer \u00ff\u00fe",
      ",,,,,,",
      "Basic YWRhOmxvdmVsYWNl, Basic YWRhOmxvdmVsYWNl",
    ];
    for (const authorization of hostile) {
      const reply = await send(`${origin}/`, { headers: { authorization } });
      expect([400, 401], authorization.slice(0, 40)).toContain(reply.status);
    }
    const oversized = await send(`${origin}/`, { headers: { authorization: `Bearer ${"a".repeat(20_000)}` } });
    expect(oversized.status).toBe(431);
  });

  test("httpAuthPlugin validates its options at registration", async () => {
    for (const options of [{ failure: "throw" }, { corsPreflight: "skip" }, { clientAddress: "10.0.0.1" }]) {
      const app = Fastify();
      apps.push(app);
      await expect(app.register(httpAuthPlugin, options as never).ready()).rejects.toThrow(TypeError);
    }
  });

  test("fastify.httpAuth() refuses a missing authenticator and bad options with a TypeError", async () => {
    const app = await createApp(() => {});
    expect(() => app.httpAuth(undefined as never)).toThrow(TypeError);
    expect(() => app.httpAuth({} as never)).toThrow(TypeError);
    expect(() => app.httpAuth(createBasicAuthenticator(), "x" as never)).toThrow(TypeError);
    expect(() => app.httpAuth(createBasicAuthenticator(), { failure: "no" as never })).toThrow(TypeError);
  });

  test("httpAuthPlugin is not encapsulated and named for fastify's dependency checks", async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(httpAuthPlugin);
    await app.register(
      Object.assign(async (child: FastifyInstance) => expect(typeof child.httpAuth).toBe("function"), {
        [Symbol.for("plugin-meta")]: { dependencies: ["@httpauth/node/fastify"] },
      }),
    );
    await app.ready();
    expect(typeof app.httpAuth).toBe("function");
  });

  test("request.auth has the identity type declared through FastifyAuthTypes", () => {
    expectTypeOf<FastifyAuthIdentity>().toEqualTypeOf<User>();
    expectTypeOf<import("fastify").FastifyRequest["auth"]>().toEqualTypeOf<AuthContext<User> | null>();
  });
});

describe("httpAuthPlugin with @fastify/auth", () => {
  async function composed(): Promise<string> {
    const app = Fastify();
    apps.push(app);
    await app.register(fastifyAuth);
    await app.register(httpAuthPlugin, { failure: "error" });
    const office = async (request: { headers: Record<string, unknown> }): Promise<void> => {
      if (request.headers["x-office"] !== "yes") throw new Error("not from the office");
    };
    const hook: FastifyAuthHook = app.httpAuth(createTestAuthenticator());
    app.get("/or", { onRequest: app.auth([office, hook]) }, async (request) => ({ auth: request.auth }));
    app.get("/and", { onRequest: app.auth([office, hook], { relation: "and" }) }, async (request) => ({
      auth: request.auth,
    }));
    app.get("/last", { onRequest: app.auth([office, app.httpAuth(createBasicAuthenticator())]) }, async () => "in");
    return (await listen(app)).origin;
  }

  test("a failing httpauth strategy lets the next one try, and leaves no challenge behind", async () => {
    const origin = await composed();
    const reply = await send(`${origin}/or`, { headers: { "x-office": "yes" } });
    expect(reply.status).toBe(200);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([]);
    expect(JSON.parse(reply.body)).toEqual({ auth: null });
  });

  test("httpauth as the last strategy answers with its status and one line per challenge", async () => {
    const origin = await composed();
    const reply = await send(`${origin}/or`);
    expect(reply.status).toBe(401);
    expect(fieldLines(reply, "WWW-Authenticate").slice(0, 2)).toEqual([BASIC_CHALLENGE, BEARER_CHALLENGE]);
    const basicOnly = await send(`${origin}/last`);
    expect(fieldLines(basicOnly, "WWW-Authenticate")).toEqual([BASIC_CHALLENGE]);
  });

  test("relation and: both must pass, and request.auth is set", async () => {
    const origin = await composed();
    const refused = await send(`${origin}/and`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(refused.status).toBe(401);
    const allowed = await send(`${origin}/and`, {
      headers: { authorization: basic("ada", "lovelace"), "x-office": "yes" },
    });
    expect(JSON.parse(allowed.body)).toEqual({ auth: { identity: { name: "ada" }, scheme: "basic" } });
  });

  test("the thrown failure carries the outcome, the status and the grouped header lines", async () => {
    const app = Fastify();
    apps.push(app);
    let caught: FastifyAuthFailureError | undefined;
    app.setErrorHandler((error, _request, reply) => {
      caught = error as FastifyAuthFailureError;
      return reply.code(caught.statusCode).send("refused");
    });
    await app.register(httpAuthPlugin, { failure: "error" });
    app.get("/", { onRequest: app.httpAuth(createTestAuthenticator()) }, async () => "in");
    await app.inject({ url: "/" });
    expect(caught?.statusCode).toBe(401);
    expect(caught?.outcome.reason).toBe("missing-credentials");
    expect((caught?.headers["WWW-Authenticate"] as string[] | undefined)?.slice(0, 2)).toEqual([
      BASIC_CHALLENGE,
      BEARER_CHALLENGE,
    ]);
  });
});
