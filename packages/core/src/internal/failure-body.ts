/**
 * The body of a failure response: a short plain-text line, or RFC 9457
 * problem details. Neither ever repeats a credential.
 *
 * @module
 */

import type { AuthFailureReason, HeaderLine } from "../policies/types.ts";

/** The statuses a failure can have. */
export type FailureStatus = 400 | 401 | 403 | 407 | 429;

const STATUS_TEXT: Readonly<Record<FailureStatus, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  407: "Proxy Authentication Required",
  429: "Too Many Requests",
};

const DETAIL: Readonly<Record<AuthFailureReason, string>> = {
  "missing-credentials": "Authentication is required.",
  "unsupported-scheme": "The credentials use an authentication scheme this resource does not accept.",
  "malformed-credentials": "The credentials are malformed.",
  "invalid-credentials": "The credentials are not valid.",
  "invalid-request": "The request is malformed.",
  "invalid-token": "The access token is not valid.",
  "insufficient-scope": "The access token does not grant the scope this resource needs.",
  "insufficient-user-authentication": "A stronger or more recent authentication of the user is required.",
  "stale-nonce": "The nonce has expired; retry with the new one.",
  "invalid-dpop-proof": "The DPoP proof is not valid.",
  "use-dpop-nonce": "The DPoP proof needs the server's nonce; retry with the one in DPoP-Nonce.",
  throttled: "Too many failed attempts; retry later.",
};

/**
 * The `Content-Type` line and the body of a failure.
 *
 * @param status The status.
 * @param reason Why.
 * @param problemDetails RFC 9457 `application/problem+json` instead of plain text.
 * @returns The header line and the body.
 */
export function failureBody(
  status: FailureStatus,
  reason: AuthFailureReason,
  problemDetails: boolean,
): [HeaderLine, string] {
  if (problemDetails) {
    const problem = { type: "about:blank", title: STATUS_TEXT[status], status, detail: DETAIL[reason] };
    return [["Content-Type", "application/problem+json"], JSON.stringify(problem)];
  }
  return [["Content-Type", "text/plain; charset=utf-8"], `${status} ${STATUS_TEXT[status]}: ${DETAIL[reason]}\n`];
}
