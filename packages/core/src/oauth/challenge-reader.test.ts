import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isHTTPAuthError } from "../errors.ts";
import { DEFAULT_MAX_LENGTH } from "../grammar/scanner.ts";
import { serializeChallenge } from "../index.ts";
import { parseResourceChallenges } from "./challenge-reader.ts";

const METADATA = "https://mcp.example/.well-known/oauth-protected-resource/mcp";

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isHTTPAuthError(error) ? error.code : (error as Error).name;
  }
  return undefined;
}

describe("parseResourceChallenges(): the cases regex readers get wrong", () => {
  test("parseResourceChallenges() finds Bearer after a DPoP challenge on the same line", () => {
    const challenges = parseResourceChallenges(
      `DPoP algs="ES256", Bearer resource_metadata="${METADATA}", scope="read"`,
    );
    expect(challenges.map((challenge) => challenge.scheme)).toEqual(["dpop", "bearer"]);
    expect(challenges[0]?.algs).toEqual(["ES256"]);
    expect(challenges[1]?.resourceMetadata).toBe(METADATA);
    expect(challenges[1]?.scope).toEqual(["read"]);
  });

  test("parseResourceChallenges() does not read scope= inside another parameter's quoted string", () => {
    const [bearer] = parseResourceChallenges('Bearer error_description="needs scope=admin, sorry", scope="read"');
    expect(bearer?.scope).toEqual(["read"]);
    expect(bearer?.errorDescription).toBe("needs scope=admin, sorry");
    const [alone] = parseResourceChallenges('Bearer error_description="needs scope=admin"');
    expect(alone?.scope).toBeUndefined();
  });

  test("parseResourceChallenges() reads Scope= in capitals and spaces around =", () => {
    const [bearer] = parseResourceChallenges('BEARER Scope = "a b", Resource_Metadata= "https://h.example/m"');
    expect(bearer?.scheme).toBe("bearer");
    expect(bearer?.scope).toEqual(["a", "b"]);
    expect(bearer?.resourceMetadata).toBe("https://h.example/m");
  });

  test("parseResourceChallenges() gives an empty quoted value as empty, not as two quotes", () => {
    const [bearer] = parseResourceChallenges('Bearer scope="", error_description=""');
    expect(bearer?.scope).toEqual([]);
    expect(bearer?.errorDescription).toBe("");
    expect(bearer?.problems).toEqual([]);
  });

  test("parseResourceChallenges() unescapes quoted-pairs", () => {
    const [bearer] = parseResourceChallenges('Bearer realm="a \\"b\\" \\\\ c", error_description="say \\"hi\\""');
    expect(bearer?.realm).toBe('a "b" \\ c');
    expect(bearer?.errorDescription).toBe('say "hi"');
  });

  test("parseResourceChallenges() does not take a parameter name that only ends like the one asked for", () => {
    const [bearer] = parseResourceChallenges('Bearer x_scope="admin", not_error="x"');
    expect(bearer?.scope).toBeUndefined();
    expect(bearer?.error).toBeUndefined();
    expect(bearer?.params.x_scope).toBe("admin");
  });
});

describe("parseResourceChallenges(): layouts", () => {
  const lines = ['Basic realm="api"', `Bearer realm="api", resource_metadata="${METADATA}"`, 'DPoP algs="ES256"'];

  test("parseResourceChallenges() reads one line per challenge, one joined line, and a mix alike", () => {
    const separate = parseResourceChallenges(lines);
    const joined = parseResourceChallenges(lines.join(", "));
    const mixed = parseResourceChallenges([`${lines[0]}, ${lines[1]}`, lines[2] ?? ""]);
    expect(joined).toEqual(separate);
    expect(mixed).toEqual(separate);
    expect(separate.map((challenge) => challenge.scheme)).toEqual(["basic", "bearer", "dpop"]);
  });

  test("parseResourceChallenges() reads realm for every scheme, the OAuth fields only for Bearer and DPoP", () => {
    const [basic, bearer] = parseResourceChallenges(['Basic realm="api", scope="x"', 'Bearer realm="api", scope="x"']);
    expect(basic?.realm).toBe("api");
    expect(basic?.scope).toBeUndefined();
    expect(bearer?.scope).toEqual(["x"]);
  });

  test("parseResourceChallenges() keeps token68 challenges and empty fields", () => {
    expect(parseResourceChallenges("")).toEqual([]);
    expect(parseResourceChallenges([])).toEqual([]);
    const [negotiate] = parseResourceChallenges("Negotiate abc==");
    expect(negotiate?.token68).toBe("abc==");
    expect(negotiate?.problems).toEqual([]);
  });
});

describe("parseResourceChallenges(): typed fields", () => {
  test("parseResourceChallenges() splits scope, acr_values and algs on spaces, dropping empty items", () => {
    const [bearer] = parseResourceChallenges('Bearer scope=" a  b ", acr_values="gold silver", algs="ES256"');
    expect(bearer?.scope).toEqual(["a", "b"]);
    expect(bearer?.acrValues).toEqual(["gold", "silver"]);
    expect(bearer?.algs).toEqual(["ES256"]);
  });

  test("parseResourceChallenges() reads max_age as a token or a quoted-string", () => {
    expect(parseResourceChallenges("Bearer max_age=0")[0]?.maxAge).toBe(0);
    expect(parseResourceChallenges('Bearer max_age="300"')[0]?.maxAge).toBe(300);
  });

  test("parseResourceChallenges() leaves out a field that breaks its syntax, with a problem naming it", () => {
    const cases: Array<[string, string]> = [
      ["Bearer max_age=abc", "max_age"],
      ["Bearer max_age=-1", "max_age"],
      ['Bearer max_age="1.5"', "max_age"],
      [`Bearer max_age=${"9".repeat(16)}`, "max_age"],
      ['Bearer max_age=""', "max_age"],
      ['Bearer resource_metadata="/.well-known/oauth-protected-resource"', "resource_metadata"],
      ['Bearer resource_metadata="javascript:alert(1)"', "resource_metadata"],
      ['Bearer resource_metadata=" https://h.example/m"', "resource_metadata"],
      ['Bearer resource_metadata=""', "resource_metadata"],
      ['Bearer error_uri="not a url"', "error_uri"],
      ['Bearer scope="a \\" b"', "scope"],
      ['Bearer scope="caf\u00e9"', "scope"],
      ['DPoP algs="ES256\tPS256"', "algs"],
      ['Bearer acr_values="a\\\\b"', "acr_values"],
    ];
    for (const [value, parameter] of cases) {
      const [challenge] = parseResourceChallenges(value);
      expect(
        challenge?.problems.map((problem) => problem.parameter),
        value,
      ).toEqual([parameter]);
      expect(challenge?.problems[0]?.message, value).toMatch(/^Ignored .* \(RFC \d+ §[\d.]+\)$/);
      expect(challenge?.params[parameter], value).toBeDefined();
    }
  });

  test("parseResourceChallenges() problems never repeat the value", () => {
    const [bearer] = parseResourceChallenges('Bearer max_age="secret-looking-value"');
    expect(JSON.stringify(bearer?.problems)).not.toContain("secret-looking-value");
  });

  test("parseResourceChallenges() reads what serializeChallenge writes, for any scope list", () => {
    const scopeToken = fc.stringMatching(/^[!#-[\]-~]{1,12}$/);
    fc.assert(
      fc.property(fc.array(scopeToken, { minLength: 1, maxLength: 8 }), (scopes) => {
        const line = serializeChallenge({ scheme: "bearer", params: { scope: scopes.join(" ") } });
        expect(parseResourceChallenges(line)[0]?.scope).toEqual(scopes);
      }),
    );
  });
});

describe("parseResourceChallenges(): malformed, oversized and hostile input", () => {
  test("parseResourceChallenges() throws the grammar's codes for a broken field", () => {
    expect(codeOf(() => parseResourceChallenges('Bearer scope="read'))).toBe("unterminated-quoted-string");
    expect(codeOf(() => parseResourceChallenges('Bearer scope="a", scope="b"'))).toBe("duplicate-parameter");
    expect(codeOf(() => parseResourceChallenges('Bearer scope="a" error="b"'))).toBe("unexpected-character");
    expect(codeOf(() => parseResourceChallenges('Bearer scope="a\r\nX-Injected: 1"'))).toBe("control-character");
    expect(codeOf(() => parseResourceChallenges('scope="a"'))).toBe("expected-scheme");
  });

  test("parseResourceChallenges() never puts the field value in an error message", () => {
    try {
      parseResourceChallenges('Bearer error_description="top-secret-token-abc", scope="');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain("top-secret");
    }
  });

  test("parseResourceChallenges() caps the size over all lines, also when skipping malformed lines", () => {
    const half = `Bearer a="${"x".repeat(DEFAULT_MAX_LENGTH / 2)}"`;
    expect(codeOf(() => parseResourceChallenges([half, half]))).toBe("field-too-large");
    expect(codeOf(() => parseResourceChallenges([half, half], { skipMalformedLines: true }))).toBe("field-too-large");
    expect(parseResourceChallenges([half, half], { maxLength: 3 * DEFAULT_MAX_LENGTH })).toHaveLength(2);
  });

  test("parseResourceChallenges() with skipMalformedLines leaves out broken lines whole", () => {
    const lines = ['Bearer scope="read', 'DPoP algs="ES256", Bearer a=b c', `Bearer resource_metadata="${METADATA}"`];
    // Joined, the open quote of the first line runs into the next: the whole field is refused.
    expect(codeOf(() => parseResourceChallenges(lines))).toBe("unexpected-character");
    const read = parseResourceChallenges(lines, { skipMalformedLines: true });
    expect(read.map((challenge) => [challenge.scheme, challenge.resourceMetadata])).toEqual([["bearer", METADATA]]);
    expect(parseResourceChallenges('Bearer scope="read', { skipMalformedLines: true })).toEqual([]);
  });

  test("parseResourceChallenges() refuses arguments of the wrong type with TypeError and RangeError", () => {
    expect(codeOf(() => parseResourceChallenges(42 as unknown as string))).toBe("TypeError");
    expect(codeOf(() => parseResourceChallenges([42] as unknown as string[], { skipMalformedLines: true }))).toBe(
      "TypeError",
    );
    expect(codeOf(() => parseResourceChallenges("Bearer", { maxLength: 0 }))).toBe("RangeError");
  });

  test("parseResourceChallenges() keeps __proto__ and constructor as plain parameter names", () => {
    const [bearer] = parseResourceChallenges('Bearer __proto__="x", constructor="y", scope="s"');
    expect(Object.getOwnPropertyDescriptor(bearer?.params, "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(bearer?.params)).toBe(null);
    expect(bearer?.scope).toEqual(["s"]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test("parseResourceChallenges() stays linear on a long scope list and on many lines", () => {
    const scopes = Array.from({ length: 1500 }, (_, index) => `s${index}`);
    const [bearer] = parseResourceChallenges(`Bearer scope="${scopes.join(" ")}"`);
    expect(bearer?.scope).toHaveLength(1500);
    const many = Array.from({ length: 900 }, () => "DPoP");
    expect(parseResourceChallenges(many, { skipMalformedLines: true })).toHaveLength(900);
    const spaces = parseResourceChallenges(`Bearer scope="${" ".repeat(8000)}"`);
    expect(spaces[0]?.scope).toEqual([]);
  });
});
