/**
 * The URL rule of RFC 9728 for resource identifiers and metadata URLs: an
 * absolute `https` URL without a fragment; plain `http` only on a loopback
 * host (for development), never anywhere else.
 *
 * @module
 */

import { isLoopbackHostname } from "../loopback.ts";

/** The longest URL accepted, in characters: far above any real one, low enough to bound the work. */
export const MAX_URL_LENGTH = 2048;

/**
 * Why `value` is not a URL RFC 9728 accepts, or `undefined` when it is one.
 *
 * @param value Anything.
 * @returns A sentence fragment for an error message, or `undefined`.
 */
export function resourceURLProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return "must be a string";
  if (value.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL such as https://api.example/mcp";
  }
  if (url.protocol === "http:") {
    if (!isLoopbackHostname(url.hostname)) {
      return "must use https; http is allowed only on a loopback host (localhost, 127.0.0.0/8, [::1])";
    }
  } else if (url.protocol !== "https:") {
    return "must be an https URL (http only on a loopback host)";
  }
  if (url.hash !== "" || value.includes("#")) return "must not have a fragment (RFC 9728 §1.2)";
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  return undefined;
}

/**
 * Checks a URL against RFC 9728's rule.
 *
 * @param value The URL.
 * @param what Who is asking and which value, for the message (`bearerAuth(): resourceMetadata`).
 * @returns The URL, exactly as given (clients compare it character by character, RFC 9728 §3.3).
 * @throws {TypeError} With `what` and the problem.
 */
export function checkResourceURL(value: unknown, what: string): string {
  const problem = resourceURLProblem(value);
  if (problem !== undefined) throw new TypeError(`${what} ${problem}`);
  return value as string;
}
