import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { decodeLatin1, decodeUTF8Strict, encodeUTF8, isWellFormedUTF16 } from "./utf8.ts";

describe("decodeUTF8Strict()", () => {
  test("decodeUTF8Strict() decodes ASCII and multi-byte sequences", () => {
    expect(decodeUTF8Strict(new Uint8Array(0))).toBe("");
    expect(decodeUTF8Strict(Uint8Array.of(0x41))).toBe("A");
    expect(decodeUTF8Strict(Uint8Array.of(0xc3, 0xa9))).toBe("é");
    expect(decodeUTF8Strict(Uint8Array.of(0xe2, 0x82, 0xac))).toBe("€");
    expect(decodeUTF8Strict(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80))).toBe("😀");
    expect(decodeUTF8Strict(Uint8Array.of(0xf4, 0x8f, 0xbf, 0xbf))).toBe("\u{10ffff}");
  });

  test("decodeUTF8Strict() returns undefined for an overlong form", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0xc0, 0x80))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xc1, 0xbf))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xe0, 0x80, 0xaf))).toBeUndefined();
  });

  test("decodeUTF8Strict() returns undefined for a lone continuation byte", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0x80))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0x41, 0xbf, 0x41))).toBeUndefined();
  });

  test("decodeUTF8Strict() returns undefined for a truncated sequence", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0xe2, 0x82))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xe2, 0x82, 0x41))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xf0, 0x9f, 0x98))).toBeUndefined();
  });

  test("decodeUTF8Strict() returns undefined for an encoded surrogate", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0xed, 0xa0, 0x80))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xed, 0xbf, 0xbf))).toBeUndefined();
  });

  test("decodeUTF8Strict() returns undefined above U+10FFFF", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0xf4, 0x90, 0x80, 0x80))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xf5, 0x80, 0x80, 0x80))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xff))).toBeUndefined();
  });

  test("decodeUTF8Strict() keeps a leading byte order mark", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).toBe("\ufeffA");
  });

  test("decodeUTF8Strict() decodes after a failure", () => {
    expect(decodeUTF8Strict(Uint8Array.of(0xe2, 0x82))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0xac))).toBeUndefined();
    expect(decodeUTF8Strict(Uint8Array.of(0x41))).toBe("A");
  });

  test("decodeUTF8Strict() round-trips encodeUTF8() for well-formed strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
        expect(isWellFormedUTF16(text)).toBe(true);
        expect(decodeUTF8Strict(encodeUTF8(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe("encodeUTF8()", () => {
  test("encodeUTF8() encodes one to four bytes per code point", () => {
    expect(encodeUTF8("A")).toEqual(Uint8Array.of(0x41));
    expect(encodeUTF8("é")).toEqual(Uint8Array.of(0xc3, 0xa9));
    expect(encodeUTF8("€")).toEqual(Uint8Array.of(0xe2, 0x82, 0xac));
    expect(encodeUTF8("😀")).toEqual(Uint8Array.of(0xf0, 0x9f, 0x98, 0x80));
  });

  test("encodeUTF8() turns a lone surrogate into U+FFFD", () => {
    expect(encodeUTF8("\ud800")).toEqual(Uint8Array.of(0xef, 0xbf, 0xbd));
  });
});

describe("decodeLatin1()", () => {
  test("decodeLatin1() maps all 256 bytes to U+0000–U+00FF", () => {
    const bytes = new Uint8Array(256);
    for (let value = 0; value < 256; value++) bytes[value] = value;
    const text = decodeLatin1(bytes);
    expect(text).toHaveLength(256);
    for (let value = 0; value < 256; value++) {
      expect(text.charCodeAt(value)).toBe(value);
    }
  });

  test("decodeLatin1() is not windows-1252 for 0x80–0x9F", () => {
    expect(decodeLatin1(Uint8Array.of(0x80, 0x9f))).toBe("\u0080\u009f");
  });

  test("decodeLatin1() decodes a 200 KiB input", () => {
    const bytes = new Uint8Array(200 * 1024);
    for (let index = 0; index < bytes.length; index++) bytes[index] = index & 0xff;
    const text = decodeLatin1(bytes);
    expect(text).toHaveLength(bytes.length);
    for (const index of [0, 8191, 8192, 8193, 100_000, bytes.length - 1]) {
      expect(text.charCodeAt(index)).toBe(index & 0xff);
    }
  });

  test("decodeLatin1() decodes the empty array", () => {
    expect(decodeLatin1(new Uint8Array(0))).toBe("");
  });
});

describe("isWellFormedUTF16()", () => {
  test("isWellFormedUTF16() accepts strings without surrogates and with valid pairs", () => {
    expect(isWellFormedUTF16("")).toBe(true);
    expect(isWellFormedUTF16("plain ASCII")).toBe(true);
    expect(isWellFormedUTF16("\ud83d\ude00")).toBe(true);
    expect(isWellFormedUTF16("a\udbff\udfffb")).toBe(true);
    expect(isWellFormedUTF16("\ud800\udc00\ud800\udc00")).toBe(true);
    expect(isWellFormedUTF16("\ue000\uffff")).toBe(true);
  });

  test("isWellFormedUTF16() rejects a lone high surrogate", () => {
    expect(isWellFormedUTF16("\ud800")).toBe(false);
    expect(isWellFormedUTF16("a\udbffb")).toBe(false);
    expect(isWellFormedUTF16("\ud800\ud800\udc00")).toBe(false);
  });

  test("isWellFormedUTF16() rejects a lone low surrogate", () => {
    expect(isWellFormedUTF16("\udc00")).toBe(false);
    expect(isWellFormedUTF16("a\udfff")).toBe(false);
    expect(isWellFormedUTF16("\udc00\ud800")).toBe(false);
    expect(isWellFormedUTF16("\ud800\udc00\udc00")).toBe(false);
  });

  test("isWellFormedUTF16() is true exactly when the string survives a UTF-8 round trip", () => {
    const codeUnit = fc.constantFrom(0x41, 0xe9, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xfffd);
    fc.assert(
      fc.property(fc.array(codeUnit, { maxLength: 12 }), (codeUnits) => {
        const text = String.fromCharCode(...codeUnits);
        expect(isWellFormedUTF16(text)).toBe(decodeUTF8Strict(encodeUTF8(text)) === text);
      }),
      { numRuns: 500 },
    );
  });
});
