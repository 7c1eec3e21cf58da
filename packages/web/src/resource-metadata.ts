/**
 * Serving a resource's Protected Resource Metadata (RFC 9728 §3) from a
 * `Request → Response` server.
 *
 * @module
 */

import type { ResourceMetadata } from "@httpauth/core";
import { createResourceMetadataResponse } from "@httpauth/core";

/**
 * Creates a `Request → Response` handler that serves a resource's
 * Protected Resource Metadata document at its well-known path (RFC 9728
 * §3.1, §3.2): `GET` and `HEAD` get 200 `application/json` with
 * `Access-Control-Allow-Origin: *`, a CORS preflight 204, other methods 405
 * with `Allow`, other paths 404 — as `createResourceMetadataResponse` of
 * `@httpauth/core` decides. Give the same metadata to
 * `bearerAuth({ resourceMetadata })`, so that the challenge names this
 * document.
 *
 * @param metadata What `createResourceMetadata()` of `@httpauth/core`
 *   returned, or a function of the request returning it (for an origin
 *   known only per request; cache its results).
 * @returns The handler; route the well-known path (or everything under
 *   `/.well-known/oauth-protected-resource`) to it.
 * @throws {TypeError} If `metadata` is neither. The handler rejects with a
 *   `TypeError` when the function returns something else.
 *
 * @example Serve the document beside the protected endpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator, createResourceMetadata } from "@httpauth/core";
 * import { createResourceMetadataHandler, protect } from "@httpauth/web";
 *
 * const metadata = createResourceMetadata({
 *   resource: "https://api.example/mcp",
 *   authorization_servers: ["https://login.example"],
 * });
 * const serveMetadata = createResourceMetadataHandler(metadata);
 * const mcp = protect(
 *   () => new Response("{}"),
 *   createAuthenticator({ schemes: [bearerAuth({ resourceMetadata: metadata, verify: () => undefined })] }),
 * );
 * async function fetch(request: Request): Promise<Response> {
 *   return new URL(request.url).pathname === "/mcp" ? mcp(request) : serveMetadata(request);
 * }
 *
 * const refused = await fetch(new Request("https://api.example/mcp", { method: "POST" }));
 * assert.equal(refused.headers.get("www-authenticate"), `Bearer resource_metadata="${metadata.url}"`);
 * const document = await fetch(new Request(metadata.url));
 * assert.equal(document.headers.get("content-type"), "application/json");
 * assert.equal(document.headers.get("access-control-allow-origin"), "*");
 * assert.equal((await document.json()).resource, "https://api.example/mcp");
 * assert.equal((await fetch(new Request(metadata.url, { method: "DELETE" }))).headers.get("allow"), "GET, HEAD, OPTIONS");
 * assert.equal((await fetch(new Request("https://api.example/elsewhere"))).status, 404);
 * ```
 */
export function createResourceMetadataHandler(
  metadata: ResourceMetadata | ((request: Request) => ResourceMetadata),
): (request: Request) => Promise<Response> {
  if (typeof metadata !== "function" && !isMetadata(metadata)) {
    throw new TypeError(
      "createResourceMetadataHandler(): pass what createResourceMetadata() of @httpauth/core returned, or a function of the request returning it",
    );
  }
  return async function resourceMetadataHandler(request: Request): Promise<Response> {
    if (!(request instanceof Request)) throw new TypeError("createResourceMetadataHandler(): pass a Fetch API Request");
    const current = typeof metadata === "function" ? metadata(request) : metadata;
    if (!isMetadata(current)) {
      throw new TypeError(
        "createResourceMetadataHandler(): the function must return what createResourceMetadata() returned",
      );
    }
    const answer = createResourceMetadataResponse(current, { method: request.method, url: request.url });
    // Bytes, not a string: a string body would add its own `Content-Type: text/plain` beside core's;
    // and an explicit empty header list, as in createFailureResponse: @hono/node-server's Response
    // (which replaces the global one) adds `text/plain; charset=UTF-8` to a byte body without one.
    const body = answer.body === "" ? null : new TextEncoder().encode(answer.body);
    const response = new Response(body, { status: answer.status, headers: [] });
    for (const [name, value] of answer.headers) response.headers.append(name, value);
    return response;
  };
}

/** Whether `value` has the members of `ResourceMetadata` that serving needs. */
function isMetadata(value: unknown): value is ResourceMetadata {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ResourceMetadata).json === "string" &&
    typeof (value as ResourceMetadata).path === "string"
  );
}
