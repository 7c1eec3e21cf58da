/**
 * Lower-casing scheme and parameter names without allocating for the names
 * every request carries. A name found in a list of known names comes back as
 * that list's string literal: engines keep literals in their string table, so
 * a literal is a fast property key, where a name freshly sliced from the
 * field value must first be looked up there (on Node 20 that lookup costs
 * several hundred nanoseconds per parameter). Other names are sliced and
 * lower-cased as before; the result is the same string either way.
 *
 * @module
 */

/**
 * Known names grouped by length and first letter, so that a lookup compares
 * one candidate, rarely two: slot `length * 32 + (first code unit & 31)`
 * (`& 31` folds ASCII case), for lengths up to {@linkcode LONGEST_KNOWN}.
 */
export type KnownNames = readonly (readonly string[] | undefined)[];

/** The longest name a list of known names may hold. */
const LONGEST_KNOWN = 31;

/** Groups lower-case ASCII `names` by length and first letter. */
export function knownNames(names: readonly string[]): KnownNames {
  const slots: string[][] = [];
  for (const name of names) {
    if (name.length === 0 || name.length > LONGEST_KNOWN) throw new RangeError(`Cannot index the name ${name}`);
    const slot = name.length * 32 + (name.charCodeAt(0) & 31);
    const group = slots[slot];
    if (group === undefined) slots[slot] = [name];
    else group.push(name);
  }
  return slots;
}

/** Parameter names of the registered schemes (RFC 7617, RFC 6750, RFC 7616) and Authentication-Info. */
export const PARAMETER_NAMES: KnownNames = knownNames([
  "realm",
  "charset",
  "scope",
  "error",
  "error_description",
  "error_uri",
  "domain",
  "nonce",
  "opaque",
  "stale",
  "algorithm",
  "qop",
  "userhash",
  "username",
  "username*",
  "uri",
  "response",
  "cnonce",
  "nc",
  "nextnonce",
  "rspauth",
]);

/** Scheme names of the IANA HTTP Authentication Scheme Registry. */
export const SCHEME_NAMES: KnownNames = knownNames([
  "basic",
  "bearer",
  "digest",
  "concealed",
  "dpop",
  "gnap",
  "hoba",
  "mutual",
  "negotiate",
  "oauth",
  "privatetoken",
  "scram-sha-1",
  "scram-sha-256",
  "vapid",
]);

/** Whether `value[start, start + name.length)` equals the lower-case `name`, ignoring ASCII case. */
function equalsIgnoringCase(value: string, start: number, name: string): boolean {
  for (let index = 0; index < name.length; index++) {
    let code = value.charCodeAt(start + index);
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code !== name.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * The literal from `known` that `value[start, end)` spells in any ASCII
 * case, or `undefined` when it is none of them.
 */
export function knownToken(value: string, start: number, end: number, known: KnownNames): string | undefined {
  const length = end - start;
  if (length > LONGEST_KNOWN) return undefined;
  const candidates = known[length * 32 + (value.charCodeAt(start) & 31)];
  if (candidates === undefined) return undefined;
  for (let index = 0; index < candidates.length; index++) {
    const name = candidates[index]!;
    if (equalsIgnoringCase(value, start, name)) return name;
  }
  return undefined;
}

/**
 * `value.slice(start, end).toLowerCase()` for a token (ASCII only), returned
 * as the literal from `known` when it is one of them.
 */
export function lowerCaseToken(value: string, start: number, end: number, known: KnownNames): string {
  return knownToken(value, start, end, known) ?? value.slice(start, end).toLowerCase();
}
