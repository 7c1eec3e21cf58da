/**
 * Serializing the two shapes every auth field is made of: a list of
 * auth-params, and an element (challenge or credentials) that is a scheme
 * followed by a token68 or by auth-params.
 *
 * @module
 */

import { assertToken, isToken, isToken68, quoteString } from "./quote.ts";
import type { ElementKind, SchemeRules } from "./registered.ts";
import { rulesFor } from "./registered.ts";

/**
 * The casing the IANA HTTP Authentication Scheme Registry gives each scheme;
 * a scheme not listed here is written as the caller gave it.
 */
const REGISTERED_SCHEMES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  basic: "Basic",
  bearer: "Bearer",
  concealed: "Concealed",
  digest: "Digest",
  dpop: "DPoP",
  gnap: "GNAP",
  hoba: "HOBA",
  mutual: "Mutual",
  negotiate: "Negotiate",
  oauth: "OAuth",
  privatetoken: "PrivateToken",
  "scram-sha-1": "SCRAM-SHA-1",
  "scram-sha-256": "SCRAM-SHA-256",
  vapid: "vapid",
});

/** The registered spelling of `scheme`, or `scheme` itself. */
export function canonicalScheme(scheme: string): string {
  return REGISTERED_SCHEMES[scheme.toLowerCase()] ?? scheme;
}

/** The label of a parameter's value in messages; built only when a message is. */
function valueLabel(name: string): string {
  return `the value of '${name}'`;
}

/** The shape shared by challenges and credentials. */
export interface ElementLike {
  scheme: string;
  token68?: string | undefined;
  params?: Readonly<Record<string, string>> | undefined;
}

/**
 * #auth-param, written as `name=value, name="quoted value"`.
 * `realm` is always a quoted-string (RFC 9110 §11.5), and so is every
 * parameter the scheme's `rules` quote; parameters the rules make tokens must
 * be tokens; other values are written as a token when they are one, quoted
 * and escaped otherwise.
 */
export function serializeParamList(params: unknown, what: string, rules?: SchemeRules): string {
  if (typeof params !== "object" || params === null || Array.isArray(params)) {
    throw new TypeError(`Cannot serialize ${what}: params must be an object of name → string`);
  }
  // Names that are already lower case cannot repeat ignoring case (object keys
  // are distinct), so the set of lower-cased names is built only once a name
  // with an upper-case letter shows up, from the names before it.
  const names = Object.keys(params);
  let seen: Set<string> | undefined;
  let result = "";
  for (let position = 0; position < names.length; position++) {
    const name = names[position]!;
    assertToken(name, what, "a parameter name");
    const lower = name.toLowerCase();
    if (seen === undefined && lower !== name) {
      seen = new Set<string>();
      for (let earlier = 0; earlier < position; earlier++) seen.add(names[earlier]!);
    }
    if (seen !== undefined) {
      if (seen.has(lower)) {
        throw new TypeError(
          `Cannot serialize ${what}: the parameter '${lower}' appears twice (names compare case-insensitively)`,
        );
      }
      seen.add(lower);
    }
    const value = (params as Record<string, unknown>)[name];
    if (typeof value !== "string") {
      throw new TypeError(`Cannot serialize ${what}: the value of '${name}' must be a string, got ${typeof value}`);
    }
    let written: string;
    if (rules?.tokens.has(lower)) {
      if (!isToken(value)) assertToken(value, what, valueLabel(name));
      written = value;
    } else if (lower === "realm" || rules?.quoted.has(lower) || !isToken(value)) {
      written = quoteString(value, what, name, valueLabel);
    } else {
      written = value;
    }
    result += result === "" ? `${name}=${written}` : `, ${name}=${written}`;
  }
  return result;
}

/**
 * challenge / credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *
 * A registered scheme's rules apply whatever built the element.
 */
export function serializeElement(element: unknown, kind: ElementKind): string {
  const what = kind;
  if (typeof element !== "object" || element === null) {
    throw new TypeError(`Cannot serialize ${what}: expected an object with a scheme`);
  }
  const { scheme, token68, params } = element as ElementLike;
  assertToken(scheme, what, "the scheme");
  const name = canonicalScheme(scheme);
  const rules = rulesFor(scheme, kind);
  const list = params === undefined ? "" : serializeParamList(params, what, rules);
  if (token68 !== undefined) {
    if (typeof token68 !== "string" || !isToken68(token68)) {
      throw new TypeError(
        `Cannot serialize ${what}: token68 must be letters, digits and -._~+/ followed only by '=' padding`,
      );
    }
    if (list !== "") {
      throw new TypeError(`Cannot serialize ${what}: give either token68 or params, not both`);
    }
    rules?.check(token68, params ?? {}, what);
    return `${name} ${token68}`;
  }
  rules?.check(undefined, params ?? {}, what);
  return list === "" ? name : `${name} ${list}`;
}
