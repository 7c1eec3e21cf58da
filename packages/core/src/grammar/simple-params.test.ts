// The scanner reads auth-params in their common form (a token or a
// quoted-string without quoted-pair) on a fast path, and leaves everything
// else to the general loop. A scanner that records quoted names (the one
// lintChallenges uses) never takes the fast path, so it is the reference:
// on any input both must give the same elements, or the same error at the
// same index.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isHTTPAuthError } from "../errors.ts";
import type { Element, ListMode } from "./scanner.ts";
import { CHALLENGES, CREDENTIALS, PARAMS, prepareValue, Scanner, scanList } from "./scanner.ts";

type Outcome = { elements: unknown[] } | { code: string; index: number | undefined };

function parse(value: string, mode: ListMode, general: boolean): Outcome {
  const elements: Element[] = [];
  const initial: Element | undefined = mode === PARAMS ? { scheme: "", params: Object.create(null) } : undefined;
  try {
    scanList(new Scanner(prepareValue(value, undefined, mode), mode, general), elements, initial);
  } catch (error) {
    if (isHTTPAuthError(error)) return { code: error.code, index: error.index };
    throw error;
  }
  const all = initial === undefined ? elements : [initial, ...elements];
  return {
    elements: all.map((element) => ({
      scheme: element.scheme,
      token68: element.token68,
      prototype: Object.getPrototypeOf(element.params),
      params: Object.entries(element.params),
    })),
  };
}

const MODES: readonly [string, ListMode][] = [
  ["challenges", CHALLENGES],
  ["credentials", CREDENTIALS],
  ["auth-params", PARAMS],
];

/** Field values made of the characters the grammar cares about. */
const anyField = fc.string({
  unit: fc.constantFrom(...'aAbZ9-="\\, \t!é\u0100\u0001\u007f'),
  maxLength: 40,
});

const name = fc.constantFrom("realm", "Realm", "NONCE", "qop", "a", "__proto__", "toString", "x-y", "1", "username*");
const value = fc.oneof(
  fc.constantFrom("abc", "SHA-256", "1", "auth, auth-int"),
  fc.string({ unit: fc.constantFrom(...'ab =,!\t"\\é\u0100\u0001'), maxLength: 8 }),
);
const separator = fc.constantFrom(",", ", ", " ,", ",,", ", ,\t", " ", "");
const space = fc.constantFrom("", " ", "\t");

/** Field values shaped like lists of challenges: schemes, parameters, separators, and mistakes among them. */
const shapedField = fc
  .array(
    fc.oneof(
      fc.record({
        kind: fc.constant("scheme"),
        text: fc.constantFrom("Digest", "Basic", "bearer", "Newauth", "Basic,"),
      }),
      fc.tuple(name, space, space, fc.boolean(), value).map(([key, before, after, quoted, text]) => ({
        kind: "param",
        text: `${key}${before}=${after}${quoted ? `"${text}"` : text}`,
      })),
    ),
    { maxLength: 8 },
  )
  .chain((parts) =>
    fc.array(separator, { minLength: parts.length, maxLength: parts.length }).map((separators) => {
      let field = "";
      parts.forEach((part, index) => {
        field += part.text + (part.kind === "scheme" ? " " : separators[index]);
      });
      return field;
    }),
  );

describe("the fast path for auth-params", () => {
  for (const [label, mode] of MODES) {
    test(`reads ${label} as the general loop does, on any characters`, () => {
      fc.assert(
        fc.property(anyField, (field) => {
          expect(parse(field, mode, false)).toEqual(parse(field, mode, true));
        }),
        { numRuns: 3000 },
      );
    });

    test(`reads ${label} as the general loop does, on lists of challenges and mistakes in them`, () => {
      fc.assert(
        fc.property(shapedField, (field) => {
          expect(parse(field, mode, false)).toEqual(parse(field, mode, true));
        }),
        { numRuns: 3000 },
      );
    });
  }

  test("a repeated name is refused at the second one, whichever path reads it", () => {
    for (const field of [
      'Digest a=1, b="2", A=3',
      'Digest a="1", b=2, a="x\\"y"',
      'Digest a=1, b=2, c=3, d=4, e=5, B="6"',
    ]) {
      const outcome = parse(field, CHALLENGES, false);
      expect(outcome).toMatchObject({ code: "duplicate-parameter" });
      expect(outcome).toEqual(parse(field, CHALLENGES, true));
    }
  });

  test("`__proto__` and inherited names are parameters like any other", () => {
    const outcome = parse('Digest __proto__="x", constructor=1, toString=2', CHALLENGES, false);
    expect(outcome).toEqual({
      elements: [
        {
          scheme: "digest",
          token68: undefined,
          prototype: null,
          params: [
            ["__proto__", "x"],
            ["constructor", "1"],
            ["tostring", "2"],
          ],
        },
      ],
    });
  });
});
