// @ts-check
/**
 * What the four sample apps (apps/node, apps/deno, apps/bun, apps/workerd)
 * share: the credentials, the routes and the authenticator that guards each,
 * the texts they answer with, and the banner printed at start. An app only
 * plugs these authenticators into its runtime's server, through its
 * runtime's httpauth package.
 *
 * Plain JavaScript, so that Node runs it as it is; Deno, Bun and esbuild
 * (for workerd) import it too.
 *
 * @module
 */

import {
  basicAuth,
  bearerAuth,
  createAuthenticator,
  createDpopNonce,
  createMemoryNonceCountStore,
  createMemoryReplayStore,
  createMemoryThrottleStore,
  createResourceMetadata,
  digestAuth,
  dpopAuth,
  isDpopError,
  verifyDpopProof,
} from "@httpauth/core";

/** The realm of every challenge. */
export const REALM = "httpauth demo";

/** The OAuth 2.0 protected resource (RFC 9728): its path, the issuer its metadata names, and where the metadata is. */
export const OAUTH_RESOURCE_PATH = "/oauth/resource";
export const DEMO_ISSUER = "https://issuer.example";
export const OAUTH_METADATA_PATH = "/.well-known/oauth-protected-resource/oauth/resource";

/** DPoP (RFC 9449): the demo token endpoint (§5) and the resource that takes its tokens (§7). */
export const DPOP_TOKEN_PATH = "/dpop/token";
export const DPOP_RESOURCE_PATH = "/dpop";

/** The second user, always there: a name and password outside ASCII, for clients that send UTF-8 or Latin-1. */
export const SECOND_USER = Object.freeze({ username: "jäsøn", password: "pässwörd" });

/**
 * The routes, in the order `/` lists them, with what guards each.
 * @type {ReadonlyArray<{ path: string, protection: string }>}
 */
export const ROUTES = [
  { path: "/", protection: "public: this list" },
  { path: "/basic", protection: `Basic, realm "${REALM}", charset UTF-8` },
  { path: "/digest", protection: "Digest SHA-256 and MD5, one challenge each, SHA-256 first" },
  { path: "/digest-md5", protection: "Digest MD5 only (for Python's urllib and wget)" },
  { path: "/bearer", protection: "Bearer; the demo token has scope read" },
  { path: "/bearer/admin", protection: "Bearer, scope admin: 403 insufficient_scope with the demo token" },
  { path: "/any", protection: "Digest, Basic and Bearer offered together" },
  { path: "/legacy", protection: "Basic, but a bare 403 without credentials (the old, non-conforming answer)" },
  {
    path: OAUTH_RESOURCE_PATH,
    protection: "Bearer, scope read, resource_metadata (RFC 9728): an OAuth protected resource",
  },
  { path: OAUTH_METADATA_PATH, protection: "public: the Protected Resource Metadata of /oauth/resource" },
  { path: DPOP_TOKEN_PATH, protection: "POST: a demo DPoP token endpoint (RFC 9449 §5), server nonces on" },
  { path: DPOP_RESOURCE_PATH, protection: "DPoP: a token from /dpop/token and a proof of its key, server nonces on" },
];

/** @type {Map<string, import("@httpauth/core").ResourceMetadata>} */
const metadataByOrigin = new Map();

/**
 * The Protected Resource Metadata of `/oauth/resource` at `origin` (the apps
 * learn their origin per request: the port may be chosen at start). At most
 * a few origins are remembered.
 * @param {string} origin  Such as `http://127.0.0.1:8080`.
 * @returns {import("@httpauth/core").ResourceMetadata}
 * @throws {TypeError} If `origin` is not https, nor http on a loopback host.
 */
export function resourceMetadataFor(origin) {
  let metadata = metadataByOrigin.get(origin);
  if (metadata === undefined) {
    metadata = createResourceMetadata({
      resource: `${origin}${OAUTH_RESOURCE_PATH}`,
      authorization_servers: [DEMO_ISSUER],
      scopes_supported: ["read"],
      bearer_methods_supported: ["header"],
      resource_name: "httpauth demo",
    });
    if (metadataByOrigin.size >= 8) metadataByOrigin.clear();
    metadataByOrigin.set(origin, metadata);
  }
  return metadata;
}

/**
 * The origin a request was sent to: its URL's, or (node:http, whose URL is a path) `http://` and its Host.
 * @param {{ url: string, header?: (name: string) => string | null | undefined, headers?: unknown }} request
 * @returns {string}
 */
export function requestOrigin(request) {
  if (/^https?:\/\//i.test(request.url)) return new URL(request.url).origin;
  const host = request.header?.("host");
  return new URL(`http://${host || "127.0.0.1"}`).origin;
}

/**
 * @typedef {object} Credentials
 * @property {string} user      The demo user's name: DEMO_USER, default `alice`.
 * @property {string} password  Its password: DEMO_PASSWORD, default `wonderland`.
 * @property {string} token     The Bearer token, with scope `read`: DEMO_TOKEN, default `demo-token`.
 */

/**
 * @typedef {object} Address
 * @property {string} host  HOST, default `127.0.0.1`.
 * @property {number} port  PORT, or the app's default.
 */

/**
 * Reads DEMO_USER, DEMO_PASSWORD and DEMO_TOKEN; an unset or empty variable gives the default.
 * @param {(name: string) => string | undefined} env  Reads a variable: `(name) => process.env[name]`.
 * @returns {Credentials}
 */
export function readCredentials(env) {
  return {
    user: env("DEMO_USER") || "alice",
    password: env("DEMO_PASSWORD") || "wonderland",
    token: env("DEMO_TOKEN") || "demo-token",
  };
}

/**
 * Reads HOST and PORT.
 * @param {(name: string) => string | undefined} env  Reads a variable.
 * @param {number} defaultPort  The app's port when PORT is unset.
 * @returns {Address}
 * @throws {RangeError} If PORT is not a whole number from 0 to 65535.
 */
export function readAddress(env, defaultPort) {
  const text = env("PORT") || String(defaultPort);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new RangeError(`PORT must be a number from 0 to 65535, not ${text}`);
  return { host: env("HOST") || "127.0.0.1", port };
}

/** Failed attempts allowed per user and client address within {@link THROTTLE_WINDOW} seconds. */
export const THROTTLE_FAILURES = 20;
/** The throttle's window, in seconds. */
export const THROTTLE_WINDOW = 60;

/**
 * The key of Digest's stateless nonces: HTTPAUTH_SECRET when set (at least 16 bytes; every
 * instance behind one load balancer needs the same one to accept the others' nonces), else
 * random, new at every start, so that nonces of an earlier run are refused.
 * @param {(name: string) => string | undefined} env  Reads a variable.
 * @returns {string | Uint8Array}
 * @throws {RangeError} If HTTPAUTH_SECRET is set but shorter than 16 bytes.
 */
export function readSecret(env) {
  const secret = env("HTTPAUTH_SECRET");
  if (!secret) return crypto.getRandomValues(new Uint8Array(32));
  if (encoder.encode(secret).length < 16) throw new RangeError("HTTPAUTH_SECRET must be at least 16 bytes long");
  return secret;
}

/**
 * @typedef {object} Stores
 * @property {import("@httpauth/core").ThrottleStore} [throttle]  Where failures are counted; in memory by default.
 * @property {import("@httpauth/core").NonceCountStore} [nonceCounts]  Digest's nonce counts; in memory by default.
 */

/**
 * One authenticator per protected route, all sharing one throttle ({@link THROTTLE_FAILURES}
 * failures per user and address in {@link THROTTLE_WINDOW} s, then 429) and one store of Digest
 * nonce counts: in memory, or the shared stores given (Redis, Deno KV). A real app would
 * compare password hashes (`verifyPassword` of @httpauth/node, @httpauth/deno, @httpauth/bun).
 * @param {Credentials} credentials
 * @param {{ secret?: string | Uint8Array, stores?: Stores, missingClientAddress?: "reject" | "count-by-identity" }} [options]
 *   The Digest secret ({@link readSecret}), the stores, and what the throttle does with a request whose
 *   client address is unknown (workerd on its own has none: `"count-by-identity"`).
 * @returns {Map<string, import("@httpauth/core").Authenticator<string>>}
 */
export function createAuthenticators(credentials, options = {}) {
  const passwords = new Map([
    [credentials.user, credentials.password],
    [SECOND_USER.username, SECOND_USER.password],
  ]);
  const secret = options.secret ?? crypto.getRandomValues(new Uint8Array(32));
  const nonceCounts = options.stores?.nonceCounts ?? createMemoryNonceCountStore();
  const throttle = {
    maxFailures: THROTTLE_FAILURES,
    window: THROTTLE_WINDOW,
    store: options.stores?.throttle ?? createMemoryThrottleStore(),
    missingClientAddress: options.missingClientAddress ?? "reject",
  };

  const basic = () =>
    basicAuth({
      realm: REALM,
      verify: (username, password) => {
        const expected = passwords.get(username);
        return expected !== undefined && sameText(password, expected) ? username : undefined;
      },
    });
  /** @param {import("@httpauth/core").DigestAlgorithm[]} algorithms */
  const digest = (algorithms) =>
    digestAuth({ realm: REALM, secret, algorithms, nonceCounts, password: (username) => passwords.get(username) });
  /** @param {string[]} scopes */
  const bearer = (scopes) =>
    bearerAuth({
      realm: REALM,
      scopes,
      verify: (token) =>
        sameText(token, credentials.token) ? { identity: credentials.user, scopes: ["read"] } : undefined,
    });

  // Bun and workerd send all challenges on one line, and browsers read one challenge per
  // line: each route lists first the scheme browsers should use. (Two Digest challenges on
  // one line are read as one whose later parameters win: see apps/README.md.)
  return new Map([
    ["/basic", createAuthenticator({ schemes: [basic()], throttle })],
    ["/digest", createAuthenticator({ schemes: [digest(["SHA-256", "MD5"])], throttle })],
    ["/digest-md5", createAuthenticator({ schemes: [digest(["MD5"])], throttle })],
    ["/bearer", createAuthenticator({ schemes: [bearer(["read"])], throttle })],
    ["/bearer/admin", createAuthenticator({ schemes: [bearer(["admin"])], throttle })],
    ["/any", createAuthenticator({ schemes: [digest(["SHA-256", "MD5"]), basic(), bearer(["read"])], throttle })],
    ["/legacy", createAuthenticator({ schemes: [basic()], missingCredentialsStatus: 403, throttle })],
    [DPOP_RESOURCE_PATH, createAuthenticator({ schemes: [dpopResource(secret)], throttle })],
    [
      OAUTH_RESOURCE_PATH,
      createAuthenticator({
        schemes: [
          bearerAuth({
            scopes: ["read"],
            resourceMetadata: (request) => resourceMetadataFor(requestOrigin(request)),
            verify: (token) =>
              sameText(token, credentials.token) ? { identity: credentials.user, scopes: ["read"] } : undefined,
          }),
        ],
        throttle,
      }),
    ],
  ]);
}

/** @type {Readonly<Record<string, string>>} */
const SCHEME_NAMES = { basic: "Basic", bearer: "Bearer", digest: "Digest", dpop: "DPoP" };

/**
 * What a protected route answers: who, with which scheme, where.
 * @param {string} path
 * @param {import("@httpauth/core").AuthContext<string>} auth
 * @returns {string}
 */
export function greeting(path, auth) {
  return `hello ${auth.identity}, authenticated with ${SCHEME_NAMES[auth.scheme] ?? auth.scheme} on ${path}\n`;
}

/**
 * The public page `/`: the routes.
 * @param {string} runtime  Which app this is, such as `Node (node:http)`.
 * @returns {string}
 */
export function indexPage(runtime) {
  const width = Math.max(...ROUTES.map((route) => route.path.length));
  const lines = ROUTES.map((route) => `  ${route.path.padEnd(width)}  ${route.protection}`);
  return `httpauth demo on ${runtime}\n\n${lines.join("\n")}\n\nThe credentials are printed where the server was started.\n`;
}

/**
 * What an app prints once it listens: its URLs, the credentials in use, and curl lines to try.
 * @param {string} runtime  Which app this is, such as `Node (node:http)`.
 * @param {Address} address  Where it listens (the port it really got).
 * @param {Credentials} credentials
 * @returns {string}
 */
export function banner(runtime, address, credentials) {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  const origin = `http://${host}:${address.port}`;
  const width = Math.max(...ROUTES.map((route) => route.path.length));
  const routes = ROUTES.map(
    (route) => `  ${`${origin}${route.path}`.padEnd(origin.length + width)}  ${route.protection}`,
  );
  const userPass = shellQuote(`${credentials.user}:${credentials.password}`);
  const bearerHeader = shellQuote(`Authorization: Bearer ${credentials.token}`);
  /** @type {Array<[string, string?]>} */
  const tries = [
    [`curl -i ${origin}/basic`, "401 and its challenge"],
    [`curl -u ${userPass} ${origin}/basic`],
    [`curl --digest -u ${userPass} ${origin}/digest`],
    [`curl --anyauth -u ${userPass} ${origin}/any`],
    [`curl -H ${bearerHeader} ${origin}/bearer`],
    [`curl -i -H ${bearerHeader} ${origin}/bearer/admin`, "403 insufficient_scope"],
    [`curl -i ${origin}/legacy`, "403, no challenge"],
    [`curl -i ${origin}${OAUTH_RESOURCE_PATH}`, "401 with resource_metadata"],
    [`curl ${origin}${OAUTH_METADATA_PATH}`, "its Protected Resource Metadata"],
  ];
  const commandWidth = Math.max(...tries.map(([command]) => command.length));
  const users = [
    [`${credentials.user} / ${credentials.password}`, "DEMO_USER, DEMO_PASSWORD"],
    [`${SECOND_USER.username} / ${SECOND_USER.password}`, "always there, for clients outside ASCII"],
  ];
  const userWidth = Math.max(...users.map(([pair = ""]) => pair.length));
  return [
    `httpauth demo on ${runtime}: ${origin}/`,
    "",
    ...routes,
    "",
    `users:  ${users.map(([pair = "", note]) => `${pair.padEnd(userWidth)}  (${note})`).join("\n        ")}`,
    `token:  ${credentials.token}  (DEMO_TOKEN), scope read`,
    "",
    "try:",
    ...tries.map(([command, note]) => (note ? `  ${command.padEnd(commandWidth)}  # ${note}` : `  ${command}`)),
    "",
    "Ctrl-C stops the server.",
  ].join("\n");
}

/**
 * Compares two strings in time that depends only on the length of `given`.
 * @param {string} given
 * @param {string} expected
 * @returns {boolean}
 */
function sameText(given, expected) {
  const a = encoder.encode(given);
  const b = encoder.encode(expected);
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index++) difference |= (a[index] ?? 0) ^ (b[index] ?? 0);
  return difference === 0;
}

const encoder = new TextEncoder();

/** @param {string} text */
function shellQuote(text) {
  return /^[\w.,:/@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

// ── DPoP (RFC 9449): a demo token endpoint and a resource that takes its tokens ──────────────

/** How long a DPoP token of the demo lives, in seconds. */
export const DPOP_TOKEN_LIFETIME = 300;
/** The most live DPoP tokens kept; beyond it the oldest is forgotten. */
const MAX_DPOP_TOKENS = 1000;
/** The largest token request body read, in bytes. */
export const MAX_TOKEN_REQUEST_BODY = 4096;
/** Who a demo DPoP token stands for: the token endpoint authenticates no client (see dpopTokenResponse). */
export const DPOP_CLIENT = "dpop-demo-client";

/**
 * What the DPoP token endpoint and the DPoP resource share: the server-nonce secret (the
 * Digest secret of createAuthenticators; its HMAC context differs), the token endpoint's
 * proof replay store, and the tokens issued. Tokens are opaque random strings kept in memory
 * (at most MAX_DPOP_TOKENS, each for DPOP_TOKEN_LIFETIME seconds), so they are valid only
 * on the instance that issued them.
 * @type {{ secret: string | Uint8Array, replay: import("@httpauth/core").ReplayStore, tokens: Map<string, { jkt: string, expiresAt: number }> } | undefined}
 */
let dpopState;

/**
 * The DPoP resource's scheme: dpopAuth with server nonces, the token looked up in memory.
 * @param {string | Uint8Array} secret  The nonce secret.
 */
function dpopResource(secret) {
  dpopState ??= { secret, replay: createMemoryReplayStore(), tokens: new Map() };
  const state = dpopState;
  return dpopAuth({
    realm: REALM,
    nonce: { secret: state.secret },
    // node:http gives a path: htu is checked against the origin the request was sent to.
    origin: (request) => requestOrigin(request),
    verify: (token) => {
      const entry = state.tokens.get(token);
      if (entry === undefined || entry.expiresAt <= Date.now()) return undefined;
      return { identity: DPOP_CLIENT, cnf: { jkt: entry.jkt } };
    },
  });
}

/**
 * Issues a token bound to `jkt`, forgetting expired tokens and, beyond MAX_DPOP_TOKENS, the oldest.
 * @param {{ tokens: Map<string, { jkt: string, expiresAt: number }> }} state
 * @param {string} jkt
 */
function issueDpopToken(state, jkt) {
  const now = Date.now();
  for (const [token, entry] of state.tokens) {
    if (entry.expiresAt <= now || state.tokens.size >= MAX_DPOP_TOKENS) state.tokens.delete(token);
    else break;
  }
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replaceAll("=", "");
  state.tokens.set(token, { jkt, expiresAt: now + DPOP_TOKEN_LIFETIME * 1000 });
  return token;
}

/**
 * @typedef {object} TokenAnswer
 * @property {number} status
 * @property {Array<[string, string]>} headers
 * @property {string} body  JSON.
 */

/**
 * A JSON answer of the token endpoint (RFC 6749 §5.1, §5.2: never cached).
 * @param {number} status
 * @param {Record<string, unknown>} body
 * @param {Array<[string, string]>} [headers]
 * @returns {TokenAnswer}
 */
function tokenAnswer(status, body, headers = []) {
  return {
    status,
    headers: [["Content-Type", "application/json"], ["Cache-Control", "no-store"], ...headers],
    body: JSON.stringify(body),
  };
}

/**
 * The demo DPoP token endpoint, `POST /dpop/token` (RFC 9449 §5), for any runtime: the form
 * body `grant_type=client_credentials` and a DPoP proof of the client's key (checked with
 * verifyDpopProof: method POST, this URL, a fresh server nonce, never replayed) give
 * `{ access_token, token_type: "DPoP", expires_in }`, the token bound to the proof key's
 * thumbprint. A DEMO: it authenticates no client (a real authorization server would, RFC 6749
 * §2.3) and hands a token to anyone who asks.
 *
 * Errors (RFC 6749 §5.2, RFC 9449 §8): 400 `invalid_request` (not a form, no grant_type),
 * 400 `unsupported_grant_type`, 400 `invalid_dpop_proof`, and 400 `use_dpop_nonce` with a
 * `DPoP-Nonce` header for a missing or stale nonce; 405 for a method other than POST.
 * @param {{ method: string, url: string, header: (name: string) => string | null | undefined, body: string | undefined }} request
 *   `url` as the runtime gives it (a path on node:http); `body` the form, at most MAX_TOKEN_REQUEST_BODY
 *   bytes (`undefined` when longer or not read).
 * @returns {Promise<TokenAnswer>}
 */
export async function dpopTokenResponse(request) {
  const state = dpopState;
  if (state === undefined) throw new Error("dpopTokenResponse(): call createAuthenticators() first");
  if (request.method !== "POST") {
    return tokenAnswer(405, { error: "invalid_request", error_description: "Use POST" }, [["Allow", "POST"]]);
  }
  const type = (request.header("content-type") ?? "").split(";", 1)[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded" || request.body === undefined) {
    return tokenAnswer(400, { error: "invalid_request", error_description: "Send a form, at most 4096 bytes" });
  }
  const grantType = new URLSearchParams(request.body).get("grant_type");
  if (grantType === null) return tokenAnswer(400, { error: "invalid_request", error_description: "No grant_type" });
  if (grantType !== "client_credentials") return tokenAnswer(400, { error: "unsupported_grant_type" });
  const proof = request.header("dpop");
  if (!proof) return tokenAnswer(400, { error: "invalid_dpop_proof", error_description: "No DPoP proof" });
  const url = `${requestOrigin(request)}${DPOP_TOKEN_PATH}`;
  try {
    const verified = await verifyDpopProof(proof, {
      method: "POST",
      url,
      nonce: { secret: state.secret },
      replay: state.replay,
    });
    const token = issueDpopToken(state, verified.jkt);
    return tokenAnswer(200, { access_token: token, token_type: "DPoP", expires_in: DPOP_TOKEN_LIFETIME });
  } catch (error) {
    if (!isDpopError(error)) throw error;
    if (error.code === "use-nonce" || error.code === "stale-nonce") {
      const nonce = await createDpopNonce({ secret: state.secret });
      return tokenAnswer(
        400,
        { error: "use_dpop_nonce", error_description: "Authorization server requires nonce in DPoP proof" },
        [["DPoP-Nonce", nonce]],
      );
    }
    return tokenAnswer(400, { error: "invalid_dpop_proof", error_description: error.message });
  }
}

/**
 * Reads a request body as text, at most `limit` bytes: `undefined` when it is longer.
 * @param {ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | null | undefined} source
 *   A Fetch body, or a node:http request (an async iterable of chunks).
 * @param {number} [limit]
 * @returns {Promise<string | undefined>}
 */
export async function readTextBody(source, limit = MAX_TOKEN_REQUEST_BODY) {
  if (source === null || source === undefined) return "";
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  const chunks = "getReader" in source ? readerChunks(source.getReader()) : source;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > limit) return undefined;
    text += decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}

/**
 * @param {ReadableStreamDefaultReader<Uint8Array>} reader
 * @returns {AsyncGenerator<Uint8Array>}
 */
async function* readerChunks(reader) {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * The token endpoint as a Fetch handler (Deno, Bun, workerd, hono).
 * @param {Request} request
 * @returns {Promise<Response>}
 */
export async function dpopTokenHandler(request) {
  const body = request.method === "POST" ? await readTextBody(request.body) : undefined;
  const answer = await dpopTokenResponse({
    method: request.method,
    url: request.url,
    header: (name) => request.headers.get(name),
    body,
  });
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

/**
 * The token endpoint as a node:http handler (apps/node, apps/mcp): the form read from the
 * request stream, the answer written to the response, 500 if answering fails.
 * Typed by shape (a node:http IncomingMessage and ServerResponse), as this module runs on every runtime.
 * @param {AsyncIterable<Uint8Array> & { method?: string | undefined, url?: string | undefined, headers: Record<string, string | string[] | undefined> }} request
 * @param {{ statusCode: number, setHeader(name: string, value: string): unknown, end(body?: string): unknown }} response
 */
export function dpopTokenNodeHandler(request, response) {
  const answer = async () => {
    const body = request.method === "POST" ? await readTextBody(request) : undefined;
    const header = (/** @type {string} */ name) => request.headers[name]?.toString();
    return dpopTokenResponse({ method: request.method ?? "GET", url: request.url ?? "/", header, body });
  };
  answer().then(
    ({ status, headers, body }) => {
      response.statusCode = status;
      for (const [name, value] of headers) response.setHeader(name, value);
      response.end(body);
    },
    () => {
      response.statusCode = 500;
      response.end("500 Internal Server Error\n");
    },
  );
}
