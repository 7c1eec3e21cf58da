/**
 * What `createAuthFetch` keeps of a 401 or 403 from an OAuth 2.0 resource
 * server: the parsed challenges, for the caller to act on.
 *
 * @module
 */

import type { ProtectedResourceMetadata, ResourceChallenge } from "@httpauth/core";
import { isHTTPAuthError, parseResourceChallenges } from "@httpauth/core";
import type { FetchResourceMetadataOptions } from "./resource-metadata-client.ts";
import { fetchResourceMetadata } from "./resource-metadata-client.ts";

/**
 * A 401 or 403 answer from a resource server, as {@linkcode AuthFetch}'s
 * `challengeOf` gives it: the challenges, the one an OAuth 2.0 client acts
 * on, and the URL the client used (what the metadata's `resource` must
 * equal, RFC 9728 §3.3).
 */
export interface ResourceServerChallenge {
  /** `401` (no or bad credentials, step-up) or `403` (`insufficient_scope`). */
  status: number;
  /** The URL the request went to (after redirects), the resource for RFC 9728 §3.3. */
  url: string;
  /** Every challenge of `WWW-Authenticate`, in order, typed. */
  challenges: ResourceChallenge[];
  /**
   * The first Bearer challenge, else the first DPoP challenge: its
   * `resourceMetadata`, `scope`, `error`, `acrValues`, `maxAge` say what to
   * do next. `undefined` when the server sent neither.
   */
  oauth: ResourceChallenge | undefined;
}

/** Options of `resourceMetadataOf`: those of `fetchResourceMetadata` but `resource`, which the challenge gives. */
export type ResourceMetadataOfOptions = Omit<FetchResourceMetadataOptions, "resource">;

/**
 * The function `createAuthFetch` returns: `fetch`'s signature, plus two
 * ways to read the challenge of a response it returned.
 */
export interface AuthFetch {
  /** Sends the request, answering one challenge as `createAuthFetch` describes. */
  (input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  /**
   * The challenge of a `401` or `403` that this function returned: parsed
   * from its `WWW-Authenticate` field; `undefined` for any other response,
   * a response from elsewhere (or a clone), a `407`, or a field that does not
   * parse (`parseResponseChallenges` on the response gives the error).
   */
  challengeOf(response: Response): ResourceServerChallenge | undefined;
  /**
   * Fetches and validates the Protected Resource Metadata document that the
   * challenge of `response` points to (`resource_metadata`, RFC 9728 §5.1),
   * checking that its `resource` is the URL the client used (§3.3).
   * `undefined` when `challengeOf(response)` is, or names no metadata URL.
   * Sent with the `fetch` of `createAuthFetch` unless one is given.
   */
  resourceMetadataOf(
    response: Response,
    options?: ResourceMetadataOfOptions,
  ): Promise<ProtectedResourceMetadata | undefined>;
}

/** Parses the challenge of a 401 or 403; `undefined` for other statuses or a field that does not parse. */
export function readResourceServerChallenge(response: Response, url: string): ResourceServerChallenge | undefined {
  if (response.status !== 401 && response.status !== 403) return undefined;
  const value = response.headers.get("www-authenticate");
  if (value === null) return undefined;
  let challenges: ResourceChallenge[];
  try {
    challenges = parseResourceChallenges(value);
  } catch (error) {
    if (isHTTPAuthError(error)) return undefined;
    throw error;
  }
  const oauth =
    challenges.find((challenge) => challenge.scheme === "bearer") ??
    challenges.find((challenge) => challenge.scheme === "dpop");
  return { status: response.status, url: response.url === "" ? url : response.url, challenges, oauth };
}

/** `resourceMetadataOf` for the challenges one `createAuthFetch` recorded. */
export async function resourceMetadataOf(
  recorded: WeakMap<Response, ResourceServerChallenge>,
  send: ((request: Request) => Promise<Response>) | undefined,
  response: Response,
  options: ResourceMetadataOfOptions | undefined,
): Promise<ProtectedResourceMetadata | undefined> {
  const challenge = recorded.get(response);
  const url = challenge?.oauth?.resourceMetadata;
  if (challenge === undefined || url === undefined) return undefined;
  const fetch = options?.fetch ?? send;
  return fetchResourceMetadata(url, {
    ...options,
    resource: challenge.url,
    ...(fetch === undefined ? {} : { fetch }),
  });
}
