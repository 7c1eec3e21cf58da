import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, test } from "vitest";
import type { AuthContext, AuthenticatedRequest } from "../src/index.ts";
import { middleware, protect } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import { createTestAuthenticator } from "./support/authenticators.ts";
import { createApp } from "./support/connect-like.ts";
import type { Running } from "./support/http.ts";
import { basic, fieldLines, listen, send } from "./support/http.ts";

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

const ORIGIN = "https://app.example";
const PREFLIGHT = { Origin: ORIGIN, "Access-Control-Request-Method": "DELETE" };

/** Answers a preflight with CORS headers, anything else with who it is; `auth` is what the request carried. */
function corsAnswer(request: IncomingMessage, response: ServerResponse): void {
  const auth = (request as IncomingMessage & { auth?: AuthContext<User> }).auth;
  if (request.method === "OPTIONS") {
    response.statusCode = 204;
    response.setHeader("Access-Control-Allow-Origin", ORIGIN);
    response.setHeader("X-Auth", JSON.stringify(auth ?? null));
    response.end();
    return;
  }
  response.end(`hello ${auth?.identity.name}`);
}

async function start(listener: Parameters<typeof listen>[0]): Promise<string> {
  const server = await listen(listener);
  running.push(server);
  return `${server.origin}/reports`;
}

/** The OPTIONS requests that are not preflights without credentials, with the status each must get. */
const NOT_PREFLIGHTS: [label: string, headers: Record<string, string>, status: number][] = [
  ["no Access-Control-Request-Method", { Origin: ORIGIN }, 401],
  ["no Origin", { "Access-Control-Request-Method": "GET" }, 401],
  ["an empty Access-Control-Request-Method", { ...PREFLIGHT, "Access-Control-Request-Method": "" }, 401],
  ["a wrong Basic password", { ...PREFLIGHT, Authorization: basic("ada", "wrong") }, 401],
  ["malformed Bearer credentials", { ...PREFLIGHT, Authorization: "Bearer two tokens" }, 400],
  ["a Bearer token without the scope", { ...PREFLIGHT, Authorization: "Bearer writer-token" }, 403],
];

describe("protect() and CORS preflights", () => {
  test("protect() lets a CORS preflight without credentials through to the handler, unauthenticated", async () => {
    const url = await start(protect(corsAnswer, createTestAuthenticator()));
    const reply = await send(url, { method: "OPTIONS", headers: PREFLIGHT });
    expect(reply.status).toBe(204);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([]);
    expect(JSON.parse(fieldLines(reply, "X-Auth")[0] ?? "")).toEqual({ scheme: "cors-preflight" });
  });

  for (const [label, headers, status] of NOT_PREFLIGHTS) {
    test(`protect() authenticates an OPTIONS with ${label}: ${status}`, async () => {
      const url = await start(protect(corsAnswer, createTestAuthenticator()));
      expect((await send(url, { method: "OPTIONS", headers })).status).toBe(status);
    });
  }

  test("protect() authenticates a preflight that carries right credentials, as any request", async () => {
    const url = await start(protect(corsAnswer, createTestAuthenticator()));
    const reply = await send(url, {
      method: "OPTIONS",
      headers: { ...PREFLIGHT, Authorization: basic("ada", "lovelace") },
    });
    expect(JSON.parse(fieldLines(reply, "X-Auth")[0] ?? "")).toEqual({ identity: { name: "ada" }, scheme: "basic" });
  });

  test('protect() with corsPreflight: "authenticate" answers a preflight 401 and never calls the handler', async () => {
    let called = false;
    const handler = (request: AuthenticatedRequest<User>, response: ServerResponse): void => {
      called = true;
      corsAnswer(request, response);
    };
    const url = await start(protect(handler, createTestAuthenticator(), { corsPreflight: "authenticate" }));
    const reply = await send(url, { method: "OPTIONS", headers: PREFLIGHT });
    expect(reply.status).toBe(401);
    expect(fieldLines(reply, "WWW-Authenticate")).toHaveLength(3);
    expect(called).toBe(false);
    expect(() => protect(handler, createTestAuthenticator(), { corsPreflight: "skip" as never })).toThrow(TypeError);
  });
});

describe("middleware() and CORS preflights", () => {
  function app(options?: Parameters<typeof middleware>[1]) {
    return createApp()
      .use(middleware(createTestAuthenticator(), options) as never)
      .use(corsAnswer);
  }

  test("middleware() passes a CORS preflight without credentials on with next(), request.auth unset", async () => {
    const url = await start(app().listener);
    const reply = await send(url, { method: "OPTIONS", headers: PREFLIGHT });
    expect(reply.status).toBe(204);
    expect(fieldLines(reply, "X-Auth")).toEqual(["null"]);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([]);
  });

  for (const [label, headers, status] of NOT_PREFLIGHTS) {
    test(`middleware() authenticates an OPTIONS with ${label}: ${status}`, async () => {
      const url = await start(app().listener);
      expect((await send(url, { method: "OPTIONS", headers })).status).toBe(status);
    });
  }

  test('middleware() with corsPreflight: "authenticate" answers a preflight 401', async () => {
    const url = await start(app({ corsPreflight: "authenticate" }).listener);
    expect((await send(url, { method: "OPTIONS", headers: PREFLIGHT })).status).toBe(401);
    expect(() => middleware(createTestAuthenticator(), { corsPreflight: "skip" as never })).toThrow(TypeError);
  });
});
