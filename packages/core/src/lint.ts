/**
 * Checks the challenges a server sends against what strict clients need:
 * the check that would have caught the bug behind httpauth.
 *
 * @module
 */

import { isHTTPAuthError } from "./errors.ts";
import type { Element } from "./grammar/scanner.ts";
import { CHALLENGES, prepareValue, Scanner, scanList } from "./grammar/scanner.ts";

/** The rules {@linkcode lintChallenges} checks. */
export type LintRule =
  | "no-challenge"
  | "forbidden-without-credentials"
  | "unparsable-challenge"
  | "several-challenges-per-line"
  | "basic-without-realm"
  | "unquoted-realm"
  | "basic-charset-not-utf8"
  | "bearer-error-without-credentials";

/** One problem found. */
export interface LintFinding {
  /** Which rule. */
  rule: LintRule;
  /** `error`: some clients fail; `warning`: allowed, but clients misread it. */
  severity: "error" | "warning";
  /** The RFC section the rule comes from. */
  rfc: string;
  /** What is wrong and what to do. */
  message: string;
  /** Clients known to fail on it. */
  breaks: readonly string[];
  /** The index of the field line concerned, when there is one. */
  line?: number;
}

/** Options of {@linkcode lintChallenges}: what is known of the exchange. */
export interface LintOptions {
  /** The response status. */
  status?: number;
  /** Whether the request carried credentials (for the Bearer `error` rule). */
  requestHadCredentials?: boolean;
  /** The field the lines came from. Default `WWW-Authenticate`. */
  field?: "WWW-Authenticate" | "Proxy-Authenticate";
}

/**
 * Lints a response's challenge lines: one entry per field line, as the
 * server sent them (not joined — `fetch()` joins them; read raw headers).
 *
 * | rule | RFC | breaks |
 * |---|---|---|
 * | `no-challenge`: a 401 (407) without a challenge | RFC 9110 §15.5.2 | every client: none knows how to authenticate |
 * | `forbidden-without-credentials`: 403 to a request with no credentials | RFC 9110 §15.5.4 | every client: none is asked for credentials |
 * | `unparsable-challenge` | RFC 9110 §11.6.1 | strict parsers drop the line |
 * | `several-challenges-per-line` | RFC 9110 §11.6.1 | Chromium and lynx read only the first challenge of a line |
 * | `basic-without-realm` | RFC 7617 §2 | Python's urllib, lynx, strict devices never send credentials |
 * | `unquoted-realm` | RFC 9110 §11.5 | clients that expect the quoted form |
 * | `basic-charset-not-utf8` | RFC 7617 §2.1 | clients ignore or reject other charsets |
 * | `bearer-error-without-credentials` | RFC 6750 §3.1 | clients treat the missing token as a bad one |
 *
 * @param lines The field lines, in order, one string each.
 * @param options The status, whether the request carried credentials, and the field name.
 * @returns The findings, in line order; `[]` when all is well.
 * @throws {TypeError} If `lines` is not an array of strings.
 *
 * @example The FastAPI bug
 * ```ts
 * import assert from "node:assert/strict";
 * import { lintChallenges } from "@httpauth/core";
 *
 * const findings = lintChallenges(["Basic"], { status: 401 });
 * assert.deepEqual(findings.map((finding) => finding.rule), ["basic-without-realm"]);
 * assert.deepEqual(lintChallenges(['Basic realm="api"'], { status: 401 }), []);
 * ```
 */
export function lintChallenges(lines: readonly string[], options: LintOptions = {}): LintFinding[] {
  if (!Array.isArray(lines) || lines.some((line) => typeof line !== "string")) {
    throw new TypeError("lintChallenges() needs the field lines as an array of strings");
  }
  const field = options.field ?? "WWW-Authenticate";
  const challengeStatus = field === "WWW-Authenticate" ? 401 : 407;
  const findings: LintFinding[] = [];
  if (options.status === challengeStatus && lines.every((line) => line.trim() === "")) {
    findings.push({
      rule: "no-challenge",
      severity: "error",
      rfc: "RFC 9110 §15.5.2",
      message: `A ${challengeStatus} response must carry a ${field} field with at least one challenge; send one line per scheme`,
      breaks: ["every client: none can tell how to authenticate"],
    });
  }
  if (options.status === 403 && options.requestHadCredentials === false) {
    findings.push({
      rule: "forbidden-without-credentials",
      severity: "error",
      rfc: "RFC 9110 §15.5.4",
      message: "A request without credentials got 403; answer 401 with a challenge so that clients ask for credentials",
      breaks: ["every client: browsers never show a login prompt, libraries never retry with credentials"],
    });
  }
  lines.forEach((line, index) => {
    const elements: Element[] = [];
    try {
      scanList(new Scanner(prepareValue(line, undefined, CHALLENGES), CHALLENGES, true), elements);
    } catch (error) {
      if (!isHTTPAuthError(error)) throw error;
      findings.push({
        rule: "unparsable-challenge",
        severity: "error",
        rfc: "RFC 9110 §11.6.1",
        message: `Line ${index} does not parse as a list of challenges (${error.code} at index ${error.index})`,
        breaks: ["strict parsers drop the line; lenient ones guess"],
        line: index,
      });
      return;
    }
    if (elements.length > 1) {
      findings.push({
        rule: "several-challenges-per-line",
        severity: "warning",
        rfc: "RFC 9110 §11.6.1",
        message: `Line ${index} holds ${elements.length} challenges; send each on its own ${field} line`,
        breaks: ["Chromium", "lynx"],
        line: index,
      });
    }
    for (const element of elements) {
      const { scheme, params } = element;
      const realm = params.realm;
      if (scheme === "basic" && (realm === undefined || realm.trim() === "")) {
        findings.push({
          rule: "basic-without-realm",
          severity: "error",
          rfc: "RFC 7617 §2",
          message: `Line ${index}: a Basic challenge needs a realm, e.g. Basic realm="api"`,
          breaks: ["Python's urllib", "lynx", "strict HTTP clients on devices"],
          line: index,
        });
      }
      if (realm !== undefined && !(element.quoted ?? []).includes("realm")) {
        findings.push({
          rule: "unquoted-realm",
          severity: "warning",
          rfc: "RFC 9110 §11.5",
          message: `Line ${index}: write realm as a quoted-string, realm="${realm.length > 40 ? "…" : realm}"`,
          breaks: ["clients that only read the quoted form"],
          line: index,
        });
      }
      if (scheme === "basic" && params.charset !== undefined && params.charset.toLowerCase() !== "utf-8") {
        findings.push({
          rule: "basic-charset-not-utf8",
          severity: "error",
          rfc: "RFC 7617 §2.1",
          message: `Line ${index}: the only charset a Basic challenge may announce is "UTF-8"`,
          breaks: ["clients that reject unknown charsets"],
          line: index,
        });
      }
      if (scheme === "bearer" && params.error !== undefined && options.requestHadCredentials === false) {
        findings.push({
          rule: "bearer-error-without-credentials",
          severity: "warning",
          rfc: "RFC 6750 §3.1",
          message: `Line ${index}: the request carried no credentials, so the Bearer challenge should have no error`,
          breaks: ["OAuth clients that treat invalid_token as a bad token and give up"],
          line: index,
        });
      }
    }
  });
  return findings;
}
