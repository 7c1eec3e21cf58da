// Digest replay and request-binding defences, attacked through the
// authenticator as a client on the wire would (issue 13, points 5–9).

import { describe, expect, test } from "vitest";
import type { AuthOutcome, AuthRequest, Challenge, Credentials } from "../index.ts";
import {
  computeDigestCredentials,
  createAuthenticator,
  createMemoryNonceCountStore,
  digestAuth,
  parseChallenges,
  serializeCredentials,
} from "../index.ts";

const SECRET = "0123456789abcdef-server-secret";
const USERS: Record<string, string> = { ada: "lovelace", mallory: "mallory's own password" };
const password = (username: string): string | undefined => USERS[username];

interface Call {
  url?: string;
  method?: string;
  authorization?: string | undefined;
  body?: AuthRequest["body"];
}

function call(authenticator: { authenticate(request: AuthRequest): Promise<AuthOutcome<unknown>> }, options: Call) {
  const { url = "/resource", method = "GET", authorization } = options;
  const request: AuthRequest = {
    method,
    url,
    header: (name) => (name.toLowerCase() === "authorization" ? authorization : undefined),
    clientAddress: "192.0.2.1",
  };
  if ("body" in options) request.body = options.body;
  return authenticator.authenticate(request);
}

/** The Digest challenges of a 401 (a new nonce each). */
async function challenges(authenticator: Parameters<typeof call>[0], options: Call = {}): Promise<Challenge[]> {
  const outcome = await call(authenticator, { ...options, authorization: undefined });
  if (outcome.ok) throw new Error("expected a challenge");
  return outcome.headers
    .filter(([name]) => name === "WWW-Authenticate")
    .flatMap(([, value]) => parseChallenges(value))
    .filter((challenge) => challenge.scheme === "digest");
}

async function answer(
  challenge: Challenge,
  username: string,
  options: { nc?: number; uri?: string; method?: string; body?: string } = {},
): Promise<string> {
  const credentials: Credentials = await computeDigestCredentials(challenge, {
    username,
    password: USERS[username] ?? "",
    method: options.method ?? "GET",
    uri: options.uri ?? "/resource",
    ...(options.nc === undefined ? {} : { nc: options.nc }),
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return serializeCredentials(credentials);
}

function staleOf(outcome: AuthOutcome<unknown>): { reason: string; stale: boolean } {
  if (outcome.ok) return { reason: "ok", stale: false };
  const stale = outcome.headers.some(([name, value]) => name === "WWW-Authenticate" && /stale=true/i.test(value));
  return { reason: outcome.reason, stale };
}

describe("Digest replay (issue 13 point 5)", () => {
  test("digestAuth() refuses a captured request replayed after a flood of other nonces past the store's capacity", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({
          realm: "api",
          secret: SECRET,
          password,
          nonceCounts: createMemoryNonceCountStore({ maxEntries: 32 }),
        }),
      ],
    });
    const [victimChallenge] = await challenges(authenticator);
    const captured = await answer(victimChallenge!, "ada");
    expect((await call(authenticator, { authorization: captured })).ok).toBe(true);
    // An account holder takes a new nonce from each 401 and uses it once: 40 entries > 32.
    // (Once the store forgets an entry, nonces issued in the same second are stale too: she asks again.)
    for (let index = 0; index < 40; index++) {
      const [fresh] = await challenges(authenticator);
      const outcome = await call(authenticator, { authorization: await answer(fresh!, "mallory") });
      expect(["ok", "stale-nonce"]).toContain(staleOf(outcome).reason);
    }
    const replay = await call(authenticator, { authorization: captured });
    expect(staleOf(replay)).toEqual({ reason: "stale-nonce", stale: true });
  });
});

describe("Digest nonce counts per nonce and user (issue 13 point 6)", () => {
  test("digestAuth() keeps a victim's counts when another user answers the victim's nonce with nc=ffffffff", async () => {
    const authenticator = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password })] });
    const [challenge] = await challenges(authenticator);
    expect((await call(authenticator, { authorization: await answer(challenge!, "ada", { nc: 1 }) })).ok).toBe(true);
    // Mallory saw the nonce (it is not secret) and answers it with her own password and the last count.
    const burn = await answer(challenge!, "mallory", { nc: 0xffff_ffff });
    expect((await call(authenticator, { authorization: burn })).ok).toBe(true);
    expect((await call(authenticator, { authorization: await answer(challenge!, "ada", { nc: 2 }) })).ok).toBe(true);
  });

  test("digestAuth() accepts out-of-order counts from parallel requests: arrival 8, 1..7", async () => {
    const authenticator = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password })] });
    const [challenge] = await challenges(authenticator);
    for (const nc of [8, 1, 2, 3, 4, 5, 6, 7]) {
      const outcome = await call(authenticator, { authorization: await answer(challenge!, "ada", { nc }) });
      expect({ nc, ok: outcome.ok }).toEqual({ nc, ok: true });
    }
  });

  test("digestAuth() answers a replayed count with stale=true and a fresh nonce, never as a wrong password", async () => {
    const authenticator = createAuthenticator({
      schemes: [digestAuth({ realm: "api", secret: SECRET, password })],
      throttle: { maxFailures: 2, window: 60 },
    });
    const [challenge] = await challenges(authenticator);
    const captured = await answer(challenge!, "ada", { nc: 1 });
    expect((await call(authenticator, { authorization: captured })).ok).toBe(true);
    for (let index = 0; index < 5; index++) {
      const replay = await call(authenticator, { authorization: captured });
      expect(staleOf(replay)).toEqual({ reason: "stale-nonce", stale: true });
    }
    // The replays were not counted as password failures: no 429 for the user.
    const [next] = await challenges(authenticator);
    expect((await call(authenticator, { authorization: await answer(next!, "ada") })).ok).toBe(true);
  });
});

describe("Digest auth-int without a body (issue 13 point 7)", () => {
  const authInt = () =>
    createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password, qop: ["auth-int"] })] });

  test("digestAuth() refuses auth-int when the runtime cannot give the body, not checks it against an empty one", async () => {
    const authenticator = authInt();
    const [challenge] = await challenges(authenticator, { method: "POST" });
    // A digest over an empty body, sent with a body the server never saw (over the cap: undefined).
    const forged = await answer(challenge!, "ada", { method: "POST", body: "" });
    const overCap = await call(authenticator, { method: "POST", authorization: forged, body: async () => undefined });
    expect(overCap.ok).toBe(false);
    expect(staleOf(overCap).reason).toBe("invalid-credentials");
    // No body reader at all (node:http without a parser).
    const unread = await call(authenticator, { method: "POST", authorization: forged });
    expect(unread.ok).toBe(false);
  });

  test("digestAuth() accepts auth-int over a body the runtime gave, and over an empty entity", async () => {
    const authenticator = authInt();
    const [challenge] = await challenges(authenticator, { method: "POST" });
    const withBody = await answer(challenge!, "ada", { method: "POST", body: "amount=100", nc: 1 });
    const bytes = new TextEncoder().encode("amount=100");
    expect((await call(authenticator, { method: "POST", authorization: withBody, body: async () => bytes })).ok).toBe(
      true,
    );
    const empty = await answer(challenge!, "ada", { method: "POST", body: "", nc: 2 });
    const none = async () => new Uint8Array(0);
    expect((await call(authenticator, { method: "POST", authorization: empty, body: none })).ok).toBe(true);
    // The empty-body digest does not authenticate a body.
    const other = await answer(challenge!, "ada", { method: "POST", body: "", nc: 3 });
    expect((await call(authenticator, { method: "POST", authorization: other, body: async () => bytes })).ok).toBe(
      false,
    );
  });
});

describe("Digest uri on Fetch runtimes (issue 13 point 8)", () => {
  const cases: [uri: string, normalised: string][] = [
    ["/report?", "https://api.example/report?"],
    ["/a/./b", "https://api.example/a/b"],
    ["/a/b/../c", "https://api.example/a/c"],
    ["/x{y}", "https://api.example/x%7By%7D"],
    ["/p<q>?a=[1]", "https://api.example/p%3Cq%3E?a=[1]"],
    ["https://api.example/a/./b", "https://api.example/a/b"],
  ];
  for (const [uri, url] of cases) {
    test(`digestAuth() accepts uri ${uri} for the request URL a Fetch runtime normalised to ${url}`, async () => {
      expect(new URL(`https://api.example${uri.startsWith("/") ? uri : new URL(uri).pathname}`).href).toBe(url);
      const authenticator = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password })] });
      const [challenge] = await challenges(authenticator, { url });
      const outcome = await call(authenticator, { url, authorization: await answer(challenge!, "ada", { uri }) });
      expect(staleOf(outcome)).toEqual({ reason: "ok", stale: false });
    });
  }

  test("digestAuth() still refuses a uri that designates another resource, or another origin", async () => {
    const authenticator = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password })] });
    const url = "https://api.example/a/b";
    for (const uri of ["/a/c", "/a/b/", "/A/b", "/a/b?", "//evil.example/a/b", "/a/b#frag", "/a/%62"]) {
      const [challenge] = await challenges(authenticator, { url });
      const outcome = await call(authenticator, { url, authorization: await answer(challenge!, "ada", { uri }) });
      expect({ uri, ok: outcome.ok }).toEqual({ uri, ok: false });
    }
  });

  test("digestAuth() compares the raw target as received where the runtime gives it (node:http)", async () => {
    const authenticator = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password })] });
    const [challenge] = await challenges(authenticator, { url: "/a/./b" });
    const raw = await call(authenticator, {
      url: "/a/./b",
      authorization: await answer(challenge!, "ada", { uri: "/a/./b" }),
    });
    expect(raw.ok).toBe(true);
    const normalised = await call(authenticator, {
      url: "/a/./b",
      authorization: await answer(challenge!, "ada", { uri: "/a/b" }),
    });
    expect(normalised.ok).toBe(false);
  });
});

describe("Digest nonces and algorithms (issue 14)", () => {
  test("digestAuth() accepts MD5 over the nonce of the SHA-256 challenge listed first (digest-fetch, urllib)", async () => {
    const authenticator = createAuthenticator({
      schemes: [digestAuth({ realm: "api", secret: SECRET, password, algorithms: ["SHA-256", "MD5"] })],
    });
    const [first] = await challenges(authenticator);
    expect(first?.params.algorithm).toBe("SHA-256");
    const md5 = { ...first!, params: { ...first!.params, algorithm: "MD5" } };
    expect((await call(authenticator, { authorization: await answer(md5, "ada") })).ok).toBe(true);
  });

  test("digestAuth() refuses MD5 where the route offers SHA-256 only, whichever nonce it answers", async () => {
    const strong = createAuthenticator({ schemes: [digestAuth({ realm: "api", secret: SECRET, password })] });
    const weak = createAuthenticator({
      schemes: [digestAuth({ realm: "api", secret: SECRET, password, algorithms: ["MD5"] })],
    });
    const [sha] = await challenges(strong);
    const [md5] = await challenges(weak);
    const downgraded = { ...sha!, params: { ...sha!.params, algorithm: "MD5" } };
    expect((await call(strong, { authorization: await answer(downgraded, "ada") })).ok).toBe(false);
    expect((await call(strong, { authorization: await answer(md5!, "ada") })).ok).toBe(false);
    // A nonce of the MD5-only route, answered with SHA-256 on the SHA-256 route: not a nonce of this route.
    const borrowed = { ...md5!, params: { ...md5!.params, algorithm: "SHA-256" } };
    expect((await call(strong, { authorization: await answer(borrowed, "ada") })).ok).toBe(false);
  });
});
