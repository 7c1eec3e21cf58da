import type { IncomingMessage, ServerResponse } from "node:http";
import { computeDigestCredentials, parseChallenges, serializeCredentials } from "@httpauth/core";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { AuthenticatedRequest } from "../src/index.ts";
import { protect } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import {
  BASIC_CHALLENGE,
  BEARER_CHALLENGE,
  createBasicAuthenticator,
  createTestAuthenticator,
  STORE_DOWN,
} from "./support/authenticators.ts";
import type { Running } from "./support/http.ts";
import { basic, fieldLines, listen, send } from "./support/http.ts";

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  vi.restoreAllMocks();
});

/** A protected server whose handler answers with `request.auth` as JSON, and counts its calls. */
async function serve(
  authenticator = createTestAuthenticator(),
  options: Parameters<typeof protect>[2] = {},
): Promise<{ origin: string; calls: AuthenticatedRequest<User>[] }> {
  const calls: AuthenticatedRequest<User>[] = [];
  const server = await listen(
    protect(
      (request, response) => {
        calls.push(request);
        response.setHeader("Content-Type", "application/json");
        response.end(JSON.stringify(request.auth));
      },
      authenticator,
      options,
    ),
  );
  running.push(server);
  return { origin: server.origin, calls };
}

describe("protect() answers with core's outcome table", () => {
  test("protect() answers a request without credentials with 401 and one challenge line per scheme", async () => {
    const { origin, calls } = await serve();
    const reply = await send(`${origin}/reports`);
    expect(reply.status).toBe(401);
    const challenges = fieldLines(reply, "WWW-Authenticate");
    expect(challenges).toHaveLength(3);
    expect(challenges.slice(0, 2)).toEqual([BASIC_CHALLENGE, BEARER_CHALLENGE]);
    expect(challenges[2]).toMatch(/^Digest realm="api", qop="auth, auth-int", algorithm=SHA-256, nonce="/);
    expect(reply.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(reply.body).toBe("401 Unauthorized: Authentication is required.\n");
    expect(calls).toHaveLength(0);
  });

  test("protect() calls the handler with request.auth for valid Basic credentials", async () => {
    const { origin, calls } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ identity: { name: "ada" }, scheme: "basic" });
    expect(calls).toHaveLength(1);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([]);
  });

  test("protect() answers a wrong password with 401 and every challenge", async () => {
    const { origin, calls } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: basic("ada", "babbage") } });
    expect(reply.status).toBe(401);
    expect(fieldLines(reply, "WWW-Authenticate")).toHaveLength(3);
    expect(reply.body).toBe("401 Unauthorized: The credentials are not valid.\n");
    expect(calls).toHaveLength(0);
  });

  test("protect() lets a Bearer token with the needed scope through", async () => {
    const { origin } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer reader-token" } });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ identity: { name: "reader" }, scheme: "bearer" });
  });

  test("protect() answers a Bearer token without the scope with 403 insufficient_scope", async () => {
    const { origin, calls } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer writer-token" } });
    expect(reply.status).toBe(403);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([
      'Bearer realm="api", scope="read", error="insufficient_scope"',
    ]);
    expect(calls).toHaveLength(0);
  });

  test("protect() answers a rejected Bearer token with 401 invalid_token and every challenge", async () => {
    const { origin } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer stolen-token" } });
    expect(reply.status).toBe(401);
    const challenges = fieldLines(reply, "WWW-Authenticate");
    expect(challenges.slice(0, 2)).toEqual([BASIC_CHALLENGE, 'Bearer realm="api", error="invalid_token"']);
  });

  test("protect() answers malformed Bearer credentials with 400 invalid_request", async () => {
    const { origin, calls } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer two tokens" } });
    expect(reply.status).toBe(400);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual(['Bearer realm="api", error="invalid_request"']);
    expect(calls).toHaveLength(0);
  });

  test("protect() as a proxy answers 407 with Proxy-Authenticate and reads Proxy-Authorization", async () => {
    const { origin } = await serve(createBasicAuthenticator({ proxy: true }));
    const refused = await send(`${origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(refused.status).toBe(407);
    expect(fieldLines(refused, "Proxy-Authenticate")).toEqual([BASIC_CHALLENGE]);
    expect(fieldLines(refused, "WWW-Authenticate")).toEqual([]);
    const allowed = await send(`${origin}/`, { headers: { "proxy-authorization": basic("ada", "lovelace") } });
    expect(allowed.status).toBe(200);
  });

  test("protect() with missingCredentialsStatus 403 answers 403 without a challenge (legacy)", async () => {
    const { origin } = await serve(createTestAuthenticator({ missingCredentialsStatus: 403 }));
    const reply = await send(`${origin}/`);
    expect(reply.status).toBe(403);
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([]);
    const wrong = await send(`${origin}/`, { headers: { authorization: basic("ada", "babbage") } });
    expect(wrong.status).toBe(401);
  });

  test("protect() sends problem details when core is asked to", async () => {
    const { origin } = await serve(createTestAuthenticator({ problemDetails: true }));
    const reply = await send(`${origin}/`);
    expect(reply.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(reply.body)).toMatchObject({ status: 401, title: "Unauthorized" });
  });

  test("protect() sets Authentication-Info before the handler runs (Digest)", async () => {
    let seenByHandler: unknown;
    const server = await listen(
      protect((request, response) => {
        seenByHandler = response.getHeader("Authentication-Info");
        response.end(JSON.stringify(request.auth));
      }, createTestAuthenticator()),
    );
    running.push(server);
    const first = await send(`${server.origin}/dir/index.html?page=2`);
    const digest = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(({ scheme }) => scheme === "digest");
    expect(digest).toBeDefined();
    const credentials = await computeDigestCredentials(digest!, {
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/dir/index.html?page=2",
    });
    const reply = await send(`${server.origin}/dir/index.html?page=2`, {
      headers: { authorization: serializeCredentials(credentials) },
    });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ identity: { name: "Mufasa" }, scheme: "digest" });
    const info = fieldLines(reply, "Authentication-Info");
    expect(info).toHaveLength(1);
    expect(info[0]).toMatch(/rspauth="[0-9a-f]{64}"/);
    expect(seenByHandler).toBe(info[0]);
  });
});

describe("protect() when verify throws", () => {
  test("protect() answers 500 with a generic body and hands the error to onError", async () => {
    const errors: [unknown, IncomingMessage][] = [];
    const { origin, calls } = await serve(createTestAuthenticator(), {
      onError: (error, request) => errors.push([error, request]),
    });
    const reply = await send(`${origin}/accounts`, { headers: { authorization: basic("crash", "anything") } });
    expect(reply.status).toBe(500);
    expect(reply.body).toBe("500 Internal Server Error\n");
    expect(reply.body).not.toContain("hunter2");
    expect(fieldLines(reply, "WWW-Authenticate")).toEqual([]);
    expect(calls).toHaveLength(0);
    expect(errors).toHaveLength(1);
    expect((errors[0]![0] as Error).message).toBe(STORE_DOWN);
    expect(errors[0]![1].url).toBe("/accounts");
  });

  test("protect() reports the error with console.error when no onError is given", async () => {
    const report = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const { origin } = await serve();
    const reply = await send(`${origin}/`, { headers: { authorization: "Bearer crash" } });
    expect(reply.status).toBe(500);
    expect(report).toHaveBeenCalledTimes(1);
    expect((report.mock.calls[0]![1] as Error).message).toBe(STORE_DOWN);
  });

  test("protect() leaves what the handler throws to its caller", async () => {
    const guarded = protect(() => {
      throw new Error("handler failed");
    }, createTestAuthenticator());
    const server = await listen((request: IncomingMessage, response: ServerResponse) => {
      guarded(request, response).catch((error: Error) => {
        response.statusCode = 502;
        response.end(`caught by the caller: ${error.message}`);
      });
    });
    running.push(server);
    const reply = await send(`${server.origin}/`, { headers: { authorization: basic("ada", "lovelace") } });
    expect(reply.status).toBe(502);
    expect(reply.body).toBe("caught by the caller: handler failed");
  });
});

describe("protect() arguments", () => {
  test("protect() refuses a handler or authenticator of the wrong kind with a TypeError", () => {
    const authenticator = createTestAuthenticator();
    expect(() => protect(undefined as never, authenticator)).toThrow(TypeError);
    expect(() => protect(() => undefined, {} as never)).toThrow(TypeError);
    expect(() => protect(() => undefined, undefined as never)).toThrow(TypeError);
  });
});
