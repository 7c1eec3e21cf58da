/**
 * The DPoP scheme (RFC 9449) as a policy of the authenticator: an access
 * token in `Authorization: DPoP <token>`, a proof in the `DPoP` field that
 * the client holds the key the token is bound to, server nonces, and the
 * `DPoP` challenge with `algs`.
 *
 * @module
 */

import type { Challenge } from "../challenge.ts";
import { parseCredentials } from "../credentials.ts";
import { isHTTPAuthError } from "../errors.ts";
import { createParams } from "../grammar/scanner.ts";
import { assertFunction, freezeChallenge, isRefusal } from "../internal/policy-support.ts";
import type { MetadataOption } from "../internal/token-policy.ts";
import {
  checkMetadataOption,
  isStepUp,
  missingScopes,
  stepUpParameters,
  unionScopes,
} from "../internal/token-policy.ts";
import type { BearerChallengeOptions } from "../schemes/bearer.ts";
import { createBearerChallenge, isB64Token } from "../schemes/bearer.ts";
import type { DpopErrorCode } from "../schemes/dpop/errors.ts";
import { DPOP_ERROR_OF, isDpopError } from "../schemes/dpop/errors.ts";
import type { DpopAlgorithm } from "../schemes/dpop/keys.ts";
import type { DpopNonceOptions } from "../schemes/dpop/nonce.ts";
import { freshDpopNonce } from "../schemes/dpop/nonce.ts";
import type { ProofSettings, VerifiedDpopProof } from "../schemes/dpop/verify.ts";
import { checkProofSettings, normalizeHTU, verifyProof } from "../schemes/dpop/verify.ts";
import type { ReplayStore } from "../stores/replay.ts";
import { createMemoryReplayStore } from "../stores/replay.ts";
import type { BearerGrant, BearerStepUp, ResourceMetadataSource } from "./bearer.ts";
import type {
  AuthFailureReason,
  AuthRequest,
  AuthSchemePolicy,
  ChallengeParameters,
  Refusal,
  SchemeChallengeContext,
  SchemeContext,
  SchemeFailure,
  SchemeVerdict,
} from "./types.ts";

/** What a DPoP `verify` returns for a token it accepts: a grant with the key the token is bound to. */
export interface DpopGrant<Identity> extends BearerGrant<Identity> {
  /** The token's confirmation (RFC 7800, RFC 9449 §6): `jkt` must equal the proof key's thumbprint. */
  cnf: { jkt: string };
}

/** Options of {@linkcode dpopAuth}. */
export interface DpopAuthOptions<Identity> {
  /** The protection space, sent as `realm` on every DPoP challenge. */
  realm?: string;
  /**
   * Checks the access token (after the proof passed) and says who it stands
   * for and which key it is bound to (`cnf.jkt`, as in a JWT access token or
   * an introspection answer). Return `undefined`, `null` or `false` to refuse
   * it (401 `invalid_token`), or a step-up demand (RFC 9470) as `bearerAuth`.
   */
  verify(
    token: string,
    request: AuthRequest,
    proof: VerifiedDpopProof,
  ): DpopGrant<Identity> | BearerStepUp | Refusal | Promise<DpopGrant<Identity> | BearerStepUp | Refusal>;
  /** The proof algorithms accepted, in order of preference (the `algs` parameter). Default all of `DPOP_ALGORITHMS`. */
  algorithms?: readonly DpopAlgorithm[];
  /** Server nonces (RFC 9449 §9): a proof must carry a fresh one of this secret's. Off when absent. */
  nonce?: DpopNonceOptions;
  /** Where proof `jti`s are remembered (RFC 9449 §11.1). Default an in-memory store; share one across instances. */
  replay?: ReplayStore;
  /** How long after its `iat` a proof is accepted, in seconds. Default 300. */
  maxAge?: number;
  /** Clock skew tolerated for `iat`, in seconds. Default 5. */
  leeway?: number;
  /** Scopes every token must grant (RFC 6750 §3). */
  scopes?: readonly string[];
  /** The resource's Protected Resource Metadata (RFC 9728), as for `bearerAuth`: `resource_metadata` on every DPoP challenge. */
  resourceMetadata?: ResourceMetadataSource | ((request: AuthRequest) => ResourceMetadataSource);
  /**
   * The scheme and host of this server (`"https://api.example"`), for `htu`
   * when `request.url` is a path (node:http). Not needed where the runtime
   * gives absolute URLs (Fetch). Behind a proxy, the origin clients use.
   */
  origin?: string | ((request: AuthRequest) => string);
}

type DpopChallengeError =
  | "invalid_request"
  | "invalid_token"
  | "invalid_dpop_proof"
  | "use_dpop_nonce"
  | "insufficient_scope"
  | "insufficient_user_authentication";

/** The status and reason of each error (RFC 9449 §7.1, RFC 6750 §3.1, RFC 9470 §3). */
const ERRORS: Readonly<Record<DpopChallengeError, readonly [400 | 401 | 403, AuthFailureReason]>> = {
  invalid_request: [400, "invalid-request"],
  invalid_token: [401, "invalid-token"],
  invalid_dpop_proof: [401, "invalid-dpop-proof"],
  use_dpop_nonce: [401, "use-dpop-nonce"],
  insufficient_scope: [403, "insufficient-scope"],
  insufficient_user_authentication: [401, "insufficient-user-authentication"],
};

type FixedError = Exclude<DpopChallengeError, "insufficient_user_authentication">;

function dpopFailure(
  error: DpopChallengeError,
  parameters: Omit<ChallengeParameters, "error"> = {},
  headers?: SchemeFailure["headers"],
): SchemeFailure {
  const [status, reason] = ERRORS[error];
  return Object.freeze({
    ok: false,
    status,
    reason,
    challenge: Object.freeze({ error, ...parameters }),
    ...(headers === undefined ? {} : { headers }),
  });
}

const FAILURE: Readonly<Record<Exclude<FixedError, "use_dpop_nonce">, SchemeFailure>> = {
  invalid_request: dpopFailure("invalid_request"),
  invalid_token: dpopFailure("invalid_token"),
  invalid_dpop_proof: dpopFailure("invalid_dpop_proof"),
  insufficient_scope: dpopFailure("insufficient_scope"),
};

/**
 * A DPoP challenge (RFC 9449 §7.1): Bearer's parameters (realm, scope,
 * error, acr_values, max_age, resource_metadata, checked by
 * `createBearerChallenge`), the DPoP errors, and `algs`.
 */
function dpopChallenge(base: BearerChallengeOptions, algs: string, error: DpopChallengeError | undefined): Challenge {
  const checked = createBearerChallenge(base).params;
  const params = createParams();
  for (const name of ["realm", "scope"]) if (checked[name] !== undefined) params[name] = checked[name];
  if (error !== undefined) params.error = error;
  params.algs = algs;
  for (const name of ["acr_values", "max_age", "resource_metadata"]) {
    if (checked[name] !== undefined) params[name] = checked[name];
  }
  return { scheme: "dpop", params };
}

/** The checked `origin` option: scheme and host, no path. */
function checkOrigin(value: unknown, what: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === "string" ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const bare = typeof value === "string" && value.endsWith("/") ? value.slice(0, -1) : value;
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:") || url.origin !== bare) {
    throw new TypeError(`${what} must be the scheme and host of this server, such as "https://api.example"`);
  }
  return url.origin;
}

/** Whether `url` is absolute (`http:` or `https:`, any case) rather than a path. */
function isAbsolute(url: string): boolean {
  const colon = url.indexOf(":");
  if (colon !== 4 && colon !== 5) return false;
  const scheme = url.slice(0, colon).toLowerCase();
  return scheme === "http" || scheme === "https";
}

/** The access token of `DPoP <token>`, or `undefined` when it is not a b64token (400). */
function readToken(value: string, maxLength: number): string | undefined {
  try {
    const credentials = parseCredentials(value, { maxLength });
    const token = credentials.token68;
    return token !== undefined && isB64Token(token) ? token : undefined;
  } catch (error) {
    if (isHTTPAuthError(error)) return undefined;
    throw error;
  }
}

/** The checked options of {@linkcode dpopAuth}, and what is built from them once. */
interface DpopSetup<Identity> {
  readonly verify: DpopAuthOptions<Identity>["verify"];
  readonly base: BearerChallengeOptions;
  readonly scopes: readonly string[];
  readonly algs: string;
  readonly settings: ProofSettings;
  readonly metadataFor: ((request: AuthRequest) => string) | undefined;
  readonly originFor: (request: AuthRequest) => string | undefined;
  /** The challenges that never change, by error, built (and so checked) once. */
  readonly fixed: ReadonlyMap<DpopChallengeError | undefined, readonly Challenge[]>;
}

/** The checked options of {@linkcode dpopAuth}. */
function checkDpopOptions<Identity>(options: DpopAuthOptions<Identity>): DpopSetup<Identity> {
  if (typeof options !== "object" || options === null) throw new TypeError("dpopAuth() needs { verify }");
  assertFunction(options.verify, "dpopAuth(): verify");
  const { realm, origin } = options;
  const scopes = options.scopes ?? [];
  const base: BearerChallengeOptions = realm === undefined ? {} : { realm };
  const { fixed: url, metadataFor } = checkMetadataOption(
    options.resourceMetadata as MetadataOption | undefined,
    "dpopAuth(): resourceMetadata",
  );
  if (url !== undefined) base.resourceMetadata = url;
  const replay = options.replay ?? createMemoryReplayStore();
  const settings = checkProofSettings({ ...options, replay }, "dpopAuth()");
  let originFor: (request: AuthRequest) => string | undefined;
  if (typeof origin === "function") {
    originFor = (request) => checkOrigin(origin(request), "dpopAuth(): origin returned a value that");
  } else {
    const checked = origin === undefined ? undefined : checkOrigin(origin, "dpopAuth(): origin");
    originFor = () => checked;
  }
  const algs = [...settings.algorithms].join(" ");
  const fixed = new Map<DpopChallengeError | undefined, readonly Challenge[]>();
  for (const error of [
    undefined,
    "invalid_request",
    "invalid_token",
    "invalid_dpop_proof",
    "use_dpop_nonce",
  ] as const) {
    fixed.set(error, Object.freeze([freezeChallenge(dpopChallenge(base, algs, error))]));
  }
  const scoped = scopes.length > 0 ? { ...base, scope: scopes } : base;
  fixed.set("insufficient_scope", Object.freeze([freezeChallenge(dpopChallenge(scoped, algs, "insufficient_scope"))]));
  return { verify: options.verify, base, scopes, algs, settings, metadataFor, originFor, fixed };
}

/** The request URI for `htu`: the absolute URL, or `origin` and the path. */
function requestURI(setup: DpopSetup<unknown>, request: AuthRequest): string | undefined {
  const { url } = request;
  if (typeof url !== "string") throw new TypeError("authenticate() needs a request { method, url, header(name) }");
  if (isAbsolute(url)) return normalizeHTU(url);
  const origin = setup.originFor(request);
  if (origin === undefined) {
    throw new TypeError(
      'dpopAuth(): the request URL is a path; set origin (such as "https://api.example") so that the proof\'s htu can be checked',
    );
  }
  return normalizeHTU(origin + (url.startsWith("/") ? url : `/${url}`));
}

/** The failure for a refused proof; `use_dpop_nonce` with a fresh `DPoP-Nonce`. */
function refuseProof(setup: DpopSetup<unknown>, code: DpopErrorCode, now: number): SchemeFailure {
  const error = DPOP_ERROR_OF[code];
  const nonce = setup.settings.nonce;
  if (error !== "use_dpop_nonce" || nonce === undefined)
    return FAILURE[error === "use_dpop_nonce" ? "invalid_dpop_proof" : error];
  return dpopFailure("use_dpop_nonce", {}, [["DPoP-Nonce", freshDpopNonce(nonce, now)]]);
}

/** The proof (RFC 9449 §4.3), then the token and its binding, scopes, and a fresh nonce when one is due. */
async function verifyRequest<Identity>(
  setup: DpopSetup<Identity>,
  token: string,
  context: SchemeContext,
): Promise<SchemeVerdict<Identity>> {
  const { request, now } = context;
  const field = request.header("dpop");
  // RFC 9449 §4.3 check 1: exactly one DPoP field (several are joined with commas; a JWS has none).
  if (typeof field !== "string" || field.includes(",")) return FAILURE.invalid_dpop_proof;
  const uri = requestURI(setup, request);
  if (uri === undefined) return FAILURE.invalid_dpop_proof;
  const { settings } = setup;
  let proof: VerifiedDpopProof;
  let nonceIssuedAt: number | undefined;
  try {
    const proofRequest = { method: request.method, uri, accessToken: token, now };
    ({ proof, nonceIssuedAt } = await verifyProof(field.trim(), settings, proofRequest));
  } catch (error) {
    if (isDpopError(error)) return refuseProof(setup, error.code, now);
    throw error;
  }
  const grant = await setup.verify(token, request, proof);
  if (isRefusal(grant)) return FAILURE.invalid_token;
  if (isStepUp(grant, "dpopAuth")) {
    return dpopFailure("insufficient_user_authentication", stepUpParameters(grant, "dpopAuth"));
  }
  // RFC 9449 §6.1, §7.1: the token is bound to this proof's key, or it is not this client's.
  if (typeof grant.cnf !== "object" || grant.cnf === null || grant.cnf.jkt !== proof.jkt) return FAILURE.invalid_token;
  const route = context.scopes;
  if (missingScopes(grant.scopes, setup.scopes, route)) {
    return route.length === 0
      ? FAILURE.insufficient_scope
      : dpopFailure("insufficient_scope", { scope: unionScopes(setup.scopes, route) });
  }
  const nonce = settings.nonce;
  if (nonce !== undefined && nonceIssuedAt !== undefined && now - nonceIssuedAt >= nonce.renewAfterMs) {
    return { ok: true, identity: grant.identity, headers: [["DPoP-Nonce", freshDpopNonce(nonce, now)]] };
  }
  return { ok: true, identity: grant.identity };
}

/** The challenge for a failure: a fixed one, or one built for route scopes, step-up or a per-request URL. */
function challengesFor(setup: DpopSetup<unknown>, context: SchemeChallengeContext): readonly Challenge[] {
  const parameters = context.failure?.challenge;
  const error = parameters?.error as DpopChallengeError | undefined;
  const { metadataFor, scopes } = setup;
  const variable =
    metadataFor !== undefined ||
    error === "insufficient_user_authentication" ||
    (error === "insufficient_scope" && parameters?.scope !== undefined);
  if (!variable) return setup.fixed.get(error) ?? [];
  const options: BearerChallengeOptions = { ...setup.base };
  if (metadataFor !== undefined) options.resourceMetadata = metadataFor(context.request);
  if (error === "insufficient_scope") {
    const needed = parameters?.scope ?? scopes;
    if (needed.length > 0) options.scope = needed;
  }
  if (error === "insufficient_user_authentication") {
    if (parameters?.acrValues !== undefined) options.acrValues = parameters.acrValues;
    if (parameters?.maxAge !== undefined) options.maxAge = parameters.maxAge;
  }
  return [dpopChallenge(options, setup.algs, error)];
}

/**
 * Configures the DPoP scheme (RFC 9449) for {@linkcode createAuthenticator}:
 * `Authorization: DPoP <token>` with a `DPoP` proof field. The proof is
 * verified as {@linkcode verifyDpopProof} does (with `ath` for the token and
 * a `jti` replay store), then `verify` checks the token, whose `cnf.jkt` must
 * be the proof key's thumbprint. A malformed token is 400 `invalid_request`;
 * a missing, doubled or failing proof 401 `invalid_dpop_proof`; with
 * `nonce`, a proof without a fresh server nonce 401 `use_dpop_nonce` with a
 * `DPoP-Nonce` header (successes carry a fresh one once `renewAfter` has
 * passed); a refused or differently bound token 401 `invalid_token`;
 * missing scopes 403 `insufficient_scope`; step-up as `bearerAuth`. Every
 * challenge is `DPoP algs="…"`, with `realm`, `scope` and
 * `resource_metadata` as configured. Beside `bearerAuth`, each scheme has
 * its own challenge line. Failures are counted per client address only.
 *
 * @param options `verify`, and optional `realm`, `algorithms`, `nonce`, `replay`, `maxAge`, `leeway`, `scopes`,
 *   `resourceMetadata`, `origin`.
 * @returns The scheme policy, named `dpop`.
 * @throws {TypeError} If `verify` is not a function, `realm` or a scope
 *   breaks RFC 6750 §3, `resourceMetadata` breaks RFC 9728's URL rule, or
 *   `origin` is not a scheme and host. `authenticate` rejects with a
 *   `TypeError` for a request whose `url` is a path when `origin` is not
 *   set, and as `bearerAuth` for a bad step-up demand.
 * @throws {RangeError} If `algorithms`, `maxAge`, `leeway` or `nonce` is out of range.
 *
 * @example DPoP beside Bearer, with server nonces
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator, dpopAuth } from "@httpauth/core";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     dpopAuth({
 *       algorithms: ["ES256", "EdDSA"],
 *       nonce: { secret: "a random secret of 32 bytes or more" },
 *       origin: "https://api.example",
 *       verify: () => undefined,
 *     }),
 *     bearerAuth({ verify: () => undefined }),
 *   ],
 * });
 * const outcome = await authenticator.authenticate({ method: "GET", url: "/data", header: () => undefined });
 * assert.equal(outcome.ok, false);
 * if (!outcome.ok) {
 *   assert.equal(outcome.status, 401);
 *   assert.deepEqual(outcome.headers.slice(0, 2), [
 *     ["WWW-Authenticate", 'DPoP algs="ES256 EdDSA"'],
 *     ["WWW-Authenticate", "Bearer"],
 *   ]);
 * }
 * ```
 */
export function dpopAuth<Identity>(options: DpopAuthOptions<Identity>): AuthSchemePolicy<Identity> {
  const setup = checkDpopOptions(options);
  const { realm } = options;
  const { algs, scopes } = setup;
  return Object.freeze({
    scheme: "dpop",
    realm,
    authSchemes: Object.freeze(["dpop"]),
    async verify(credentials, context) {
      const token = readToken(credentials.value, context.maxLength);
      return token === undefined ? FAILURE.invalid_request : verifyRequest(setup, token, context);
    },
    challenges: (context) => challengesFor(setup as DpopSetup<unknown>, context),
    openapi() {
      return {
        type: "http",
        scheme: "dpop",
        description: `HTTP DPoP (RFC 9449): an access token bound to a key, with a proof per request; algorithms ${algs}${realm === undefined ? "" : `; realm "${realm}"`}${scopes.length > 0 ? `; scopes: ${scopes.join(" ")}` : ""}`,
      };
    },
  } satisfies AuthSchemePolicy<Identity>);
}
