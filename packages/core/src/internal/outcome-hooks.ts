/**
 * What `createAuthenticator` does with an outcome once it is decided: a
 * failure body of the app's own (status and challenges kept), then the
 * `onSuccess` / `onFailure` audit hooks, which never see a credential.
 *
 * @module
 */

import type { AuthEventRequest } from "../authenticator.ts";
import { requestTarget } from "./policy-support.ts";

/** A failure body of the app's own: plain text, or an object sent as JSON. */
export type FailureBody = string | Readonly<Record<string, unknown>>;

/** The failure as the hooks and a `failureResponse` function see it. */
export interface FailureShape {
  readonly status: number;
  readonly reason: string;
  headers: [string, string][];
  body: string;
}

/** Checks a `failureResponse` option: a string, an object, or a function. */
export function checkFailureResponse(value: unknown): void {
  if (value === undefined || typeof value === "string" || typeof value === "function") return;
  if (typeof value === "object" && value !== null) return;
  throw new TypeError("createAuthenticator(): failureResponse is a string, an object or a function of the failure");
}

/**
 * Replaces a failure's body (and its `Content-Type` line) with the app's own.
 *
 * @param failure the failure, changed in place
 * @param option the `failureResponse` option
 */
export function customizeFailure<Failure extends FailureShape>(
  failure: Failure,
  option: FailureBody | ((failure: Failure) => FailureBody),
): void {
  const body = typeof option === "function" ? option(failure) : option;
  let text: string;
  let contentType: string;
  if (typeof body === "string") {
    text = body;
    contentType = "text/plain; charset=utf-8";
  } else if (typeof body === "object" && body !== null) {
    text = JSON.stringify(body);
    contentType = "application/json";
  } else {
    throw new TypeError("failureResponse() must return a string or an object");
  }
  failure.body = text;
  failure.headers = failure.headers.filter(([name]) => name.toLowerCase() !== "content-type");
  failure.headers.push(["Content-Type", contentType]);
}

/**
 * The request as the hooks see it.
 *
 * @param request the request given to `authenticate`
 * @returns its method, path (no query) and client address
 */
export function eventRequest(request: {
  method: string;
  url: string;
  clientAddress?: string | undefined;
}): AuthEventRequest {
  const target = requestTarget(String(request.url));
  const query = target.indexOf("?");
  return {
    method: String(request.method),
    path: query === -1 ? target : target.slice(0, query),
    clientAddress: request.clientAddress,
  };
}
