/**
 * httpauth for the Fetch API: guard a `Request → Response` handler (workerd
 * and Cloudflare Workers, Deno, Bun, service workers), turn a failed outcome
 * of `@httpauth/core` into a `Response`, and a `fetch` that answers 401 and
 * 407 challenges with Digest, Basic or Bearer credentials. Only Fetch API
 * globals are used, so it runs in browsers and workerd alike.
 *
 * @example Guard a Worker's fetch handler
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { protect } from "@httpauth/web";
 *
 * const worker = {
 *   fetch: protect(
 *     (request, { identity }) => Response.json({ user: identity }),
 *     createAuthenticator({
 *       schemes: [bearerAuth({ realm: "api", verify: (token) => (token === "t0k3n" ? { identity: "ada" } : undefined) })],
 *     }),
 *   ),
 * };
 * const response = await worker.fetch(new Request("https://api.example/", { headers: { Authorization: "Bearer t0k3n" } }));
 * assert.deepEqual(await response.json(), { user: "ada" });
 * assert.equal((await worker.fetch(new Request("https://api.example/"))).status, 401);
 * ```
 *
 * @module
 */

export type {
  AuthContext,
  AuthenticateOptions,
  Authenticator,
  AuthFailure,
  AuthFailureReason,
  AuthOutcome,
  AuthParams,
  AuthRequest,
  AuthSchemeName,
  AuthSuccess,
  Challenge,
  HeaderLine,
  OpenAPIAPIKeySecurityScheme,
  OpenAPISecurityScheme,
  ParseOptions,
  ParseResourceChallengesOptions,
  ProtectedResourceMetadata,
  ResourceChallenge,
  ResourceChallengeProblem,
  ResourceMetadata,
} from "@httpauth/core";
export type {
  AuthFetchCredentials,
  CreateAuthFetchOptions,
  PasswordCredentials,
  TokenCredentials,
} from "./client.ts";
export { createAuthFetch } from "./client.ts";
export type { AuthFetch, ResourceMetadataOfOptions, ResourceServerChallenge } from "./client-challenges.ts";
export type { DpopCredentials } from "./client-dpop.ts";
export type { GuardedHandler, GuardOptions, ProtectedHandler, ProtectOptions } from "./protect.ts";
export { guard, protect } from "./protect.ts";
export type { CreateAuthRequestOptions } from "./request.ts";
export { createAuthRequest } from "./request.ts";
export type { ParseResponseChallengesOptions, RawHeadersSource } from "./resource-challenges.ts";
export { parseResponseChallenges } from "./resource-challenges.ts";
export { createResourceMetadataHandler } from "./resource-metadata.ts";
export type {
  FetchResourceMetadataOptions,
  ResourceMetadataErrorCode,
  ValidateResourceMetadataOptions,
} from "./resource-metadata-client.ts";
export { fetchResourceMetadata, ResourceMetadataError, validateResourceMetadata } from "./resource-metadata-client.ts";
export type { CreateFailureResponseOptions } from "./response.ts";
export { createFailureResponse } from "./response.ts";
