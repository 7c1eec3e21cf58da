import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { Challenge } from "./index.ts";
import {
  HTTPAuthError,
  isHTTPAuthError,
  parseAuthParams,
  parseChallenges,
  parseCredentials,
  serializeAuthParams,
  serializeChallenge,
  serializeChallenges,
  serializeCredentials,
} from "./index.ts";

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz";
const TOKEN68_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/";

/** A lower-case token, as parsing returns names. */
const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
/** A scheme without registered rules, so that any parameters may be written. */
const scheme = token.filter((name) => !["basic", "bearer", "digest"].includes(name));
const token68 = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...TOKEN68_CHARS), minLength: 1, maxLength: 40 }),
    fc.integer({ min: 0, max: 3 }),
  )
  .map(([body, padding]) => body + "=".repeat(padding));
/**
 * Any value httpauth writes into a field: HTAB, SP, visible ASCII (quotes,
 * backslashes, commas) and obs-text without the C1 controls (U+00A0–U+00FF).
 */
const fieldText = fc.string({
  unit: fc.oneof(
    fc.constantFrom("\t", " ", '"', "\\", ",", "=", "é", "\u00a0", "\u00ff"),
    fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
    fc.integer({ min: 0xa0, max: 0xff }).map((code) => String.fromCharCode(code)),
  ),
  maxLength: 30,
});
const params = fc.dictionary(token, fieldText, { maxKeys: 5 });
const challenge: fc.Arbitrary<Challenge> = fc.oneof(
  fc.record({ scheme, params }),
  fc.record({ scheme, token68 }).map(({ scheme, token68 }) => ({ scheme, token68, params: {} })),
);

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe("round trips", () => {
  test("parseChallenges(serializeChallenges(x)) equals x", () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 5 }), (challenges) => {
        expect(plain(parseChallenges(serializeChallenges(challenges)))).toEqual(plain(challenges));
      }),
      { numRuns: 500 },
    );
  });

  test("parseChallenges() of one line per challenge equals the list", () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 5 }), (challenges) => {
        expect(plain(parseChallenges(challenges.map(serializeChallenge)))).toEqual(plain(challenges));
      }),
    );
  });

  test("parseCredentials(serializeCredentials(x)) equals x", () => {
    fc.assert(
      fc.property(challenge, (credentials) => {
        expect(plain(parseCredentials(serializeCredentials(credentials)))).toEqual(plain(credentials));
      }),
      { numRuns: 500 },
    );
  });

  test("parseAuthParams(serializeAuthParams(x)) equals x", () => {
    fc.assert(
      fc.property(params, (value) => {
        expect(plain(parseAuthParams(serializeAuthParams(value)))).toEqual(plain(value));
      }),
    );
  });

  test("serializeChallenges(parseChallenges(s)) is stable for any s that parses", () => {
    // Build s from serialized challenges with random OWS, empty elements and casing.
    const noisy = fc
      .tuple(
        fc.array(challenge, { minLength: 1, maxLength: 4 }),
        fc.constantFrom("", " ", "\t", " \t "),
        fc.constantFrom(",", ",,", ", ,"),
        fc.boolean(),
      )
      .map(([challenges, space, comma, upper]) => {
        const text = challenges.map(serializeChallenge).join(`${space}${comma}${space}`);
        // ASCII only: toUpperCase() maps "ÿ" to U+0178, which no field can carry.
        return upper ? text.replace(/[a-z]/g, (letter) => letter.toUpperCase()) : text;
      });
    fc.assert(
      fc.property(noisy, (text) => {
        let parsed: Challenge[];
        try {
          parsed = parseChallenges(text);
        } catch (error) {
          // Upper-casing can make a name repeat; anything else is a bug.
          expect(isHTTPAuthError(error) && error.code === "duplicate-parameter").toBe(true);
          return;
        }
        const once = serializeChallenges(parsed);
        expect(serializeChallenges(parseChallenges(once))).toBe(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe("hostile input", () => {
  const anyText = fc.string({ unit: "binary", maxLength: 200 });
  const grammarish = fc.string({
    unit: fc.constantFrom("a", "B", " ", "\t", ",", "=", '"', "\\", "/", "\r", "\n", "\u0000", "\u00e9", "\u2603"),
    maxLength: 200,
  });

  test("parsers throw nothing but HTTPAuthError on arbitrary strings", () => {
    for (const parse of [parseChallenges, parseCredentials, parseAuthParams]) {
      fc.assert(
        fc.property(fc.oneof(anyText, grammarish), (text) => {
          try {
            parse(text);
          } catch (error) {
            expect(error).toBeInstanceOf(HTTPAuthError);
            const { index } = error as HTTPAuthError;
            expect(index).toBeGreaterThanOrEqual(0);
            expect(index).toBeLessThanOrEqual(text.length);
          }
        }),
        { numRuns: 1000 },
      );
    }
  });

  test("serializers never emit CR, LF, NUL or a character above U+00FF", () => {
    const anyValue = fc.string({ unit: "binary", maxLength: 20 });
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 8 }), anyValue, anyValue, (name, value, scheme) => {
        const attempts = [
          () => serializeChallenge({ scheme, params: { [name]: value } }),
          () => serializeChallenge({ scheme: "newauth", params: { [name]: value } }),
          () => serializeChallenge({ scheme: "newauth", token68: value, params: {} }),
          () => serializeCredentials({ scheme, token68: value, params: {} }),
          () => serializeAuthParams({ [name]: value }),
        ];
        for (const attempt of attempts) {
          let written: string;
          try {
            written = attempt();
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
            continue;
          }
          for (let index = 0; index < written.length; index++) {
            const code = written.charCodeAt(index);
            // HTAB, SP, visible ASCII and U+00A0–U+00FF: no C0, DEL or C1 control is ever written.
            expect(code === 0x09 || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff)).toBe(true);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("messages never contain the field value", () => {
    const secret = "s3cr3t-MARKER";
    const inputs = [
      `Basic ${secret}\r\n`,
      `Digest username="${secret}`,
      `Digest username="${secret}", username="${secret}"`,
      `Digest ${secret}=1, ${secret}=2`,
      `Bearer ${secret} ${secret}`,
      `${secret}="x"`,
      `Basic realm="${secret}" ${secret}`,
      `Bearer ${secret}\u2603`,
      `Bearer ${secret}`.padEnd(9000, "A"),
    ];
    let failures = 0;
    for (const input of inputs) {
      for (const parse of [parseChallenges, parseCredentials, parseAuthParams]) {
        try {
          parse(input);
        } catch (error) {
          failures++;
          expect(isHTTPAuthError(error)).toBe(true);
          expect((error as Error).message).not.toContain(secret);
          expect(String(error)).not.toContain(secret);
        }
      }
    }
    expect(failures).toBeGreaterThanOrEqual(inputs.length * 2);
  });

  test("serializer messages never contain the value", () => {
    const secret = "s3cr3t-MARKER";
    for (const value of [`${secret}\r\n`, `${secret}\u2603`, `${secret}\u0000`]) {
      expect(() => serializeChallenge({ scheme: "basic", params: { realm: value } })).toThrow(TypeError);
      try {
        serializeAuthParams({ rspauth: value });
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
      }
      try {
        serializeCredentials({ scheme: "bearer", token68: value, params: {} });
      } catch (error) {
        expect((error as Error).message).not.toContain(secret);
      }
    }
  });
});

/** Read through a variable so that no `__proto__` accessor is involved, only the key. */
const PROTO = "__proto__";

describe("parameter maps", () => {
  test("parseChallenges() returns null-prototype parameter maps", () => {
    const [challenge] = parseChallenges('Basic __proto__="x", constructor=y');
    expect(Object.getPrototypeOf(challenge?.params)).toBeNull();
    expect(challenge?.params[PROTO]).toBe("x");
    expect(Object.keys(challenge?.params ?? {})).toEqual(["__proto__", "constructor"]);
    expect(Object.getOwnPropertyDescriptor(challenge?.params, PROTO)?.value).toBe("x");
  });

  test("parseCredentials() and parseAuthParams() return null-prototype maps", () => {
    expect(Object.getPrototypeOf(parseCredentials("Digest toString=1").params)).toBeNull();
    expect(Object.getPrototypeOf(parseCredentials("Basic abc").params)).toBeNull();
    const info = parseAuthParams("hasOwnProperty=1, __proto__=2");
    expect(Object.getPrototypeOf(info)).toBeNull();
    expect(info[PROTO]).toBe("2");
  });

  test("parseChallenges() keeps parameter order", () => {
    const [challenge] = parseChallenges("Digest realm=a, qop=auth, nonce=n, algorithm=MD5");
    expect(Object.keys(challenge?.params ?? {})).toEqual(["realm", "qop", "nonce", "algorithm"]);
  });

  test("serializeChallenge() writes a __proto__ parameter from a null-prototype map", () => {
    const map = Object.create(null) as Record<string, string>;
    map[PROTO] = "x";
    expect(serializeChallenge({ scheme: "newauth", params: map })).toBe("newauth __proto__=x");
  });
});

describe("arguments", () => {
  test("parsers throw TypeError for a value that is not a string", () => {
    expect(() => parseChallenges(42 as unknown as string)).toThrow(TypeError);
    expect(() => parseChallenges([1] as unknown as string[])).toThrow(TypeError);
    expect(() => parseCredentials(["Basic abc"] as unknown as string)).toThrow(TypeError);
    expect(() => parseAuthParams(undefined as unknown as string)).toThrow(TypeError);
  });

  test("parsers throw RangeError for a bad maxLength", () => {
    for (const maxLength of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => parseChallenges("Basic realm=a", { maxLength })).toThrow(RangeError);
    }
  });

  test("serializers throw TypeError for values that are not strings", () => {
    expect(() => serializeChallenge({ scheme: "basic", params: { realm: 1 as unknown as string } })).toThrow(TypeError);
    expect(() => serializeChallenge(null as unknown as Challenge)).toThrow(TypeError);
    expect(() => serializeChallenge({ scheme: "basic", params: [] as unknown as Record<string, string> })).toThrow(
      TypeError,
    );
    expect(() => serializeChallenges("Basic" as unknown as Challenge[])).toThrow(TypeError);
  });

  test("serializeChallenge() allows HTAB inside a quoted string", () => {
    expect(serializeChallenge({ scheme: "newauth", params: { a: "x\ty" } })).toBe('newauth a="x\ty"');
  });
});

describe("errors", () => {
  test("HTTPAuthError carries a code, an index and a message naming the position", () => {
    try {
      parseCredentials('Digest username="a", username="b"');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HTTPAuthError);
      expect(error).toBeInstanceOf(Error);
      const { code, index, message, name } = error as HTTPAuthError;
      expect({ code, index, name }).toEqual({ code: "duplicate-parameter", index: 21, name: "HTTPAuthError" });
      expect(message).toMatch(/^Cannot parse credentials: .*index 21/);
    }
  });

  test("isHTTPAuthError() recognises an error from another copy of the package", () => {
    const foreign = Object.defineProperty(new Error("from another copy"), Symbol.for("httpauth.HTTPAuthError"), {
      value: true,
    });
    expect(foreign instanceof HTTPAuthError).toBe(false);
    expect(isHTTPAuthError(foreign)).toBe(true);
    expect(isHTTPAuthError(new Error("x"))).toBe(false);
    expect(isHTTPAuthError(null)).toBe(false);
    expect(isHTTPAuthError("HTTPAuthError")).toBe(false);
    expect(isHTTPAuthError({ code: "expected-value" })).toBe(false);
  });

  test("the brand is not an enumerable property", () => {
    const error = new HTTPAuthError("expected-value", "x", { index: 1 });
    expect(Object.keys(error)).not.toContain(Symbol.for("httpauth.HTTPAuthError"));
    expect(JSON.stringify(error)).toBe('{"code":"expected-value","index":1,"name":"HTTPAuthError"}');
  });
});
