/**
 * The options of Digest verification, for servers: what the caller passes,
 * checked once per call into the settings the verification reads, and the
 * default match of the credentials' `uri` against the request target.
 *
 * @module
 */

import type { ParseOptions } from "../../grammar/scanner.ts";
import type { DigestAlgorithm, DigestQop } from "./algorithms.ts";
import { ALGORITHM_NAMES, QOP_VALUES } from "./algorithms.ts";
import {
  checkBody,
  checkCallback,
  checkList,
  checkMethod,
  checkNow,
  checkRealm,
  checkUri,
  secretBytes,
} from "./arguments.ts";
import { HYPHEN, isAlpha, isDigit } from "./characters.ts";
import { DEFAULT_NONCE_LIFETIME } from "./nonce.ts";
import type { NonceCountStore } from "./nonce-count-store.ts";

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
  /**
   * The request body, hashed for qop=auth-int (RFC 7616 §3.4.3): `""` or an
   * empty `Uint8Array` for a request without a body. Absent means the body
   * is not available (not read, or over a size cap): qop=auth-int is then
   * refused (`body-unavailable`), since a digest over an empty body would
   * otherwise authenticate any body.
   */
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
export function defaultUriMatches(credentialsUri: string, requestUri: string): boolean {
  if (credentialsUri === requestUri) return true;
  return pathAndQuery(credentialsUri) === requestUri;
}

/**
 * Whether the credentials' `uri` designates `requestUrl`, an absolute URL
 * that a Fetch runtime already normalised with the WHATWG URL parser (dot
 * segments removed, an empty `?` kept only in `href`, `{` percent-encoded):
 * the `uri` is read by the same parser, relative to the request's origin,
 * and the two `href`s compare. An absolute `uri` is read for its path and
 * query only, as by the default match. Exact equality with the target is
 * tried first.
 *
 * @param credentialsUri The `uri` of the credentials.
 * @param requestUrl The request's absolute URL, as the runtime gives it.
 * @returns Whether both designate the same target once normalised alike.
 */
export function normalizedUriMatches(credentialsUri: string, requestUrl: string): boolean {
  let request: URL;
  try {
    request = new URL(requestUrl);
  } catch {
    return false;
  }
  const target = request.pathname + request.search;
  if (defaultUriMatches(credentialsUri, target)) return true;
  const path = credentialsUri.startsWith("/") ? credentialsUri : pathAndQuery(credentialsUri);
  // Only origin-form (or an absolute URI's path): a scheme-relative "//host/…" would change the origin.
  if (path === undefined || path.startsWith("//") || path.includes("#")) return false;
  let resolved: URL;
  try {
    resolved = new URL(path, request.origin);
  } catch {
    return false;
  }
  request.hash = "";
  return resolved.origin === request.origin && resolved.href === request.href;
}

/** The checked options of {@linkcode verifyDigestCredentials}. */
export interface VerifySettings {
  method: string;
  uri: string;
  realm: string;
  secret: Uint8Array<ArrayBuffer>;
  algorithms: readonly DigestAlgorithm[];
  qop: readonly DigestQop[];
  nonceLifetime: number;
  now: number;
  uriMatches: (credentialsUri: string, requestUri: string) => boolean;
  /** Whether `body` was given: without it, qop=auth-int is refused. */
  hasBody: boolean;
  info: DigestAuthenticationInfoRequest | undefined;
}

export function checkVerifyOptions(options: VerifyDigestCredentialsOptions): VerifySettings {
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
    hasBody: options.body !== undefined,
    info,
  };
}
