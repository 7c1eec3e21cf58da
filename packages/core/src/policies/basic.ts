/**
 * The Basic scheme (RFC 7617) as a policy of the authenticator.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { isHTTPAuthError } from "../errors.ts";
import { DEFAULT_MAX_LENGTH } from "../grammar/scanner.ts";
import type { MaybePromise } from "../internal/maybe-promise.ts";
import { isThenable } from "../internal/maybe-promise.ts";
import { assertFunction, freezeChallenge, isObjectLike, isRefusal } from "../internal/policy-support.ts";
import { isRealmFunction, realmResolver, unsendableIndex } from "../internal/realm.ts";
import type { VerifiedCache } from "../internal/verified-cache.ts";
import { createVerifiedCache, secretsEqual } from "../internal/verified-cache.ts";
import { createBasicChallenge, parseBasicCredentials } from "../schemes/basic.ts";
import type {
  AuthRequest,
  AuthSchemePolicy,
  Refusal,
  SchemeChallengeContext,
  SchemeFailure,
  SchemeVerdict,
} from "./types.ts";

/** What {@linkcode basicAuth} shares between its two forms. */
export interface BasicCommonOptions {
  /**
   * The realm: required, not blank (RFC 7617 §2). A string is checked when
   * the policy is made; a function of the request (a realm per host) is
   * called for each challenge, and what it returns is checked then (see
   * {@linkcode basicAuth}).
   */
  realm: string | ((request: AuthRequest) => string);
  /** Announce `charset="UTF-8"` (RFC 7617 §2.1). Default `true`. */
  charset?: boolean;
  /** Decode credentials that are not UTF-8 as ISO-8859-1. Default `true`. */
  latin1Fallback?: boolean;
  /**
   * Remember successful verifications for a short time (off by default), so
   * that a slow password hash (scrypt, argon2, PBKDF2) is not computed again
   * on every request: Basic sends the password each time.
   */
  cache?: BasicCacheOptions;
}

/**
 * The verified-credentials cache of {@linkcode basicAuth}, as Apache's
 * `mod_authn_socache`: a success is remembered under an HMAC-SHA-256 of the
 * user name and password with a random key made in this process (never the
 * password, nor anything a guess can be tested against offline). A wrong
 * password never matches an entry; any failure for a user forgets all of that
 * user's entries; when full, the oldest entry goes. A password changed in
 * your store is picked up when the entry expires, or at once after one failed
 * attempt for that user — keep `ttl` short. Concurrent requests with the
 * same credentials share one verification; with `verify`, its identity (found
 * for one request) answers the others with the same credentials until `ttl`.
 */
export interface BasicCacheOptions {
  /** How long a success is remembered, in seconds: more than 0, at most 3600. */
  ttl: number;
  /** The most entries kept. Default 1000. */
  maxEntries?: number;
}

/** Options of {@linkcode basicAuth} with a `verify` callback. */
export interface BasicVerifyOptions<Identity> extends BasicCommonOptions {
  /**
   * Checks a user-id and password; returns the identity, or `undefined`,
   * `null` or `false` to refuse. Compare secrets in constant time. An
   * exception thrown here propagates out of `authenticate` (the app answers
   * 500): a broken user store is not a wrong password.
   */
  verify: (
    username: string,
    password: string,
    request: AuthRequest,
  ) => Identity | Refusal | Promise<Identity | Refusal>;
  /** Not with `verify`. */
  users?: undefined;
  /** Not with `verify`. */
  verifyPassword?: undefined;
}

/**
 * Options of {@linkcode basicAuth} with a map of users: the identity is the
 * user name. An unknown user name costs the same work as a known one (the
 * password is checked against another user's entry, then refused), so the
 * response time does not tell which names exist.
 */
export interface BasicUsersOptions extends BasicCommonOptions {
  /**
   * User name → password, or → stored hash with `verifyPassword`. At least
   * one user; the map is copied, so later changes to it are not seen.
   */
  users: Readonly<Record<string, string>>;
  /**
   * Checks a password against a stored hash: `verifyPassword` of
   * `@httpauth/node` (scrypt), `@httpauth/deno` (PBKDF2) or `@httpauth/bun`
   * (Bun's password hashing). Without it the map holds passwords, compared in
   * constant time.
   */
  verifyPassword?: (password: string, stored: string) => boolean | Promise<boolean>;
  /** Not with `users`. */
  verify?: undefined;
}

/** Options of {@linkcode basicAuth}: a `verify` callback, or a map of `users`. */
export type BasicAuthOptions<Identity> = BasicVerifyOptions<Identity> | BasicUsersOptions;

/** The verify callback of the `users` form: constant time, the same work for unknown users. */
function usersVerifier(
  options: BasicUsersOptions,
): (username: string, password: string) => Promise<string | undefined> {
  const { users, verifyPassword } = options;
  if (typeof users !== "object" || users === null) throw new TypeError("basicAuth(): users must be an object");
  const table = new Map<string, string>();
  for (const [username, stored] of Object.entries(users)) {
    if (typeof stored !== "string") throw new TypeError("basicAuth(): every entry of users must be a string");
    table.set(username, stored);
  }
  const decoy = table.values().next().value;
  if (decoy === undefined) throw new TypeError("basicAuth(): users must hold at least one user");
  if (verifyPassword !== undefined) assertFunction(verifyPassword, "basicAuth(): verifyPassword");
  return async (username, password) => {
    const stored = table.get(username);
    // An unknown user is checked against another user's entry, so that both cost the same; then refused.
    const against = stored ?? decoy;
    const matches =
      verifyPassword === undefined ? await secretsEqual(password, against) : await verifyPassword(password, against);
    return stored !== undefined && matches === true ? username : undefined;
  };
}

/** Checks the cache options: the cache, or `undefined` when off. */
function checkCache<Identity>(cache: BasicCacheOptions | undefined): VerifiedCache<Identity> | undefined {
  if (cache === undefined) return undefined;
  if (typeof cache !== "object" || cache === null)
    throw new TypeError("basicAuth(): cache must be { ttl, maxEntries? }");
  const { ttl, maxEntries = 1000 } = cache;
  if (typeof ttl !== "number" || !(ttl > 0) || !(ttl <= 3600)) {
    throw new RangeError("basicAuth(): cache.ttl must be a number of seconds, more than 0 and at most 3600");
  }
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError("basicAuth(): cache.maxEntries must be a positive whole number");
  }
  return createVerifiedCache<Identity>(ttl * 1000, maxEntries);
}

/**
 * `verify`, through the cache when there is one. Concurrent requests with the
 * same credentials share one verification (a burst of requests from a
 * client that just logged in computes the hash once, not once each).
 */
function cachedVerifier<Identity>(
  verify: BasicVerifyOptions<Identity>["verify"],
  cache: VerifiedCache<Identity> | undefined,
): (username: string, password: string, request: AuthRequest, now: number) => MaybePromise<Identity | Refusal> {
  // Without a cache, what verify returns: a synchronous answer is not made to wait for a promise.
  if (cache === undefined) return (username, password, request) => verify(username, password, request);
  const pending = new Map<string, Promise<Identity | Refusal>>();
  const call = async (username: string, password: string, request: AuthRequest): Promise<Identity | Refusal> => {
    const returned = verify(username, password, request);
    // Awaiting a primitive only costs a turn of the microtask queue; objects may be thenables.
    return isObjectLike(returned) ? await returned : returned;
  };
  return async (username, password, request, now) => {
    const key = await cache.key(username, password);
    const hit = cache.get(key, now);
    if (hit !== undefined) return hit.identity;
    const inFlight = pending.get(key);
    if (inFlight !== undefined) return inFlight;
    const verifying = call(username, password, request);
    pending.set(key, verifying);
    try {
      const identity = await verifying;
      if (isRefusal(identity)) cache.forget(username);
      else cache.set(key, username, identity, now);
      return identity;
    } finally {
      pending.delete(key);
    }
  };
}

/** The verdicts without an identity, the same object each time. */
const MALFORMED: SchemeFailure = Object.freeze({ ok: false, status: 401, reason: "malformed-credentials" });
const INVALID: SchemeFailure = Object.freeze({ ok: false, status: 401, reason: "invalid-credentials" });

/** The verdict on what `verify` returned. */
function basicVerdict<Identity>(identity: Identity | Refusal): SchemeVerdict<Identity> {
  return isRefusal(identity) ? INVALID : { ok: true, identity };
}

/**
 * Configures the Basic scheme (RFC 7617) for {@linkcode createAuthenticator}.
 * The challenge is built and checked now, so a missing realm fails at start-up,
 * not on the first request. Malformed credentials and a refused password are
 * 401 `malformed-credentials` / `invalid-credentials`; failures are counted
 * per decoded user name.
 *
 * Give either `verify`, or a map of `users` (passwords, or stored hashes with
 * a runtime's `verifyPassword`): then the identity is the user name, passwords
 * are compared in constant time and unknown names cost as much as known ones.
 * `cache` remembers successes for a few seconds (see {@linkcode BasicCacheOptions}).
 * `realm` may be a function of the request (a realm per host or tenant),
 * called when a challenge is sent: what it returns must be a non-blank string
 * of at most 256 characters a quoted-string can carry (no control character,
 * nothing above U+00FF; `"` and `\` are escaped). Anything else makes
 * `authenticate` reject with a `TypeError` (the app answers 500), never a
 * challenge without a realm nor a malformed header. The challenges of the
 * last 64 realms are kept, so a fixed set of hosts costs no more than a string.
 *
 * @param options `realm` (required); `verify`, or `users` and `verifyPassword`; `charset` (default on), `latin1Fallback` (default on), `cache` (default off).
 * @returns The scheme policy.
 * @throws {TypeError} If `realm` is missing, blank or cannot be sent (a function's results: when `authenticate` runs), neither or both of `verify` and `users` are given, `users` is empty or holds a value that is not a string.
 * @throws {RangeError} If `cache.ttl` or `cache.maxEntries` is out of range.
 *
 * @example With a verify callback
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth } from "@httpauth/core";
 *
 * const scheme = basicAuth({ realm: "api", verify: (username, password) => (password === "pw" ? username : undefined) });
 * assert.equal(scheme.scheme, "basic");
 * assert.throws(() => basicAuth({ realm: "", verify: () => undefined }), TypeError);
 * ```
 *
 * @example With a map of users, and a cache of successes
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator, serializeBasicCredentials } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", users: { alice: "wonderland" }, cache: { ttl: 30 } })],
 * });
 * const authorization = serializeBasicCredentials({ username: "alice", password: "wonderland" });
 * const outcome = await authenticator.authenticate({ method: "GET", url: "/", header: () => authorization });
 * assert.deepEqual(outcome, { ok: true, scheme: "basic", identity: "alice", headers: [] });
 * ```
 *
 * @example A realm per host
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 *
 * const on = (host: string) => ({ method: "GET", url: "/", header: (name: string) => (name === "host" ? host : undefined) });
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: (request) => `${request.header("host")} staff`, users: { alice: "wonderland" } })],
 * });
 * const outcome = await authenticator.authenticate(on("a.example"));
 * assert.deepEqual(!outcome.ok && outcome.headers[0], ["WWW-Authenticate", 'Basic realm="a.example staff", charset="UTF-8"']);
 *
 * const broken = createAuthenticator({ schemes: [basicAuth({ realm: () => "", users: { alice: "wonderland" } })] });
 * await assert.rejects(broken.authenticate(on("a.example")), TypeError);
 * ```
 */
export function basicAuth<Identity = string>(options: BasicAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("basicAuth() needs { realm, verify }");
  const { realm } = options;
  const challengesOf = (realm: string): readonly Challenge[] => {
    // Checked now, so that a realm that cannot be sent (CR, LF, …) fails here, not on a request.
    if (unsendableIndex(realm) !== -1) {
      throw new TypeError("basicAuth(): realm must not contain control characters or characters above U+00FF");
    }
    const challengeOptions = options.charset === false ? { realm } : { realm, charset: "UTF-8" as const };
    return Object.freeze([freezeChallenge(createBasicChallenge(challengeOptions))]);
  };
  // A string realm: the challenge is built (and so checked) now. A function: per realm, when first returned.
  let challenges: (context: SchemeChallengeContext) => readonly Challenge[];
  if (isRealmFunction(realm, "basicAuth()", false)) {
    const resolve = realmResolver(realm, "basicAuth()", challengesOf);
    challenges = (context) => resolve(context.request);
  } else {
    const fixed = challengesOf(realm);
    challenges = () => fixed;
  }
  if ((options.verify === undefined) === (options.users === undefined)) {
    throw new TypeError("basicAuth(): give either verify or users");
  }
  const given = options.users === undefined ? options.verify : usersVerifier(options);
  assertFunction(given, "basicAuth(): verify");
  const verify = cachedVerifier(given as BasicVerifyOptions<Identity>["verify"], checkCache<Identity>(options.cache));
  const latin1Fallback = options.latin1Fallback ?? true;
  // The parse options for the last maxLength seen (one per authenticator in practice), made once.
  let parseOptions = { latin1Fallback, maxLength: DEFAULT_MAX_LENGTH };
  const parseOptionsFor = (maxLength: number): { latin1Fallback: boolean; maxLength: number } => {
    if (parseOptions.maxLength !== maxLength) parseOptions = { latin1Fallback, maxLength };
    return parseOptions;
  };
  return Object.freeze({
    scheme: "basic",
    realm: typeof realm === "string" ? realm : undefined,
    authSchemes: Object.freeze(["basic"]),
    throttleKey(credentials, context) {
      try {
        return parseBasicCredentials(credentials.value, parseOptionsFor(context.maxLength)).username;
      } catch {
        return undefined;
      }
    },
    verify(credentials, context) {
      let parsed: { username: string; password: string };
      try {
        parsed = parseBasicCredentials(credentials.value, parseOptionsFor(context.maxLength));
      } catch (error) {
        if (isHTTPAuthError(error)) return MALFORMED;
        throw error;
      }
      // Synchronous when verify is (and there is no cache): no promise on either path.
      const identity = verify(parsed.username, parsed.password, context.request, context.now);
      return isThenable(identity) ? Promise.resolve(identity).then(basicVerdict) : basicVerdict(identity);
    },
    challenges,
    openapi() {
      const where = typeof realm === "string" ? `realm "${realm}"` : "realm set per request";
      return { type: "http", scheme: "basic", description: `HTTP Basic (RFC 7617), ${where}` };
    },
  } satisfies AuthSchemePolicy<Identity>);
}
