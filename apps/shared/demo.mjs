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
  createMemoryNonceCountStore,
  createMemoryThrottleStore,
  createResourceMetadata,
  digestAuth,
} from "@httpauth/core";

/** The realm of every challenge. */
export const REALM = "httpauth demo";

/** The OAuth 2.0 protected resource (RFC 9728): its path, the issuer its metadata names, and where the metadata is. */
export const OAUTH_RESOURCE_PATH = "/oauth/resource";
export const DEMO_ISSUER = "https://issuer.example";
export const OAUTH_METADATA_PATH = "/.well-known/oauth-protected-resource/oauth/resource";

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
 * @typedef {object} Stores
 * @property {import("@httpauth/core").ThrottleStore} [throttle]  Where failures are counted; in memory by default.
 * @property {import("@httpauth/core").NonceCountStore} [nonceCounts]  Digest's nonce counts; in memory by default.
 */

/**
 * One authenticator per protected route, all sharing one throttle ({@link THROTTLE_FAILURES}
 * failures per user and address in {@link THROTTLE_WINDOW} s, then 429) and one store of Digest
 * nonce counts: in memory, or the shared stores given (Deno KV, Redis). A real app would
 * compare password hashes (`verifyPassword` of @httpauth/node, @httpauth/deno, @httpauth/bun).
 * @param {Credentials} credentials
 * @param {{ stores?: Stores }} [options]  The shared stores.
 * @returns {Map<string, import("@httpauth/core").Authenticator<string>>}
 */
export function createAuthenticators(credentials, options = {}) {
  const passwords = new Map([
    [credentials.user, credentials.password],
    [SECOND_USER.username, SECOND_USER.password],
  ]);
  // The key of Digest's stateless nonces, new at every start: nonces of an earlier run are refused.
  const secret = crypto.getRandomValues(new Uint8Array(32));
  const nonceCounts = options.stores?.nonceCounts ?? createMemoryNonceCountStore();
  const throttle = {
    maxFailures: THROTTLE_FAILURES,
    window: THROTTLE_WINDOW,
    store: options.stores?.throttle ?? createMemoryThrottleStore(),
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
const SCHEME_NAMES = { basic: "Basic", bearer: "Bearer", digest: "Digest" };

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
