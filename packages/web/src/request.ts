/**
 * The request side of a `Request → Response` server: a Fetch API `Request`
 * as `@httpauth/core` reads it.
 *
 * @module
 */

import type { AuthRequest } from "@httpauth/core";
import { checkMaxBodyLength, readBody } from "./internal/body.ts";

/** Options of {@linkcode createAuthRequest}. */
export interface CreateAuthRequestOptions {
  /**
   * The client's address, for throttling. The Fetch API has no standard place
   * for it: on Cloudflare read `CF-Connecting-IP`; behind your own proxy, the
   * header that proxy sets. Never trust such a header from the open internet.
   */
  clientAddress?: string | undefined;
  /**
   * The most bytes of the body read for core, 65536 (64 KiB) by default. A
   * longer body (by `Content-Length`, or as it streams in) is not read any
   * further and core is told it is not available: a Bearer token in it is
   * not found, and Digest `auth-int` is refused (never checked against an
   * empty body). Raise it for `auth-int` uploads.
   */
  maxBodyLength?: number | undefined;
}

/**
 * Creates the request shape of `@httpauth/core` (`AuthRequest`) from a Fetch
 * API `Request`: the method, the absolute URL, headers by case-insensitive
 * name through `request.headers.get`, and the body read on demand.
 *
 * The body is read only when core asks for it (a Bearer token in a form body,
 * RFC 6750 §2.2, or Digest `auth-int`, RFC 7616 §3.4.3), from
 * `request.clone()`, so the handler can still read the request's own body.
 * It is read once and shared between the callers, and only up to
 * `maxBodyLength` bytes (64 KiB by default): a longer body is left unread and
 * `body()` resolves to `undefined` (not available; Digest `auth-int` is then
 * refused), while a request without a body gives empty bytes.
 *
 * @param request The incoming request; its body must not have been read yet.
 * @param options `clientAddress`, for throttling; `maxBodyLength`, the most body bytes read.
 * @returns The request as `authenticator.authenticate()` takes it.
 * @throws {TypeError} If `request` is not a `Request`. Reading the body later
 *   rejects with a `TypeError` if the body was already read.
 * @throws {RangeError} If `maxBodyLength` is not a whole number of bytes, 0 or more.
 *
 * @example Build the request core reads
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthRequest } from "@httpauth/web";
 *
 * const request = new Request("https://api.example/orders?page=2", {
 *   method: "POST",
 *   headers: { Authorization: "Bearer mF_9.B5f-4.1JqM" },
 *   body: "access_token=other",
 * });
 * const authRequest = createAuthRequest(request, { clientAddress: "192.0.2.7" });
 * assert.equal(authRequest.method, "POST");
 * assert.equal(authRequest.url, "https://api.example/orders?page=2");
 * assert.equal(authRequest.header("authorization"), "Bearer mF_9.B5f-4.1JqM");
 * assert.equal(authRequest.header("x-absent"), null);
 * assert.equal(authRequest.clientAddress, "192.0.2.7");
 * const body = await authRequest.body?.();
 * assert.equal(new TextDecoder().decode(body), "access_token=other");
 * assert.equal(await request.text(), "access_token=other"); // still readable
 * ```
 *
 * @example A body over maxBodyLength is not read
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthRequest } from "@httpauth/web";
 *
 * const request = new Request("https://api.example/upload", { method: "POST", body: "x".repeat(100) });
 * assert.equal(await createAuthRequest(request, { maxBodyLength: 64 }).body?.(), undefined);
 * assert.equal((await request.text()).length, 100); // the handler still gets all of it
 * ```
 */
export function createAuthRequest(request: Request, options?: CreateAuthRequestOptions): AuthRequest {
  if (!(request instanceof Request)) throw new TypeError("createAuthRequest(): pass a Fetch API Request");
  const clientAddress = options?.clientAddress;
  const maxBodyLength = checkMaxBodyLength(options?.maxBodyLength, "createAuthRequest()");
  return readRequest(request, maxBodyLength, clientAddress);
}

/**
 * The request as core reads it: a plain object of one shape per kind (with or
 * without a client address), no accessors (a getter made per request gives
 * each object a shape of its own, and core's reads of it go slow); the body
 * is read once, when core asks for it.
 *
 * @param request a Fetch API `Request`, already checked
 * @param maxBodyLength the most body bytes read, already checked
 * @param clientAddress the client's address, or `undefined` when there is none
 * @returns the request for `authenticate()`
 */
export function readRequest(request: Request, maxBodyLength: number, clientAddress: string | undefined): AuthRequest {
  let body: Promise<Uint8Array | undefined> | undefined;
  const authRequest: AuthRequest = {
    method: request.method,
    url: request.url,
    header(name: string): string | null {
      return request.headers.get(name);
    },
    body(): Promise<Uint8Array | undefined> {
      body ??= readBody(request, maxBodyLength);
      return body;
    },
  };
  if (clientAddress !== undefined) authRequest.clientAddress = clientAddress;
  return authRequest;
}
