// Fuzzing every parser with random mutations of the conformance vectors
// (test/vectors/*.json) and random text: received input may be refused only
// with an HTTPAuthError that carries a known code and an index inside the
// input, never with another exception; whatever is accepted can be written
// back and read again to the same value. Random strings against the three
// grammar parsers alone are in src/grammar.test.ts; this file adds the
// scheme parsers, lintChallenges, the verifiers and the vector mutations.
//
// No test here is timed: a parser that went quadratic on some mutation would
// show as a test that runs into vitest's timeout, and in
// benchmarks/hostile-input.mjs, which measures ns per byte.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Challenge, Credentials, HTTPAuthError } from "../../src/index.ts";
import {
  computeDigestCredentials,
  createBasicChallenge,
  createDigestChallenge,
  isHTTPAuthError,
  lintChallenges,
  parseAuthParams,
  parseBasicCredentials,
  parseBearerCredentials,
  parseChallenges,
  parseCredentials,
  parseDigestCredentials,
  parseResourceChallenges,
  serializeAuthParams,
  serializeChallenge,
  serializeChallenges,
  serializeCredentials,
  verifyDigestAuthenticationInfo,
  verifyDigestCredentials,
} from "../../src/index.ts";
import { hasControl, hostileText, isKnownCode, mutatedVector, plain, receivedValue, seeds } from "./support.ts";

/** Runs `parse` and returns what it gave or the HTTPAuthError it threw; any other exception fails the test. */
function attempt<T>(parse: () => T, input: string): { value: T } | { error: HTTPAuthError } {
  try {
    return { value: parse() };
  } catch (error) {
    if (!isHTTPAuthError(error)) {
      throw new Error(`expected an HTTPAuthError for ${JSON.stringify(input)}, got ${String(error)}`, { cause: error });
    }
    expect(isKnownCode(error.code), error.code).toBe(true);
    // -1 where no position applies (a scheme-level check after parsing); otherwise inside the input.
    expect(error.index).toBeGreaterThanOrEqual(-1);
    expect(error.index).toBeLessThanOrEqual(input.length);
    expect(error.name).toBe("HTTPAuthError");
    expect(typeof error.message).toBe("string");
    return { error };
  }
}

/** Two field lines made of one value; error indexes count in the lines joined by ", " (RFC 9110 §5.3). */
function twoLines(value: string): [string, string] {
  return [value, value.slice(0, value.length >> 1)];
}

/** Every synchronous parser of received input, each given the same value. */
const PARSERS: readonly [string, (value: string) => unknown][] = [
  ["parseChallenges", (value) => parseChallenges(value)],
  ["parseChallenges (two lines)", (value) => parseChallenges(twoLines(value))],
  ["parseCredentials", (value) => parseCredentials(value)],
  ["parseAuthParams", (value) => parseAuthParams(value)],
  ["parseBasicCredentials", (value) => parseBasicCredentials(value)],
  ["parseBasicCredentials (no Latin-1)", (value) => parseBasicCredentials(value, { latin1Fallback: false })],
  ["parseBearerCredentials", (value) => parseBearerCredentials(value)],
  ["parseDigestCredentials", (value) => parseDigestCredentials(value)],
  ["parseChallenges (maxLength 64)", (value) => parseChallenges(value, { maxLength: 64 })],
  ["parseResourceChallenges", (value) => parseResourceChallenges(value)],
  [
    "parseResourceChallenges skipping malformed (two lines)",
    (value) => parseResourceChallenges(twoLines(value), { skipMalformedLines: true }),
  ],
];

describe("every parser on mutated vectors and random text", () => {
  test("the vectors give at least a hundred seeds", () => {
    expect(seeds.length).toBeGreaterThan(100);
  });

  test("parsers return or throw an HTTPAuthError with a known code and an index inside the input", () => {
    fc.assert(
      fc.property(receivedValue, (value) => {
        for (const [name, parse] of PARSERS) {
          attempt(() => parse(value), name.endsWith("(two lines)") ? twoLines(value).join(", ") : value);
        }
      }),
      { numRuns: 3000 },
    );
    // About 2 s alone; 30 s leaves room for a machine shared with other test runs.
  }, 30_000);

  test("lintChallenges() never throws for any line, and every finding names a known rule", () => {
    fc.assert(
      fc.property(fc.array(receivedValue, { minLength: 1, maxLength: 3 }), (lines) => {
        for (const finding of lintChallenges(lines, { status: 401, requestHadCredentials: false })) {
          expect(typeof finding.rule).toBe("string");
          expect(["error", "warning"]).toContain(finding.severity);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("parseBasicCredentials(), parseBearerCredentials() and parseDigestCredentials() accept a string exactly when they accept it parsed first", () => {
    const schemeParsers: readonly ((value: string | Credentials) => unknown)[] = [
      parseBasicCredentials,
      parseBearerCredentials,
      parseDigestCredentials,
    ];
    fc.assert(
      fc.property(mutatedVector, (value) => {
        const parsed = attempt(() => parseCredentials(value), value);
        if (!("value" in parsed)) return;
        for (const parse of schemeParsers) {
          const fromString = attempt(() => parse(value), value);
          const fromObject = attempt(() => parse(parsed.value), value);
          // The same acceptance and the same value; the codes of a refusal may differ, since
          // the object has lost the positions ("Bearer, a=b": a missing space, or parameters).
          if ("value" in fromString) expect(fromObject).toEqual(fromString);
          else expect("error" in fromObject).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("the default size cap holds for a vector grown past 8192 characters", () => {
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.integer({ min: 8193, max: 40_000 }), (seed, length) => {
        const grown = seed.length === 0 ? "a".repeat(length) : seed.repeat(Math.ceil(length / seed.length));
        for (const [name, parse] of PARSERS) {
          if (name.includes("maxLength")) continue;
          const result = attempt(() => parse(grown), name.endsWith("(two lines)") ? twoLines(grown).join(", ") : grown);
          expect("error" in result && result.error.code, name).toBe("field-too-large");
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("what parses can be written back", () => {
  test("a challenge list parsed from a mutated vector serializes to a value that parses the same", () => {
    let written = 0;
    fc.assert(
      fc.property(receivedValue, (value) => {
        const parsed = attempt(() => parseChallenges(value), value);
        if (!("value" in parsed) || parsed.value.length === 0) return;
        let serialized: string;
        try {
          serialized = serializeChallenges(parsed.value);
        } catch (error) {
          // A registered scheme's rule (Basic without realm, a Bearer error outside RFC 6750 §3.1, …).
          expect(error).toBeInstanceOf(TypeError);
          return;
        }
        written++;
        expect(plain(parseChallenges(serialized))).toEqual(plain(parsed.value));
        expect(plain(parseChallenges(parsed.value.map(serializeChallenge)))).toEqual(plain(parsed.value));
      }),
      { numRuns: 3000 },
    );
    expect(written).toBeGreaterThan(100);
  });

  test("credentials parsed from a mutated vector serialize to a value that parses the same", () => {
    fc.assert(
      fc.property(receivedValue, (value) => {
        const parsed = attempt(() => parseCredentials(value), value);
        if (!("value" in parsed)) return;
        let serialized: string;
        try {
          serialized = serializeCredentials(parsed.value);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          return;
        }
        expect(plain(parseCredentials(serialized))).toEqual(plain(parsed.value));
      }),
      { numRuns: 2000 },
    );
  });

  test("auth-params parsed from a mutated vector always serialize, and parse back the same", () => {
    fc.assert(
      fc.property(receivedValue, (value) => {
        const parsed = attempt(() => parseAuthParams(value), value);
        if (!("value" in parsed)) return;
        // A received quoted-string may hold C1 octets (obs-text, RFC 9110 §5.6.4), which
        // httpauth never writes (issue 13): only such a value may be refused, with a TypeError.
        if (Object.values(parsed.value).some((text) => /[\u0080-\u009f]/.test(text))) {
          expect(() => serializeAuthParams(parsed.value)).toThrow(TypeError);
          return;
        }
        expect(plain(parseAuthParams(serializeAuthParams(parsed.value)))).toEqual(plain(parsed.value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("the verifiers on hostile input", () => {
  const secret = "a server secret of at least sixteen bytes";

  test("verifyDigestCredentials() never throws for mutated vectors: malformed comes with an HTTPAuthError", async () => {
    await fc.assert(
      fc.asyncProperty(receivedValue, async (value) => {
        const result = await verifyDigestCredentials(value, {
          method: "GET",
          uri: "/dir/index.html",
          realm: "http-auth@example.org",
          secret,
          algorithms: ["MD5", "SHA-256", "SHA-512-256", "MD5-sess", "SHA-256-sess", "SHA-512-256-sess"],
          qop: ["auth", "auth-int"],
          nonceCounts: false,
          allowRFC2069: true,
          password: () => "Circle of Life",
        });
        expect(result.ok).toBe(false);
        if (!result.ok && result.reason === "malformed") {
          expect(isHTTPAuthError(result.error)).toBe(true);
          expect(isKnownCode(result.error?.code)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("verifyDigestAuthenticationInfo() refuses a mutated Authentication-Info only with an HTTPAuthError", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret, qop: ["auth", "auth-int"] });
    const credentials = await computeDigestCredentials(challenge, {
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/",
    });
    const verified = await verifyDigestCredentials(credentials, {
      method: "GET",
      uri: "/",
      realm: "api",
      secret,
      nonceCounts: false,
      password: () => "Circle of Life",
      authenticationInfo: { nextnonce: true },
    });
    if (!verified.ok || verified.authenticationInfo === undefined) throw new Error("expected Authentication-Info");
    const genuine = verified.authenticationInfo;
    const infoValue = fc.oneof(
      receivedValue,
      fc
        .tuple(
          fc.nat({ max: genuine.length }),
          fc.constantFrom('"', "\\", ",", "=", "0", "\r\n", "\u0100", "__proto__=x,"),
        )
        .map(([at, text]) => genuine.slice(0, at) + text + genuine.slice(at)),
    );
    await fc.assert(
      fc.asyncProperty(infoValue, async (value) => {
        try {
          await verifyDigestAuthenticationInfo(value, credentials, { password: "Circle of Life" });
        } catch (error) {
          if (!isHTTPAuthError(error)) throw error;
          expect(isKnownCode(error.code)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe("structured values of the registered schemes round-trip", () => {
  /**
   * What httpauth writes in a quoted-string: HTAB, SP, visible ASCII with
   * quotes and backslashes, obs-text without the C1 controls (U+00A0–U+00FF).
   */
  const fieldText = fc.string({
    unit: fc.oneof(
      fc.constantFrom("\t", " ", '"', "\\", ",", "=", "\u00e9", "\u00a0", "\u00ff"),
      fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
      fc.integer({ min: 0xa0, max: 0xff }).map((code) => String.fromCharCode(code)),
    ),
    minLength: 1,
    maxLength: 30,
  });
  const realm = fieldText.filter((text) => text.trim() !== "");
  /**
   * A user name or password: any text without control characters, U+2028/U+2029
   * or lone surrogates (the client refuses those in a user name).
   */
  const userText = fc
    .string({ unit: "grapheme", maxLength: 16 })
    .filter((text) => !hasControl(text) && !/[\u2028\u2029]/.test(text));
  const secret = "a server secret of at least sixteen bytes";

  test("createBasicChallenge() with any realm serializes to a challenge that parses to the same realm", () => {
    fc.assert(
      fc.property(realm, fc.boolean(), (text, charset) => {
        const challenge = createBasicChallenge(charset ? { realm: text, charset: "UTF-8" } : { realm: text });
        expect(plain(parseChallenges(serializeChallenge(challenge)))).toEqual([plain(challenge)]);
      }),
      { numRuns: 500 },
    );
  });

  test("createDigestChallenge() with any realm, opaque and domain parses back to the same parameters", async () => {
    const uriText = fc.string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
      minLength: 1,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        realm,
        fieldText,
        fc.array(
          uriText.map((path) => `/${path}`),
          { maxLength: 3 },
        ),
        fc.constantFrom("MD5", "SHA-256", "SHA-512-256-sess" as const),
        fc.boolean(),
        async (realmText, opaque, domain, algorithm, stale) => {
          let challenge: Challenge;
          try {
            challenge = await createDigestChallenge({ realm: realmText, secret, opaque, domain, algorithm, stale });
          } catch (error) {
            // A domain URI with a character a URI cannot hold is refused with a TypeError.
            expect(error).toBeInstanceOf(TypeError);
            return;
          }
          expect(plain(parseChallenges(serializeChallenge(challenge)))).toEqual([plain(challenge)]);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("any user name, password and realm: the client's credentials parse back and the server accepts them", async () => {
    const uri = fc
      .string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 20 })
      .map((path) => `/${path}`);
    await fc.assert(
      fc.asyncProperty(
        userText,
        userText,
        realm,
        uri,
        fc.constantFrom("MD5", "SHA-256", "SHA-512-256", "SHA-256-sess" as const),
        async (username, password, realmText, target, algorithm) => {
          const challenge = await createDigestChallenge({ realm: realmText, secret, algorithm, qop: ["auth"] });
          const credentials = await computeDigestCredentials(parseChallenges(serializeChallenge(challenge))[0]!, {
            username,
            password,
            method: "PUT",
            uri: target,
          });
          const written = serializeCredentials(credentials);
          const parsed = parseDigestCredentials(written);
          expect([parsed.username, parsed.realm, parsed.uri, parsed.algorithm]).toEqual([
            username,
            realmText,
            target,
            algorithm,
          ]);
          const result = await verifyDigestCredentials(written, {
            method: "PUT",
            uri: target,
            realm: realmText,
            secret,
            algorithms: [algorithm],
            nonceCounts: false,
            password: (name) => (name === username ? password : undefined),
          });
          expect(result).toEqual({ ok: true, username, algorithm, qop: "auth" });
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("random text against the scheme parsers", () => {
  test("parseBasicCredentials(), parseBearerCredentials() and parseDigestCredentials() refuse random text only with HTTPAuthError", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          hostileText,
          hostileText.map((text) => `Basic ${text}`),
          hostileText.map((text) => `Bearer ${text}`),
          hostileText.map((text) => `Digest ${text}`),
        ),
        (value) => {
          attempt(() => parseBasicCredentials(value), value);
          attempt(() => parseBearerCredentials(value), value);
          attempt(() => parseDigestCredentials(value), value);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
