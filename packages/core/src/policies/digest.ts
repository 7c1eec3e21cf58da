/**
 * The Digest scheme (RFC 7616) as a policy of the authenticator: one
 * challenge per algorithm, stateless nonces, replay detection, `stale=true`
 * and `Authentication-Info`.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { assertFunction, requestTarget } from "../internal/policy-support.ts";
import { realmResolver } from "../internal/realm.ts";
import type {
  DigestAlgorithm,
  DigestQop,
  NonceCountStore,
  VerifyDigestCredentialsOptions,
} from "../schemes/digest/index.ts";
import {
  checkDigestChallengeText,
  createDigestChallenge,
  createMemoryNonceCountStore,
  parseDigestCredentials,
  verifyDigestCredentials,
} from "../schemes/digest/index.ts";
import { defaultUriMatches, normalizedUriMatches } from "../schemes/digest/verify-options.ts";
import type { AuthRequest, AuthSchemePolicy, HeaderLine, SchemeContext, SchemeVerdict } from "./types.ts";

/** Options of {@linkcode digestAuth}. Give exactly one of `password`, `ha1` and `users`. */
export interface DigestAuthOptions<Identity> {
  /**
   * The realm: a string, checked when the policy is made, or a function of
   * the request (a realm per host), whose result is checked on each request
   * (see {@linkcode digestAuth}). The realm is part of HA1 and of the nonce's
   * HMAC: credentials and nonces made for one realm never verify for another.
   * `password`, `ha1` and `findUsernameByHash` are given the request's realm.
   */
  realm: string | ((request: AuthRequest) => string);
  /** The key of the stateless nonce: at least 16 bytes, shared by every instance that must accept the same nonces. */
  secret: string | Uint8Array;
  /** The user's password in clear, or `undefined` for an unknown user. */
  password?: VerifyDigestCredentialsOptions["password"];
  /** Hex `H(username:realm:password)` for the base algorithm, or `undefined` for an unknown user. */
  ha1?: VerifyDigestCredentialsOptions["ha1"];
  /**
   * User name → password in clear, instead of `password` (the identity is
   * then the user name, unless `identity` maps it). HA1 is computed from the
   * password for the algorithm the client chose, the response compared in
   * constant time, and an unknown name costs the same hashing as a known
   * one. At least one user; the map is copied (later changes are not seen)
   * and read as a `Map`, so names such as `__proto__` or `constructor` are
   * only users if listed. For stored hashes, give `ha1` instead.
   */
  users?: Readonly<Record<string, string>>;
  /** Algorithms offered, one challenge line each, in order. Default `["SHA-256"]`. */
  algorithms?: readonly DigestAlgorithm[];
  /** qop values offered. Default `["auth"]`. */
  qop?: readonly DigestQop[];
  /** Seconds a nonce stays fresh. Default 300. */
  nonceLifetime?: number;
  /** Where nonce counts are remembered against replay; in memory, per authenticator, by default. */
  nonceCounts?: NonceCountStore;
  /** Compares the credentials' `uri` with the request target (for apps behind a prefix or a proxy). */
  uriMatches?: VerifyDigestCredentialsOptions["uriMatches"];
  /** Ask clients to hash the username (RFC 7616 §3.4.4); needs `findUsernameByHash`. */
  userhash?: boolean;
  /** Finds the user whose `H(username:realm)` is `userhash`. */
  findUsernameByHash?: VerifyDigestCredentialsOptions["findUsernameByHash"];
  /** The identity for an authenticated user name. Default: the user name itself. */
  identity?: (username: string) => Identity | Promise<Identity>;
  /** An `opaque` value echoed by clients. */
  opaque?: string;
  /** URIs of the protection space (`domain`). */
  domain?: readonly string[];
}

/** The options checked and defaulted. */
interface DigestSettings<Identity> extends DigestAuthOptions<Identity> {
  /** The request's realm, checked. */
  realmFor: (request: AuthRequest) => string;
  algorithms: readonly DigestAlgorithm[];
  qop: readonly DigestQop[];
  nonceCounts: NonceCountStore;
  nonceLifetime: number;
}

/** The `password` callback of the `users` form: a copy of the map, read as a `Map`. */
function usersPassword(users: unknown): (username: string) => string | undefined {
  if (typeof users !== "object" || users === null) throw new TypeError("digestAuth(): users must be an object");
  const table = new Map<string, string>();
  for (const [username, password] of Object.entries(users)) {
    if (typeof password !== "string") throw new TypeError("digestAuth(): every entry of users must be a string");
    table.set(username, password);
  }
  if (table.size === 0) throw new TypeError("digestAuth(): users must hold at least one user");
  return (username) => table.get(username);
}

/** Checks the options at start-up, so that a challenge that could never be sent fails now. */
function digestSettings<Identity>(options: DigestAuthOptions<Identity>): DigestSettings<Identity> {
  if (typeof options !== "object" || options === null)
    throw new TypeError("digestAuth() needs { realm, secret, password }");
  const { realm, secret, ha1, users, identity, opaque, domain, userhash, findUsernameByHash } = options;
  const dynamic = typeof realm === "function";
  if (!dynamic && (typeof realm !== "string" || realm.trim() === "")) {
    throw new TypeError("digestAuth(): give a non-blank realm, or a function of the request returning one");
  }
  // Realm, opaque and domain are checked now, so that a challenge that could never be sent fails at start-up;
  // a realm function's results are checked per request (a stand-in realm lets opaque and domain be checked now).
  checkDigestChallengeText({ realm: dynamic ? "realm" : realm, opaque, domain }, "digestAuth()");
  if ([options.password, ha1, users].filter((given) => given !== undefined).length !== 1) {
    throw new TypeError("digestAuth(): give exactly one of password, ha1 and users");
  }
  const password = users === undefined ? options.password : usersPassword(users);
  if (password !== undefined) assertFunction(password, "digestAuth(): password");
  if (ha1 !== undefined) assertFunction(ha1, "digestAuth(): ha1");
  if (identity !== undefined) assertFunction(identity, "digestAuth(): identity");
  if (userhash === true && findUsernameByHash === undefined) {
    throw new TypeError("digestAuth(): userhash needs findUsernameByHash");
  }
  const secretLength = typeof secret === "string" ? new TextEncoder().encode(secret).length : secret?.length;
  if (typeof secretLength !== "number" || !(typeof secret === "string" || secret instanceof Uint8Array)) {
    throw new TypeError("digestAuth(): secret must be a string or a Uint8Array");
  }
  if (secretLength < 16) throw new RangeError("digestAuth(): make the secret at least 16 bytes long");
  const algorithms = options.algorithms ?? ["SHA-256"];
  if (algorithms.length === 0) throw new TypeError("digestAuth(): offer at least one algorithm");
  return {
    ...options,
    ...(password === undefined ? {} : { password }),
    realmFor: dynamic ? realmResolver(realm, "digestAuth()", (checked) => checked) : () => realm,
    algorithms,
    qop: options.qop ?? ["auth"],
    nonceCounts: options.nonceCounts ?? createMemoryNonceCountStore(),
    nonceLifetime: options.nonceLifetime ?? 300,
  };
}

/** Verifies Digest credentials against the settings: the verdict and its `Authentication-Info`. */
async function verifyDigest<Identity>(
  settings: DigestSettings<Identity>,
  credentials: string,
  context: SchemeContext,
): Promise<SchemeVerdict<Identity>> {
  const { secret, password, ha1, findUsernameByHash, uriMatches, qop, identity } = settings;
  const result = await verifyDigestCredentials(credentials, {
    method: context.request.method,
    uri: requestTarget(context.request.url),
    realm: settings.realmFor(context.request),
    secret,
    algorithms: settings.algorithms,
    qop,
    nonceLifetime: settings.nonceLifetime,
    nonceCounts: settings.nonceCounts,
    now: context.now,
    authenticationInfo: true,
    maxLength: context.maxLength,
    ...(password === undefined ? {} : { password }),
    ...(ha1 === undefined ? {} : { ha1 }),
    ...(findUsernameByHash === undefined ? {} : { findUsernameByHash }),
    uriMatches: uriMatches ?? targetMatcher(context.request.url),
    ...(qop.includes("auth-int") ? await availableBody(context) : {}),
  });
  if (result.ok) {
    const who = identity === undefined ? (result.username as Identity) : await identity(result.username);
    const name = context.proxy ? "Proxy-Authentication-Info" : "Authentication-Info";
    // With qop=auth-int, rspauth covers the response body (RFC 7616 §3.5), which is not
    // known here: send no Authentication-Info rather than one that would not verify.
    const info = result.qop === "auth-int" ? undefined : result.authenticationInfo;
    const headers: HeaderLine[] = info === undefined ? [] : [[name, info]];
    return { ok: true, identity: who, headers };
  }
  if (result.reason === "malformed" && result.error !== undefined) {
    return { ok: false, status: 401, reason: "malformed-credentials" };
  }
  // A right digest whose nonce expired, or whose count was used or cannot be vouched for:
  // a fresh nonce with stale=true, never a password failure (RFC 7616 §3.3).
  if (STALE_REASONS.has(result.reason)) return { ok: false, status: 401, reason: "stale-nonce", challenge: STALE };
  return { ok: false, status: 401, reason: "invalid-credentials" };
}

const STALE_REASONS: ReadonlySet<string> = new Set(["stale-nonce", "replayed-nonce-count", "forgotten-nonce"]);

/**
 * The body for qop=auth-int, when the runtime can give it: `{ body }`, or
 * nothing when it cannot (no `body` reader, or a reader that answers
 * `undefined`: not read, over the cap), so that auth-int is refused rather
 * than checked against an empty body. A request without a body reads as
 * empty bytes.
 */
async function availableBody(context: SchemeContext): Promise<{ body?: Uint8Array }> {
  const body = await context.request.body?.();
  return body === undefined ? {} : { body };
}

/**
 * The default `uri` match for the request's `url`: the target as received
 * (node:http gives it raw), or, for an absolute URL that a Fetch runtime
 * already normalised, the credentials' `uri` normalised by the same WHATWG
 * parser (`/report?`, `/a/./b`, `/x{y}` as clients send them).
 */
function targetMatcher(url: string): (credentialsUri: string, requestUri: string) => boolean {
  if (url.startsWith("/") || url === "*") return defaultUriMatches;
  return (credentialsUri) => normalizedUriMatches(credentialsUri, url);
}

const STALE = Object.freeze({ stale: true });

/**
 * Configures the Digest scheme (RFC 7616) for {@linkcode createAuthenticator}:
 * one challenge line per algorithm, stateless nonces, replay detection,
 * `stale=true` for expired nonces and `Authentication-Info` on success.
 * Users come from `password` (a callback), `ha1` (stored hashes) or `users`
 * (a map of passwords, as `basicAuth` takes).
 * Failures are counted per canonical user name, as verification reads it:
 * `username*` decoded (RFC 8187, any charset case or language tag), or the
 * lower-cased `userhash`; malformed credentials per client address only.
 * `realm` may be a function of the request (a realm per host or tenant),
 * called when a challenge is sent: what it returns must be a non-blank string
 * of at most 256 characters a quoted-string can carry (no control character,
 * nothing above U+00FF; `"` and `\` are escaped). Anything else makes
 * `authenticate` reject with a `TypeError` (the app answers 500), never a
 * challenge without a realm nor a malformed header. The challenges of the
 * last 64 realms are kept, so a fixed set of hosts costs no more than a string.
 *
 * @param options `realm`, `secret`, and one of `password`, `ha1` or `users`; see {@linkcode DigestAuthOptions}.
 * @returns The scheme policy.
 * @throws {TypeError} If `realm` is blank or cannot be sent (a function's results: when `authenticate` runs, which
 *   then rejects), not exactly one of `password`, `ha1` and `users` is given, `users` is empty or holds a value that
 *   is not a string, or `userhash` lacks `findUsernameByHash`.
 * @throws {RangeError} If `secret` is shorter than 16 bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { digestAuth } from "@httpauth/core";
 *
 * const scheme = digestAuth({
 *   realm: "api",
 *   secret: "a secret of at least sixteen bytes",
 *   algorithms: ["SHA-256", "MD5"],
 *   password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
 * });
 * assert.equal(scheme.scheme, "digest");
 * ```
 *
 * @example A realm per host: credentials for one never verify for the other
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeDigestCredentials, createAuthenticator, digestAuth, parseChallenges, serializeCredentials } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     digestAuth({
 *       realm: (request) => `${request.header("host")}`,
 *       secret: "a secret of at least sixteen bytes",
 *       password: (username, realm) => (username === "ada" && realm === "a.example" ? "lovelace" : undefined),
 *     }),
 *   ],
 * });
 * const on = (host: string, authorization?: string) => ({
 *   method: "GET",
 *   url: "/",
 *   header: (name: string) => (name === "host" ? host : name === "authorization" ? authorization : undefined),
 * });
 * const refused = await authenticator.authenticate(on("a.example"));
 * assert.equal(refused.ok, false);
 * const [challenge] = parseChallenges(!refused.ok ? (refused.headers[0]?.[1] ?? "") : "");
 * assert.equal(challenge?.params.realm, "a.example");
 * const credentials = serializeCredentials(
 *   await computeDigestCredentials(challenge!, { username: "ada", password: "lovelace", method: "GET", uri: "/" }),
 * );
 * assert.equal((await authenticator.authenticate(on("a.example", credentials))).ok, true);
 * assert.equal((await authenticator.authenticate(on("b.example", credentials))).ok, false);
 * ```
 *
 * @example A map of users
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeDigestCredentials, createAuthenticator, digestAuth, parseChallenges, serializeCredentials } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [digestAuth({ realm: "api", secret: "a secret of at least sixteen bytes", users: { alice: "wonderland" } })],
 * });
 * const request = (authorization?: string) => ({
 *   method: "GET",
 *   url: "/",
 *   header: (name: string) => (name === "authorization" ? authorization : undefined),
 * });
 * const refused = await authenticator.authenticate(request());
 * const [challenge] = parseChallenges(!refused.ok ? (refused.headers[0]?.[1] ?? "") : "");
 * const answer = (password: string) =>
 *   computeDigestCredentials(challenge!, { username: "alice", password, method: "GET", uri: "/", nc: password.length });
 * const outcome = await authenticator.authenticate(request(serializeCredentials(await answer("wonderland"))));
 * assert.equal(outcome.ok && outcome.identity, "alice");
 * const wrong = await authenticator.authenticate(request(serializeCredentials(await answer("guess"))));
 * assert.equal(!wrong.ok && wrong.reason, "invalid-credentials");
 * ```
 */
export function digestAuth<Identity = string>(options: DigestAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  const settings = digestSettings(options);
  const { secret, algorithms, qop, opaque, domain, userhash, realmFor } = settings;
  const realm = typeof options.realm === "string" ? options.realm : undefined;
  return Object.freeze({
    scheme: "digest",
    realm,
    authSchemes: Object.freeze(["digest"]),
    throttleKey(credentials, context) {
      // The canonical identity verification uses: `username*` decoded (RFC 8187), or a `userhash` lower-cased.
      try {
        const parsed = parseDigestCredentials(credentials.value, { maxLength: context.maxLength });
        return parsed.userhash ? `userhash:${parsed.username}` : `username:${parsed.username}`;
      } catch {
        return undefined;
      }
    },
    verify(credentials, context) {
      return verifyDigest(settings, credentials.value, context);
    },
    async challenges(context) {
      const stale = context.failure?.challenge?.stale === true;
      const challenges: Challenge[] = [];
      const realm = realmFor(context.request);
      for (const algorithm of algorithms) {
        challenges.push(
          await createDigestChallenge({
            realm,
            secret,
            algorithm,
            qop,
            now: context.now,
            ...(stale ? { stale: true } : {}),
            ...(opaque === undefined ? {} : { opaque }),
            ...(domain === undefined ? {} : { domain }),
            ...(userhash === true ? { userhash: true } : {}),
            charset: "UTF-8",
          }),
        );
      }
      return challenges;
    },
    openapi() {
      return {
        type: "http",
        scheme: "digest",
        description: `HTTP Digest (RFC 7616), ${realm === undefined ? "realm set per request" : `realm "${realm}"`}, ${algorithms.join(", ")}`,
      };
    },
  } satisfies AuthSchemePolicy<Identity>);
}
