import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { DecodeBase64Failure } from "./base64.ts";
import { decodeBase64, encodeBase64 } from "./base64.ts";

function referenceDecode(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "base64"));
}

function referenceEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Decodes and fails the test on a failure object. */
function decodeOrFail(text: string, allowUnpadded = false): Uint8Array {
  const result = decodeBase64(text, { allowUnpadded });
  if (!(result instanceof Uint8Array))
    throw new Error(`decodeBase64 refused ${JSON.stringify(text)}: ${result.reason}`);
  return result;
}

function failure(reason: DecodeBase64Failure["reason"], index: number): DecodeBase64Failure {
  return { reason, index };
}

/** RFC 4648 §10 test vectors. */
const RFC_4648_VECTORS: readonly (readonly [string, string])[] = [
  ["", ""],
  ["f", "Zg=="],
  ["fo", "Zm8="],
  ["foo", "Zm9v"],
  ["foob", "Zm9vYg=="],
  ["fooba", "Zm9vYmE="],
  ["foobar", "Zm9vYmFy"],
];

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

describe("encodeBase64()", () => {
  test("encodeBase64() matches RFC 4648 §10 test vectors", () => {
    for (const [plain, encoded] of RFC_4648_VECTORS) {
      expect(encodeBase64(ascii(plain))).toBe(encoded);
    }
  });

  test("encodeBase64() encodes the RFC 7617 §2 example", () => {
    expect(encodeBase64(ascii("Aladdin:open sesame"))).toBe("QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  });

  test("encodeBase64() uses + and / for values 62 and 63", () => {
    expect(encodeBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe("+/+/");
  });

  test("encodeBase64() agrees with Buffer on random inputs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeBase64(bytes)).toBe(referenceEncode(bytes));
      }),
      { numRuns: 300 },
    );
  });
});

describe("decodeBase64()", () => {
  test("decodeBase64() matches RFC 4648 §10 test vectors", () => {
    for (const [plain, encoded] of RFC_4648_VECTORS) {
      expect(decodeOrFail(encoded)).toEqual(ascii(plain));
    }
  });

  test("decodeBase64() decodes every alphabet symbol", () => {
    const decoded = decodeOrFail(ALPHABET);
    expect(decoded).toHaveLength(48);
    expect(encodeBase64(decoded)).toBe(ALPHABET);
  });

  test("decodeBase64() returns a failure for characters outside the alphabet", () => {
    expect(decodeBase64("Zm9v$mFy")).toEqual(failure("invalid-character", 4));
    expect(decodeBase64("Zm9vYmF\u00e9")).toEqual(failure("invalid-character", 7));
    expect(decodeBase64("Zm9vYmF\u0100")).toEqual(failure("invalid-character", 7));
    expect(decodeBase64("\u0141Zm9")).toEqual(failure("invalid-character", 0));
    expect(decodeBase64("Zm9vYmF\u0000")).toEqual(failure("invalid-character", 7));
  });

  test("decodeBase64() rejects base64url characters at their index", () => {
    expect(decodeBase64("-_-_")).toEqual(failure("invalid-character", 0));
    expect(decodeBase64("ab-d")).toEqual(failure("invalid-character", 2));
    expect(decodeBase64("abc_")).toEqual(failure("invalid-character", 3));
    expect(decodeBase64("Zm8-", { allowUnpadded: true })).toEqual(failure("invalid-character", 3));
  });

  test("decodeBase64() rejects whitespace at its index", () => {
    expect(decodeBase64(" Zm9v")).toEqual(failure("invalid-character", 0));
    expect(decodeBase64("Zm9v ")).toEqual(failure("invalid-character", 4));
    expect(decodeBase64("Zm9v\nYmFy")).toEqual(failure("invalid-character", 4));
    expect(decodeBase64("Zm9v\r\nYmFy")).toEqual(failure("invalid-character", 4));
    expect(decodeBase64("Zm\t9v")).toEqual(failure("invalid-character", 2));
    expect(decodeBase64("Zg==\n")).toEqual(failure("invalid-character", 4));
    expect(decodeBase64("Zg== ")).toEqual(failure("invalid-character", 4));
  });

  test("decodeBase64() reports a bad character before a padding fault", () => {
    expect(decodeBase64("Zg==Zm9v!")).toEqual(failure("invalid-character", 8));
    expect(decodeBase64("Z=g$")).toEqual(failure("invalid-character", 3));
  });

  test("decodeBase64() rejects data after padding at the first =", () => {
    expect(decodeBase64("Zg==Zm9v")).toEqual(failure("invalid-padding", 2));
    expect(decodeBase64("Zm=v")).toEqual(failure("invalid-padding", 2));
    expect(decodeBase64("=Zm9")).toEqual(failure("invalid-padding", 0));
    expect(decodeBase64("Zm9vZ=8=")).toEqual(failure("invalid-padding", 5));
  });

  test("decodeBase64() rejects too much padding at the first extra =", () => {
    expect(decodeBase64("Zm9v=")).toEqual(failure("invalid-padding", 4));
    expect(decodeBase64("Zm9v====")).toEqual(failure("invalid-padding", 4));
    expect(decodeBase64("Zm8==")).toEqual(failure("invalid-padding", 4));
    expect(decodeBase64("Zg===")).toEqual(failure("invalid-padding", 4));
    expect(decodeBase64("=")).toEqual(failure("invalid-padding", 0));
    expect(decodeBase64("====")).toEqual(failure("invalid-padding", 0));
  });

  test("decodeBase64() rejects short padding at the end of input", () => {
    expect(decodeBase64("Zg=")).toEqual(failure("invalid-padding", 3));
    expect(decodeBase64("Zm9vZg=")).toEqual(failure("invalid-padding", 7));
    expect(decodeBase64("Zg=", { allowUnpadded: true })).toEqual(failure("invalid-padding", 3));
  });

  test("decodeBase64() rejects a lone symbol after the last group as invalid-length", () => {
    expect(decodeBase64("Z")).toEqual(failure("invalid-length", 0));
    expect(decodeBase64("Zm9vY")).toEqual(failure("invalid-length", 4));
    expect(decodeBase64("Zm9vY", { allowUnpadded: true })).toEqual(failure("invalid-length", 4));
    expect(decodeBase64("Zm9vY===")).toEqual(failure("invalid-length", 4));
    expect(decodeBase64("Zm9vY=")).toEqual(failure("invalid-length", 4));
  });

  test("decodeBase64() refuses unpadded input by default", () => {
    expect(decodeBase64("Zg")).toEqual(failure("invalid-padding", 2));
    expect(decodeBase64("Zm8")).toEqual(failure("invalid-padding", 3));
    expect(decodeBase64("Zm9vYmE")).toEqual(failure("invalid-padding", 7));
  });

  test("decodeBase64() accepts unpadded input when allowUnpadded is true", () => {
    expect(decodeOrFail("Zg", true)).toEqual(ascii("f"));
    expect(decodeOrFail("Zm8", true)).toEqual(ascii("fo"));
    expect(decodeOrFail("Zm9vYmE", true)).toEqual(ascii("fooba"));
    // Padded input stays valid.
    expect(decodeOrFail("Zm9vYmE=", true)).toEqual(ascii("fooba"));
    expect(decodeOrFail("", true)).toEqual(new Uint8Array(0));
  });

  test("decodeBase64() rejects non-zero trailing bits as non-canonical", () => {
    expect(decodeOrFail("QQ==")).toEqual(ascii("A"));
    expect(decodeBase64("QR==")).toEqual(failure("non-canonical", 1));
    expect(decodeBase64("QX==")).toEqual(failure("non-canonical", 1));
    expect(decodeOrFail("QUI=")).toEqual(ascii("AB"));
    expect(decodeBase64("QUJ=")).toEqual(failure("non-canonical", 2));
    expect(decodeBase64("Zm9vQR==")).toEqual(failure("non-canonical", 5));
    expect(decodeBase64("QR", { allowUnpadded: true })).toEqual(failure("non-canonical", 1));
    expect(decodeBase64("QUJ", { allowUnpadded: true })).toEqual(failure("non-canonical", 2));
  });

  test("decodeBase64() accepts exactly the canonical last symbols", () => {
    for (let value = 0; value < 64; value++) {
      const symbol = ALPHABET[value]!;
      const one = decodeBase64(`Q${symbol}==`);
      const two = decodeBase64(`QU${symbol}=`);
      expect(one instanceof Uint8Array, `Q${symbol}==`).toBe(value % 16 === 0);
      expect(two instanceof Uint8Array, `QU${symbol}=`).toBe(value % 4 === 0);
    }
  });

  test("decodeBase64() decodes what encodeBase64() encodes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeOrFail(encodeBase64(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  test("decodeBase64() decodes unpadded encodings when allowed", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const unpadded = encodeBase64(bytes).replace(/=+$/, "");
        expect(decodeOrFail(unpadded, true)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  test("decodeBase64() agrees with Buffer on valid input", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = referenceEncode(bytes);
        expect(decodeOrFail(text)).toEqual(referenceDecode(text));
      }),
      { numRuns: 300 },
    );
  });

  test("decodeBase64() agrees with Buffer on random alphabet strings, or calls them non-canonical", () => {
    const symbol = fc.constantFrom(...ALPHABET);
    fc.assert(
      fc.property(
        fc.array(symbol, { maxLength: 80 }).filter((symbols) => symbols.length % 4 !== 1),
        (symbols) => {
          const data = symbols.join("");
          const text = data + "=".repeat((4 - (data.length % 4)) % 4);
          const result = decodeBase64(text);
          if (result instanceof Uint8Array) {
            expect(result).toEqual(referenceDecode(text));
            expect(referenceEncode(result)).toBe(text);
          } else {
            expect(result).toEqual(failure("non-canonical", data.length - 1));
            expect(referenceEncode(referenceDecode(text))).not.toBe(text);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  test("decodeBase64() never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.boolean(), (text, allowUnpadded) => {
        const result = decodeBase64(text, { allowUnpadded });
        if (!(result instanceof Uint8Array)) {
          expect(result.index).toBeGreaterThanOrEqual(0);
          expect(result.index).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("decodeBase64() decodes a 1 MiB input", () => {
    const bytes = new Uint8Array(1024 * 1024);
    for (let start = 0; start < bytes.length; start += 65536) {
      crypto.getRandomValues(bytes.subarray(start, start + 65536));
    }
    const text = encodeBase64(bytes);
    expect(text).toBe(referenceEncode(bytes));
    const decoded = decodeOrFail(text);
    // Compared through Buffer: a deep equality over a million elements is slow.
    expect(decoded).toHaveLength(bytes.length);
    expect(Buffer.compare(decoded, bytes)).toBe(0);
  });
});
