/**
 * Digest credentials computed by clients (RFC 7616 §3.4): the answer to a
 * challenge, with nonce counts kept per challenge object.
 *
 * @module
 */

import type { AuthParams } from "../../auth-params.ts";
import type { Challenge } from "../../challenge.ts";
import type { Credentials } from "../../credentials.ts";
import type { HTTPAuthErrorCode } from "../../errors.ts";
import { HTTPAuthError } from "../../errors.ts";
import { createParams } from "../../grammar/scanner.ts";
import { encodeBase64 } from "../../internal/base64.ts";
import { isWellFormedUTF16 } from "../../internal/utf8.ts";
import type { AlgorithmInfo, DigestQop } from "./algorithms.ts";
import { ALGORITHMS, computeDigest, hashText, lookupAlgorithm } from "./algorithms.ts";
import { checkBody, checkMethod, checkUri } from "./arguments.ts";
import { hasForbiddenUserNameCharacter, hasUnsendableCharacter, isPrintableASCII } from "./characters.ts";
import { encodeExtValue } from "./ext-value.ts";
import { checkElement, readParam } from "./params.ts";

/** Options of {@linkcode computeDigestCredentials}. */
export interface ComputeDigestCredentialsOptions {
  /** The user name; sent as `username*` (RFC 8187) when it is not printable ASCII. */
  username: string;
  /** The password. */
  password: string;
  /** The request method, a token. */
  method: string;
  /** The request target, such as `/dir/index.html`. */
  uri: string;
  /** The request body, hashed when qop=auth-int is used. Absent means an empty body. */
  body?: Uint8Array | string;
  /** The client nonce; random (24 bytes, base64) when absent. */
  cnonce?: string;
  /** The nonce count, 1 to 2³²−1; counted per challenge object when absent. */
  nc?: number;
}

/** The nonce count last used per challenge object, for clients that do not count themselves. */
const nonceCounters = new WeakMap<object, number>();

const MAX_NONCE_COUNT = 0xffff_ffff;
const CNONCE_BYTES = 24;

function challengeError(code: HTTPAuthErrorCode, message: string): HTTPAuthError {
  return new HTTPAuthError(code, `Cannot answer the Digest challenge: ${message}`);
}

/**
 * qop-options = "qop" "=" DQUOTE 1#qop-value DQUOTE   (RFC 7616 §3.3)
 * Returns the values httpauth implements, in the order offered; tokens
 * compare case-insensitively and unknown ones are skipped.
 */
function offeredQop(value: string): DigestQop[] {
  const offered: DigestQop[] = [];
  for (const item of value.split(",")) {
    const name = item.trim().toLowerCase();
    if ((name === "auth" || name === "auth-int") && !offered.includes(name)) offered.push(name);
  }
  return offered;
}

/** Spells a nonce count as 8 lower-case hex digits (nc-value, RFC 7616 §3.4). */
function formatNonceCount(count: number): string {
  return count.toString(16).padStart(8, "0");
}

/**
 * Computes Digest credentials that answer a challenge (RFC 7616 §3.4), for
 * an HTTP client.
 *
 * - The algorithm is the challenge's (MD5 when it names none); the
 *   credentials name it only when the challenge did.
 * - qop: `auth` when offered, otherwise `auth-int` (hashing `body`, empty
 *   when absent). Without qop in the challenge, the RFC 2069 form is sent:
 *   no qop, cnonce or nc.
 * - nc: `options.nc`, or else one more than the last count used with this
 *   same challenge object (from 00000001). Reuse the challenge object for
 *   later requests to count; a given `nc` also moves the count.
 * - cnonce: `options.cnonce`, or 24 random bytes in base64.
 * - With `userhash=true` in the challenge, `username` is
 *   `H(username ":" realm)` and `userhash=true` is sent. Otherwise a user
 *   name that is not printable ASCII (SP to `~`) is sent as `username*`
 *   (RFC 8187, UTF-8); `"` and `\` stay in a quoted `username`.
 * - `opaque` is echoed. Parameters come in the order of RFC 7616's examples:
 *   username, realm, uri, algorithm, nonce, nc, cnonce, qop, response, opaque, userhash.
 *
 * @param challenge A Digest challenge, as `parseChallenges` returns it.
 * @param options `username`, `password`, `method`, `uri`; `body`, `cnonce`, `nc`.
 * @returns The credentials; serialize them with `serializeCredentials`.
 * @throws {HTTPAuthError} `wrong-scheme` (not Digest); `missing-parameter`
 *   (no realm or nonce, or a -sess algorithm without qop);
 *   `unsupported-algorithm`; `unsupported-qop` (qop offered, but neither auth nor auth-int).
 * @throws {TypeError} If `username` or `password` is not a well-formed string,
 *   `username` has a control character, `method` is not a token, `uri` is
 *   empty or unsendable, or `cnonce` is empty.
 * @throws {RangeError} If `nc` is not a whole number from 1 to 2³²−1, or the
 *   challenge has been used 2³²−1 times.
 *
 * @example Answer the RFC 7616 §3.9.1 challenge
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeDigestCredentials, parseChallenges } from "@httpauth/core";
 *
 * const [challenge] = parseChallenges(
 *   'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
 *     'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
 * );
 * assert.ok(challenge);
 * const credentials = await computeDigestCredentials(challenge, {
 *   username: "Mufasa",
 *   password: "Circle of Life",
 *   method: "GET",
 *   uri: "/dir/index.html",
 *   cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
 * });
 * assert.equal(credentials.params.nc, "00000001");
 * assert.equal(credentials.params.response, "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
 * ```
 */
export async function computeDigestCredentials(
  challenge: Challenge,
  options: ComputeDigestCredentialsOptions,
): Promise<Credentials> {
  const context = "Cannot compute Digest credentials";
  const element = checkElement(challenge, context);
  const request = checkComputeOptions(options, context);
  const terms = readChallengeTerms(element, context);
  const counted = terms.qop === undefined ? undefined : countRequest(element, options, context);

  const ha1 = await hashText(terms.algorithm.hash, `${request.username}:${terms.realm}:${request.password}`);
  const response = await computeDigest({
    algorithm: terms.algorithm,
    ha1,
    nonce: terms.nonce,
    qop: terms.qop,
    nc: counted?.nc,
    cnonce: counted?.cnonce,
    method: request.method,
    uri: request.uri,
    body: options.body,
  });
  return { scheme: "digest", params: await credentialsParams(terms, request, counted, response) };
}

/** The checked request of {@linkcode computeDigestCredentials}. */
interface DigestRequest {
  username: string;
  password: string;
  method: string;
  uri: string;
}

/** Checks the options of {@linkcode computeDigestCredentials}: `TypeError` or `RangeError` for what cannot be sent. */
function checkComputeOptions(options: ComputeDigestCredentialsOptions, context: string): DigestRequest {
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  const { username, password } = options;
  if (typeof username !== "string" || !isWellFormedUTF16(username)) {
    throw new TypeError(`${context}: username must be a string without lone surrogates`);
  }
  if (hasForbiddenUserNameCharacter(username)) {
    throw new TypeError(`${context}: username must not have control characters (C0, DEL, C1) or U+2028/U+2029`);
  }
  if (typeof password !== "string" || !isWellFormedUTF16(password)) {
    throw new TypeError(`${context}: password must be a string without lone surrogates`);
  }
  const method = checkMethod(options.method, context);
  const uri = checkUri(options.uri, context);
  checkBody(options.body, context, "body");
  if (options.cnonce !== undefined && (typeof options.cnonce !== "string" || options.cnonce === "")) {
    throw new TypeError(`${context}: cnonce must be a non-empty string`);
  }
  if (
    options.nc !== undefined &&
    (!Number.isSafeInteger(options.nc) || options.nc < 1 || options.nc > MAX_NONCE_COUNT)
  ) {
    throw new RangeError(`${context}: nc must be a whole number from 1 to 4294967295`);
  }
  return { username, password, method, uri };
}

/** What a Digest challenge asks of the client. */
interface ChallengeTerms {
  realm: string;
  nonce: string;
  algorithm: AlgorithmInfo;
  /** Whether the challenge named its algorithm: the credentials name it only then. */
  namesAlgorithm: boolean;
  /** The qop chosen among those offered; absent for the RFC 2069 form. */
  qop: DigestQop | undefined;
  userhash: boolean;
  opaque: string | undefined;
}

/**
 * challenge        = "Digest" digest-challenge                        (RFC 2617 §3.2.1)
 * digest-challenge = 1#( realm | [ domain ] | nonce | [ opaque ] | [ stale ]
 *                      | [ algorithm ] | [ qop-options ] | [ auth-param ] )
 *
 * RFC 7616 §3.3 adds `charset` and `userhash`. `realm` and `nonce` are
 * required; qop is `auth` when offered, otherwise `auth-int`.
 */
function readChallengeTerms(element: Challenge, context: string): ChallengeTerms {
  if (element.scheme.toLowerCase() !== "digest") throw challengeError("wrong-scheme", "expected the Digest scheme");
  const params = element.params;
  const realm = readParam(params, "realm", context);
  if (realm === undefined) throw challengeError("missing-parameter", "the challenge has no realm (RFC 7616 §3.3)");
  const nonce = readParam(params, "nonce", context);
  if (nonce === undefined) throw challengeError("missing-parameter", "the challenge has no nonce (RFC 7616 §3.3)");
  const algorithmName = readParam(params, "algorithm", context);
  const algorithm = algorithmName === undefined ? ALGORITHMS.md5 : lookupAlgorithm(algorithmName);
  if (algorithm === undefined) {
    throw challengeError("unsupported-algorithm", "the algorithm is not one of MD5, SHA-256, SHA-512-256 (or -sess)");
  }
  const qopOptions = readParam(params, "qop", context);
  let qop: DigestQop | undefined;
  if (qopOptions !== undefined) {
    const offered = offeredQop(qopOptions);
    qop = offered.includes("auth") ? "auth" : offered[0];
    if (qop === undefined) throw challengeError("unsupported-qop", "the challenge offers neither auth nor auth-int");
  } else if (algorithm.session) {
    throw challengeError("missing-parameter", "a -sess algorithm needs qop, and the challenge offers none");
  }
  const userhash = readParam(params, "userhash", context)?.toLowerCase() === "true";
  const opaque = readParam(params, "opaque", context);
  // What is echoed back must be sendable: obs-text C1 controls are legal on the wire, never written by httpauth.
  for (const [name, value] of [
    ["realm", realm],
    ["nonce", nonce],
    ["opaque", opaque],
  ] as const) {
    if (value !== undefined && hasUnsendableCharacter(value)) {
      throw challengeError("invalid-parameter", `the ${name} has a control character, which httpauth never sends`);
    }
  }
  return { realm, nonce, algorithm, namesAlgorithm: algorithmName !== undefined, qop, userhash, opaque };
}

/** The nonce count and client nonce of a request with qop. */
interface Counted {
  /** nc-value: 8 lower-case hex digits. */
  nc: string;
  cnonce: string;
}

/**
 * The nonce count — `options.nc`, or one more than the last used with this
 * challenge object — and the client nonce, given or 24 random bytes.
 */
function countRequest(element: object, options: ComputeDigestCredentialsOptions, context: string): Counted {
  let count = options.nc;
  if (count === undefined) {
    count = (nonceCounters.get(element) ?? 0) + 1;
    if (count > MAX_NONCE_COUNT) {
      throw new RangeError(`${context}: this challenge's nonce count is used up; request a fresh challenge`);
    }
  }
  nonceCounters.set(element, count);
  const nc = formatNonceCount(count);
  if (options.cnonce !== undefined) return { nc, cnonce: options.cnonce };
  const random = new Uint8Array(CNONCE_BYTES);
  crypto.getRandomValues(random);
  return { nc, cnonce: encodeBase64(random) };
}

/**
 * The credentials' parameters, in the order of RFC 7616's examples: username
 * (hashed for userhash, else `username*` when not printable ASCII), realm,
 * uri, algorithm, nonce, nc, cnonce, qop, response, opaque, userhash.
 */
async function credentialsParams(
  terms: ChallengeTerms,
  request: DigestRequest,
  counted: Counted | undefined,
  response: string,
): Promise<AuthParams> {
  const { username } = request;
  const result = createParams();
  if (terms.userhash) result.username = await hashText(terms.algorithm.hash, `${username}:${terms.realm}`);
  else if (isPrintableASCII(username)) result.username = username;
  else result["username*"] = encodeExtValue(username);
  result.realm = terms.realm;
  result.uri = request.uri;
  if (terms.namesAlgorithm) result.algorithm = terms.algorithm.name;
  result.nonce = terms.nonce;
  if (terms.qop !== undefined && counted !== undefined) {
    result.nc = counted.nc;
    result.cnonce = counted.cnonce;
    result.qop = terms.qop;
  }
  result.response = response;
  if (terms.opaque !== undefined) result.opaque = terms.opaque;
  if (terms.userhash) result.userhash = "true";
  return result;
}
