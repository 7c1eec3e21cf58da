/**
 * CORS preflights (Fetch standard §3.2.2, §4.8) through a runtime's
 * `protect`: the cases of the shared Fetch runtime suite that `@httpauth/deno`
 * and `@httpauth/bun` run (see `fetch-runtime-suite.ts`), in a module of
 * their own.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { AuthContext, Authenticator } from "@httpauth/core";
import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
import { parseHead, rawRequest } from "./wire.mjs";

/** What the preflight cases need of a runtime's harness: a subset of `FetchRuntimeHarness`. */
export interface PreflightHarness<Handler> {
  modes: readonly string[];
  path(name: string): string;
  protect<Identity>(
    handler: (request: Request, context: AuthContext<Identity>) => Response | Promise<Response>,
    authenticator: Authenticator<Identity>,
    options?: { corsPreflight?: "pass" | "authenticate" },
  ): Handler;
  serve(mode: string, handler: Handler): { port: number; close(): Promise<void> };
  call(handler: Handler, request: Request): Promise<Response>;
}

const ORIGIN = "https://app.example";

function authenticator(): Authenticator<string> {
  return createAuthenticator({
    schemes: [
      basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) }),
      bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "robot" } : undefined) }),
    ],
  });
}

/** A handler that answers a preflight with CORS headers and anything else with who it is. */
function corsHandler(request: Request, context: AuthContext<string>): Response {
  if (request.method === "OPTIONS") {
    return new Response(null, {
      status: 204,
      headers: {
        "Access-Control-Allow-Origin": ORIGIN,
        "Access-Control-Allow-Headers": "Authorization",
        "X-Seen": `${String(context.identity)} ${context.scheme}`,
      },
    });
  }
  return new Response(`hello ${context.identity}`);
}

function options(url: string, headers: Record<string, string>): Request {
  return new Request(url, { method: "OPTIONS", headers });
}

/**
 * Registers the preflight cases with `register`.
 *
 * @param harness the runtime's harness
 * @param register `Deno.test`, or `test` of `bun:test`
 */
export function runPreflightCases<Handler>(
  harness: PreflightHarness<Handler>,
  register: (name: string, body: () => Promise<void>) => void,
): void {
  const url = `http://127.0.0.1${harness.path("reports")}`;
  const preflight = { Origin: ORIGIN, "Access-Control-Request-Method": "DELETE" };

  for (const mode of harness.modes) {
    const suffix = harness.modes.length > 1 ? ` (${mode})` : "";
    register(`protect() lets a CORS preflight through to the handler over the wire${suffix}`, async () => {
      const server = harness.serve(mode, harness.protect(corsHandler, authenticator()));
      try {
        const head =
          `OPTIONS ${harness.path("reports")} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${ORIGIN}\r\n` +
          "Access-Control-Request-Method: DELETE\r\nAccess-Control-Request-Headers: authorization\r\nConnection: close\r\n\r\n";
        const response = parseHead(await rawRequest(server.port, head));
        assert.equal(response.status, 204);
        const seen = response.lines.find(([name]) => name.toLowerCase() === "x-seen");
        assert.deepEqual(seen?.[1], "undefined cors-preflight");
        assert.ok(!response.lines.some(([name]) => name.toLowerCase() === "www-authenticate"));
      } finally {
        await server.close();
      }
    });
  }

  register("protect() authenticates an OPTIONS that is not a preflight, or carries credentials", async () => {
    const handler = harness.protect(corsHandler, authenticator());
    // No Access-Control-Request-Method: a plain OPTIONS, authenticated.
    assert.equal((await harness.call(handler, options(url, { Origin: ORIGIN }))).status, 401);
    // No Origin.
    assert.equal((await harness.call(handler, options(url, { "Access-Control-Request-Method": "GET" }))).status, 401);
    // An empty Access-Control-Request-Method.
    const empty = options(url, { Origin: ORIGIN, "Access-Control-Request-Method": "" });
    assert.equal((await harness.call(handler, empty)).status, 401);
    // Credentials on a "preflight": checked like any request — wrong ones refused, right ones let in.
    const wrong = options(url, { ...preflight, Authorization: `Basic ${btoa("ada:wrong")}` });
    assert.equal((await harness.call(handler, wrong)).status, 401);
    const badBearer = options(url, { ...preflight, Authorization: "Bearer bad token" });
    assert.equal((await harness.call(handler, badBearer)).status, 400);
    const right = await harness.call(handler, options(url, { ...preflight, Authorization: "Bearer t0k3n" }));
    assert.equal(right.headers.get("x-seen"), "robot bearer");
    // Another method with the preflight's headers is not a preflight.
    const get = new Request(url, { headers: preflight });
    assert.equal((await harness.call(handler, get)).status, 401);
  });

  register('protect() with corsPreflight: "authenticate" answers a preflight 401', async () => {
    let called = false;
    const handler = harness.protect(
      (request, context) => {
        called = true;
        return corsHandler(request, context);
      },
      authenticator(),
      { corsPreflight: "authenticate" },
    );
    const response = await harness.call(handler, options(url, preflight));
    assert.equal(response.status, 401);
    assert.equal(called, false);
    assert.throws(
      () => harness.protect(corsHandler, authenticator(), { corsPreflight: "skip" as never }),
      /corsPreflight must be "pass" or "authenticate"/,
    );
  });
}
