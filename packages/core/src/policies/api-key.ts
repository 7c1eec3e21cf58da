/**
 * API keys as a policy of the authenticator: a key in a header of its own
 * (`X-API-Key: …`) or under an auth-scheme of its own in the `Authorization`
 * field (`Authorization: Bot …`), checked by a `verify` callback or against
 * a map of keys in constant time, counted by the throttle per client
 * address, and refused with a challenge on every 401 (RFC 9110 §11.6.1).
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { parseCredentials } from "../credentials.ts";
import { isHTTPAuthError } from "../errors.ts";
import {
  assertFunction,
  challengeLine,
  freezeChallenge,
  isObjectLike,
  isRefusal,
  leadingScheme,
} from "../internal/policy-support.ts";
import { isRealmFunction, realmResolver } from "../internal/realm.ts";
import { secretsEqual } from "../internal/verified-cache.ts";
import type {
  AuthRequest,
  AuthSchemePolicy,
  OpenAPIAPIKeySecurityScheme,
  Refusal,
  SchemeCredentials,
  SchemeVerdict,
} from "./types.ts";

/** What {@linkcode apiKeyAuth} shares between its two forms. */
export interface APIKeyCommonOptions {
  /**
   * The header the key is sent in: `"X-API-Key"` by default. Not
   * `Authorization` (give `scheme` for that) nor another field of HTTP
   * authentication.
   */
  header?: string;
  /**
   * An auth-scheme of your own for the `Authorization` field (`"Bot"`,
   * `"Token"`): the key is then its token68, `Authorization: Bot <key>`,
   * and the challenge is `Bot realm="…"`. Not with `header`; not `Basic`,
   * `Bearer` or `Digest`, whose policies read those.
   */
  scheme?: string;
  /**
   * The realm of the challenge, when you want one (a quoted-string, RFC 9110
   * §11.5): a string, checked when the policy is made, or a function of the
   * request (a realm per host), whose result is checked for each challenge
   * (see {@linkcode apiKeyAuth}).
   */
  realm?: string | ((request: AuthRequest) => string);
  /** The longest key accepted, in characters: 256 by default, at most 4096. A longer one is refused unread. */
  maxKeyLength?: number;
  /** For `openapi()`: the scheme in words. */
  description?: string;
}

/** Options of {@linkcode apiKeyAuth} with a `verify` callback. */
export interface APIKeyVerifyOptions<Identity> extends APIKeyCommonOptions {
  /**
   * Checks a key (already checked to be a token68 of at most `maxKeyLength`
   * characters): returns the identity, or `undefined`, `null` or `false` to
   * refuse. Compare in constant time (look keys up by a hash of them). An
   * exception propagates out of `authenticate` (the app answers 500).
   */
  verify: (key: string, request: AuthRequest) => Identity | Refusal | Promise<Identity | Refusal>;
  /** Not with `verify`. */
  keys?: undefined;
}

/**
 * Options of {@linkcode apiKeyAuth} with a map of keys: the identity is the
 * name the key is listed under, never the key itself (identities reach logs
 * and the `onSuccess` hook).
 */
export interface APIKeyMapOptions extends APIKeyCommonOptions {
  /**
   * Name → key, such as `{ "billing-service": env.BILLING_KEY }`: at
   * least one, each a token68 of at most `maxKeyLength` characters, no two
   * the same. Compared in constant time (SHA-256 of both sides, every entry
   * checked). The map is copied.
   */
  keys: Readonly<Record<string, string>>;
  /** Not with `keys`. */
  verify?: undefined;
}

/** Options of {@linkcode apiKeyAuth}: a `verify` callback, or a map of `keys`. */
export type APIKeyAuthOptions<Identity> = APIKeyVerifyOptions<Identity> | APIKeyMapOptions;

/** The scheme name of the challenge sent for a key in a header: no registered scheme exists for it. */
const HEADER_CHALLENGE_SCHEME = "APIKey";
const DEFAULT_MAX_KEY_LENGTH = 256;
const HTTP_AUTHENTICATION_FIELDS = new Set([
  "authorization",
  "proxy-authorization",
  "www-authenticate",
  "proxy-authenticate",
  "authentication-info",
  "proxy-authentication-info",
]);

/**
 * Whether `value` is a token68 (RFC 9110 §11.2), the shape of a key here:
 * `token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
 * No space, comma or quote, so two header fields joined (`a, b`) never pass.
 */
function isToken68(value: string): boolean {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x3d) end--;
  if (end === 0) return false;
  for (let index = 0; index < end; index++) {
    const code = value.charCodeAt(index);
    const alphanumeric =
      (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
    const mark = code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e || code === 0x2b || code === 0x2f;
    if (!alphanumeric && !mark) return false;
  }
  return true;
}

/** `value` is a non-empty token (RFC 9110 §5.6.2): a header name or an auth-scheme. */
function isToken(value: unknown): value is string {
  return typeof value === "string" && value !== "" && leadingScheme(value) === value.toLowerCase();
}

/** `maxKeyLength`, checked. */
function checkMaxKeyLength(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_KEY_LENGTH;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1 || value > 4096) {
    throw new RangeError("apiKeyAuth(): maxKeyLength must be a whole number of characters, 1 to 4096");
  }
  return value;
}

/** Where the key is read: a header (lower-cased name and as given) or an auth-scheme. */
type Place = { header: string; headerName: string } | { scheme: string; authScheme: string };

/** `header` and `scheme`, checked: at most one; `X-API-Key` when neither. */
function checkPlace(header: unknown, scheme: unknown): Place {
  if (header !== undefined && scheme !== undefined) {
    throw new TypeError("apiKeyAuth(): give header or scheme, not both");
  }
  if (scheme !== undefined) {
    if (!isToken(scheme)) throw new TypeError("apiKeyAuth(): scheme must be an auth-scheme name (a token)");
    const authScheme = scheme.toLowerCase();
    if (authScheme === "basic" || authScheme === "bearer" || authScheme === "digest") {
      throw new TypeError(`apiKeyAuth(): scheme must not be ${scheme}: use ${authScheme}Auth() for it`);
    }
    return { scheme, authScheme };
  }
  const headerName = header ?? "X-API-Key";
  if (!isToken(headerName)) throw new TypeError("apiKeyAuth(): header must be a header name (a token)");
  if (HTTP_AUTHENTICATION_FIELDS.has(headerName.toLowerCase())) {
    throw new TypeError(`apiKeyAuth(): header must not be ${headerName}: give scheme for a key in Authorization`);
  }
  return { header: headerName.toLowerCase(), headerName };
}

/** The verify callback of the `keys` form: SHA-256 of both sides, every entry compared, no early exit. */
function keysVerifier(keys: unknown, maxKeyLength: number): (key: string) => Promise<string | undefined> {
  if (typeof keys !== "object" || keys === null) throw new TypeError("apiKeyAuth(): keys must be an object");
  const entries: [name: string, key: string][] = [];
  const seen = new Set<string>();
  for (const [name, key] of Object.entries(keys)) {
    if (typeof key !== "string" || !isToken68(key) || key.length > maxKeyLength) {
      throw new TypeError(
        `apiKeyAuth(): the key of "${name}" must be a token68 (letters, digits, -._~+/, then =) of at most ${maxKeyLength} characters`,
      );
    }
    if (seen.has(key)) throw new TypeError(`apiKeyAuth(): the key of "${name}" is listed twice`);
    seen.add(key);
    entries.push([name, key]);
  }
  if (entries.length === 0) throw new TypeError("apiKeyAuth(): keys must hold at least one key");
  return async (presented) => {
    let found: string | undefined;
    for (const [name, key] of entries) {
      // Every entry is compared, so the time does not tell which one matched, or how many there are before it.
      if ((await secretsEqual(presented, key)) && found === undefined) found = name;
    }
    return found;
  };
}

/** The key in credentials addressed to the policy, or `undefined` when they are not a well-formed key. */
function keyOf(
  credentials: SchemeCredentials,
  place: Place,
  maxKeyLength: number,
  maxLength: number,
): string | undefined {
  if ("header" in place) {
    const { value } = credentials;
    return value.length <= maxKeyLength && isToken68(value) ? value : undefined;
  }
  // Authorization: <scheme> <token68>, by the grammar of RFC 9110 §11.4, with the size cap.
  if (credentials.value.length > maxLength) return undefined;
  try {
    const parsed = parseCredentials(credentials.value, { maxLength });
    const key = parsed.token68;
    return key !== undefined && key.length <= maxKeyLength ? key : undefined;
  } catch (error) {
    if (isHTTPAuthError(error)) return undefined;
    throw error;
  }
}

/**
 * Configures API keys for {@linkcode createAuthenticator}: a key in a
 * header of its own (`X-API-Key` by default) or, with `scheme`, under an
 * auth-scheme of its own in `Authorization` (`Authorization: Bot <key>`).
 *
 * - A key must be a token68 (RFC 9110 §11.2: letters, digits, `-._~+/`, then
 *   `=`) of at most `maxKeyLength` characters (256 by default); anything else
 *   — empty, with a space or comma (two `X-API-Key` fields arrive joined as
 *   `a, b`), over the cap — is 401 `malformed-credentials`, and `verify` never
 *   sees it. A refused key is 401 `invalid-credentials`.
 * - Every 401 carries a challenge (RFC 9110 §11.6.1 requires one): with
 *   `scheme`, that scheme (`Bot realm="…"`); for a header, the scheme
 *   `APIKey` with a `header` parameter naming the field
 *   (`APIKey realm="…", header=X-API-Key`). No scheme is registered for
 *   header keys; clients that do not know `APIKey` ignore it (§11.6.1), and
 *   the parameter tells people and tools where the key goes.
 * - Throttling counts attempts per client address (`maxFailuresPerAddress`),
 *   as for Bearer tokens: a key has no user name to count by.
 * - With `Authorization` present for another scheme, that field decides the
 *   policy; the header key is read only without one.
 * - `openapi()` gives an `apiKey` security scheme: `in: "header"`, with the
 *   header's name, or `Authorization` for a key under a scheme.
 * - The policy's name (`AuthSuccess.scheme`, the `openapi()` key
 *   `${scheme}Auth`) is `apikey` for a header, the lower-cased scheme otherwise.
 * `realm` may be a function of the request (a realm per host or tenant),
 * called when a challenge is sent: what it returns must be a non-blank string
 * of at most 256 characters a quoted-string can carry (no control character,
 * nothing above U+00FF; `"` and `\` are escaped). Anything else makes
 * `authenticate` reject with a `TypeError` (the app answers 500), never a
 * challenge without a realm nor a malformed header. The challenges of the
 * last 64 realms are kept, so a fixed set of hosts costs no more than a string.
 *
 * @typeParam Identity What `verify` returns; the key's name with `keys`.
 * @param options `verify` or `keys`; `header` or `scheme`; `realm`, `maxKeyLength`, `description`.
 * @returns The scheme policy.
 * @throws {TypeError} If neither or both of `verify` and `keys` are given, `keys` is empty or holds a bad or repeated
 *   key, both `header` and `scheme` are given, `header` is not a header name or is a field of HTTP authentication,
 *   `scheme` is not a token or is Basic, Bearer or Digest, or `realm` cannot be sent (a function's results: when
 *   `authenticate` runs, which then rejects).
 * @throws {RangeError} If `maxKeyLength` is not a whole number from 1 to 4096.
 *
 * @example A key in X-API-Key, from a map of keys
 * ```ts
 * import assert from "node:assert/strict";
 * import { apiKeyAuth, createAuthenticator } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [apiKeyAuth({ realm: "api", keys: { "billing-service": "k3y-Of-billing" } })],
 * });
 * const request = (key?: string) => ({
 *   method: "GET",
 *   url: "/invoices",
 *   header: (name: string) => (name === "x-api-key" ? key : undefined),
 * });
 * const allowed = await authenticator.authenticate(request("k3y-Of-billing"));
 * assert.deepEqual(allowed, { ok: true, scheme: "apikey", identity: "billing-service", headers: [] });
 * const refused = await authenticator.authenticate(request());
 * assert.equal(refused.ok, false);
 * const challenge = !refused.ok && refused.headers.find(([name]) => name === "WWW-Authenticate");
 * assert.deepEqual(challenge, ["WWW-Authenticate", 'APIKey realm="api", header=X-API-Key']);
 * assert.deepEqual(authenticator.openapi(), {
 *   apikeyAuth: { type: "apiKey", in: "header", name: "X-API-Key", description: 'An API key in the X-API-Key header, realm "api"' },
 * });
 * ```
 *
 * @example A key under an auth-scheme of its own
 * ```ts
 * import assert from "node:assert/strict";
 * import { apiKeyAuth, createAuthenticator } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [apiKeyAuth({ scheme: "Bot", realm: "chat", verify: (key) => (key === "b0t.t0ken" ? { bot: 7 } : undefined) })],
 * });
 * const as = (authorization: string) => ({ method: "GET", url: "/", header: () => authorization });
 * assert.deepEqual(await authenticator.authenticate(as("Bot b0t.t0ken")), { ok: true, scheme: "bot", identity: { bot: 7 }, headers: [] });
 * const refused = await authenticator.authenticate(as("Bot a b"));
 * assert.equal(!refused.ok && refused.reason, "malformed-credentials");
 * assert.deepEqual(!refused.ok && refused.headers[0], ["WWW-Authenticate", 'Bot realm="chat"']);
 * ```
 *
 * @example A realm per tenant
 * ```ts
 * import assert from "node:assert/strict";
 * import { apiKeyAuth, createAuthenticator } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [apiKeyAuth({ realm: (request) => `tenant ${request.header("x-tenant")}`, keys: { billing: "k3y" } })],
 * });
 * const outcome = await authenticator.authenticate({
 *   method: "GET",
 *   url: "/",
 *   header: (name) => (name === "x-tenant" ? "42" : undefined),
 * });
 * assert.deepEqual(!outcome.ok && outcome.headers[0], ["WWW-Authenticate", 'APIKey realm="tenant 42", header=X-API-Key']);
 * ```
 */
export function apiKeyAuth<Identity = string>(options: APIKeyAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("apiKeyAuth() needs { verify } or { keys }");
  const place = checkPlace(options.header, options.scheme);
  const maxKeyLength = checkMaxKeyLength(options.maxKeyLength);
  if ((options.verify === undefined) === (options.keys === undefined)) {
    throw new TypeError("apiKeyAuth(): give either verify or keys");
  }
  const verify = (options.keys === undefined ? options.verify : keysVerifier(options.keys, maxKeyLength)) as (
    key: string,
    request: AuthRequest,
  ) => Identity | Refusal | Promise<Identity | Refusal>;
  assertFunction(verify, "apiKeyAuth(): verify");
  const { description } = options;
  const realmFor = isRealmFunction(options.realm, "apiKeyAuth()", true) ? options.realm : undefined;
  const realm = realmFor === undefined ? (options.realm as string | undefined) : undefined;
  if (realm !== undefined && realm.trim() === "") {
    throw new TypeError("apiKeyAuth(): realm must be a string that is not blank");
  }
  if (description !== undefined && typeof description !== "string") {
    throw new TypeError("apiKeyAuth(): description must be a string");
  }
  const challengesOf = (realm: string | undefined): readonly Challenge[] => {
    const params: Record<string, string> = Object.create(null);
    if (realm !== undefined) params.realm = realm;
    if ("header" in place) params.header = place.headerName;
    const challenge = freezeChallenge({ scheme: "header" in place ? HEADER_CHALLENGE_SCHEME : place.scheme, params });
    // Serialized now, so that a realm that cannot be sent fails at start-up (TypeError), not on a request.
    challengeCheck(challenge);
    return Object.freeze([challenge]);
  };
  // A realm function: the realm's challenge when it is first returned (checked then), remembered per realm.
  const fixed = realmFor === undefined ? challengesOf(realm) : undefined;
  const challengesFor =
    realmFor === undefined ? undefined : realmResolver(realmFor, "apiKeyAuth()", (realm) => challengesOf(realm));
  const where = "header" in place ? `the ${place.headerName} header` : `Authorization: ${place.scheme} <key>`;
  const realmText =
    realm === undefined ? (realmFor === undefined ? "" : ", realm set per request") : `, realm "${realm}"`;
  const openapi: OpenAPIAPIKeySecurityScheme = Object.freeze({
    type: "apiKey",
    in: "header",
    name: "header" in place ? place.headerName : "Authorization",
    description: description ?? `An API key in ${where}${realmText}`,
  });
  const malformed = Object.freeze({ ok: false, status: 401, reason: "malformed-credentials" } as const);
  const invalid = Object.freeze({ ok: false, status: 401, reason: "invalid-credentials" } as const);

  return Object.freeze({
    scheme: "header" in place ? "apikey" : place.authScheme,
    realm,
    authSchemes: Object.freeze("header" in place ? [] : [place.authScheme]),
    ...("header" in place
      ? {
          locate(request: AuthRequest): SchemeCredentials | undefined {
            const value = request.header(place.header);
            return typeof value === "string" ? { from: place.header, value } : undefined;
          },
        }
      : {}),
    async verify(credentials, context): Promise<SchemeVerdict<Identity>> {
      const key = keyOf(credentials, place, maxKeyLength, context.maxLength);
      if (key === undefined) return malformed;
      const returned = verify(key, context.request);
      const identity = isObjectLike(returned) ? await returned : returned;
      return isRefusal(identity) ? invalid : { ok: true, identity };
    },
    challenges(context) {
      return challengesFor === undefined ? (fixed as readonly Challenge[]) : challengesFor(context.request);
    },
    openapi() {
      return openapi;
    },
  } satisfies AuthSchemePolicy<Identity>);
}

/** Serializes the challenge once, to refuse a realm that cannot be sent at start-up. */
function challengeCheck(challenge: Challenge): void {
  try {
    challengeLine(challenge);
  } catch (error) {
    throw new TypeError(`apiKeyAuth(): the realm cannot be sent in a challenge (${(error as Error).message})`);
  }
}
