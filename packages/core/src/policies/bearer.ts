/**
 * The Bearer scheme (RFC 6750) as a policy of the authenticator: tokens from
 * the `Authorization` field and, when enabled, a form body or the query;
 * 400 `invalid_request`, 401 `invalid_token` and 403 `insufficient_scope`.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { isHTTPAuthError } from "../errors.ts";
import { assertFunction, freezeChallenge, isRefusal, requestTarget } from "../internal/policy-support.ts";
import { isRealmFunction, realmResolver } from "../internal/realm.ts";
import {
  checkMetadataOption,
  isStepUp,
  missingScopes,
  stepUpParameters,
  unionScopes,
} from "../internal/token-policy.ts";
import type { ResourceMetadata } from "../resource-metadata.ts";
import type { BearerChallengeOptions, BearerError } from "../schemes/bearer.ts";
import { BEARER_ERROR_STATUS, createBearerChallenge, isB64Token, parseBearerCredentials } from "../schemes/bearer.ts";
import type {
  AuthFailureReason,
  AuthRequest,
  AuthSchemePolicy,
  ChallengeParameters,
  Refusal,
  SchemeChallengeContext,
  SchemeContext,
  SchemeCredentials,
  SchemeFailure,
  SchemeVerdict,
} from "./types.ts";

/** What a Bearer `verify` returns for a token it accepts. */
export interface BearerGrant<Identity> {
  /** Who the token stands for. */
  identity: Identity;
  /** The scopes the token grants, checked against `scopes`. */
  scopes?: readonly string[];
  /**
   * The token's confirmation (RFC 7800): `jkt` for a DPoP-bound token (RFC
   * 9449 §6). `bearerAuth` refuses a token with `cnf.jkt` (`invalid_token`,
   * RFC 9449 §7.2): it must come with `DPoP`, not `Bearer`.
   */
  cnf?: { jkt?: string };
}

/**
 * Where a Bearer token may come from (RFC 6750 §2). Wherever it comes from,
 * the token must be a b64token (RFC 6750 §2.1), or the request is 400
 * `invalid_request` and `verify` never sees it: in a form body or query,
 * percent-encode a `+` of the token as `%2B` (a bare `+` decodes to a space).
 */
export interface BearerTokenSources {
  /** The `Authorization` header (RFC 6750 §2.1). Always on. */
  header?: true;
  /** An `access_token` field of an `application/x-www-form-urlencoded` body (RFC 6750 §2.2). Default off. */
  body?: boolean;
  /** An `access_token` query parameter (RFC 6750 §2.3). Default off: URLs end up in logs. */
  query?: boolean;
}

/**
 * What a Bearer `verify` returns to ask for a stronger or more recent login
 * (step-up, RFC 9470 §3): 401 with `error="insufficient_user_authentication"`
 * and the `acr_values` and `max_age` given here.
 */
export interface BearerStepUp {
  /** Always `"insufficient_user_authentication"`. */
  error: "insufficient_user_authentication";
  /** The acceptable authentication context classes, in order of preference: a list, or one space-separated string. */
  acrValues?: string | readonly string[];
  /** The longest time since the user authenticated, in seconds. */
  maxAge?: number;
}

/**
 * Where the resource's Protected Resource Metadata is (RFC 9728): what
 * {@linkcode createResourceMetadata} returned, or its URL.
 */
export type ResourceMetadataSource = string | Pick<ResourceMetadata, "url">;

/** Options of {@linkcode bearerAuth}. */
export interface BearerAuthOptions<Identity> {
  /**
   * The realm of the challenge (optional for Bearer, recommended): a string,
   * checked when the policy is made, or a function of the request (a realm
   * per host), whose result is checked for each challenge (see {@linkcode bearerAuth}).
   */
  realm?: string | ((request: AuthRequest) => string);
  /**
   * Checks a token; returns a grant, a step-up demand
   * (`{ error: "insufficient_user_authentication", acrValues?, maxAge? }`,
   * RFC 9470), or `undefined`, `null` or `false` for a token that is
   * invalid, expired or revoked. Exceptions propagate.
   */
  verify: (
    token: string,
    request: AuthRequest,
  ) => BearerGrant<Identity> | BearerStepUp | Refusal | Promise<BearerGrant<Identity> | BearerStepUp | Refusal>;
  /** Scopes every request needs; a valid token without them gets 403 `insufficient_scope`. */
  scopes?: readonly string[];
  /** Where tokens are read from; only the header by default. */
  sources?: BearerTokenSources;
  /** For `openapi()`: a hint such as `"JWT"`. */
  bearerFormat?: string;
  /**
   * The resource's Protected Resource Metadata (RFC 9728), named in every
   * Bearer challenge as `resource_metadata` (§5.1): what
   * {@linkcode createResourceMetadata} returned (the same object then serves
   * the document, so the two cannot disagree), its URL, or a function of the
   * request returning either (for an origin known only per request). An
   * absolute `https` URL; `http` only on a loopback host.
   */
  resourceMetadata?: ResourceMetadataSource | ((request: AuthRequest) => ResourceMetadataSource);
}

const REASON: Readonly<Record<BearerError, AuthFailureReason>> = {
  invalid_request: "invalid-request",
  invalid_token: "invalid-token",
  insufficient_scope: "insufficient-scope",
  insufficient_user_authentication: "insufficient-user-authentication",
};

type FixedError = "invalid_request" | "invalid_token" | "insufficient_scope";

/** The failure each fixed Bearer error is, with its status from RFC 6750 §3.1, made once. */
const FAILURE: Readonly<Record<FixedError, SchemeFailure>> = {
  invalid_request: bearerFailure("invalid_request"),
  invalid_token: bearerFailure("invalid_token"),
  insufficient_scope: bearerFailure("insufficient_scope"),
};

function bearerFailure(error: BearerError, parameters: Omit<ChallengeParameters, "error"> = {}): SchemeFailure {
  return Object.freeze({
    ok: false,
    status: BEARER_ERROR_STATUS[error],
    reason: REASON[error],
    challenge: Object.freeze({ error, ...parameters }),
  });
}

/** A step-up demand as a failure, checked (a bad one is the app's bug: TypeError). */
function stepUpFailure(demand: BearerStepUp): SchemeFailure {
  return bearerFailure("insufficient_user_authentication", stepUpParameters(demand, "bearerAuth"));
}

/** `application/x-www-form-urlencoded`, ignoring case and parameters. */
function isFormContentType(value: string | null | undefined): boolean {
  if (typeof value !== "string") return false;
  const semicolon = value.indexOf(";");
  const type = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  return type === "application/x-www-form-urlencoded";
}

/** Every `access_token` found outside the header, when those sources are on, with where it was. */
async function otherTokens(request: AuthRequest, sources: BearerTokenSources): Promise<SchemeCredentials[]> {
  const tokens: SchemeCredentials[] = [];
  if (sources.query === true) {
    const query = requestTarget(request.url);
    const mark = query.indexOf("?");
    if (mark !== -1) {
      for (const value of new URLSearchParams(query.slice(mark + 1)).getAll("access_token")) {
        tokens.push({ from: "query", value });
      }
    }
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
      for (const value of new URLSearchParams(new TextDecoder().decode(bytes)).getAll("access_token")) {
        tokens.push({ from: "body", value });
      }
    }
  }
  return tokens;
}

/** The four fixed challenges of a Bearer configuration, built (and so checked) once. */
function bearerChallenges(
  base: BearerChallengeOptions,
  scopes: readonly string[],
): Record<FixedError | "plain", Challenge> {
  return {
    plain: freezeChallenge(createBearerChallenge(base)),
    invalid_request: freezeChallenge(createBearerChallenge({ ...base, error: "invalid_request" })),
    invalid_token: freezeChallenge(createBearerChallenge({ ...base, error: "invalid_token" })),
    insufficient_scope: freezeChallenge(
      createBearerChallenge(
        scopes.length > 0
          ? { ...base, error: "insufficient_scope", scope: scopes }
          : { ...base, error: "insufficient_scope" },
      ),
    ),
  };
}

/** The challenge for a failure whose parameters vary (route scopes, step-up), or with a per-request URL. */
function variableChallenge(
  base: BearerChallengeOptions,
  scopes: readonly string[],
  parameters: ChallengeParameters | undefined,
): Challenge {
  const error = parameters?.error as BearerError | undefined;
  const options: BearerChallengeOptions = { ...base };
  if (error !== undefined) options.error = error;
  if (error === "insufficient_scope") {
    const needed = parameters?.scope ?? scopes;
    if (needed.length > 0) options.scope = needed;
  }
  if (error === "insufficient_user_authentication") {
    if (parameters?.acrValues !== undefined) options.acrValues = parameters.acrValues;
    if (parameters?.maxAge !== undefined) options.maxAge = parameters.maxAge;
  }
  return createBearerChallenge(options);
}

/** The checked options of {@linkcode bearerAuth}: the static part of the challenge, and the functions if any. */
function checkBearerOptions<Identity>(options: BearerAuthOptions<Identity>): {
  base: BearerChallengeOptions;
  scopes: readonly string[];
  metadataFor: ((request: AuthRequest) => string) | undefined;
  realmFor: ((request: AuthRequest) => string) | undefined;
} {
  if (typeof options !== "object" || options === null) throw new TypeError("bearerAuth() needs { verify }");
  assertFunction(options.verify, "bearerAuth(): verify");
  const { realm } = options;
  const scopes = options.scopes ?? [];
  const realmFor = isRealmFunction(realm, "bearerAuth()", true) ? realm : undefined;
  const base: BearerChallengeOptions = typeof realm === "string" ? { realm } : {};
  const { fixed, metadataFor } = checkMetadataOption(options.resourceMetadata, "bearerAuth(): resourceMetadata");
  if (fixed !== undefined) base.resourceMetadata = fixed;
  return { base, scopes, metadataFor, realmFor };
}

/** The fixed challenges of a configuration, each also as a frozen one-challenge list. */
interface FixedChallenges {
  base: BearerChallengeOptions;
  challenges: Record<FixedError | "plain", Challenge>;
  lists: ReadonlyMap<Challenge, readonly Challenge[]>;
}

/** Builds (and so checks) the fixed challenges for `base`. */
function fixedChallenges(base: BearerChallengeOptions, scopes: readonly string[]): FixedChallenges {
  const challenges = bearerChallenges(base, scopes);
  const lists = new Map<Challenge, readonly Challenge[]>(
    Object.values(challenges).map((challenge) => [challenge, Object.freeze([challenge])]),
  );
  return { base, challenges, lists };
}

/**
 * The token of credentials addressed to Bearer, or `undefined` when it is
 * malformed (400 `invalid_request`). A token from a form body or the query
 * gets the same b64token syntax check as the header (RFC 6750 §2.1), which
 * could otherwise hand `verify` "", CR, LF or any other character.
 */
function readToken(credentials: SchemeCredentials, maxLength: number): string | undefined {
  if (credentials.from !== "authorization") return isB64Token(credentials.value) ? credentials.value : undefined;
  try {
    return parseBearerCredentials(credentials.value, { maxLength }).token;
  } catch (error) {
    if (isHTTPAuthError(error)) return undefined;
    throw error;
  }
}

/**
 * Configures the Bearer scheme (RFC 6750) for {@linkcode createAuthenticator}.
 * A malformed token (not a b64token, RFC 6750 §2.1, wherever it was sent:
 * header, form body or query), or a token sent in more than one place
 * (RFC 6750 §2), is 400 `invalid_request` with the Bearer challenge only; a
 * refused token 401 `invalid_token`; a token without the `scopes` (the
 * policy's, and the route's from `authenticate(request, { scopes })`) 403
 * `insufficient_scope` naming them; a step-up demand from `verify` 401
 * `insufficient_user_authentication` with `acr_values` and `max_age`
 * (RFC 9470 §3). With `resourceMetadata`, every Bearer challenge carries
 * `resource_metadata` (RFC 9728 §5.1). Failures are counted per client
 * address only.
 * `realm` may be a function of the request (a realm per host or tenant),
 * called when a challenge is sent: what it returns must be a non-blank string
 * of at most 256 characters a quoted-string can carry (no control character,
 * nothing above U+00FF; `"` and `\` are escaped). Anything else makes
 * `authenticate` reject with a `TypeError` (the app answers 500), never a
 * challenge without a realm nor a malformed header. The challenges of the
 * last 64 realms are kept, so a fixed set of hosts costs no more than a string.
 *
 * @param options `verify`, optional `realm`, `scopes` needed, token `sources`, `bearerFormat`, `resourceMetadata`.
 * @returns The scheme policy.
 * @throws {TypeError} If `verify` is not a function, `realm` or a scope
 *   breaks RFC 6750 §3, or `resourceMetadata` is not an absolute `https`
 *   URL (`http` only on a loopback host) without a fragment. With a
 *   function `resourceMetadata`, `authenticate` rejects with that
 *   `TypeError` when it returns such a URL, or when a `realm` function returns a realm that cannot be sent; and when `verify` returns an
 *   object with an `error` other than RFC 9470's, or a step-up demand with
 *   bad `acrValues` or `maxAge`.
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
 *
 * @example resource_metadata and step-up (RFC 9728, RFC 9470)
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     bearerAuth({
 *       resourceMetadata: "https://api.example/.well-known/oauth-protected-resource/mcp",
 *       verify: (token) =>
 *         token === "fresh"
 *           ? { identity: "ada", scopes: ["read"] }
 *           : { error: "insufficient_user_authentication", acrValues: ["phrh"], maxAge: 300 },
 *     }),
 *   ],
 * });
 * const header = (token: string) => (name: string) => (name === "authorization" ? `Bearer ${token}` : undefined);
 * const stale = await authenticator.authenticate({ method: "GET", url: "/mcp", header: header("old") });
 * assert.equal(stale.ok, false);
 * if (!stale.ok) {
 *   assert.equal(stale.status, 401);
 *   assert.deepEqual(stale.headers[0], [
 *     "WWW-Authenticate",
 *     'Bearer error="insufficient_user_authentication", acr_values="phrh", max_age="300", resource_metadata="https://api.example/.well-known/oauth-protected-resource/mcp"',
 *   ]);
 * }
 * const routed = await authenticator.authenticate(
 *   { method: "POST", url: "/mcp/admin", header: header("fresh") },
 *   { scopes: ["admin"] },
 * );
 * assert.equal(routed.ok, false);
 * if (!routed.ok) {
 *   assert.equal(routed.status, 403);
 *   assert.match(routed.headers[0]?.[1] ?? "", /^Bearer scope="admin", error="insufficient_scope", resource_metadata=/);
 * }
 * ```
 *
 * @example A realm per host
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ realm: (request) => `${request.header("host")}`, verify: () => undefined })],
 * });
 * const on = (host: string) => ({ method: "GET", url: "/", header: (name: string) => (name === "host" ? host : undefined) });
 * const outcome = await authenticator.authenticate(on("b.example"));
 * assert.deepEqual(!outcome.ok && outcome.headers[0], ["WWW-Authenticate", 'Bearer realm="b.example"']);
 * ```
 */
export function bearerAuth<Identity>(options: BearerAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  const { base, scopes, metadataFor, realmFor } = checkBearerOptions(options);
  const { verify, bearerFormat } = options;
  const realm = realmFor === undefined ? (options.realm as string | undefined) : undefined;
  // Build every fixed challenge once: this checks realm, scopes and the URL at start-up. A realm
  // function: the realm's challenges when it is first returned (checked then), remembered per realm.
  const fixed = fixedChallenges(base, scopes);
  const fixedFor =
    realmFor === undefined
      ? undefined
      : realmResolver(realmFor, "bearerAuth()", (realm) => fixedChallenges({ ...base, realm }, scopes));
  const sources: BearerTokenSources = {
    header: true,
    body: options.sources?.body === true,
    query: options.sources?.query === true,
  };
  const readsElsewhere = sources.body === true || sources.query === true;

  async function verifyToken(token: string, context: SchemeContext): Promise<SchemeVerdict<Identity>> {
    const grant = await verify(token, context.request);
    if (isRefusal(grant)) return FAILURE.invalid_token;
    if (isStepUp(grant, "bearerAuth")) return stepUpFailure(grant);
    // RFC 9449 §7.2: a DPoP-bound token is not a bearer token.
    if (typeof grant.cnf === "object" && grant.cnf !== null && grant.cnf.jkt !== undefined)
      return FAILURE.invalid_token;
    const route = context.scopes;
    if (missingScopes(grant.scopes, scopes, route)) {
      return route.length === 0
        ? FAILURE.insufficient_scope
        : bearerFailure("insufficient_scope", { scope: unionScopes(scopes, route) });
    }
    return { ok: true, identity: grant.identity };
  }

  // Only with a body or query source: otherwise no request needs looking into beyond Authorization.
  const locate: AuthSchemePolicy<Identity>["locate"] = async (request, context) => {
    const found = await otherTokens(request, sources);
    // RFC 6750 §2: a token in more than one place is an invalid request.
    if (found.length + (context.authScheme === "bearer" ? 1 : 0) > 1) return FAILURE.invalid_request;
    return found[0];
  };

  function challengesFor(context: SchemeChallengeContext): readonly Challenge[] {
    const parameters = context.failure?.challenge;
    const error = parameters?.error;
    const { challenges, lists, base } = fixedFor === undefined ? fixed : fixedFor(context.request);
    const isFixed =
      error === undefined ||
      error === "invalid_request" ||
      error === "invalid_token" ||
      (error === "insufficient_scope" && parameters?.scope === undefined);
    if (isFixed && metadataFor === undefined) {
      const challenge = error === undefined ? challenges.plain : challenges[error as FixedError];
      return lists.get(challenge) ?? [challenge];
    }
    const url = metadataFor === undefined ? base : { ...base, resourceMetadata: metadataFor(context.request) };
    return [variableChallenge(url, scopes, parameters)];
  }

  return Object.freeze({
    scheme: "bearer",
    realm,
    authSchemes: Object.freeze(["bearer"]),
    ...(readsElsewhere ? { locate } : {}),
    async verify(credentials, context) {
      const token = readToken(credentials, context.maxLength);
      return token === undefined ? FAILURE.invalid_request : verifyToken(token, context);
    },
    challenges: challengesFor,
    openapi() {
      return {
        type: "http",
        scheme: "bearer",
        ...(bearerFormat === undefined ? {} : { bearerFormat }),
        description: `HTTP Bearer (RFC 6750)${realm === undefined ? (realmFor === undefined ? "" : ", realm set per request") : `, realm "${realm}"`}${scopes.length > 0 ? `; scopes: ${scopes.join(" ")}` : ""}`,
      };
    },
  } satisfies AuthSchemePolicy<Identity>);
}
