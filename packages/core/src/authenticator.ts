/**
 * The decision: which status and which challenges answer each request, for
 * any list of scheme policies (see {@linkcode createAuthenticator} for the
 * table). The schemes themselves live in `policies/`.
 *
 * @module
 */

import { DEFAULT_MAX_LENGTH } from "./grammar/scanner.ts";
import type { Setup } from "./internal/decision.ts";
import { decide, finish } from "./internal/decision.ts";
import { isThenable } from "./internal/maybe-promise.ts";
import { checkFailureResponse } from "./internal/outcome-hooks.ts";
import type { ThrottleSettings } from "./internal/throttle-gate.ts";
import type {
  AuthFailureReason,
  AuthRequest,
  AuthScheme,
  AuthSchemeName,
  AuthSchemePolicy,
  HeaderLine,
  OpenAPIAPIKeySecurityScheme,
  OpenAPISecurityScheme,
} from "./policies/types.ts";
import type { ThrottleStore } from "./throttle.ts";
import { createMemoryThrottleStore } from "./throttle.ts";

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

/**
 * Throttling: attempts are counted *before* credentials are verified, and
 * over a limit the answer is 429 with `Retry-After`, without verifying.
 *
 * - Per client address and canonical identity (Basic: the decoded user name;
 *   Digest: the decoded `username`/`username*`, or the lower-cased
 *   `userhash`): `maxFailures` in the window.
 * - Per client address, across every name and scheme (password spraying,
 *   token guessing, malformed credentials): `maxFailuresPerAddress`. A scheme
 *   without an identity before verification (Bearer, API keys) is counted
 *   per address only.
 * - A success resets its identity's count and takes back only its own
 *   attempt from the address: a valid low-privilege token interleaved with
 *   guesses does not wipe the guesses. A stale Digest nonce, a 403 and a
 *   `verify` that throws are not counted as failures.
 * - **A request with no client address is refused** (`authenticate()`
 *   rejects with a `TypeError` saying what to configure) rather than sharing
 *   one counter between unrelated clients; see `missingClientAddress`.
 * - Requests in flight count: a client sending more than `maxFailures`
 *   requests for one identity at the same instant may get 429 for the excess
 *   until the others are verified.
 *
 * @example Ten concurrent wrong guesses: only three are verified
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator, serializeBasicCredentials } from "@httpauth/core";
 *
 * let verified = 0;
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", verify: async () => (verified++, undefined) })],
 *   throttle: { maxFailures: 3, window: 60 },
 * });
 * const authorization = serializeBasicCredentials({ username: "ada", password: "guess" });
 * const request = { method: "GET", url: "/", clientAddress: "192.0.2.7", header: () => authorization };
 * const outcomes = await Promise.all(Array.from({ length: 10 }, () => authenticator.authenticate(request)));
 * assert.equal(verified, 3);
 * assert.equal(outcomes.filter((outcome) => !outcome.ok && outcome.status === 429).length, 7);
 * ```
 */
export interface ThrottleOptions {
  /** Failures allowed per client address and identity within the window. */
  maxFailures: number;
  /** Failures allowed per client address across every identity within the window. Default `10 * maxFailures`. */
  maxFailuresPerAddress?: number;
  /** The window, in seconds. */
  window: number;
  /** Where attempts are counted; in memory by default. Share one store (Redis, Deno KV) across instances. */
  store?: ThrottleStore;
  /**
   * A request with credentials but no `clientAddress`: `"reject"` (the
   * default) makes `authenticate()` reject with a `TypeError` naming the
   * option to set; `"count-by-identity"` counts it by identity alone — so
   * anyone can lock any user out — and does not throttle schemes without an
   * identity (Bearer) at all. Never one counter shared by every client.
   */
  missingClientAddress?: "reject" | "count-by-identity";
}

/**
 * The request as `onSuccess` and `onFailure` see it: never a header, nor the
 * query (a Bearer token may be sent in it).
 */
export interface AuthEventRequest {
  /** The request method. */
  readonly method: string;
  /** The request path, without the query. */
  readonly path: string;
  /** The client's address, when the runtime gave one. */
  readonly clientAddress: string | undefined;
}

/** What `onSuccess` is told: who, by which scheme, on which request. Never the credentials. */
export interface AuthSuccessEvent<Identity> {
  /** The scheme that authenticated the request. */
  readonly scheme: AuthSchemeName;
  /** The identity `verify` returned. */
  readonly identity: Identity;
  /** The request, without headers or query. */
  readonly request: AuthEventRequest;
}

/** What `onFailure` is told: the status and reason, on which request. Never the credentials. */
export interface AuthFailureEvent {
  /** The status of the response (400, 401, 403, 407, 429). */
  readonly status: AuthFailure["status"];
  /** Why. */
  readonly reason: AuthFailureReason;
  /** The request, without headers or query. */
  readonly request: AuthEventRequest;
}

/**
 * A failure body of the app's own: a string (sent as `text/plain`), an
 * object (sent as `application/json`), or a function of the failure that
 * returns either. The status and the challenge lines stay as decided.
 *
 * @example A JSON body and an audit hook
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 *
 * const audit: string[] = [];
 * const authenticator = createAuthenticator({
 *   schemes: [basicAuth({ realm: "api", users: { alice: "wonderland" } })],
 *   failureResponse: (failure) => ({ error: failure.reason }),
 *   onFailure: (event) => {
 *     audit.push(`${event.status} ${event.reason} ${event.request.path}`);
 *   },
 * });
 * const outcome = await authenticator.authenticate({ method: "GET", url: "/admin?x=1", header: () => null });
 * assert.equal(outcome.ok, false);
 * if (!outcome.ok) {
 *   assert.equal(outcome.status, 401);
 *   assert.equal(outcome.body, '{"error":"missing-credentials"}');
 *   assert.deepEqual(outcome.headers[0], ["WWW-Authenticate", 'Basic realm="api", charset="UTF-8"']);
 * }
 * assert.deepEqual(audit, ["401 missing-credentials /admin"]);
 * ```
 */
export type FailureResponse =
  | string
  | Readonly<Record<string, unknown>>
  | ((failure: AuthFailure) => string | Readonly<Record<string, unknown>>);

/** Options of {@linkcode createAuthenticator}. */
export interface AuthenticatorOptions<Schemes extends readonly AuthScheme<unknown>[]> {
  /**
   * The scheme policies offered, in order of preference: one challenge line
   * each (or more, for Digest with several algorithms), in this order.
   * Each is an {@linkcode AuthSchemePolicy}: `basicAuth()`, `bearerAuth()`,
   * `digestAuth()`, or one of your own.
   */
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
  /**
   * Let scripts in browsers read the authentication headers of a
   * cross-origin response: every outcome then carries
   * `Access-Control-Expose-Headers` with {@linkcode EXPOSED_AUTH_HEADERS}
   * (`WWW-Authenticate`, `Authentication-Info`, `DPoP-Nonce`, `Retry-After`),
   * which the Fetch standard hides otherwise. It is one half of CORS: the
   * app still answers `Access-Control-Allow-Origin` (see the runtime
   * packages' `cors` examples). Off by default.
   */
  exposeHeaders?: boolean;
  /**
   * The body of every failure response, instead of the built-in one (see
   * {@linkcode FailureResponse}); status and challenges are unchanged. An
   * exception thrown by a function propagates out of `authenticate`.
   */
  failureResponse?: FailureResponse;
  /**
   * Called after each success, for audit logs; awaited before `authenticate`
   * resolves. An exception thrown here propagates out of `authenticate` (the
   * app answers 500): an audit trail that cannot be written does not let
   * requests through unrecorded.
   */
  onSuccess?: (event: AuthSuccessEvent<IdentityOf<Schemes[number]>>) => void | Promise<void>;
  /** Called after each failure, as `onSuccess`; exceptions propagate the same way. */
  onFailure?: (event: AuthFailureEvent) => void | Promise<void>;
}

/**
 * The authentication headers a script may need to read on a cross-origin
 * response, which CORS hides unless named in `Access-Control-Expose-Headers`
 * (Fetch standard, "CORS-safelisted response-header name"): the challenges,
 * Digest's `Authentication-Info`, DPoP's `DPoP-Nonce` (RFC 9449 §8) and
 * `Retry-After` of a 429.
 *
 * @example Expose them from your own CORS layer
 * ```ts
 * import assert from "node:assert/strict";
 * import { EXPOSED_AUTH_HEADERS } from "@httpauth/core";
 *
 * const headers = new Headers({ "Access-Control-Allow-Origin": "https://app.example" });
 * headers.set("Access-Control-Expose-Headers", EXPOSED_AUTH_HEADERS.join(", "));
 * assert.equal(headers.get("access-control-expose-headers"), "WWW-Authenticate, Authentication-Info, DPoP-Nonce, Retry-After");
 * ```
 */
export const EXPOSED_AUTH_HEADERS: readonly string[] = Object.freeze([
  "WWW-Authenticate",
  "Authentication-Info",
  "DPoP-Nonce",
  "Retry-After",
]);

const EXPOSE_LINE: HeaderLine = ["Access-Control-Expose-Headers", EXPOSED_AUTH_HEADERS.join(", ")];

/** Options of {@linkcode Authenticator.authenticate}: what this request needs beyond the configuration. */
export interface AuthenticateOptions {
  /**
   * Scopes this route needs on top of each scheme's own (RFC 6750 §3.1): a
   * Bearer token without them all is answered 403 `insufficient_scope`
   * naming every scope needed. Schemes without scopes (Basic, Digest)
   * ignore them: give a route that needs scopes only schemes that carry them.
   */
  scopes?: readonly string[];
}

/** Authenticates requests against the configured schemes. */
export interface Authenticator<Identity> {
  /**
   * Decides a request: who it is, or the complete failure response.
   * Rejects with what a `verify` callback or the throttle store throws, with a
   * `TypeError` for a malformed request or `options.scopes`, and, with throttling
   * on, a `TypeError` for a request with no client address.
   */
  authenticate(request: AuthRequest, options?: AuthenticateOptions): Promise<AuthOutcome<Identity>>;
  /** The OpenAPI 3.1 `securitySchemes` entries for the configured schemes, keyed `${scheme}Auth`. */
  openapi(): Record<string, OpenAPISecurityScheme | OpenAPIAPIKeySecurityScheme>;
}

/** The identity type of a list of schemes. */
export type IdentityOf<Scheme> = Scheme extends AuthScheme<infer Identity> ? Identity : never;

// ── Configuration ───────────────────────────────────────────────────────────

/** Whether `value` has the members of an {@linkcode AuthSchemePolicy}, with the right types. */
function isPolicy(value: unknown): value is AuthSchemePolicy<unknown> {
  if (typeof value !== "object" || value === null) return false;
  const policy = value as Partial<AuthSchemePolicy<unknown>>;
  return (
    typeof policy.scheme === "string" &&
    policy.scheme !== "" &&
    Array.isArray(policy.authSchemes) &&
    policy.authSchemes.every((name) => typeof name === "string") &&
    typeof policy.verify === "function" &&
    typeof policy.challenges === "function" &&
    typeof policy.openapi === "function" &&
    (policy.locate === undefined || typeof policy.locate === "function") &&
    (policy.throttleKey === undefined || typeof policy.throttleKey === "function")
  );
}

/** Checks the scheme list: policies, no name twice, no auth-scheme claimed twice. */
function checkPolicies<Identity>(schemes: unknown): Pick<Setup<Identity>, "policies" | "byAuthScheme" | "locating"> {
  if (!Array.isArray(schemes) || schemes.length === 0) {
    throw new TypeError("createAuthenticator(): give at least one scheme (basicAuth, bearerAuth, digestAuth)");
  }
  const policies: AuthSchemePolicy<Identity>[] = [];
  const byAuthScheme = new Map<string, AuthSchemePolicy<Identity>>();
  for (const policy of schemes) {
    if (!isPolicy(policy)) {
      throw new TypeError(
        "createAuthenticator(): every scheme must be a scheme policy: basicAuth(), bearerAuth(), digestAuth() or an AuthSchemePolicy",
      );
    }
    if (policies.some((other) => other.scheme === policy.scheme)) {
      throw new TypeError(`createAuthenticator(): the ${policy.scheme} scheme is configured twice`);
    }
    for (const name of policy.authSchemes) {
      const key = name.toLowerCase();
      if (byAuthScheme.has(key)) throw new TypeError(`createAuthenticator(): two schemes read ${key} credentials`);
      byAuthScheme.set(key, policy as AuthSchemePolicy<Identity>);
    }
    policies.push(policy as AuthSchemePolicy<Identity>);
  }
  return { policies, byAuthScheme, locating: policies.filter((policy) => policy.locate !== undefined) };
}

/** Checks and defaults the throttle options. */
function checkThrottle(throttle: ThrottleOptions): ThrottleSettings {
  const { maxFailures, window, missingClientAddress = "reject" } = throttle;
  const maxFailuresPerAddress = throttle.maxFailuresPerAddress ?? 10 * maxFailures;
  if (!Number.isSafeInteger(maxFailures) || maxFailures < 1) {
    throw new RangeError("createAuthenticator(): throttle.maxFailures must be a positive whole number");
  }
  if (!Number.isSafeInteger(maxFailuresPerAddress) || maxFailuresPerAddress < 1) {
    throw new RangeError("createAuthenticator(): throttle.maxFailuresPerAddress must be a positive whole number");
  }
  if (!(window > 0) || !Number.isFinite(window)) {
    throw new RangeError("createAuthenticator(): throttle.window must be a positive number of seconds");
  }
  if (missingClientAddress !== "reject" && missingClientAddress !== "count-by-identity") {
    throw new TypeError('createAuthenticator(): throttle.missingClientAddress is "reject" or "count-by-identity"');
  }
  const store = throttle.store ?? createMemoryThrottleStore();
  if (typeof store?.hit !== "function" || typeof store.release !== "function" || typeof store.reset !== "function") {
    throw new TypeError("createAuthenticator(): throttle.store must have hit, release and reset (see ThrottleStore)");
  }
  return { maxFailures, maxFailuresPerAddress, windowMs: window * 1000, store, missingClientAddress };
}

/** Checks and defaults the options other than `schemes`. */
function checkOptions<Identity>(options: AuthenticatorOptions<readonly AuthScheme<unknown>[]>): Setup<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("createAuthenticator() needs { schemes }");
  const { proxy = false, missingCredentialsStatus = 401, problemDetails = false, throttle } = options;
  const policies = checkPolicies<Identity>(options.schemes);
  if (missingCredentialsStatus !== 401 && missingCredentialsStatus !== 403) {
    throw new TypeError("createAuthenticator(): missingCredentialsStatus is 401 (RFC 9110) or 403 (legacy)");
  }
  const { failureResponse, onSuccess, onFailure } = options;
  checkFailureResponse(failureResponse);
  if (onSuccess !== undefined && typeof onSuccess !== "function") {
    throw new TypeError("createAuthenticator(): onSuccess must be a function");
  }
  if (onFailure !== undefined && typeof onFailure !== "function") {
    throw new TypeError("createAuthenticator(): onFailure must be a function");
  }
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 1) {
    throw new RangeError("createAuthenticator(): maxLength must be a positive whole number");
  }
  return {
    ...policies,
    proxy,
    unauthorized: proxy ? 407 : 401,
    missingCredentialsStatus,
    problemDetails,
    throttle: throttle === undefined ? undefined : checkThrottle(throttle),
    maxLength,
    clock: options.now ?? Date.now,
    exposeLine: options.exposeHeaders === true ? EXPOSE_LINE : undefined,
    failureResponse,
    onSuccess: onSuccess as Setup<unknown>["onSuccess"],
    onFailure,
  };
}

/**
 * Creates the authenticator: the one place that maps every outcome to its
 * status and challenges, for any list of scheme policies, by this table:
 *
 * | situation | status | sent |
 * |---|---|---|
 * | no credentials | 401 (407 as a proxy) | every scheme's challenges, one line each, in configured order; Bearer without `error` |
 * | `missingCredentialsStatus: 403`, no credentials | 403 | nothing: the old, non-conforming behaviour |
 * | a policy's `locate` refuses how credentials were sent: a Bearer token in more than one place (RFC 6750 §2) | 400 | that scheme's challenges only: `Bearer error="invalid_request"` |
 * | an `Authorization` auth-scheme no policy reads | 401 (407) | every challenge |
 * | too many failures (`throttle` on), before verifying | 429 | `Retry-After`, no challenge |
 * | the policy's verdict is 401: malformed Basic or Digest, wrong password, Bearer token rejected, Digest nonce expired | 401 (407) | every challenge; the failing scheme's with its own parameters (Bearer `error="invalid_token"`, Digest `stale=true`) |
 * | the policy's verdict is 400: malformed Bearer | 400 | that scheme's challenges only: `Bearer error="invalid_request"` |
 * | the policy's verdict is 403: Bearer token valid, scope missing (the policy's, or the route's from `authenticate(request, { scopes })`) | 403 | that scheme's challenges only: `Bearer error="insufficient_scope", scope="…"` naming every scope needed |
 * | Bearer `verify` asks for step-up (RFC 9470) | 401 (407) | every challenge; Bearer's with `error="insufficient_user_authentication"`, `acr_values`, `max_age`; not counted by throttling |
 * | the policy accepts | — | `{ ok: true, scheme, identity }`, with its headers (`Authentication-Info` for Digest) |
 *
 * Which policy answers: the one whose `authSchemes` holds the auth-scheme of
 * the `Authorization` field (`Proxy-Authorization` as a proxy) when the
 * request has that field; otherwise the first, in configured order, whose
 * `locate` found credentials (a Bearer token in the query or a form body, an
 * `X-API-Key` header). A failure from `locate` is answered as the same
 * verdict would be. Throttling (see {@linkcode ThrottleOptions}) counts each
 * attempt before verifying it, per client address and per address and the
 * policy's `throttleKey`; a 400 or 401 verdict stays counted, a success, a
 * 403 or a stale nonce is taken back.
 *
 * - `verify` callbacks may be async. An exception thrown inside one is not
 *   turned into a 401: it propagates out of `authenticate`, so the app
 *   answers 500 — a database outage must not look like a wrong password.
 * - Failure responses carry a short plain-text body, or RFC 9457 problem
 *   details with `problemDetails: true`; neither ever repeats a credential.
 *
 * @typeParam Schemes The scheme policies, as written. The constraint leaves
 *   the identity out on purpose: a factory called inline then infers its
 *   identity from its own options (`digestAuth`'s default `string`), not
 *   `unknown` from the constraint, so inline and hoisted lists type alike.
 * @param options The schemes, and `proxy`, `missingCredentialsStatus`, `problemDetails`, `throttle`, `maxLength`, `now`,
 *   `exposeHeaders` (every outcome carries `Access-Control-Expose-Headers` with {@linkcode EXPOSED_AUTH_HEADERS}),
 *   `failureResponse`, `onSuccess`, `onFailure`.
 * @returns The authenticator.
 * @throws {TypeError} If `schemes` is empty, holds something that is not a
 *   scheme policy, names a scheme twice or has two schemes read the same
 *   auth-scheme; or an option is out of range.
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
export function createAuthenticator<const Schemes extends readonly Omit<AuthScheme<unknown>, "identity">[]>(
  options: AuthenticatorOptions<Schemes>,
): Authenticator<IdentityOf<Schemes[number]>> {
  type Identity = IdentityOf<Schemes[number]>;
  const setup = checkOptions<Identity>(options);
  const all = setup.policies;
  return {
    authenticate(request, options) {
      // One resolved promise when every step answered at once; a rejection for what a step throws.
      try {
        const decided = decide(setup, request, options);
        return Promise.resolve(
          isThenable(decided)
            ? Promise.resolve(decided).then((outcome) => finish(setup, request, outcome))
            : finish(setup, request, decided),
        );
      } catch (error) {
        return Promise.reject(error);
      }
    },
    openapi() {
      const entries: Record<string, OpenAPISecurityScheme | OpenAPIAPIKeySecurityScheme> = {};
      for (const policy of all) entries[`${policy.scheme}Auth`] = policy.openapi();
      return entries;
    },
  };
}
