// The decision's synchronous fast path: a step is waited for only when it
// returns a thenable; what it returns, throws or rejects is handled as before.

import { describe, expect, test } from "vitest";
import type { AuthFailure, AuthRequest, AuthSchemePolicy, SchemeCredentials } from "../index.ts";
import { basicAuth, bearerAuth, createAuthenticator, serializeBasicCredentials } from "../index.ts";

const right = serializeBasicCredentials({ username: "ada", password: "pw" });
const wrong = serializeBasicCredentials({ username: "ada", password: "guess" });

function request(authorization: string | undefined, extra: Record<string, string> = {}): AuthRequest {
  return {
    method: "GET",
    url: "/",
    clientAddress: "192.0.2.1",
    header: (name) => (name === "authorization" ? authorization : extra[name]),
  };
}

/** The order in which `promise` settles against a chain of microtask turns started at the same time. */
async function turnsBefore(promise: Promise<unknown>): Promise<number> {
  let turns = 0;
  let settled = -1;
  const done = promise.then(() => {
    settled = turns;
  });
  let chain: Promise<void> = Promise.resolve();
  for (let index = 0; index < 10; index++) chain = chain.then(() => void turns++);
  await Promise.all([done, chain]);
  return settled;
}

/** A thenable that is not a Promise, as some libraries return (typed as a Promise to fit the callbacks). */
function thenable<Value>(value: Value): Promise<Value> {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose, to test that it is waited for.
    then: (resolve, reject) => Promise.resolve(value).then(resolve, reject),
  } as PromiseLike<Value> as Promise<Value>;
}

describe("a synchronous verify", () => {
  const authenticator = createAuthenticator({
    schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "pw" ? user : undefined) })],
  });

  test("is decided within one microtask turn, on the 200 and the 401 paths", async () => {
    expect(await turnsBefore(authenticator.authenticate(request(right)))).toBe(0);
    expect(await turnsBefore(authenticator.authenticate(request(wrong)))).toBe(0);
    expect(await turnsBefore(authenticator.authenticate(request(undefined)))).toBe(0);
    expect(await authenticator.authenticate(request(right))).toEqual({
      ok: true,
      scheme: "basic",
      identity: "ada",
      headers: [],
    });
  });

  test("that throws makes authenticate() reject, never throw synchronously", async () => {
    const broken = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: () => {
            throw new Error("user store down");
          },
        }),
      ],
    });
    let returned: Promise<unknown> | undefined;
    expect(() => {
      returned = broken.authenticate(request(right));
    }).not.toThrow();
    await expect(returned).rejects.toThrow("user store down");
  });

  test("a malformed request is a rejection too", async () => {
    let returned: Promise<unknown> | undefined;
    expect(() => {
      returned = authenticator.authenticate(null as unknown as AuthRequest);
    }).not.toThrow();
    await expect(returned).rejects.toThrow(TypeError);
    await expect(authenticator.authenticate(request(right), { scopes: ["bad scope"] })).rejects.toThrow(TypeError);
  });

  test("each refused request gets headers of its own", async () => {
    const first = (await authenticator.authenticate(request(wrong))) as AuthFailure;
    first.headers.push(["X-Added", "by the app"]);
    const second = (await authenticator.authenticate(request(wrong))) as AuthFailure;
    expect(second.headers).toEqual([
      ["WWW-Authenticate", 'Basic realm="api", charset="UTF-8"'],
      ["Content-Type", "text/plain; charset=utf-8"],
    ]);
    expect(second.body).toBe("401 Unauthorized: The credentials are not valid.\n");
  });
});

describe("steps that return thenables are waited for", () => {
  test("a verify returning a thenable that is not a Promise", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({ realm: "api", verify: (user, password) => thenable(password === "pw" ? user : undefined) }),
      ],
    });
    expect(await authenticator.authenticate(request(right))).toMatchObject({ ok: true, identity: "ada" });
    expect(await authenticator.authenticate(request(wrong))).toMatchObject({ ok: false, status: 401 });
  });

  test("a verify that rejects makes authenticate() reject", async () => {
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: () => Promise.reject(new Error("timeout")) })],
    });
    await expect(authenticator.authenticate(request(right))).rejects.toThrow("timeout");
  });

  test("asynchronous challenges keep the configured order", async () => {
    const slow: AuthSchemePolicy<string> = {
      scheme: "slow",
      realm: "api",
      authSchemes: ["slow"],
      verify: () => ({ ok: false, status: 401, reason: "invalid-credentials" }),
      challenges: () => new Promise((resolve) => setTimeout(() => resolve([{ scheme: "Slow", params: {} }]), 5)),
      openapi: () => ({ type: "http", scheme: "slow", description: "a slow scheme" }),
    };
    const authenticator = createAuthenticator({
      schemes: [
        slow,
        basicAuth({ realm: "api", verify: () => undefined }),
        bearerAuth({ realm: "api", verify: () => undefined }),
      ],
    });
    const outcome = (await authenticator.authenticate(request(undefined))) as AuthFailure;
    expect(outcome.headers.filter(([name]) => name === "WWW-Authenticate").map(([, value]) => value)).toEqual([
      "Slow",
      'Basic realm="api", charset="UTF-8"',
      'Bearer realm="api"',
    ]);
  });

  test("an asynchronous locate before a synchronous one: the first in configured order wins", async () => {
    const locating = (scheme: string, header: string, delay: number | undefined): AuthSchemePolicy<string> => ({
      scheme,
      realm: "api",
      authSchemes: [],
      locate: (incoming) => {
        const value = incoming.header(header);
        const found: SchemeCredentials | undefined = value ? { from: header, value } : undefined;
        return delay === undefined ? found : new Promise((resolve) => setTimeout(() => resolve(found), delay));
      },
      verify: (credentials) => ({ ok: true, identity: `${scheme}:${credentials.value}` }),
      challenges: () => [{ scheme, params: {} }],
      openapi: () => ({ type: "http", scheme, description: `the ${scheme} scheme` }),
    });
    const authenticator = createAuthenticator({
      schemes: [locating("first", "x-first", 5), locating("second", "x-second", undefined)],
    });
    const both = request(undefined, { "x-first": "a", "x-second": "b" });
    expect(await authenticator.authenticate(both)).toMatchObject({ ok: true, identity: "first:a" });
    const secondOnly = request(undefined, { "x-second": "b" });
    expect(await authenticator.authenticate(secondOnly)).toMatchObject({ ok: true, identity: "second:b" });
  });

  test("hooks that return promises are waited for before authenticate() resolves", async () => {
    const log: string[] = [];
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "pw" ? user : undefined) })],
      onSuccess: () => new Promise<void>((resolve) => setTimeout(() => resolve(void log.push("success hook")), 5)),
      onFailure: () => thenable(undefined).then(() => void log.push("failure hook")),
    });
    await authenticator.authenticate(request(right));
    log.push("after success");
    await authenticator.authenticate(request(wrong));
    log.push("after failure");
    expect(log).toEqual(["success hook", "after success", "failure hook", "after failure"]);
  });

  test("a hook that throws synchronously makes authenticate() reject", async () => {
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: () => undefined })],
      onFailure: () => {
        throw new Error("audit log full");
      },
    });
    await expect(authenticator.authenticate(request(wrong))).rejects.toThrow("audit log full");
  });
});
