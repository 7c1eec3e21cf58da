/**
 * CORS preflights: the option that says whether they pass unauthenticated,
 * and the context they reach a handler with.
 *
 * @module
 */

import type { AuthContext } from "@httpauth/core";

/**
 * The context a CORS preflight reaches the handler with: no identity. The
 * scheme names no scheme policy, so a handler can tell it from any other.
 */
export const PREFLIGHT_CONTEXT: AuthContext<undefined> = Object.freeze({
  identity: undefined,
  scheme: "cors-preflight",
});

/**
 * Checks `options.corsPreflight`.
 *
 * @param value the option as given
 * @param context the function, for the message
 * @returns whether preflights pass unauthenticated (`"pass"`, the default)
 * @throws {TypeError} If `value` is neither `"pass"` nor `"authenticate"`.
 */
export function passesPreflights(value: unknown, context: string): boolean {
  if (value === undefined || value === "pass") return true;
  if (value === "authenticate") return false;
  throw new TypeError(`${context}: options.corsPreflight must be "pass" or "authenticate"`);
}
