/**
 * What the registered schemes add to the generic grammar when httpauth
 * writes them: which parameters are always quoted, which must be tokens, and
 * the checks each scheme's RFC imposes. `serializeChallenge` and
 * `serializeCredentials` apply these whatever code built the value, so a
 * Basic challenge without `realm` cannot be written at all.
 *
 * @module
 */

/** Which element is being written. */
export type ElementKind = "challenge" | "credentials";

/** The rules of one scheme for one kind of element. */
export interface SchemeRules {
  /** Parameters always written as quoted-strings. */
  readonly quoted: ReadonlySet<string>;
  /** Parameters that must be tokens and are written bare. */
  readonly tokens: ReadonlySet<string>;
  /** Throws a `TypeError` for anything else the RFC forbids. */
  check(token68: string | undefined, params: Readonly<Record<string, string>>, what: string): void;
}

const NONE: ReadonlySet<string> = new Set();

// NQCHAR  = %x21 / %x23-5B / %x5D-7E        (RFC 6749 Appendix A), the characters of a scope-token
// NQSCHAR = %x20-21 / %x23-5B / %x5D-7E     (RFC 6749 Appendix A), error_description
const NQCHAR = 1;
const NQSCHAR = 2;

/** Class flags for %x00-7F: one lookup per character instead of a search through ranges. */
const RFC6749_CLASSES: Uint8Array = (() => {
  const table = new Uint8Array(0x80);
  for (let code = 0x20; code <= 0x7e; code++) {
    if (code === 0x22 || code === 0x5c) continue;
    table[code] = code === 0x20 ? NQSCHAR : NQCHAR | NQSCHAR;
  }
  return table;
})();

/** Throws unless every character of `value` belongs to the class `flag` (NQCHAR or NQSCHAR). */
function assertCharacters(value: string, flag: number, what: string, label: string, allowed: string): void {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code >= 0x80 || (RFC6749_CLASSES[code]! & flag) === 0) {
      throw new TypeError(`Cannot serialize ${what}: ${label} has a character at index ${index} outside ${allowed}`);
    }
  }
}

/** The three values RFC 6750 §3.1 defines for a Bearer `error`, and RFC 9470 §3's step-up error. */
export const BEARER_ERRORS: ReadonlySet<string> = new Set([
  "invalid_request",
  "invalid_token",
  "insufficient_scope",
  "insufficient_user_authentication",
]);

/**
 * scope = scope-token *( SP scope-token ); scope-token = 1*NQCHAR (RFC 6749 §3.3)
 * Throws a `TypeError` unless `scope` is such a list.
 */
export function assertScope(scope: string, what: string): void {
  if (scope === "") throw new TypeError(`Cannot serialize ${what}: scope must list at least one scope-token`);
  for (const token of scope.split(" ")) {
    if (token === "") {
      throw new TypeError(`Cannot serialize ${what}: scope tokens are separated by exactly one space`);
    }
    assertCharacters(token, NQCHAR, what, "a scope token", "%x21 / %x23-5B / %x5D-7E (RFC 6750 §3)");
  }
}

/**
 * acr_values = acr-value *( SP acr-value ); acr-value = 1*NQCHAR (RFC 9470 §3, as scope-tokens)
 * Throws a `TypeError` unless `value` is such a list.
 */
export function assertACRValues(value: string, what: string): void {
  if (value === "") throw new TypeError(`Cannot serialize ${what}: acr_values must list at least one value`);
  for (const token of value.split(" ")) {
    if (token === "") throw new TypeError(`Cannot serialize ${what}: acr_values are separated by exactly one space`);
    assertCharacters(token, NQCHAR, what, "an acr_values entry", "%x21 / %x23-5B / %x5D-7E (RFC 9470 §3)");
  }
}

/** max_age = 1*DIGIT, seconds (RFC 9470 §3, as OpenID Connect's `max_age`); at most 10 digits. */
export function assertMaxAge(value: string, what: string): void {
  let digits = value.length > 0 && value.length <= 10;
  for (let index = 0; digits && index < value.length; index++) {
    const code = value.charCodeAt(index);
    digits = code >= 0x30 && code <= 0x39;
  }
  if (!digits) {
    throw new TypeError(`Cannot serialize ${what}: max_age must be a whole number of seconds (RFC 9470 §3)`);
  }
}

/** Throws unless `value` may be a `resource_metadata` URL in a challenge (RFC 9728 §5.1): %x21 / %x23-5B / %x5D-7E. */
export function assertResourceMetadataURL(value: string, what: string): void {
  if (value === "") throw new TypeError(`Cannot serialize ${what}: resource_metadata must not be empty`);
  assertCharacters(value, NQCHAR, what, "resource_metadata", "%x21 / %x23-5B / %x5D-7E (RFC 9728 §5.1)");
}

/** Throws unless `value` may be a Bearer `error_description` (RFC 6750 §3). */
export function assertErrorDescription(value: string, what: string): void {
  assertCharacters(value, NQSCHAR, what, "error_description", "%x20-21 / %x23-5B / %x5D-7E (RFC 6750 §3)");
}

/** Throws unless `value` may be a Bearer `error_uri`: a URI-reference in %x21 / %x23-5B / %x5D-7E (RFC 6750 §3). */
export function assertErrorURI(value: string, what: string): void {
  if (value === "") throw new TypeError(`Cannot serialize ${what}: error_uri must not be empty`);
  assertCharacters(value, NQCHAR, what, "error_uri", "%x21 / %x23-5B / %x5D-7E (RFC 6750 §3)");
}

/** Throws unless `realm` is present and not blank: RFC 7617 §2 makes it REQUIRED. */
export function assertRealm(realm: unknown, what: string): asserts realm is string {
  if (typeof realm !== "string" || realm.trim() === "") {
    throw new TypeError(
      `Cannot serialize ${what}: give a non-blank realm; RFC 7617 §2 requires it, and strict clients (Python's urllib, lynx, devices) never answer a challenge without one`,
    );
  }
}

function checkBasicChallenge(
  token68: string | undefined,
  params: Readonly<Record<string, string>>,
  what: string,
): void {
  if (token68 !== undefined)
    throw new TypeError(`Cannot serialize ${what}: a Basic challenge has parameters, not a token68`);
  // RFC 7617 §2 requires the parameter, not a non-empty value: `realm=""` is a
  // valid quoted-string (RFC 9110 §5.6.4), and a proxy passing a challenge
  // through must be able to write what it read. createBasicChallenge() still
  // refuses a blank realm; lintChallenges() warns about one (basic-empty-realm).
  if (typeof params.realm !== "string") {
    throw new TypeError(
      `Cannot serialize ${what}: give a realm; RFC 7617 §2 requires it, and strict clients (Python's urllib, lynx, devices) never answer a challenge without one`,
    );
  }
  const charset = params.charset;
  if (charset !== undefined && charset.toLowerCase() !== "utf-8") {
    throw new TypeError(`Cannot serialize ${what}: a Basic charset can only be "UTF-8" (RFC 7617 §2.1)`);
  }
}

function checkToken68Only(scheme: string): SchemeRules["check"] {
  return (token68: string | undefined, params: Readonly<Record<string, string>>, what: string): void => {
    if (token68 === undefined || Object.keys(params).length > 0) {
      throw new TypeError(`Cannot serialize ${what}: ${scheme} credentials are a token68 and nothing else`);
    }
  };
}

/** A check of one value, throwing a `TypeError` for a value it refuses. */
type ValueCheck = (value: string, what: string) => void;

/**
 * `check`, remembering the values it passed: a server sends the same few
 * scopes and descriptions again and again, and each check is a pure function
 * of the value's characters. Values over 256 characters are not kept, and
 * the set is emptied when it reaches 256 entries.
 */
function remembered(check: ValueCheck): ValueCheck {
  const passed = new Set<string>();
  return function rememberedCheck(value: string, what: string): void {
    if (passed.has(value)) return;
    check(value, what);
    if (value.length <= 256) {
      if (passed.size >= 256) passed.clear();
      passed.add(value);
    }
  };
}

const checkScope: ValueCheck = remembered(assertScope);
const checkErrorDescription: ValueCheck = remembered(assertErrorDescription);
const checkErrorURI: ValueCheck = remembered(assertErrorURI);

function checkBearerChallenge(
  token68: string | undefined,
  params: Readonly<Record<string, string>>,
  what: string,
): void {
  if (token68 !== undefined)
    throw new TypeError(`Cannot serialize ${what}: a Bearer challenge has parameters, not a token68`);
  if (params.error !== undefined && !BEARER_ERRORS.has(params.error)) {
    throw new TypeError(
      `Cannot serialize ${what}: a Bearer error is one of invalid_request, invalid_token, insufficient_scope (RFC 6750 §3.1) or insufficient_user_authentication (RFC 9470 §3)`,
    );
  }
  checkTokenChallengeParams(params, what);
}

/** The parameters Bearer and DPoP challenges share, besides `error`. */
function checkTokenChallengeParams(params: Readonly<Record<string, string>>, what: string): void {
  const { scope, error_description: description, error_uri: uri } = params;
  if (scope !== undefined) checkScope(scope, what);
  if (description !== undefined) checkErrorDescription(description, what);
  if (uri !== undefined) checkErrorURI(uri, what);
  if (params.acr_values !== undefined) assertACRValues(params.acr_values, what);
  if (params.max_age !== undefined) assertMaxAge(params.max_age, what);
  if (params.resource_metadata !== undefined) assertResourceMetadataURL(params.resource_metadata, what);
}

/** The errors of a DPoP challenge: Bearer's, and RFC 9449 §7.1's two. */
const DPOP_ERRORS: ReadonlySet<string> = new Set([...BEARER_ERRORS, "invalid_dpop_proof", "use_dpop_nonce"]);

function checkDpopChallenge(token68: string | undefined, params: Readonly<Record<string, string>>, what: string): void {
  if (token68 !== undefined)
    throw new TypeError(`Cannot serialize ${what}: a DPoP challenge has parameters, not a token68`);
  const { error, algs } = params;
  if (error !== undefined && !DPOP_ERRORS.has(error)) {
    throw new TypeError(
      `Cannot serialize ${what}: a DPoP error is invalid_dpop_proof or use_dpop_nonce (RFC 9449 §7.1), or a Bearer error`,
    );
  }
  // algs: space-delimited JWS alg values (RFC 9449 §7.1), checked as scope-tokens are.
  if (algs !== undefined) assertScope(algs, what);
  checkTokenChallengeParams(params, what);
}

function checkDigestChallenge(
  token68: string | undefined,
  params: Readonly<Record<string, string>>,
  what: string,
): void {
  if (token68 !== undefined)
    throw new TypeError(`Cannot serialize ${what}: a Digest challenge has parameters, not a token68`);
  if (params.realm === undefined || params.nonce === undefined) {
    throw new TypeError(`Cannot serialize ${what}: a Digest challenge needs realm and nonce (RFC 7616 §3.3)`);
  }
}

function checkDigestCredentials(
  token68: string | undefined,
  _params: Readonly<Record<string, string>>,
  what: string,
): void {
  if (token68 !== undefined)
    throw new TypeError(`Cannot serialize ${what}: Digest credentials have parameters, not a token68`);
}

const RULES: Readonly<Record<string, Readonly<Record<ElementKind, SchemeRules>>>> = Object.assign(Object.create(null), {
  basic: {
    // RFC 7617 §2 and §2.1 write both as quoted-strings.
    challenge: { quoted: new Set(["realm", "charset"]), tokens: NONE, check: checkBasicChallenge },
    credentials: { quoted: NONE, tokens: NONE, check: checkToken68Only("Basic") },
  },
  bearer: {
    // RFC 6750 §3 writes every attribute as a quoted-string; so do the examples of RFC 9470 §3 and RFC 9728 §5.1.
    challenge: {
      quoted: new Set([
        "realm",
        "scope",
        "error",
        "error_description",
        "error_uri",
        "acr_values",
        "max_age",
        "resource_metadata",
      ]),
      tokens: NONE,
      check: checkBearerChallenge,
    },
    credentials: { quoted: NONE, tokens: NONE, check: checkToken68Only("Bearer") },
  },
  dpop: {
    // RFC 9449 §7.1 writes every attribute as a quoted-string, as RFC 6750 §3 does.
    challenge: {
      quoted: new Set([
        "realm",
        "scope",
        "error",
        "error_description",
        "error_uri",
        "algs",
        "acr_values",
        "max_age",
        "resource_metadata",
      ]),
      tokens: NONE,
      check: checkDpopChallenge,
    },
    credentials: { quoted: NONE, tokens: NONE, check: checkToken68Only("DPoP") },
  },
  digest: {
    // RFC 7616 §3.3 and §3.4.
    challenge: {
      quoted: new Set(["realm", "domain", "nonce", "opaque", "qop"]),
      tokens: new Set(["algorithm", "stale", "charset", "userhash"]),
      check: checkDigestChallenge,
    },
    credentials: {
      quoted: new Set(["username", "realm", "uri", "nonce", "cnonce", "response", "opaque"]),
      tokens: new Set(["algorithm", "qop", "nc", "userhash"]),
      check: checkDigestCredentials,
    },
  },
});

/** The rules for `scheme` (any case) as `kind`, or undefined for a scheme without rules. */
export function rulesFor(scheme: string, kind: ElementKind): SchemeRules | undefined {
  return RULES[scheme.toLowerCase()]?.[kind];
}
