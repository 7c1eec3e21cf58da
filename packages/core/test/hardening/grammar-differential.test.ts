// parseChallenges() and parseCredentials() against an independent reading of
// the RFC 9110 §11 ABNF (abnf-reference.ts, no code shared with src/grammar/),
// over tens of thousands of generated values: both accept or both refuse,
// and where both accept they read the same schemes, token68s and parameters.
// This is the test that found `Basic, realm="foo"` parsed as one challenge
// (RFC 9110 §11.3: without SP after the scheme, `Basic` is the whole challenge).

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Challenge } from "../../src/index.ts";
import { isHTTPAuthError, parseChallenges, parseCredentials } from "../../src/index.ts";
import type { ReferenceElement } from "./abnf-reference.ts";
import { referenceChallenges, referenceCredentials } from "./abnf-reference.ts";

function plain(element: Challenge): ReferenceElement {
  const result: ReferenceElement = { scheme: element.scheme, params: Object.entries(element.params) };
  if (element.token68 !== undefined) result.token68 = element.token68;
  return result;
}

function attempt<T>(parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (isHTTPAuthError(error)) return undefined;
    throw error;
  }
}

// Pieces of near-grammatical text: schemes, names, separators, quotes, escapes,
// token68 characters, and characters no field may hold.
const piece = fc.constantFrom(
  "Basic",
  "Bearer",
  "Digest",
  "a",
  "B",
  "realm",
  "x1",
  "=",
  "==",
  ",",
  ", ",
  " ",
  " ",
  "  ",
  "\t",
  '"',
  '"q"',
  '"a, b=c"',
  '"\\""',
  "\\",
  "/",
  "+",
  "-",
  "~",
  ".",
  "(",
  "\u00e9",
  "\u0101",
  "\r\n",
  "\u0000",
);
const soup = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(""));

// Lists built along the grammar, with separators that are right and wrong
// (no SP after the scheme, a tab, extra commas): most parse, many only just do not.
const name = fc.constantFrom("Basic", "bearer", "Newauth", "realm", "a", "B", "x-y");
const value = fc.constantFrom("v", "1", '""', '"a b"', '"\\"q\\""', '"x,y=z"', "a/b");
const ows = fc.constantFrom("", "", " ", "\t", "  ");
const afterScheme = fc.constantFrom(" ", " ", "  ", "", "\t", " \t");
const separator = fc.tuple(ows, fc.constantFrom(",", ",", ",,", ", ,"), ows).map((parts) => parts.join(""));
const param = fc.tuple(name, ows, value).map(([key, bws, text]) => `${key}${bws}=${text}`);
const token68 = fc.constantFrom("abc", "QWxh==", "a-b.c_d~e+f/g=", "x=");
const body = fc.oneof(
  token68,
  fc.tuple(fc.array(param, { minLength: 1, maxLength: 3 }), separator).map(([params, comma]) => params.join(comma)),
  fc.tuple(separator, param).map(([comma, first]) => `${comma}${first}`),
);
const element = fc
  .tuple(name, fc.option(fc.tuple(afterScheme, body)))
  .map(([scheme, rest]) => (rest === null ? scheme : `${scheme}${rest[0]}${rest[1]}`));
const structured = fc
  .tuple(fc.array(element, { minLength: 1, maxLength: 3 }), separator, ows, ows)
  .map(([elements, comma, before, after]) => `${before}${elements.join(comma)}${after}`);

describe("the §11 grammar against an independent reading of the ABNF", () => {
  test("parseChallenges() and parseCredentials() accept and read what the ABNF does", () => {
    const tally = { challenges: 0, credentials: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(soup, structured), (input) => {
        const expected = referenceChallenges(input);
        const actual = attempt(() => parseChallenges(input));
        expect(actual?.map(plain), JSON.stringify(input)).toEqual(expected);
        const expectedCredentials = referenceCredentials(input);
        const actualCredentials = attempt(() => parseCredentials(input));
        expect(actualCredentials && plain(actualCredentials), JSON.stringify(input)).toEqual(expectedCredentials);
        if (expected !== undefined) tally.challenges++;
        if (expectedCredentials !== undefined) tally.credentials++;
        if (expected === undefined && expectedCredentials === undefined) tally.refused++;
      }),
      { numRuns: 20_000 },
    );
    // Both sides of the line are exercised (about 30% of the values are challenges, 14% credentials).
    expect(tally.challenges).toBeGreaterThan(4000);
    expect(tally.credentials).toBeGreaterThan(1500);
    expect(tally.refused).toBeGreaterThan(5000);
    // A few seconds alone; the margin is for a machine shared with other test runs.
  }, 30_000);

  test("the cases that motivated it: a comma right after the scheme closes the element", () => {
    for (const input of ['Basic, realm="foo"', 'Bearer, error="invalid_token"']) {
      expect(referenceChallenges(input)).toBeUndefined();
      expect(attempt(() => parseChallenges(input))).toBeUndefined();
    }
    expect(referenceChallenges('Basic , realm="foo"')).toEqual([{ scheme: "basic", params: [["realm", "foo"]] }]);
    for (const input of ['Digest, username="a"', "Bearer,"]) {
      expect(referenceCredentials(input)).toBeUndefined();
      expect(attempt(() => parseCredentials(input))).toBeUndefined();
    }
  });
});
