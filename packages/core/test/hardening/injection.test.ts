// Header injection: no input to any create*/serialize* function, to
// computeDigestCredentials, to verifyDigestCredentials' Authentication-Info or
// to the authenticator's configuration and requests can put CR, LF, NUL,
// another control character or a character above U+00FF into anything
// httpauth writes into a header. Bad input is refused with a TypeError or a
// RangeError (an HTTPAuthError for a received challenge the client cannot
// answer), before anything is written. src/grammar.test.ts checks the three
// generic serializers on random names and values; this file covers every
// other path. The runtime packages' response paths have their own tests
// (packages/*/test/hardening.test.ts and the runtime suites).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { AuthOutcome, AuthRequest, Challenge, DigestAlgorithm, HeaderLine } from "../../src/index.ts";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  createBasicChallenge,
  createBearerChallenge,
  createDigestChallenge,
  digestAuth,
  isHTTPAuthError,
  parseAuthParams,
  parseChallenges,
  serializeAuthParams,
  serializeBasicCredentials,
  serializeChallenge,
  serializeChallenges,
  serializeCredentials,
  verifyDigestCredentials,
} from "../../src/index.ts";
import { findUnsafeCharacter, hostileText, SNIPPETS } from "./support.ts";

/** Strings aimed at a header: response splitting, controls, characters above U+00FF, and ordinary text. */
const hostile: fc.Arbitrary<string> = fc.oneof(
  hostileText,
  fc.constantFrom(
    "x\r\nSet-Cookie: session=stolen",
    "x\nLocation: https://evil.example/",
    "x\rX-Injected: 1",
    "api\u0000",
    "\u000d\u000a",
    "realm\u2028",
    "\u0130",
    "\ud800",
    "ok",
    "api",
  ),
  fc.string({ unit: fc.constantFrom(...SNIPPETS), maxLength: 6 }),
);

/** A token-ish name, or a hostile one. */
const name: fc.Arbitrary<string> = fc.oneof(fc.constantFrom("realm", "a", "Newauth", "nonce", "x-y"), hostile);

/** Fails unless `value` can go into a header as it is. */
function expectSafe(value: string, where: string): void {
  expect(typeof value, where).toBe("string");
  expect(findUnsafeCharacter(value), `${where}: ${JSON.stringify(value)}`).toBe(-1);
}

/** Fails unless every header line has a token name and a safe value. */
function expectSafeLines(lines: readonly HeaderLine[], where: string): void {
  for (const [lineName, value] of lines) {
    expect(lineName, where).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
    expectSafe(value, `${where}: ${lineName}`);
  }
}

/**
 * Runs `write`: what it returns must be safe to send; what it throws must be a
 * TypeError or RangeError (or an HTTPAuthError, where `received` allows it:
 * the input was a received challenge).
 */
async function written(write: () => unknown, where: string, received = false): Promise<void> {
  let value: unknown;
  try {
    value = await write();
  } catch (error) {
    const allowed = error instanceof TypeError || error instanceof RangeError || (received && isHTTPAuthError(error));
    if (!allowed) throw error;
    return;
  }
  if (typeof value === "string") expectSafe(value, where);
}

describe("no CR or LF from any serializer or creator", () => {
  test("createBasicChallenge(), createBearerChallenge() and createDigestChallenge() refuse or write safe values", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        hostile,
        hostile,
        fc.array(hostile, { maxLength: 2 }),
        async (a, b, c, d, list) => {
          await written(() => serializeChallenge(createBasicChallenge({ realm: a })), "Basic");
          await written(
            () => serializeChallenge(createBasicChallenge({ realm: a, charset: b as "UTF-8" })),
            "Basic charset",
          );
          await written(
            () =>
              serializeChallenge(
                createBearerChallenge({
                  realm: a,
                  scope: list.length > 0 ? list : b,
                  error: c as "invalid_token",
                  errorDescription: d,
                  errorUri: b,
                }),
              ),
            "Bearer",
          );
          await written(() => serializeChallenge(createBearerChallenge({ realm: a, errorDescription: d })), "Bearer");
          await written(
            async () =>
              serializeChallenge(
                await createDigestChallenge({
                  realm: a,
                  secret: "a server secret of at least sixteen bytes",
                  opaque: b,
                  domain: list,
                  algorithm: c as DigestAlgorithm,
                }),
              ),
            "Digest",
          );
          await written(
            async () =>
              serializeChallenge(
                await createDigestChallenge({
                  realm: a,
                  secret: "a server secret of at least sixteen bytes",
                  opaque: b,
                }),
              ),
            "Digest opaque",
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  test("serializeChallenge(s), serializeCredentials() and serializeAuthParams() refuse or write safe values for every scheme", async () => {
    const scheme = fc.oneof(fc.constantFrom("basic", "bearer", "digest", "newauth", "Negotiate"), hostile);
    await fc.assert(
      fc.asyncProperty(scheme, name, hostile, hostile, fc.boolean(), async (schemeName, key, value, other, asToken) => {
        const params: Record<string, string> = Object.create(null);
        params[key] = value;
        params.realm = other;
        const element: Challenge = asToken
          ? { scheme: schemeName, token68: value, params: {} }
          : { scheme: schemeName, params };
        await written(() => serializeChallenge(element), "serializeChallenge");
        await written(
          () => serializeChallenges([element, { scheme: "newauth", params: { a: other } }]),
          "serializeChallenges",
        );
        await written(() => serializeCredentials(element), "serializeCredentials");
        await written(() => serializeAuthParams(params), "serializeAuthParams");
      }),
      { numRuns: 1000 },
    );
  });

  test("serializeBasicCredentials() refuses or writes a safe value", async () => {
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (username, password) => {
        await written(() => serializeBasicCredentials({ username, password }), "serializeBasicCredentials");
      }),
      { numRuns: 1000 },
    );
  });

  test("computeDigestCredentials() with a hostile challenge and hostile options refuses or writes safe credentials", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        hostile,
        fc.record({
          username: hostile,
          password: hostile,
          method: fc.oneof(fc.constant("GET"), hostile),
          uri: hostile,
        }),
        fc.option(hostile, { nil: undefined }),
        async (realm, nonce, opaque, options, cnonce) => {
          const challenge: Challenge = {
            scheme: "digest",
            params: { realm, nonce, opaque, qop: "auth", algorithm: "SHA-256" },
          };
          await written(
            async () =>
              serializeCredentials(
                await computeDigestCredentials(challenge, cnonce === undefined ? options : { ...options, cnonce }),
              ),
            "computeDigestCredentials",
            true,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  test("Authentication-Info echoes a hostile cnonce escaped, and it parses back to the same value", async () => {
    const secret = "a server secret of at least sixteen bytes";
    // What a quoted-string may carry, quotes and backslashes included: a cnonce the grammar lets through.
    const quotable = fc.string({
      unit: fc.oneof(
        fc.constantFrom('"', "\\", ",", "=", " ", "\t", "\u00ff"),
        fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
      ),
      minLength: 1,
      maxLength: 24,
    });
    await fc.assert(
      fc.asyncProperty(quotable, async (cnonce) => {
        const challenge = await createDigestChallenge({ realm: "api", secret });
        const credentials = await computeDigestCredentials(challenge, {
          username: "Mufasa",
          password: "Circle of Life",
          method: "GET",
          uri: "/",
          cnonce,
        });
        const result = await verifyDigestCredentials(serializeCredentials(credentials), {
          method: "GET",
          uri: "/",
          realm: "api",
          secret,
          nonceCounts: false,
          password: () => "Circle of Life",
          authenticationInfo: { nextnonce: true },
        });
        if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected Authentication-Info");
        expectSafe(result.authenticationInfo, "Authentication-Info");
        expect(parseAuthParams(result.authenticationInfo).cnonce).toBe(cnonce);
      }),
      { numRuns: 200 },
    );
  });
});

describe("no CR or LF from the authenticator", () => {
  const secret = "a server secret of at least sixteen bytes";

  function request(authorization: string | undefined, extra: Partial<AuthRequest> = {}): AuthRequest {
    return {
      method: "GET",
      url: "/",
      header: (header) => (header.toLowerCase() === "authorization" ? authorization : undefined),
      ...extra,
    };
  }

  /** Every header line of an outcome must be safe. */
  function expectSafeOutcome(outcome: AuthOutcome<unknown>, where: string): void {
    expectSafeLines(outcome.headers, where);
    if (!outcome.ok) expect(typeof outcome.body).toBe("string");
  }

  test("a hostile configuration is refused at start-up or on the first request, never written", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        fc.array(hostile, { maxLength: 2 }),
        fc.array(hostile, { maxLength: 2 }),
        async (realm, opaque, scopes, domain) => {
          const configurations: (() => ReturnType<typeof createAuthenticator>)[] = [
            () => createAuthenticator({ schemes: [basicAuth({ realm, verify: () => undefined })] }),
            () => createAuthenticator({ schemes: [bearerAuth({ realm, scopes, verify: () => undefined })] }),
            () =>
              createAuthenticator({
                schemes: [digestAuth({ realm, secret, opaque, domain, password: () => undefined })],
                proxy: true,
              }),
          ];
          for (const configure of configurations) {
            let authenticator: ReturnType<typeof createAuthenticator>;
            try {
              authenticator = configure();
            } catch (error) {
              expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
              continue;
            }
            for (const authorization of [undefined, "Basic dTpw", "Bearer t0k3n", 'Digest username="u"']) {
              let outcome: AuthOutcome<unknown>;
              try {
                outcome = await authenticator.authenticate(request(authorization));
              } catch (error) {
                // digestAuth() checks realm, opaque and domain only when the first challenge is written.
                expect(error).toBeInstanceOf(TypeError);
                continue;
              }
              expectSafeOutcome(outcome, `realm ${JSON.stringify(realm)}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test("hostile credentials never reach a response header", async () => {
    const users = new Map([["Mufasa", "Circle of Life"]]);
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret, password: (username) => users.get(username) }),
        basicAuth({ realm: "api", verify: (username, password) => users.get(username) === password || undefined }),
        bearerAuth({
          realm: "api",
          scopes: ["read"],
          verify: (token) => (token === "t" ? { identity: 1 } : undefined),
        }),
      ],
      throttle: { maxFailures: 1000, window: 60, missingClientAddress: "count-by-identity" },
    });
    await fc.assert(
      fc.asyncProperty(hostile, hostile, async (value, other) => {
        for (const authorization of [
          value,
          `Basic ${value}`,
          `Bearer ${value}`,
          `Digest ${value}`,
          `Digest username="${value}", ${other}`,
        ]) {
          expectSafeOutcome(
            await authenticator.authenticate(request(authorization, { clientAddress: other })),
            JSON.stringify(authorization),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  test("a genuine Digest request with a hostile cnonce gets a safe Authentication-Info line", async () => {
    const authenticator = createAuthenticator({
      schemes: [digestAuth({ realm: "api", secret, password: () => "Circle of Life" })],
    });
    const first = await authenticator.authenticate(request(undefined));
    if (first.ok) throw new Error("expected a challenge");
    const line = first.headers.find(([header]) => header === "WWW-Authenticate")?.[1] ?? "";
    const challenge = parseChallenges(line)[0]!;
    for (const cnonce of ['a"b', "a\\b", 'x", nextnonce="evil', "\u00ff\u00e9"]) {
      const credentials = await computeDigestCredentials(challenge, {
        username: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/",
        cnonce,
      });
      const outcome = await authenticator.authenticate(request(serializeCredentials(credentials)));
      expect(outcome.ok).toBe(true);
      expectSafeOutcome(outcome, cnonce);
      const info = outcome.headers.find(([header]) => header === "Authentication-Info")?.[1] ?? "";
      expect(parseAuthParams(info).cnonce).toBe(cnonce);
      expect(parseAuthParams(info).nextnonce).toBeUndefined();
    }
  });
});
