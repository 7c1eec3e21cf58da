/**
 * Serving a resource's Protected Resource Metadata (RFC 9728 §3) from
 * `Bun.serve`: `@httpauth/web`'s handler, which needs nothing of the runtime.
 *
 * @module
 */

import type { ResourceMetadata } from "@httpauth/web";
import { createResourceMetadataHandler as createFetchHandler } from "@httpauth/web";

/**
 * Creates a `Bun.serve` handler that serves a resource's Protected Resource
 * Metadata document at its well-known path (RFC 9728 §3.1, §3.2): `GET`
 * and `HEAD` get 200 `application/json` with
 * `Access-Control-Allow-Origin: *`, a CORS preflight 204, other methods 405
 * with `Allow`, other paths 404, as `@httpauth/core` decides. Give the same
 * metadata to `bearerAuth({ resourceMetadata })`.
 *
 * @param metadata What `createResourceMetadata()` of `@httpauth/core`
 *   returned, or a function of the request returning it.
 * @returns A `(request) => Promise<Response>` handler.
 * @throws {TypeError} If `metadata` is neither; the handler rejects with a
 *   `TypeError` when the function returns something else.
 *
 * @example Serve the document beside a protected endpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator, createResourceMetadata } from "@httpauth/core";
 * import { createResourceMetadataHandler, protect } from "@httpauth/bun";
 *
 * const metadata = createResourceMetadata({ resource: "http://127.0.0.1/mcp", scopes_supported: ["read"] });
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ resourceMetadata: metadata, verify: () => undefined })],
 * });
 * const serveMetadata = createResourceMetadataHandler(metadata);
 * const server = Bun.serve({
 *   port: 0,
 *   hostname: "127.0.0.1",
 *   routes: { "/mcp": protect(() => new Response("{}"), authenticator) },
 *   fetch: serveMetadata,
 * });
 * const origin = `http://127.0.0.1:${server.port}`;
 * const refused = await fetch(`${origin}/mcp`, { method: "POST" });
 * await refused.body?.cancel();
 * assert.equal(refused.headers.get("www-authenticate"), `Bearer resource_metadata="${metadata.url}"`);
 * const document = await fetch(`${origin}${metadata.path}`);
 * assert.deepEqual(await document.json(), metadata.document);
 * await server.stop(true);
 * ```
 */
export function createResourceMetadataHandler(
  metadata: ResourceMetadata | ((request: Request) => ResourceMetadata),
): (request: Request) => Promise<Response> {
  return createFetchHandler(metadata);
}
