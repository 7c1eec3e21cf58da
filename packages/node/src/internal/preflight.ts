/**
 * The `corsPreflight` option of `protect` and `middleware`: whether a CORS
 * preflight (`isCorsPreflight` of `@httpauth/core` decides) passes
 * unauthenticated, and the context it passes with.
 *
 * @module
 */

import type { AuthContext } from "@httpauth/core";

/** What `request.auth` is for a CORS preflight let through: no identity, and no scheme policy's name. */
export const PREFLIGHT_CONTEXT: AuthContext<undefined> = Object.freeze({
  identity: undefined,
  scheme: "cors-preflight",
});

/** `options.corsPreflight`, checked: whether preflights pass unauthenticated (`"pass"`, the default). */
export function passesPreflights(value: unknown, context: string): boolean {
  if (value === undefined || value === "pass") return true;
  if (value === "authenticate") return false;
  throw new TypeError(`${context} options.corsPreflight must be "pass" or "authenticate"`);
}
