/**
 * The authenticator's request shape, built from a `node:http` request.
 *
 * @module
 */

import type { IncomingMessage } from "node:http";
import type { AuthRequest } from "@httpauth/core";
import { hasNoBody, readAndRestore } from "./internal/read-body.ts";

/** Options of {@linkcode createAuthRequest}, shared by `protect()` and `middleware()`. */
export interface CreateAuthRequestOptions<Request extends IncomingMessage = IncomingMessage> {
  /**
   * The client's address, which throttling counts failures by. Default:
   * `request.socket.remoteAddress`, the peer of the TCP connection. Behind a
   * reverse proxy that peer is the proxy, so every client would share one
   * count: return the address the proxy vouches for instead (with express,
   * `(request) => request.ip` once `trust proxy` is set).
   */
  clientAddress?: (request: Request) => string | undefined;
  /**
   * The longest buffered body handed to core, in bytes: 65536 (64 KiB) by
   * default, and the most read from the stream with `readBody`. A longer
   * one is not offered (core is told the body is not available: a Bearer
   * token in it is not found, Digest `auth-int` is refused).
   */
  maxBodyLength?: number;
  /**
   * Read the body from the request stream when core needs it (Digest
   * `auth-int`, a Bearer token in a form body) and no body parser left it on
   * `request.rawBody` / `request.body`: at most `maxBodyLength` bytes, pushed
   * back onto the stream with `unshift`, so the handler (or a parser after
   * it) still reads the whole body. Default `false`: the stream is not
   * touched, and Digest `auth-int` is refused for a request with a body.
   */
  readBody?: boolean;
}

/**
 * The scopes a route needs beyond the authenticator's (RFC 6750 §3.1): a
 * list, or a function of the request returning one. A Bearer token without
 * them is answered 403 `insufficient_scope` naming them, as core decides.
 */
export type RouteScopes<Request extends IncomingMessage = IncomingMessage> =
  | readonly string[]
  | ((request: Request) => readonly string[] | undefined);

/**
 * The options `authenticate()` gets for a request, from a `scopes` option.
 *
 * @param scopes the option as given
 * @param request the request, for the function form
 * @returns `{ scopes }`, or `undefined` for none
 */
export function routeScopes<Request extends IncomingMessage>(
  scopes: RouteScopes<Request> | undefined,
  request: Request,
): { scopes: readonly string[] } | undefined {
  const needed = typeof scopes === "function" ? scopes(request) : scopes;
  return needed === undefined ? undefined : { scopes: needed };
}

/**
 * Checks a `scopes` option.
 *
 * @param value the option as given
 * @param context the function, for the message
 * @throws {TypeError} If `value` is neither a list nor a function.
 */
export function checkScopes(value: unknown, context: string): void {
  if (value !== undefined && typeof value !== "function" && !Array.isArray(value)) {
    throw new TypeError(`${context}: options.scopes must be a list of scopes or a function of the request`);
  }
}

/** The longest buffered body offered to core when no `maxBodyLength` is given: 64 KiB. */
const DEFAULT_MAX_BODY_LENGTH = 64 * 1024;

/**
 * Checks a `maxBodyLength` option.
 *
 * @param value the option as given
 * @param context the function, for the message
 * @returns the limit in bytes: `value`, or the default when it is `undefined`
 * @throws {RangeError} If `value` is not a whole number of bytes, 0 or more.
 */
export function checkMaxBodyLength(value: unknown, context: string): number {
  if (value === undefined) return DEFAULT_MAX_BODY_LENGTH;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${context}: maxBodyLength must be a whole number of bytes, 0 or more`);
  }
  return value;
}

/** The body a parser already read, as express's `raw()`/`text()` or a `verify` hook leave it. */
interface BufferedBodies {
  rawBody?: unknown;
  body?: unknown;
}

/** What express and connect add to a request mounted under a path. */
interface MountedRequest {
  originalUrl?: unknown;
}

/** What Node 18.3+ adds: every field line, duplicates kept. Absent on hand-built requests. */
interface DistinctHeaders {
  headersDistinct?: Record<string, string[] | undefined>;
}

/**
 * A header's value by case-insensitive name, several field lines joined with
 * ", " as RFC 9110 §5.3 combines them.
 *
 * `request.headers` keeps only the first line of `Authorization`,
 * `Proxy-Authorization`, `Content-Type` and a few other fields and silently
 * drops the rest. A request with two `Authorization` lines is ambiguous (a
 * proxy in front may have read the other one), so when `headersDistinct`
 * shows more lines than `request.headers` kept, all of them are joined and
 * core refuses the combined value as malformed. A value the application
 * rewrote in `request.headers` (its first line no longer matches) wins.
 */
function readHeader(request: IncomingMessage, name: string): string | undefined {
  const key = name.toLowerCase();
  const value = request.headers[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") return value.join(", ");
  const lines = fieldLines(request, key);
  return lines !== undefined && lines.length > 1 && lines[0] === value ? lines.join(", ") : value;
}

/**
 * Every field line named `key` (lower case), when there are several:
 * found in `request.rawHeaders`, which is what Node's `headersDistinct`
 * getter is built from, without building it for every field of the request;
 * `undefined` for one line or none. A hand-built request without raw headers
 * is read through `headersDistinct`, when it has one.
 */
function fieldLines(request: IncomingMessage, key: string): readonly string[] | undefined {
  const raw: unknown = request.rawHeaders;
  if (!Array.isArray(raw) || raw.length === 0) return (request as DistinctHeaders).headersDistinct?.[key];
  let first: unknown;
  let lines: unknown[] | undefined;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const field: unknown = raw[index];
    // Only a name of the same length is lower-cased to compare (most are not).
    if (typeof field !== "string" || field.length !== key.length || field.toLowerCase() !== key) continue;
    if (first === undefined) first = raw[index + 1];
    else if (lines === undefined) lines = [first, raw[index + 1]];
    else lines.push(raw[index + 1]);
  }
  return lines as string[] | undefined;
}

/**
 * The body bytes a parser already left on the request; `"over"` when they
 * are more than `limit`; `undefined` when there are none.
 */
function bufferedBody(request: IncomingMessage, limit: number): Uint8Array | "over" | undefined {
  const { rawBody, body } = request as IncomingMessage & BufferedBodies;
  return bufferedCandidate(rawBody, limit) ?? bufferedCandidate(body, limit);
}

/** One place a parser may have left the body: its bytes, `"over"` when longer than `limit`, or `undefined`. */
function bufferedCandidate(candidate: unknown, limit: number): Uint8Array | "over" | undefined {
  if (candidate instanceof Uint8Array) return candidate.byteLength > limit ? "over" : candidate;
  // A string's UTF-8 is at least as long as the string: a longer one is refused before encoding.
  if (typeof candidate === "string") {
    if (candidate.length > limit) return "over";
    const bytes = new TextEncoder().encode(candidate);
    return bytes.byteLength > limit ? "over" : bytes;
  }
  return undefined;
}

/**
 * Adapts a `node:http` request (or an express/connect request, which is one)
 * to the {@linkcode AuthRequest} that `authenticate()` reads. Nothing is
 * parsed here: header values go to core as Node received them.
 *
 * - `header(name)` reads `request.headers`; several field lines of one field
 *   are joined with ", " (RFC 9110 §5.3), including the duplicate
 *   `Authorization` lines Node's `request.headers` would drop.
 * - `url` is `request.originalUrl` when express or connect set it (a
 *   middleware mounted under a path sees a shortened `request.url`, while a
 *   Digest client signs the full target), otherwise `request.url`.
 * - `clientAddress` is `request.socket.remoteAddress`, or what
 *   `options.clientAddress` returns.
 * - `body` is offered when a body parser already read the body into a
 *   `Buffer`, `Uint8Array` or string on `request.rawBody` or `request.body`
 *   and it is at most `options.maxBodyLength` bytes (64 KiB by default); as
 *   empty bytes when the request has no body (no `Transfer-Encoding`, no
 *   non-zero `Content-Length`); and with `options.readBody`, read from the
 *   stream on demand (at most `maxBodyLength` bytes) and pushed back for the
 *   handler. Otherwise the body is not available: Bearer tokens in a form
 *   body (RFC 6750 §2.2) are not seen, and Digest `auth-int` is refused —
 *   never checked against an empty body.
 *
 * @param request The incoming request.
 * @param options `clientAddress`, to read the client's address another way;
 *   `maxBodyLength`, the longest buffered body offered to core.
 * @returns The request as the authenticator sees it.
 * @throws {RangeError} If `options.maxBodyLength` is not a whole number of
 *   bytes, 0 or more. Otherwise only what `options.clientAddress` throws.
 *
 * @example Read credentials and the client address
 * ```ts
 * import assert from "node:assert/strict";
 * import { IncomingMessage } from "node:http";
 * import { Socket } from "node:net";
 * import { createAuthRequest } from "@httpauth/node";
 *
 * const request = new IncomingMessage(new Socket());
 * request.method = "GET";
 * request.url = "/reports?year=2024";
 * request.headers = { authorization: "Basic YWRhOmxvdmVsYWNl" };
 *
 * const authRequest = createAuthRequest(request, { clientAddress: () => "203.0.113.7" });
 * assert.equal(authRequest.url, "/reports?year=2024");
 * assert.equal(authRequest.header("Authorization"), "Basic YWRhOmxvdmVsYWNl");
 * assert.equal(authRequest.header("Proxy-Authorization"), undefined);
 * assert.equal(authRequest.clientAddress, "203.0.113.7");
 * assert.deepEqual(await authRequest.body?.(), new Uint8Array(0)); // a GET without a body: empty
 * ```
 *
 * @example A buffered body over maxBodyLength is not offered
 * ```ts
 * import assert from "node:assert/strict";
 * import { IncomingMessage } from "node:http";
 * import { Socket } from "node:net";
 * import { createAuthRequest } from "@httpauth/node";
 *
 * const request = Object.assign(new IncomingMessage(new Socket()), { rawBody: new Uint8Array(100) });
 * assert.equal((await createAuthRequest(request).body?.())?.length, 100);
 * assert.equal(createAuthRequest(request, { maxBodyLength: 64 }).body, undefined);
 * ```
 */
export function createAuthRequest<Request extends IncomingMessage>(
  request: Request,
  options: CreateAuthRequestOptions<Request> = {},
): AuthRequest {
  const { originalUrl } = request as Request & MountedRequest;
  const body = bodyReader(request, checkMaxBodyLength(options.maxBodyLength, "createAuthRequest()"), options);
  const authRequest: AuthRequest = {
    method: request.method ?? "GET",
    url: typeof originalUrl === "string" ? originalUrl : request.url || "/",
    header(name: string): string | undefined {
      return readHeader(request, name);
    },
    clientAddress: options.clientAddress === undefined ? request.socket?.remoteAddress : options.clientAddress(request),
  };
  if (body !== undefined) authRequest.body = body;
  return authRequest;
}

/** The body of a request whose framing says it has none: empty bytes (one function for every such request). */
async function emptyBody(): Promise<Uint8Array> {
  return new Uint8Array(0);
}

/**
 * How core gets the body: what a parser buffered; empty bytes when the
 * framing says there is no body; the stream, read once and pushed back, with
 * `readBody`; otherwise nothing (not available).
 */
function bodyReader(
  request: IncomingMessage,
  limit: number,
  options: CreateAuthRequestOptions<never>,
): (() => Promise<Uint8Array | undefined>) | undefined {
  const buffered = bufferedBody(request, limit);
  if (buffered === "over") return undefined;
  if (buffered !== undefined) return async () => buffered;
  if (hasNoBody(request)) return emptyBody;
  if (options.readBody !== true) return undefined;
  let read: Promise<Uint8Array | undefined> | undefined;
  return () => {
    read ??= readAndRestore(request, limit);
    return read;
  };
}
