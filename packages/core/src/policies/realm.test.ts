// `realm` as a function of the request (issue 18): per-host challenges for
// Basic, Bearer, Digest and API keys; results that cannot be sent fail
// loudly (authenticate rejects, the app answers 500) and never reach a
// header; Digest credentials and nonces made for one realm never verify for
// another.

import { describe, expect, test } from "vitest";
import type { AuthOutcome, AuthRequest, AuthSchemePolicy, Challenge, Credentials } from "../index.ts";
import {
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseChallenges,
  serializeBasicCredentials,
  serializeCredentials,
} from "../index.ts";

const SECRET = "0123456789abcdef-server-secret";

/** The realm of each host: the function the apps would write. */
function realmOfHost(request: AuthRequest): string {
  return `${request.header("host") ?? "unknown"} area`;
}

function request(host: string, headers: Record<string, string> = {}): AuthRequest {
  const all: Record<string, string> = { host, ...headers };
  return { method: "GET", url: "/resource", header: (name) => all[name.toLowerCase()], clientAddress: "192.0.2.9" };
}

type Policy = AuthSchemePolicy<unknown>;

async function challengeLines(policy: Policy, host: string): Promise<string[]> {
  const outcome = await createAuthenticator({ schemes: [policy] }).authenticate(request(host));
  if (outcome.ok) throw new Error("expected a failure");
  return outcome.headers.filter(([name]) => name === "WWW-Authenticate").map(([, value]) => value);
}

function realmsOf(lines: readonly string[]): (string | undefined)[] {
  return lines.flatMap((line) => parseChallenges(line)).map((challenge) => challenge.params.realm);
}

const FACTORIES: Record<string, (realm: (request: AuthRequest) => string) => Policy> = {
  basicAuth: (realm) => basicAuth({ realm, users: { ada: "lovelace" } }),
  bearerAuth: (realm) => bearerAuth({ realm, verify: () => undefined }),
  digestAuth: (realm) => digestAuth({ realm, secret: SECRET, password: () => "pw" }),
  apiKeyAuth: (realm) => apiKeyAuth({ realm, keys: { service: "k3y" } }),
};

describe.each(Object.entries(FACTORIES))("%s() with a realm function", (_name, factory) => {
  test("answers two hosts with two challenges, each carrying its own realm", async () => {
    const policy = factory(realmOfHost);
    expect(realmsOf(await challengeLines(policy, "a.example"))).toEqual(["a.example area"]);
    expect(realmsOf(await challengeLines(policy, "b.example"))).toEqual(["b.example area"]);
    // Asked again, the first host's realm comes back unchanged (remembered per realm).
    expect(realmsOf(await challengeLines(policy, "a.example"))).toEqual(["a.example area"]);
    expect(policy.realm).toBeUndefined();
    expect(JSON.stringify(policy.openapi())).toContain("realm set per request");
  });

  test("escapes a realm the client chose (quotes and backslashes from Host) instead of breaking the header", async () => {
    const policy = factory(realmOfHost);
    const hostile = 'x", domain="evil\\';
    const lines = await challengeLines(policy, hostile);
    expect(realmsOf(lines)).toEqual([`${hostile} area`]);
    expect(lines[0]).toContain('realm="x\\", domain=\\"evil\\\\ area"');
  });

  const hostile: [string, unknown][] = [
    ["a number", 42],
    ["undefined", undefined],
    ["a Promise", Promise.resolve("api")],
    ["an empty string", ""],
    ["a blank string", " \t "],
    ["CR LF (header injection)", "api\r\nSet-Cookie: a=b"],
    ["NUL", "api\u0000"],
    ["DEL", "api\u007f"],
    ["a C1 control", "api\u0085"],
    ["a character above U+00FF", "caf\u00e9 \u2603"],
    ["a lone surrogate", "api\ud800"],
    ["257 characters", "r".repeat(257)],
  ];
  test.each(hostile)(
    "rejects authenticate() with a TypeError when it returns %s, never sending a challenge",
    async (_what, value) => {
      const policy = factory(() => value as string);
      const authenticator = createAuthenticator({ schemes: [policy] });
      await expect(authenticator.authenticate(request("a.example"))).rejects.toThrow(TypeError);
      // Refused every time, not remembered as good.
      await expect(authenticator.authenticate(request("a.example"))).rejects.toThrow(/realm function/);
    },
  );

  test("never repeats what the function returned in its message", async () => {
    const policy = factory(() => "secret-ish\r\nvalue");
    const error = await createAuthenticator({ schemes: [policy] })
      .authenticate(request("a.example"))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).message)).not.toContain("secret-ish");
  });

  test("accepts 256 characters and U+00A0–U+00FF, as a quoted-string carries them", async () => {
    const long = "r".repeat(256);
    expect(
      realmsOf(
        await challengeLines(
          factory(() => long),
          "a.example",
        ),
      ),
    ).toEqual([long]);
    expect(
      realmsOf(
        await challengeLines(
          factory(() => "caf\u00e9"),
          "a.example",
        ),
      ),
    ).toEqual(["caf\u00e9"]);
  });

  test("lets an exception of the realm function propagate out of authenticate", async () => {
    const policy = factory(() => {
      throw new RangeError("tenant store down");
    });
    await expect(createAuthenticator({ schemes: [policy] }).authenticate(request("a"))).rejects.toThrow(
      "tenant store down",
    );
  });

  test("still checks a static realm when the policy is made", () => {
    expect(() => factory("a\r\nb" as never)).toThrow(TypeError);
    expect(() => factory(7 as never)).toThrow(TypeError);
  });

  test("keeps remembering at most a bounded set of realms, and stays correct past it", async () => {
    const policy = factory(realmOfHost);
    for (let index = 0; index < 100; index++) {
      expect(realmsOf(await challengeLines(policy, `h${index}`))).toEqual([`h${index} area`]);
    }
    expect(realmsOf(await challengeLines(policy, "h0"))).toEqual(["h0 area"]);
  });
});

describe("basicAuth() with a realm function", () => {
  test("authenticates without calling the realm function; a 401 then calls it", async () => {
    let calls = 0;
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: () => {
            calls++;
            return "api";
          },
          users: { ada: "lovelace" },
        }),
      ],
    });
    const authorization = serializeBasicCredentials({ username: "ada", password: "lovelace" });
    const outcome = await authenticator.authenticate(request("a", { authorization }));
    expect(outcome.ok).toBe(true);
    expect(calls).toBe(0);
    await authenticator.authenticate(request("a", { authorization: "Basic bad" }));
    expect(calls).toBe(1);
  });
});

describe("digestAuth() with a realm function: realms stay apart", () => {
  const USERS: Record<string, string> = { ada: "lovelace" };
  let seenRealms: string[] = [];
  const authenticator = createAuthenticator({
    schemes: [
      digestAuth({
        realm: realmOfHost,
        secret: SECRET,
        password: (username, realm) => {
          seenRealms.push(realm);
          return USERS[username];
        },
      }),
    ],
  });

  async function challengeFor(host: string): Promise<Challenge> {
    const outcome = await authenticator.authenticate(request(host));
    if (outcome.ok) throw new Error("expected a challenge");
    const challenge = parseChallenges(outcome.headers[0]?.[1] ?? "")[0];
    if (challenge === undefined) throw new Error("expected a Digest challenge");
    return challenge;
  }

  async function answer(challenge: Challenge, nc = 1): Promise<Credentials> {
    return computeDigestCredentials(challenge, {
      username: "ada",
      password: "lovelace",
      method: "GET",
      uri: "/resource",
      nc,
    });
  }

  function send(host: string, credentials: Credentials): Promise<AuthOutcome<unknown>> {
    return authenticator.authenticate(request(host, { authorization: serializeCredentials(credentials) }));
  }

  test("credentials for a host's own realm verify, and password() is given that realm", async () => {
    seenRealms = [];
    const outcome = await send("a.example", await answer(await challengeFor("a.example")));
    expect(outcome).toMatchObject({ ok: true, identity: "ada" });
    expect(seenRealms).toEqual(["a.example area"]);
  });

  test("an attacker replaying credentials computed for realm A on a request whose realm is B is refused", async () => {
    const forA = await answer(await challengeFor("a.example"));
    const replayed = await send("b.example", forA);
    expect(replayed).toMatchObject({ ok: false, status: 401, reason: "invalid-credentials" });
    // And the refusal challenges realm B, never A.
    if (!replayed.ok) expect(realmsOf([replayed.headers[0]?.[1] ?? ""])).toEqual(["b.example area"]);
  });

  test("relabelling A's nonce as realm B (response recomputed with the password) fails the nonce's HMAC", async () => {
    const challengeA = await challengeFor("a.example");
    // Someone who knows the password but holds only a nonce issued for A: the realm is part of its HMAC.
    const relabelled: Challenge = { ...challengeA, params: { ...challengeA.params, realm: "b.example area" } };
    const outcome = await send("b.example", await answer(relabelled));
    expect(outcome).toMatchObject({ ok: false, status: 401 });
    expect(outcome.ok === false && outcome.reason).not.toBe("stale-nonce");
  });

  test("the same nonce answered for its own realm still verifies after the cross-realm attempts", async () => {
    const challengeB = await challengeFor("b.example");
    expect(await send("b.example", await answer(challengeB, 1))).toMatchObject({ ok: true });
  });
});
