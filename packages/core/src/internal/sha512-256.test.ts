import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toHex } from "./hex.ts";
import { sha512_256 } from "./sha512-256.ts";

function referenceSHA512_256(data: Uint8Array): string {
  return createHash("sha512-256").update(data).digest("hex");
}

function encode(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

const ABC_DIGEST = "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23";
const EMPTY_DIGEST = "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a";
/** NIST example, two-block message "abcdefghbcdefghi…nopqrstu" (896 bits). */
const TWO_BLOCK_MESSAGE =
  "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
const TWO_BLOCK_DIGEST = "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a";

describe("sha512_256()", () => {
  test("sha512_256() matches the FIPS 180-4 example vectors", () => {
    expect(toHex(sha512_256(encode("abc")))).toBe(ABC_DIGEST);
    expect(toHex(sha512_256(new Uint8Array(0)))).toBe(EMPTY_DIGEST);
    expect(toHex(sha512_256(encode(TWO_BLOCK_MESSAGE)))).toBe(TWO_BLOCK_DIGEST);
  });

  test("sha512_256() example vectors agree with node:crypto", () => {
    expect(referenceSHA512_256(encode("abc"))).toBe(ABC_DIGEST);
    expect(referenceSHA512_256(new Uint8Array(0))).toBe(EMPTY_DIGEST);
    expect(referenceSHA512_256(encode(TWO_BLOCK_MESSAGE))).toBe(TWO_BLOCK_DIGEST);
  });

  test("sha512_256() returns 32 bytes", () => {
    expect(sha512_256(encode("abc"))).toHaveLength(32);
  });

  test("sha512_256() agrees with node:crypto on random inputs", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), (data) => {
        expect(toHex(sha512_256(data))).toBe(referenceSHA512_256(data));
      }),
      { numRuns: 250 },
    );
  });

  test("sha512_256() agrees with node:crypto at the padding boundaries", () => {
    for (const length of [111, 112, 127, 128, 129, 239, 240, 255, 256]) {
      const data = new Uint8Array(length);
      for (let index = 0; index < length; index++) data[index] = (index * 37 + length) & 0xff;
      expect(toHex(sha512_256(data)), `length ${length}`).toBe(referenceSHA512_256(data));
    }
  });

  test("sha512_256() carries across 32-bit halves on all-ones input", () => {
    const data = new Uint8Array(1000).fill(0xff);
    expect(toHex(sha512_256(data))).toBe(referenceSHA512_256(data));
  });

  test("sha512_256() reads only its view of a larger buffer", () => {
    const backing = new Uint8Array(300).fill(0x62);
    const view = backing.subarray(5, 5 + 130);
    expect(toHex(sha512_256(view))).toBe(referenceSHA512_256(view.slice()));
  });
});
