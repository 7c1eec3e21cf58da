/**
 * The open scheme interface: what {@linkcode createAuthenticator} needs from
 * an authentication scheme, and the request, header and OpenAPI shapes it
 * shares with the schemes. `basicAuth`, `bearerAuth` and `digestAuth` are
 * implementations of {@linkcode AuthSchemePolicy}; a scheme of your own (an
 * API key in a header, DPoP, …) implements the same interface.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";

/**
 * The name of a scheme policy: `basic`, `bearer`, `digest`, or the lower-case
 * name of a scheme of your own (`apikey`, `dpop`, …).
 */
export type AuthSchemeName = "basic" | "bearer" | "digest" | (string & {});

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
  /**
   * The client's address, for throttling: attempts are counted per address.
   * With throttling on, a request with credentials and no address makes
   * `authenticate()` reject with a `TypeError` (see `ThrottleOptions.missingClientAddress`).
   */
  clientAddress?: string | undefined;
  /**
   * The request body, read on demand: only for Bearer tokens in a form body
   * (RFC 6750 §2.2, opt-in) and Digest `auth-int`. Resolves to empty bytes
   * for a request without a body, and to `undefined` when the body is not
   * available (not read: over a size cap, or the runtime cannot see it);
   * leaving `body` out also means not available. Digest refuses `auth-int`
   * when the body is not available.
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
  | "insufficient-user-authentication"
  | "stale-nonce"
  | "invalid-dpop-proof"
  | "use-dpop-nonce"
  | "throttled";

/** What `verify` may return to refuse: `undefined`, `null` or `false`. */
export type Refusal = undefined | null | false;

/** One entry of OpenAPI 3.1's `components.securitySchemes`. */
export interface OpenAPISecurityScheme {
  /** Always `"http"`: an HTTP authentication scheme (RFC 9110 §11). */
  type: "http";
  /** The scheme's name: `basic`, `bearer`, `digest`, or a scheme of your own. */
  scheme: AuthSchemeName;
  /** For Bearer: a hint of the token's format, when one was configured. */
  bearerFormat?: string;
  /** The scheme, its RFC and the realm, in words, for people reading the API description. */
  description: string;
}

/** An OpenAPI 3.1 `securitySchemes` entry for a key sent outside `Authorization`: a header, query parameter or cookie. */
export interface OpenAPIAPIKeySecurityScheme {
  /** Always `"apiKey"`. */
  type: "apiKey";
  /** Where the key is sent. */
  in: "header" | "query" | "cookie";
  /** The header, query parameter or cookie name (`X-API-Key`). */
  name: string;
  /** The scheme in words, for people reading the API description. */
  description: string;
}

/**
 * What a scheme configuration is, seen from outside: its name, realm and
 * (phantom) identity type. Every {@linkcode AuthSchemePolicy} is one;
 * `createAuthenticator` needs the whole policy at run time.
 */
export interface AuthScheme<Identity> {
  /** The scheme's name. */
  readonly scheme: AuthSchemeName;
  /** The realm its challenges carry. */
  readonly realm: string | undefined;
  /** Type-level only: the identity `verify` produces. Never set. */
  readonly identity?: Identity;
}

/** What a scheme policy is told about the request it is asked about. */
export interface SchemeContext {
  /** The request. */
  readonly request: AuthRequest;
  /** The time of the request, in milliseconds since the epoch (the authenticator's clock). */
  readonly now: number;
  /** Whether the authenticator acts as a proxy (credentials from `Proxy-Authorization`, 407). */
  readonly proxy: boolean;
  /** The longest credentials value to parse, in characters. */
  readonly maxLength: number;
  /** The `Authorization` field (`Proxy-Authorization` as a proxy), when the request has one. */
  readonly authorization: string | undefined;
  /** Its auth-scheme, lower-cased (`""` when it does not start with a token); `undefined` without the field. */
  readonly authScheme: string | undefined;
  /**
   * Scopes this request needs beyond the policy's own: what the route gave
   * `authenticate(request, { scopes })`; empty when it gave none. A policy
   * whose credentials carry scopes (Bearer) refuses a token without them.
   */
  readonly scopes: readonly string[];
}

/** Credentials found for a policy: where, and the value. */
export interface SchemeCredentials {
  /**
   * Where they were found: `"authorization"` for the `Authorization` (or
   * `Proxy-Authorization`) field, whose whole value (auth-scheme included) is
   * `value`; otherwise the name a policy's `locate` gave (`"query"`, `"x-api-key"`).
   */
  readonly from: string;
  /** The credentials. */
  readonly value: string;
}

/** A policy's verdict on credentials addressed to it: accepted. */
export interface SchemeSuccess<Identity> {
  /** Always `true`. */
  readonly ok: true;
  /** Who the credentials stand for. */
  readonly identity: Identity;
  /** Headers for the response (Digest's `Authentication-Info`, DPoP's `DPoP-Nonce`). */
  readonly headers?: readonly HeaderLine[];
}

/** What a failure asks of its own scheme's challenge on the response. */
export interface ChallengeParameters {
  /** An `error` code (RFC 6750 §3.1, RFC 9449 §7.1): `invalid_token`, `insufficient_scope`, … */
  readonly error?: string;
  /** The scopes the resource needs (RFC 6750 §3). */
  readonly scope?: readonly string[];
  /** The nonce was stale: send a fresh one (RFC 7616 §3.3 `stale=true`). */
  readonly stale?: boolean;
  /** Step-up: the acceptable authentication context classes, in order of preference (RFC 9470 §3 `acr_values`). */
  readonly acrValues?: readonly string[];
  /** Step-up: the longest time since the user authenticated, in seconds (RFC 9470 §3 `max_age`). */
  readonly maxAge?: number;
}

/**
 * A policy's verdict on credentials addressed to it: refused. The
 * authenticator's table turns it into the response: 401 (407 as a proxy)
 * with every scheme's challenges; 400 and 403 with this scheme's only.
 */
export interface SchemeFailure {
  /** Always `false`. */
  readonly ok: false;
  /** 401: authenticate (again); 400: a malformed request; 403: authenticated, not allowed. */
  readonly status: 400 | 401 | 403;
  /** Why, for logs and metrics; also picks the body's text. */
  readonly reason: AuthFailureReason;
  /** Handed back to this policy's `challenges` when the response is written. */
  readonly challenge?: ChallengeParameters;
  /** Headers for the response besides the challenges (DPoP's `DPoP-Nonce` with `use_dpop_nonce`, RFC 9449 §9). */
  readonly headers?: readonly HeaderLine[];
}

/** What a policy concludes about credentials addressed to it. */
export type SchemeVerdict<Identity> = SchemeSuccess<Identity> | SchemeFailure;

/** What a policy is told when the authenticator writes its challenges. */
export interface SchemeChallengeContext {
  /** The request being answered (for a challenge that depends on it, such as Bearer's `resource_metadata`). */
  readonly request: AuthRequest;
  /** The scopes the request needs beyond the policy's own, as in {@linkcode SchemeContext.scopes}. */
  readonly scopes: readonly string[];
  /** The time of the request, in milliseconds since the epoch. */
  readonly now: number;
  /** Whether the authenticator acts as a proxy. */
  readonly proxy: boolean;
  /** This policy's own failure, when the response answers one; `undefined` otherwise. */
  readonly failure: SchemeFailure | undefined;
}

/**
 * An authentication scheme as {@linkcode createAuthenticator} uses it: how it
 * recognises its credentials, how it verifies them, what it counts failures
 * by, and what it sends when it refuses. `basicAuth`, `bearerAuth` and
 * `digestAuth` return one; implement it to add a scheme of your own.
 *
 * The authenticator decides which policy answers a request: the one whose
 * `authSchemes` holds the auth-scheme of the `Authorization` field when there
 * is one (401 `unsupported-scheme` when none does), otherwise the first, in
 * configured order, whose `locate` found credentials. It then asks
 * `throttleKey`, `verify`, and on failure every policy's `challenges`.
 *
 * @example An API key in the `X-API-Key` header
 * ```ts
 * import assert from "node:assert/strict";
 * import { type AuthSchemePolicy, createAuthenticator } from "@httpauth/core";
 *
 * const apiKey: AuthSchemePolicy<string> = {
 *   scheme: "apikey",
 *   realm: undefined,
 *   authSchemes: [],
 *   locate: (request) => {
 *     const value = request.header("x-api-key");
 *     return typeof value === "string" ? { from: "x-api-key", value } : undefined;
 *   },
 *   verify: (credentials) =>
 *     credentials.value === "k3y"
 *       ? { ok: true, identity: "service-a" }
 *       : { ok: false, status: 401, reason: "invalid-credentials" },
 *   challenges: () => [{ scheme: "APIKey", params: { header: "X-API-Key" } }],
 *   openapi: () => ({ type: "apiKey", in: "header", name: "X-API-Key", description: "An API key" }),
 * };
 * const authenticator = createAuthenticator({ schemes: [apiKey] });
 * const outcome = await authenticator.authenticate({
 *   method: "GET",
 *   url: "/",
 *   header: (name) => (name === "x-api-key" ? "k3y" : undefined),
 * });
 * assert.deepEqual(outcome, { ok: true, scheme: "apikey", identity: "service-a", headers: [] });
 * ```
 */
export interface AuthSchemePolicy<Identity> extends AuthScheme<Identity> {
  /** A lower-case name, unique among the configured schemes: `AuthSuccess.scheme` and the `openapi()` key (`${scheme}Auth`). */
  readonly scheme: AuthSchemeName;
  /** The realm its challenges carry, if any. */
  readonly realm: string | undefined;
  /**
   * The auth-schemes (lower-case) whose `Authorization` credentials it
   * verifies: `["basic"]`, `["token"]`. Empty for a policy that reads only
   * other places (a header such as `X-API-Key`) through `locate`.
   */
  readonly authSchemes: readonly string[];
  /**
   * Looks for credentials outside the `Authorization` field, before any
   * policy verifies anything; called for every request, in configured order.
   * Returns what it found, `undefined`, or a failure that answers the request
   * at once (a Bearer token sent in two places: 400, RFC 6750 §2).
   */
  locate?(
    request: AuthRequest,
    context: SchemeContext,
  ): SchemeCredentials | SchemeFailure | undefined | Promise<SchemeCredentials | SchemeFailure | undefined>;
  /**
   * What failures are counted by, beside the client address: the canonical
   * identity verification will use (a decoded user name, never the raw
   * spelling of the header), or `undefined` for none — then attempts are
   * counted per client address only, as for Bearer tokens. Called before
   * `verify`, only when throttling is on.
   */
  throttleKey?(credentials: SchemeCredentials, context: SchemeContext): string | undefined;
  /**
   * Verifies credentials addressed to it. Refusals are verdicts; an
   * exception propagates out of `authenticate` (the app answers 500).
   */
  verify(
    credentials: SchemeCredentials,
    context: SchemeContext,
  ): SchemeVerdict<Identity> | Promise<SchemeVerdict<Identity>>;
  /**
   * The challenges it sends, one field line each, in order. Return the same
   * frozen object for a challenge that never changes: its line is then
   * serialized once.
   */
  challenges(context: SchemeChallengeContext): readonly Challenge[] | Promise<readonly Challenge[]>;
  /** Its OpenAPI 3.1 `securitySchemes` entry. */
  openapi(): OpenAPISecurityScheme | OpenAPIAPIKeySecurityScheme;
}
