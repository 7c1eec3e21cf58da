/**
 * The body of a failure response: a short plain-text line, or RFC 9457
 * problem details. Neither ever repeats a credential.
 *
 * @module
 */

import type { AuthFailureReason } from "../policies/types.ts";

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

/** Bodies already written, by form, status and reason: each is the same string every time. */
const written = {
  text: new Map<FailureStatus, Map<AuthFailureReason, string>>(),
  problem: new Map<FailureStatus, Map<AuthFailureReason, string>>(),
};

/**
 * The body of a failure response, written once per status, reason and form
 * and then reused (a refused request builds no new string).
 *
 * @param status The response status.
 * @param reason Why.
 * @param problemDetails RFC 9457 `application/problem+json` instead of plain text.
 * @returns The body.
 */
export function failureBody(status: FailureStatus, reason: AuthFailureReason, problemDetails: boolean): string {
  // At most 2 forms × 5 statuses × 12 reasons: a small table, filled as answers are first given.
  const form = problemDetails ? written.problem : written.text;
  let byReason = form.get(status);
  if (byReason === undefined) {
    byReason = new Map();
    form.set(status, byReason);
  }
  let body = byReason.get(reason);
  if (body === undefined) {
    body = problemDetails
      ? JSON.stringify({ type: "about:blank", title: STATUS_TEXT[status], status, detail: DETAIL[reason] })
      : `${status} ${STATUS_TEXT[status]}: ${DETAIL[reason]}\n`;
    byReason.set(reason, body);
  }
  return body;
}

/**
 * The `Content-Type` of a failure body.
 *
 * @param problemDetails RFC 9457 `application/problem+json` instead of plain text.
 * @returns The media type.
 */
export function failureContentType(problemDetails: boolean): string {
  return problemDetails ? "application/problem+json" : "text/plain; charset=utf-8";
}
