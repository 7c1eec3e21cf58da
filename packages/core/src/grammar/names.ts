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

/** Known names grouped by length, so that a lookup compares a handful of candidates at most. */
export type KnownNames = readonly (readonly string[] | undefined)[];

/** Groups lower-case ASCII `names` by length. */
export function knownNames(names: readonly string[]): KnownNames {
  const byLength: string[][] = [];
  for (const name of names) {
    const group = byLength[name.length];
    if (group === undefined) byLength[name.length] = [name];
    else group.push(name);
  }
  return byLength;
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
 * `value.slice(start, end).toLowerCase()` for a token (ASCII only), returned
 * as the literal from `known` when it is one of them.
 */
export function lowerCaseToken(value: string, start: number, end: number, known: KnownNames): string {
  const candidates = known[end - start];
  if (candidates !== undefined) {
    for (const name of candidates) if (equalsIgnoringCase(value, start, name)) return name;
  }
  return value.slice(start, end).toLowerCase();
}
