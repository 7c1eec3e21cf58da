// createAuthenticator({ failureResponse, onSuccess, onFailure }): the app's own
// failure body, status and challenges kept; audit hooks that never see a credential.

import { describe, expect, test } from "vitest";
import type { AuthFailure, AuthFailureEvent, AuthRequest, AuthSuccessEvent } from "./index.ts";
import { basicAuth, bearerAuth, createAuthenticator, serializeBasicCredentials } from "./index.ts";

const basic = basicAuth({ realm: "api", users: { alice: "pw" } });
const bearer = bearerAuth({ realm: "api", verify: (token) => (token === "good" ? { identity: "svc" } : undefined) });

function request(authorization: string | undefined, url = "/admin?access_token=secret-token"): AuthRequest {
  return {
    method: "POST",
    url,
    clientAddress: "192.0.2.9",
    header: (name) => (name === "authorization" ? authorization : undefined),
  };
}

const wrong = serializeBasicCredentials({ username: "alice", password: "no" });
const right = serializeBasicCredentials({ username: "alice", password: "pw" });

describe("createAuthenticator({ failureResponse })", () => {
  test("failureResponse: a string replaces the body; status and challenges stay", async () => {
    const authenticator = createAuthenticator({ schemes: [basic, bearer], failureResponse: "Go away" });
    const outcome = (await authenticator.authenticate(request(undefined))) as AuthFailure;
    expect(outcome.status).toBe(401);
    expect(outcome.body).toBe("Go away");
    expect(outcome.headers).toEqual([
      ["WWW-Authenticate", 'Basic realm="api", charset="UTF-8"'],
      ["WWW-Authenticate", 'Bearer realm="api"'],
      ["Content-Type", "text/plain; charset=utf-8"],
    ]);
  });

  test("failureResponse: an object is sent as JSON, once per failure, with problemDetails on too", async () => {
    const authenticator = createAuthenticator({
      schemes: [basic],
      problemDetails: true,
      failureResponse: { error: "unauthorized" },
    });
    const outcome = (await authenticator.authenticate(request(wrong))) as AuthFailure;
    expect(outcome.body).toBe('{"error":"unauthorized"}');
    expect(outcome.headers.filter(([name]) => name === "Content-Type")).toEqual([["Content-Type", "application/json"]]);
  });

  test("failureResponse: a function sees status and reason; 400 and 403 keep their own challenges", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        basic,
        bearerAuth({ realm: "api", verify: () => ({ identity: "svc", scopes: [] }), scopes: ["admin"] }),
      ],
      failureResponse: (failure) => ({ status: failure.status, reason: failure.reason }),
    });
    const forbidden = (await authenticator.authenticate(request("Bearer good"))) as AuthFailure;
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.body)).toEqual({ status: 403, reason: "insufficient-scope" });
    expect(forbidden.headers[0]?.[1]).toContain('error="insufficient_scope"');
    const malformed = (await authenticator.authenticate(request("Bearer a b"))) as AuthFailure;
    expect(malformed.status).toBe(400);
    expect(malformed.headers[0]?.[1]).toContain('error="invalid_request"');
  });

  test("failureResponse: a function that throws or returns neither string nor object rejects", async () => {
    const throwing = createAuthenticator({
      schemes: [basic],
      failureResponse: () => {
        throw new Error("template broken");
      },
    });
    await expect(throwing.authenticate(request(wrong))).rejects.toThrow("template broken");
    const bad = createAuthenticator({ schemes: [basic], failureResponse: (() => 42) as never });
    await expect(bad.authenticate(request(wrong))).rejects.toThrow(TypeError);
    const nullish = createAuthenticator({ schemes: [basic], failureResponse: (() => null) as never });
    await expect(nullish.authenticate(request(wrong))).rejects.toThrow(TypeError);
  });

  test("failureResponse leaves successes alone and is checked at start-up", async () => {
    const authenticator = createAuthenticator({ schemes: [basic], failureResponse: "no" });
    expect((await authenticator.authenticate(request(right))).ok).toBe(true);
    for (const value of [42, true, null]) {
      expect(() => createAuthenticator({ schemes: [basic], failureResponse: value as never })).toThrow(TypeError);
    }
  });
});

describe("createAuthenticator({ onSuccess, onFailure })", () => {
  test("onSuccess and onFailure see scheme, identity, status, reason and the path, never the credentials or query", async () => {
    const events: (AuthSuccessEvent<unknown> | AuthFailureEvent)[] = [];
    const authenticator = createAuthenticator({
      schemes: [basic, bearer],
      onSuccess: (event) => {
        events.push(event);
      },
      onFailure: async (event) => {
        events.push(event);
      },
    });
    await authenticator.authenticate(request(right));
    await authenticator.authenticate(request(wrong));
    await authenticator.authenticate(request("Bearer bad-token", "https://api.example/x?access_token=t")); // 401
    expect(events).toEqual([
      { scheme: "basic", identity: "alice", request: { method: "POST", path: "/admin", clientAddress: "192.0.2.9" } },
      {
        status: 401,
        reason: "invalid-credentials",
        request: { method: "POST", path: "/admin", clientAddress: "192.0.2.9" },
      },
      { status: 401, reason: "invalid-token", request: { method: "POST", path: "/x", clientAddress: "192.0.2.9" } },
    ]);
    const text = JSON.stringify(events);
    for (const secret of ["pw", "no", "secret-token", "bad-token", right, wrong])
      expect(text).not.toContain(`"${secret}`);
    expect(text).not.toContain("access_token");
  });

  test("onSuccess and onFailure: an exception propagates out of authenticate()", async () => {
    const failing = createAuthenticator({
      schemes: [basic],
      onSuccess: () => {
        throw new Error("audit log down");
      },
      onFailure: async () => {
        throw new Error("audit log down too");
      },
    });
    await expect(failing.authenticate(request(right))).rejects.toThrow("audit log down");
    await expect(failing.authenticate(request(wrong))).rejects.toThrow("audit log down too");
  });

  test("onSuccess and onFailure are awaited before authenticate() resolves", async () => {
    const order: string[] = [];
    const authenticator = createAuthenticator({
      schemes: [basic],
      onFailure: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        order.push("hook");
      },
    });
    await authenticator.authenticate(request(undefined));
    order.push("resolved");
    expect(order).toEqual(["hook", "resolved"]);
  });

  test("onSuccess and onFailure must be functions", () => {
    expect(() => createAuthenticator({ schemes: [basic], onSuccess: "log" as never })).toThrow(TypeError);
    expect(() => createAuthenticator({ schemes: [basic], onFailure: {} as never })).toThrow(TypeError);
  });
});
