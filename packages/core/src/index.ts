/**
 * HTTP authentication by the RFCs, with no dependencies: one RFC 9110 §11
 * grammar for `WWW-Authenticate`, `Proxy-Authenticate`, `Authorization`,
 * `Proxy-Authorization` and `Authentication-Info`.
 *
 * @example Parse a list of challenges, serialize one per line
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseChallenges, serializeChallenge } from "@httpauth/core";
 *
 * const lines = parseChallenges('Basic realm="api", Bearer realm="api", error="invalid_token"')
 *   .map(serializeChallenge);
 * assert.deepEqual(lines, ['Basic realm="api"', 'Bearer realm="api", error="invalid_token"']);
 * ```
 *
 * @module
 */

export type { AuthParams } from "./auth-params.ts";
export { parseAuthParams, serializeAuthParams } from "./auth-params.ts";
export type {
  AuthContext,
  AuthEventRequest,
  AuthenticateOptions,
  Authenticator,
  AuthenticatorOptions,
  AuthFailure,
  AuthFailureEvent,
  AuthOutcome,
  AuthSuccess,
  AuthSuccessEvent,
  FailureResponse,
  IdentityOf,
  ThrottleOptions,
} from "./authenticator.ts";
export { createAuthenticator, EXPOSED_AUTH_HEADERS } from "./authenticator.ts";
export type { Challenge } from "./challenge.ts";
export { parseChallenges, serializeChallenge, serializeChallenges } from "./challenge.ts";
export { isCorsPreflight } from "./cors.ts";
export type { Credentials } from "./credentials.ts";
export { parseCredentials, serializeCredentials } from "./credentials.ts";
export type { HTTPAuthErrorCode, HTTPAuthErrorOptions } from "./errors.ts";
export { HTTPAuthError, isHTTPAuthError } from "./errors.ts";
export type { ParseOptions } from "./grammar/scanner.ts";
export { DEFAULT_MAX_LENGTH } from "./grammar/scanner.ts";
export type { LintFinding, LintOptions, LintRule } from "./lint.ts";
export { lintChallenges } from "./lint.ts";
export { isLoopbackHostname } from "./loopback.ts";
export type {
  ParseResourceChallengesOptions,
  ResourceChallenge,
  ResourceChallengeProblem,
} from "./oauth/challenge-reader.ts";
export { parseResourceChallenges } from "./oauth/challenge-reader.ts";
export type {
  APIKeyAuthOptions,
  APIKeyCommonOptions,
  APIKeyMapOptions,
  APIKeyVerifyOptions,
} from "./policies/api-key.ts";
export { apiKeyAuth } from "./policies/api-key.ts";
export type {
  BasicAuthOptions,
  BasicCacheOptions,
  BasicCommonOptions,
  BasicUsersOptions,
  BasicVerifyOptions,
} from "./policies/basic.ts";
export { basicAuth } from "./policies/basic.ts";
export type {
  BearerAuthOptions,
  BearerGrant,
  BearerStepUp,
  BearerTokenSources,
  ResourceMetadataSource,
} from "./policies/bearer.ts";
export { bearerAuth } from "./policies/bearer.ts";
export type { DigestAuthOptions } from "./policies/digest.ts";
export { digestAuth } from "./policies/digest.ts";
export type { DpopAuthOptions, DpopGrant } from "./policies/dpop.ts";
export { dpopAuth } from "./policies/dpop.ts";
export type {
  AuthFailureReason,
  AuthRequest,
  AuthScheme,
  AuthSchemeName,
  AuthSchemePolicy,
  ChallengeParameters,
  HeaderLine,
  OpenAPIAPIKeySecurityScheme,
  OpenAPISecurityScheme,
  Refusal,
  SchemeChallengeContext,
  SchemeContext,
  SchemeCredentials,
  SchemeFailure,
  SchemeSuccess,
  SchemeVerdict,
} from "./policies/types.ts";
export type {
  ParseResourceMetadataOptions,
  ProtectedResourceMetadata,
  ResourceMetadata,
  ResourceMetadataResponse,
} from "./resource-metadata.ts";
export {
  createResourceMetadata,
  createResourceMetadataResponse,
  createResourceMetadataURL,
  parseResourceMetadata,
} from "./resource-metadata.ts";
export type { BasicChallengeOptions, BasicCredentials, ParseBasicCredentialsOptions } from "./schemes/basic.ts";
export {
  createBasicChallenge,
  parseBasicCredentials,
  serializeBasicCredentials,
} from "./schemes/basic.ts";
export type { BearerChallengeOptions, BearerCredentials, BearerError } from "./schemes/bearer.ts";
export { BEARER_ERROR_STATUS, createBearerChallenge, parseBearerCredentials } from "./schemes/bearer.ts";
export type {
  ComputeDigestCredentialsOptions,
  CreateDigestChallengeOptions,
  DigestAlgorithm,
  DigestAuthenticationInfoRequest,
  DigestCredentials,
  DigestFailureReason,
  DigestQop,
  DigestVerification,
  DigestVerificationFailure,
  DigestVerificationSuccess,
  MemoryNonceCountStoreOptions,
  NonceCountEntry,
  NonceCountResult,
  NonceCountStore,
  VerifyDigestAuthenticationInfoOptions,
  VerifyDigestCredentialsOptions,
} from "./schemes/digest/index.ts";
export {
  computeDigestCredentials,
  createDigestChallenge,
  createMemoryNonceCountStore,
  parseDigestCredentials,
  verifyDigestAuthenticationInfo,
  verifyDigestCredentials,
} from "./schemes/digest/index.ts";
export type { DpopErrorCode } from "./schemes/dpop/errors.ts";
export { DpopError, isDpopError } from "./schemes/dpop/errors.ts";
export type { DpopAlgorithm } from "./schemes/dpop/keys.ts";
export { computeDpopAccessTokenHash, computeJwkThumbprint, DPOP_ALGORITHMS } from "./schemes/dpop/keys.ts";
export type { CreateDpopNonceOptions, DpopNonceOptions } from "./schemes/dpop/nonce.ts";
export { createDpopNonce } from "./schemes/dpop/nonce.ts";
export type { CreateDpopProofOptions } from "./schemes/dpop/proof.ts";
export { createDpopProof, generateDpopKeyPair, isDpopNonce } from "./schemes/dpop/proof.ts";
export type { VerifiedDpopProof, VerifyDpopProofOptions } from "./schemes/dpop/verify.ts";
export { verifyDpopProof } from "./schemes/dpop/verify.ts";
export type { MemoryReplayStoreOptions, ReplayStore } from "./stores/replay.ts";
export { checkReplayArguments, createMemoryReplayStore, MAX_REPLAY_ID_LENGTH } from "./stores/replay.ts";
export type { MemoryThrottleStoreOptions, ThrottleState, ThrottleStore } from "./throttle.ts";
export { createMemoryThrottleStore } from "./throttle.ts";
