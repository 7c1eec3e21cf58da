// Size caps: every parser of a received field takes `maxLength` (8192 by
// default) and refuses a longer value with its own code, `field-too-large`,
// before scanning any of it — a value that would fail on its first character
// still fails for its size. A value of exactly `maxLength` is scanned.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import {
  basicAuth,
  bearerAuth,
  createAuthenticator,
  DEFAULT_MAX_LENGTH,
  digestAuth,
  isHTTPAuthError,
  lintChallenges,
  parseAuthParams,
  parseBasicCredentials,
  parseBearerCredentials,
  parseChallenges,
  parseCredentials,
  parseDigestCredentials,
  verifyDigestCredentials,
} from "../../src/index.ts";

/** The code a parse throws, or "ok". */
function codeOf(parse: () => unknown): string {
  try {
    parse();
    return "ok";
  } catch (error) {
    if (!isHTTPAuthError(error)) throw error;
    return error.code;
  }
}

/** The options for a cap, or none (the default cap). */
function capped(maxLength: number | undefined): { maxLength: number } | undefined {
  return maxLength === undefined ? undefined : { maxLength };
}

const PARSERS: readonly [string, (value: string, maxLength?: number) => unknown][] = [
  ["parseChallenges", (value, maxLength) => parseChallenges(value, capped(maxLength))],
  ["parseCredentials", (value, maxLength) => parseCredentials(value, capped(maxLength))],
  ["parseAuthParams", (value, maxLength) => parseAuthParams(value, capped(maxLength))],
  ["parseBasicCredentials", (value, maxLength) => parseBasicCredentials(value, capped(maxLength))],
  ["parseBearerCredentials", (value, maxLength) => parseBearerCredentials(value, capped(maxLength))],
  ["parseDigestCredentials", (value, maxLength) => parseDigestCredentials(value, capped(maxLength))],
];

/** Values of a given length, valid and invalid from their first character on. */
function valueOfLength(kind: number, length: number): string {
  const fill = (head: string, unit: string) => (head + unit.repeat(length)).slice(0, length);
  switch (kind % 5) {
    case 0:
      return fill("Basic ", "QUFB");
    case 1:
      return fill("Bearer ", "a");
    case 2:
      return fill('Digest username="', "x");
    case 3:
      return fill("\u0000", "a");
    default:
      return fill("\u2603", "=");
  }
}

describe("every parser refuses a value over maxLength with field-too-large, before scanning it", () => {
  test("one character over the cap is field-too-large at index maxLength; at the cap it is scanned", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.nat(), (maxLength, kind) => {
        const over = valueOfLength(kind, maxLength + 1);
        const at = valueOfLength(kind, maxLength);
        for (const [name, parse] of PARSERS) {
          let error: unknown;
          try {
            parse(over, maxLength);
          } catch (caught) {
            error = caught;
          }
          expect(isHTTPAuthError(error) && [error.code, error.index], name).toEqual(["field-too-large", maxLength]);
          expect(
            codeOf(() => parse(at, maxLength)),
            name,
          ).not.toBe("field-too-large");
        }
        // Several field lines are capped joined, as they are parsed.
        const half = Math.ceil(maxLength / 2);
        expect(codeOf(() => parseChallenges([at.slice(0, half), at.slice(0, half)], { maxLength }))).toBe(
          "field-too-large",
        );
      }),
      { numRuns: 300 },
    );
  });

  test("the default cap is 8192 characters for every parser, lintChallenges included", () => {
    const over = `Bearer ${"A".repeat(DEFAULT_MAX_LENGTH)}`;
    for (const [name, parse] of PARSERS)
      expect(
        codeOf(() => parse(over)),
        name,
      ).toBe("field-too-large");
    expect(lintChallenges([over]).map((finding) => finding.rule)).toContain("unparsable-challenge");
    expect(lintChallenges([over])[0]?.message).toContain("field-too-large");
  });

  test("verifyDigestCredentials() and the authenticator pass maxLength on: malformed, with field-too-large", async () => {
    const secret = "a server secret of at least sixteen bytes";
    const value = `Digest username="${"x".repeat(200)}"`;
    const verification = await verifyDigestCredentials(value, {
      method: "GET",
      uri: "/",
      realm: "api",
      secret,
      nonceCounts: false,
      password: () => "pw",
      maxLength: 100,
    });
    expect(!verification.ok && [verification.reason, verification.error?.code]).toEqual([
      "malformed",
      "field-too-large",
    ]);

    let verified = 0;
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: () => {
            verified++;
            return undefined;
          },
        }),
        bearerAuth({
          realm: "api",
          verify: () => {
            verified++;
            return undefined;
          },
        }),
        digestAuth({ realm: "api", secret, password: () => "pw" }),
      ],
      maxLength: 100,
    });
    const statuses: number[] = [];
    for (const header of [`Basic ${"QUFB".repeat(30)}`, `Bearer ${"a".repeat(120)}`, value]) {
      const outcome = await authenticator.authenticate({ method: "GET", url: "/", header: () => header });
      statuses.push(outcome.ok ? 200 : outcome.status);
    }
    expect(statuses).toEqual([401, 400, 401]);
    expect(verified).toBe(0);
  });
});
