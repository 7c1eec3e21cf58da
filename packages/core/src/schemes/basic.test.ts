import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { HTTPAuthError } from "../errors.ts";
import { parseCredentials, serializeChallenge } from "../index.ts";
import { createBasicChallenge, parseBasicCredentials, serializeBasicCredentials } from "./basic.ts";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as HTTPAuthError).code;
  }
  return undefined;
}

/** Whether `text` has a C0 or C1 control character or DEL, which RFC 7617 §2 forbids. */
function hasControl(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function basic(userPass: Uint8Array | string): string {
  return `Basic ${Buffer.from(userPass).toString("base64")}`;
}

describe("createBasicChallenge()", () => {
  test("createBasicChallenge() requires a realm at run time", () => {
    for (const realm of [undefined, "", " ", "\t \t", 42, null]) {
      expect(() => createBasicChallenge({ realm } as unknown as { realm: string })).toThrow(TypeError);
    }
    expect(() => createBasicChallenge(undefined as unknown as { realm: string })).toThrow(TypeError);
  });

  test("createBasicChallenge() accepts charset UTF-8 in any case and writes it as UTF-8", () => {
    const challenge = createBasicChallenge({ realm: "r", charset: "utf-8" as "UTF-8" });
    expect(serializeChallenge(challenge)).toBe('Basic realm="r", charset="UTF-8"');
    expect(() => createBasicChallenge({ realm: "r", charset: "ISO-8859-1" as "UTF-8" })).toThrow(TypeError);
  });

  test("createBasicChallenge() returns a challenge whose realm survives escaping", () => {
    const challenge = createBasicChallenge({ realm: 'a "quoted" \\ realm' });
    expect(serializeChallenge(challenge)).toBe('Basic realm="a \\"quoted\\" \\\\ realm"');
  });
});

describe("parseBasicCredentials()", () => {
  test("parseBasicCredentials() decodes RFC 7617 §2 and §2.1", () => {
    expect(parseBasicCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")).toEqual({
      username: "Aladdin",
      password: "open sesame",
    });
    expect(parseBasicCredentials("Basic dGVzdDoxMjPCow==")).toEqual({ username: "test", password: "123£" });
  });

  test("parseBasicCredentials() reads the scheme case-insensitively and tolerates OWS around the value", () => {
    expect(parseBasicCredentials("  bAsIc    QWxhZGRpbjpvcGVuIHNlc2FtZQ== \t").username).toBe("Aladdin");
  });

  test("parseBasicCredentials() splits at the first colon", () => {
    expect(parseBasicCredentials(basic("user:pa:ss:"))).toEqual({ username: "user", password: "pa:ss:" });
    expect(parseBasicCredentials(basic("user:"))).toEqual({ username: "user", password: "" });
    expect(parseBasicCredentials(basic(":secret"))).toEqual({ username: "", password: "secret" });
  });

  test("parseBasicCredentials() decodes UTF-8, and ISO-8859-1 when the octets are not UTF-8", () => {
    expect(parseBasicCredentials(basic(Buffer.from("jäsøn:pässwörd", "utf8")))).toEqual({
      username: "jäsøn",
      password: "pässwörd",
    });
    expect(parseBasicCredentials(basic(Buffer.from("jäsøn:pässwörd", "latin1")))).toEqual({
      username: "jäsøn",
      password: "pässwörd",
    });
  });

  test("parseBasicCredentials() never substitutes U+FFFD: distinct octets stay distinct", () => {
    const a = parseBasicCredentials(basic(Uint8Array.of(0x75, 0x3a, 0xe9)));
    const b = parseBasicCredentials(basic(Uint8Array.of(0x75, 0x3a, 0xe8)));
    expect(a.password).toBe("é");
    expect(b.password).toBe("è");
    expect(a.password).not.toContain("\ufffd");
  });

  test("parseBasicCredentials() with latin1Fallback false refuses non-UTF-8", () => {
    const latin1 = basic(Buffer.from("u:pässwörd", "latin1"));
    expect(codeOf(() => parseBasicCredentials(latin1, { latin1Fallback: false }))).toBe("invalid-utf8");
    expect(parseBasicCredentials(basic("u:pässwörd"), { latin1Fallback: false }).password).toBe("pässwörd");
  });

  test("parseBasicCredentials() accepts credentials parsed by parseCredentials()", () => {
    expect(parseBasicCredentials(parseCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))).toEqual({
      username: "Aladdin",
      password: "open sesame",
    });
    expect(codeOf(() => parseBasicCredentials(parseCredentials("Bearer abc")))).toBe("wrong-scheme");
    expect(codeOf(() => parseBasicCredentials(parseCredentials("Basic")))).toBe("missing-token");
    expect(codeOf(() => parseBasicCredentials(parseCredentials("Basic a=b")))).toBe("invalid-base64");
    expect(codeOf(() => parseBasicCredentials(parseCredentials("Basic QWxhZGRpbg")))).toBe("invalid-base64");
  });

  test("parseBasicCredentials() gives each malformed input its own code and index", () => {
    const cases: [string, string, number][] = [
      ["Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "wrong-scheme", 0],
      ["Basic", "missing-token", 5],
      ["Basic   ", "missing-token", 8],
      ["", "expected-scheme", 0],
      ["Basic\tQWxh", "unexpected-character", 5],
      ["Basic QWxh ZGRp", "invalid-base64", 10],
      ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ", "invalid-base64", 32],
      ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=", "invalid-base64", 33],
      ["Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ-_", "invalid-base64", 32],
      ["Basic QR==", "invalid-base64", 7],
      ["Basic =QWx", "invalid-base64", 6],
      ["Basic QWxhZGRpbg==", "missing-colon", 6],
      ["Basic QWxh\r\nZGRp", "control-character", 10],
      ["Basic QWxh\u2603", "non-latin1-character", 10],
      [basic("us\u0000er:pw"), "decoded-control-character", 6],
      [basic("user:p\nw"), "decoded-control-character", 6],
      [basic("user:p\u007fw"), "decoded-control-character", 6],
      [basic("user:p\u0085w"), "decoded-control-character", 6],
    ];
    for (const [input, code, index] of cases) {
      let caught: HTTPAuthError | undefined;
      try {
        parseBasicCredentials(input);
      } catch (error) {
        caught = error as HTTPAuthError;
      }
      expect([input, caught?.code, caught?.index]).toEqual([input, code, index]);
    }
  });

  test("parseBasicCredentials() enforces the size cap", () => {
    const long = basic(`user:${"x".repeat(9000)}`);
    expect(codeOf(() => parseBasicCredentials(long))).toBe("field-too-large");
    expect(parseBasicCredentials(long, { maxLength: 20_000 }).password).toHaveLength(9000);
  });

  test("parseBasicCredentials() messages never contain the credentials", () => {
    const secret = "hunter2-MARKER";
    for (const input of [
      basic(`${secret}`),
      basic(`user:${secret}\u0000`),
      `Basic ${Buffer.from(`u:${secret}`).toString("base64").slice(0, -1)}`,
      `Basic ${secret}!`,
      `${secret} abc`,
    ]) {
      try {
        parseBasicCredentials(input);
        expect.unreachable(input);
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
        expect((error as Error).message).not.toContain(Buffer.from(secret).toString("base64").slice(0, 8));
      }
    }
  });

  test("parseBasicCredentials() agrees with Buffer's decoder on every valid UTF-8 user-pass", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 30 }).filter((value) => !hasControl(value));
    fc.assert(
      fc.property(
        text.filter((value) => !value.includes(":")),
        text,
        (username, password) => {
          const header = basic(Buffer.from(`${username}:${password}`, "utf8"));
          expect(parseBasicCredentials(header)).toEqual({ username, password });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("serializeBasicCredentials()", () => {
  test("serializeBasicCredentials() encodes UTF-8 (RFC 7617 §2.1)", () => {
    expect(serializeBasicCredentials({ username: "test", password: "123£" })).toBe("Basic dGVzdDoxMjPCow==");
    expect(serializeBasicCredentials({ username: "", password: "" })).toBe("Basic Og==");
  });

  test("serializeBasicCredentials() refuses a colon in the username, controls and lone surrogates", () => {
    const bad = [
      { username: "a:b", password: "x" },
      { username: "a\nb", password: "x" },
      { username: "a", password: "x\ry" },
      { username: "a", password: "x\u0000" },
      { username: "a", password: "x\u0085" },
      { username: "\ud800", password: "x" },
      { username: "a", password: "\udc00" },
      { username: 1, password: "x" },
    ];
    for (const credentials of bad) {
      expect(() => serializeBasicCredentials(credentials as { username: string; password: string })).toThrow(TypeError);
    }
  });

  test("parseBasicCredentials(serializeBasicCredentials(x)) equals x", () => {
    const text = fc.string({ unit: "grapheme", maxLength: 40 }).filter((value) => !hasControl(value));
    fc.assert(
      fc.property(
        text.filter((value) => !value.includes(":")),
        text,
        (username, password) => {
          expect(parseBasicCredentials(serializeBasicCredentials({ username, password }))).toEqual({
            username,
            password,
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
