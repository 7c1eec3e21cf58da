// The fast paths of parseBasicCredentials and parseBearerCredentials (and the
// decoders under them) must answer exactly as the full paths do: checked
// against the full path itself (credentials passed as an object skip the fast
// path), and against the runtime's decoders, on generated input.

import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isHTTPAuthError } from "../errors.ts";
import { decodeBase64, decodeBase64Into } from "../internal/base64.ts";
import { decodeUTF8Short, decodeUTF8Strict } from "../internal/utf8.ts";
import { parseBasicCredentials } from "./basic.ts";
import { parseBearerCredentials } from "./bearer.ts";

/** What a call gives: its value, or the code of the HTTPAuthError it throws. */
function outcome<T>(call: () => T): { value: T } | { code: string } {
  try {
    return { value: call() };
  } catch (error) {
    if (isHTTPAuthError(error)) return { code: error.code };
    throw error;
  }
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const base64ish = fc.string({
  unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \t\u00e9\u0100"),
  maxLength: 40,
});

describe("decodeBase64Into()", () => {
  test("decodeBase64Into() accepts what decodeBase64() accepts, with the same octets", () => {
    fc.assert(
      fc.property(fc.oneof(base64ish, fc.uint8Array({ maxLength: 40 }).map(base64)), (text) => {
        const output = new Uint8Array(64);
        const count = decodeBase64Into(text, 0, text.length, output);
        const reference = decodeBase64(text);
        if (reference instanceof Uint8Array) {
          expect(count).toBe(reference.length);
          expect(output.subarray(0, count)).toEqual(reference);
        } else {
          expect(count).toBe(-1);
        }
      }),
      { numRuns: 3000 },
    );
  });

  test("decodeBase64Into() reads only text[start, end)", () => {
    const output = new Uint8Array(8);
    expect(decodeBase64Into("==Zm9v==", 2, 6, output)).toBe(3);
    expect(output.subarray(0, 3)).toEqual(new TextEncoder().encode("foo"));
  });
});

describe("decodeUTF8Short()", () => {
  test("decodeUTF8Short() agrees with TextDecoder on any octets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        expect(decodeUTF8Short(bytes, bytes.length)).toBe(decodeUTF8Strict(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  test("decodeUTF8Short() decodes any well-formed text, astral planes included", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 12 }), (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(decodeUTF8Short(bytes, bytes.length)).toBe(text);
      }),
    );
  });

  test("decodeUTF8Short() refuses the edges of well-formedness", () => {
    for (const bytes of [
      [0xc1, 0xbf],
      [0xe0, 0x9f, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
      [0xbf],
    ]) {
      expect(decodeUTF8Short(Uint8Array.from(bytes), bytes.length)).toBeUndefined();
    }
    expect(decodeUTF8Short(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41), 4)).toBe("\ufeffA");
  });
});

describe("parseBasicCredentials() fast path", () => {
  const userPass = fc.oneof(
    // user-id:password as UTF-8, any characters (controls and colons included)
    fc
      .tuple(fc.string({ maxLength: 10 }), fc.string({ unit: "binary", maxLength: 10 }))
      .map(([user, password]) => new TextEncoder().encode(`${user}:${password}`)),
    // any octets: Latin-1, broken UTF-8, no colon
    fc.uint8Array({ minLength: 1, maxLength: 20 }),
    // the characters the rules are about: colons, C0 and C1 controls, DEL, multi-octet and astral
    fc
      .string({ unit: fc.constantFrom("a", ":", "é", "€", "😀", "\t", "\u007f", "\u0085", "\u009f"), minLength: 1 })
      .map((text) => new TextEncoder().encode(text)),
  );

  test("parseBasicCredentials() answers a field value as it answers the same credentials parsed first", () => {
    fc.assert(
      fc.property(
        userPass,
        fc.constantFrom("Basic", "basic", "BASIC", "bAsIc"),
        fc.constantFrom(" ", "  ", "\t", " \t"),
        fc.constantFrom("", " ", "\t"),
        fc.boolean(),
        (bytes, scheme, separator, trailing, latin1Fallback) => {
          const token = base64(bytes);
          const value = `${scheme}${separator}${token}${trailing}`;
          const fast = outcome(() => parseBasicCredentials(value, { latin1Fallback }));
          // An object skips the fast path; it is valid only where the field value is.
          if (separator !== " " && separator !== "  ") {
            expect(fast).toEqual({ code: "unexpected-character" });
            return;
          }
          const full = outcome(() =>
            parseBasicCredentials({ scheme: "basic", token68: token, params: {} }, { latin1Fallback }),
          );
          expect(fast).toEqual(full);
        },
      ),
      { numRuns: 3000 },
    );
  });

  test("parseBasicCredentials() keeps the size cap and its argument checks", () => {
    const value = `Basic ${base64(new TextEncoder().encode("user:password"))}`;
    expect(outcome(() => parseBasicCredentials(value, { maxLength: value.length - 1 }))).toEqual({
      code: "field-too-large",
    });
    expect(() => parseBasicCredentials(value, { maxLength: 0 })).toThrow(RangeError);
    expect(parseBasicCredentials(value, { maxLength: value.length })).toEqual({
      username: "user",
      password: "password",
    });
  });
});

describe("parseBearerCredentials() fast path", () => {
  test("parseBearerCredentials() answers a field value as it answers the same credentials parsed first", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'AZaz09-._~+/=,"\\\u00e9'),
          minLength: 1,
          maxLength: 20,
        }),
        fc.constantFrom("Bearer", "bearer", "BEARER"),
        (token, scheme) => {
          const fast = outcome(() => parseBearerCredentials(`${scheme} ${token}`));
          const full = outcome(() => parseBearerCredentials({ scheme: "bearer", token68: token, params: {} }));
          if ("value" in fast) expect(fast).toEqual(full);
          else expect("code" in full).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
