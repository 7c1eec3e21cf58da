/**
 * The worker that `workerd.mjs` serves: `protect()` around a small handler
 * with Digest, Basic and Bearer, and two self-test routes that run
 * `createAuthFetch()` inside workerd against the protected routes — once
 * through a service binding to this same worker (`env.SELF`), once through
 * workerd's global `fetch` over loopback — and answer `{ passed, failed, failures }`.
 *
 * @module
 */

import { basicAuth, bearerAuth, createAuthenticator, digestAuth, isHTTPAuthError } from "@httpauth/core";
import { type NamedTest, type Report, runTests } from "@httpauth/testkit/worker-report";
import { createAuthFetch, createFailureResponse, protect } from "../src/index.ts";

/** The service binding to this worker, from the capnp config. */
interface Env {
  SELF: { fetch(request: Request): Promise<Response> };
}

const REALM = "workerd";

const authenticator = createAuthenticator({
  schemes: [
    digestAuth({
      realm: REALM,
      secret: "workerd test secret, sixteen bytes or more",
      algorithms: ["SHA-256", "MD5"],
      password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
    }),
    basicAuth({
      realm: REALM,
      verify: (username, password) => (username === "Aladdin" && password === "open sesame" ? username : undefined),
    }),
    bearerAuth({ realm: REALM, verify: (token) => (token === "t0k3n" ? { identity: "service" } : undefined) }),
  ],
});

function handler(request: Request, context: { identity: unknown; scheme: string }): Response {
  const url = new URL(request.url);
  // Response.redirect has immutable headers: protect() must copy it to add Authentication-Info.
  if (url.pathname === "/redirect") return Response.redirect(new URL("/elsewhere", url).href, 302);
  return Response.json({ identity: context.identity, scheme: context.scheme, path: url.pathname });
}

const guarded = protect(handler, authenticator);

/** Under /all-digest/: every Digest challenge, to show what workerd makes of them (one line). */
const guardedAllDigest = protect(handler, authenticator, { digestChallenges: "all" });

/** Under /basic-only/: Basic alone, since a client with a password prefers Digest when both are offered. */
const guardedBasic = protect(
  handler,
  createAuthenticator({
    schemes: [
      basicAuth({
        realm: REALM,
        verify: (username, password) => (username === "Aladdin" && password === "open sesame" ? username : undefined),
      }),
    ],
  }),
);

/** Under /form/: Bearer tokens from form bodies, reading at most 64 bytes of a body. */
const guardedForm = protect(
  async (request, context) => Response.json({ identity: context.identity, length: (await request.text()).length }),
  createAuthenticator({
    schemes: [
      bearerAuth({
        realm: REALM,
        sources: { body: true },
        verify: (token) => (token === "t0k3n" ? { identity: "service" } : undefined),
      }),
    ],
  }),
  { maxBodyLength: 64 },
);

function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

/** Runs createAuthFetch() inside workerd against `origin`, sending with `send`. */
async function selfTest(origin: string, send: (request: Request) => Promise<Response>): Promise<Report> {
  const seen: Request[] = [];
  const recording = (request: Request): Promise<Response> => {
    seen.push(request.clone());
    return send(request);
  };
  const tests: NamedTest[] = [
    [
      "Digest: 401, answer, pre-emptive nc=00000002, rspauth verified",
      async () => {
        const authFetch = createAuthFetch({ username: "Mufasa", password: "Circle of Life" }, { fetch: recording });
        const start = seen.length;
        const first = await authFetch(`${origin}/digest`);
        check(first.status === 200, `first status ${first.status}`);
        const body = (await first.json()) as { identity: string; scheme: string };
        check(body.identity === "Mufasa" && body.scheme === "digest", `identity ${JSON.stringify(body)}`);
        check(first.headers.get("authentication-info")?.includes("rspauth=") === true, "no Authentication-Info");
        const second = await authFetch(`${origin}/digest/2`);
        check(second.status === 200, `second status ${second.status}`);
        await second.body?.cancel();
        const sent = seen.slice(start).map((request) => request.headers.get("authorization") ?? "");
        check(sent.length === 3, `${sent.length} requests sent`);
        check(sent[0] === "", "the first request carried credentials");
        check(/algorithm=SHA-256/.test(sent[1] ?? "") && /nc=00000001/.test(sent[1] ?? ""), "answer");
        check(/nc=00000002/.test(sent[2] ?? ""), "pre-emptive nc");
      },
    ],
    [
      "Digest: an immutable Response.redirect gets Authentication-Info",
      async () => {
        const authFetch = createAuthFetch({ username: "Mufasa", password: "Circle of Life" }, { fetch: recording });
        const response = await authFetch(`${origin}/redirect`, { redirect: "manual" });
        check(response.status === 302, `status ${response.status}`);
        check(response.headers.get("location") === `${origin}/elsewhere`, "location");
        check(response.headers.get("authentication-info")?.includes("rspauth=") === true, "no Authentication-Info");
        await response.body?.cancel();
      },
    ],
    [
      "Digest: a wrong password gets one retry and its 401",
      async () => {
        const authFetch = createAuthFetch({ username: "Mufasa", password: "wrong" }, { fetch: recording });
        const start = seen.length;
        const response = await authFetch(`${origin}/digest`);
        check(response.status === 401, `status ${response.status}`);
        await response.body?.cancel();
        check(seen.length - start === 2, `${seen.length - start} requests sent`);
      },
    ],
    [
      "Digest: a tampered rspauth is refused",
      async () => {
        const tampering = async (request: Request): Promise<Response> => {
          const response = await send(request);
          const info = response.headers.get("authentication-info");
          if (info === null) return response;
          const headers = new Headers(response.headers);
          const flipped = info.replace(
            /rspauth="(.)/,
            (_all, digit: string) => `rspauth="${digit === "0" ? "1" : "0"}`,
          );
          headers.set("Authentication-Info", flipped);
          return new Response(response.body, { status: response.status, headers });
        };
        const authFetch = createAuthFetch({ username: "Mufasa", password: "Circle of Life" }, { fetch: tampering });
        let caught: unknown;
        try {
          await authFetch(`${origin}/digest`);
        } catch (error) {
          caught = error;
        }
        check(isHTTPAuthError(caught) && caught.code === "rspauth-mismatch", `caught ${String(caught)}`);
      },
    ],
    [
      "Basic over http to loopback",
      async () => {
        const authFetch = createAuthFetch({ username: "Aladdin", password: "open sesame" }, { fetch: recording });
        const start = seen.length;
        const response = await authFetch(`${origin}/basic-only/x`, { method: "POST", body: "replayed" });
        check(response.status === 200, `status ${response.status}`);
        const body = (await response.json()) as { identity: string; scheme: string };
        check(body.scheme === "basic" && body.identity === "Aladdin", JSON.stringify(body));
        check(seen.length - start === 2, `${seen.length - start} requests sent`);
        check((await seen[start + 1]?.text()) === "replayed", "the body was not replayed");
      },
    ],
    [
      "Bearer",
      async () => {
        const authFetch = createAuthFetch({ token: "t0k3n" }, { fetch: recording });
        const response = await authFetch(`${origin}/bearer`);
        const body = (await response.json()) as { identity: string; scheme: string };
        check(response.status === 200 && body.scheme === "bearer" && body.identity === "service", JSON.stringify(body));
      },
    ],
    [
      "a form body within maxBodyLength is read for its token; a longer one is not, and the handler reads either",
      async () => {
        const form = (padding: number): RequestInit => ({
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: `access_token=t0k3n&pad=${"x".repeat(padding)}`,
        });
        const within = await send(new Request(`${origin}/form/x`, form(10)));
        const body = (await within.json()) as { identity: string; length: number };
        check(within.status === 200 && body.identity === "service" && body.length === 33, JSON.stringify(body));
        const over = await send(new Request(`${origin}/form/x`, form(200)));
        await over.body?.cancel();
        check(over.status === 401, `status ${over.status} for a body over maxBodyLength`);
      },
    ],
    [
      "Basic over plain http to a host that is not loopback is refused",
      async () => {
        const fake = (): Promise<Response> =>
          Promise.resolve(new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="x"' } }));
        const authFetch = createAuthFetch({ username: "Aladdin", password: "open sesame" }, { fetch: fake });
        let caught: unknown;
        try {
          await authFetch("http://intranet.example/");
        } catch (error) {
          caught = error;
        }
        check(caught instanceof TypeError && caught.message.includes("allowInsecureBasic"), `caught ${String(caught)}`);
      },
    ],
  ];
  return runTests(tests);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/self-test/binding") {
      return Response.json(await selfTest(url.origin, (inner) => env.SELF.fetch(inner)));
    }
    if (url.pathname === "/headers-probe") {
      // The same appends for a header workerd indexes (WWW-Authenticate) and one it does not (X-Probe).
      return createFailureResponse({
        ok: false,
        status: 401,
        reason: "missing-credentials",
        body: "probe\n",
        headers: [
          ["WWW-Authenticate", 'Basic realm="one"'],
          ["WWW-Authenticate", 'Bearer realm="two"'],
          ["X-Probe", "first"],
          ["X-Probe", "second"],
        ],
      });
    }
    if (url.pathname === "/self-test/loopback") {
      return Response.json(await selfTest(url.origin, (inner) => fetch(inner)));
    }
    if (url.pathname.startsWith("/form/")) return guardedForm(request);
    if (url.pathname.startsWith("/all-digest/")) return guardedAllDigest(request);
    return url.pathname.startsWith("/basic-only/") ? guardedBasic(request) : guarded(request);
  },
};
