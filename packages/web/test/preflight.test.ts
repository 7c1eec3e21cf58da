import type { AuthContext } from "@httpauth/core";
import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import { guard, protect } from "../src/index.ts";
import type { TestServer } from "./helpers/node-server.ts";
import { serve } from "./helpers/node-server.ts";

const ORIGIN = "https://app.example";
const PREFLIGHT = { Origin: ORIGIN, "Access-Control-Request-Method": "DELETE" };

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function authenticator() {
  return createAuthenticator({
    schemes: [
      basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) }),
      bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "robot" } : undefined) }),
    ],
  });
}

/** Answers a preflight with CORS headers and the context it got, anything else with who it is. */
function corsHandler(request: Request, context: AuthContext<string>): Response {
  if (request.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: { "Access-Control-Allow-Origin": ORIGIN, "X-Seen": `${String(context.identity)} ${context.scheme}` },
    });
  }
  return new Response(`hello ${context.identity}`);
}

function options(headers: Record<string, string>): Request {
  return new Request("https://api.example/reports", { method: "OPTIONS", headers });
}

describe("protect() and CORS preflights", () => {
  test("protect() lets a CORS preflight without credentials through to the handler, over node:http", async () => {
    const server = await serve(protect(corsHandler, authenticator()));
    servers.push(server);
    const response = await fetch(`${server.origin}/reports`, { method: "OPTIONS", headers: PREFLIGHT });
    expect(response.status).toBe(204);
    expect(response.headers.get("x-seen")).toBe("undefined cors-preflight");
    expect(response.headers.get("www-authenticate")).toBeNull();
  });

  test("protect() authenticates an OPTIONS that is not a preflight, or that carries credentials", async () => {
    const handle = protect(corsHandler, authenticator());
    const cases: [Record<string, string>, number][] = [
      [{ Origin: ORIGIN }, 401],
      [{ "Access-Control-Request-Method": "GET" }, 401],
      [{ ...PREFLIGHT, "Access-Control-Request-Method": "" }, 401],
      [{ ...PREFLIGHT, Authorization: `Basic ${btoa("ada:wrong")}` }, 401],
      [{ ...PREFLIGHT, Authorization: "Bearer two tokens" }, 400],
      [{ ...PREFLIGHT, "Proxy-Authorization": "Basic Zm9vOmJhcg==" }, 401],
    ];
    for (const [headers, status] of cases) {
      expect([headers, (await handle(options(headers))).status]).toEqual([headers, status]);
    }
    const right = await handle(options({ ...PREFLIGHT, Authorization: "Bearer t0k3n" }));
    expect(right.headers.get("x-seen")).toBe("robot bearer");
    expect(
      (await handle(new Request("https://api.example/reports", { method: "DELETE", headers: PREFLIGHT }))).status,
    ).toBe(401);
  });

  test('protect() and guard() with corsPreflight: "authenticate" answer a preflight 401, without calling the handler', async () => {
    let calls = 0;
    const counted = (request: Request, context: AuthContext<string>): Response => {
      calls++;
      return corsHandler(request, context);
    };
    const handle = protect(counted, authenticator(), { corsPreflight: "authenticate" });
    expect((await handle(options(PREFLIGHT))).status).toBe(401);
    const guarded = guard<string, Request, [string]>(
      (request, _extra, context) => counted(request, context),
      authenticator(),
      {
        corsPreflight: "authenticate",
      },
    );
    expect((await guarded(options(PREFLIGHT), "extra")).status).toBe(401);
    expect(calls).toBe(0);
    expect(() => protect(counted, authenticator(), { corsPreflight: "skip" as never })).toThrow(
      /corsPreflight must be "pass" or "authenticate"/,
    );
  });

  test("guard() passes the runtime's arguments with a preflight", async () => {
    const guarded = guard<string, Request, [string]>(
      (_request, extra, context) => new Response(`${extra} ${String(context.identity)} ${context.scheme}`),
      authenticator(),
    );
    expect(await (await guarded(options(PREFLIGHT), "info")).text()).toBe("info undefined cors-preflight");
  });
});
