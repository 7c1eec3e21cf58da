/**
 * The steps of `createAuthenticator`'s decision, each synchronous when what
 * it calls answers at once: a scheme whose `verify`, `locate` and
 * `challenges` return plain values, with no throttle and no async hook, is
 * decided without a promise or a turn of the microtask queue, and
 * `authenticate` makes one resolved promise of the outcome. A step that gets
 * a thenable continues once it settles, in the same order as before; a
 * throttled request takes the asynchronous path, as its store may be remote.
 *
 * @module
 */

import type {
  AuthFailure,
  AuthFailureEvent,
  AuthOutcome,
  AuthSuccessEvent,
  FailureResponse,
} from "../authenticator.ts";
import type { Challenge } from "../challenge.ts";
import type {
  AuthFailureReason,
  AuthRequest,
  AuthSchemePolicy,
  HeaderLine,
  SchemeContext,
  SchemeCredentials,
  SchemeFailure,
  SchemeVerdict,
} from "../policies/types.ts";
import type { FailureStatus } from "./failure-body.ts";
import { failureBody, failureContentType } from "./failure-body.ts";
import type { MaybePromise } from "./maybe-promise.ts";
import { isThenable } from "./maybe-promise.ts";
import { customizeFailure, eventRequest } from "./outcome-hooks.ts";
import { challengeLine, leadingScheme } from "./policy-support.ts";
import { routeScopes } from "./route-scopes.ts";
import type { Gate, ThrottleSettings } from "./throttle-gate.ts";
import { reserveAttempt, settleAttempt } from "./throttle-gate.ts";

/** The options of `createAuthenticator`, checked and defaulted. */
export interface Setup<Identity> {
  policies: readonly AuthSchemePolicy<Identity>[];
  /** The policy answering each auth-scheme of the `Authorization` field, by lower-case name. */
  byAuthScheme: ReadonlyMap<string, AuthSchemePolicy<Identity>>;
  /** The policies that look for credentials elsewhere, in configured order. */
  locating: readonly AuthSchemePolicy<Identity>[];
  proxy: boolean;
  /** 401, or 407 as a proxy. */
  unauthorized: 401 | 407;
  missingCredentialsStatus: 401 | 403;
  problemDetails: boolean;
  throttle: ThrottleSettings | undefined;
  maxLength: number;
  clock: () => number;
  /** `Access-Control-Expose-Headers`, added to every outcome, when `exposeHeaders` is on. */
  exposeLine: HeaderLine | undefined;
  failureResponse: FailureResponse | undefined;
  /** Typed `unknown` here so that a `Setup<Identity>` is a `Setup<unknown>`; called with the right identity. */
  onSuccess: ((event: AuthSuccessEvent<unknown>) => void | Promise<void>) | undefined;
  onFailure: ((event: AuthFailureEvent) => void | Promise<void>) | undefined;
}

/** The policy a request's credentials are addressed to, and the credentials. */
interface Addressed<Identity> {
  policy: AuthSchemePolicy<Identity>;
  credentials: SchemeCredentials;
}

/** What `locate` found: credentials, a policy's refusal of how they were sent, or nothing. */
type Located<Identity> =
  | Addressed<Identity>
  | { policy: AuthSchemePolicy<Identity>; failure: SchemeFailure }
  | undefined;

/** The failure of a policy, handed back to its `challenges`. */
interface Owner<Identity> {
  policy: AuthSchemePolicy<Identity>;
  failure: SchemeFailure;
}

/**
 * Asks every locating policy, in order, for credentials outside the
 * `Authorization` field. A failure (a token in two places) answers at once.
 */
function locate<Identity>(setup: Setup<Identity>, context: SchemeContext): MaybePromise<Located<Identity>> {
  return locateFrom(setup.locating, 0, undefined, context);
}

/** {@link locate} from the policy at `index` on, `first` being what earlier policies found. */
function locateFrom<Identity>(
  locating: readonly AuthSchemePolicy<Identity>[],
  index: number,
  first: Addressed<Identity> | undefined,
  context: SchemeContext,
): MaybePromise<Located<Identity>> {
  let found = first;
  for (let at = index; at < locating.length; at++) {
    const policy = locating[at]!;
    const answer = policy.locate?.(context.request, context);
    if (isThenable(answer)) {
      return Promise.resolve(answer).then((settled) => {
        if (settled === undefined) return locateFrom(locating, at + 1, found, context);
        if ("ok" in settled) return { policy, failure: settled };
        return locateFrom(locating, at + 1, found ?? { policy, credentials: settled }, context);
      });
    }
    if (answer === undefined) continue;
    if ("ok" in answer) return { policy, failure: answer };
    found ??= { policy, credentials: answer };
  }
  return found;
}

/** Appends one field line per challenge to `headers`. */
function pushLines(headers: HeaderLine[], field: string, challenges: readonly Challenge[]): void {
  for (const challenge of challenges) headers.push([field, challengeLine(challenge)]);
}

/** The challenge lines of `policies` from `index` on, after `headers`; `owner` gets its own failure's parameters. */
function challengeLines<Identity>(
  setup: Setup<Identity>,
  policies: readonly AuthSchemePolicy<Identity>[],
  context: SchemeContext,
  owner: Owner<Identity> | undefined,
  index = 0,
  headers: HeaderLine[] = [],
): MaybePromise<HeaderLine[]> {
  const field = setup.proxy ? "Proxy-Authenticate" : "WWW-Authenticate";
  const { now, request, scopes } = context;
  for (let at = index; at < policies.length; at++) {
    const policy = policies[at]!;
    const failure = policy === owner?.policy ? owner.failure : undefined;
    const challenges = policy.challenges({ now, proxy: setup.proxy, failure, request, scopes });
    if (isThenable(challenges)) {
      return Promise.resolve(challenges).then((settled) => {
        pushLines(headers, field, settled);
        return challengeLines(setup, policies, context, owner, at + 1, headers);
      });
    }
    pushLines(headers, field, challenges);
  }
  return headers;
}

/** A failure response: its challenge lines, any extra lines, the body. */
function refuse(
  setup: Setup<unknown>,
  status: FailureStatus,
  reason: AuthFailureReason,
  headers: HeaderLine[],
): AuthFailure {
  headers.push(["Content-Type", failureContentType(setup.problemDetails)]);
  if (setup.exposeLine !== undefined) headers.push(setup.exposeLine);
  return { ok: false, status, headers, body: failureBody(status, reason, setup.problemDetails), reason };
}

/** A failure with every policy's challenges: no credentials, or an auth-scheme nobody reads. */
function refuseWithChallenges<Identity>(
  setup: Setup<Identity>,
  reason: AuthFailureReason,
  context: SchemeContext,
): MaybePromise<AuthFailure> {
  const lines = challengeLines(setup, setup.policies, context, undefined);
  if (isThenable(lines))
    return Promise.resolve(lines).then((settled) => refuse(setup, setup.unauthorized, reason, settled));
  return refuse(setup, setup.unauthorized, reason, lines);
}

/** A policy's failure: 401 (407) with every challenge, 400 or 403 with its own only. */
function refuseFor<Identity>(
  setup: Setup<Identity>,
  policy: AuthSchemePolicy<Identity>,
  failure: SchemeFailure,
  context: SchemeContext,
): MaybePromise<AuthFailure> {
  const lines = challengeLines(setup, failure.status === 401 ? setup.policies : [policy], context, { policy, failure });
  if (isThenable(lines)) return Promise.resolve(lines).then((settled) => refuseWithLines(setup, failure, settled));
  return refuseWithLines(setup, failure, lines);
}

/** {@link refuseFor} once the challenge lines are known. */
function refuseWithLines(setup: Setup<unknown>, failure: SchemeFailure, lines: HeaderLine[]): AuthFailure {
  if (failure.headers !== undefined) lines.push(...failure.headers);
  return refuse(setup, failure.status === 401 ? setup.unauthorized : failure.status, failure.reason, lines);
}

/** The outcome of a policy's verdict: success with its headers, or its failure. */
function conclude<Identity>(
  setup: Setup<Identity>,
  policy: AuthSchemePolicy<Identity>,
  verdict: SchemeVerdict<Identity>,
  context: SchemeContext,
): MaybePromise<AuthOutcome<Identity>> {
  if (!verdict.ok) return refuseFor(setup, policy, verdict, context);
  const headers = verdict.headers === undefined || verdict.headers.length === 0 ? [] : [...verdict.headers];
  if (setup.exposeLine !== undefined) headers.push(setup.exposeLine);
  return { ok: true, scheme: policy.scheme, identity: verdict.identity, headers };
}

/** Counts the attempt before verifying it (throttle on): the reservation, or a 429's `Retry-After`. */
function gate<Identity>(
  throttle: ThrottleSettings,
  addressed: Addressed<Identity>,
  context: SchemeContext,
): Promise<Gate> {
  return reserveAttempt(throttle, {
    clientAddress: context.request.clientAddress,
    scheme: addressed.policy.scheme,
    identity: addressed.policy.throttleKey?.(addressed.credentials, context),
    now: context.now,
  });
}

/** With throttling on: the attempt is counted before it is verified, then settled by the verdict. */
async function decideThrottled<Identity>(
  setup: Setup<Identity>,
  throttle: ThrottleSettings,
  addressed: Addressed<Identity>,
  context: SchemeContext,
): Promise<AuthOutcome<Identity>> {
  const gated = await gate(throttle, addressed, context);
  // Too many: 429, without verifying.
  if ("retryAfter" in gated) return refuse(setup, 429, "throttled", [["Retry-After", String(gated.retryAfter)]]);
  let verdict: SchemeVerdict<Identity>;
  try {
    verdict = await addressed.policy.verify(addressed.credentials, context);
  } catch (error) {
    await settleAttempt(throttle.store, gated.reserved, "threw");
    throw error;
  }
  await settleAttempt(throttle.store, gated.reserved, verdict);
  return conclude(setup, addressed.policy, verdict, context);
}

/** The context every policy sees for `request`. */
function requestContext(setup: Setup<unknown>, request: AuthRequest, scopes: readonly string[]): SchemeContext {
  if (typeof request !== "object" || request === null || typeof request.header !== "function") {
    throw new TypeError("authenticate() needs a request { method, url, header(name) }");
  }
  const field = request.header(setup.proxy ? "proxy-authorization" : "authorization");
  const authorization = typeof field === "string" ? field : undefined;
  return {
    request,
    now: setup.clock(),
    proxy: setup.proxy,
    maxLength: setup.maxLength,
    authorization,
    authScheme: authorization === undefined ? undefined : leadingScheme(authorization),
    scopes,
  };
}

/**
 * Decides a request by the table of `createAuthenticator`: who it is, or the
 * complete failure response, before the hooks. Throws (synchronously, or as
 * a rejection) what a callback throws, and a `TypeError` for a malformed
 * request or options.
 *
 * @param setup the checked options
 * @param request the request
 * @param options what this request needs beyond the configuration
 * @returns the outcome, or a promise of it when a step had to wait
 */
export function decide<Identity>(
  setup: Setup<Identity>,
  request: AuthRequest,
  options: { scopes?: readonly string[] } | undefined,
): MaybePromise<AuthOutcome<Identity>> {
  const context = requestContext(setup, request, routeScopes(options));
  // Credentials outside Authorization; a policy may refuse how they were sent (a Bearer token twice: 400).
  const located = locate(setup, context);
  if (isThenable(located)) return Promise.resolve(located).then((settled) => decideLocated(setup, context, settled));
  return decideLocated(setup, context, located);
}

/** {@link decide} once the located credentials are known. */
function decideLocated<Identity>(
  setup: Setup<Identity>,
  context: SchemeContext,
  located: Located<Identity>,
): MaybePromise<AuthOutcome<Identity>> {
  if (located !== undefined && "failure" in located) return refuseFor(setup, located.policy, located.failure, context);
  const { authorization } = context;
  // No credentials: 401 (407) with every challenge, or 403 with none.
  if (authorization === undefined && located === undefined) {
    if (setup.missingCredentialsStatus === 403) return refuse(setup, 403, "missing-credentials", []);
    return refuseWithChallenges(setup, "missing-credentials", context);
  }
  // The Authorization field decides the policy when present; an auth-scheme nobody reads is 401 (407).
  const addressed: Addressed<Identity> | undefined =
    authorization === undefined
      ? located
      : addressedByField(setup.byAuthScheme, context.authScheme, { from: "authorization", value: authorization });
  if (addressed === undefined) return refuseWithChallenges(setup, "unsupported-scheme", context);
  if (setup.throttle !== undefined) return decideThrottled(setup, setup.throttle, addressed, context);
  // The policy's verdict, awaited only when it is a promise.
  const { policy } = addressed;
  const verdict = policy.verify(addressed.credentials, context);
  if (isThenable(verdict)) {
    return Promise.resolve(verdict).then((settled) => conclude(setup, policy, settled, context));
  }
  return conclude(setup, policy, verdict, context);
}

/** The policy for an `Authorization` auth-scheme, with the credentials, or `undefined`. */
function addressedByField<Identity>(
  byAuthScheme: ReadonlyMap<string, AuthSchemePolicy<Identity>>,
  authScheme: string | undefined,
  credentials: SchemeCredentials,
): Addressed<Identity> | undefined {
  const policy = authScheme === undefined ? undefined : byAuthScheme.get(authScheme);
  return policy === undefined ? undefined : { policy, credentials };
}

/**
 * The outcome, with the app's own failure body, after the audit hooks have
 * run; a hook is waited for only when it returns a thenable.
 *
 * @param setup the checked options
 * @param request the request, for the hooks' event
 * @param outcome the decision
 * @returns the outcome, or a promise of it when a hook returned one
 */
export function finish<Identity>(
  setup: Setup<Identity>,
  request: AuthRequest,
  outcome: AuthOutcome<Identity>,
): MaybePromise<AuthOutcome<Identity>> {
  let hooked: unknown;
  if (outcome.ok) {
    if (setup.onSuccess === undefined) return outcome;
    hooked = setup.onSuccess({ scheme: outcome.scheme, identity: outcome.identity, request: eventRequest(request) });
  } else {
    if (setup.failureResponse !== undefined) customizeFailure(outcome, setup.failureResponse);
    if (setup.onFailure === undefined) return outcome;
    hooked = setup.onFailure({ status: outcome.status, reason: outcome.reason, request: eventRequest(request) });
  }
  return isThenable(hooked) ? Promise.resolve(hooked).then(() => outcome) : outcome;
}
