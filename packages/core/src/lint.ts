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
  | "challenge-on-bad-request"
  | "unparsable-challenge"
  | "several-challenges-per-line"
  | "basic-without-realm"
  | "basic-empty-realm"
  | "unquoted-realm"
  | "basic-charset-not-utf8"
  | "bearer-error-without-credentials"
  | "digest-without-nonce"
  | "digest-without-qop"
  | "digest-unknown-algorithm";

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

type RuleInfo = Pick<LintFinding, "severity" | "rfc" | "breaks">;

const EVERY_DIGEST_CLIENT = ["every Digest client: none can compute a response"];

/** Severity, RFC section and the clients that fail, per rule. */
const RULES: Readonly<Record<LintRule, RuleInfo>> = {
  "no-challenge": {
    severity: "error",
    rfc: "RFC 9110 §15.5.2",
    breaks: ["every client: none can tell how to authenticate"],
  },
  "forbidden-without-credentials": {
    severity: "error",
    rfc: "RFC 9110 §15.5.4",
    breaks: ["every client: browsers never show a login prompt, libraries never retry with credentials"],
  },
  "challenge-on-bad-request": {
    severity: "error",
    rfc: "RFC 9110 §15.5.2",
    breaks: ["every client: browsers and libraries answer a challenge only on 401 (407 for a proxy)"],
  },
  "unparsable-challenge": {
    severity: "error",
    rfc: "RFC 9110 §11.6.1",
    breaks: ["strict parsers drop the line; lenient ones guess"],
  },
  "several-challenges-per-line": { severity: "warning", rfc: "RFC 9110 §11.6.1", breaks: ["Chromium", "lynx"] },
  "basic-without-realm": {
    severity: "error",
    rfc: "RFC 7617 §2",
    breaks: ["Python's urllib", "lynx", "strict HTTP clients on devices"],
  },
  "basic-empty-realm": {
    severity: "warning",
    rfc: "RFC 7617 §2, RFC 9110 §11.5",
    breaks: ["browsers show a login prompt that does not say what it is for", "password stores keyed by realm"],
  },
  "unquoted-realm": { severity: "warning", rfc: "RFC 9110 §11.5", breaks: ["clients that only read the quoted form"] },
  "basic-charset-not-utf8": {
    severity: "error",
    rfc: "RFC 7617 §2.1",
    breaks: ["clients that reject unknown charsets"],
  },
  "bearer-error-without-credentials": {
    severity: "warning",
    rfc: "RFC 6750 §3.1",
    breaks: ["OAuth clients that treat invalid_token as a bad token and give up"],
  },
  "digest-without-nonce": { severity: "error", rfc: "RFC 7616 §3.3", breaks: EVERY_DIGEST_CLIENT },
  "digest-without-qop": {
    severity: "warning",
    rfc: "RFC 7616 §3.3",
    breaks: ["servers that follow RFC 7616 refuse the RFC 2069 answer", "no nonce count: answers can be replayed"],
  },
  "digest-unknown-algorithm": {
    severity: "error",
    rfc: "RFC 7616 §3.3, §6.1",
    breaks: ["curl, browsers and every other Digest client skip the challenge"],
  },
};

function finding(rule: LintRule, message: string, line?: number): LintFinding {
  const result: LintFinding = { rule, ...RULES[rule], message };
  if (line !== undefined) result.line = line;
  return result;
}

/** The algorithms of the IANA HTTP Digest Algorithm Values registry (RFC 7616 §6.1), lower-cased. */
const DIGEST_ALGORITHMS: ReadonlySet<string> = new Set([
  "md5",
  "md5-sess",
  "sha-256",
  "sha-256-sess",
  "sha-512-256",
  "sha-512-256-sess",
]);

/**
 * Lints a response's challenge lines: one entry per field line, as the
 * server sent them (not joined — `fetch()` joins them; read raw headers).
 *
 * | rule | RFC | breaks |
 * |---|---|---|
 * | `no-challenge`: a 401 (407) without a challenge | RFC 9110 §15.5.2 | every client: none knows how to authenticate |
 * | `forbidden-without-credentials`: 403 to a request with no credentials | RFC 9110 §15.5.4 | every client: none is asked for credentials |
 * | `challenge-on-bad-request`: a 400 with a challenge (Bearer `invalid_request` aside) | RFC 9110 §15.5.2 | every client: challenges are answered on 401 only |
 * | `unparsable-challenge` | RFC 9110 §11.6.1 | strict parsers drop the line |
 * | `several-challenges-per-line` | RFC 9110 §11.6.1 | Chromium and lynx read only the first challenge of a line |
 * | `basic-without-realm` | RFC 7617 §2 | Python's urllib, lynx, strict devices never send credentials |
 * | `basic-empty-realm` (warning) | RFC 7617 §2, RFC 9110 §11.5 | login prompts that say nothing; realm-keyed password stores |
 * | `unquoted-realm` | RFC 9110 §11.5 | clients that expect the quoted form |
 * | `basic-charset-not-utf8` | RFC 7617 §2.1 | clients ignore or reject other charsets |
 * | `bearer-error-without-credentials` | RFC 6750 §3.1 | clients treat the missing token as a bad one |
 * | `digest-without-nonce` | RFC 7616 §3.3 | every Digest client |
 * | `digest-without-qop` (warning): the RFC 2069 form | RFC 7616 §3.3 | RFC 7616 servers; answers can be replayed |
 * | `digest-unknown-algorithm`: `SHA-1` or any unregistered algorithm | RFC 7616 §3.3, §6.1 | every Digest client skips it |
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
 *
 * @example A Digest challenge no client can answer
 * ```ts
 * import assert from "node:assert/strict";
 * import { lintChallenges } from "@httpauth/core";
 *
 * const findings = lintChallenges(['Digest realm="api", algorithm=SHA-1'], { status: 401 });
 * assert.deepEqual(
 *   findings.map((finding) => finding.rule),
 *   ["digest-without-nonce", "digest-without-qop", "digest-unknown-algorithm"],
 * );
 * ```
 */
export function lintChallenges(lines: readonly string[], options: LintOptions = {}): LintFinding[] {
  if (!Array.isArray(lines) || lines.some((line) => typeof line !== "string")) {
    throw new TypeError("lintChallenges() needs the field lines as an array of strings");
  }
  const field = options.field ?? "WWW-Authenticate";
  const findings = statusFindings(lines, options, field);
  lines.forEach((line, index) => {
    const elements = parseLine(line, index, findings);
    if (elements === undefined) return;
    if (elements.length > 1) {
      findings.push(
        finding(
          "several-challenges-per-line",
          `Line ${index} holds ${elements.length} challenges; send each on its own ${field} line`,
          index,
        ),
      );
    }
    if (options.status === 400 && elements.some((element) => !isBearerInvalidRequest(element))) {
      findings.push(
        finding(
          "challenge-on-bad-request",
          `Line ${index}: a 400 carries a challenge; answer missing or wrong credentials with ${field === "WWW-Authenticate" ? 401 : 407}`,
          index,
        ),
      );
    }
    for (const element of elements) elementFindings(element, index, options, findings);
  });
  return findings;
}

/** Findings about the status alone. */
function statusFindings(lines: readonly string[], options: LintOptions, field: string): LintFinding[] {
  const challengeStatus = field === "WWW-Authenticate" ? 401 : 407;
  const findings: LintFinding[] = [];
  if (options.status === challengeStatus && lines.every((line) => line.trim() === "")) {
    findings.push(
      finding(
        "no-challenge",
        `A ${challengeStatus} response must carry a ${field} field with at least one challenge; send one line per scheme`,
      ),
    );
  }
  if (options.status === 403 && options.requestHadCredentials === false) {
    findings.push(
      finding(
        "forbidden-without-credentials",
        "A request without credentials got 403; answer 401 with a challenge so that clients ask for credentials",
      ),
    );
  }
  return findings;
}

/** The challenges of one line, or undefined (and a finding) when it does not parse. */
function parseLine(line: string, index: number, findings: LintFinding[]): Element[] | undefined {
  const elements: Element[] = [];
  try {
    scanList(new Scanner(prepareValue(line, undefined, CHALLENGES), CHALLENGES, true), elements);
    return elements;
  } catch (error) {
    if (!isHTTPAuthError(error)) throw error;
    findings.push(
      finding(
        "unparsable-challenge",
        `Line ${index} does not parse as a list of challenges (${error.code} at index ${error.index})`,
        index,
      ),
    );
    return undefined;
  }
}

/** RFC 6750 §3.1: a malformed Bearer request is answered 400 with error="invalid_request". */
function isBearerInvalidRequest(element: Element): boolean {
  return element.scheme === "bearer" && element.params.error === "invalid_request";
}

/** Findings about one challenge. */
function elementFindings(element: Element, index: number, options: LintOptions, findings: LintFinding[]): void {
  const { scheme, params } = element;
  const realm = params.realm;
  if (scheme === "basic" && realm === undefined) {
    findings.push(
      finding("basic-without-realm", `Line ${index}: a Basic challenge needs a realm, e.g. Basic realm="api"`, index),
    );
  }
  if (scheme === "basic" && realm !== undefined && realm.trim() === "") {
    findings.push(
      finding("basic-empty-realm", `Line ${index}: name the protection space in the realm, e.g. realm="api"`, index),
    );
  }
  if (realm !== undefined && !(element.quoted ?? []).includes("realm")) {
    findings.push(
      finding(
        "unquoted-realm",
        `Line ${index}: write realm as a quoted-string, realm="${realm.length > 40 ? "…" : realm}"`,
        index,
      ),
    );
  }
  if (scheme === "basic" && params.charset !== undefined && params.charset.toLowerCase() !== "utf-8") {
    findings.push(
      finding(
        "basic-charset-not-utf8",
        `Line ${index}: the only charset a Basic challenge may announce is "UTF-8"`,
        index,
      ),
    );
  }
  if (scheme === "bearer" && params.error !== undefined && options.requestHadCredentials === false) {
    findings.push(
      finding(
        "bearer-error-without-credentials",
        `Line ${index}: the request carried no credentials, so the Bearer challenge should have no error`,
        index,
      ),
    );
  }
  if (scheme === "digest") digestFindings(params, index, findings);
}

/** Findings about one Digest challenge (RFC 7616 §3.3). */
function digestFindings(params: Readonly<Record<string, string>>, index: number, findings: LintFinding[]): void {
  if (params.nonce === undefined) {
    findings.push(finding("digest-without-nonce", `Line ${index}: a Digest challenge needs a nonce`, index));
  }
  if (params.qop === undefined) {
    findings.push(
      finding(
        "digest-without-qop",
        `Line ${index}: offer qop="auth" (the RFC 2069 form without qop has no nonce count and no cnonce)`,
        index,
      ),
    );
  }
  const algorithm = params.algorithm;
  if (algorithm !== undefined && !DIGEST_ALGORITHMS.has(algorithm.toLowerCase())) {
    findings.push(
      finding(
        "digest-unknown-algorithm",
        `Line ${index}: ${algorithm.toLowerCase() === "sha-1" ? "SHA-1 is not a Digest algorithm" : "the algorithm is not registered"}; use SHA-256 (or MD5, SHA-512-256, or their -sess forms)`,
        index,
      ),
    );
  }
}
