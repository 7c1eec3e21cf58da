/**
 * Digest verification (RFC 7616 §3.4), for servers: the response digest
 * checked against a stateless nonce, in constant time, with nonce counts
 * against replays.
 *
 * @module
 */

import type { Credentials } from "../../credentials.ts";
import type { HTTPAuthError } from "../../errors.ts";
import { isHTTPAuthError } from "../../errors.ts";
import { hashLength } from "../../internal/hash.ts";
import type { AlgorithmInfo, DigestAlgorithm, DigestInput, DigestQop } from "./algorithms.ts";
import { ALGORITHMS, computeDigest, hashText, hexEqual } from "./algorithms.ts";
import { buildAuthenticationInfo } from "./authentication-info.ts";
import { isHex } from "./characters.ts";
import type { DigestCredentials } from "./credentials.ts";
import { parseDigestCredentials } from "./credentials.ts";
import { CLOCK_SKEW_SECONDS, readNonce } from "./nonce.ts";
import type { NonceCountResult, NonceCountStore } from "./nonce-count-store.ts";
import type { VerifyDigestCredentialsOptions, VerifySettings } from "./verify-options.ts";
import { checkVerifyOptions } from "./verify-options.ts";

/**
 * Why {@linkcode verifyDigestCredentials} refused credentials:
 *
 * | reason | meaning |
 * |---|---|
 * | `malformed` | the credentials break the syntax; `error` says how |
 * | `wrong-realm` | `realm` is not the server's |
 * | `algorithm-not-offered` | an algorithm no challenge offered (MD5 when only SHA-256 was, also by leaving `algorithm` out) |
 * | `qop-not-offered` | a qop no challenge offered, or none when `allowRFC2069` is off |
 * | `uri-mismatch` | `uri` does not designate the request target |
 * | `body-unavailable` | qop=auth-int, but the request body was not given (`body` absent): it cannot be checked |
 * | `invalid-nonce` | the nonce was not made with this secret and realm for one of the offered algorithms |
 * | `unknown-user` | no password (or hash) for the user |
 * | `wrong-password` | the response digest is wrong |
 * | `stale-nonce` | the digest is right but the nonce expired: challenge again with `stale: true` |
 * | `replayed-nonce-count` | the digest is right but its nonce count was already used for this user, or is below the window: challenge again with `stale: true` |
 * | `forgotten-nonce` | the digest is right but the nonce-count store cannot vouch for the nonce (it forgot it): challenge again with `stale: true` |
 */
export type DigestFailureReason =
  | "malformed"
  | "wrong-realm"
  | "algorithm-not-offered"
  | "qop-not-offered"
  | "uri-mismatch"
  | "body-unavailable"
  | "invalid-nonce"
  | "unknown-user"
  | "wrong-password"
  | "stale-nonce"
  | "replayed-nonce-count"
  | "forgotten-nonce";

/** Credentials that proved knowledge of the password. */
export interface DigestVerificationSuccess {
  /** Always `true`: the credentials prove knowledge of the password. */
  ok: true;
  /** The user name (resolved through `findUsernameByHash` for a userhash). */
  username: string;
  /** The algorithm the client used. */
  algorithm: DigestAlgorithm;
  /** The qop the client used; absent for the RFC 2069 form. */
  qop?: DigestQop;
  /** The `Authentication-Info` field value, when asked for. */
  authenticationInfo?: string;
}

/** Credentials that were refused; answer 401 with a new challenge. */
export interface DigestVerificationFailure {
  /** Always `false`: the credentials are refused. */
  ok: false;
  /** Why; never send it to the client. */
  reason: DigestFailureReason;
  /** For `malformed`: what is wrong with the credentials. */
  error?: HTTPAuthError;
}

/** The outcome of {@linkcode verifyDigestCredentials}. */
export type DigestVerification = DigestVerificationSuccess | DigestVerificationFailure;

/** A password no user has, hashed for unknown users so that they cost as much as known ones. */
const DUMMY_PASSWORD = "httpauth: no such user";

/** Checks and lower-cases the hex H(A1) returned by the caller's `ha1`. */
function checkHA1(value: unknown, algorithm: AlgorithmInfo): string {
  const length = hashLength(algorithm.hash);
  if (typeof value !== "string" || !isHex(value, length)) {
    throw new TypeError(
      `Cannot verify Digest credentials: ha1 must return ${length} hex digits of ${algorithm.hash}(username:realm:password) or undefined`,
    );
  }
  return value.toLowerCase();
}

function failure(reason: DigestFailureReason): DigestVerificationFailure {
  return { ok: false, reason };
}

/**
 * Verifies Digest credentials (RFC 7616 §3.4) against a nonce made by
 * {@linkcode createDigestChallenge} with the same secret. Never throws for
 * what the client sent: the result says why it was refused.
 *
 * Checks, in order: syntax (`malformed`), realm, algorithm and qop against
 * those offered, `uri` against the request target, the nonce's HMAC
 * (`invalid-nonce`), then the response digest — computed also for unknown
 * users, with a dummy password, so that they take as long as a wrong
 * password — compared in constant time. Only a right digest can get
 * `stale-nonce` (its nonce expired) or `replayed-nonce-count`, and only a
 * right, fresh digest is recorded in `nonceCounts`.
 *
 * @param credentials The `Authorization` (or `Proxy-Authorization`) value, or parsed credentials.
 * @param options `method`, `uri`, `realm`, `secret` and `nonceCounts` (required);
 *   one of `password` and `ha1`; `algorithms`, `qop`, `findUsernameByHash`,
 *   `nonceLifetime`, `now`, `uriMatches`, `body`, `authenticationInfo`, `allowRFC2069`.
 * @returns `{ ok: true, username, algorithm, qop, authenticationInfo? }` or
 *   `{ ok: false, reason, error? }`.
 * @throws {TypeError} If both or neither of `password` and `ha1` are given,
 *   `nonceCounts` is missing, `method` is not a token, `realm` is blank, or
 *   `ha1` returns something that is not hex of the right length.
 * @throws {RangeError} If `secret` is shorter than 16 bytes, or `algorithms`,
 *   `qop`, `nonceLifetime` or `now` is out of range.
 *
 * @example A client and a server
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   computeDigestCredentials,
 *   createDigestChallenge,
 *   createMemoryNonceCountStore,
 *   serializeCredentials,
 *   verifyDigestCredentials,
 * } from "@httpauth/core";
 *
 * const secret = "a long random server secret";
 * const nonceCounts = createMemoryNonceCountStore(); // once per server
 * const challenge = await createDigestChallenge({ realm: "api", secret });
 * const credentials = await computeDigestCredentials(challenge, {
 *   username: "Mufasa",
 *   password: "Circle of Life",
 *   method: "GET",
 *   uri: "/dir/index.html",
 * });
 * const options = {
 *   method: "GET",
 *   uri: "/dir/index.html",
 *   realm: "api",
 *   secret,
 *   nonceCounts,
 *   password: (username: string) => (username === "Mufasa" ? "Circle of Life" : undefined),
 * };
 * const result = await verifyDigestCredentials(serializeCredentials(credentials), options);
 * assert.deepEqual(result, { ok: true, username: "Mufasa", algorithm: "SHA-256", qop: "auth" });
 *
 * // The same request again is a replay.
 * const replay = await verifyDigestCredentials(serializeCredentials(credentials), options);
 * assert.deepEqual(replay, { ok: false, reason: "replayed-nonce-count" });
 * ```
 */
export async function verifyDigestCredentials(
  credentials: string | Credentials,
  options: VerifyDigestCredentialsOptions,
): Promise<DigestVerification> {
  const settings = checkVerifyOptions(options);
  let parsed: DigestCredentials;
  try {
    parsed = parseDigestCredentials(
      credentials,
      options.maxLength === undefined ? undefined : { maxLength: options.maxLength },
    );
  } catch (error) {
    if (isHTTPAuthError(error)) return { ok: false, reason: "malformed", error };
    throw error;
  }
  const notOffered = checkOffered(parsed, settings, options.allowRFC2069 === true);
  if (notOffered !== undefined) return failure(notOffered);
  const algorithm = ALGORITHMS[parsed.algorithm.toLowerCase()] as AlgorithmInfo;
  const issued = await readOfferedNonce(parsed.nonce, settings, algorithm.name);
  if (issued === undefined) return failure("invalid-nonce");
  const age = Math.floor(settings.now / 1000) - issued;
  const expired = age > settings.nonceLifetime || age < -CLOCK_SKEW_SECONDS;

  const user = await lookUpUser(parsed, options, settings.realm, algorithm);
  const input: DigestInput = {
    algorithm,
    ha1: user.ha1,
    nonce: parsed.nonce,
    qop: parsed.qop,
    nc: parsed.nc,
    cnonce: parsed.cnonce,
    method: settings.method,
    uri: parsed.uri,
    body: options.body,
  };
  const expected = await computeDigest(input);
  const matches = hexEqual(parsed.response, expected);
  if (!user.known || user.username === undefined) return failure("unknown-user");
  if (!matches) return failure("wrong-password");
  if (expired) return failure("stale-nonce");
  const count = await recordNonceCount(parsed, user.username, issued, settings, options.nonceCounts);
  if (count === "replayed") return failure("replayed-nonce-count");
  if (count === "stale") return failure("forgotten-nonce");
  const result: DigestVerificationSuccess = { ok: true, username: user.username, algorithm: algorithm.name };
  if (parsed.qop !== undefined) result.qop = parsed.qop;
  if (settings.info !== undefined) {
    result.authenticationInfo = await buildAuthenticationInfo(input, parsed, settings);
  }
  return result;
}

/**
 * Checks what the credentials chose against what the server offers, before
 * any digest is computed: the realm, the algorithm, the qop (none only with
 * `allowRFC2069`) and the `uri` against the request target.
 */
function checkOffered(
  parsed: DigestCredentials,
  settings: VerifySettings,
  allowRFC2069: boolean,
): DigestFailureReason | undefined {
  if (parsed.realm !== settings.realm) return "wrong-realm";
  if (!settings.algorithms.includes(parsed.algorithm)) return "algorithm-not-offered";
  if (parsed.qop === undefined ? !allowRFC2069 : !settings.qop.includes(parsed.qop)) return "qop-not-offered";
  if (!settings.uriMatches(parsed.uri, settings.uri)) return "uri-mismatch";
  // A digest over a body the server cannot see would authenticate any body (RFC 7616 §3.4.3).
  if (parsed.qop === "auth-int" && !settings.hasBody) return "body-unavailable";
  return undefined;
}

/** The user the credentials name, and the H(A1) their digest is checked with. */
interface User {
  /** The plain user name; `undefined` when a user hash matches no one. */
  username: string | undefined;
  /** The user's H(A1), or for an unknown user one that costs as much to use. */
  ha1: string;
  /** Whether `ha1` is the user's own. */
  known: boolean;
}

/**
 * Finds the user and their H(A1) through the caller's callbacks. An unknown
 * user gets a stand-in H(A1) — hashed from a dummy password when the caller
 * gives passwords — so that refusing them takes as long as a wrong password.
 */
async function lookUpUser(
  parsed: DigestCredentials,
  options: VerifyDigestCredentialsOptions,
  realm: string,
  algorithm: AlgorithmInfo,
): Promise<User> {
  const username = parsed.userhash ? await findUsername(parsed.username, options, realm, algorithm) : parsed.username;
  const ha1 = username === undefined ? undefined : await storedHA1(username, options, realm, algorithm);
  if (ha1 !== undefined) return { username, ha1, known: true };
  // Unknown user: spend what a known user costs, then refuse.
  const standIn =
    options.password !== undefined
      ? await hashText(algorithm.hash, `${parsed.username}:${realm}:${DUMMY_PASSWORD}`)
      : "0".repeat(hashLength(algorithm.hash));
  return { username, ha1: standIn, known: false };
}

/** The plain user name behind a user hash (RFC 7616 §3.4.4), through `findUsernameByHash`. */
async function findUsername(
  userhash: string,
  options: VerifyDigestCredentialsOptions,
  realm: string,
  algorithm: AlgorithmInfo,
): Promise<string | undefined> {
  const username = options.findUsernameByHash
    ? await options.findUsernameByHash(userhash, realm, algorithm.name)
    : undefined;
  if (username !== undefined && typeof username !== "string") {
    throw new TypeError("Cannot verify Digest credentials: findUsernameByHash must return a string or undefined");
  }
  return username;
}

/**
 * H(A1) = H(unq(username) ":" unq(realm) ":" passwd)   (RFC 7616 §3.4.2)
 *
 * Hashed from what `password` returns, or read from `ha1`; `undefined` for
 * an unknown user.
 */
async function storedHA1(
  username: string,
  options: VerifyDigestCredentialsOptions,
  realm: string,
  algorithm: AlgorithmInfo,
): Promise<string | undefined> {
  if (options.password !== undefined) {
    const password = await options.password(username, realm);
    if (password !== undefined && typeof password !== "string") {
      throw new TypeError("Cannot verify Digest credentials: password must return a string or undefined");
    }
    return password === undefined ? undefined : hashText(algorithm.hash, `${username}:${realm}:${password}`);
  }
  if (options.ha1 !== undefined) {
    const stored = await options.ha1(username, realm, algorithm.name);
    if (stored !== undefined) return checkHA1(stored, algorithm);
  }
  return undefined;
}

/**
 * The time (seconds) of a nonce made with this secret and realm for the
 * credentials' algorithm or, failing that, for another offered algorithm:
 * clients such as digest-fetch and urllib answer the first challenge's nonce
 * with the algorithm they prefer. The algorithm itself was checked against
 * those offered already, so this gives no downgrade.
 */
async function readOfferedNonce(
  nonce: string,
  settings: VerifySettings,
  algorithm: DigestAlgorithm,
): Promise<number | undefined> {
  const issued = await readNonce(nonce, settings.secret, settings.realm, algorithm);
  if (issued !== undefined) return issued;
  for (const other of settings.algorithms) {
    if (other === algorithm) continue;
    const time = await readNonce(nonce, settings.secret, settings.realm, other);
    if (time !== undefined) return time;
  }
  return undefined;
}

/**
 * Records the nonce count of a right, fresh digest (RFC 7616 §3.4, §5.10)
 * per nonce and user. Credentials without a count (RFC 2069) and
 * `nonceCounts: false` have nothing to record. A store that answers
 * anything but the three results throws: nothing passes unchecked.
 */
async function recordNonceCount(
  parsed: DigestCredentials,
  username: string,
  issued: number,
  settings: VerifySettings,
  nonceCounts: NonceCountStore | false,
): Promise<NonceCountResult> {
  if (parsed.nc === undefined || nonceCounts === false) return "fresh";
  const result = await nonceCounts.check({
    nonce: parsed.nonce,
    username,
    nc: Number.parseInt(parsed.nc, 16),
    issuedAt: issued * 1000,
    // The verifier accepts a nonce until `nonceLifetime` whole seconds have passed.
    expiresAt: (issued + settings.nonceLifetime + 1) * 1000,
    now: settings.now,
  });
  if (result !== "fresh" && result !== "replayed" && result !== "stale") {
    throw new TypeError(
      'Cannot verify Digest credentials: nonceCounts.check must answer "fresh", "replayed" or "stale"',
    );
  }
  return result;
}
