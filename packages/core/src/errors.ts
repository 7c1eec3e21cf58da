/**
 * The error thrown for received input that breaks the grammar of an HTTP
 * authentication field, and the closed set of codes a program can branch on.
 *
 * @module
 */

/** The registry symbol that marks an HTTPAuthError from any copy of httpauth. */
const BRAND: symbol = Symbol.for("httpauth.HTTPAuthError");

/**
 * Every reason httpauth rejects a received field value. The set is closed:
 * a new code is a new minor version, never a silent change.
 *
 * | code | meaning |
 * |---|---|
 * | `field-too-large` | the value is longer than the size cap (`maxLength`, default 8 KiB) |
 * | `control-character` | CR, LF, NUL, DEL or another control character where none is allowed |
 * | `non-latin1-character` | a character above U+00FF, which no HTTP field can carry |
 * | `unterminated-quoted-string` | a `"` that is never closed |
 * | `expected-scheme` | an auth-scheme token was expected (an empty credentials field, a parameter before any scheme) |
 * | `expected-parameter` | a bare word or character where an `auth-param` (`name=value`) was expected |
 * | `expected-value` | `name=` without a token or quoted-string after it |
 * | `unexpected-character` | a character that cannot continue the element (a missing comma, a missing space after the scheme) |
 * | `duplicate-parameter` | a parameter name appears twice in one challenge or credentials (RFC 9110 §11.2) |
 * | `wrong-scheme` | the credentials or challenge use another scheme than the one asked for |
 * | `missing-token` | Basic or Bearer credentials without a token68 |
 * | `invalid-token68` | a Bearer token with a character outside b64token (RFC 6750 §2.1) |
 * | `invalid-base64` | Basic credentials that are not strict base64 (RFC 4648 §4) |
 * | `missing-colon` | decoded Basic credentials without the `:` between user-id and password (RFC 7617 §2) |
 * | `decoded-control-character` | a control character in the decoded user-id or password (RFC 7617 §2) |
 * | `invalid-utf8` | Basic credentials that are not UTF-8 when the ISO-8859-1 fallback is off |
 * | `missing-parameter` | a parameter the scheme requires is absent (Digest `nonce`, `response`, …) |
 * | `invalid-parameter` | a parameter whose value breaks the scheme's syntax (Digest `nc`, `qop`, `username*`, …) |
 * | `unsupported-algorithm` | a Digest algorithm httpauth does not implement |
 * | `unsupported-qop` | a Digest challenge that offers no qop httpauth implements |
 * | `rspauth-mismatch` | a Digest `Authentication-Info` whose `rspauth` does not prove the server knows the password |
 * | `invalid-metadata` | a Protected Resource Metadata document that is not a JSON object, or has a member of the wrong type (RFC 9728 §2, §3.2) |
 * | `resource-mismatch` | a Protected Resource Metadata document whose `resource` is not the URL the client used (RFC 9728 §3.3) |
 */
export type HTTPAuthErrorCode =
  | "field-too-large"
  | "control-character"
  | "non-latin1-character"
  | "unterminated-quoted-string"
  | "expected-scheme"
  | "expected-parameter"
  | "expected-value"
  | "unexpected-character"
  | "duplicate-parameter"
  | "wrong-scheme"
  | "missing-token"
  | "invalid-token68"
  | "invalid-base64"
  | "missing-colon"
  | "decoded-control-character"
  | "invalid-utf8"
  | "missing-parameter"
  | "invalid-parameter"
  | "unsupported-algorithm"
  | "unsupported-qop"
  | "rspauth-mismatch"
  | "invalid-metadata"
  | "resource-mismatch";

/** Options accepted by the {@linkcode HTTPAuthError} constructor. */
export interface HTTPAuthErrorOptions {
  /** Where in the field value scanning stopped (UTF-16 code units from 0). */
  index?: number;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * Received input that httpauth will not accept. `code` says why, `index`
 * where. The message says what is wrong and where, and never contains the
 * field value, which may carry a password or a token.
 *
 * @example Branch on the code
 * ```ts
 * import assert from "node:assert/strict";
 * import { HTTPAuthError, parseCredentials } from "@httpauth/core";
 *
 * try {
 *   parseCredentials('Digest realm="unterminated');
 *   assert.fail("expected an error");
 * } catch (error) {
 *   assert.ok(error instanceof HTTPAuthError);
 *   assert.equal(error.code, "unterminated-quoted-string");
 *   assert.equal(error.index, 13);
 * }
 * ```
 */
export class HTTPAuthError extends Error {
  /** Why the input was rejected; stable across versions. */
  readonly code: HTTPAuthErrorCode;
  /** Where scanning stopped, or -1 where no single position applies. */
  readonly index: number;
  /**
   * Creates the error for received input that cannot be accepted.
   *
   * @param code One of {@linkcode HTTPAuthErrorCode}.
   * @param message What is wrong and where, without the field value.
   * @param options The index where scanning stopped, and a cause.
   */
  constructor(code: HTTPAuthErrorCode, message: string, options: HTTPAuthErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HTTPAuthError";
    this.code = code;
    this.index = options.index ?? -1;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Whether `value` is an {@linkcode HTTPAuthError}, also when it was thrown by
 * another installed copy of httpauth (where `instanceof` answers false).
 *
 * @param value Anything, typically a caught error.
 * @returns `true` if `value` is an `HTTPAuthError` from any copy of the package.
 *
 * @example Recognise a parse failure
 * ```ts
 * import assert from "node:assert/strict";
 * import { isHTTPAuthError, parseChallenges } from "@httpauth/core";
 *
 * let caught: unknown;
 * try {
 *   parseChallenges("Basic realm=\"a\" realm=\"b\"");
 * } catch (error) {
 *   caught = error;
 * }
 * assert.ok(isHTTPAuthError(caught));
 * assert.equal(isHTTPAuthError(new Error("other")), false);
 * ```
 */
export function isHTTPAuthError(value: unknown): value is HTTPAuthError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
