// @ts-check
// The OAuth resource-server checks (issue 16): each app's GET /oauth/resource answers a request
// without a token with 401 and `WWW-Authenticate: Bearer … resource_metadata="<origin>/.well-known/
// oauth-protected-resource/oauth/resource"`, serves that document, and accepts `demo-token`. Read
// by three clients no one here wrote the same way: httpauth's own reader, oauth4webapi's
// challenge parser, and the MCP TypeScript SDK's exported helpers.

import { parseResourceChallenges } from "@httpauth/core";
import { createAuthFetch, fetchResourceMetadata } from "@httpauth/web";
import {
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { processRevocationResponse, WWWAuthenticateChallengeError } from "oauth4webapi";
import { rawGet } from "./harness.mjs";

export const OAUTH_PATH = "/oauth/resource";
export const OAUTH_TOKEN = "demo-token";
export const METADATA_PATH = "/.well-known/oauth-protected-resource/oauth/resource";
const TIMEOUT_MS = 20_000;

/** @typedef {{ origin: string, port: number }} OAuthContext */
/** @typedef {{ name: string, run: (t: OAuthContext) => Promise<string | undefined> }} OAuthCheck */

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * The WWW-Authenticate lines of a raw response, as the wire had them.
 * @param {Array<[string, string]>} fields
 */
function challengeLines(fields) {
  return fields.filter(([name]) => name.toLowerCase() === "www-authenticate").map(([, value]) => value);
}

/**
 * A fetch of the resource, no token unless given.
 * @param {OAuthContext} t
 * @param {string} [token]
 */
function fetchResource(t, token) {
  return fetch(`${t.origin}${OAUTH_PATH}`, {
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
}

/**
 * oauth4webapi's challenge parser (parseWwwAuthenticateChallenges, not exported) through its public
 * route: a response processor throws WWWAuthenticateChallengeError with the parsed challenges.
 * @param {Response} response
 */
export async function oauth4webapiChallenges(response) {
  try {
    await processRevocationResponse(response);
  } catch (error) {
    if (error instanceof WWWAuthenticateChallengeError) return error.cause;
    throw error;
  }
  throw new Error("oauth4webapi did not report a challenge");
}

/** @type {OAuthCheck[]} */
export const OAUTH_CHECKS = [
  {
    name: "GET /oauth/resource without a token: 401, a Bearer challenge whose resource_metadata httpauth reads",
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, OAUTH_PATH);
      expect(status === 401, `status ${status}`);
      const challenges = parseResourceChallenges(challengeLines(fields));
      const bearer = challenges.find((challenge) => challenge.scheme === "bearer");
      expect(bearer !== undefined, `no Bearer challenge among ${challenges.map((item) => item.scheme).join(", ")}`);
      expect(bearer.problems.length === 0, `problems: ${JSON.stringify(bearer.problems)}`);
      expect(bearer.resourceMetadata === `${t.origin}${METADATA_PATH}`, `resource_metadata ${bearer.resourceMetadata}`);
      expect(bearer.error === undefined, `error=${bearer.error} on a request without a token`);
      return `scope ${JSON.stringify(bearer.scope ?? null)}`;
    },
  },
  {
    name: "GET /oauth/resource with a wrong token: 401 invalid_token, still with resource_metadata",
    run: async (t) => {
      const { status, fields } = await rawGet(t.port, OAUTH_PATH, { Authorization: "Bearer wrong-token" });
      expect(status === 401, `status ${status}`);
      const bearer = parseResourceChallenges(challengeLines(fields)).find((item) => item.scheme === "bearer");
      expect(bearer?.error === "invalid_token", `error ${bearer?.error}`);
      expect(bearer.resourceMetadata === `${t.origin}${METADATA_PATH}`, `resource_metadata ${bearer.resourceMetadata}`);
      return undefined;
    },
  },
  {
    name: "oauth4webapi's challenge parser reads the same resource_metadata",
    run: async (t) => {
      const response = await fetchResource(t);
      expect(response.status === 401, `status ${response.status}`);
      const challenges = await oauth4webapiChallenges(response);
      const bearer = challenges.find((challenge) => challenge.scheme === "bearer");
      expect(
        bearer?.parameters.resource_metadata === `${t.origin}${METADATA_PATH}`,
        `resource_metadata ${bearer?.parameters.resource_metadata}`,
      );
      return undefined;
    },
  },
  {
    name: "the MCP SDK's extractWWWAuthenticateParams and discoverOAuthProtectedResourceMetadata read the app",
    run: async (t) => {
      const response = await fetchResource(t);
      await response.body?.cancel();
      const { resourceMetadataUrl } = extractWWWAuthenticateParams(response);
      expect(resourceMetadataUrl?.href === `${t.origin}${METADATA_PATH}`, `resourceMetadataUrl ${resourceMetadataUrl}`);
      const metadata = await discoverOAuthProtectedResourceMetadata(`${t.origin}${OAUTH_PATH}`, {
        resourceMetadataUrl,
      });
      expect(metadata.resource === `${t.origin}${OAUTH_PATH}`, `resource ${metadata.resource}`);
      expect((metadata.authorization_servers ?? []).length > 0, "no authorization_servers");
      return `authorization_servers ${JSON.stringify(metadata.authorization_servers)}`;
    },
  },
  {
    name: "@httpauth/web fetchResourceMetadata: the document's resource is the URL used (RFC 9728 §3.3)",
    run: async (t) => {
      const metadata = await fetchResourceMetadata(`${t.origin}${METADATA_PATH}`, {
        resource: `${t.origin}${OAUTH_PATH}`,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      expect(Array.isArray(metadata.authorization_servers), "no authorization_servers");
      expect(
        metadata.scopes_supported === undefined || metadata.scopes_supported.includes("read"),
        `scopes_supported ${JSON.stringify(metadata.scopes_supported)}`,
      );
      return undefined;
    },
  },
  {
    name: "@httpauth/web createAuthFetch: challengeOf and resourceMetadataOf without a usable token, 200 with demo-token",
    run: async (t) => {
      const refused = createAuthFetch({ token: "wrong-token" });
      const response = await refused(`${t.origin}${OAUTH_PATH}`);
      expect(response.status === 401, `status ${response.status}`);
      const challenge = refused.challengeOf(response);
      expect(challenge?.oauth?.error === "invalid_token", `challenge ${JSON.stringify(challenge?.oauth)}`);
      const metadata = await refused.resourceMetadataOf(response);
      expect(metadata?.resource === `${t.origin}${OAUTH_PATH}`, `resource ${metadata?.resource}`);
      const accepted = createAuthFetch({ token: OAUTH_TOKEN });
      const ok = await accepted(`${t.origin}${OAUTH_PATH}`);
      await ok.body?.cancel();
      expect(ok.status === 200, `status ${ok.status} with ${OAUTH_TOKEN}`);
      return undefined;
    },
  },
];
