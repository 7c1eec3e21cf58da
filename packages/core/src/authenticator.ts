/**
 * The decision: which status and which challenges answer each request.
 * Every outcome frameworks get wrong is decided here, once:
 *
 * | situation | status | sent |
 * |---|---|---|
 * | no credentials | 401 (407 behind a proxy) | one challenge line per scheme, in configured order; Bearer without `error` |
 * | a scheme that is not configured, malformed Basic or Digest, wrong password | 401 | every challenge |
 * | malformed Bearer, or a token sent in more than one place | 400 | `Bearer error="invalid_request"` |
 * | Bearer token rejected | 401 | every challenge, Bearer with `error="invalid_token"` |
 * | Bearer token valid, scope missing | 403 | `Bearer error="insufficient_scope", scope="…"` |
 * | Digest nonce expired, response otherwise right | 401 | every challenge, Digest with `stale=true` |
 * | too many failures (throttling on) | 429 | `Retry-After`, no challenge |
 * | `missingCredentialsStatus: 403`, no credentials | 403 | nothing: the old, non-conforming behaviour |
 *
 * @module
 */

import type { Challenge } from "./challenge.ts";
import { serializeChallenge } from "./challenge.ts";
import { parseCredentials } from "./credentials.ts";
import type { HTTPAuthError } from "./errors.ts";
import { isHTTPAuthError } from "./errors.ts";
import { CLASSES, TCHAR } from "./grammar/chars.ts";
import { DEFAULT_MAX_LENGTH } from "./grammar/scanner.ts";
import { createBasicChallenge, parseBasicCredentials } from "./schemes/basic.ts";
import type { BearerError } from "./schemes/bearer.ts";
import { BEARER_ERROR_STATUS, createBearerChallenge, parseBearerCredentials } from "./schemes/bearer.ts";
import type {
  DigestAlgorithm,
  DigestQop,
  NonceCountStore,
  VerifyDigestCredentialsOptions,
} from "./schemes/digest/index.ts";
import {
  checkDigestChallengeText,
  createDigestChallenge,
  createMemoryNonceCountStore,
  verifyDigestCredentials,
} from "./schemes/digest/index.ts";
import type { ThrottleStore } from "./throttle.ts";
import { createMemoryThrottleStore } from "./throttle.ts";

/** The schemes the authenticator implements. */
export type AuthSchemeName = "basic" | "bearer" | "digest";

/**
 * The request as the authenticator sees it: the smallest shape every runtime
 * can supply. The runtime packages build it from their native request.
 */
export interface AuthRequest {
  /** The request method (`GET`, `POST`, …). */
  method: string;
  /** The request target (`/path?query`) or the absolute URL. */
  url: string;
  /** A request header's value by case-insensitive name; `null` or `undefined` when absent. */
  header(name: string): string | null | undefined;
  /** The client's address, for throttling. */
  clientAddress?: string | undefined;
  /**
   * The request body, read on demand: only for Bearer tokens in a form body
   * (RFC 6750 §2.2, opt-in) and Digest `auth-int`.
   */
  body?: (() => Promise<Uint8Array | undefined>) | undefined;
}

/** A header line of a response: name and value. Each challenge is its own line. */
export type HeaderLine = [name: string, value: string];

/** Why a request was not authenticated. */
export type AuthFailureReason =
  | "missing-credentials"
  | "unsupported-scheme"
  | "malformed-credentials"
  | "invalid-credentials"
  | "invalid-request"
  | "invalid-token"
  | "insufficient-scope"
  | "stale-nonce"
  | "throttled";

/**
 * Who made an authenticated request: what the runtime packages hand to a
 * protected handler.
 */
export interface AuthContext<Identity> {
  /** What the scheme's `verify` (or Digest's `identity`) returned. */
  readonly identity: Identity;
  /** The scheme that authenticated the request. */
  readonly scheme: AuthSchemeName;
}

/** A request that is allowed through. */
export interface AuthSuccess<Identity> {
  /** Always `true`: the request is allowed through. */
  ok: true;
  /** The scheme that authenticated the request. */
  scheme: AuthSchemeName;
  /** What the scheme's `verify` (or Digest's `identity`) returned. */
  identity: Identity;
  /** Headers to add to the response: `Authentication-Info` for Digest. */
  headers: HeaderLine[];
}

/** A request that is refused, with the complete response to send. */
export interface AuthFailure {
  /** Always `false`: the request is refused. */
  ok: false;
  /** 400, 401, 403, 407 or 429. */
  status: 400 | 401 | 403 | 407 | 429;
  /** The challenge lines (one per challenge), `Retry-After`, and `Content-Type` for the body. */
  headers: HeaderLine[];
  /** A short plain-text body, or RFC 9457 problem details when `problemDetails` is on. */
  body: string;
  /** Why, for logs and metrics. Never contains a credential. */
  reason: AuthFailureReason;
}

/** The outcome of {@linkcode Authenticator.authenticate}. */
export type AuthOutcome<Identity> = AuthSuccess<Identity> | AuthFailure;

/** What a scheme configuration is, seen from outside: its name, realm and (phantom) identity type. */
export interface AuthScheme<Identity> {
  /** The scheme's name. */
  readonly scheme: AuthSchemeName;
  /** The realm its challenges carry. */
  readonly realm: string | undefined;
  /** Type-level only: the identity `verify` produces. Never set. */
  readonly identity?: Identity;
}

/** What `verify` may return to refuse: `undefined`, `null` or `false`. */
export type Refusal = undefined | null | false;

/** Options of {@linkcode basicAuth}. */
export interface BasicAuthOptions<Identity> {
  /** The realm: required, not blank (RFC 7617 §2). */
  realm: string;
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
  /** Announce `charset="UTF-8"` (RFC 7617 §2.1). Default `true`. */
  charset?: boolean;
  /** Decode credentials that are not UTF-8 as ISO-8859-1. Default `true`. */
  latin1Fallback?: boolean;
}

/** What a Bearer `verify` returns for a token it accepts. */
export interface BearerGrant<Identity> {
  /** Who the token stands for. */
  identity: Identity;
  /** The scopes the token grants, checked against `scopes`. */
  scopes?: readonly string[];
}

/** Where a Bearer token may come from (RFC 6750 §2). */
export interface BearerTokenSources {
  /** The `Authorization` header (RFC 6750 §2.1). Always on. */
  header?: true;
  /** An `access_token` field of an `application/x-www-form-urlencoded` body (RFC 6750 §2.2). Default off. */
  body?: boolean;
  /** An `access_token` query parameter (RFC 6750 §2.3). Default off: URLs end up in logs. */
  query?: boolean;
}

/** Options of {@linkcode bearerAuth}. */
export interface BearerAuthOptions<Identity> {
  /** The realm of the challenge (optional for Bearer, recommended). */
  realm?: string;
  /**
   * Checks a token; returns a grant, or `undefined`, `null` or `false` for a
   * token that is invalid, expired or revoked. Exceptions propagate.
   */
  verify: (
    token: string,
    request: AuthRequest,
  ) => BearerGrant<Identity> | Refusal | Promise<BearerGrant<Identity> | Refusal>;
  /** Scopes every request needs; a valid token without them gets 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /** Where tokens are read from; only the header by default. */
  sources?: BearerTokenSources;
  /** For `openapi()`: a hint such as `"JWT"`. */
  bearerFormat?: string;
}

/** Options of {@linkcode digestAuth}. Give exactly one of `password` and `ha1`. */
export interface DigestAuthOptions<Identity> {
  /** The realm. */
  realm: string;
  /** The key of the stateless nonce: at least 16 bytes, shared by every instance that must accept the same nonces. */
  secret: string | Uint8Array;
  /** The user's password in clear, or `undefined` for an unknown user. */
  password?: VerifyDigestCredentialsOptions["password"];
  /** Hex `H(username:realm:password)` for the base algorithm, or `undefined` for an unknown user. */
  ha1?: VerifyDigestCredentialsOptions["ha1"];
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

/** Throttling: after `maxFailures` failed attempts in `window` seconds, answer 429 without checking credentials. */
export interface ThrottleOptions {
  /** Failures allowed per client address and user name within the window. */
  maxFailures: number;
  /** The window, in seconds. */
  window: number;
  /** Where failures are counted; in memory by default. Share one store (Redis, KV) across instances. */
  store?: ThrottleStore;
}

/** Options of {@linkcode createAuthenticator}. */
export interface AuthenticatorOptions<Schemes extends readonly AuthScheme<unknown>[]> {
  /** The schemes offered, in order of preference: one challenge line each, in this order. */
  schemes: Schemes;
  /** Act as a proxy: 407, `Proxy-Authenticate`, credentials from `Proxy-Authorization` (RFC 9110 §11.7). */
  proxy?: boolean;
  /**
   * The status for a request with no credentials at all. 401 with challenges
   * is what RFC 9110 §15.5.2 requires. **403 is non-conforming** — no
   * challenge is sent and clients never ask for credentials — and exists only
   * for apps migrating from frameworks that answered 403.
   */
  missingCredentialsStatus?: 401 | 403;
  /** Failure bodies as `application/problem+json` (RFC 9457) instead of plain text. */
  problemDetails?: boolean;
  /** Throttle failed attempts per client address and user name. Off by default. */
  throttle?: ThrottleOptions;
  /** The longest credentials field accepted, in characters. Default 8192. */
  maxLength?: number;
  /** The clock, in milliseconds since the epoch (for tests). Default `Date.now`. */
  now?: () => number;
}

/** One entry of OpenAPI 3.1's `components.securitySchemes`. */
export interface OpenAPISecurityScheme {
  /** Always `"http"`: an HTTP authentication scheme (RFC 9110 §11). */
  type: "http";
  /** The scheme's name: `basic`, `bearer` or `digest`. */
  scheme: AuthSchemeName;
  /** For Bearer: a hint of the token's format, when one was configured. */
  bearerFormat?: string;
  /** The scheme, its RFC and the realm, in words, for people reading the API description. */
  description: string;
}

/** Authenticates requests against the configured schemes. */
export interface Authenticator<Identity> {
  /**
   * Decides a request: who it is, or the complete failure response.
   * Throws only what a `verify` callback throws.
   */
  authenticate(request: AuthRequest): Promise<AuthOutcome<Identity>>;
  /** The OpenAPI 3.1 `securitySchemes` entries for the configured schemes. */
  openapi(): Record<string, OpenAPISecurityScheme>;
}

/** The identity type of a list of schemes. */
export type IdentityOf<Scheme> = Scheme extends AuthScheme<infer Identity> ? Identity : never;

// ── Scheme handlers ─────────────────────────────────────────────────────────

/** What a scheme concluded about credentials addressed to it. */
type SchemeResult<Identity> =
  | { kind: "success"; identity: Identity; headers: HeaderLine[] }
  | { kind: "malformed"; error: HTTPAuthError }
  | { kind: "rejected" }
  | { kind: "insufficient-scope" }
  | { kind: "stale" };

/** How the challenges of one response must differ from the plain ones. */
interface ChallengeContext {
  now: number;
  stale: boolean;
  bearerError?: BearerError;
}

interface RequestContext {
  request: AuthRequest;
  now: number;
  proxy: boolean;
  maxLength: number;
}

interface SchemeHandler<Identity> {
  readonly name: AuthSchemeName;
  /** The user name in the credentials, for throttling; undefined when there is none or it cannot be read. */
  username(credentials: string, context: RequestContext): string | undefined;
  authenticate(credentials: string, context: RequestContext): Promise<SchemeResult<Identity>>;
  /** The challenges to send, each serialized as one field line. */
  challenges(context: ChallengeContext): Promise<string[]>;
  openapi(): OpenAPISecurityScheme;
}

interface BearerHandler<Identity> extends SchemeHandler<Identity> {
  readonly name: "bearer";
  readonly sources: BearerTokenSources;
  authenticateToken(token: string, context: RequestContext): Promise<SchemeResult<Identity>>;
}

const handlers = new WeakMap<object, SchemeHandler<unknown>>();

function register<Identity>(handler: SchemeHandler<Identity>, realm: string | undefined): AuthScheme<Identity> {
  const scheme: AuthScheme<Identity> = Object.freeze({ scheme: handler.name, realm });
  handlers.set(scheme, handler as SchemeHandler<unknown>);
  return scheme;
}

function assertFunction(value: unknown, what: string): void {
  if (typeof value !== "function") throw new TypeError(`${what} must be a function`);
}

/** Whether `value` is an object or a function: something `await` must look into for a `then`. */
function isObjectLike(value: unknown): value is object {
  return (typeof value === "object" && value !== null) || typeof value === "function";
}

function isRefusal(value: unknown): value is Refusal {
  return value === undefined || value === null || value === false;
}

/**
 * Configures the Basic scheme (RFC 7617) for {@linkcode createAuthenticator}.
 * The challenge is built and checked now, so a missing realm fails at start-up,
 * not on the first request.
 *
 * @param options `realm` (required), `verify`, `charset` (default on), `latin1Fallback` (default on).
 * @returns The scheme configuration.
 * @throws {TypeError} If `realm` is missing or blank, or `verify` is not a function.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth } from "@httpauth/core";
 *
 * const scheme = basicAuth({ realm: "api", verify: (username, password) => (password === "pw" ? username : undefined) });
 * assert.equal(scheme.scheme, "basic");
 * assert.throws(() => basicAuth({ realm: "", verify: () => undefined }), TypeError);
 * ```
 */
export function basicAuth<Identity>(options: BasicAuthOptions<Identity>): AuthScheme<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("basicAuth() needs { realm, verify }");
  const { realm, verify } = options;
  const challenge = createBasicChallenge(options.charset === false ? { realm } : { realm, charset: "UTF-8" });
  assertFunction(verify, "basicAuth(): verify");
  const latin1Fallback = options.latin1Fallback ?? true;
  // The parse options for the last maxLength seen (one per authenticator in practice), made once.
  let parseOptions = { latin1Fallback, maxLength: DEFAULT_MAX_LENGTH };
  const parseOptionsFor = (maxLength: number): { latin1Fallback: boolean; maxLength: number } => {
    if (parseOptions.maxLength !== maxLength) parseOptions = { latin1Fallback, maxLength };
    return parseOptions;
  };
  let line: string | undefined;
  return register<Identity>(
    {
      name: "basic",
      username(credentials, context) {
        try {
          return parseBasicCredentials(credentials, parseOptionsFor(context.maxLength)).username;
        } catch {
          return undefined;
        }
      },
      async authenticate(credentials, context) {
        let parsed: { username: string; password: string };
        try {
          parsed = parseBasicCredentials(credentials, parseOptionsFor(context.maxLength));
        } catch (error) {
          if (isHTTPAuthError(error)) return { kind: "malformed", error };
          throw error;
        }
        const returned = verify(parsed.username, parsed.password, context.request);
        // Awaiting a primitive only costs a turn of the microtask queue; objects may be thenables.
        const identity: Identity | Refusal = isObjectLike(returned) ? await returned : returned;
        return isRefusal(identity) ? { kind: "rejected" } : { kind: "success", identity, headers: [] };
      },
      async challenges() {
        // The challenge never changes: serialized on first use, then reused.
        line ??= serializeChallenge(challenge);
        return [line];
      },
      openapi() {
        return { type: "http", scheme: "basic", description: `HTTP Basic (RFC 7617), realm "${realm}"` };
      },
    },
    realm,
  );
}

/**
 * Configures the Bearer scheme (RFC 6750) for {@linkcode createAuthenticator}.
 *
 * @param options `verify`, optional `realm`, `scopes` needed, token `sources`, `bearerFormat`.
 * @returns The scheme configuration.
 * @throws {TypeError} If `verify` is not a function, or `realm` or a scope breaks RFC 6750 §3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth } from "@httpauth/core";
 *
 * const scheme = bearerAuth({
 *   realm: "api",
 *   scopes: ["read"],
 *   verify: (token) => (token === "t0k3n" ? { identity: "service-a", scopes: ["read"] } : undefined),
 * });
 * assert.equal(scheme.scheme, "bearer");
 * ```
 */
export function bearerAuth<Identity>(options: BearerAuthOptions<Identity>): AuthScheme<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("bearerAuth() needs { verify }");
  const { realm, verify, bearerFormat } = options;
  assertFunction(verify, "bearerAuth(): verify");
  const scopes = options.scopes ?? [];
  // Build every challenge once: this checks realm and scopes against RFC 6750 §3 at start-up.
  const base = realm === undefined ? {} : { realm };
  const plain = createBearerChallenge(base);
  const withError: Record<BearerError, Challenge> = {
    invalid_request: createBearerChallenge({ ...base, error: "invalid_request" }),
    invalid_token: createBearerChallenge({ ...base, error: "invalid_token" }),
    insufficient_scope: createBearerChallenge(
      scopes.length > 0
        ? { ...base, error: "insufficient_scope", scope: scopes }
        : { ...base, error: "insufficient_scope" },
    ),
  };
  const lines = new Map<Challenge, string>();
  const sources: BearerTokenSources = {
    header: true,
    body: options.sources?.body === true,
    query: options.sources?.query === true,
  };
  const handler: BearerHandler<Identity> = {
    name: "bearer",
    sources,
    username() {
      return undefined;
    },
    async authenticate(credentials, context) {
      let token: string;
      try {
        token = parseBearerCredentials(credentials, { maxLength: context.maxLength }).token;
      } catch (error) {
        if (isHTTPAuthError(error)) return { kind: "malformed", error };
        throw error;
      }
      return handler.authenticateToken(token, context);
    },
    async authenticateToken(token, context) {
      const grant = await verify(token, context.request);
      if (isRefusal(grant)) return { kind: "rejected" };
      const granted = new Set(grant.scopes ?? []);
      if (!scopes.every((scope) => granted.has(scope))) return { kind: "insufficient-scope" };
      return { kind: "success", identity: grant.identity, headers: [] };
    },
    async challenges(context) {
      // Four fixed challenges: each serialized on first use, then reused.
      const challenge = context.bearerError === undefined ? plain : withError[context.bearerError];
      let line = lines.get(challenge);
      if (line === undefined) {
        line = serializeChallenge(challenge);
        lines.set(challenge, line);
      }
      return [line];
    },
    openapi() {
      return {
        type: "http",
        scheme: "bearer",
        ...(bearerFormat === undefined ? {} : { bearerFormat }),
        description: `HTTP Bearer (RFC 6750)${realm === undefined ? "" : `, realm "${realm}"`}${scopes.length > 0 ? `; scopes: ${scopes.join(" ")}` : ""}`,
      };
    },
  };
  return register<Identity>(handler, realm);
}

/**
 * Configures the Digest scheme (RFC 7616) for {@linkcode createAuthenticator}:
 * one challenge line per algorithm, stateless nonces, replay detection,
 * `stale=true` for expired nonces and `Authentication-Info` on success.
 *
 * @param options `realm`, `secret`, and one of `password` or `ha1`; see {@linkcode DigestAuthOptions}.
 * @returns The scheme configuration.
 * @throws {TypeError} If `realm` is blank, neither or both of `password` and `ha1` are given, or `userhash` lacks `findUsernameByHash`.
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
 */
export function digestAuth<Identity = string>(options: DigestAuthOptions<Identity>): AuthScheme<Identity> {
  if (typeof options !== "object" || options === null)
    throw new TypeError("digestAuth() needs { realm, secret, password }");
  const { realm, secret, password, ha1, identity, opaque, domain, userhash, findUsernameByHash, uriMatches } = options;
  if (typeof realm !== "string" || realm.trim() === "") throw new TypeError("digestAuth(): give a non-blank realm");
  // Realm, opaque and domain are checked now, so that a challenge that could never be sent fails at start-up.
  checkDigestChallengeText({ realm, opaque, domain }, "digestAuth()");
  if ((password === undefined) === (ha1 === undefined)) {
    throw new TypeError("digestAuth(): give exactly one of password and ha1");
  }
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
  const qop = options.qop ?? ["auth"];
  const nonceCounts = options.nonceCounts ?? createMemoryNonceCountStore();
  const nonceLifetime = options.nonceLifetime ?? 300;
  return register<Identity>(
    {
      name: "digest",
      username(credentials, context) {
        // The user name as sent (a userhash counts as a name of its own).
        try {
          const { params } = parseCredentials(credentials, { maxLength: context.maxLength });
          return params.username ?? params["username*"];
        } catch {
          return undefined;
        }
      },
      async authenticate(credentials, context) {
        const result = await verifyDigestCredentials(credentials, {
          method: context.request.method,
          uri: requestTarget(context.request.url),
          realm,
          secret,
          algorithms,
          qop,
          nonceLifetime,
          nonceCounts,
          now: context.now,
          authenticationInfo: true,
          maxLength: context.maxLength,
          ...(password === undefined ? {} : { password }),
          ...(ha1 === undefined ? {} : { ha1 }),
          ...(findUsernameByHash === undefined ? {} : { findUsernameByHash }),
          ...(uriMatches === undefined ? {} : { uriMatches }),
          ...(qop.includes("auth-int") && context.request.body !== undefined
            ? { body: (await context.request.body()) ?? new Uint8Array(0) }
            : {}),
        });
        if (result.ok) {
          const who = identity === undefined ? (result.username as Identity) : await identity(result.username);
          const name = context.proxy ? "Proxy-Authentication-Info" : "Authentication-Info";
          // With qop=auth-int, rspauth covers the response body (RFC 7616 §3.5), which is not
          // known here: send no Authentication-Info rather than one that would not verify.
          const info = result.qop === "auth-int" ? undefined : result.authenticationInfo;
          return { kind: "success", identity: who, headers: info === undefined ? [] : [[name, info]] };
        }
        if (result.reason === "malformed" && result.error !== undefined)
          return { kind: "malformed", error: result.error };
        if (result.reason === "stale-nonce") return { kind: "stale" };
        return { kind: "rejected" };
      },
      async challenges(context) {
        const lines: string[] = [];
        for (const algorithm of algorithms) {
          const challenge = await createDigestChallenge({
            realm,
            secret,
            algorithm,
            qop,
            now: context.now,
            ...(context.stale ? { stale: true } : {}),
            ...(opaque === undefined ? {} : { opaque }),
            ...(domain === undefined ? {} : { domain }),
            ...(userhash === true ? { userhash: true } : {}),
            charset: "UTF-8",
          });
          lines.push(serializeChallenge(challenge));
        }
        return lines;
      },
      openapi() {
        return {
          type: "http",
          scheme: "digest",
          description: `HTTP Digest (RFC 7616), realm "${realm}", ${algorithms.join(", ")}`,
        };
      },
    },
    realm,
  );
}

/** The origin-form target of `url`: the path and query of an absolute URL, or `url` itself. */
function requestTarget(url: string): string {
  if (url.startsWith("/") || url === "*") return url;
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

// ── The decision ────────────────────────────────────────────────────────────

const STATUS_TEXT: Readonly<Record<AuthFailure["status"], string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  407: "Proxy Authentication Required",
  429: "Too Many Requests",
};

const DETAIL: Readonly<Record<AuthFailureReason, string>> = {
  "missing-credentials": "Authentication is required.",
  "unsupported-scheme": "The credentials use an authentication scheme this resource does not accept.",
  "malformed-credentials": "The credentials are malformed.",
  "invalid-credentials": "The credentials are not valid.",
  "invalid-request": "The request is malformed.",
  "invalid-token": "The access token is not valid.",
  "insufficient-scope": "The access token does not grant the scope this resource needs.",
  "stale-nonce": "The nonce has expired; retry with the new one.",
  throttled: "Too many failed attempts; retry later.",
};

/** The leading auth-scheme token of a credentials value, lower-cased, or "" when there is none. */
function leadingScheme(value: string): string {
  let start = 0;
  while (start < value.length && (value.charCodeAt(start) === 0x20 || value.charCodeAt(start) === 0x09)) start++;
  let end = start;
  while (end < value.length) {
    const code = value.charCodeAt(end);
    if (code > 0xff || (CLASSES[code]! & TCHAR) === 0) break;
    end++;
  }
  return value.slice(start, end).toLowerCase();
}

/** `application/x-www-form-urlencoded`, ignoring case and parameters. */
function isFormContentType(value: string | null | undefined): boolean {
  if (typeof value !== "string") return false;
  const semicolon = value.indexOf(";");
  const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return type === "application/x-www-form-urlencoded";
}

/** Every `access_token` found outside the header, when those sources are on. */
async function otherTokens(request: AuthRequest, sources: BearerTokenSources): Promise<string[]> {
  const tokens: string[] = [];
  if (sources.query === true) {
    const query = requestTarget(request.url);
    const mark = query.indexOf("?");
    if (mark !== -1) tokens.push(...new URLSearchParams(query.slice(mark + 1)).getAll("access_token"));
  }
  // RFC 6750 §2.2: only a form body, and never with GET.
  if (
    sources.body === true &&
    request.body !== undefined &&
    request.method.toUpperCase() !== "GET" &&
    isFormContentType(request.header("content-type"))
  ) {
    const bytes = await request.body();
    if (bytes !== undefined && bytes.length > 0) {
      tokens.push(...new URLSearchParams(new TextDecoder().decode(bytes)).getAll("access_token"));
    }
  }
  return tokens;
}

/**
 * Creates the authenticator: the one place that maps every outcome to its
 * status and challenges (see the table in this module's documentation).
 *
 * - Several schemes give several challenges, one `WWW-Authenticate` line each, in configured order.
 * - `verify` callbacks may be async. An exception thrown inside one is not
 *   turned into a 401: it propagates out of `authenticate`, so the app
 *   answers 500 — a database outage must not look like a wrong password.
 * - Failure responses carry a short plain-text body, or RFC 9457 problem
 *   details with `problemDetails: true`; neither ever repeats a credential.
 *
 * @param options The schemes, and `proxy`, `missingCredentialsStatus`, `problemDetails`, `throttle`, `maxLength`, `now`.
 * @returns The authenticator.
 * @throws {TypeError} If `schemes` is empty, holds something that is not a
 *   scheme configuration, or names a scheme twice; or an option is out of range.
 *
 * @example No credentials: 401 and one challenge line per scheme
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({ realm: "api", verify: (user, password) => (password === "secret" ? user : undefined) }),
 *     bearerAuth({ realm: "api", verify: () => undefined }),
 *   ],
 * });
 * const outcome = await authenticator.authenticate({ method: "GET", url: "/", header: () => null });
 * assert.equal(outcome.ok, false);
 * if (!outcome.ok) {
 *   assert.equal(outcome.status, 401);
 *   assert.deepEqual(outcome.headers.filter(([name]) => name === "WWW-Authenticate"), [
 *     ["WWW-Authenticate", 'Basic realm="api", charset="UTF-8"'],
 *     ["WWW-Authenticate", 'Bearer realm="api"'],
 *   ]);
 * }
 * ```
 */
export function createAuthenticator<const Schemes extends readonly AuthScheme<unknown>[]>(
  options: AuthenticatorOptions<Schemes>,
): Authenticator<IdentityOf<Schemes[number]>> {
  type Identity = IdentityOf<Schemes[number]>;
  if (typeof options !== "object" || options === null) throw new TypeError("createAuthenticator() needs { schemes }");
  const { schemes, proxy = false, missingCredentialsStatus = 401, problemDetails = false, throttle } = options;
  if (!Array.isArray(schemes) || schemes.length === 0) {
    throw new TypeError("createAuthenticator(): give at least one scheme (basicAuth, bearerAuth, digestAuth)");
  }
  const configured: SchemeHandler<Identity>[] = [];
  for (const scheme of schemes) {
    const handler = handlers.get(scheme as object);
    if (handler === undefined) {
      throw new TypeError(
        "createAuthenticator(): every scheme must come from basicAuth(), bearerAuth() or digestAuth()",
      );
    }
    if (configured.some((other) => other.name === handler.name)) {
      throw new TypeError(`createAuthenticator(): the ${handler.name} scheme is configured twice`);
    }
    configured.push(handler as SchemeHandler<Identity>);
  }
  if (missingCredentialsStatus !== 401 && missingCredentialsStatus !== 403) {
    throw new TypeError("createAuthenticator(): missingCredentialsStatus is 401 (RFC 9110) or 403 (legacy)");
  }
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new RangeError("createAuthenticator(): maxLength must be a positive whole number");
  }
  if (throttle !== undefined) {
    if (!Number.isSafeInteger(throttle.maxFailures) || throttle.maxFailures < 1) {
      throw new RangeError("createAuthenticator(): throttle.maxFailures must be a positive whole number");
    }
    if (!(throttle.window > 0) || !Number.isFinite(throttle.window)) {
      throw new RangeError("createAuthenticator(): throttle.window must be a positive number of seconds");
    }
  }
  const throttleStore = throttle === undefined ? undefined : (throttle.store ?? createMemoryThrottleStore());
  const clock = options.now ?? Date.now;
  const bearer = configured.find((handler): handler is BearerHandler<Identity> => handler.name === "bearer");
  const challengeField = proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
  const credentialsField = proxy ? "proxy-authorization" : "authorization";
  const unauthorized = proxy ? 407 : 401;

  function body(status: AuthFailure["status"], reason: AuthFailureReason): [HeaderLine, string] {
    if (problemDetails) {
      const problem = { type: "about:blank", title: STATUS_TEXT[status], status, detail: DETAIL[reason] };
      return [["Content-Type", "application/problem+json"], JSON.stringify(problem)];
    }
    return [["Content-Type", "text/plain; charset=utf-8"], `${status} ${STATUS_TEXT[status]}: ${DETAIL[reason]}\n`];
  }

  async function fail(
    status: AuthFailure["status"],
    reason: AuthFailureReason,
    challenges: "all" | "bearer" | "none",
    context: ChallengeContext,
    extra: HeaderLine[] = [],
  ): Promise<AuthFailure> {
    const headers: HeaderLine[] = [];
    const from = challenges === "all" ? configured : challenges === "bearer" && bearer !== undefined ? [bearer] : [];
    for (const handler of from) {
      for (const line of await handler.challenges(context)) headers.push([challengeField, line]);
    }
    headers.push(...extra);
    const [contentType, text] = body(status, reason);
    headers.push(contentType);
    return { ok: false, status, headers, body: text, reason };
  }

  // Not async: a success is returned as it is, without a promise to adopt.
  function decide(
    handler: SchemeHandler<Identity>,
    result: SchemeResult<Identity>,
    now: number,
  ): AuthOutcome<Identity> | Promise<AuthOutcome<Identity>> {
    const isBearer = handler.name === "bearer";
    switch (result.kind) {
      case "success":
        return { ok: true, scheme: handler.name, identity: result.identity, headers: result.headers };
      case "malformed":
        return isBearer
          ? fail(BEARER_ERROR_STATUS.invalid_request, "invalid-request", "bearer", {
              now,
              stale: false,
              bearerError: "invalid_request",
            })
          : fail(unauthorized, "malformed-credentials", "all", { now, stale: false });
      case "rejected":
        return isBearer
          ? fail(unauthorized, "invalid-token", "all", { now, stale: false, bearerError: "invalid_token" })
          : fail(unauthorized, "invalid-credentials", "all", { now, stale: false });
      case "insufficient-scope":
        return fail(BEARER_ERROR_STATUS.insufficient_scope, "insufficient-scope", "bearer", {
          now,
          stale: false,
          bearerError: "insufficient_scope",
        });
      case "stale":
        return fail(unauthorized, "stale-nonce", "all", { now, stale: true });
    }
  }

  async function authenticate(request: AuthRequest): Promise<AuthOutcome<Identity>> {
    if (typeof request !== "object" || request === null || typeof request.header !== "function") {
      throw new TypeError("authenticate() needs a request { method, url, header(name) }");
    }
    const now = clock();
    const context: RequestContext = { request, now, proxy, maxLength };
    const rawHeader = request.header(credentialsField);
    const header = typeof rawHeader === "string" ? rawHeader : undefined;

    // RFC 6750 §2: a token in more than one place is an invalid request.
    const elsewhere = bearer === undefined ? [] : await otherTokens(request, bearer.sources);
    const headerIsBearer = header !== undefined && leadingScheme(header) === "bearer";
    if (bearer !== undefined && elsewhere.length + (headerIsBearer ? 1 : 0) > 1) {
      return fail(400, "invalid-request", "bearer", { now, stale: false, bearerError: "invalid_request" });
    }

    if (header === undefined && elsewhere.length === 0) {
      if (missingCredentialsStatus === 403) return fail(403, "missing-credentials", "none", { now, stale: false });
      return fail(unauthorized, "missing-credentials", "all", { now, stale: false });
    }

    let handler: SchemeHandler<Identity> | undefined;
    if (header === undefined) {
      handler = bearer;
    } else {
      const name = leadingScheme(header);
      handler = configured.find((candidate) => candidate.name === name);
    }
    if (handler === undefined) return fail(unauthorized, "unsupported-scheme", "all", { now, stale: false });

    let throttleKey: string | undefined;
    if (throttleStore !== undefined && throttle !== undefined) {
      const username = header === undefined ? undefined : handler.username(header, context);
      throttleKey = JSON.stringify([request.clientAddress ?? "", username ?? ""]);
      const state = await throttleStore.get(throttleKey, now);
      if (state !== undefined && state.count >= throttle.maxFailures && state.resetAt > now) {
        const retryAfter = Math.max(1, Math.ceil((state.resetAt - now) / 1000));
        return fail(429, "throttled", "none", { now, stale: false }, [["Retry-After", String(retryAfter)]]);
      }
    }

    const result =
      header === undefined && bearer !== undefined
        ? await bearer.authenticateToken(elsewhere[0] ?? "", context)
        : await handler.authenticate(header ?? "", context);

    if (throttleStore !== undefined && throttleKey !== undefined && throttle !== undefined) {
      if (result.kind === "rejected" || result.kind === "malformed") {
        await throttleStore.hit(throttleKey, throttle.window * 1000, now);
      } else if (result.kind === "success") {
        await throttleStore.reset(throttleKey);
      }
    }
    return decide(handler, result, now);
  }

  return {
    authenticate,
    openapi() {
      const entries: Record<string, OpenAPISecurityScheme> = {};
      for (const handler of configured) entries[`${handler.name}Auth`] = handler.openapi();
      return entries;
    },
  };
}
