/**
 * Why a DPoP proof (RFC 9449) was refused: one error class with a stable
 * `code` from a closed set, and the RFC 9449 error each code is answered with.
 *
 * @module
 */

/** The registry symbol that marks a DpopError from any copy of httpauth. */
const BRAND: symbol = Symbol.for("httpauth.DpopError");

/**
 * Every reason a DPoP proof or a DPoP-bound token is refused. The set is
 * closed: a new code is a new minor version.
 *
 * | code | meaning | RFC 9449 error |
 * |---|---|---|
 * | `malformed-proof` | no `DPoP` field or several; not a compact JWS; oversized; bad base64url or JSON; `typ` not `dpop+jwt`; a claim missing or of the wrong type; a `crit` header | `invalid_dpop_proof` |
 * | `unsupported-algorithm` | `alg` is `none`, a MAC, or not among the accepted algorithms | `invalid_dpop_proof` |
 * | `invalid-key` | `jwk` holds a private member, does not fit `alg` (kty, crv, coordinate size), or is an RSA key under 2048 bits | `invalid_dpop_proof` |
 * | `invalid-signature` | the signature does not verify with `jwk`, or has the wrong length | `invalid_dpop_proof` |
 * | `wrong-method` | `htm` is not the request method (§4.3 check 8) | `invalid_dpop_proof` |
 * | `wrong-uri` | `htu` is not the request URI (§4.3 check 9) | `invalid_dpop_proof` |
 * | `stale-proof` | `iat` is outside the accepted window (§4.3 check 11) | `invalid_dpop_proof` |
 * | `replayed-proof` | the `jti` was seen before within the window (§11.1) | `invalid_dpop_proof` |
 * | `wrong-token-hash` | `ath` is missing or not the hash of the access token (§4.3 check 12) | `invalid_dpop_proof` |
 * | `wrong-key` | the access token is bound to another key than the proof's (`cnf.jkt`, §6.1) | `invalid_token` |
 * | `use-nonce` | the server requires a nonce and the proof has none (§9) | `use_dpop_nonce` |
 * | `stale-nonce` | the proof's nonce is not one of this server's, or too old (§9) | `use_dpop_nonce` |
 * | `bearer-bound-token` | a DPoP-bound token was sent with the `Bearer` scheme (§7.2) | `invalid_token` |
 */
export type DpopErrorCode =
  | "malformed-proof"
  | "unsupported-algorithm"
  | "invalid-key"
  | "invalid-signature"
  | "wrong-method"
  | "wrong-uri"
  | "stale-proof"
  | "replayed-proof"
  | "wrong-token-hash"
  | "wrong-key"
  | "use-nonce"
  | "stale-nonce"
  | "bearer-bound-token";

/** The RFC 9449 §7.1 / RFC 6750 §3.1 error each code is answered with. */
export const DPOP_ERROR_OF: Readonly<Record<DpopErrorCode, "invalid_dpop_proof" | "use_dpop_nonce" | "invalid_token">> =
  Object.freeze({
    "malformed-proof": "invalid_dpop_proof",
    "unsupported-algorithm": "invalid_dpop_proof",
    "invalid-key": "invalid_dpop_proof",
    "invalid-signature": "invalid_dpop_proof",
    "wrong-method": "invalid_dpop_proof",
    "wrong-uri": "invalid_dpop_proof",
    "stale-proof": "invalid_dpop_proof",
    "replayed-proof": "invalid_dpop_proof",
    "wrong-token-hash": "invalid_dpop_proof",
    "wrong-key": "invalid_token",
    "use-nonce": "use_dpop_nonce",
    "stale-nonce": "use_dpop_nonce",
    "bearer-bound-token": "invalid_token",
  });

/**
 * A DPoP proof (RFC 9449 §4.3) or a DPoP-bound token that httpauth will not
 * accept. `code` says why; the message names the check and never contains
 * the proof or the token.
 *
 * @example Branch on the code
 * ```ts
 * import assert from "node:assert/strict";
 * import { isDpopError, verifyDpopProof } from "@httpauth/core";
 *
 * try {
 *   await verifyDpopProof("not.a.proof", { method: "GET", url: "https://api.example/" });
 *   assert.fail("expected an error");
 * } catch (error) {
 *   assert.ok(isDpopError(error));
 *   assert.equal(error.code, "malformed-proof");
 * }
 * ```
 */
export class DpopError extends Error {
  /** Why the proof was refused; stable across versions. */
  readonly code: DpopErrorCode;
  /**
   * Creates the error for a proof that cannot be accepted.
   *
   * @param code One of {@linkcode DpopErrorCode}.
   * @param message What is wrong, without the proof or the token.
   */
  constructor(code: DpopErrorCode, message: string) {
    super(message);
    this.name = "DpopError";
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * Whether `value` is a {@linkcode DpopError}, also when it was thrown by
 * another installed copy of httpauth (where `instanceof` answers false).
 *
 * @param value Anything, typically a caught error.
 * @returns `true` if `value` is a `DpopError` from any copy of the package.
 *
 * @example Recognise a refused proof
 * ```ts
 * import assert from "node:assert/strict";
 * import { DpopError, isDpopError } from "@httpauth/core";
 *
 * assert.ok(isDpopError(new DpopError("stale-proof", "Cannot accept the DPoP proof: iat is too old")));
 * assert.equal(isDpopError(new Error("other")), false);
 * ```
 */
export function isDpopError(value: unknown): value is DpopError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
