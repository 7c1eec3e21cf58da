import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { timingSafeEqual, timingSafeEqualStrings } from "./timing-safe-equal.ts";

describe("timingSafeEqual()", () => {
  test("timingSafeEqual() is true for equal arrays", () => {
    expect(timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
  });

  test("timingSafeEqual() is false when any byte differs", () => {
    expect(timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(0, 2, 3))).toBe(false);
    expect(timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
    expect(timingSafeEqual(Uint8Array.of(0x80), Uint8Array.of(0x00))).toBe(false);
  });

  test("timingSafeEqual() is false for different lengths", () => {
    expect(timingSafeEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
    expect(timingSafeEqual(new Uint8Array(0), Uint8Array.of(0))).toBe(false);
  });

  test("timingSafeEqual() is true for two empty arrays", () => {
    expect(timingSafeEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  test("timingSafeEqual() agrees with element-wise equality", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        const expected = a.length === b.length && a.every((value, index) => value === b[index]);
        expect(timingSafeEqual(a, b)).toBe(expected);
        expect(timingSafeEqual(a, a.slice())).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("timingSafeEqualStrings()", () => {
  test("timingSafeEqualStrings() is true for equal strings", async () => {
    expect(await timingSafeEqualStrings("open sesame", "open sesame")).toBe(true);
    expect(await timingSafeEqualStrings("pässwörd 😀", "pässwörd 😀")).toBe(true);
  });

  test("timingSafeEqualStrings() is false for different strings", async () => {
    expect(await timingSafeEqualStrings("open sesame", "open sesamf")).toBe(false);
    expect(await timingSafeEqualStrings("Open sesame", "open sesame")).toBe(false);
  });

  test("timingSafeEqualStrings() is false for different lengths", async () => {
    expect(await timingSafeEqualStrings("open", "open sesame")).toBe(false);
    expect(await timingSafeEqualStrings("open sesame", "open")).toBe(false);
  });

  test("timingSafeEqualStrings() handles empty strings", async () => {
    expect(await timingSafeEqualStrings("", "")).toBe(true);
    expect(await timingSafeEqualStrings("", "a")).toBe(false);
    expect(await timingSafeEqualStrings("a", "")).toBe(false);
  });

  test("timingSafeEqualStrings() tells apart lone surrogates and U+FFFD", async () => {
    expect(await timingSafeEqualStrings("\ud800", "\ufffd")).toBe(false);
    expect(await timingSafeEqualStrings("\ud800", "\udc00")).toBe(false);
    expect(await timingSafeEqualStrings("\ud800", "\ud800")).toBe(true);
  });

  test("timingSafeEqualStrings() agrees with ===", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), async (a, b) => {
        expect(await timingSafeEqualStrings(a, b)).toBe(a === b);
        expect(await timingSafeEqualStrings(a, a)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
