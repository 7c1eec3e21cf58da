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
import type { BearerError } from "../schemes/bearer.ts";
import { BEARER_ERROR_STATUS, createBearerChallenge, isB64Token, parseBearerCredentials } from "../schemes/bearer.ts";
import type {
  AuthFailureReason,
  AuthRequest,
  AuthSchemePolicy,
  Refusal,
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

const REASON: Readonly<Record<BearerError, AuthFailureReason>> = {
  invalid_request: "invalid-request",
  invalid_token: "invalid-token",
  insufficient_scope: "insufficient-scope",
};

/** The failure each Bearer error is, with its status from RFC 6750 §3.1, made once. */
const FAILURE: Readonly<Record<BearerError, SchemeFailure>> = {
  invalid_request: bearerFailure("invalid_request"),
  invalid_token: bearerFailure("invalid_token"),
  insufficient_scope: bearerFailure("insufficient_scope"),
};

function bearerFailure(error: BearerError): SchemeFailure {
  return Object.freeze({
    ok: false,
    status: BEARER_ERROR_STATUS[error],
    reason: REASON[error],
    challenge: Object.freeze({ error }),
  });
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
  realm: string | undefined,
  scopes: readonly string[],
): Record<BearerError | "plain", Challenge> {
  const base = realm === undefined ? {} : { realm };
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

/**
 * Configures the Bearer scheme (RFC 6750) for {@linkcode createAuthenticator}.
 * A malformed token (not a b64token, RFC 6750 §2.1, wherever it was sent:
 * header, form body or query), or a token sent in more than one place
 * (RFC 6750 §2), is 400 `invalid_request` with the Bearer challenge only; a refused token
 * 401 `invalid_token`; a token without the `scopes` 403
 * `insufficient_scope`. Failures are counted per client address only.
 *
 * @param options `verify`, optional `realm`, `scopes` needed, token `sources`, `bearerFormat`.
 * @returns The scheme policy.
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
export function bearerAuth<Identity>(options: BearerAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("bearerAuth() needs { verify }");
  const { realm, verify, bearerFormat } = options;
  assertFunction(verify, "bearerAuth(): verify");
  const scopes = options.scopes ?? [];
  // Build every challenge once: this checks realm and scopes against RFC 6750 §3 at start-up.
  const challenges = bearerChallenges(realm, scopes);
  const lists = new Map<Challenge, readonly Challenge[]>(
    Object.values(challenges).map((challenge) => [challenge, Object.freeze([challenge])]),
  );
  const sources: BearerTokenSources = {
    header: true,
    body: options.sources?.body === true,
    query: options.sources?.query === true,
  };
  const readsElsewhere = sources.body === true || sources.query === true;

  async function verifyToken(token: string, context: SchemeContext): Promise<SchemeVerdict<Identity>> {
    const grant = await verify(token, context.request);
    if (isRefusal(grant)) return FAILURE.invalid_token;
    const granted = new Set(grant.scopes ?? []);
    if (!scopes.every((scope) => granted.has(scope))) return FAILURE.insufficient_scope;
    return { ok: true, identity: grant.identity };
  }

  // Only with a body or query source: otherwise no request needs looking into beyond Authorization.
  const locate: AuthSchemePolicy<Identity>["locate"] = async (request, context) => {
    const found = await otherTokens(request, sources);
    // RFC 6750 §2: a token in more than one place is an invalid request.
    if (found.length + (context.authScheme === "bearer" ? 1 : 0) > 1) return FAILURE.invalid_request;
    return found[0];
  };

  return Object.freeze({
    scheme: "bearer",
    realm,
    authSchemes: Object.freeze(["bearer"]),
    ...(readsElsewhere ? { locate } : {}),
    async verify(credentials, context) {
      if (credentials.from !== "authorization") {
        // The same b64token syntax as the header (RFC 6750 §2.1): a form body or
        // query could otherwise hand verify "", CR, LF or any other character.
        return isB64Token(credentials.value) ? verifyToken(credentials.value, context) : FAILURE.invalid_request;
      }
      let token: string;
      try {
        token = parseBearerCredentials(credentials.value, { maxLength: context.maxLength }).token;
      } catch (error) {
        if (isHTTPAuthError(error)) return FAILURE.invalid_request;
        throw error;
      }
      return verifyToken(token, context);
    },
    challenges(context) {
      const error = context.failure?.challenge?.error;
      const challenge =
        error === "invalid_request" || error === "invalid_token" || error === "insufficient_scope"
          ? challenges[error]
          : challenges.plain;
      return lists.get(challenge) ?? [challenge];
    },
    openapi() {
      return {
        type: "http",
        scheme: "bearer",
        ...(bearerFormat === undefined ? {} : { bearerFormat }),
        description: `HTTP Bearer (RFC 6750)${realm === undefined ? "" : `, realm "${realm}"`}${scopes.length > 0 ? `; scopes: ${scopes.join(" ")}` : ""}`,
      };
    },
  } satisfies AuthSchemePolicy<Identity>);
}
