// Reading OAuth resource-server challenges: httpauth's parseResourceChallenges
// beside the two approaches OAuth clients in JavaScript use, on every vector of
// packages/core/test/vectors/resource-challenges.json that has an expected
// answer (the RFC 6750 / 9470 / 9449 / 9728 examples, real MCP, Entra and
// Google challenges, and the edge cases the MCP SDK's regexes miss).
//
// What is compared, per vector: the first Bearer challenge's resource_metadata,
// scope (as a list) and error — the three values the MCP SDK's
// extractWWWAuthenticateParams returns — or nothing when there is no Bearer
// challenge. One timed call reads every vector once; `perCall` turns the
// median into ns per header, and `score` counts the vectors read right.

import { parseResourceChallenges } from "@httpauth/core";
import { processRevocationResponse, WWWAuthenticateChallengeError } from "oauth4webapi";
import vectorFile from "../../packages/core/test/vectors/resource-challenges.json" with { type: "json" };

/** The vectors with an expected answer and no options: [input, expected challenges]. */
export const RESOURCE_VECTORS = vectorFile.cases
  .filter((vector) => vector.expected !== undefined && vector.options === undefined)
  .map((vector) => ({
    name: vector.name,
    lines: typeof vector.input === "string" ? [vector.input] : vector.input,
    expected: vector.expected,
  }));

/** The facts compared: { resourceMetadata, scope, error } of the first Bearer challenge, absent values left out. */
function facts(resourceMetadata, scope, error) {
  const result = {};
  if (resourceMetadata !== undefined) result.resourceMetadata = resourceMetadata;
  if (scope !== undefined) result.scope = scope;
  if (error !== undefined) result.error = error;
  return result;
}

/** A scope string as a list, split on spaces. */
function scopeList(value) {
  return value === undefined ? undefined : value.split(" ").filter((item) => item !== "");
}

const EXPECTED = RESOURCE_VECTORS.map(({ expected }) => {
  const bearer = expected.find((challenge) => challenge.scheme === "bearer");
  return bearer === undefined ? {} : facts(bearer.resourceMetadata, bearer.scope, bearer.error);
});

/**
 * An equivalent of the MCP TypeScript SDK's extractWWWAuthenticateParams
 * (@modelcontextprotocol/sdk 1.x, src/client/auth.ts), written from what
 * its source does: the whole field as Headers.get joins it; give up unless
 * the text before the first space is "bearer"; then, per parameter, the
 * first match of `name=(?:"([^"]+)"|([^\s,]+))` anywhere in the field; an
 * invalid resource_metadata URL is dropped.
 */
export function readLikeMCPSDK(value) {
  if (!value) return {};
  const [type, scheme] = value.split(" ");
  if (type.toLowerCase() !== "bearer" || !scheme) return {};
  const field = (name) => {
    const match = value.match(new RegExp(`${name}=(?:"([^"]+)"|([^\\s,]+))`));
    return match ? match[1] || match[2] || undefined : undefined;
  };
  let resourceMetadataUrl;
  const metadata = field("resource_metadata");
  if (metadata) {
    try {
      resourceMetadataUrl = new URL(metadata);
    } catch {
      // dropped, as the SDK does
    }
  }
  return { resourceMetadataUrl, scope: field("scope"), error: field("error") };
}

/**
 * oauth4webapi's WWW-Authenticate parser (parseWwwAuthenticateChallenges) is
 * not exported; its public route is any response processor, which throws a
 * WWWAuthenticateChallengeError whose `cause` holds the parsed challenges
 * (or, when it cannot parse the field, goes on to other checks). This uses
 * processRevocationResponse, which takes only the response, so the time
 * includes an async call and an Error construction.
 */
export async function readWithOAuth4WebAPI(response) {
  try {
    await processRevocationResponse(response);
  } catch (error) {
    if (error instanceof WWWAuthenticateChallengeError) return error.cause;
    return undefined;
  }
  return undefined;
}

function fromHttpauth(challenges) {
  const bearer = challenges.find((challenge) => challenge.scheme === "bearer");
  return bearer === undefined ? {} : facts(bearer.resourceMetadata, bearer.scope, bearer.error);
}

function fromMCPSDK(read) {
  return facts(read.resourceMetadataUrl?.href, scopeList(read.scope), read.error);
}

function fromOAuth4WebAPI(challenges) {
  const bearer = challenges?.find((challenge) => challenge.scheme === "bearer");
  if (bearer === undefined) return {};
  const { parameters } = bearer;
  return facts(parameters.resource_metadata, scopeList(parameters.scope), parameters.error);
}

/** How many vectors an answer (an array of facts, one per vector) gets right. */
function score(answers) {
  let right = 0;
  for (let index = 0; index < EXPECTED.length; index++) {
    if (JSON.stringify(answers?.[index]) === JSON.stringify(EXPECTED[index])) right++;
  }
  return right;
}

/** The benchmark case: every vector once per timed call. */
export function resourceChallengesCase() {
  const joined = RESOURCE_VECTORS.map(({ lines }) => lines.join(", "));
  const responses = RESOURCE_VECTORS.map(({ lines }) => {
    const headers = new Headers();
    for (const line of lines) headers.append("WWW-Authenticate", line);
    return new Response(null, { status: 401, headers });
  });
  const count = RESOURCE_VECTORS.length;
  return {
    id: "read-resource-challenges",
    operation: "read OAuth resource-server challenges",
    variant: `${count} vectors (RFC examples, MCP, Entra, Google, edge cases)`,
    input: `resource-challenges.json, ${count} headers per call`,
    expected: EXPECTED,
    perCall: count,
    score,
    primaryFloor: ["empty call"],
    checkNote:
      "Right means the first Bearer challenge's resource_metadata, scope (as a list) and error match the vector; score counts the vectors read right.",
    implementations: [
      {
        name: "httpauth",
        kind: "httpauth",
        note: "parseResourceChallenges on the field lines (the RFC 9110 §11 grammar, every challenge typed)",
        run: () => RESOURCE_VECTORS.map(({ lines }) => parseResourceChallenges(lines)),
        normalize: (output) => output.map(fromHttpauth),
      },
      {
        name: "MCP SDK regex (equivalent)",
        kind: "peer",
        validates: false,
        whenWrong:
          "gives up unless Bearer is the first word of the joined field; names matched case-sensitively, without spaces around =; finds scope= inside another quoted value",
        note: "extractWWWAuthenticateParams' approach rewritten for the benchmark: first word must be bearer, then a regex per parameter over the joined field",
        run: () => joined.map(readLikeMCPSDK),
        normalize: (output) => output.map(fromMCPSDK),
      },
      {
        name: "oauth4webapi 3.8.9",
        kind: "peer",
        validates: true,
        whenWrong: "does not check that resource_metadata is an absolute URL",
        note: "parseWwwAuthenticateChallenges through processRevocationResponse (its only public route): includes an async call and an Error per header",
        run: () => Promise.all(responses.map(readWithOAuth4WebAPI)),
        normalize: (output) => output.map(fromOAuth4WebAPI),
      },
      { name: "empty call", kind: "floor", run: () => joined.map((value) => value), normalize: () => EXPECTED },
    ],
  };
}
