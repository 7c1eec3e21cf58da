// The serializers remember values that passed their checks (issue 19): a
// remembered value must never let a different, refused value through, and
// what they write must not depend on whether a value was seen before.

import fc from "fast-check";
import { expect, test } from "vitest";
import { serializeChallenge } from "../challenge.ts";

function outcome(call: () => string): string {
  try {
    return call();
  } catch (error) {
    return `threw ${(error as Error).name}`;
  }
}

test("serializeChallenge() writes a value the same way the first time and every time after", () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }), (realm, description) => {
      const challenge = { scheme: "bearer", params: { realm, error_description: description } };
      const first = outcome(() => serializeChallenge(challenge));
      expect(outcome(() => serializeChallenge(challenge))).toBe(first);
      expect(outcome(() => serializeChallenge({ scheme: "Bearer", params: { ...challenge.params } }))).toBe(first);
    }),
    { numRuns: 2000 },
  );
});

test("serializeChallenge() refuses a control character after the same value without it was written", () => {
  expect(serializeChallenge({ scheme: "bearer", params: { realm: "api", error_description: "expired" } })).toBe(
    'Bearer realm="api", error_description="expired"',
  );
  expect(() => serializeChallenge({ scheme: "bearer", params: { realm: "api\r\nX: 1" } })).toThrow(TypeError);
  expect(() => serializeChallenge({ scheme: "bearer", params: { error_description: "expired\u0000" } })).toThrow(
    TypeError,
  );
  expect(() => serializeChallenge({ scheme: "bearer", params: { error_description: 'say "hi"' } })).toThrow(TypeError);
  // More distinct values than the memory holds: every one is still checked and escaped.
  for (let index = 0; index < 600; index++) {
    expect(serializeChallenge({ scheme: "basic", params: { realm: `r${index}"` } })).toBe(`Basic realm="r${index}\\""`);
  }
});
