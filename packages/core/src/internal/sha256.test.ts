import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { toHex } from "./hex.ts";
import { hmacSHA256, sha256Sync } from "./sha256.ts";

describe("sha256Sync()", () => {
  test("sha256Sync() matches node:crypto at every padding boundary", () => {
    for (const length of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000]) {
      const data = Uint8Array.from({ length }, (_, index) => (index * 31 + 7) & 0xff);
      expect(toHex(sha256Sync(data))).toBe(createHash("sha256").update(data).digest("hex"));
    }
  });

  test("sha256Sync() matches node:crypto on any octets", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        expect(toHex(sha256Sync(data))).toBe(createHash("sha256").update(data).digest("hex"));
      }),
      { numRuns: 500 },
    );
  });

  test("sha256Sync() hashes a view, not its whole buffer", () => {
    const buffer = new TextEncoder().encode("xxabcxx");
    expect(toHex(sha256Sync(buffer.subarray(2, 5)))).toBe(createHash("sha256").update("abc").digest("hex"));
  });
});

describe("hmacSHA256()", () => {
  test("hmacSHA256() matches node:crypto for keys shorter and longer than a block", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 150 }), fc.uint8Array({ maxLength: 200 }), (key, message) => {
        expect(toHex(hmacSHA256(key, message))).toBe(createHmac("sha256", key).update(message).digest("hex"));
      }),
      { numRuns: 500 },
    );
  });

  test("hmacSHA256() matches WebCrypto's HMAC", async () => {
    const key = new TextEncoder().encode("a secret of at least sixteen bytes");
    const message = new TextEncoder().encode("httpauth digest nonce v1");
    const imported = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const expected = new Uint8Array(await crypto.subtle.sign("HMAC", imported, message));
    expect(hmacSHA256(key, message)).toEqual(expected);
  });
});
