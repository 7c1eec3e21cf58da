import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toHex } from "./hex.ts";

describe("toHex()", () => {
  test("toHex() spells bytes in lower-case, two digits each", () => {
    expect(toHex(new Uint8Array(0))).toBe("");
    expect(toHex(Uint8Array.of(0x00, 0x0f, 0xab, 0xff))).toBe("000fabff");
  });

  test("toHex() agrees with Number#toString(16) on random input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const expected = Array.from(bytes, (value) => value.toString(16).padStart(2, "0")).join("");
        expect(toHex(bytes)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
