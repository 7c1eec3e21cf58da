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
 * The lower-case parameter names httpauth knows (the registered schemes'
 * and Authentication-Info's). A name found in a mode table is a token and
 * its own lower case, so the loop below skips both checks for it; every
 * other name takes the full path.
 */
const KNOWN_NAMES: readonly string[] = [
  "realm",
  "charset",
  "scope",
  "error",
  "error_description",
  "error_uri",
  "acr_values",
  "max_age",
  "resource_metadata",
  "domain",
  "nonce",
  "opaque",
  "stale",
  "algorithm",
  "qop",
  "userhash",
  "username",
  "uri",
  "response",
  "cnonce",
  "nc",
  "nextnonce",
  "rspauth",
];

/** How a parameter's value is written. */
type ValueMode = 0 | 1 | 2;
/** A token when it is one, quoted and escaped otherwise. */
const AUTO: ValueMode = 0;
/** Always a quoted-string. */
const QUOTED_VALUE: ValueMode = 1;
/** A token, or a TypeError. */
const TOKEN_VALUE: ValueMode = 2;

/** Lower-case name → mode, for one scheme's rules (or none): one lookup per parameter. */
export type ModeTable = ReadonlyMap<string, ValueMode>;

function buildModes(rules: SchemeRules | undefined): ModeTable {
  const modes = new Map<string, ValueMode>();
  const names = [...KNOWN_NAMES, ...(rules?.quoted ?? []), ...(rules?.tokens ?? [])];
  for (const name of names) {
    let mode = AUTO;
    if (rules?.tokens.has(name)) mode = TOKEN_VALUE;
    else if (name === "realm" || rules?.quoted.has(name)) mode = QUOTED_VALUE;
    modes.set(name, mode);
  }
  return modes;
}

const NO_RULES_MODES: ModeTable = buildModes(undefined);
/** Mode tables of the registered rules, built on first use (the rules are a fixed set of objects). */
const MODES_BY_RULES: WeakMap<SchemeRules, ModeTable> = new WeakMap();

function modesFor(rules: SchemeRules | undefined): ModeTable {
  if (rules === undefined) return NO_RULES_MODES;
  let modes = MODES_BY_RULES.get(rules);
  if (modes === undefined) {
    modes = buildModes(rules);
    MODES_BY_RULES.set(rules, modes);
  }
  return modes;
}

/** What the serializers need about a scheme, found with one lookup by its lower-case name. */
interface SchemeEntry {
  /** The registered spelling, or the scheme as given. */
  readonly name: string;
  readonly rules: Readonly<Record<ElementKind, SchemeRules | undefined>>;
  readonly modes: Readonly<Record<ElementKind, ModeTable>>;
}

function schemeEntry(lower: string, name: string): SchemeEntry {
  const challenge = rulesFor(lower, "challenge");
  const credentials = rulesFor(lower, "credentials");
  return {
    name,
    rules: { challenge, credentials },
    modes: { challenge: modesFor(challenge), credentials: modesFor(credentials) },
  };
}

/** The registered schemes by lower-case name; other schemes get an entry per call. */
const SCHEMES: ReadonlyMap<string, SchemeEntry> = new Map(
  Object.entries(REGISTERED_SCHEMES).map(([lower, name]) => [lower, schemeEntry(lower, name)]),
);

/**
 * Quoted forms of values already written, by value: the realms, errors and
 * descriptions a server sends are mostly the same few strings, and checking
 * and escaping one is a pure function of its characters, so a value seen
 * before skips the scan. Only what passed `quoteString` is kept; values over
 * 256 characters are not kept, and the map is emptied when it reaches 256
 * entries, so it stays under about 130 KB whatever values come through.
 */
const QUOTED: Map<string, string> = new Map();
const QUOTED_LIMIT = 256;

/** `quoteString(value, …)`, remembered for short values. */
function quoteRemembered(value: string, what: string, name: string): string {
  const known = QUOTED.get(value);
  if (known !== undefined) return known;
  const quoted = quoteString(value, what, name, valueLabel);
  if (value.length <= QUOTED_LIMIT) {
    if (QUOTED.size >= QUOTED_LIMIT) QUOTED.clear();
    QUOTED.set(value, quoted);
  }
  return quoted;
}

/** One value as written: checked, and quoted and escaped when its mode or its characters call for it. */
function writeValue(value: unknown, mode: ValueMode, what: string, name: string): string {
  if (typeof value !== "string") {
    throw new TypeError(`Cannot serialize ${what}: the value of '${name}' must be a string, got ${typeof value}`);
  }
  if (mode === TOKEN_VALUE) {
    if (!isToken(value)) assertToken(value, what, valueLabel(name));
    return value;
  }
  if (mode === QUOTED_VALUE || !isToken(value)) return quoteRemembered(value, what, name);
  return value;
}

/**
 * #auth-param, written as `name=value, name="quoted value"`.
 * `realm` is always a quoted-string (RFC 9110 §11.5), and so is every
 * parameter the scheme's `rules` quote; parameters the rules make tokens must
 * be tokens; other values are written as a token when they are one, quoted
 * and escaped otherwise.
 */
export function serializeParamList(
  params: unknown,
  what: string,
  rules?: SchemeRules,
  modes: ModeTable = modesFor(rules),
): string {
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
    let mode = modes.get(name);
    let lower = name;
    if (mode === undefined) {
      assertToken(name, what, "a parameter name");
      lower = name.toLowerCase();
      mode = modes.get(lower) ?? AUTO;
    }
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
    const written = writeValue((params as Record<string, unknown>)[name], mode, what, name);
    result = position === 0 ? `${name}=${written}` : `${result}, ${name}=${written}`;
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
  // A registered scheme already in lower case (what the policies and the
  // parsers give) is a token: one lookup answers for the check and the casing.
  let entry = SCHEMES.get(scheme);
  if (entry === undefined) {
    assertToken(scheme, what, "the scheme");
    const lower = scheme.toLowerCase();
    entry = SCHEMES.get(lower) ?? schemeEntry(lower, scheme);
  }
  const { name } = entry;
  const rules = entry.rules[kind];
  const list = params === undefined ? "" : serializeParamList(params, what, rules, entry.modes[kind]);
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
