import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toHex } from "./hex.ts";
import { md5 } from "./md5.ts";

function referenceMD5(data: Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

function md5Hex(text: string): string {
  return toHex(md5(new TextEncoder().encode(text)));
}

describe("md5()", () => {
  test("md5() matches RFC 1321 test suite", () => {
    // RFC 1321 §A.5
    expect(md5Hex("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(md5Hex("a")).toBe("0cc175b9c0f1b6a831c399e269772661");
    expect(md5Hex("abc")).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect(md5Hex("message digest")).toBe("f96b697d7cb7938d525a2f31aaf161d0");
    expect(md5Hex("abcdefghijklmnopqrstuvwxyz")).toBe("c3fcd3d76192e4007dfb496cca67e13b");
    expect(md5Hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")).toBe(
      "d174ab98d277d9f5a5611c2c9f419d9f",
    );
    expect(md5Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890")).toBe(
      "57edf4a22be3c955ac49da2e2107b67a",
    );
  });

  test("md5() returns 16 bytes", () => {
    expect(md5(new Uint8Array(0))).toHaveLength(16);
  });

  test("md5() agrees with node:crypto on random inputs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (data) => {
        expect(toHex(md5(data))).toBe(referenceMD5(data));
      }),
      { numRuns: 250 },
    );
  });

  test("md5() agrees with node:crypto at the padding boundaries", () => {
    for (const length of [55, 56, 63, 64, 65, 119, 120, 127, 128]) {
      const data = new Uint8Array(length);
      for (let index = 0; index < length; index++) data[index] = (index * 31 + length) & 0xff;
      expect(toHex(md5(data)), `length ${length}`).toBe(referenceMD5(data));
    }
  });

  test("md5() reads only its view of a larger buffer", () => {
    const backing = new Uint8Array(200).fill(0x61);
    backing[3] = 0x00;
    const view = backing.subarray(4, 4 + 70);
    expect(toHex(md5(view))).toBe(referenceMD5(view.slice()));
  });

  test("md5() hashes a multi-block input", () => {
    const data = new Uint8Array(100_000);
    for (let index = 0; index < data.length; index++) data[index] = index & 0xff;
    expect(toHex(md5(data))).toBe(referenceMD5(data));
  });
});
