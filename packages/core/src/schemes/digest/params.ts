/**
 * Reading the parameters of a Digest challenge or credentials: the shape of
 * an element the caller passes, own string properties only, and the
 * characters a received parameter may hold.
 *
 * @module
 */

import type { AuthParams } from "../../auth-params.ts";
import type { Credentials } from "../../credentials.ts";
import type { HTTPAuthErrorCode } from "../../errors.ts";
import { HTTPAuthError } from "../../errors.ts";
import { hasNonFieldCharacter } from "./characters.ts";

/** An error of parsing Digest credentials, `invalid-parameter` unless told. */
export function invalid(message: string, code: HTTPAuthErrorCode = "invalid-parameter"): HTTPAuthError {
  return new HTTPAuthError(code, `Cannot parse Digest credentials: ${message}`);
}

/** Checks the shape of a challenge or credentials object given by the caller. */
export function checkElement(value: unknown, context: string): Credentials {
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as Credentials).scheme !== "string" ||
    typeof (value as Credentials).params !== "object" ||
    (value as Credentials).params === null
  ) {
    throw new TypeError(`${context}: expected a string or an object with a scheme and params`);
  }
  return value as Credentials;
}

/** Reads one parameter by its lower-case name; own properties only. */
export function readParam(params: AuthParams, name: string, context: string): string | undefined {
  if (!Object.hasOwn(params, name)) return undefined;
  const value: unknown = params[name];
  if (typeof value !== "string") throw new TypeError(`${context}: the parameter ${name} must be a string`);
  return value;
}

/**
 * Reads a parameter received in a field, refusing characters a field cannot
 * carry. `scanned` says the parameters come from the RFC 9110 grammar, whose
 * tokens and quoted-strings cannot hold such characters: then they are not
 * looked for a second time.
 */
export function readReceived(params: AuthParams, name: string, scanned = false): string | undefined {
  const value = readParam(params, name, "Cannot parse Digest credentials");
  if (value !== undefined && !scanned && hasNonFieldCharacter(value)) {
    throw invalid(`the ${name} parameter has a control character or a character above U+00FF`);
  }
  return value;
}

export function requireReceived(params: AuthParams, name: string, scanned: boolean): string {
  const value = readReceived(params, name, scanned);
  if (value === undefined) throw invalid(`add the required ${name} parameter (RFC 7616 §3.4)`, "missing-parameter");
  return value;
}
