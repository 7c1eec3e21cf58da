/**
 * The `realm` option of the policies: a string, checked once at start-up,
 * or a function of the request, whose result is checked on every request
 * it answers (RFC 9110 §11.5: the realm is a quoted-string).
 *
 * @module
 */

import type { AuthRequest } from "../policies/types.ts";

/**
 * The longest realm a realm function may return, in characters. A realm is
 * often made from the `Host` header, which the client chooses: the cap keeps
 * a challenge line (and the per-realm memory below) small whatever it sends.
 */
export const MAX_REALM_LENGTH = 256;

/** How many distinct realms a policy remembers the challenges of; the oldest goes first. */
const REMEMBERED_REALMS = 64;

/**
 * Checks what a realm function returned: a string, not blank, of at most
 * {@linkcode MAX_REALM_LENGTH} characters, each one a quoted-string can carry
 * (HTAB, SP, visible ASCII, U+00A0–U+00FF; `"` and `\` are escaped when sent).
 * The message never repeats the value: it may come from a request header.
 *
 * @param value What the function returned.
 * @param what The policy, for the message (`basicAuth()`).
 * @returns The realm.
 * @throws {TypeError} If the value cannot be sent as a realm.
 */
export function checkRealmResult(value: unknown, what: string): string {
  if (typeof value !== "string") {
    throw new TypeError(`${what}: the realm function must return a string (not a Promise), got ${typeof value}`);
  }
  if (value.trim() === "") throw new TypeError(`${what}: the realm function returned a blank realm; return a name`);
  if (value.length > MAX_REALM_LENGTH) {
    throw new TypeError(`${what}: the realm function returned more than ${MAX_REALM_LENGTH} characters`);
  }
  const index = unsendableIndex(value);
  if (index !== -1) {
    throw new TypeError(
      `${what}: the realm function returned a character a quoted-string cannot carry at index ${index} (a control character or one above U+00FF)`,
    );
  }
  return value;
}

/**
 * The index of the first character httpauth never writes in a quoted-string
 * (a control character but HTAB — C0, DEL, C1 — or one above U+00FF), or -1.
 * The same rule as the serializer's, without its tables, so that a policy
 * can check a static realm at start-up without bundling the serializer.
 *
 * @param value The text.
 * @returns The index, or -1.
 */
export function unsendableIndex(value: string): number {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) return index;
  }
  return -1;
}

/**
 * Whether the `realm` option is a function; throws unless it is a function,
 * a string or (when `optional`) `undefined`. A string is checked by the
 * caller, as before.
 *
 * @param realm The option.
 * @param what The policy, for the message.
 * @param optional Whether the policy may go without a realm.
 * @returns `true` for a function.
 * @throws {TypeError} If `realm` is of another type.
 */
export function isRealmFunction(
  realm: unknown,
  what: string,
  optional: boolean,
): realm is (request: AuthRequest) => string {
  if (typeof realm === "function") return true;
  if (typeof realm === "string" || (optional && realm === undefined)) return false;
  throw new TypeError(
    `${what}: realm must be a string or a function of the request returning one${optional ? ", when given" : ""}`,
  );
}

/**
 * Turns a realm function into a function of the request that returns what
 * `build` made of the realm, checked. What was built is remembered for the
 * last {@linkcode REMEMBERED_REALMS} realms, so that the frozen challenges of
 * a realm are made, and their lines serialized, once.
 *
 * @param realm The app's realm function.
 * @param what The policy, for the messages.
 * @param build Makes what the policy needs from a checked realm.
 * @returns The function of the request. It throws what `realm` throws, and a
 *   `TypeError` for a result {@linkcode checkRealmResult} refuses.
 */
export function realmResolver<T>(
  realm: (request: AuthRequest) => string,
  what: string,
  build: (realm: string) => T,
): (request: AuthRequest) => T {
  const built = new Map<string, T>();
  return (request) => {
    const value: unknown = realm(request);
    if (typeof value === "string") {
      const hit = built.get(value);
      if (hit !== undefined) return hit;
    }
    const checked = checkRealmResult(value, what);
    const made = build(checked);
    if (built.size >= REMEMBERED_REALMS) built.delete(built.keys().next().value as string);
    built.set(checked, made);
    return made;
  };
}
