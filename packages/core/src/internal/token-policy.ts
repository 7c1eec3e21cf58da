/**
 * What the two access-token policies (`bearerAuth`, RFC 6750, and `dpopAuth`,
 * RFC 9449) share: the RFC 9728 `resourceMetadata` option, step-up demands
 * (RFC 9470), and scope checks.
 *
 * @module
 */

import type { AuthRequest, ChallengeParameters } from "../policies/types.ts";
import type { ResourceMetadata } from "../resource-metadata.ts";
import { createBearerChallenge } from "../schemes/bearer.ts";
import { checkResourceURL } from "./resource-url.ts";

/** A step-up demand (RFC 9470 §3), as `verify` returns it. */
export interface StepUpDemand {
  error: "insufficient_user_authentication";
  acrValues?: string | readonly string[];
  maxAge?: number;
}

/** The `resourceMetadata` option: a URL, what `createResourceMetadata` returned, or a function of the request giving either. */
export type MetadataOption =
  | string
  | Pick<ResourceMetadata, "url">
  | ((request: AuthRequest) => string | Pick<ResourceMetadata, "url">);

/** The URL in a `resourceMetadata` source, checked against RFC 9728's rule. */
function metadataURL(source: unknown, what: string): string {
  const url = typeof source === "object" && source !== null ? (source as { url?: unknown }).url : source;
  return checkResourceURL(url, what);
}

/**
 * Checks the `resourceMetadata` option: a fixed URL, or a function checked on each call.
 *
 * @param option The option.
 * @param what Who asks (`bearerAuth(): resourceMetadata`).
 * @returns The fixed URL, or the function giving a checked URL per request.
 * @throws {TypeError} If a fixed URL breaks RFC 9728's rule (the function throws the same per request).
 */
export function checkMetadataOption(
  option: MetadataOption | undefined,
  what: string,
): { fixed: string | undefined; metadataFor: ((request: AuthRequest) => string) | undefined } {
  if (typeof option === "function") {
    const metadataFor = (request: AuthRequest): string => metadataURL(option(request), `${what} returned a URL that`);
    return { fixed: undefined, metadataFor };
  }
  return { fixed: option === undefined ? undefined : metadataURL(option, what), metadataFor: undefined };
}

/**
 * Whether `value` is a step-up demand rather than a grant; a grant with another `error` is the app's bug.
 *
 * @param value What `verify` returned (not a refusal).
 * @param policy The policy's name, for the message.
 * @returns `true` for a step-up demand.
 * @throws {TypeError} For an object with another `error`.
 */
export function isStepUp(value: object, policy: string): value is StepUpDemand {
  if (!("error" in value)) return false;
  if (value.error === "insufficient_user_authentication") return true;
  throw new TypeError(
    `${policy}(): verify returned an object with an error; the only one it may return is "insufficient_user_authentication" (RFC 9470); refuse a token with undefined`,
  );
}

/**
 * A step-up demand as challenge parameters, checked (a bad one is the app's bug: TypeError).
 *
 * @param demand What `verify` returned.
 * @param policy The policy's name, for the message.
 * @returns The challenge parameters besides `error`.
 * @throws {TypeError} If `acrValues` or `maxAge` is malformed.
 */
export function stepUpParameters(demand: StepUpDemand, policy: string): Omit<ChallengeParameters, "error"> {
  const what = `${policy}(): verify returned insufficient_user_authentication, but its`;
  const { acrValues, maxAge } = demand;
  let list: readonly string[] | undefined;
  if (acrValues !== undefined) {
    list = typeof acrValues === "string" ? acrValues.split(" ") : acrValues;
    if (!Array.isArray(list) || list.length === 0 || !list.every((value) => typeof value === "string")) {
      throw new TypeError(`${what} acrValues must be a non-empty list of strings`);
    }
  }
  if (maxAge !== undefined && (typeof maxAge !== "number" || !Number.isSafeInteger(maxAge) || maxAge < 0)) {
    throw new TypeError(`${what} maxAge must be a whole number of seconds, 0 or more`);
  }
  // Checked against RFC 9470's characters now, so that a bad value fails in verify, not while answering.
  createBearerChallenge({
    error: "insufficient_user_authentication",
    ...(list === undefined ? {} : { acrValues: list }),
    ...(maxAge === undefined ? {} : { maxAge }),
  });
  return {
    ...(list === undefined ? {} : { acrValues: Object.freeze([...list]) }),
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

/**
 * Whether a token's scopes lack one of the policy's or the request's.
 *
 * @param granted The token's scopes.
 * @param own The policy's.
 * @param route The route's.
 * @returns `true` when one is missing.
 */
export function missingScopes(
  granted: readonly string[] | undefined,
  own: readonly string[],
  route: readonly string[],
): boolean {
  const set = new Set(granted ?? []);
  return !own.every((scope) => set.has(scope)) || !route.every((scope) => set.has(scope));
}

/**
 * The policy's scopes and the route's, each once, in that order.
 *
 * @param own The policy's.
 * @param route The route's.
 * @returns The union, frozen.
 */
export function unionScopes(own: readonly string[], route: readonly string[]): readonly string[] {
  return Object.freeze([...new Set([...own, ...route])]);
}
