// basicAuth(): the users map and the verified-credentials cache.

import { describe, expect, test } from "vitest";
import type { AuthRequest } from "../index.ts";
import { basicAuth, createAuthenticator, serializeBasicCredentials } from "../index.ts";

function request(username: string, password: string): AuthRequest {
  const authorization = serializeBasicCredentials({ username, password });
  return {
    method: "GET",
    url: "/",
    clientAddress: "192.0.2.1",
    header: (name) => (name === "authorization" ? authorization : null),
  };
}

describe("basicAuth({ users })", () => {
  test("basicAuth({ users }) accepts a listed user and answers the user name", async () => {
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", users: { alice: "wonderland" } })],
    });
    expect(await authenticator.authenticate(request("alice", "wonderland"))).toEqual({
      ok: true,
      scheme: "basic",
      identity: "alice",
      headers: [],
    });
    const wrong = await authenticator.authenticate(request("alice", "wonderlan"));
    expect(wrong.ok === false && [wrong.status, wrong.reason]).toEqual([401, "invalid-credentials"]);
  });

  test("basicAuth({ users }) refuses an unknown user who sends another user's password", async () => {
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", users: { alice: "pw" } })] });
    expect((await authenticator.authenticate(request("mallory", "pw"))).ok).toBe(false);
  });

  test("basicAuth({ users }) never reads the prototype: __proto__, constructor, toString", async () => {
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", users: { alice: "pw" } })] });
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      expect((await authenticator.authenticate(request(name, "pw"))).ok).toBe(false);
      expect((await authenticator.authenticate(request(name, "[object Object]"))).ok).toBe(false);
    }
  });

  test("basicAuth({ users, verifyPassword }) checks unknown users against another user's hash (same work)", async () => {
    const seen: string[] = [];
    const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
      seen.push(stored);
      return stored === `hash:${password}`;
    };
    const policy = basicAuth({ realm: "api", users: { alice: "hash:a", bob: "hash:b" }, verifyPassword });
    const authenticator = createAuthenticator({ schemes: [policy] });
    expect((await authenticator.authenticate(request("bob", "b"))).ok).toBe(true);
    // An unknown user whose password matches the decoy's hash is still refused.
    expect((await authenticator.authenticate(request("nobody", "a"))).ok).toBe(false);
    expect(seen).toEqual(["hash:b", "hash:a"]);
  });

  test("basicAuth({ users, verifyPassword }) lets an error of verifyPassword propagate", async () => {
    const verifyPassword = (): boolean => {
      throw new TypeError("bad hash");
    };
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", users: { alice: "x" }, verifyPassword })],
    });
    await expect(authenticator.authenticate(request("alice", "pw"))).rejects.toThrow("bad hash");
  });

  test("basicAuth() refuses neither or both of verify and users, an empty map and non-string entries", () => {
    expect(() => basicAuth({ realm: "api" } as never)).toThrow(TypeError);
    expect(() => basicAuth({ realm: "api", users: { a: "b" }, verify: () => "a" } as never)).toThrow(TypeError);
    expect(() => basicAuth({ realm: "api", users: {} })).toThrow(TypeError);
    expect(() => basicAuth({ realm: "api", users: { a: 1 } as never })).toThrow(TypeError);
    expect(() => basicAuth({ realm: "api", users: null as never })).toThrow(TypeError);
    expect(() => basicAuth({ realm: "api", users: { a: "b" }, verifyPassword: "x" as never })).toThrow(TypeError);
  });

  test("basicAuth({ users }) copies the map: later changes are not seen", async () => {
    const users: Record<string, string> = { alice: "pw" };
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", users })] });
    users.eve = "pw";
    expect((await authenticator.authenticate(request("eve", "pw"))).ok).toBe(false);
  });
});

describe("basicAuth({ cache })", () => {
  function counting(passwords: Record<string, string>): {
    calls: string[];
    verify: (username: string, password: string) => Promise<string | undefined>;
  } {
    const calls: string[] = [];
    return {
      calls,
      verify: async (username, password) => {
        calls.push(username);
        return Object.hasOwn(passwords, username) && passwords[username] === password ? username : undefined;
      },
    };
  }

  function setup(passwords: Record<string, string>, cache: { ttl: number; maxEntries?: number }) {
    let now = 1_000_000;
    const { calls, verify } = counting(passwords);
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify, cache })],
      now: () => now,
    });
    return {
      calls,
      authenticate: (username: string, password: string) => authenticator.authenticate(request(username, password)),
      advance: (seconds: number) => {
        now += seconds * 1000;
      },
    };
  }

  test("basicAuth({ cache }) verifies a password once within the ttl", async () => {
    const { calls, authenticate } = setup({ alice: "pw" }, { ttl: 30 });
    for (let index = 0; index < 5; index++) expect((await authenticate("alice", "pw")).ok).toBe(true);
    expect(calls).toEqual(["alice"]);
  });

  test("basicAuth({ cache }) never answers a wrong password from the cache", async () => {
    const { calls, authenticate } = setup({ alice: "pw" }, { ttl: 30 });
    expect((await authenticate("alice", "pw")).ok).toBe(true);
    for (const guess of ["pW", "pw ", "", "p", "pw\u00e9", "pw\u{1F600}"])
      expect((await authenticate("alice", guess)).ok).toBe(false);
    expect(calls.length).toBe(7);
  });

  test("basicAuth({ cache }) keys user name and password together: ('a:b','c') is not ('a','b:c')", async () => {
    const { authenticate } = setup({ a: "b:c" }, { ttl: 30 });
    expect((await authenticate("a", "b:c")).ok).toBe(true);
    // "a:b" cannot be sent as a Basic user-id; the key is built from the length-prefixed name either way.
    expect((await authenticate("ab", ":c")).ok).toBe(false);
  });

  test("basicAuth({ cache }) verifies again after the ttl: a changed password is picked up", async () => {
    const passwords: Record<string, string> = { alice: "old" };
    const { calls, authenticate, advance } = setup(passwords, { ttl: 10 });
    expect((await authenticate("alice", "old")).ok).toBe(true);
    passwords.alice = "new";
    advance(9);
    expect((await authenticate("alice", "old")).ok).toBe(true); // cached: the documented window
    advance(1);
    expect((await authenticate("alice", "old")).ok).toBe(false);
    expect((await authenticate("alice", "new")).ok).toBe(true);
    expect(calls.length).toBe(3);
  });

  test("basicAuth({ cache }) forgets a user's entries after any failure for that user", async () => {
    const passwords: Record<string, string> = { alice: "old", bob: "b" };
    const { calls, authenticate } = setup(passwords, { ttl: 60 });
    expect((await authenticate("alice", "old")).ok).toBe(true);
    expect((await authenticate("bob", "b")).ok).toBe(true);
    passwords.alice = "new";
    expect((await authenticate("alice", "wrong")).ok).toBe(false);
    expect((await authenticate("alice", "old")).ok).toBe(false); // verified again, refused
    expect((await authenticate("bob", "b")).ok).toBe(true); // bob's entry kept
    expect(calls).toEqual(["alice", "bob", "alice", "alice"]);
  });

  test("basicAuth({ cache }) stays bounded under a flood of valid users: the oldest entry goes", async () => {
    const passwords: Record<string, string> = {};
    for (let index = 0; index < 50; index++) passwords[`user${index}`] = `pw${index}`;
    const { calls, authenticate } = setup(passwords, { ttl: 60, maxEntries: 3 });
    for (let index = 0; index < 50; index++) expect((await authenticate(`user${index}`, `pw${index}`)).ok).toBe(true);
    calls.length = 0;
    expect((await authenticate("user49", "pw49")).ok).toBe(true);
    expect((await authenticate("user47", "pw47")).ok).toBe(true);
    expect(calls).toEqual([]);
    expect((await authenticate("user0", "pw0")).ok).toBe(true);
    expect(calls).toEqual(["user0"]);
  });

  test("basicAuth({ cache }) caches nothing for a flood of wrong passwords", async () => {
    const { calls, authenticate } = setup({ alice: "pw" }, { ttl: 60 });
    for (let index = 0; index < 100; index++) expect((await authenticate("alice", `guess${index}`)).ok).toBe(false);
    expect(calls.length).toBe(100);
  });

  test("basicAuth() refuses a cache ttl or maxEntries out of range", () => {
    const verify = (): undefined => undefined;
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 3601, "30" as never]) {
      expect(() => basicAuth({ realm: "api", verify, cache: { ttl } })).toThrow(RangeError);
    }
    for (const maxEntries of [0, 1.5, -1, Number.NaN]) {
      expect(() => basicAuth({ realm: "api", verify, cache: { ttl: 1, maxEntries } })).toThrow(RangeError);
    }
    expect(() => basicAuth({ realm: "api", verify, cache: null as never })).toThrow(TypeError);
  });
});

test("basicAuth({ cache }) verifies concurrent requests with the same credentials once", async () => {
  let calls = 0;
  const verify = async (username: string, password: string): Promise<string | undefined> => {
    calls++;
    await new Promise((resolve) => setTimeout(resolve, 10));
    return password === "pw" ? username : undefined;
  };
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", verify, cache: { ttl: 30 } })] });
  const outcomes = await Promise.all(
    Array.from({ length: 20 }, () => authenticator.authenticate(request("alice", "pw"))),
  );
  expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
  expect(calls).toBe(1);
  const wrong = await Promise.all(Array.from({ length: 5 }, () => authenticator.authenticate(request("alice", "no"))));
  expect(wrong.every((outcome) => !outcome.ok)).toBe(true);
  expect(calls).toBe(2);
});
