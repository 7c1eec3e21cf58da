// digestAuth({ users }): a map of passwords, as basicAuth takes (issue 18),
// driven through the authenticator as a client on the wire would.

import { describe, expect, test } from "vitest";
import type { AuthOutcome, AuthRequest, Challenge, DigestAlgorithm } from "../index.ts";
import {
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "../index.ts";

const SECRET = "0123456789abcdef-server-secret";
const ALGORITHMS: DigestAlgorithm[] = ["SHA-256", "SHA-256-sess", "SHA-512-256", "MD5", "MD5-sess"];

function request(authorization?: string): AuthRequest {
  return {
    method: "GET",
    url: "/r",
    header: (name) => (name === "authorization" ? authorization : undefined),
    clientAddress: "192.0.2.3",
  };
}

type Authenticate = (request: AuthRequest) => Promise<AuthOutcome<unknown>>;

async function challengesOf(authenticate: Authenticate): Promise<Challenge[]> {
  const outcome = await authenticate(request());
  if (outcome.ok) throw new Error("expected a challenge");
  return outcome.headers.flatMap(([name, value]) => (name === "WWW-Authenticate" ? parseChallenges(value) : []));
}

async function login(
  authenticate: Authenticate,
  challenge: Challenge,
  username: string,
  password: string,
): Promise<AuthOutcome<unknown>> {
  const credentials = await computeDigestCredentials(challenge, { username, password, method: "GET", uri: "/r" });
  return authenticate(request(serializeCredentials(credentials)));
}

describe("digestAuth({ users })", () => {
  const users = { alice: "wonderland", "bob the builder": "can we fix it?", "\u00e9lodie": "caf\u00e9" };
  const authenticator = createAuthenticator({
    schemes: [digestAuth({ realm: "api", secret: SECRET, algorithms: ALGORITHMS, users })],
  });
  const authenticate: Authenticate = (request) => authenticator.authenticate(request);

  test("accepts each user's password under every offered algorithm; the identity is the user name", async () => {
    const challenges = await challengesOf(authenticate);
    expect(challenges.map((challenge) => challenge.params.algorithm)).toEqual(ALGORITHMS);
    for (const challenge of challenges) {
      for (const [username, password] of Object.entries(users)) {
        expect(await login(authenticate, challenge, username, password)).toMatchObject({
          ok: true,
          identity: username,
        });
      }
    }
  });

  test("refuses a wrong password, another user's password and an unknown user alike: 401 invalid-credentials", async () => {
    const [challenge] = await challengesOf(authenticate);
    if (challenge === undefined) throw new Error("expected a challenge");
    for (const [username, password] of [
      ["alice", "Wonderland"],
      ["alice", "can we fix it?"],
      ["alice", ""],
      ["mallory", "wonderland"],
    ] as const) {
      expect(await login(authenticate, challenge, username, password)).toMatchObject({
        ok: false,
        status: 401,
        reason: "invalid-credentials",
      });
    }
  });

  test("names of Object.prototype members are unknown users, not a crash (the map is read as a Map)", async () => {
    const [challenge] = await challengesOf(authenticate);
    if (challenge === undefined) throw new Error("expected a challenge");
    for (const username of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      expect(await login(authenticate, challenge, username, "x")).toMatchObject({
        ok: false,
        reason: "invalid-credentials",
      });
    }
  });

  test("a listed __proto__ user is a user like any other", async () => {
    const listed = JSON.parse('{"__proto__": "pr0t0"}') as Record<string, string>;
    const own = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, users: listed })] });
    const [challenge] = await challengesOf((request) => own.authenticate(request));
    if (challenge === undefined) throw new Error("expected a challenge");
    expect(await login((request) => own.authenticate(request), challenge, "__proto__", "pr0t0")).toMatchObject({
      ok: true,
      identity: "__proto__",
    });
  });

  test("copies the map: a user added or changed afterwards is not seen", async () => {
    const mutable: Record<string, string> = { alice: "wonderland" };
    const own = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, users: mutable })] });
    mutable.alice = "changed";
    mutable.mallory = "added";
    const run: Authenticate = (request) => own.authenticate(request);
    const [challenge] = await challengesOf(run);
    if (challenge === undefined) throw new Error("expected a challenge");
    expect(await login(run, challenge, "mallory", "added")).toMatchObject({ ok: false });
    expect(await login(run, challenge, "alice", "changed")).toMatchObject({ ok: false });
    expect(await login(run, challenge, "alice", "wonderland")).toMatchObject({ ok: true });
  });

  test("maps the user name through identity when given", async () => {
    const own = createAuthenticator({
      schemes: [digestAuth({ realm: "api", secret: SECRET, users, identity: (name) => ({ name }) })],
    });
    const run: Authenticate = (request) => own.authenticate(request);
    const [challenge] = await challengesOf(run);
    if (challenge === undefined) throw new Error("expected a challenge");
    expect(await login(run, challenge, "alice", "wonderland")).toMatchObject({ ok: true, identity: { name: "alice" } });
  });

  test("refuses a configuration that is not exactly one of password, ha1 and users, or a bad map", () => {
    const base = { realm: "api", secret: SECRET };
    const password = () => "x";
    const ha1 = () => "0".repeat(64);
    expect(() => digestAuth({ ...base, users: { a: "b" }, password })).toThrow(
      /exactly one of password, ha1 and users/,
    );
    expect(() => digestAuth({ ...base, users: { a: "b" }, ha1 })).toThrow(TypeError);
    expect(() => digestAuth({ ...base, users: {} })).toThrow(/at least one user/);
    expect(() => digestAuth({ ...base, users: { a: 1 } as never })).toThrow(/must be a string/);
    expect(() => digestAuth({ ...base, users: null as never })).toThrow(TypeError);
    expect(() => digestAuth({ ...base, users: "alice:pw" as never })).toThrow(TypeError);
    expect(() => digestAuth({ ...base, users: { a: "b" }, userhash: true })).toThrow(/findUsernameByHash/);
  });
});
