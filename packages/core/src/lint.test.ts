import { describe, expect, test } from "vitest";
import { lintChallenges } from "./lint.ts";

function rules(lines: string[], options?: Parameters<typeof lintChallenges>[1]): string[] {
  return lintChallenges(lines, options).map((finding) => finding.rule);
}

describe("lintChallenges()", () => {
  test("lintChallenges() finds nothing wrong with what httpauth sends", () => {
    expect(
      rules(
        [
          'Digest realm="api", qop="auth", algorithm=SHA-256, nonce="abc"',
          'Basic realm="api", charset="UTF-8"',
          'Bearer realm="api"',
        ],
        {
          status: 401,
          requestHadCredentials: false,
        },
      ),
    ).toEqual([]);
  });

  test("lintChallenges() flags a Basic challenge without realm (the FastAPI bug)", () => {
    const [finding] = lintChallenges(["Basic"], { status: 401 });
    expect(finding).toMatchObject({ rule: "basic-without-realm", severity: "error", rfc: "RFC 7617 §2", line: 0 });
    expect(finding?.breaks).toContain("Python's urllib");
  });

  test("lintChallenges() warns about an empty or blank Basic realm (serializeChallenge() writes it)", () => {
    const [finding] = lintChallenges(['Basic realm=""'], { status: 401 });
    expect(finding).toMatchObject({ rule: "basic-empty-realm", severity: "warning", line: 0 });
    expect(rules(['Basic realm="  "'])).toEqual(["basic-empty-realm"]);
    expect(rules(['Basic realm="a"'])).toEqual([]);
  });

  test("lintChallenges() flags a Digest challenge without nonce", () => {
    const [finding] = lintChallenges(['Digest realm="a", qop="auth", algorithm=SHA-256'], { status: 401 });
    expect(finding).toMatchObject({ rule: "digest-without-nonce", severity: "error", rfc: "RFC 7616 §3.3", line: 0 });
  });

  test("lintChallenges() warns about a Digest challenge without qop (RFC 2069 form)", () => {
    const [finding] = lintChallenges(['Digest realm="a", nonce="n"'], { status: 401 });
    expect(finding).toMatchObject({ rule: "digest-without-qop", severity: "warning", rfc: "RFC 7616 §3.3" });
  });

  test("lintChallenges() flags SHA-1 and unknown Digest algorithms, not registered ones in any case", () => {
    for (const algorithm of ["SHA-1", "sha-1", "SHA-384", "whirlpool"]) {
      const findings = lintChallenges([`Digest realm="a", qop="auth", nonce="n", algorithm=${algorithm}`]);
      expect(findings.map((finding) => [finding.rule, finding.severity])).toEqual([
        ["digest-unknown-algorithm", "error"],
      ]);
    }
    for (const algorithm of ["MD5", "md5-sess", "SHA-256", "SHA-256-sess", "SHA-512-256", "sha-512-256-SESS"]) {
      expect(rules([`Digest realm="a", qop="auth", nonce="n", algorithm=${algorithm}`])).toEqual([]);
    }
  });

  test("lintChallenges() flags a challenge on a 400, except Bearer invalid_request", () => {
    const [finding] = lintChallenges(['Basic realm="a"'], { status: 400 });
    expect(finding).toMatchObject({ rule: "challenge-on-bad-request", severity: "error", line: 0 });
    expect(rules(['Bearer realm="a", error="invalid_request"'], { status: 400, requestHadCredentials: true })).toEqual(
      [],
    );
    expect(rules(['Basic realm="a"'], { status: 401 })).toEqual([]);
  });

  test("lintChallenges() flags 403 to a request without credentials", () => {
    expect(rules([], { status: 403, requestHadCredentials: false })).toEqual(["forbidden-without-credentials"]);
    expect(rules([], { status: 403, requestHadCredentials: true })).toEqual([]);
  });

  test("lintChallenges() flags a 401 or 407 with no challenge", () => {
    expect(rules([], { status: 401 })).toEqual(["no-challenge"]);
    expect(rules([""], { status: 401 })).toEqual(["no-challenge"]);
    expect(rules([], { status: 407, field: "Proxy-Authenticate" })).toEqual(["no-challenge"]);
    expect(rules([], { status: 200 })).toEqual([]);
  });

  test("lintChallenges() flags several challenges on one line", () => {
    const findings = lintChallenges(['Basic realm="a", Bearer realm="a"']);
    expect(findings.map((finding) => finding.rule)).toEqual(["several-challenges-per-line"]);
    expect(findings[0]?.breaks).toEqual(["Chromium", "lynx"]);
  });

  test("lintChallenges() flags an unquoted realm", () => {
    expect(rules(["Basic realm=api"])).toEqual(["unquoted-realm"]);
    // qop added since the digest-without-qop rule (issue 14): this test is about the realm only.
    expect(rules(['Digest realm=api, nonce=x, qop="auth"'])).toEqual(["unquoted-realm"]);
  });

  test("lintChallenges() flags a Basic charset other than UTF-8", () => {
    expect(rules(['Basic realm="a", charset="ISO-8859-1"'])).toEqual(["basic-charset-not-utf8"]);
    expect(rules(['Basic realm="a", charset="utf-8"'])).toEqual([]);
  });

  test("lintChallenges() flags a Bearer error on a request without credentials", () => {
    expect(rules(['Bearer realm="a", error="invalid_token"'], { requestHadCredentials: false })).toEqual([
      "bearer-error-without-credentials",
    ]);
    expect(rules(['Bearer realm="a", error="invalid_token"'], { requestHadCredentials: true })).toEqual([]);
  });

  test("lintChallenges() reports a line that does not parse, without echoing it", () => {
    const findings = lintChallenges(['Basic realm="secret-VALUE', 'Basic realm="ok"']);
    expect(findings.map((finding) => [finding.rule, finding.line])).toEqual([["unparsable-challenge", 0]]);
    expect(findings[0]?.message).not.toContain("secret-VALUE");
  });

  test("lintChallenges() reports several findings in line order", () => {
    expect(rules(["Basic, Bearer error=invalid_token", "Basic realm=x"], { requestHadCredentials: false })).toEqual([
      "several-challenges-per-line",
      "basic-without-realm",
      "bearer-error-without-credentials",
      "unquoted-realm",
    ]);
  });

  test("lintChallenges() refuses arguments that are not lines", () => {
    expect(() => lintChallenges("Basic" as unknown as string[])).toThrow(TypeError);
    expect(() => lintChallenges([1] as unknown as string[])).toThrow(TypeError);
  });
});
