/**
 * Serving a resource's Protected Resource Metadata (RFC 9728 §3) from
 * `node:http`, connect or express.
 *
 * @module
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceMetadata } from "@httpauth/core";
import { createResourceMetadataResponse } from "@httpauth/core";
import { setHeaderLines } from "./internal/header-lines.ts";
import type { NextFunction } from "./middleware.ts";

/** What {@linkcode createResourceMetadataHandler} returns: a `node:http` listener and a connect/express middleware. */
export type ResourceMetadataHandler<Request extends IncomingMessage = IncomingMessage> = (
  request: Request,
  response: ServerResponse,
  next?: NextFunction,
) => void;

/** Whether `value` has the members of `ResourceMetadata` that serving needs. */
function isMetadata(value: unknown): value is ResourceMetadata {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ResourceMetadata).json === "string" &&
    typeof (value as ResourceMetadata).path === "string"
  );
}

/**
 * Creates a handler that serves a resource's Protected Resource Metadata
 * document at its well-known path (RFC 9728 §3.1, §3.2), as
 * `createResourceMetadataResponse` of `@httpauth/core` decides: `GET` and
 * `HEAD` get 200 `application/json` with `Access-Control-Allow-Origin: *`, a
 * CORS preflight 204, other methods 405 with `Allow`. A request for another
 * path goes to `next()` when there is one (connect, express), and gets 404
 * otherwise (a bare `node:http` listener). Give the same metadata to
 * `bearerAuth({ resourceMetadata })`.
 *
 * @param metadata What `createResourceMetadata()` of `@httpauth/core`
 *   returned, or a function of the request returning it (for a host known
 *   only per request; cache its results, and never trust `Host` blindly).
 * @returns `(request, response, next?) => void`.
 * @throws {TypeError} If `metadata` is neither. When the function returns
 *   something else, the error goes to `next(error)`, or the request is
 *   answered 500 without `next`.
 *
 * @example A server with the document and the protected endpoint
 * ```ts
 * import assert from "node:assert/strict";
 * import { createServer } from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { bearerAuth, createAuthenticator, createResourceMetadata } from "@httpauth/core";
 * import { createResourceMetadataHandler, protect } from "@httpauth/node";
 *
 * const metadata = createResourceMetadata({
 *   resource: "http://127.0.0.1/mcp",
 *   authorization_servers: ["https://login.example"],
 * });
 * const serveMetadata = createResourceMetadataHandler(metadata);
 * const mcp = protect(
 *   (_request, response) => response.end("{}"),
 *   createAuthenticator({ schemes: [bearerAuth({ resourceMetadata: metadata, verify: () => undefined })] }),
 * );
 * const server = createServer((request, response) => {
 *   if (request.url === "/mcp") void mcp(request, response);
 *   else serveMetadata(request, response);
 * });
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 * const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
 *
 * const refused = await fetch(`${origin}/mcp`, { method: "POST" });
 * await refused.text();
 * assert.equal(refused.headers.get("www-authenticate"), `Bearer resource_metadata="${metadata.url}"`);
 * const document = await fetch(`${origin}${metadata.path}`);
 * assert.equal(document.headers.get("access-control-allow-origin"), "*");
 * assert.deepEqual(await document.json(), metadata.document);
 * const other = await fetch(`${origin}/elsewhere`);
 * await other.text();
 * assert.equal(other.status, 404);
 * server.close();
 * ```
 */
export function createResourceMetadataHandler<Request extends IncomingMessage = IncomingMessage>(
  metadata: ResourceMetadata | ((request: Request) => ResourceMetadata),
): ResourceMetadataHandler<Request> {
  if (typeof metadata !== "function" && !isMetadata(metadata)) {
    throw new TypeError(
      "createResourceMetadataHandler(): pass what createResourceMetadata() of @httpauth/core returned, or a function of the request returning it",
    );
  }
  return function resourceMetadataHandler(request: Request, response: ServerResponse, next?: NextFunction): void {
    let current: unknown;
    try {
      current = typeof metadata === "function" ? metadata(request) : metadata;
      if (!isMetadata(current)) {
        throw new TypeError(
          "createResourceMetadataHandler(): the function must return what createResourceMetadata() returned",
        );
      }
    } catch (error) {
      if (next !== undefined) {
        next(error);
        return;
      }
      response.statusCode = 500;
      response.end("500 Internal Server Error\n");
      return;
    }
    const { originalUrl } = request as Request & { originalUrl?: unknown };
    const url = typeof originalUrl === "string" ? originalUrl : request.url || "/";
    const answer = createResourceMetadataResponse(current, { method: request.method ?? "GET", url });
    if (answer.status === 404 && next !== undefined) {
      next();
      return;
    }
    setHeaderLines(response, answer.headers);
    response.statusCode = answer.status;
    response.end(answer.body);
  };
}
