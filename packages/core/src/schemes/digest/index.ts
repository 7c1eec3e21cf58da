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
 * One file per concern: algorithms.ts (names, hashes, the response digest),
 * challenge.ts, credentials.ts (the syntax servers read), nonce.ts
 * (stateless nonces), nonce-count-store.ts, verify.ts with
 * verify-options.ts (servers), client.ts, authentication-info.ts (§3.5,
 * both sides); arguments.ts, params.ts, characters.ts and ext-value.ts are
 * their shared checks.
 *
 * @module
 */

export type { DigestAlgorithm, DigestQop } from "./algorithms.ts";
export { checkDigestChallengeText } from "./arguments.ts";
export type { VerifyDigestAuthenticationInfoOptions } from "./authentication-info.ts";
export { verifyDigestAuthenticationInfo } from "./authentication-info.ts";
export type { CreateDigestChallengeOptions } from "./challenge.ts";
export { createDigestChallenge } from "./challenge.ts";
export type { ComputeDigestCredentialsOptions } from "./client.ts";
export { computeDigestCredentials } from "./client.ts";
export type { DigestCredentials } from "./credentials.ts";
export { parseDigestCredentials } from "./credentials.ts";
export type {
  MemoryNonceCountStoreOptions,
  NonceCountEntry,
  NonceCountResult,
  NonceCountStore,
} from "./nonce-count-store.ts";
export { createMemoryNonceCountStore } from "./nonce-count-store.ts";
export type {
  DigestFailureReason,
  DigestVerification,
  DigestVerificationFailure,
  DigestVerificationSuccess,
} from "./verify.ts";
export { verifyDigestCredentials } from "./verify.ts";
export type { DigestAuthenticationInfoRequest, VerifyDigestCredentialsOptions } from "./verify-options.ts";
