import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { HTTPAuthError } from "../errors.ts";
import { parseChallenges, parseCredentials, serializeChallenge, serializeCredentials } from "../index.ts";
import { BEARER_ERROR_STATUS, createBearerChallenge, parseBearerCredentials } from "./bearer.ts";

function failure(run: () => unknown): [string | undefined, number | undefined] {
  try {
    run();
  } catch (error) {
    return [(error as HTTPAuthError).code, (error as HTTPAuthError).index];
  }
  return [undefined, undefined];
}

describe("createBearerChallenge()", () => {
  test("createBearerChallenge() with no options is a bare Bearer challenge", () => {
    expect(serializeChallenge(createBearerChallenge())).toBe("Bearer");
  });

  test("createBearerChallenge() writes RFC 6750 §3's example", () => {
    const challenge = createBearerChallenge({
      realm: "example",
      error: "invalid_token",
      errorDescription: "The access token expired",
    });
    expect(serializeChallenge(challenge)).toBe(
      'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
    );
  });

  test("createBearerChallenge() joins a scope list with spaces", () => {
    const challenge = createBearerChallenge({
      realm: "api",
      scope: ["read", "write:all"],
      error: "insufficient_scope",
    });
    expect(serializeChallenge(challenge)).toBe(
      'Bearer realm="api", scope="read write:all", error="insufficient_scope"',
    );
    expect(challenge.params.scope).toBe("read write:all");
  });

  test("createBearerChallenge() refuses values outside RFC 6750 §3's character sets", () => {
    const bad: Record<string, unknown>[] = [
      { error: "expired" },
      { error: "INVALID_TOKEN" },
      { scope: 'a"b' },
      { scope: "a\\b" },
      { scope: "a  b" },
      { scope: " a" },
      { scope: "" },
      { scope: [] },
      { scope: ["a b"] },
      { scope: ["ok", 1] },
      { scope: "caf\u00e9" },
      { errorDescription: 'a "quote"' },
      { errorDescription: "back\\slash" },
      { errorDescription: "tab\there" },
      { errorDescription: "line\nbreak" },
      { errorUri: "https://example.com/a b" },
      { errorUri: "" },
      { errorUri: 'https://example.com/"' },
      { realm: "a\r\nb" },
      { realm: 1 },
    ];
    for (const options of bad) {
      expect(() => createBearerChallenge(options), JSON.stringify(options)).toThrow(TypeError);
    }
  });

  test("createBearerChallenge() output parses back to the same parameters", () => {
    const nq = fc.string({
      unit: fc
        .integer({ min: 0x21, max: 0x7e })
        .filter((code) => code !== 0x22 && code !== 0x5c)
        .map((code) => String.fromCharCode(code)),
      minLength: 1,
      maxLength: 10,
    });
    fc.assert(
      fc.property(
        fc.array(nq, { minLength: 1, maxLength: 4 }),
        fc.constantFrom("invalid_request", "invalid_token", "insufficient_scope") as fc.Arbitrary<
          "invalid_request" | "invalid_token" | "insufficient_scope"
        >,
        nq,
        (scope, error, uri) => {
          const challenge = createBearerChallenge({
            realm: "r",
            scope,
            error,
            errorUri: uri,
            errorDescription: `d ${uri}`,
          });
          const [parsed] = parseChallenges(serializeChallenge(challenge));
          expect({ ...parsed?.params }).toEqual({ ...challenge.params });
        },
      ),
    );
  });
});

describe("BEARER_ERROR_STATUS", () => {
  test("BEARER_ERROR_STATUS maps RFC 6750 §3.1's errors to 400, 401 and 403, and RFC 9470's to 401", () => {
    expect(BEARER_ERROR_STATUS).toEqual({
      invalid_request: 400,
      invalid_token: 401,
      insufficient_scope: 403,
      insufficient_user_authentication: 401,
    });
    expect(Object.isFrozen(BEARER_ERROR_STATUS)).toBe(true);
  });
});

describe("parseBearerCredentials()", () => {
  test("parseBearerCredentials() reads RFC 6750 §2.1's example, any scheme case", () => {
    expect(parseBearerCredentials("Bearer mF_9.B5f-4.1JqM")).toEqual({ token: "mF_9.B5f-4.1JqM" });
    expect(parseBearerCredentials("bearer   abc+/~_-.==  ")).toEqual({ token: "abc+/~_-.==" });
  });

  test("parseBearerCredentials() reads a 600-byte JWT", () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.${"eyJzdWIiOiIxMjM0NTY3ODkwIn0".repeat(20)}.${"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"}`;
    expect(parseBearerCredentials(`Bearer ${jwt}`).token).toBe(jwt);
  });

  test("parseBearerCredentials() gives wrong scheme, no token and bad characters distinct codes", () => {
    const cases: [string, string, number][] = [
      ["Basic abc", "wrong-scheme", 0],
      ["Bearer", "missing-token", 6],
      ["Bearer  ", "missing-token", 8],
      ["", "expected-scheme", 0],
      ["Bearer a,b", "invalid-token68", 8],
      ["Bearer a b", "invalid-token68", 8],
      ['Bearer "abc"', "invalid-token68", 7],
      ["Bearer =abc", "invalid-token68", 7],
      ["Bearer abc=d", "invalid-token68", 11],
      ["Bearer a=b, c=d", "invalid-token68", 9],
      ["Bearer abc!", "invalid-token68", 10],
      ["Bearer abc\r\nX: y", "control-character", 10],
      ["Bearer abc\u00e9", "invalid-token68", 10],
      ["Bearer abc\u2603", "non-latin1-character", 10],
      ["Bearer\tabc", "unexpected-character", 6],
      [`Bearer ${"a".repeat(9000)}`, "field-too-large", 8192],
    ];
    for (const [input, code, index] of cases) {
      expect([input.slice(0, 20), ...failure(() => parseBearerCredentials(input))]).toEqual([
        input.slice(0, 20),
        code,
        index,
      ]);
    }
  });

  test("parseBearerCredentials() accepts credentials parsed by parseCredentials()", () => {
    expect(parseBearerCredentials(parseCredentials("Bearer abc=="))).toEqual({ token: "abc==" });
    expect(failure(() => parseBearerCredentials(parseCredentials("Basic abc")))[0]).toBe("wrong-scheme");
    expect(failure(() => parseBearerCredentials(parseCredentials("Bearer")))[0]).toBe("missing-token");
    expect(failure(() => parseBearerCredentials(parseCredentials("Bearer a=b")))[0]).toBe("invalid-token68");
  });

  test("parseBearerCredentials() round-trips every b64token", () => {
    const token = fc
      .tuple(
        fc.string({
          unit: fc.constantFrom(..."ABCXYZabcxyz0189-._~+/"),
          minLength: 1,
          maxLength: 50,
        }),
        fc.nat(3),
      )
      .map(([body, padding]) => body + "=".repeat(padding));
    fc.assert(
      fc.property(token, (value) => {
        const header = serializeCredentials({ scheme: "bearer", token68: value, params: {} });
        expect(parseBearerCredentials(header)).toEqual({ token: value });
      }),
    );
  });

  test("parseBearerCredentials() messages never contain the token", () => {
    const secret = "tok3n-MARKER";
    for (const input of [`Bearer ${secret}!`, `Bearer ${secret} x`, `Bearer ${secret}\n`, `Token ${secret}`]) {
      try {
        parseBearerCredentials(input);
        expect.unreachable(input);
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });
});
