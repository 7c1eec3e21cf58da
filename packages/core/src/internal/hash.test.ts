import { describe, expect, test } from "vitest";
import type { DigestHashName } from "./hash.ts";
import { hashHex, hashLength, sha256 } from "./hash.ts";
import { toHex } from "./hex.ts";

const ABC = new TextEncoder().encode("abc");

describe("hashHex()", () => {
  test("hashHex() computes MD5", async () => {
    expect(await hashHex("MD5", ABC)).toBe("900150983cd24fb0d6963f7d28e17f72");
  });

  test("hashHex() computes SHA-256 through WebCrypto", async () => {
    expect(await hashHex("SHA-256", ABC)).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(await hashHex("SHA-256", new Uint8Array(0))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  test("hashHex() computes SHA-512/256", async () => {
    expect(await hashHex("SHA-512-256", ABC)).toBe("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
  });

  test("hashHex() output length matches hashLength()", async () => {
    const names: DigestHashName[] = ["MD5", "SHA-256", "SHA-512-256"];
    for (const name of names) {
      const hex = await hashHex(name, ABC);
      expect(hex).toHaveLength(hashLength(name));
      expect(hex).toMatch(/^[0-9a-f]+$/);
    }
  });

  test("hashLength() gives 32, 64 and 64 hex digits", () => {
    expect(hashLength("MD5")).toBe(32);
    expect(hashLength("SHA-256")).toBe(64);
    expect(hashLength("SHA-512-256")).toBe(64);
  });

  test("sha256() hashes a view of a SharedArrayBuffer", async () => {
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set(ABC);
    expect(toHex(await sha256(shared))).toBe(toHex(await sha256(ABC)));
  });

  test("sha256() hashes only its view of a larger buffer", async () => {
    const backing = new TextEncoder().encode("xxabcxx");
    expect(await sha256(backing.subarray(2, 5))).toEqual(await sha256(ABC));
  });
});
