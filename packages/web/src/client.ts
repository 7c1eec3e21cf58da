/**
 * The client side: a `fetch` that answers `401` and `407` challenges with
 * Digest (RFC 7616), Basic (RFC 7617) or Bearer (RFC 6750) credentials.
 *
 * @module
 */

import type { Challenge, Credentials } from "@httpauth/core";
import {
  computeDigestCredentials,
  isHTTPAuthError,
  isLoopbackHostname,
  parseAuthParams,
  parseChallenges,
  serializeBasicCredentials,
  serializeCredentials,
  verifyDigestAuthenticationInfo,
} from "@httpauth/core";
import type { AuthFetch, ResourceMetadataOfOptions, ResourceServerChallenge } from "./client-challenges.ts";
import { readResourceServerChallenge, resourceMetadataOf } from "./client-challenges.ts";
import type { DpopCredentials, DpopSession } from "./client-dpop.ts";
import { createDpopSession, fetchWithDpop, isDpopCredentials } from "./client-dpop.ts";
import type { RememberedBasic, RememberedChallenge } from "./client-spaces.ts";
import {
  forgetBasic,
  forgetEntry,
  lookupBasic,
  lookupDigest,
  param,
  protectionSpace,
  rememberBasic,
  rememberEntry,
} from "./client-spaces.ts";

/** A user name and password: answered with Digest, or Basic when no Digest challenge can be answered. */
export interface PasswordCredentials {
  /** The user name. For Basic it must not contain `:` (RFC 7617 §2). */
  username: string;
  /** The password. */
  password: string;
}

/** A bearer token (RFC 6750): answers Bearer challenges only. */
export interface TokenCredentials {
  /** The access token, in b64token syntax (RFC 6750 §2.1). */
  token: string;
}

/**
 * What {@linkcode createAuthFetch} answers challenges with: a user name and
 * password, a bearer token, or a DPoP key pair with the token bound to it
 * (`{ token, dpop }`, or `{ dpop }` alone for token requests; RFC 9449).
 */
export type AuthFetchCredentials = PasswordCredentials | TokenCredentials | DpopCredentials;

/** Options of {@linkcode createAuthFetch}. */
export interface CreateAuthFetchOptions {
  /**
   * Sends a request: `globalThis.fetch` (looked up on every call) by default;
   * a Worker's service binding as `(request) => env.API.fetch(request)`.
   */
  fetch?: (request: Request) => Promise<Response>;
  /**
   * Send Basic credentials over plain `http:` to hosts that are not loopback.
   * Default `false`: anyone on the path could read the password.
   */
  allowInsecureBasic?: boolean;
  /**
   * Send a Bearer token, or a DPoP-bound one, over plain `http:` to hosts
   * that are not loopback. Default `false`: anyone on the path could read
   * the token and use it (a DPoP-bound one with a proof read beside it, or
   * by a server that asks for the token without checking proofs).
   */
  allowInsecureBearer?: boolean;
  /**
   * The weakest Digest algorithm answered (RFC 7616 §3.7): a challenge with a
   * weaker one (its `-sess` variant included) is not answered, as if the
   * server had not offered it. `"SHA-256"` refuses MD5, which a server — or
   * anyone on the path of plain `http:` — could otherwise ask for to get an
   * MD5 hash of the password to attack offline. Default `"MD5"`: every
   * algorithm, for the servers that offer nothing else (RFC 2617 servers,
   * many devices).
   */
  minimumDigestAlgorithm?: "MD5" | "SHA-256" | "SHA-512-256";
  /**
   * Answer `407` with `Proxy-Authenticate`, sending `Proxy-Authorization`
   * (RFC 9110 §11.7), instead of `401` and `WWW-Authenticate`. It needs a
   * `fetch` that hands a 407 to the caller: the Fetch standard turns it into
   * a network error, as browsers and Node's fetch do (Deno's and Bun's return
   * it), and browsers forbid scripts to set `Proxy-Authorization`.
   */
  proxy?: boolean;
}

/** Credentials about to be sent, and what they answered. */
interface Attempt {
  /** The `Authorization` (or `Proxy-Authorization`) value. */
  value: string;
  /** For Digest: the credentials (to check `Authentication-Info`) and the challenge answered. */
  digest?: { credentials: Credentials; remembered: RememberedChallenge };
  /** For Basic: the realm answered, remembered when the credentials are accepted, forgotten on a 401 (407). */
  basicRealm?: string;
  /** For Bearer: the token is all there is to send, so a 401 (407) to it is not answered again. */
  bearer?: true;
}

/** Digest algorithms by preference (RFC 7616 §3.7): stronger first; a `-sess` variant ranks with its hash. */
const DIGEST_PREFERENCE: ReadonlyMap<string, number> = new Map([
  ["sha-512-256", 3],
  ["sha-512-256-sess", 3],
  ["sha-256", 2],
  ["sha-256-sess", 2],
  ["md5", 1],
  ["md5-sess", 1],
]);

/** The preference each `minimumDigestAlgorithm` stands for. */
const MINIMUM_DIGEST: ReadonlyMap<unknown, number> = new Map<unknown, number>([
  ["MD5", 1],
  ["SHA-256", 2],
  ["SHA-512-256", 3],
]);

/** The preference of a Digest challenge's algorithm (MD5 when absent), or 0 when httpauth cannot answer it. */
function digestPreference(challenge: Challenge): number {
  return DIGEST_PREFERENCE.get((param(challenge, "algorithm") ?? "md5").toLowerCase()) ?? 0;
}

/** Whether a challenge says the credentials were right but their nonce expired (RFC 7616 §3.3). */
function isStale(challenge: Challenge): boolean {
  return challenge.scheme === "digest" && param(challenge, "stale")?.toLowerCase() === "true";
}

/** A copy of a Digest challenge with another nonce, without `stale`: a new object, so its `nc` starts at 1. */
function withNonce(challenge: Challenge, nonce: string): Challenge {
  const params = Object.assign(Object.create(null) as Record<string, string>, challenge.params);
  params.nonce = nonce;
  delete params.stale;
  return { scheme: challenge.scheme, params };
}

/** The challenges of a response, or `undefined` when the field is absent or does not parse. */
function readChallenges(response: Response, field: string): Challenge[] | undefined {
  // Headers joins several field lines with ", ": that is one list (RFC 9110 §5.3), which the list parser splits.
  const value = response.headers.get(field);
  if (value === null) return undefined;
  try {
    return parseChallenges(value);
  } catch (error) {
    if (isHTTPAuthError(error)) return undefined;
    throw error;
  }
}

/** Drops a response that will not be returned, so its connection can be reused. */
function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

/** Checks and copies the credentials given to {@linkcode createAuthFetch}. */
function readCredentials(credentials: AuthFetchCredentials): PasswordCredentials | TokenCredentials | DpopSession {
  if (typeof credentials !== "object" || credentials === null) {
    throw new TypeError("createAuthFetch(): pass { username, password }, { token } or { token?, dpop }");
  }
  if (isDpopCredentials(credentials)) return createDpopSession(credentials);
  const hasToken = "token" in credentials;
  const hasPassword = "username" in credentials || "password" in credentials;
  if (hasToken === hasPassword) {
    throw new TypeError("createAuthFetch(): pass either { username, password } or { token }, not both");
  }
  if (hasToken) {
    if (typeof credentials.token !== "string" || credentials.token === "") {
      throw new TypeError("createAuthFetch(): token must be a non-empty string");
    }
    return { token: credentials.token };
  }
  const { username, password } = credentials as PasswordCredentials;
  if (typeof username !== "string" || typeof password !== "string") {
    throw new TypeError("createAuthFetch(): username and password must be strings");
  }
  return { username, password };
}

/** The header fields and status of one kind of challenge: origin server (401) or proxy (407). */
interface ChallengeFields {
  status: 401 | 407;
  challenge: string;
  credentials: string;
  info: string;
}

const SERVER_FIELDS: ChallengeFields = {
  status: 401,
  challenge: "WWW-Authenticate",
  credentials: "Authorization",
  info: "Authentication-Info",
};

const PROXY_FIELDS: ChallengeFields = {
  status: 407,
  challenge: "Proxy-Authenticate",
  credentials: "Proxy-Authorization",
  info: "Proxy-Authentication-Info",
};

/** What one {@linkcode createAuthFetch} keeps between requests. */
interface Client {
  /** A DPoP session takes its own path: {@linkcode fetchWithDpop}. */
  secret: PasswordCredentials | TokenCredentials | DpopSession;
  /** The serialized Bearer credentials, for a token. */
  bearer: string | undefined;
  /** `options.fetch`; `globalThis.fetch` is looked up at each request when absent. */
  send: CreateAuthFetchOptions["fetch"];
  allowInsecureBasic: boolean;
  allowInsecureBearer: boolean;
  /** The lowest {@linkcode digestPreference} answered. */
  minimumDigest: number;
  fields: ChallengeFields;
  /** Remembered Digest challenges, least recently used first, by origin and realm. */
  remembered: Map<string, RememberedChallenge>;
  /** Basic protection spaces whose credentials were accepted, least recently used first, by origin and realm. */
  basic: Map<string, RememberedBasic>;
  /** The parsed challenge of each 401/403 returned, for `challengeOf` (origin server only). */
  challenges: WeakMap<Response, ResourceServerChallenge>;
}

/** Checks the options of {@linkcode createAuthFetch} and builds the client. */
function createClient(credentials: AuthFetchCredentials, options: CreateAuthFetchOptions | undefined): Client {
  const secret = readCredentials(credentials);
  // Checked now: a token outside b64token (RFC 6750 §2.1) fails here, not on the first challenge.
  const bearer =
    "token" in secret ? serializeCredentials({ scheme: "bearer", token68: secret.token, params: {} }) : undefined;
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError("createAuthFetch(): options must be an object");
  }
  const send = options?.fetch;
  if (send !== undefined && typeof send !== "function") {
    throw new TypeError("createAuthFetch(): options.fetch must be a function");
  }
  if ("nonces" in secret && options?.proxy === true) {
    throw new TypeError("createAuthFetch(): DPoP credentials are for origin servers, not proxy: true");
  }
  const minimumDigest = MINIMUM_DIGEST.get(options?.minimumDigestAlgorithm ?? "MD5");
  if (minimumDigest === undefined) {
    throw new TypeError('createAuthFetch(): options.minimumDigestAlgorithm must be "MD5", "SHA-256" or "SHA-512-256"');
  }
  return {
    secret,
    bearer,
    send,
    allowInsecureBasic: options?.allowInsecureBasic === true,
    allowInsecureBearer: options?.allowInsecureBearer === true,
    minimumDigest,
    fields: options?.proxy === true ? PROXY_FIELDS : SERVER_FIELDS,
    remembered: new Map(),
    basic: new Map(),
    challenges: new WeakMap(),
  };
}

/** The request being sent: what every attempt at it repeats. */
interface Outgoing {
  original: Request;
  url: URL;
  body: Uint8Array<ArrayBuffer> | undefined;
}

/** Digest credentials for a remembered (or just received) challenge. */
async function digestAttempt(client: Client, entry: RememberedChallenge, request: Outgoing): Promise<Attempt> {
  const { username, password } = client.secret as PasswordCredentials;
  const { url, body } = request;
  const digest = await computeDigestCredentials(entry.challenge, {
    username,
    password,
    method: request.original.method,
    uri: url.pathname + url.search,
    ...(body === undefined ? {} : { body }),
  });
  return { value: serializeCredentials(digest), digest: { credentials: digest, remembered: entry } };
}

/** Credentials answering the best challenge these credentials can answer, or `undefined` when none. */
async function answer(
  client: Client,
  challenges: readonly Challenge[],
  request: Outgoing,
): Promise<Attempt | undefined> {
  if ("token" in client.secret) {
    if (client.bearer === undefined || !challenges.some((challenge) => challenge.scheme === "bearer")) return undefined;
    const url = request.url;
    if (isInsecure(url) && !client.allowInsecureBearer) {
      throw new TypeError(
        `Cannot send a Bearer token to ${url.origin}: over plain http anyone on the path can read and reuse it. ` +
          "Use https, or pass { allowInsecureBearer: true } to createAuthFetch() to send it anyway.",
      );
    }
    return { value: client.bearer, bearer: true };
  }
  const digests = challenges
    .filter((challenge) => challenge.scheme === "digest" && digestPreference(challenge) >= client.minimumDigest)
    .sort((first, second) => digestPreference(second) - digestPreference(first));
  for (const challenge of digests) {
    const entry: RememberedChallenge = {
      origin: request.url.origin,
      realm: param(challenge, "realm") ?? "",
      challenge,
      space: protectionSpace(challenge, request.url),
    };
    try {
      return await digestAttempt(client, entry, request);
    } catch (error) {
      // A challenge without realm or nonce, or with a qop httpauth does not implement: try the next.
      if (!isHTTPAuthError(error)) throw error;
    }
  }
  return answerBasic(client, challenges, request.url);
}

/** Whether `url` is plain `http:` to a host that is not loopback: where credentials can be read on the path. */
function isInsecure(url: URL): boolean {
  return url.protocol === "http:" && !isLoopbackHostname(url.hostname);
}

/** Basic credentials for a Basic challenge with a realm; refused over plain http to a host that is not loopback. */
function answerBasic(client: Client, challenges: readonly Challenge[], url: URL): Attempt | undefined {
  const basic = challenges.find(
    (challenge) => challenge.scheme === "basic" && (param(challenge, "realm") ?? "").trim() !== "",
  );
  if (basic === undefined) return undefined;
  if (isInsecure(url) && !client.allowInsecureBasic) {
    throw new TypeError(
      `Cannot send Basic credentials to ${url.origin}: over plain http anyone on the path can read the password. ` +
        "Use https, or pass { allowInsecureBasic: true } to createAuthFetch() to send them anyway.",
    );
  }
  return {
    value: serializeBasicCredentials(client.secret as PasswordCredentials),
    basicRealm: param(basic, "realm") ?? "",
  };
}

/** Checks `Authentication-Info` for Digest credentials just accepted, and takes its `nextnonce`. */
async function acceptInfo(client: Client, response: Response, attempt: Attempt): Promise<void> {
  const digest = attempt.digest;
  if (digest === undefined) return;
  const value = response.headers.get(client.fields.info);
  if (value === null) return;
  const { username, password } = client.secret as PasswordCredentials;
  try {
    const params = parseAuthParams(value);
    if (Object.hasOwn(params, "rspauth")) {
      const body =
        digest.credentials.params.qop === "auth-int" ? new Uint8Array(await response.clone().arrayBuffer()) : undefined;
      await verifyDigestAuthenticationInfo(params, digest.credentials, {
        password,
        username,
        ...(body === undefined ? {} : { body }),
      });
    }
    const nextnonce = Object.hasOwn(params, "nextnonce") ? params.nextnonce : undefined;
    if (nextnonce !== undefined && nextnonce !== "") {
      forgetEntry(client.remembered, digest.remembered);
      rememberEntry(client.remembered, {
        ...digest.remembered,
        challenge: withNonce(digest.remembered.challenge, nextnonce),
      });
    }
  } catch (error) {
    forgetEntry(client.remembered, digest.remembered);
    discard(response);
    throw error;
  }
}

/** Reads the request to send; its body into memory, so that it can be sent again. */
async function readOutgoing(input: RequestInfo | URL, init: RequestInit | undefined): Promise<Outgoing> {
  if (typeof ReadableStream === "function" && init?.body instanceof ReadableStream) {
    throw new TypeError(
      "authFetch(): a ReadableStream body cannot be sent again after a challenge; " +
        "pass the body as a string, ArrayBuffer, Uint8Array, Blob, FormData or URLSearchParams",
    );
  }
  const original = new Request(input, init);
  const body = original.body === null ? undefined : new Uint8Array(await original.clone().arrayBuffer());
  return { original, url: new URL(original.url), body };
}

/** Sends the request, with the attempt's credentials when there is one. */
function sendWith(client: Client, request: Outgoing, attempt: Attempt | undefined): Promise<Response> {
  const { original, body } = request;
  const headers = new Headers(original.headers);
  if (attempt !== undefined) headers.set(client.fields.credentials, attempt.value);
  const send = client.send ?? globalThis.fetch;
  return send(new Request(original, body === undefined ? { headers } : { headers, body }));
}

/** The next attempt for a challenge response, or `undefined` to return the response as it is. */
async function nextAttempt(
  client: Client,
  request: Outgoing,
  response: Response,
  previous: Attempt | undefined,
  answers: number,
): Promise<Attempt | undefined> {
  const challenges = readChallenges(response, client.fields.challenge);
  const sent = previous?.digest?.remembered;
  if (sent !== undefined) forgetEntry(client.remembered, sent);
  if (previous?.basicRealm !== undefined) forgetBasic(client.basic, request.url, previous.basicRealm);
  // The same token again would get the same answer.
  if (previous?.bearer === true) return undefined;
  const stale =
    sent !== undefined &&
    challenges?.some((challenge) => isStale(challenge) && param(challenge, "realm") === sent.realm) === true;
  // One answer to a challenge; one more only for a stale nonce of the realm just answered.
  if (challenges === undefined || (answers > 0 && !(answers === 1 && stale))) return undefined;
  try {
    return await answer(client, challenges, request);
  } catch (error) {
    discard(response);
    throw error;
  }
}

/**
 * Credentials for the first attempt, before any challenge: a Digest
 * challenge or a Basic space remembered for the URL, or the caller's token.
 * Never a password or token that the plain-http guards would refuse: a
 * token there waits for a challenge, which then throws.
 */
async function upFrontAttempt(client: Client, request: Outgoing): Promise<Attempt | undefined> {
  const { url } = request;
  if ("token" in client.secret) {
    if (client.bearer === undefined || (isInsecure(url) && !client.allowInsecureBearer)) return undefined;
    return { value: client.bearer, bearer: true };
  }
  const digest = lookupDigest(client.remembered, url);
  if (digest !== undefined) return digestAttempt(client, digest, request);
  const basic = lookupBasic(client.basic, url);
  if (basic === undefined || (isInsecure(url) && !client.allowInsecureBasic)) return undefined;
  return { value: serializeBasicCredentials(client.secret as PasswordCredentials), basicRealm: basic.realm };
}

/** Refuses a DPoP-bound token over plain http to a host that is not loopback, as Bearer's guard does. */
function checkDpopTransport(client: Client, session: DpopSession, url: URL): void {
  if (session.accessToken === undefined || !isInsecure(url) || client.allowInsecureBearer) return;
  throw new TypeError(
    `Cannot send a DPoP-bound token to ${url.origin}: over plain http anyone on the path can read it and the proofs. ` +
      "Use https, or pass { allowInsecureBearer: true } to createAuthFetch() to send it anyway.",
  );
}

/** One call of the function {@linkcode createAuthFetch} returns. */
async function authenticatedFetch(client: Client, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = await readOutgoing(input, init);
  if ("nonces" in client.secret) {
    checkDpopTransport(client, client.secret, request.url);
    const response = await fetchWithDpop(client.secret, request, client.send ?? ((sent) => globalThis.fetch(sent)));
    const challenge = readResourceServerChallenge(response, request.url.href);
    if (challenge !== undefined) client.challenges.set(response, challenge);
    return response;
  }
  let attempt = await upFrontAttempt(client, request);
  let response = await sendWith(client, request, attempt);
  let answers = 0;
  while (response.status === client.fields.status && !response.redirected) {
    const next = await nextAttempt(client, request, response, attempt, answers);
    if (next === undefined) break;
    discard(response);
    answers++;
    attempt = next;
    if (attempt.digest !== undefined) rememberEntry(client.remembered, attempt.digest.remembered);
    response = await sendWith(client, request, attempt);
  }
  if (attempt !== undefined && response.status !== client.fields.status) {
    if (attempt.basicRealm !== undefined) rememberBasic(client.basic, request.url, attempt.basicRealm);
    await acceptInfo(client, response, attempt);
  }
  if (client.fields === SERVER_FIELDS) {
    const challenge = readResourceServerChallenge(response, request.url.href);
    if (challenge !== undefined) client.challenges.set(response, challenge);
  }
  return response;
}

/**
 * Creates a `fetch` that answers an authentication challenge once, and
 * sends credentials up front where it knows they are wanted.
 *
 * Up front, on the first attempt (no extra round trip, a body sent once):
 *
 * - a token (`{ token }`): always, as `Authorization: Bearer` — to every URL
 *   this function fetches, so use one per API — except over plain `http:`
 *   to a host that is not loopback without `allowInsecureBearer`, where it
 *   waits for a Bearer challenge (which then throws). A 401 (407) to it is
 *   returned as it is: the same token would get the same answer.
 * - a password: Digest credentials inside a remembered Digest protection
 *   space (below), else Basic credentials inside a Basic protection space
 *   whose credentials were accepted: the origin and realm of the challenge
 *   answered, for the paths at or below the directory of the URL asked for
 *   (RFC 7617 §2.2; widened to what two accepted URLs of one realm share).
 *   Another origin never gets them unasked. A 401 (407) to up-front
 *   credentials forgets that space and is answered as any challenge, once.
 *   At most 64 Basic spaces are remembered, the least recently used going first.
 *
 * Otherwise the request is sent as given. When the answer is `401` (`407` with
 * `proxy: true`), every challenge of `WWW-Authenticate`
 * (`Proxy-Authenticate`) is parsed with the RFC 9110 §11.6.1 list parser —
 * `Headers` joins several field lines into one value — and the best one this
 * client can answer is answered, once:
 *
 * - with a user name and password: Digest SHA-512-256 > SHA-256 > MD5 (each
 *   with its `-sess` variant, in the server's order), then Basic; a Basic
 *   challenge needs a realm (RFC 7617 §2), a Digest one a realm and a nonce;
 * - with a token: Bearer.
 *
 * Neither a password nor a token goes over plain `http:` to a host that is
 * not loopback unless `allowInsecureBasic` / `allowInsecureBearer` says so;
 * Digest (which never sends the password) is answered there, with no
 * algorithm weaker than `minimumDigestAlgorithm` (`"MD5"` by default).
 *
 * Digest in detail (RFC 7616):
 *
 * - Each challenge keeps its own nonce and algorithm. The one answered is
 *   remembered per origin and realm, and later requests inside its protection
 *   space (`domain`, or the whole origin) carry credentials pre-emptively,
 *   with `nc` counting up per nonce (at most 64 are remembered).
 * - A `401` carrying `stale=true` for the realm just answered (an expired
 *   nonce, the password was right) is answered once more with the new nonce.
 * - `Authentication-Info` (`Proxy-Authentication-Info`): its `rspauth` is
 *   verified when present, and its `nextnonce` is used for the next request.
 *
 * What is returned unchanged, without throwing: any response that is not
 * 401 (407); a 401 (407) whose challenges are absent, unparsable (a server
 * that breaks the grammar, or a field above 8192 characters) or not
 * answerable with these credentials; the answer to the retry, whatever it
 * is (a wrong password gives its 401); and a 401 (407) reached through a
 * redirect, since the credentials are for the URL asked for. The caller reads
 * `response.status`, as with `fetch`.
 *
 * A request body is read into memory before the first send, so it can be
 * sent again; a `ReadableStream` body is refused.
 *
 * DPoP (RFC 9449), `{ token, dpop: keyPair }` or `{ dpop: keyPair }`: every
 * request carries a new proof (`DPoP` header) and the token as
 * `Authorization: DPoP`; the last valid `DPoP-Nonce` of each origin goes in
 * the next proof; a 401 whose DPoP challenge says `use_dpop_nonce` (§9), or a
 * 400 `{"error":"use_dpop_nonce"}` (§8), with a new nonce is sent once more.
 * A token is refused over plain `http:` to a host that is not loopback
 * without `allowInsecureBearer`, as for Bearer; proofs alone are not.
 *
 * OAuth 2.0 resource servers: for a `401` or `403` it returns, the
 * function's `challengeOf(response)` gives the parsed challenge — the
 * resource metadata URL (RFC 9728 §5.1), the scope needed (RFC 6750 §3.1),
 * step-up requirements (`acr_values`, `max_age`, RFC 9470 §3) — and
 * `resourceMetadataOf(response)` fetches the metadata document it points to
 * and checks its `resource` against the URL used (RFC 9728 §3.3). The
 * response itself is returned as before.
 *
 * @param credentials `{ username, password }` (Digest, Basic), `{ token }` (Bearer), or `{ token?, dpop }` (DPoP).
 * @param options `fetch` (the function that sends), `allowInsecureBasic`, `allowInsecureBearer` (Bearer and DPoP),
 *   `minimumDigestAlgorithm`, `proxy`.
 * @returns A function with `fetch`'s signature, and `challengeOf` and `resourceMetadataOf`.
 * @throws {TypeError} If `credentials` is not `{ username, password }`,
 *   `{ token }` nor `{ token?, dpop }`, the token is not b64token (RFC 6750
 *   §2.1), or an option has the wrong type (or `proxy` with DPoP). The returned function rejects with a `TypeError` for
 *   a `ReadableStream` body; for Basic over plain `http:` to a host that is
 *   not loopback (`localhost`, 127.0.0.0/8, `[::1]`) without
 *   `allowInsecureBasic`, and for Bearer (or a DPoP-bound token) there without `allowInsecureBearer`; and for a user name the scheme cannot carry (a `:`
 *   for Basic, a control character).
 * @throws {HTTPAuthError} The returned function rejects with code
 *   `rspauth-mismatch` when the server's `Authentication-Info` fails to prove
 *   that it knows the password (or `missing-parameter`, `invalid-parameter`,
 *   or a parse code for a broken one). It also rejects with whatever `fetch`
 *   rejects with.
 *
 * @example Answer a Digest challenge
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthenticator, digestAuth } from "@httpauth/core";
 * import { createAuthFetch, protect } from "@httpauth/web";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     digestAuth({
 *       realm: "api",
 *       secret: "a long random server secret",
 *       algorithms: ["SHA-256", "MD5"],
 *       password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
 *     }),
 *   ],
 * });
 * const server = protect((request, { identity }) => new Response(`hello ${identity}`), authenticator);
 *
 * const seen: string[] = [];
 * const authFetch = createAuthFetch(
 *   { username: "Mufasa", password: "Circle of Life" },
 *   {
 *     fetch: (request) => {
 *       seen.push(request.headers.get("authorization") ?? "(none)");
 *       return server(request);
 *     },
 *   },
 * );
 * const response = await authFetch("https://api.example/greeting");
 * assert.equal(response.status, 200);
 * assert.equal(await response.text(), "hello Mufasa");
 * assert.equal(seen[0], "(none)");
 * assert.match(seen[1] ?? "", /^Digest username="Mufasa", realm="api", uri="\/greeting", algorithm=SHA-256, /);
 *
 * await authFetch("https://api.example/greeting"); // credentials sent at once, nc=00000002
 * assert.equal(seen.length, 3);
 * assert.match(seen[2] ?? "", /nc=00000002/);
 * ```
 *
 * @example What an OAuth resource server asks for
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthFetch } from "@httpauth/web";
 *
 * const server = async (request: Request): Promise<Response> =>
 *   request.url.includes("/.well-known/")
 *     ? Response.json({ resource: "https://api.example/files", authorization_servers: ["https://as.example"] })
 *     : new Response(null, {
 *         status: 403,
 *         headers: {
 *           "WWW-Authenticate":
 *             'Bearer error="insufficient_scope", scope="files:write", resource_metadata="https://api.example/.well-known/oauth-protected-resource/files"',
 *         },
 *       });
 * const authFetch = createAuthFetch({ token: "t0k3n" }, { fetch: server });
 * const response = await authFetch("https://api.example/files", { method: "POST" });
 * assert.equal(response.status, 403);
 * assert.deepEqual(authFetch.challengeOf(response)?.oauth?.scope, ["files:write"]);
 * const metadata = await authFetch.resourceMetadataOf(response);
 * assert.deepEqual(metadata?.authorization_servers, ["https://as.example"]);
 * ```
 *
 * @example Basic over plain http is refused, except to loopback
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthFetch } from "@httpauth/web";
 *
 * const challenge = () =>
 *   Promise.resolve(new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="intranet"' } }));
 * const authFetch = createAuthFetch({ username: "alice", password: "secret" }, { fetch: challenge });
 * await assert.rejects(authFetch("http://intranet.example/"), TypeError);
 * assert.equal((await authFetch("http://127.0.0.1:8080/")).status, 401); // answered; the fake server refuses again
 * ```
 *
 * @example Refuse MD5: an MD5-only Digest challenge is not answered
 * ```ts
 * import assert from "node:assert/strict";
 * import { createAuthFetch } from "@httpauth/web";
 *
 * const sent: (string | null)[] = [];
 * const md5Only = (request: Request) => {
 *   sent.push(request.headers.get("authorization"));
 *   return Promise.resolve(
 *     new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Digest realm="api", nonce="abc", qop="auth"' } }),
 *   );
 * };
 * const authFetch = createAuthFetch(
 *   { username: "alice", password: "secret" },
 *   { fetch: md5Only, minimumDigestAlgorithm: "SHA-256" },
 * );
 * assert.equal((await authFetch("https://api.example/")).status, 401); // returned as it is
 * assert.deepEqual(sent, [null]); // no credentials were sent
 * ```
 */
export function createAuthFetch(credentials: AuthFetchCredentials, options?: CreateAuthFetchOptions): AuthFetch {
  const client = createClient(credentials, options);
  return Object.assign(
    function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
      return authenticatedFetch(client, input, init);
    },
    {
      challengeOf: (response: Response): ResourceServerChallenge | undefined => client.challenges.get(response),
      resourceMetadataOf: (response: Response, options?: ResourceMetadataOfOptions) =>
        resourceMetadataOf(client.challenges, client.send, response, options),
    },
  );
}
