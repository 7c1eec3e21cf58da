import { Buffer } from "node:buffer";
import { describe, expect, test } from "vitest";
import { hashPassword, timingSafeEqual, verifyPassword } from "../src/index.ts";

function base64(bytes: Uint8Array | string): string {
  return Buffer.from(typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes)
    .toString("base64")
    .replace(/=+$/, "");
}

/** A well-formed PHC string with these parts (16-byte salt and 32-byte hash unless given). */
function phc(parameters: string, salt = base64(new Uint8Array(16)), hash = base64(new Uint8Array(32))): string {
  return `$scrypt$${parameters}$${salt}$${hash}`;
}

describe("timingSafeEqual()", () => {
  test("timingSafeEqual() is === on strings", () => {
    expect(timingSafeEqual("s3cr3t", "s3cr3t")).toBe(true);
    expect(timingSafeEqual("", "")).toBe(true);
    expect(timingSafeEqual("s3cr3t", "s3cr3T")).toBe(false);
    expect(timingSafeEqual("pässwörd", "pässwörd")).toBe(true);
    expect(timingSafeEqual("pässwörd", "passwörd")).toBe(false);
  });

  test("timingSafeEqual() answers false, without throwing, for strings of different lengths", () => {
    expect(timingSafeEqual("short", "a much longer secret")).toBe(false);
    expect(timingSafeEqual("", "x")).toBe(false);
    expect(timingSafeEqual("x".repeat(100_000), "x".repeat(100_001))).toBe(false);
  });

  test("timingSafeEqual() tells apart strings that differ only in lone surrogates", () => {
    // UTF-8 would encode both as U+FFFD; the comparison works on UTF-16 code units.
    expect(Buffer.from("\uD800", "utf8")).toEqual(Buffer.from("\uDBFF", "utf8"));
    expect(timingSafeEqual("\uD800", "\uDBFF")).toBe(false);
    expect(timingSafeEqual("\uD800", "\uD800")).toBe(true);
  });

  test("timingSafeEqual() refuses values that are not strings with a TypeError", () => {
    expect(() => timingSafeEqual(undefined as unknown as string, "x")).toThrow(TypeError);
    expect(() => timingSafeEqual("x", Buffer.from("x") as unknown as string)).toThrow(TypeError);
  });
});

describe("hashPassword() and verifyPassword()", () => {
  test("hashPassword() writes a PHC string with the default parameters that verifyPassword() accepts", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
  });

  test("hashPassword() salts: the same password hashes differently each time", async () => {
    const options = { cost: 2 ** 10 };
    const [first, second] = await Promise.all([hashPassword("pw", options), hashPassword("pw", options)]);
    expect(first).not.toBe(second);
    expect(await verifyPassword("pw", first)).toBe(true);
    expect(await verifyPassword("pw", second)).toBe(true);
  });

  test("hashPassword() records the parameters it was given", async () => {
    const stored = await hashPassword("pässwörd 🔑", { cost: 2 ** 10, blockSize: 4, parallelization: 2 });
    expect(stored.startsWith("$scrypt$ln=10,r=4,p=2$")).toBe(true);
    expect(await verifyPassword("pässwörd 🔑", stored)).toBe(true);
    expect(await verifyPassword("passwörd 🔑", stored)).toBe(false);
  });

  test("verifyPassword() accepts the RFC 7914 §12 scrypt test vector as a PHC string", async () => {
    const key =
      "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2" +
      "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887";
    const stored = phc("ln=14,r=8,p=1", base64("SodiumChloride"), base64(Buffer.from(key, "hex")));
    expect(await verifyPassword("pleaseletmein", stored)).toBe(true);
    expect(await verifyPassword("pleaseletmeout", stored)).toBe(false);
  });

  test("hashPassword() refuses parameters outside the bounds with a RangeError", async () => {
    await expect(hashPassword("pw", { cost: 1000 })).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", { cost: 1 })).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", { cost: 2 ** 22 })).rejects.toThrow(/power of two from 2 to 2\^21/);
    await expect(hashPassword("pw", { cost: 2 ** 40 })).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", { cost: 2 ** 20, blockSize: 8 })).rejects.toThrow(/256 MiB/);
    await expect(hashPassword("pw", { cost: 2 ** 17, parallelization: 16 })).rejects.toThrow(/2\^22/);
    await expect(hashPassword("pw", { blockSize: 0 })).rejects.toThrow(RangeError);
    await expect(hashPassword("pw", { parallelization: 1.5 })).rejects.toThrow(RangeError);
  });

  test("hashPassword() refuses N ≥ 2^(16r) (RFC 7914 §2) up front with its own RangeError", async () => {
    // OpenSSL refuses these too, with an error that says nothing of why; the check must come first.
    for (const cost of [2 ** 16, 2 ** 17, 2 ** 21]) {
      await expect(hashPassword("pw", { cost, blockSize: 1, parallelization: 1 })).rejects.toThrow(
        /^hashPassword\(\): the cost \(N\) must be less than 2\^\(16 × r\) \(RFC 7914 §2\): below 2\^16 for r = 1$/,
      );
    }
    // Just below the bound is fine.
    const stored = await hashPassword("pw", { cost: 2 ** 15, blockSize: 1, parallelization: 1 });
    expect(await verifyPassword("pw", stored)).toBe(true);
  });

  test("hashPassword() and verifyPassword() refuse arguments of the wrong type with a TypeError", async () => {
    await expect(hashPassword(undefined as unknown as string)).rejects.toThrow(TypeError);
    await expect(hashPassword("pw", { cost: "32768" as unknown as number })).rejects.toThrow(TypeError);
    await expect(verifyPassword(42 as unknown as string, phc("ln=10,r=8,p=1"))).rejects.toThrow(TypeError);
    await expect(verifyPassword("pw", null as unknown as string)).rejects.toThrow(TypeError);
  });
});

describe("verifyPassword() refuses malformed and hostile hashes before any work", () => {
  // Each is refused with a TypeError that names the problem; none reaches scrypt,
  // so none allocates (scrypt's own failures are not TypeErrors).
  const cases: [string, string, RegExp][] = [
    ["a plain password stored by mistake", "hunter2", /1 "\$"-separated parts, expected 5/],
    ["too few segments", "$scrypt$ln=15,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA", /4 "\$"-separated parts/],
    ["too many segments", `${phc("ln=15,r=8,p=1")}$extra`, /6 "\$"-separated parts/],
    ["no leading $", phc("ln=15,r=8,p=1").slice(1), /expected 5/],
    ["another algorithm", phc("ln=15,r=8,p=1").replace("scrypt", "argon2id"), /does not start with "\$scrypt\$"/],
    ["parameters missing", phc("ln=15,r=8"), /must read "ln=…,r=…,p=…"/],
    ["parameters out of order", phc("r=8,ln=15,p=1"), /must read "ln=…,r=…,p=…"/],
    ["an extra parameter", phc("ln=15,r=8,p=1,maxmem=1"), /must read/],
    ["a leading zero", phc("ln=015,r=8,p=1"), /ln parameter is not a decimal number/],
    ["an exponent", phc("ln=1e3,r=8,p=1"), /ln parameter is not a decimal number/],
    ["a negative number", phc("ln=15,r=-8,p=1"), /r parameter is not a decimal number/],
    ["an empty number", phc("ln=15,r=8,p="), /p parameter is not a decimal number/],
    ["huge N (2^64)", phc("ln=64,r=8,p=1"), /power of two from 2 to 2\^21/],
    ["N of 2^9999999", phc("ln=9999999,r=8,p=1"), /ln parameter is not a decimal number/],
    ["N of 1", phc("ln=0,r=8,p=1"), /power of two from 2/],
    ["N × r over 256 MiB", phc("ln=20,r=8,p=1"), /more than 256 MiB/],
    ["huge r", phc("ln=10,r=999999,p=1"), /block size \(r\) must be a whole number from 1 to 32/],
    ["huge p", phc("ln=10,r=8,p=999999"), /parallelization \(p\) must be a whole number from 1 to 16/],
    ["too much work", phc("ln=17,r=8,p=16"), /more than 2\^22 block operations/],
    ["N = 2^16 with r = 1 (RFC 7914 §2: N < 2^16r)", phc("ln=16,r=1,p=1"), /must be less than 2\^\(16 × r\)/],
    ["N = 2^21 with r = 1", phc("ln=21,r=1,p=1"), /must be less than 2\^\(16 × r\)/],
    ["salt not base64", phc("ln=10,r=8,p=1", "c2FsdH!hbHRzYWx0c2FsdA"), /salt is not unpadded base64/],
    ["padded salt", phc("ln=10,r=8,p=1", "c2FsdHNhbHRzYWx0c2FsdA=="), /salt is not unpadded base64/],
    ["base64url salt", phc("ln=10,r=8,p=1", "c2FsdHNhbHRzYWx0c2F-_A"), /salt is not unpadded base64/],
    ["non-canonical trailing bits", phc("ln=10,r=8,p=1", "c2FsdHNhbHRzYWx0c2FsdB"), /salt is not unpadded base64/],
    ["impossible length", phc("ln=10,r=8,p=1", "c2FsdHNhbHRzYWx0c2FsdAAAA"), /salt is not unpadded base64/],
    ["hash not base64", phc("ln=10,r=8,p=1", undefined, "not base64 at all"), /hash is not unpadded base64/],
    ["salt too short", phc("ln=10,r=8,p=1", base64("NaCl")), /salt must be 8 to 64 bytes/],
    ["hash too short", phc("ln=10,r=8,p=1", undefined, base64(new Uint8Array(8))), /hash must be 16 to 64 bytes/],
    ["hash too long", phc("ln=10,r=8,p=1", undefined, base64(new Uint8Array(65))), /hash must be 16 to 64 bytes/],
    ["a 300-character string", phc("ln=10,r=8,p=1", "A".repeat(256)), /longer than 256 characters/],
    ["a megabyte of $", "$".repeat(1_000_000), /longer than 256 characters/],
  ];

  test.each(cases)("verifyPassword() refuses %s with a TypeError", async (_name, hash, message) => {
    const failure = await verifyPassword("pw", hash).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as TypeError).message).toMatch(message);
    // The message never repeats the stored hash.
    if (hash.length > 20) expect((failure as TypeError).message).not.toContain(hash.slice(-20));
  });
});

describe("basicAuth({ users, verifyPassword }) with scrypt hashes", () => {
  test("basicAuth({ users, verifyPassword }) accepts a user whose scrypt hash matches, refuses others", async () => {
    const { basicAuth, createAuthenticator, serializeBasicCredentials } = await import("@httpauth/core");
    const users = { alice: await hashPassword("wonderland", { cost: 1024 }) };
    const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: "api", users, verifyPassword })] });
    const attempt = (username: string, password: string) => {
      const authorization = serializeBasicCredentials({ username, password });
      return authenticator.authenticate({ method: "GET", url: "/", header: () => authorization });
    };
    expect(await attempt("alice", "wonderland")).toMatchObject({ ok: true, identity: "alice" });
    expect((await attempt("alice", "wonderlanD")).ok).toBe(false);
    expect((await attempt("bob", "wonderland")).ok).toBe(false);
  });
});
