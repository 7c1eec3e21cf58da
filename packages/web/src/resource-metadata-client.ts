/**
 * The client side of RFC 9728: fetch a Protected Resource Metadata document
 * and refuse it unless it is about the resource the client asked for
 * (§3.3), so that a resource server cannot send a client to another
 * resource's authorization servers.
 *
 * @module
 */

import type { ProtectedResourceMetadata } from "@httpauth/core";
import { isLoopbackHostname } from "@httpauth/core";
import { readCapped } from "./internal/body.ts";

/** Why {@linkcode fetchResourceMetadata} or {@linkcode validateResourceMetadata} refused a document. */
export type ResourceMetadataErrorCode =
  | "insecure-url"
  | "unexpected-status"
  | "unexpected-content-type"
  | "too-large"
  | "invalid-json"
  | "not-an-object"
  | "invalid-member"
  | "resource-mismatch";

/**
 * A Protected Resource Metadata document that must not be used (RFC 9728
 * §3.2, §3.3). `code` says why; the message names the member and section.
 *
 * @example Branch on the code
 * ```ts
 * import assert from "node:assert/strict";
 * import { ResourceMetadataError, validateResourceMetadata } from "@httpauth/web";
 *
 * try {
 *   validateResourceMetadata({ resource: "https://evil.example/" }, { resource: "https://api.example/" });
 *   assert.fail("expected an error");
 * } catch (error) {
 *   assert.ok(error instanceof ResourceMetadataError);
 *   assert.equal(error.code, "resource-mismatch");
 * }
 * ```
 */
export class ResourceMetadataError extends Error {
  /** Why the document was refused; stable across versions. */
  readonly code: ResourceMetadataErrorCode;
  /**
   * Creates the error.
   *
   * @param code One of {@linkcode ResourceMetadataErrorCode}.
   * @param message What is wrong, with the RFC section.
   */
  constructor(code: ResourceMetadataErrorCode, message: string) {
    super(message);
    this.name = "ResourceMetadataError";
    this.code = code;
  }
}

/** Options of {@linkcode validateResourceMetadata}. */
export interface ValidateResourceMetadataOptions {
  /**
   * The resource the client used: the URL of the request answered with the
   * challenge (§3.3), or the resource identifier the well-known URL was
   * made from. `resource` must be identical; two absolute URLs that the URL
   * standard writes the same way (`https://H.example` and
   * `https://h.example/`) count as identical.
   */
  resource: string | URL;
}

/** Options of {@linkcode fetchResourceMetadata}. */
export interface FetchResourceMetadataOptions extends ValidateResourceMetadataOptions {
  /** Sends the request: `globalThis.fetch` (looked up on every call) by default. */
  fetch?: (request: Request) => Promise<Response>;
  /** The largest document read, in bytes. Default 65536. */
  maxBytes?: number;
  /** Aborts the request. */
  signal?: AbortSignal;
}

const DEFAULT_MAX_BYTES = 64 * 1024;

function fail(code: ResourceMetadataErrorCode, message: string): never {
  throw new ResourceMetadataError(code, `Cannot use the protected resource metadata: ${message}`);
}

/** `value` as a URL, or `undefined`. */
function toURL(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Whether `url` is https, or http to a loopback host. */
function isSecure(url: URL): boolean {
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopbackHostname(url.hostname));
}

/** Whether the received `resource` is identical to the one the client used (RFC 9728 §3.3, §6). */
function sameResource(received: string, expected: string): boolean {
  if (received === expected) return true;
  const first = toURL(received);
  const second = toURL(expected);
  return first !== undefined && second !== undefined && first.href === second.href;
}

/** Checks that a member, when present, is an array of strings (optionally each a secure URL). */
function checkStringArray(document: Record<string, unknown>, name: string, urls: boolean): void {
  if (!Object.hasOwn(document, name)) return;
  const value = document[name];
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) {
    fail("invalid-member", `'${name}' must be an array of strings (RFC 9728 §2)`);
  }
  if (!urls) return;
  for (const item of value as string[]) {
    const url = toURL(item);
    if (url === undefined || !isSecure(url)) {
      fail("invalid-member", `every entry of '${name}' must be an https URL (RFC 9728 §2, RFC 8414 §2)`);
    }
  }
}

/**
 * Validates a Protected Resource Metadata document as a client must before
 * using it (RFC 9728 §3.2, §3.3): a JSON object whose `resource` is
 * identical to the resource the client used — otherwise "the data
 * contained in the response MUST NOT be used" — with `authorization_servers`
 * an array of https URLs (http only to loopback hosts), the list members
 * arrays of strings, `resource_name` a string and the `*_required` members
 * booleans. Members it does not know are kept (§3.2 says to ignore them).
 *
 * @param document The parsed JSON.
 * @param options `resource`: the URL the client used.
 * @returns The document, typed.
 * @throws {ResourceMetadataError} `not-an-object`, `invalid-member`, `resource-mismatch`.
 * @throws {TypeError} If `options.resource` is missing.
 *
 * @example Refuse a document about another resource
 * ```ts
 * import assert from "node:assert/strict";
 * import { validateResourceMetadata } from "@httpauth/web";
 *
 * const document = { resource: "https://mcp.example/mcp", authorization_servers: ["https://as.example"] };
 * assert.equal(validateResourceMetadata(document, { resource: "https://mcp.example/mcp" }).resource, document.resource);
 * assert.throws(() => validateResourceMetadata(document, { resource: "https://other.example/mcp" }), {
 *   code: "resource-mismatch",
 * });
 * ```
 */
export function validateResourceMetadata(
  document: unknown,
  options: ValidateResourceMetadataOptions,
): ProtectedResourceMetadata {
  const expected = options?.resource instanceof URL ? options.resource.href : options?.resource;
  if (typeof expected !== "string" || expected === "") {
    throw new TypeError("validateResourceMetadata(): pass { resource }, the URL the client used");
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    fail("not-an-object", "the document must be a JSON object (RFC 9728 §3.2)");
  }
  const members = document as Record<string, unknown>;
  const resource = Object.hasOwn(members, "resource") ? members.resource : undefined;
  if (typeof resource !== "string" || toURL(resource) === undefined) {
    fail("invalid-member", "'resource' must be an absolute URL (RFC 9728 §2)");
  }
  if (!sameResource(resource, expected)) {
    fail(
      "resource-mismatch",
      "'resource' is not the URL the client used; the document must not be used (RFC 9728 §3.3)",
    );
  }
  checkStringArray(members, "authorization_servers", true);
  for (const name of ["scopes_supported", "bearer_methods_supported", "dpop_signing_alg_values_supported"]) {
    checkStringArray(members, name, false);
  }
  for (const name of ["dpop_bound_access_tokens_required", "tls_client_certificate_bound_access_tokens"]) {
    if (Object.hasOwn(members, name) && typeof members[name] !== "boolean") {
      fail("invalid-member", `'${name}' must be true or false (RFC 9728 §2)`);
    }
  }
  if (Object.hasOwn(members, "resource_name") && typeof members.resource_name !== "string") {
    fail("invalid-member", "'resource_name' must be a string (RFC 9728 §2)");
  }
  return members as ProtectedResourceMetadata;
}

/** Reads at most `limit` bytes of a response body as text. */
async function readText(response: Response, limit: number): Promise<string> {
  const declared = response.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) {
    response.body?.cancel().catch(() => undefined);
    fail("too-large", `the document is larger than ${limit} bytes`);
  }
  if (response.body === null) return "";
  const bytes = await readCapped(response.body, limit);
  if (bytes === undefined) fail("too-large", `the document is larger than ${limit} bytes`);
  return new TextDecoder().decode(bytes);
}

/** Whether a Content-Type names JSON: `application/json` or a `+json` type, any parameters. */
function isJSONType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const semicolon = contentType.indexOf(";");
  const type = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/**
 * Fetches a Protected Resource Metadata document (RFC 9728 §3.1) and
 * validates it with {@linkcode validateResourceMetadata}: `GET` with
 * `Accept: application/json`, a `200` with a JSON content type (§3.2), at
 * most `maxBytes`, then the `resource` check of §3.3.
 *
 * The URL is typically a challenge's `resourceMetadata`; it must be https
 * (http only to loopback hosts), since the document says which
 * authorization servers to trust (§7.1). Requests to other internal
 * addresses are not blocked here (§7.7): pass a `fetch` that does, when the
 * URL comes from an untrusted server.
 *
 * @param url The document's URL.
 * @param options `resource` (required), `fetch`, `maxBytes`, `signal`.
 * @returns The validated document.
 * @throws {ResourceMetadataError} `insecure-url`, `unexpected-status`,
 *   `unexpected-content-type`, `too-large`, `invalid-json`, and every code
 *   of {@linkcode validateResourceMetadata}. Rejects with whatever `fetch` rejects with.
 * @throws {TypeError} If `url` is not an absolute URL or an option has the wrong type.
 *
 * @example Fetch and check the document a challenge points to
 * ```ts
 * import assert from "node:assert/strict";
 * import { fetchResourceMetadata } from "@httpauth/web";
 *
 * const document = { resource: "https://mcp.example/mcp", authorization_servers: ["https://as.example"] };
 * const metadata = await fetchResourceMetadata("https://mcp.example/.well-known/oauth-protected-resource/mcp", {
 *   resource: "https://mcp.example/mcp",
 *   fetch: async () => Response.json(document),
 * });
 * assert.deepEqual(metadata.authorization_servers, ["https://as.example"]);
 * ```
 */
export async function fetchResourceMetadata(
  url: string | URL,
  options: FetchResourceMetadataOptions,
): Promise<ProtectedResourceMetadata> {
  const target = url instanceof URL ? url : typeof url === "string" ? toURL(url) : undefined;
  if (target === undefined) throw new TypeError("fetchResourceMetadata(): url must be an absolute URL");
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError("fetchResourceMetadata(): maxBytes must be a positive whole number");
  }
  if (options?.fetch !== undefined && typeof options.fetch !== "function") {
    throw new TypeError("fetchResourceMetadata(): options.fetch must be a function");
  }
  if (options?.resource === undefined) {
    throw new TypeError("fetchResourceMetadata(): pass { resource }, the URL the client used");
  }
  if (!isSecure(target)) fail("insecure-url", "fetch it over https (http only to loopback hosts) (RFC 9728 §7.1)");
  const request = new Request(target, {
    method: "GET",
    headers: { Accept: "application/json" },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  const response = await (options.fetch ?? globalThis.fetch)(request);
  if (response.status !== 200) {
    response.body?.cancel().catch(() => undefined);
    fail("unexpected-status", `the server answered ${response.status}, not 200 (RFC 9728 §3.2)`);
  }
  if (!isJSONType(response.headers.get("content-type"))) {
    response.body?.cancel().catch(() => undefined);
    fail("unexpected-content-type", "the server did not answer with application/json (RFC 9728 §3.2)");
  }
  const text = await readText(response, maxBytes);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    fail("invalid-json", "the body is not JSON (RFC 9728 §3.2)");
  }
  return validateResourceMetadata(document, { resource: options.resource });
}
