// Throttling attacked as an attacker would (issue 13, points 1–5): concurrent
// guesses, other spellings of one user name, password spraying, floods that
// would evict a victim's counter, two instances sharing a store, requests
// without a client address, and a valid low-privilege token interleaved with
// token guesses.

import { describe, expect, test } from "vitest";
import type { AuthOutcome, AuthRequest, AuthSchemePolicy, ThrottleOptions } from "../../src/index.ts";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  createMemoryThrottleStore,
  digestAuth,
  parseChallenges,
  serializeBasicCredentials,
  serializeCredentials,
} from "../../src/index.ts";

const SECRET = "a digest secret of at least sixteen bytes";

function request(authorization: string | undefined, clientAddress?: string): AuthRequest {
  return {
    method: "GET",
    url: "/resource",
    header: (name) => (name === "authorization" ? authorization : undefined),
    ...(clientAddress === undefined ? {} : { clientAddress }),
  };
}

function basic(username: string, password: string): string {
  return serializeBasicCredentials({ username, password });
}

function status(outcome: AuthOutcome<unknown>): number {
  return outcome.ok ? 200 : outcome.status;
}

/** A tick of the event loop: verification that takes time, as scrypt does. */
function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Basic with one user, "alice" / "right", counting the calls to verify (which take a tick unless `fast`). */
function countingBasic(fast = false): { scheme: AuthSchemePolicy<string>; calls: () => number } {
  let calls = 0;
  const scheme = basicAuth({
    realm: "api",
    verify: async (username, password) => {
      calls++;
      if (!fast) await tick();
      return username === "alice" && password === "right" ? username : undefined;
    },
  });
  return { scheme, calls: () => calls };
}

describe("point 1: the attempt is counted before it is verified", () => {
  test("1,000 concurrent wrong guesses with maxFailures 5 verify at most 5", async () => {
    const { scheme, calls } = countingBasic();
    const authenticator = createAuthenticator({ schemes: [scheme], throttle: { maxFailures: 5, window: 60 } });
    const guesses = Array.from({ length: 1000 }, (_, index) =>
      authenticator.authenticate(request(basic("alice", `guess-${index}`), "192.0.2.1")),
    );
    const statuses = (await Promise.all(guesses)).map(status);
    expect(calls()).toBeLessThanOrEqual(5);
    expect(statuses.filter((code) => code === 429).length).toBeGreaterThanOrEqual(995);
  });

  test("two authenticators sharing one store (two instances) verify at most maxFailures together", async () => {
    const store = createMemoryThrottleStore();
    const first = countingBasic();
    const second = countingBasic();
    const throttle: ThrottleOptions = { maxFailures: 5, window: 60, store };
    const instances = [
      createAuthenticator({ schemes: [first.scheme], throttle }),
      createAuthenticator({ schemes: [second.scheme], throttle }),
    ];
    await Promise.all(
      Array.from({ length: 500 }, (_, index) =>
        instances[index % 2]?.authenticate(request(basic("alice", `guess-${index}`), "192.0.2.1")),
      ),
    );
    expect(first.calls() + second.calls()).toBeLessThanOrEqual(5);
  });

  test("a verify that throws (a user store down) is not counted as a failure", async () => {
    let down = true;
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: (username) => {
            if (down) throw new Error("user store is down");
            return username;
          },
        }),
      ],
      throttle: { maxFailures: 1, window: 60 },
    });
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(authenticator.authenticate(request(basic("alice", "pw"), "192.0.2.1"))).rejects.toThrow("down");
    }
    down = false;
    expect(status(await authenticator.authenticate(request(basic("alice", "pw"), "192.0.2.1")))).toBe(200);
  });
});

/** Digest with one user, "alice" / "right", and findUsernameByHash; counts password lookups. */
function countingDigest(): { scheme: AuthSchemePolicy<string>; lookups: () => number } {
  let lookups = 0;
  const scheme = digestAuth({
    realm: "api",
    secret: SECRET,
    userhash: true,
    findUsernameByHash: () => "alice",
    password: (username) => {
      lookups++;
      return username === "alice" ? "right" : undefined;
    },
  });
  return { scheme, lookups: () => lookups };
}

/** A nonce from the authenticator's own challenge. */
async function nonceOf(authenticator: { authenticate(request: AuthRequest): Promise<AuthOutcome<unknown>> }) {
  const outcome = await authenticator.authenticate(request(undefined, "192.0.2.1"));
  const line = outcome.headers.find(([name, value]) => name === "WWW-Authenticate" && value.startsWith("Digest"));
  const nonce = parseChallenges(line?.[1] ?? "")[0]?.params.nonce;
  if (nonce === undefined) throw new Error("no Digest nonce");
  return nonce;
}

describe("point 2: the throttle key is the canonical identity verification uses", () => {
  test("Digest username, username* in every RFC 8187 spelling, and one userhash in any case share one counter", async () => {
    const { scheme, lookups } = countingDigest();
    const authenticator = createAuthenticator({ schemes: [scheme], throttle: { maxFailures: 5, window: 60 } });
    const nonce = await nonceOf(authenticator);
    const hash = "ab".repeat(32);
    const spellings = [
      'username="alice"',
      "username*=UTF-8''alice",
      "username*=utf-8''alice",
      "username*=UTF-8'en'alice",
      "username*=UTF-8''%61lice",
      "username*=uTf-8'EN-gb'%61%6C%69%63%65",
    ];
    const wrong = (user: string, count: number): string =>
      `Digest ${user}, realm="api", nonce="${nonce}", uri="/resource", response="${"0".repeat(64)}", ` +
      `algorithm=SHA-256, qop=auth, nc=${count.toString(16).padStart(8, "0")}, cnonce="c${count}"`;
    // Five failures, each spelled differently: the sixth spelling is throttled.
    for (const [index, user] of spellings.slice(0, 5).entries()) {
      expect(status(await authenticator.authenticate(request(wrong(user, index + 1), "192.0.2.1")))).toBe(401);
    }
    expect(status(await authenticator.authenticate(request(wrong(spellings[5] ?? "", 6), "192.0.2.1")))).toBe(429);
    expect(lookups()).toBe(5);

    // A userhash is one identity whatever the case of its hex digits.
    const hashed = (value: string, count: number): string => `${wrong(`username="${value}"`, count)}, userhash=true`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const value = attempt % 2 === 0 ? hash.toUpperCase() : hash;
      expect(status(await authenticator.authenticate(request(hashed(value, 10 + attempt), "192.0.2.1")))).toBe(401);
    }
    expect(status(await authenticator.authenticate(request(hashed("Ab".repeat(32), 20), "192.0.2.1")))).toBe(429);
  });

  test("Basic counts the decoded user name", async () => {
    const { scheme, calls } = countingBasic();
    const authenticator = createAuthenticator({ schemes: [scheme], throttle: { maxFailures: 2, window: 60 } });
    // "jösé" in UTF-8 and in ISO-8859-1 (the fallback): two byte strings, one decoded name.
    for (const value of [basic("jösé", "a"), `Basic ${btoa("jösé:b")}`]) {
      expect(status(await authenticator.authenticate(request(value, "192.0.2.1")))).toBe(401);
    }
    expect(status(await authenticator.authenticate(request(basic("jösé", "c"), "192.0.2.1")))).toBe(429);
    expect(calls()).toBe(2);
  });
});

describe("point 3: a limit per address across names, and no eviction of open windows", () => {
  test("password spraying: 1,000 names from one address verify at most maxFailuresPerAddress", async () => {
    const { scheme, calls } = countingBasic(true);
    const authenticator = createAuthenticator({
      schemes: [scheme],
      throttle: { maxFailures: 5, maxFailuresPerAddress: 20, window: 60 },
    });
    for (let index = 0; index < 1000; index++) {
      await authenticator.authenticate(request(basic(`user-${index}`, "Summer2026!"), "192.0.2.1"));
    }
    expect(calls()).toBe(20);
    // The default is 10 × maxFailures.
    const defaults = countingBasic(true);
    const byDefault = createAuthenticator({ schemes: [defaults.scheme], throttle: { maxFailures: 5, window: 60 } });
    for (let index = 0; index < 1000; index++) {
      await byDefault.authenticate(request(basic(`user-${index}`, "Summer2026!"), "192.0.2.1"));
    }
    expect(defaults.calls()).toBe(50);
    // Another address is not affected.
    expect(status(await authenticator.authenticate(request(basic("alice", "right"), "192.0.2.2")))).toBe(200);
  });

  test("10,000 other names from other addresses do not evict the victim's open window", async () => {
    const { scheme, calls } = countingBasic(true);
    const authenticator = createAuthenticator({ schemes: [scheme], throttle: { maxFailures: 3, window: 600 } });
    for (let attempt = 0; attempt < 3; attempt++) {
      await authenticator.authenticate(request(basic("alice", `guess-${attempt}`), "198.51.100.1"));
    }
    for (let index = 0; index < 10_000; index++) {
      await authenticator.authenticate(request(basic(`flood-${index}`, "x"), `10.${index >> 8}.${index & 255}.1`));
    }
    const before = calls();
    expect(status(await authenticator.authenticate(request(basic("alice", "guess-3"), "198.51.100.1")))).toBe(429);
    expect(calls()).toBe(before);
  }, 60_000);

  test("a store full of open windows fails closed: 429 for new keys, the victim still counted", async () => {
    const { scheme, calls } = countingBasic(true);
    const store = createMemoryThrottleStore({ maxKeys: 1000 });
    const authenticator = createAuthenticator({ schemes: [scheme], throttle: { maxFailures: 3, window: 600, store } });
    for (let attempt = 0; attempt < 3; attempt++) {
      await authenticator.authenticate(request(basic("alice", `guess-${attempt}`), "198.51.100.1"));
    }
    const statuses = new Set<number>();
    for (let index = 0; index < 10_000; index++) {
      statuses.add(
        status(
          await authenticator.authenticate(request(basic(`flood-${index}`, "x"), `10.${index >> 8}.${index & 255}.1`)),
        ),
      );
    }
    expect([...statuses].sort()).toEqual([401, 429]);
    const before = calls();
    expect(status(await authenticator.authenticate(request(basic("alice", "right"), "198.51.100.1")))).toBe(429);
    expect(calls()).toBe(before);
  }, 60_000);
});

describe("point 4: no counter shared between unrelated clients", () => {
  test("throttling on and no client address: authenticate() rejects with a TypeError saying what to configure", async () => {
    const { scheme, calls } = countingBasic();
    const authenticator = createAuthenticator({ schemes: [scheme], throttle: { maxFailures: 3, window: 60 } });
    for (const clientAddress of [undefined, ""]) {
      const pending = authenticator.authenticate(request(basic("alice", "right"), clientAddress));
      await expect(pending).rejects.toThrow(TypeError);
      await expect(pending).rejects.toThrow(/clientAddress/);
    }
    expect(calls()).toBe(0);
    // Without credentials there is nothing to count: the challenge goes out.
    expect(status(await authenticator.authenticate(request(undefined)))).toBe(401);
  });

  test('missingClientAddress "count-by-identity": per identity only, and Bearer not throttled at all', async () => {
    const { scheme } = countingBasic();
    const authenticator = createAuthenticator({
      schemes: [
        scheme,
        bearerAuth({ realm: "api", verify: (token) => (token === "valid" ? { identity: "x" } : undefined) }),
      ],
      throttle: { maxFailures: 2, window: 60, missingClientAddress: "count-by-identity" },
    });
    for (let attempt = 0; attempt < 2; attempt++) await authenticator.authenticate(request(basic("alice", "x")));
    expect(status(await authenticator.authenticate(request(basic("alice", "right"))))).toBe(429);
    expect(status(await authenticator.authenticate(request(basic("bob", "x"))))).toBe(401);
    for (let attempt = 0; attempt < 10; attempt++) {
      expect(status(await authenticator.authenticate(request(`Bearer guess${attempt}`)))).toBe(401);
    }
    expect(status(await authenticator.authenticate(request("Bearer valid")))).toBe(200);
  });

  test("thousands of token guesses interleaved with a valid low-privilege token stay throttled", async () => {
    let guessesVerified = 0;
    const authenticator = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          verify: (token) => {
            if (token === "low-privilege") return { identity: "intern", scopes: [] };
            guessesVerified++;
            return undefined;
          },
        }),
      ],
      throttle: { maxFailures: 5, window: 60 },
    });
    for (let index = 0; index < 3000; index++) {
      await authenticator.authenticate(request(`Bearer guess${index}`, "203.0.113.66"));
      await authenticator.authenticate(request("Bearer low-privilege", "203.0.113.66"));
    }
    expect(guessesVerified).toBe(50);
    // Another client is not locked out by the attacker's failures.
    expect(status(await authenticator.authenticate(request("Bearer low-privilege", "203.0.113.7")))).toBe(200);
  });

  test("malformed credentials are counted per address, not in one counter for everyone", async () => {
    const authenticator = createAuthenticator({
      schemes: [basicAuth({ realm: "api", verify: (user, password) => (password === "right" ? user : undefined) })],
      throttle: { maxFailures: 1, maxFailuresPerAddress: 3, window: 60 },
    });
    for (let attempt = 0; attempt < 10; attempt++) await authenticator.authenticate(request("Basic !!!", "192.0.2.1"));
    expect(status(await authenticator.authenticate(request("Basic !!!", "192.0.2.1")))).toBe(429);
    expect(status(await authenticator.authenticate(request("Basic !!!", "192.0.2.2")))).toBe(401);
    expect(status(await authenticator.authenticate(request(basic("alice", "right"), "192.0.2.2")))).toBe(200);
  });
});

describe("point 5: a stale nonce is not a password failure", () => {
  test("answers to an expired Digest nonce are stale, never counted: the user is not locked out", async () => {
    let now = 1_000_000;
    const { scheme } = countingDigest();
    const authenticator = createAuthenticator({
      schemes: [scheme],
      throttle: { maxFailures: 2, window: 3600 },
      now: () => now,
    });
    const first = await authenticator.authenticate(request(undefined, "192.0.2.1"));
    const line = first.headers.find(([name, value]) => name === "WWW-Authenticate" && value.startsWith("Digest"));
    const challenge = parseChallenges(line?.[1] ?? "")[0];
    if (challenge === undefined) throw new Error("no Digest challenge");
    now += 3_000_000;
    for (let nc = 1; nc <= 10; nc++) {
      const credentials = await computeDigestCredentials(challenge, {
        username: "alice",
        password: "right",
        method: "GET",
        uri: "/resource",
        nc,
      });
      const outcome = await authenticator.authenticate(request(serializeCredentials(credentials), "192.0.2.1"));
      expect(!outcome.ok && outcome.reason).toBe("stale-nonce");
    }
  });

  test("a verdict asking for a fresh nonce (stale=true) releases what was counted", async () => {
    let calls = 0;
    const stale: AuthSchemePolicy<string> = {
      scheme: "custom",
      realm: "api",
      authSchemes: ["custom"],
      throttleKey: () => "alice",
      verify: () => {
        calls++;
        return { ok: false, status: 401, reason: "invalid-credentials", challenge: { stale: true } };
      },
      challenges: () => [{ scheme: "Custom", params: { realm: "api" } }],
      openapi: () => ({ type: "http", scheme: "custom", description: "custom" }),
    };
    const authenticator = createAuthenticator({ schemes: [stale], throttle: { maxFailures: 1, window: 60 } });
    for (let attempt = 0; attempt < 20; attempt++) {
      expect(status(await authenticator.authenticate(request("Custom x", "192.0.2.1")))).toBe(401);
    }
    expect(calls).toBe(20);
  });
});
