// Prototype safety: `__proto__`, `constructor`, `toString` and the other names
// of Object.prototype are ordinary names wherever received input names
// something — auth-param names in every field, Digest parameters and their
// values (algorithm, qop, username), Authentication-Info, scheme names, user
// names and tokens handed to the authenticator. Nothing is inherited, nothing
// is polluted. src/grammar.test.ts checks the null prototype of parsed maps
// on fixed inputs; this file generates inputs and goes through every layer.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { AuthParams, AuthRequest, Challenge } from "../../src/index.ts";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  createDigestChallenge,
  digestAuth,
  isHTTPAuthError,
  parseAuthParams,
  parseChallenges,
  parseCredentials,
  parseDigestCredentials,
  serializeAuthParams,
  serializeBasicCredentials,
  serializeChallenge,
  serializeCredentials,
  verifyDigestAuthenticationInfo,
  verifyDigestCredentials,
} from "../../src/index.ts";

/** Names that an object literal or a plain map would resolve through Object.prototype (or treat as a thenable). */
const SPECIAL = [
  "__proto__",
  "constructor",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
  "__lookupSetter__",
  "prototype",
  "then",
] as const;

const secret = "a server secret of at least sixteen bytes";

/** Object.prototype as it was before the tests, to show that nothing was added to it. */
let prototypeNames: string[] = [];
beforeAll(() => {
  prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
});
afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

function own(params: AuthParams, name: string): string | undefined {
  return Object.getOwnPropertyDescriptor(params, name)?.value;
}

describe("the grammar", () => {
  const name = fc.oneof(fc.constantFrom(...SPECIAL), fc.constantFrom("realm", "a", "polluted", "x-y"));
  const value = fc.string({ unit: fc.constantFrom("a", " ", '"', "\\", "=", ","), maxLength: 8 });
  const entries = fc.uniqueArray(fc.tuple(name, value), { selector: ([key]) => key.toLowerCase(), maxLength: 8 });

  test("every special name is an own parameter of a null-prototype map, in every field, in order", () => {
    fc.assert(
      fc.property(entries, fc.boolean(), (list, upper) => {
        const params: AuthParams = Object.create(null);
        for (const [key, text] of list) params[upper ? key.toUpperCase() : key] = text;
        const written = serializeAuthParams(params);
        const parsedMaps = [
          parseAuthParams(written),
          parseCredentials(`Newauth ${written}`).params,
          ...parseChallenges(`Newauth ${written}, Other ${written}`).map((challenge) => challenge.params),
        ];
        for (const parsed of parsedMaps) {
          expect(Object.getPrototypeOf(parsed)).toBeNull();
          expect(Object.keys(parsed)).toEqual(list.map(([key]) => key.toLowerCase()));
          for (const [key, text] of list) expect(own(parsed, key.toLowerCase())).toBe(text);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("a parameter that is not there is undefined, not something inherited", () => {
    const [challenge] = parseChallenges('Basic realm="api"');
    for (const key of SPECIAL) expect(challenge?.params[key]).toBeUndefined();
    expect(parseAuthParams("a=b").toString).toBeUndefined();
    expect(parseCredentials("Digest a=b").params.constructor).toBeUndefined();
  });

  test("serializers write own special names and skip inherited ones", () => {
    const inherited = Object.create({ toString: "inherited", realm: "inherited" }) as Record<string, string>;
    inherited.a = "1";
    expect(serializeAuthParams(inherited)).toBe("a=1");
    expect(serializeChallenge({ scheme: "newauth", params: { constructor: "x", toString: "y" } })).toBe(
      "newauth constructor=x, toString=y",
    );
    const map: AuthParams = Object.create(null);
    // Written through variables: a literal `__proto__` key or `then` property means something else to JavaScript.
    const [proto, then] = ["__proto__", "then"];
    map[proto] = "p";
    map[then] = "t";
    expect(serializeCredentials({ scheme: "newauth", params: map })).toBe("newauth __proto__=p, then=t");
  });

  test("special names as schemes are ordinary schemes", () => {
    for (const key of SPECIAL) {
      expect(parseChallenges(`${key} realm="a", ${key} b`)).toHaveLength(2);
      expect(parseCredentials(`${key} abc=`).scheme).toBe(key.toLowerCase());
      expect(serializeChallenge({ scheme: key, params: { a: "1" } })).toBe(`${key} a=1`);
    }
  });
});

describe("Digest", () => {
  async function answer(username: string, challengeParams: Record<string, string> = {}): Promise<string> {
    const challenge = await createDigestChallenge({ realm: "api", secret });
    Object.assign(challenge.params, challengeParams);
    const credentials = await computeDigestCredentials(challenge, {
      username,
      password: "pw",
      method: "GET",
      uri: "/",
    });
    return serializeCredentials(credentials);
  }

  test("parseDigestCredentials() ignores extra parameters with special names", async () => {
    const genuine = await answer("Mufasa");
    const extra = `${genuine}, __proto__="x", constructor=y, toString=z, then=w, hasOwnProperty=v`;
    const parsed = parseDigestCredentials(extra);
    expect(parsed).toEqual(parseDigestCredentials(genuine));
    expect(Object.keys(parsed).some((key) => (SPECIAL as readonly string[]).includes(key))).toBe(false);
  });

  test("special names as algorithm or qop are refused as unknown, not looked up on a prototype", async () => {
    const base = `username="u", realm="api", nonce="n", uri="/", response="${"0".repeat(32)}"`;
    for (const key of SPECIAL) {
      for (const [value, code] of [
        [`Digest ${base}, algorithm=${key}`, "unsupported-algorithm"],
        [`Digest ${base}, qop=${key}, nc=00000001, cnonce="c"`, "invalid-parameter"],
        [`Digest ${base}, userhash=${key}`, "invalid-parameter"],
      ] as const) {
        expect(() => parseDigestCredentials(value), value).toThrow(expect.objectContaining({ code }));
      }
      const challenge: Challenge = { scheme: "digest", params: { realm: "r", nonce: "n", algorithm: key } };
      const options = { username: "u", password: "p", method: "GET", uri: "/" };
      await expect(computeDigestCredentials(challenge, options)).rejects.toSatisfy(
        (error) => isHTTPAuthError(error) && error.code === "unsupported-algorithm",
      );
      const qopChallenge: Challenge = { scheme: "digest", params: { realm: "r", nonce: "n", qop: key } };
      await expect(computeDigestCredentials(qopChallenge, options)).rejects.toSatisfy(
        (error) => isHTTPAuthError(error) && error.code === "unsupported-qop",
      );
    }
  });

  test("a challenge with special parameters is answered like one without them", async () => {
    const params: Record<string, string> = Object.create(null);
    for (const key of SPECIAL) params[key] = "x";
    const genuine = parseDigestCredentials(await answer("Mufasa", params));
    expect(genuine.username).toBe("Mufasa");
  });

  test("user names named like Object.prototype members verify, with the password looked up by the application", async () => {
    const passwords = new Map<string, string>(SPECIAL.map((key) => [key, `${key}-pw`]));
    for (const key of SPECIAL) {
      const challenge = await createDigestChallenge({ realm: "api", secret });
      const credentials = await computeDigestCredentials(challenge, {
        username: key,
        password: `${key}-pw`,
        method: "GET",
        uri: "/",
      });
      const result = await verifyDigestCredentials(serializeCredentials(credentials), {
        method: "GET",
        uri: "/",
        realm: "api",
        secret,
        nonceCounts: false,
        password: (username) => passwords.get(username),
        authenticationInfo: true,
      });
      expect(result.ok && result.username).toBe(key);
    }
  });

  test("Authentication-Info: special parameters are ignored, and an inherited rspauth does not count", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret });
    const credentials = await computeDigestCredentials(challenge, {
      username: "u",
      password: "pw",
      method: "GET",
      uri: "/",
    });
    const result = await verifyDigestCredentials(serializeCredentials(credentials), {
      method: "GET",
      uri: "/",
      realm: "api",
      secret,
      nonceCounts: false,
      password: () => "pw",
      authenticationInfo: true,
    });
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected Authentication-Info");
    const info = `__proto__="x", constructor=y, ${result.authenticationInfo}, toString=z, then=t`;
    await expect(verifyDigestAuthenticationInfo(info, credentials, { password: "pw" })).resolves.toBeUndefined();
    const inherited = Object.create(parseAuthParams(result.authenticationInfo)) as AuthParams;
    await expect(verifyDigestAuthenticationInfo(inherited, credentials, { password: "pw" })).rejects.toSatisfy(
      (error) => isHTTPAuthError(error) && error.code === "missing-parameter",
    );
  });
});

describe("the authenticator", () => {
  function request(headers: Record<string, string>, extra: Partial<AuthRequest> = {}): AuthRequest {
    const lower = new Map(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
    return { method: "POST", url: "/", header: (key) => lower.get(key.toLowerCase()), ...extra };
  }

  test("Basic and Digest user names named like Object.prototype members reach verify as they are", async () => {
    const seen: string[] = [];
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret, password: (username) => `${username}-pw` }),
        basicAuth({
          realm: "api",
          verify: (username, password) => {
            seen.push(username);
            return password === `${username}-pw` ? { username } : undefined;
          },
        }),
      ],
      throttle: { maxFailures: 3, window: 60, missingClientAddress: "count-by-identity" },
    });
    for (const key of SPECIAL) {
      const basic = await authenticator.authenticate(
        request({ Authorization: serializeBasicCredentials({ username: key, password: `${key}-pw` }) }),
      );
      expect(basic.ok && basic.identity).toEqual({ username: key });
      const wrong = await authenticator.authenticate(
        request({ Authorization: serializeBasicCredentials({ username: key, password: "wrong" }) }),
      );
      expect(!wrong.ok && wrong.status).toBe(401);
      const challenge = parseChallenges(
        (await authenticator.authenticate(request({}))).headers.find(
          ([header]) => header === "WWW-Authenticate",
        )?.[1] ?? "",
      )[0]!;
      const credentials = await computeDigestCredentials(challenge, {
        username: key,
        password: `${key}-pw`,
        method: "POST",
        uri: "/",
      });
      const digest = await authenticator.authenticate(request({ Authorization: serializeCredentials(credentials) }));
      expect(digest.ok && digest.identity).toBe(key);
    }
    expect(seen).toEqual(SPECIAL.flatMap((key) => [key, key]));
  });

  test("special names as the credentials' scheme are an unsupported scheme: 401 with every challenge", async () => {
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", verify: () => undefined })] });
    for (const key of SPECIAL) {
      const outcome = await authenticator.authenticate(request({ Authorization: `${key} abc` }));
      expect(!outcome.ok && [outcome.status, outcome.reason]).toEqual([401, "unsupported-scheme"]);
    }
  });

  test("Bearer tokens from a query or form with special field names are found, and only access_token counts", async () => {
    const tokens: string[] = [];
    const authenticator = createAuthenticator({
      schemes: [
        bearerAuth({
          realm: "api",
          sources: { body: true, query: true },
          verify: (token) => {
            tokens.push(token);
            return { identity: token };
          },
        }),
      ],
    });
    const special = SPECIAL.map((key) => `${encodeURIComponent(key)}=1`).join("&");
    const query = await authenticator.authenticate(request({}, { url: `/r?${special}&access_token=q` }));
    const form = await authenticator.authenticate(
      request(
        { "Content-Type": "application/x-www-form-urlencoded" },
        { body: async () => new TextEncoder().encode(`${special}&access_token=f`) },
      ),
    );
    const none = await authenticator.authenticate(request({}, { url: `/r?${special}` }));
    expect([query.ok, form.ok, none.ok]).toEqual([true, true, false]);
    expect(tokens).toEqual(["q", "f"]);
  });
});
