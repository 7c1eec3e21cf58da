/**
 * The Digest authentication scheme (RFC 7616), both sides: stateless HMAC
 * nonces and challenges for servers, the response check with nonce-count
 * replay protection, credentials for clients, and mutual authentication
 * through `Authentication-Info` (RFC 7616 §3.5).
 *
 * MD5, SHA-256 and SHA-512/256, each also as `-sess`; qop `auth` and
 * `auth-int`; hashed user names (`userhash`, §3.4.4) and RFC 8187
 * `username*` (§3.4.5). Every string is hashed as UTF-8 (§4).
 *
 * @module
 */

import type { AuthParams } from "../auth-params.ts";
import { parseAuthParams, serializeAuthParams } from "../auth-params.ts";
import type { Challenge } from "../challenge.ts";
import type { Credentials } from "../credentials.ts";
import { parseCredentials } from "../credentials.ts";
import type { HTTPAuthErrorCode } from "../errors.ts";
import { HTTPAuthError, isHTTPAuthError } from "../errors.ts";
import { DEL, HTAB, SP } from "../grammar/chars.ts";
import { isToken, quoteString } from "../grammar/quote.ts";
import type { ParseOptions } from "../grammar/scanner.ts";
import { createParams } from "../grammar/scanner.ts";
import { decodeBase64, encodeBase64 } from "../internal/base64.ts";
import type { DigestHashName } from "../internal/hash.ts";
import { hashHex, hashLength } from "../internal/hash.ts";
import { hmacSHA256 } from "../internal/sha256.ts";
import { timingSafeEqual } from "../internal/timing-safe-equal.ts";
import { decodeUTF8Strict, encodeUTF8, isWellFormedUTF16 } from "../internal/utf8.ts";

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

/**
 * A value of the HTTP Digest Algorithm Values registry (RFC 7616 §3.3, §6.1).
 * Received names compare case-insensitively; a missing `algorithm` means MD5.
 */
export type DigestAlgorithm = "MD5" | "MD5-sess" | "SHA-256" | "SHA-256-sess" | "SHA-512-256" | "SHA-512-256-sess";

/** A quality of protection (RFC 7616 §3.3): `auth`, or `auth-int` which also covers the body. */
export type DigestQop = "auth" | "auth-int";

/** Options of {@linkcode createDigestChallenge}. */
export interface CreateDigestChallengeOptions {
  /** The protection space shown to the user (RFC 7616 §3.3). Required and not blank. */
  realm: string;
  /**
   * The key of the nonce's HMAC, at least 16 bytes (as UTF-8 for a string).
   * Every server instance that shares it can check the others' nonces.
   */
  secret: string | Uint8Array;
  /** The algorithm to ask for. Defaults to `"SHA-256"`, the one RFC 7616 §3.7 makes mandatory. */
  algorithm?: DigestAlgorithm;
  /** The qop values offered, at least one. Defaults to `["auth"]`. */
  qop?: readonly DigestQop[];
  /** A value the client returns unchanged. */
  opaque?: string;
  /** URIs (absolute or absolute paths) that share this protection space, sent space-separated. */
  domain?: readonly string[];
  /** Send `stale=true`: the last nonce expired but its response was right, so retry without asking the user. */
  stale?: boolean;
  /** Send `userhash=true`: the client may hash its user name (RFC 7616 §3.4.4). */
  userhash?: boolean;
  /** Send `charset=UTF-8` (RFC 7616 §4). */
  charset?: "UTF-8";
  /** The current time in milliseconds since the epoch, for tests. Defaults to `Date.now()`. */
  now?: number;
}

/** Digest credentials checked for syntax by {@linkcode parseDigestCredentials}. */
export interface DigestCredentials {
  /**
   * The user name: from `username`, or decoded from `username*` (RFC 8187);
   * when `userhash` is true, the lower-case hex `H(username ":" realm)`.
   */
  username: string;
  /** The realm the client answers. */
  realm: string;
  /** The server nonce the client answers. */
  nonce: string;
  /** The request target the client signed (`uri`, RFC 7616 §3.4). */
  uri: string;
  /** The response digest, lower-cased hex of the algorithm's length. */
  response: string;
  /** The algorithm, in its registered spelling; `"MD5"` when the client sent none. */
  algorithm: DigestAlgorithm;
  /** The qop used; absent only in the RFC 2069 form. */
  qop?: DigestQop;
  /** The nonce count, 8 hex digits as sent; present exactly when `qop` is. */
  nc?: string;
  /** The client nonce; present exactly when `qop` is. */
  cnonce?: string;
  /** The `opaque` value echoed from the challenge. */
  opaque?: string;
  /** Whether `username` is a hash (RFC 7616 §3.4.4). */
  userhash: boolean;
}

/**
 * Remembers the highest nonce count seen per nonce, so that a captured
 * request cannot be replayed (RFC 7616 §3.4, §5.10). Back it with shared
 * storage when several server instances share a secret.
 */
export interface NonceCountStore {
  /**
   * Records `nc` for `nonce`.
   *
   * @param nonce The server nonce, already checked to be genuine.
   * @param nc The nonce count, from 1.
   * @returns `false` when `nc` is not greater than the last count accepted for
   *   this nonce (a replay), `true` otherwise.
   */
  check(nonce: string, nc: number): boolean | Promise<boolean>;
}

/** Options of {@linkcode createMemoryNonceCountStore}. */
export interface MemoryNonceCountStoreOptions {
  /**
   * The most nonces remembered; the least recently used is forgotten first.
   * Defaults to 10 000. Size it above the number of nonces issued within one
   * nonce lifetime: a forgotten nonce accepts any count again.
   */
  maxEntries?: number;
}

/** What to add to a successful {@linkcode verifyDigestCredentials} as an `Authentication-Info` value. */
export interface DigestAuthenticationInfoRequest {
  /** Add a fresh `nextnonce` (same realm, secret and algorithm). Defaults to `false`. */
  nextnonce?: boolean;
  /**
   * The body of the response being sent, which `rspauth` covers when the
   * client used qop=auth-int (RFC 7616 §3.5). Absent means an empty body.
   */
  responseBody?: Uint8Array | string;
}

/**
 * Options of {@linkcode verifyDigestCredentials}. `maxLength` caps the size
 * of a credentials string (8192 by default), as for `parseCredentials`.
 */
export interface VerifyDigestCredentialsOptions extends ParseOptions {
  /** The request method (`GET`, …), a token. */
  method: string;
  /** The request target as received, such as `/dir/index.html?x=1`. */
  uri: string;
  /** The realm of the challenge. */
  realm: string;
  /** The secret given to {@linkcode createDigestChallenge}. */
  secret: string | Uint8Array;
  /** The algorithms offered in challenges; others are refused. Defaults to `["SHA-256"]`. */
  algorithms?: readonly DigestAlgorithm[];
  /** The qop values offered in challenges; others are refused. Defaults to `["auth"]`. */
  qop?: readonly DigestQop[];
  /** The user's password, or `undefined` for an unknown user. Give this or `ha1`. */
  password?: (username: string, realm: string) => string | undefined | Promise<string | undefined>;
  /**
   * The stored hex `H(username ":" realm ":" password)` computed with the
   * base hash of `algorithm` (SHA-256 for `SHA-256-sess`), or `undefined`
   * for an unknown user. Give this or `password`.
   */
  ha1?: (
    username: string,
    realm: string,
    algorithm: DigestAlgorithm,
  ) => string | undefined | Promise<string | undefined>;
  /** Finds the user whose hex `H(username ":" realm)` is `userhash` (RFC 7616 §3.4.4). */
  findUsernameByHash?: (
    userhash: string,
    realm: string,
    algorithm: DigestAlgorithm,
  ) => string | undefined | Promise<string | undefined>;
  /** How long a nonce stays fresh, in seconds. Defaults to 300. */
  nonceLifetime?: number;
  /** The current time in milliseconds since the epoch, for tests. Defaults to `Date.now()`. */
  now?: number;
  /**
   * Where nonce counts are remembered: create one store per server with
   * {@linkcode createMemoryNonceCountStore} (or your own shared store) and
   * pass it on every call. `false` turns replay detection off, so a captured
   * request can be replayed while its nonce is fresh.
   */
  nonceCounts: NonceCountStore | false;
  /**
   * Whether the credentials' `uri` designates the request target. Defaults to
   * exact equality, also accepting an absolute URI whose path and query equal
   * the target (its scheme and authority are not checked).
   */
  uriMatches?: (credentialsUri: string, requestUri: string) => boolean;
  /** The request body, hashed for qop=auth-int. Absent means an empty body. */
  body?: Uint8Array | string;
  /** Build an `Authentication-Info` value on success (RFC 7616 §3.5). Defaults to `false`. */
  authenticationInfo?: boolean | DigestAuthenticationInfoRequest;
  /**
   * Accept the RFC 2069 form without qop, cnonce and nc, which RFC 7616
   * drops. Such a response carries no nonce count, so it can be replayed
   * while its nonce is fresh. Defaults to `false`.
   */
  allowRFC2069?: boolean;
}

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
 * | `invalid-nonce` | the nonce was not made with this secret, realm and algorithm |
 * | `unknown-user` | no password (or hash) for the user |
 * | `wrong-password` | the response digest is wrong |
 * | `stale-nonce` | the digest is right but the nonce expired: challenge again with `stale: true` |
 * | `replayed-nonce-count` | the digest is right but its nonce count was already used |
 */
export type DigestFailureReason =
  | "malformed"
  | "wrong-realm"
  | "algorithm-not-offered"
  | "qop-not-offered"
  | "uri-mismatch"
  | "invalid-nonce"
  | "unknown-user"
  | "wrong-password"
  | "stale-nonce"
  | "replayed-nonce-count";

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

/** Options of {@linkcode verifyDigestAuthenticationInfo}. */
export interface VerifyDigestAuthenticationInfoOptions {
  /** The password the credentials were computed with. */
  password: string;
  /** The plain user name; required when the credentials used `userhash`. */
  username?: string;
  /** The response body, which `rspauth` covers for qop=auth-int. Absent means an empty body. */
  body?: Uint8Array | string;
}

// ---------------------------------------------------------------------------
// Algorithms and hashing (RFC 7616 §3.4)
// ---------------------------------------------------------------------------

/** An algorithm with its hash and whether A1 is the session form. */
interface AlgorithmInfo {
  name: DigestAlgorithm;
  hash: DigestHashName;
  session: boolean;
}

const ALGORITHM_NAMES: readonly DigestAlgorithm[] = [
  "MD5",
  "MD5-sess",
  "SHA-256",
  "SHA-256-sess",
  "SHA-512-256",
  "SHA-512-256-sess",
];

const QOP_VALUES: readonly DigestQop[] = ["auth", "auth-int"];

/** Builds the case-insensitive lookup of algorithm names. */
function buildAlgorithms(): Record<string, AlgorithmInfo> {
  const table = Object.create(null) as Record<string, AlgorithmInfo>;
  for (const name of ALGORITHM_NAMES) {
    const session = name.endsWith("-sess");
    const hash = (session ? name.slice(0, -5) : name) as DigestHashName;
    table[name.toLowerCase()] = { name, hash, session };
  }
  return table;
}

const ALGORITHMS: Readonly<Record<string, AlgorithmInfo>> = buildAlgorithms();

/** The algorithm named `name`, compared case-insensitively. */
function lookupAlgorithm(name: string): AlgorithmInfo | undefined {
  return ALGORITHMS[name.toLowerCase()];
}

/** H(data) over the UTF-8 of `text`, in lower-case hex. */
function hashText(hash: DigestHashName, text: string): Promise<string> {
  return hashHex(hash, encodeUTF8(text));
}

/** H(entity-body): a string body is hashed as UTF-8; absent is empty. */
function hashBody(hash: DigestHashName, body: Uint8Array | string | undefined): Promise<string> {
  if (body === undefined) return hashHex(hash, new Uint8Array(0));
  return hashHex(hash, typeof body === "string" ? encodeUTF8(body) : body);
}

/** Everything the response digest is computed from. */
interface DigestInput {
  algorithm: AlgorithmInfo;
  /** H(username ":" realm ":" password) with the base hash, lower-case hex. */
  ha1: string;
  nonce: string;
  qop: DigestQop | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
  /** The method, or `""` for `rspauth`, whose A2 starts with ":" (RFC 7616 §3.5). */
  method: string;
  uri: string;
  /** The body for qop=auth-int. */
  body: Uint8Array | string | undefined;
}

/**
 * response = KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2))   (RFC 7616 §3.4.1)
 * response = KD(H(A1), unq(nonce) ":" H(A2))                                         (RFC 2069, no qop)
 * A1       = unq(username) ":" unq(realm) ":" passwd                                  (§3.4.2)
 *          | H(unq(username) ":" unq(realm) ":" passwd) ":" unq(nonce) ":" unq(cnonce)   for -sess
 * A2       = Method ":" request-uri [ ":" H(entity-body) ]                            (§3.4.3, auth-int)
 * KD(secret, data) = H(secret ":" data)
 */
async function computeDigest(input: DigestInput): Promise<string> {
  const hash = input.algorithm.hash;
  const ha1 = input.algorithm.session
    ? await hashText(hash, `${input.ha1}:${input.nonce}:${input.cnonce ?? ""}`)
    : input.ha1;
  let a2 = `${input.method}:${input.uri}`;
  if (input.qop === "auth-int") a2 += `:${await hashBody(hash, input.body)}`;
  const ha2 = await hashText(hash, a2);
  if (input.qop === undefined) return hashText(hash, `${ha1}:${input.nonce}:${ha2}`);
  return hashText(hash, `${ha1}:${input.nonce}:${input.nc ?? ""}:${input.cnonce ?? ""}:${input.qop}:${ha2}`);
}

/** Compares two lower-case hex digests of the same length without an early exit. */
function hexEqual(received: string, expected: string): boolean {
  return timingSafeEqual(encodeUTF8(received), encodeUTF8(expected));
}

// ---------------------------------------------------------------------------
// Small character checks
// ---------------------------------------------------------------------------

const PERCENT = 0x25;
const HYPHEN = 0x2d;

/** The value of a hex digit (either case), or -1. */
function hexDigitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/** Whether `text` is exactly `length` hex digits, either case. */
function isHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let index = 0; index < length; index++) {
    if (hexDigitValue(text.charCodeAt(index)) < 0) return false;
  }
  return true;
}

function isAlpha(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

const ATTR_SYMBOLS = "!#$&+-.^_`|~";

/** attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"   (RFC 8187 §3.2.1) */
function isAttrChar(code: number): boolean {
  return isAlpha(code) || isDigit(code) || (code < 0x80 && ATTR_SYMBOLS.includes(String.fromCharCode(code)));
}

/** Whether `text` has a character no field carries: a control other than HTAB, DEL, or above U+00FF. */
function hasUnsendableCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < SP && code !== HTAB) || code === DEL || code > 0xff) return true;
  }
  return false;
}

/** Whether `text` has a C0 control character or DEL. */
function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < SP || code === DEL) return true;
  }
  return false;
}

/** Whether `text` is printable ASCII (SP to "~"), which a quoted-string carries unambiguously. */
function isPrintableASCII(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < SP || code >= DEL) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// username* (RFC 8187)
// ---------------------------------------------------------------------------

/**
 * Language-Tag (RFC 5646 §2.1), checked for its shape only: subtags of 1–8
 * letters or digits joined by "-", the first 2–8 letters (or the single
 * letter "x" or "i" of a private-use or irregular tag, followed by more).
 */
function isLanguageTag(tag: string): boolean {
  let subtagLength = 0;
  let subtagCount = 0;
  let firstSubtag = "";
  for (let index = 0; index <= tag.length; index++) {
    const code = index < tag.length ? tag.charCodeAt(index) : HYPHEN;
    if (code === HYPHEN) {
      if (subtagLength === 0) return false;
      if (subtagCount === 0) firstSubtag = tag.slice(0, index).toLowerCase();
      subtagCount++;
      subtagLength = 0;
      continue;
    }
    const isLetter = isAlpha(code);
    if (!isLetter && !(isDigit(code) && subtagCount > 0)) return false;
    subtagLength++;
    if (subtagLength > 8) return false;
  }
  if (firstSubtag.length === 1) return (firstSubtag === "x" || firstSubtag === "i") && subtagCount > 1;
  return true;
}

/**
 * ext-value   = charset "'" [ language ] "'" value-chars    (RFC 8187 §3.2.1)
 * value-chars = *( pct-encoded / attr-char )
 * pct-encoded = "%" HEXDIG HEXDIG
 *
 * Only the UTF-8 charset is accepted (case-insensitively): RFC 8187 requires
 * producers to use it. The decoded octets must be strict UTF-8.
 */
function decodeExtValue(value: string, name: string): string {
  const first = value.indexOf("'");
  const second = first < 0 ? -1 : value.indexOf("'", first + 1);
  if (second < 0) {
    throw invalid(`${name} must be an RFC 8187 ext-value: charset "'" [ language ] "'" value-chars`);
  }
  if (value.slice(0, first).toLowerCase() !== "utf-8") {
    throw invalid(`${name} must use the UTF-8 charset (RFC 8187 §3.2.1)`);
  }
  const language = value.slice(first + 1, second);
  if (language !== "" && !isLanguageTag(language)) {
    throw invalid(`${name} has a language that is not a language tag (RFC 5646 §2.1)`);
  }
  const bytes = new Uint8Array(value.length - second - 1);
  let length = 0;
  for (let index = second + 1; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === PERCENT) {
      const high = hexDigitValue(index + 1 < value.length ? value.charCodeAt(index + 1) : -1);
      const low = hexDigitValue(index + 2 < value.length ? value.charCodeAt(index + 2) : -1);
      if (high < 0 || low < 0) throw invalid(`${name} has a "%" not followed by two hex digits at index ${index}`);
      bytes[length++] = high * 16 + low;
      index += 2;
    } else if (isAttrChar(code)) {
      bytes[length++] = code;
    } else {
      throw invalid(`${name} has a character at index ${index} that must be percent-encoded`);
    }
  }
  const text = decodeUTF8Strict(bytes.subarray(0, length));
  if (text === undefined) throw invalid(`${name} does not decode as UTF-8`);
  return text;
}

const UPPER_HEX = "0123456789ABCDEF";

/** Encodes `text` as the ext-value `UTF-8''…`, percent-encoding every octet that is not an attr-char. */
function encodeExtValue(text: string): string {
  const bytes = encodeUTF8(text);
  let result = "UTF-8''";
  for (const byte of bytes) {
    result += isAttrChar(byte) ? String.fromCharCode(byte) : `%${UPPER_HEX[byte >>> 4]}${UPPER_HEX[byte & 0x0f]}`;
  }
  return result;
}

// ---------------------------------------------------------------------------
// Stateless nonces
// ---------------------------------------------------------------------------

/*
 * nonce = base64( time ‖ random ‖ mac )                          48 characters, no padding
 * time  = 8 octets, seconds since the epoch, big-endian
 * random = 12 octets from crypto.getRandomValues, so that no two challenges share a nonce
 *          (a shared nonce would share nonce counts)
 * mac   = the first 16 octets of HMAC-SHA-256(secret, time ‖ random ‖ label 0x00 algorithm 0x00 realm)
 */
const NONCE_TIME_BYTES = 8;
const NONCE_RANDOM_BYTES = 12;
const NONCE_MAC_BYTES = 16;
const NONCE_BYTES = NONCE_TIME_BYTES + NONCE_RANDOM_BYTES + NONCE_MAC_BYTES;
const NONCE_LENGTH = (NONCE_BYTES / 3) * 4;
const NONCE_LABEL = "httpauth digest nonce v1";
/** How far in the future a nonce's time may be (server clocks that differ). */
const CLOCK_SKEW_SECONDS = 60;
const MINIMUM_SECRET_BYTES = 16;
const DEFAULT_NONCE_LIFETIME = 300;

/** The first 16 bytes of the nonce's HMAC. */
async function nonceMac(
  secret: Uint8Array<ArrayBuffer>,
  head: Uint8Array,
  algorithm: DigestAlgorithm,
  realm: string,
): Promise<Uint8Array> {
  const context = encodeUTF8(`${NONCE_LABEL}\u0000${algorithm}\u0000${realm}`);
  const message = new Uint8Array(head.length + context.length);
  message.set(head);
  message.set(context, head.length);
  return hmacSHA256(secret, message).subarray(0, NONCE_MAC_BYTES);
}

/** Makes a nonce dated `now` (milliseconds) for one realm and algorithm. */
async function createNonce(
  secret: Uint8Array<ArrayBuffer>,
  realm: string,
  algorithm: DigestAlgorithm,
  now: number,
): Promise<string> {
  const bytes = new Uint8Array(NONCE_BYTES);
  const seconds = Math.floor(now / 1000);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, Math.floor(seconds / 0x1_0000_0000));
  view.setUint32(4, seconds >>> 0);
  crypto.getRandomValues(bytes.subarray(NONCE_TIME_BYTES, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES));
  const head = bytes.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  bytes.set(await nonceMac(secret, head, algorithm, realm), head.length);
  return encodeBase64(bytes);
}

/**
 * Checks a nonce's HMAC and reads its time.
 *
 * @returns the time in seconds, or `undefined` when the nonce was not made
 *   with this secret, realm and algorithm
 */
async function readNonce(
  nonce: string,
  secret: Uint8Array<ArrayBuffer>,
  realm: string,
  algorithm: DigestAlgorithm,
): Promise<number | undefined> {
  if (nonce.length !== NONCE_LENGTH) return undefined;
  const bytes = decodeBase64(nonce);
  if (!(bytes instanceof Uint8Array) || bytes.length !== NONCE_BYTES) return undefined;
  const head = bytes.subarray(0, NONCE_TIME_BYTES + NONCE_RANDOM_BYTES);
  const expected = await nonceMac(secret, head, algorithm, realm);
  if (!timingSafeEqual(bytes.subarray(head.length), expected)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.getUint32(0) * 0x1_0000_0000 + view.getUint32(4);
}

// ---------------------------------------------------------------------------
// Argument checks (TypeError / RangeError)
// ---------------------------------------------------------------------------

/** The secret as bytes of its own buffer, at least 16 long. */
function secretBytes(secret: unknown, context: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer>;
  if (typeof secret === "string") {
    if (!isWellFormedUTF16(secret)) throw new TypeError(`${context}: secret has a lone surrogate`);
    bytes = new Uint8Array(encodeUTF8(secret));
  } else if (secret instanceof Uint8Array) {
    bytes = new Uint8Array(secret);
  } else {
    throw new TypeError(`${context}: secret must be a string or a Uint8Array`);
  }
  if (bytes.length < MINIMUM_SECRET_BYTES) {
    throw new RangeError(`${context}: secret must be at least ${MINIMUM_SECRET_BYTES} bytes; use a random key`);
  }
  return bytes;
}

function checkRealm(realm: unknown, context: string): string {
  if (typeof realm !== "string") throw new TypeError(`${context}: realm is required and must be a string`);
  if (realm.trim() === "") throw new TypeError(`${context}: realm must not be blank (RFC 7616 §3.3 requires it)`);
  return realm;
}

/**
 * Checks the texts a Digest challenge carries — realm, opaque, domain — so
 * that a configuration that could never be sent fails at start-up
 * (`digestAuth()`), not on the first request. Returns the realm.
 */
export function checkDigestChallengeText(
  options: { realm?: unknown; opaque?: unknown; domain?: unknown },
  context: string,
): string {
  const realm = checkRealm(options.realm, context);
  if (hasUnsendableCharacter(realm)) {
    throw new TypeError(`${context}: realm must not contain control characters or characters above U+00FF`);
  }
  const { opaque, domain } = options;
  if (opaque !== undefined && (typeof opaque !== "string" || hasUnsendableCharacter(opaque))) {
    throw new TypeError(`${context}: opaque must be a string without control characters or characters above U+00FF`);
  }
  if (domain !== undefined) {
    if (!Array.isArray(domain)) throw new TypeError(`${context}: domain must be an array of URIs`);
    for (const uri of domain) {
      if (typeof uri !== "string" || uri === "" || uri.includes(" ") || hasUnsendableCharacter(uri)) {
        throw new TypeError(
          `${context}: each domain entry must be a non-empty URI without spaces or control characters`,
        );
      }
    }
  }
  return realm;
}

function checkNow(now: unknown, context: string): number {
  if (now === undefined) return Date.now();
  if (typeof now !== "number" || !Number.isFinite(now) || now < 0) {
    throw new RangeError(`${context}: now must be a finite number of milliseconds since the epoch`);
  }
  return now;
}

function checkAlgorithm(algorithm: unknown, context: string, label: string): DigestAlgorithm {
  if (typeof algorithm !== "string" || !(ALGORITHM_NAMES as readonly string[]).includes(algorithm)) {
    throw new RangeError(`${context}: ${label} must be one of ${ALGORITHM_NAMES.join(", ")}`);
  }
  return algorithm as DigestAlgorithm;
}

function checkList<T extends string>(
  list: unknown,
  allowed: readonly T[],
  fallback: readonly T[],
  context: string,
  label: string,
): readonly T[] {
  if (list === undefined) return fallback;
  if (!Array.isArray(list)) throw new TypeError(`${context}: ${label} must be an array`);
  if (list.length === 0) throw new RangeError(`${context}: ${label} must name at least one value`);
  const seen = new Set<string>();
  for (const item of list) {
    if (typeof item !== "string" || !(allowed as readonly string[]).includes(item)) {
      throw new RangeError(`${context}: ${label} may hold only ${allowed.join(", ")}`);
    }
    if (seen.has(item)) throw new RangeError(`${context}: ${label} names ${item} twice`);
    seen.add(item);
  }
  return list as readonly T[];
}

function checkMethod(method: unknown, context: string): string {
  if (typeof method !== "string" || !isToken(method)) {
    throw new TypeError(`${context}: method must be a token such as "GET"`);
  }
  return method;
}

function checkUri(uri: unknown, context: string): string {
  if (typeof uri !== "string" || uri === "") throw new TypeError(`${context}: uri must be a non-empty string`);
  if (hasUnsendableCharacter(uri)) {
    throw new TypeError(`${context}: uri has a control character or a character above U+00FF; percent-encode it`);
  }
  return uri;
}

function checkBody(body: unknown, context: string, label: string): void {
  if (body !== undefined && typeof body !== "string" && !(body instanceof Uint8Array)) {
    throw new TypeError(`${context}: ${label} must be a string or a Uint8Array`);
  }
}

// ---------------------------------------------------------------------------
// Challenge (server)
// ---------------------------------------------------------------------------

/**
 * Creates a Digest challenge (RFC 7616 §3.3) with a stateless nonce: the
 * time, 12 random bytes and an HMAC-SHA-256 over them, the realm and the
 * algorithm, keyed by `secret`, in base64 (no `"` or `\`). Any server that
 * shares the secret can check the nonce without a store.
 *
 * Parameters come in this order: realm, qop (`"auth, auth-int"`), algorithm,
 * nonce, opaque, domain, stale, charset, userhash. To offer several
 * algorithms, send one challenge per algorithm, strongest first (§3.7).
 *
 * @param options `realm` and `secret` (required), `algorithm` (default
 *   SHA-256), `qop` (default `["auth"]`), `opaque`, `domain`, `stale`,
 *   `charset`, `userhash`, `now`.
 * @returns The challenge, `{ scheme: "digest", params }`; serialize it with `serializeChallenge`.
 * @throws {TypeError} If `realm` is missing or blank, `secret` is not a string
 *   or Uint8Array, or `opaque` or a `domain` entry is not a string that a header can carry.
 * @throws {RangeError} If `secret` is shorter than 16 bytes, `algorithm` or a
 *   `qop` value is unknown, `qop` is empty or repeats, or `now` is not a time.
 *
 * @example Challenge with SHA-256
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDigestChallenge } from "@httpauth/core";
 *
 * const challenge = await createDigestChallenge({ realm: "api", secret: "at least sixteen bytes", qop: ["auth", "auth-int"] });
 * assert.equal(challenge.scheme, "digest");
 * assert.deepEqual(Object.keys(challenge.params), ["realm", "qop", "algorithm", "nonce"]);
 * assert.equal(challenge.params.qop, "auth, auth-int");
 * assert.equal(challenge.params.algorithm, "SHA-256");
 * assert.equal(challenge.params.nonce?.length, 48);
 * ```
 */
export async function createDigestChallenge(options: CreateDigestChallengeOptions): Promise<Challenge> {
  const context = "Cannot create a Digest challenge";
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  const realm = checkDigestChallengeText(options, context);
  const secret = secretBytes(options.secret, context);
  const algorithm =
    options.algorithm === undefined ? "SHA-256" : checkAlgorithm(options.algorithm, context, "algorithm");
  const qop = checkList(options.qop, QOP_VALUES, ["auth"], context, "qop");
  const now = checkNow(options.now, context);
  const params = createParams();
  params.realm = realm;
  params.qop = qop.join(", ");
  params.algorithm = algorithm;
  params.nonce = await createNonce(secret, realm, algorithm, now);
  if (options.opaque !== undefined) params.opaque = options.opaque;
  if (options.domain !== undefined && options.domain.length > 0) params.domain = options.domain.join(" ");
  if (options.stale === true) params.stale = "true";
  if (options.charset !== undefined) {
    if (options.charset !== "UTF-8") throw new RangeError(`${context}: charset can only be "UTF-8" (RFC 7616 §4)`);
    params.charset = "UTF-8";
  }
  if (options.userhash === true) params.userhash = "true";
  return { scheme: "digest", params };
}

// ---------------------------------------------------------------------------
// Credentials (server side parsing)
// ---------------------------------------------------------------------------

function invalid(message: string, code: HTTPAuthErrorCode = "invalid-parameter"): HTTPAuthError {
  return new HTTPAuthError(code, `Cannot parse Digest credentials: ${message}`);
}

/** Checks the shape of a challenge or credentials object given by the caller. */
function checkElement(value: unknown, context: string): Credentials {
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as Credentials).scheme !== "string" ||
    typeof (value as Credentials).params !== "object" ||
    (value as Credentials).params === null
  ) {
    throw new TypeError(`${context}: expected a string or an object with a scheme and params`);
  }
  return value as Credentials;
}

/** Reads one parameter by its lower-case name; own properties only. */
function readParam(params: AuthParams, name: string, context: string): string | undefined {
  if (!Object.hasOwn(params, name)) return undefined;
  const value: unknown = params[name];
  if (typeof value !== "string") throw new TypeError(`${context}: the parameter ${name} must be a string`);
  return value;
}

/**
 * Reads a parameter received in a field, refusing characters a field cannot
 * carry. `scanned` says the parameters come from the RFC 9110 grammar, whose
 * tokens and quoted-strings cannot hold such characters: then they are not
 * looked for a second time.
 */
function readReceived(params: AuthParams, name: string, scanned = false): string | undefined {
  const value = readParam(params, name, "Cannot parse Digest credentials");
  if (value !== undefined && !scanned && hasUnsendableCharacter(value)) {
    throw invalid(`the ${name} parameter has a control character or a character above U+00FF`);
  }
  return value;
}

function requireReceived(params: AuthParams, name: string, scanned: boolean): string {
  const value = readReceived(params, name, scanned);
  if (value === undefined) throw invalid(`add the required ${name} parameter (RFC 7616 §3.4)`, "missing-parameter");
  return value;
}

/**
 * A quoted `username` with octets above 0x7F: clients that follow
 * `charset=UTF-8` (RFC 7616 §4) send UTF-8, which arrives as one character
 * per octet. Anything else is refused: send `username*` instead.
 */
function decodeQuotedUsername(username: string): string {
  if (isPrintableASCII(username)) return username;
  const bytes = new Uint8Array(username.length);
  for (let index = 0; index < username.length; index++) bytes[index] = username.charCodeAt(index);
  const text = decodeUTF8Strict(bytes);
  if (text === undefined || hasControlCharacter(text)) {
    throw invalid("the username parameter is not UTF-8 text; send non-ASCII names as username* (RFC 8187)");
  }
  return text;
}

/**
 * Parses and checks Digest credentials (RFC 7616 §3.4): the `Authorization`
 * or `Proxy-Authorization` field value, or credentials already parsed with
 * `parseCredentials`. Checks syntax only; {@linkcode verifyDigestCredentials}
 * checks the digest.
 *
 *   credentials = "Digest" digest-response
 *   digest-response = username / username* , realm, nonce, uri, response,
 *                     [ algorithm ], [ qop, cnonce, nc ], [ opaque ], [ userhash ]
 *
 * - `username` and `username*` (an RFC 8187 ext-value, UTF-8 charset only,
 *   strict percent-decoding and UTF-8) are mutually exclusive; one is required.
 *   A quoted `username` with octets above 0x7F must be UTF-8 (RFC 7616 §4).
 * - `algorithm` is compared case-insensitively and defaults to MD5.
 * - `qop` is `auth` or `auth-int`, and then `cnonce` and an `nc` of 8 hex
 *   digits (from 00000001) are required. Without `qop` (the RFC 2069 form),
 *   `cnonce` and `nc` must be absent and the algorithm must not be `-sess`.
 * - `response` is hex of the algorithm's length; it comes back lower-cased.
 * - `userhash=true` needs a hex `username` of the algorithm's length, not `username*`.
 *
 * @param value The field value, or parsed credentials.
 * @param options `maxLength`, when `value` is a string (8192 by default).
 * @returns The checked parameters.
 * @throws {HTTPAuthError} `wrong-scheme`; `expected-parameter` for a token68;
 *   `missing-parameter`; `invalid-parameter`; `unsupported-algorithm`; and
 *   every code of `parseCredentials` for a string. Messages never contain a value.
 * @throws {TypeError} If `value` is neither a string nor credentials.
 *
 * @example Parse the RFC 7616 §3.9.1 credentials
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseDigestCredentials } from "@httpauth/core";
 *
 * const credentials = parseDigestCredentials(
 *   'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=MD5, ' +
 *     'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, ' +
 *     'cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, ' +
 *     'response="8ca523f5e9506fed4657c9700eebdbec", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
 * );
 * assert.equal(credentials.username, "Mufasa");
 * assert.equal(credentials.algorithm, "MD5");
 * assert.equal(credentials.qop, "auth");
 * assert.equal(credentials.userhash, false);
 * ```
 *
 * @example A username* (RFC 8187) and a missing parameter
 * ```ts
 * import assert from "node:assert/strict";
 * import { isHTTPAuthError, parseDigestCredentials } from "@httpauth/core";
 *
 * const base = 'realm="r", uri="/", nonce="n", nc=00000001, cnonce="c", qop=auth, response="' + "0".repeat(32) + '"';
 * assert.equal(parseDigestCredentials(`Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ${base}`).username, "Jäsøn Doe");
 * assert.throws(
 *   () => parseDigestCredentials(`Digest ${base}`),
 *   (error) => isHTTPAuthError(error) && error.code === "missing-parameter",
 * );
 * ```
 */
export function parseDigestCredentials(value: string | Credentials, options?: ParseOptions): DigestCredentials {
  const element =
    typeof value === "string"
      ? parseCredentials(value, options)
      : checkElement(value, "Cannot parse Digest credentials");
  if (element.scheme.toLowerCase() !== "digest") {
    throw invalid("expected the Digest scheme", "wrong-scheme");
  }
  if (element.token68 !== undefined) {
    throw invalid("expected auth-params after Digest, not a token68", "expected-parameter");
  }
  const params = element.params;
  const scanned = typeof value === "string";

  const plainUsername = readReceived(params, "username", scanned);
  const extUsername = readReceived(params, "username*", scanned);
  if (plainUsername !== undefined && extUsername !== undefined) {
    throw invalid("send either username or username*, not both (RFC 7616 §3.4)");
  }
  if (plainUsername === undefined && extUsername === undefined) {
    throw invalid("add the required username or username* parameter (RFC 7616 §3.4)", "missing-parameter");
  }
  const realm = requireReceived(params, "realm", scanned);
  const nonce = requireReceived(params, "nonce", scanned);
  const uri = requireReceived(params, "uri", scanned);
  const received = requireReceived(params, "response", scanned);
  if (uri === "") throw invalid("the uri parameter must not be empty");

  const algorithmName = readReceived(params, "algorithm", scanned);
  const algorithm = algorithmName === undefined ? ALGORITHMS.md5 : lookupAlgorithm(algorithmName);
  if (algorithm === undefined) {
    throw invalid("the algorithm is not one of MD5, SHA-256, SHA-512-256 (or -sess)", "unsupported-algorithm");
  }
  const digestLength = hashLength(algorithm.hash);

  const qopName = readReceived(params, "qop", scanned);
  const cnonce = readReceived(params, "cnonce", scanned);
  const nc = readReceived(params, "nc", scanned);
  let qop: DigestQop | undefined;
  if (qopName !== undefined) {
    if (qopName !== "auth" && qopName !== "auth-int") throw invalid("the qop parameter must be auth or auth-int");
    qop = qopName;
    if (cnonce === undefined) throw invalid("add the cnonce parameter, required with qop", "missing-parameter");
    if (nc === undefined) throw invalid("add the nc parameter, required with qop", "missing-parameter");
    if (cnonce === "") throw invalid("the cnonce parameter must not be empty");
    if (!isHex(nc, 8)) throw invalid("the nc parameter must be exactly 8 hex digits");
    if (Number.parseInt(nc, 16) === 0) throw invalid("the nc parameter counts from 00000001");
  } else {
    if (cnonce !== undefined || nc !== undefined) {
      throw invalid("cnonce and nc go with qop; add qop or remove them (RFC 7616 §3.4)");
    }
    if (algorithm.session) throw invalid("a -sess algorithm needs qop, cnonce and nc", "missing-parameter");
  }

  if (!isHex(received, digestLength)) {
    throw invalid(`the response parameter must be ${digestLength} hex digits for ${algorithm.name}`);
  }

  const userhashValue = readReceived(params, "userhash", scanned);
  let userhash = false;
  if (userhashValue !== undefined) {
    const lower = userhashValue.toLowerCase();
    if (lower !== "true" && lower !== "false") throw invalid("the userhash parameter must be true or false");
    userhash = lower === "true";
  }

  let username: string;
  if (extUsername !== undefined) {
    if (userhash) throw invalid("a hashed user name goes in username, not username* (RFC 7616 §3.4.4)");
    username = decodeExtValue(extUsername, "username*");
    if (hasControlCharacter(username)) throw invalid("the decoded username* has a control character");
  } else if (userhash) {
    if (!isHex(plainUsername ?? "", digestLength)) {
      throw invalid(`with userhash=true, username must be ${digestLength} hex digits for ${algorithm.name}`);
    }
    username = (plainUsername ?? "").toLowerCase();
  } else {
    username = decodeQuotedUsername(plainUsername ?? "");
  }

  const result: DigestCredentials = {
    username,
    realm,
    nonce,
    uri,
    response: received.toLowerCase(),
    algorithm: algorithm.name,
    userhash,
  };
  if (qop !== undefined && nc !== undefined && cnonce !== undefined) {
    result.qop = qop;
    result.nc = nc;
    result.cnonce = cnonce;
  }
  const opaque = readReceived(params, "opaque", scanned);
  if (opaque !== undefined) result.opaque = opaque;
  return result;
}

// ---------------------------------------------------------------------------
// Verification (server)
// ---------------------------------------------------------------------------

/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )   (RFC 3986 §3.1) */
function isSchemeChar(code: number, first: boolean): boolean {
  if (isAlpha(code)) return true;
  return !first && (isDigit(code) || code === 0x2b || code === HYPHEN || code === 0x2e);
}

/**
 * The path and query of an absolute URI with an authority, or `undefined`.
 *
 *   absolute-URI = scheme ":" "//" authority path-abempty [ "?" query ]   (RFC 3986 §4.3)
 *
 * An empty path is read as "/" (RFC 9110 §4.2.3); a fragment is refused.
 */
function pathAndQuery(uri: string): string | undefined {
  let index = 0;
  while (index < uri.length && isSchemeChar(uri.charCodeAt(index), index === 0)) index++;
  if (index === 0 || !uri.startsWith("://", index)) return undefined;
  index += 3;
  while (index < uri.length) {
    const code = uri.charCodeAt(index);
    if (code === 0x2f || code === 0x3f || code === 0x23) break;
    index++;
  }
  const rest = uri.slice(index);
  if (rest.includes("#")) return undefined;
  if (rest === "" || rest.charCodeAt(0) === 0x3f) return `/${rest}`;
  return rest;
}

/** The default `uriMatches`: equality, or an absolute URI whose path and query equal the target. */
function defaultUriMatches(credentialsUri: string, requestUri: string): boolean {
  if (credentialsUri === requestUri) return true;
  return pathAndQuery(credentialsUri) === requestUri;
}

/** A password no user has, hashed for unknown users so that they cost as much as known ones. */
const DUMMY_PASSWORD = "httpauth: no such user";

function checkCallback(value: unknown, context: string, label: string): void {
  if (value !== undefined && typeof value !== "function")
    throw new TypeError(`${context}: ${label} must be a function`);
}

/** The checked options of {@linkcode verifyDigestCredentials}. */
interface VerifySettings {
  method: string;
  uri: string;
  realm: string;
  secret: Uint8Array<ArrayBuffer>;
  algorithms: readonly DigestAlgorithm[];
  qop: readonly DigestQop[];
  nonceLifetime: number;
  now: number;
  uriMatches: (credentialsUri: string, requestUri: string) => boolean;
  info: DigestAuthenticationInfoRequest | undefined;
}

function checkVerifyOptions(options: VerifyDigestCredentialsOptions): VerifySettings {
  const context = "Cannot verify Digest credentials";
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  const hasPassword = options.password !== undefined;
  const hasHA1 = options.ha1 !== undefined;
  if (hasPassword === hasHA1) throw new TypeError(`${context}: give exactly one of password and ha1`);
  checkCallback(options.password, context, "password");
  checkCallback(options.ha1, context, "ha1");
  checkCallback(options.findUsernameByHash, context, "findUsernameByHash");
  checkCallback(options.uriMatches, context, "uriMatches");
  if (options.nonceCounts === undefined) {
    throw new TypeError(
      `${context}: pass nonceCounts, a store created once per server with createMemoryNonceCountStore(), or false to accept replays`,
    );
  }
  if (
    options.nonceCounts !== false &&
    (typeof options.nonceCounts !== "object" ||
      options.nonceCounts === null ||
      typeof options.nonceCounts.check !== "function")
  ) {
    throw new TypeError(`${context}: nonceCounts must be a NonceCountStore or false`);
  }
  const nonceLifetime = options.nonceLifetime ?? DEFAULT_NONCE_LIFETIME;
  if (typeof nonceLifetime !== "number" || !Number.isFinite(nonceLifetime) || nonceLifetime <= 0) {
    throw new RangeError(`${context}: nonceLifetime must be a positive number of seconds`);
  }
  checkBody(options.body, context, "body");
  let info: DigestAuthenticationInfoRequest | undefined;
  if (options.authenticationInfo === true) info = {};
  else if (typeof options.authenticationInfo === "object" && options.authenticationInfo !== null) {
    info = options.authenticationInfo;
    checkBody(info.responseBody, context, "authenticationInfo.responseBody");
  } else if (options.authenticationInfo !== undefined && options.authenticationInfo !== false) {
    throw new TypeError(`${context}: authenticationInfo must be a boolean or an object`);
  }
  return {
    method: checkMethod(options.method, context),
    uri: checkUri(options.uri, context),
    realm: checkRealm(options.realm, context),
    secret: secretBytes(options.secret, context),
    algorithms: checkList(options.algorithms, ALGORITHM_NAMES, ["SHA-256"], context, "algorithms"),
    qop: checkList(options.qop, QOP_VALUES, ["auth"], context, "qop"),
    nonceLifetime,
    now: checkNow(options.now, context),
    uriMatches: options.uriMatches ?? defaultUriMatches,
    info,
  };
}

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
  if (parsed.realm !== settings.realm) return failure("wrong-realm");
  if (!settings.algorithms.includes(parsed.algorithm)) return failure("algorithm-not-offered");
  if (parsed.qop === undefined ? options.allowRFC2069 !== true : !settings.qop.includes(parsed.qop)) {
    return failure("qop-not-offered");
  }
  if (!settings.uriMatches(parsed.uri, settings.uri)) return failure("uri-mismatch");
  const algorithm = ALGORITHMS[parsed.algorithm.toLowerCase()] as AlgorithmInfo;
  const issued = await readNonce(parsed.nonce, settings.secret, settings.realm, algorithm.name);
  if (issued === undefined) return failure("invalid-nonce");
  const age = Math.floor(settings.now / 1000) - issued;
  const expired = age > settings.nonceLifetime || age < -CLOCK_SKEW_SECONDS;

  let username: string | undefined = parsed.username;
  if (parsed.userhash) {
    username = options.findUsernameByHash
      ? await options.findUsernameByHash(parsed.username, settings.realm, algorithm.name)
      : undefined;
    if (username !== undefined && typeof username !== "string") {
      throw new TypeError("Cannot verify Digest credentials: findUsernameByHash must return a string or undefined");
    }
  }
  let ha1: string | undefined;
  if (username !== undefined) {
    if (options.password !== undefined) {
      const password = await options.password(username, settings.realm);
      if (password !== undefined && typeof password !== "string") {
        throw new TypeError("Cannot verify Digest credentials: password must return a string or undefined");
      }
      if (password !== undefined) ha1 = await hashText(algorithm.hash, `${username}:${settings.realm}:${password}`);
    } else if (options.ha1 !== undefined) {
      const stored = await options.ha1(username, settings.realm, algorithm.name);
      if (stored !== undefined) ha1 = checkHA1(stored, algorithm);
    }
  }
  const known = ha1 !== undefined;
  if (ha1 === undefined) {
    // Unknown user: spend what a known user costs, then refuse.
    ha1 =
      options.password !== undefined
        ? await hashText(algorithm.hash, `${parsed.username}:${settings.realm}:${DUMMY_PASSWORD}`)
        : "0".repeat(hashLength(algorithm.hash));
  }
  const input: DigestInput = {
    algorithm,
    ha1,
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
  if (!known || username === undefined) return failure("unknown-user");
  if (!matches) return failure("wrong-password");
  if (expired) return failure("stale-nonce");
  if (parsed.nc !== undefined && options.nonceCounts !== false) {
    const fresh = await options.nonceCounts.check(parsed.nonce, Number.parseInt(parsed.nc, 16));
    if (fresh !== true) return failure("replayed-nonce-count");
  }
  const result: DigestVerificationSuccess = { ok: true, username, algorithm: algorithm.name };
  if (parsed.qop !== undefined) result.qop = parsed.qop;
  if (settings.info !== undefined) {
    result.authenticationInfo = await buildAuthenticationInfo(input, parsed, settings);
  }
  return result;
}

/**
 * Authentication-Info = rspauth, qop, nc, cnonce [, nextnonce]   (RFC 7616 §3.5)
 *
 * rspauth is the response digest with A2 = ":" request-uri [ ":" H(entity-body) ],
 * the body being the response's. rspauth, cnonce and nextnonce are quoted-strings.
 */
async function buildAuthenticationInfo(
  input: DigestInput,
  parsed: DigestCredentials,
  settings: VerifySettings,
): Promise<string> {
  const context = "Authentication-Info";
  const rspauth = await computeDigest({ ...input, method: "", body: settings.info?.responseBody });
  let value = `rspauth=${quoteString(rspauth, context, "rspauth")}`;
  if (parsed.qop !== undefined && parsed.nc !== undefined && parsed.cnonce !== undefined) {
    const tokens = createParams();
    tokens.qop = parsed.qop;
    tokens.nc = parsed.nc;
    value += `, ${serializeAuthParams(tokens)}, cnonce=${quoteString(parsed.cnonce, context, "cnonce")}`;
  }
  if (settings.info?.nextnonce === true) {
    const nextnonce = await createNonce(settings.secret, settings.realm, input.algorithm.name, settings.now);
    value += `, nextnonce=${quoteString(nextnonce, context, "nextnonce")}`;
  }
  return value;
}

/**
 * Creates an in-memory {@linkcode NonceCountStore} (RFC 7616 §3.4, §5.10):
 * per nonce, the highest nonce count accepted; a count not above it is a
 * replay. Holds at most `maxEntries` nonces and forgets the least recently
 * used first. Create one per server and pass it on every call of
 * {@linkcode verifyDigestCredentials}; servers that share a secret across
 * processes need a shared store instead.
 *
 * Counts must rise: a client whose concurrent requests arrive out of order
 * sees the late one refused, and should retry with the next count.
 *
 * @param options `maxEntries`, 10 000 by default.
 * @returns A new, empty store.
 * @throws {RangeError} If `maxEntries` is not a positive whole number.
 *
 * @example Counts must rise per nonce
 * ```ts
 * import assert from "node:assert/strict";
 * import { createMemoryNonceCountStore } from "@httpauth/core";
 *
 * const store = createMemoryNonceCountStore({ maxEntries: 1000 });
 * assert.equal(store.check("nonce-a", 1), true);
 * assert.equal(store.check("nonce-a", 1), false);
 * assert.equal(store.check("nonce-a", 3), true);
 * assert.equal(store.check("nonce-a", 2), false);
 * assert.equal(store.check("nonce-b", 1), true);
 * ```
 */
export function createMemoryNonceCountStore(options: MemoryNonceCountStoreOptions = {}): NonceCountStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError("Cannot create a nonce count store: maxEntries must be a positive whole number");
  }
  const counts = new Map<string, number>();
  return {
    check(nonce: string, nc: number): boolean {
      if (typeof nonce !== "string") throw new TypeError("Cannot check a nonce count: nonce must be a string");
      if (!Number.isSafeInteger(nc) || nc < 1) {
        throw new RangeError("Cannot check a nonce count: nc must be a positive whole number");
      }
      const last = counts.get(nonce);
      if (last !== undefined && nc <= last) return false;
      // Re-inserting keeps the Map in least-recently-used order.
      counts.delete(nonce);
      counts.set(nonce, nc);
      if (counts.size > maxEntries) {
        const oldest = counts.keys().next();
        if (oldest.done !== true) counts.delete(oldest.value);
      }
      return true;
    },
  };
}

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

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
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  const { username, password } = options;
  if (typeof username !== "string" || !isWellFormedUTF16(username)) {
    throw new TypeError(`${context}: username must be a string without lone surrogates`);
  }
  if (hasControlCharacter(username)) throw new TypeError(`${context}: username must not have control characters`);
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

  let nc: string | undefined;
  let cnonce: string | undefined;
  if (qop !== undefined) {
    let count = options.nc;
    if (count === undefined) {
      count = (nonceCounters.get(element) ?? 0) + 1;
      if (count > MAX_NONCE_COUNT) {
        throw new RangeError(`${context}: this challenge's nonce count is used up; request a fresh challenge`);
      }
    }
    nonceCounters.set(element, count);
    nc = formatNonceCount(count);
    if (options.cnonce !== undefined) {
      cnonce = options.cnonce;
    } else {
      const random = new Uint8Array(CNONCE_BYTES);
      crypto.getRandomValues(random);
      cnonce = encodeBase64(random);
    }
  }

  const ha1 = await hashText(algorithm.hash, `${username}:${realm}:${password}`);
  const response = await computeDigest({
    algorithm,
    ha1,
    nonce,
    qop,
    nc,
    cnonce,
    method,
    uri,
    body: options.body,
  });

  const result = createParams();
  if (userhash) result.username = await hashText(algorithm.hash, `${username}:${realm}`);
  else if (isPrintableASCII(username)) result.username = username;
  else result["username*"] = encodeExtValue(username);
  result.realm = realm;
  result.uri = uri;
  if (algorithmName !== undefined) result.algorithm = algorithm.name;
  result.nonce = nonce;
  if (qop !== undefined && nc !== undefined && cnonce !== undefined) {
    result.nc = nc;
    result.cnonce = cnonce;
    result.qop = qop;
  }
  result.response = response;
  if (opaque !== undefined) result.opaque = opaque;
  if (userhash) result.userhash = "true";
  return { scheme: "digest", params: result };
}

function infoError(code: HTTPAuthErrorCode, message: string): HTTPAuthError {
  return new HTTPAuthError(code, `Cannot accept Authentication-Info: ${message}`);
}

/**
 * Checks the server's `Authentication-Info` (RFC 7616 §3.5) for the
 * credentials this client sent: `rspauth` must be the digest that only a
 * server knowing the password can compute (A2 = ":" request-uri, and for
 * auth-int also ":" H(response body)), and any echoed `qop`, `nc` and
 * `cnonce` must be the request's. Resolves when the server is proven;
 * throws otherwise, since a server that cannot prove itself may be an impostor.
 *
 * @param info The `Authentication-Info` field value, or its parsed parameters.
 * @param credentials The credentials sent, as {@linkcode computeDigestCredentials} returned them.
 * @param options `password`; `username` (needed when the credentials used
 *   userhash); `body`, the response body, for auth-int.
 * @returns Nothing; read `nextnonce` from the info yourself.
 * @throws {HTTPAuthError} `missing-parameter` (no rspauth), `invalid-parameter`
 *   (rspauth is not hex of the right length), `rspauth-mismatch` (wrong
 *   rspauth, or an echo that differs), every code of `parseAuthParams` for a
 *   string, and every code of {@linkcode parseDigestCredentials} for broken credentials.
 * @throws {TypeError} If `password` is not a string, or `username` is missing for userhash credentials.
 *
 * @example Mutual authentication
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   computeDigestCredentials,
 *   createDigestChallenge,
 *   isHTTPAuthError,
 *   verifyDigestAuthenticationInfo,
 *   verifyDigestCredentials,
 * } from "@httpauth/core";
 *
 * const secret = "a long random server secret";
 * const challenge = await createDigestChallenge({ realm: "api", secret });
 * const credentials = await computeDigestCredentials(challenge, {
 *   username: "Mufasa",
 *   password: "Circle of Life",
 *   method: "GET",
 *   uri: "/",
 * });
 * const result = await verifyDigestCredentials(credentials, {
 *   method: "GET",
 *   uri: "/",
 *   realm: "api",
 *   secret,
 *   nonceCounts: false,
 *   password: () => "Circle of Life",
 *   authenticationInfo: true,
 * });
 * assert.ok(result.ok && result.authenticationInfo !== undefined);
 * await verifyDigestAuthenticationInfo(result.authenticationInfo, credentials, { password: "Circle of Life" });
 * await assert.rejects(
 *   verifyDigestAuthenticationInfo(result.authenticationInfo, credentials, { password: "wrong" }),
 *   (error) => isHTTPAuthError(error) && error.code === "rspauth-mismatch",
 * );
 * ```
 */
export async function verifyDigestAuthenticationInfo(
  info: string | AuthParams,
  credentials: Credentials,
  options: VerifyDigestAuthenticationInfoOptions,
): Promise<void> {
  const context = "Cannot verify Authentication-Info";
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  if (typeof options.password !== "string") throw new TypeError(`${context}: password must be a string`);
  checkBody(options.body, context, "body");
  let params: AuthParams;
  if (typeof info === "string") params = parseAuthParams(info);
  else if (typeof info === "object" && info !== null) params = info;
  else throw new TypeError(`${context}: info must be a string or parsed parameters`);
  const sent = parseDigestCredentials(credentials);
  const algorithm = ALGORITHMS[sent.algorithm.toLowerCase()] as AlgorithmInfo;

  const rspauth = readParam(params, "rspauth", context);
  if (rspauth === undefined) throw infoError("missing-parameter", "add the rspauth parameter (RFC 7616 §3.5)");
  const length = hashLength(algorithm.hash);
  if (!isHex(rspauth, length)) throw infoError("invalid-parameter", `rspauth must be ${length} hex digits`);
  const echoes: [string, string | undefined][] = [
    ["qop", sent.qop],
    ["nc", sent.nc],
    ["cnonce", sent.cnonce],
  ];
  for (const [name, expected] of echoes) {
    const echoed = readParam(params, name, context);
    if (echoed !== undefined && echoed !== expected) {
      throw infoError("rspauth-mismatch", `the ${name} parameter does not echo the request (RFC 7616 §3.5)`);
    }
  }

  let username = sent.username;
  if (sent.userhash) {
    if (typeof options.username !== "string") {
      throw new TypeError(`${context}: pass username; the credentials carry only its hash`);
    }
    username = options.username;
  }
  const ha1 = await hashText(algorithm.hash, `${username}:${sent.realm}:${options.password}`);
  const expected = await computeDigest({
    algorithm,
    ha1,
    nonce: sent.nonce,
    qop: sent.qop,
    nc: sent.nc,
    cnonce: sent.cnonce,
    method: "",
    uri: sent.uri,
    body: options.body,
  });
  if (!hexEqual(rspauth.toLowerCase(), expected)) {
    throw infoError("rspauth-mismatch", "rspauth does not prove that the server knows the password");
  }
}
