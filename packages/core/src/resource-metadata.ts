/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728): the document a resource
 * server publishes about itself (§2), its well-known URL (§3.1), the answer
 * that serves it (§3.2), and the checks a client applies to one it received
 * (§3.2, §3.3). The document is built once from the resource identifier, and
 * so are its URL and the `resource_metadata` of `bearerAuth`: the three
 * cannot disagree.
 *
 * @module
 */

import { HTTPAuthError } from "./errors.ts";
import { requestTarget } from "./internal/policy-support.ts";
import { checkResourceURL, MAX_URL_LENGTH, resourceURLProblem } from "./internal/resource-url.ts";
import type { HeaderLine } from "./policies/types.ts";

/**
 * A Protected Resource Metadata document (RFC 9728 §2), with its members'
 * registered names. Members of other specifications are kept as they are.
 */
export interface ProtectedResourceMetadata {
  /** The resource identifier: an `https` URL without a fragment (REQUIRED). */
  resource: string;
  /** Issuer identifiers of the authorization servers that issue tokens for it. */
  authorization_servers?: string[];
  /** The URL of its JSON Web Key Set (signed responses). */
  jwks_uri?: string;
  /** The scopes used in authorization requests for it (RECOMMENDED). */
  scopes_supported?: string[];
  /** How it accepts Bearer tokens: `header`, `body`, `query` (RFC 6750 §2). */
  bearer_methods_supported?: string[];
  /** JWS `alg` values it signs responses with. */
  resource_signing_alg_values_supported?: string[];
  /** A name for people. */
  resource_name?: string;
  /** A page for developers. */
  resource_documentation?: string;
  /** Its policy on the use of data. */
  resource_policy_uri?: string;
  /** Its terms of service. */
  resource_tos_uri?: string;
  /** Whether it supports mutual-TLS client certificate-bound tokens (RFC 8705). */
  tls_client_certificate_bound_access_tokens?: boolean;
  /** The `authorization_details` types it accepts (RFC 9396). */
  authorization_details_types_supported?: string[];
  /** JWS `alg` values it accepts in DPoP proofs (RFC 9449). */
  dpop_signing_alg_values_supported?: string[];
  /** Whether it always requires DPoP-bound tokens (RFC 9449). */
  dpop_bound_access_tokens_required?: boolean;
  /** A JWT of signed metadata (§2.2); kept as it is, not verified here. */
  signed_metadata?: string;
  /** Members of other specifications. */
  [member: string]: unknown;
}

/**
 * A resource's metadata, built once by {@linkcode createResourceMetadata}:
 * give it to `bearerAuth({ resourceMetadata })` and to the runtime
 * package's metadata handler.
 */
export interface ResourceMetadata {
  /** The resource identifier, exactly as configured (clients compare it character by character, §3.3). */
  readonly resource: string;
  /** The document's well-known URL (§3.1): what `resource_metadata` names. */
  readonly url: string;
  /** The path and query of `url`, which the handler answers at. */
  readonly path: string;
  /** The document, frozen. */
  readonly document: Readonly<ProtectedResourceMetadata>;
  /** The document as sent: JSON. */
  readonly json: string;
}

/** Options of {@linkcode parseResourceMetadata}. */
export interface ParseResourceMetadataOptions {
  /**
   * The resource identifier the client expected: the URL it requested (when
   * it followed `resource_metadata`) or the one it built the well-known URL
   * from. The document's `resource` must be identical (§3.3).
   */
  resource?: string;
  /** The longest document accepted, in characters: 65536 by default. */
  maxLength?: number;
}

/** The answer of {@linkcode createResourceMetadataResponse}: status, header lines, body. */
export interface ResourceMetadataResponse {
  /** 200 for `GET`/`HEAD`, 204 for a CORS preflight, 405 for other methods, 404 for other paths. */
  status: 200 | 204 | 404 | 405;
  /** `Content-Type`, `Access-Control-Allow-Origin: *`, and `Allow` on a 405. */
  headers: HeaderLine[];
  /** The JSON for `GET`; `""` otherwise (a `HEAD` answer has the headers of `GET` and no body). */
  body: string;
}

const WELL_KNOWN = "/.well-known/oauth-protected-resource";
const DEFAULT_MAX_DOCUMENT_LENGTH = 65_536;
/** The most entries of one list member, and the deepest nesting of other members: bounds on the work. */
const MAX_LIST_LENGTH = 1000;
const MAX_DEPTH = 32;

/** Members whose value is a URL, and whether it must be https (loopback http allowed). */
const URL_MEMBERS: ReadonlyMap<string, "https" | "any"> = new Map([
  ["jwks_uri", "https"],
  ["resource_documentation", "any"],
  ["resource_policy_uri", "any"],
  ["resource_tos_uri", "any"],
]);
const STRING_MEMBERS = ["resource_name", "signed_metadata"];
const LIST_MEMBERS = [
  "authorization_servers",
  "scopes_supported",
  "bearer_methods_supported",
  "resource_signing_alg_values_supported",
  "authorization_details_types_supported",
  "dpop_signing_alg_values_supported",
];
const BOOLEAN_MEMBERS = ["tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens_required"];
const BEARER_METHODS = new Set(["header", "body", "query"]);

/** Why a URL member's value is wrong, or `undefined`. */
function urlProblem(value: unknown, rule: "https" | "any"): string | undefined {
  if (rule === "https") return resourceURLProblem(value);
  if (typeof value !== "string") return "must be a string";
  if (value.length > MAX_URL_LENGTH) return `is longer than ${MAX_URL_LENGTH} characters`;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? undefined : "must be an http or https URL";
  } catch {
    return "must be an absolute URL";
  }
}

/** Why a list member's value is wrong, or `undefined`. */
function listProblem(name: string, value: unknown): string | undefined {
  if (!Array.isArray(value)) return "must be an array of strings";
  if (value.length > MAX_LIST_LENGTH) return `has more than ${MAX_LIST_LENGTH} entries`;
  for (const entry of value) {
    if (typeof entry !== "string" || entry === "") return "must hold only non-empty strings";
    if (name === "authorization_servers") {
      const problem = resourceURLProblem(entry);
      if (problem !== undefined) return `holds an issuer that ${problem}`;
    }
    if (name === "bearer_methods_supported" && !BEARER_METHODS.has(entry)) {
      return 'may hold only "header", "body" and "query" (RFC 6750 §2)';
    }
  }
  return undefined;
}

/** Whether `value` is plain JSON (no functions, symbols, bigints, non-finite numbers), to `depth`. */
function isJSONValue(value: unknown, depth: number): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depth > MAX_DEPTH) return false;
  const entries = Array.isArray(value) ? value : Object.values(value);
  return entries.every((entry) => isJSONValue(entry, depth + 1));
}

/**
 * The first problem of a document, as `[member, problem]`, or `undefined`.
 * Registered members are typed; other members must be JSON.
 */
function documentProblem(document: Record<string, unknown>): [string, string] | undefined {
  if (document.resource === undefined) return ["resource", "is required (RFC 9728 §2)"];
  const resource = resourceURLProblem(document.resource);
  if (resource !== undefined) return ["resource", resource];
  for (const [name, value] of Object.entries(document)) {
    if (value === undefined || name === "resource") continue;
    let problem: string | undefined;
    const rule = URL_MEMBERS.get(name);
    if (rule !== undefined) problem = urlProblem(value, rule);
    else if (STRING_MEMBERS.includes(name)) problem = typeof value === "string" ? undefined : "must be a string";
    else if (LIST_MEMBERS.includes(name)) problem = listProblem(name, value);
    else if (BOOLEAN_MEMBERS.includes(name)) problem = typeof value === "boolean" ? undefined : "must be true or false";
    else if (!isJSONValue(value, 0)) problem = "must be a JSON value";
    if (problem !== undefined) return [name, problem];
  }
  return undefined;
}

// RFC 9728 §3.1: insert "/.well-known/oauth-protected-resource" between the host and the path
// and/or query, after removing a terminating "/" that follows the host.
/**
 * Computes the well-known URL of a resource's metadata (RFC 9728 §3.1): the
 * suffix `/.well-known/oauth-protected-resource` goes between the host and
 * the path and query of the resource identifier (a lone `/` after the host
 * is dropped first), so `https://h/mcp` gives
 * `https://h/.well-known/oauth-protected-resource/mcp`.
 *
 * @param resource The resource identifier: an absolute `https` URL without
 *   a fragment (`http` only on a loopback host).
 * @returns The metadata URL.
 * @throws {TypeError} If `resource` is not such a URL.
 *
 * @example Path insertion
 * ```ts
 * import assert from "node:assert/strict";
 * import { createResourceMetadataURL } from "@httpauth/core";
 *
 * assert.equal(createResourceMetadataURL("https://api.example/mcp"), "https://api.example/.well-known/oauth-protected-resource/mcp");
 * assert.equal(createResourceMetadataURL("https://api.example"), "https://api.example/.well-known/oauth-protected-resource");
 * assert.equal(createResourceMetadataURL("https://api.example/?v=2"), "https://api.example/.well-known/oauth-protected-resource?v=2");
 * assert.throws(() => createResourceMetadataURL("http://api.example/mcp"), TypeError);
 * ```
 */
export function createResourceMetadataURL(resource: string): string {
  checkResourceURL(resource, "createResourceMetadataURL(): the resource identifier");
  const url = new URL(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}${WELL_KNOWN}${path}${url.search}`;
}

/**
 * Creates a resource's Protected Resource Metadata (RFC 9728 §2) from one
 * resource identifier: the checked, frozen document, its JSON, and its
 * well-known URL (§3.1). Pass the result to `bearerAuth({ resourceMetadata })`
 * (which puts the URL on every challenge) and to the runtime package's
 * metadata handler (which serves the document there): both come from the
 * same `resource`, as clients check (§3.3).
 *
 * @param document The members, with their registered names: `resource`
 *   (required), `authorization_servers`, `scopes_supported`,
 *   `bearer_methods_supported`, `resource_name`, … Members left
 *   `undefined` are dropped; members of other specifications are kept.
 * @returns The metadata: `resource`, `url`, `path`, `document`, `json`.
 * @throws {TypeError} Naming the member, if `resource` is missing or not an
 *   `https` URL without a fragment (`http` only on a loopback host), an
 *   issuer or `jwks_uri` breaks the same rule, a registered member has the
 *   wrong type, `bearer_methods_supported` holds something other than
 *   `header`, `body`, `query`, or another member is not JSON.
 *
 * @example One object for the challenge and the document
 * ```ts
 * import assert from "node:assert/strict";
 * import { bearerAuth, createAuthenticator, createResourceMetadata } from "@httpauth/core";
 *
 * const metadata = createResourceMetadata({
 *   resource: "https://api.example/mcp",
 *   authorization_servers: ["https://login.example"],
 *   scopes_supported: ["mcp:tools"],
 *   bearer_methods_supported: ["header"],
 * });
 * assert.equal(metadata.url, "https://api.example/.well-known/oauth-protected-resource/mcp");
 * assert.equal(metadata.path, "/.well-known/oauth-protected-resource/mcp");
 * assert.equal(JSON.parse(metadata.json).resource, "https://api.example/mcp");
 *
 * const authenticator = createAuthenticator({
 *   schemes: [bearerAuth({ resourceMetadata: metadata, verify: () => undefined })],
 * });
 * const outcome = await authenticator.authenticate({ method: "POST", url: "/mcp", header: () => undefined });
 * assert.deepEqual(outcome.ok ? [] : outcome.headers[0], [
 *   "WWW-Authenticate",
 *   'Bearer resource_metadata="https://api.example/.well-known/oauth-protected-resource/mcp"',
 * ]);
 * ```
 */
export function createResourceMetadata(document: ProtectedResourceMetadata): ResourceMetadata {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    throw new TypeError('createResourceMetadata() needs the document, such as { resource: "https://api.example/mcp" }');
  }
  const problem = documentProblem(document);
  if (problem !== undefined) {
    throw new TypeError(`createResourceMetadata(): ${problem[0]} ${problem[1]}`);
  }
  const json = JSON.stringify(document);
  const copy = deepFreeze(JSON.parse(json) as ProtectedResourceMetadata);
  const url = createResourceMetadataURL(document.resource);
  const parsed = new URL(url);
  return Object.freeze({
    resource: document.resource,
    url,
    path: parsed.pathname + parsed.search,
    document: copy,
    json,
  });
}

/** Freezes `value` and everything in it. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const entry of Object.values(value)) deepFreeze(entry);
    Object.freeze(value);
  }
  return value;
}

/**
 * Parses and checks a Protected Resource Metadata document a client
 * received (RFC 9728 §3.2, §3.3): JSON of an object whose registered members
 * have their types, whose `resource` is an `https` URL (loopback `http`
 * allowed) and, when `options.resource` is given, identical to it.
 *
 * @param text The response body, or a value already parsed from JSON.
 * @param options `resource`: the identifier the client expects; `maxLength`: the size cap (65536 characters).
 * @returns The document, typed; other members kept as they are.
 * @throws {HTTPAuthError} `field-too-large` for a longer text;
 *   `invalid-metadata` for text that is not JSON of an object, or a member
 *   with the wrong type (the message names it); `resource-mismatch` when
 *   `resource` differs from `options.resource`.
 * @throws {TypeError} If `options.resource` or `options.maxLength` is malformed.
 *
 * @example Check a document against the URL the client used
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseResourceMetadata } from "@httpauth/core";
 *
 * const text = '{"resource":"https://api.example/mcp","authorization_servers":["https://login.example"]}';
 * const metadata = parseResourceMetadata(text, { resource: "https://api.example/mcp" });
 * assert.deepEqual(metadata.authorization_servers, ["https://login.example"]);
 * assert.throws(() => parseResourceMetadata(text, { resource: "https://evil.example/mcp" }), { code: "resource-mismatch" });
 * assert.throws(() => parseResourceMetadata('{"resource":"https://api.example/mcp","scopes_supported":"read"}'), {
 *   code: "invalid-metadata",
 * });
 * ```
 */
export function parseResourceMetadata(
  text: unknown,
  options: ParseResourceMetadataOptions = {},
): ProtectedResourceMetadata {
  const expected = options.resource;
  if (expected !== undefined && typeof expected !== "string") {
    throw new TypeError("parseResourceMetadata(): options.resource must be the resource URL the client used");
  }
  const maxLength = options.maxLength ?? DEFAULT_MAX_DOCUMENT_LENGTH;
  if (!Number.isSafeInteger(maxLength) || maxLength < 2) {
    throw new TypeError("parseResourceMetadata(): options.maxLength must be a whole number of characters, 2 or more");
  }
  let value: unknown = text;
  if (typeof text === "string") {
    if (text.length > maxLength) {
      throw new HTTPAuthError(
        "field-too-large",
        `Cannot parse resource metadata: it is longer than ${maxLength} characters`,
      );
    }
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new HTTPAuthError(
        "invalid-metadata",
        "Cannot parse resource metadata: the document is not JSON (RFC 9728 §3.2)",
        { cause },
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HTTPAuthError(
      "invalid-metadata",
      "Cannot parse resource metadata: the document must be a JSON object (RFC 9728 §3.2)",
    );
  }
  const problem = documentProblem(value as Record<string, unknown>);
  if (problem !== undefined) {
    throw new HTTPAuthError(
      "invalid-metadata",
      `Cannot parse resource metadata: ${problem[0]} ${problem[1]} (RFC 9728 §2)`,
    );
  }
  const document = value as ProtectedResourceMetadata;
  if (expected !== undefined && document.resource !== expected) {
    throw new HTTPAuthError(
      "resource-mismatch",
      "Cannot use resource metadata: its resource is not the URL the client used; do not use this document (RFC 9728 §3.3)",
    );
  }
  return document;
}

const CORS_GET: HeaderLine = ["Access-Control-Allow-Origin", "*"];
const ALLOW = "GET, HEAD, OPTIONS";

/**
 * Decides the answer to a request for the metadata document (RFC 9728
 * §3.2): at the well-known path, `GET` gets 200 with the JSON and `HEAD` the
 * same headers without it, both readable from any origin
 * (`Access-Control-Allow-Origin: *`: the document is public); `OPTIONS` (a
 * CORS preflight) 204; another method 405 with `Allow`; another path 404.
 * The runtime packages' handlers write this answer.
 *
 * @param metadata What {@linkcode createResourceMetadata} returned.
 * @param request The method and the target (`/path?query`) or absolute URL.
 * @returns The status, header lines and body.
 * @throws {TypeError} If `metadata` did not come from `createResourceMetadata`, or `request` has no `method` and `url`.
 *
 * @example Serve the document
 * ```ts
 * import assert from "node:assert/strict";
 * import { createResourceMetadata, createResourceMetadataResponse } from "@httpauth/core";
 *
 * const metadata = createResourceMetadata({ resource: "https://api.example/mcp" });
 * const ok = createResourceMetadataResponse(metadata, { method: "GET", url: "/.well-known/oauth-protected-resource/mcp" });
 * assert.equal(ok.status, 200);
 * assert.equal(ok.body, '{"resource":"https://api.example/mcp"}');
 * assert.equal(createResourceMetadataResponse(metadata, { method: "POST", url: metadata.url }).status, 405);
 * assert.equal(createResourceMetadataResponse(metadata, { method: "GET", url: "/mcp" }).status, 404);
 * ```
 */
export function createResourceMetadataResponse(
  metadata: ResourceMetadata,
  request: { method: string; url: string },
): ResourceMetadataResponse {
  if (
    typeof metadata !== "object" ||
    metadata === null ||
    typeof metadata.json !== "string" ||
    typeof metadata.path !== "string"
  ) {
    throw new TypeError("createResourceMetadataResponse(): pass what createResourceMetadata() returned");
  }
  if (
    typeof request !== "object" ||
    request === null ||
    typeof request.method !== "string" ||
    typeof request.url !== "string"
  ) {
    throw new TypeError("createResourceMetadataResponse(): pass the request's { method, url }");
  }
  if (!matchesPath(requestTarget(request.url), metadata.path)) {
    return { status: 404, headers: [["Content-Type", "text/plain; charset=utf-8"]], body: "404 Not Found\n" };
  }
  const method = request.method.toUpperCase();
  if (method === "GET" || method === "HEAD") {
    return {
      status: 200,
      headers: [["Content-Type", "application/json"], CORS_GET],
      body: method === "GET" ? metadata.json : "",
    };
  }
  if (method === "OPTIONS") {
    return {
      status: 204,
      headers: [
        ["Allow", ALLOW],
        CORS_GET,
        ["Access-Control-Allow-Methods", "GET, HEAD"],
        ["Access-Control-Allow-Headers", "*"],
        ["Access-Control-Max-Age", "86400"],
      ],
      body: "",
    };
  }
  return {
    status: 405,
    headers: [
      ["Allow", ALLOW],
      ["Content-Type", "text/plain; charset=utf-8"],
    ],
    body: "405 Method Not Allowed\n",
  };
}

/** Whether a request target is the document's path: with its query when it has one, any query otherwise. */
function matchesPath(target: string, path: string): boolean {
  if (path.includes("?")) return target === path;
  const mark = target.indexOf("?");
  return (mark === -1 ? target : target.slice(0, mark)) === path;
}
