/**
 * DPoP for `createAuthFetch` (RFC 9449): a fresh proof on every request,
 * the access token as `Authorization: DPoP`, the server's `DPoP-Nonce`
 * remembered per origin, and one retry when the server asks for a nonce.
 *
 * @module
 */

import {
  createDpopProof,
  isDpopNonce,
  isHTTPAuthError,
  parseResourceChallenges,
  serializeCredentials,
} from "@httpauth/core";
import { readCapped } from "./internal/body.ts";

/**
 * A DPoP key pair, and the access token bound to it (RFC 9449): answered
 * with a `DPoP` proof header on every request, and `Authorization: DPoP
 * <token>` when there is a token. Without `token`, proofs only: what a
 * token request to an authorization server sends (§5).
 */
export interface DpopCredentials {
  /** The key pair proofs are signed with: `generateDpopKeyPair()` of `@httpauth/core`. */
  dpop: CryptoKeyPair;
  /** The DPoP-bound access token, in token68 syntax; absent for a token request. */
  token?: string;
}

/** What a `createAuthFetch` with DPoP credentials keeps between requests. */
export interface DpopSession {
  keyPair: CryptoKeyPair;
  /** The access token, when there is one. */
  accessToken: string | undefined;
  /** `DPoP <token>`, checked once. */
  authorization: string | undefined;
  /** The last valid `DPoP-Nonce` of each origin, least recently used first. */
  nonces: Map<string, string>;
}

/** The request being sent, its body read into memory (`readOutgoing` of client.ts). */
export interface DpopOutgoing {
  original: Request;
  url: URL;
  body: Uint8Array<ArrayBuffer> | undefined;
}

/** The most origins whose nonce is remembered; the least recently used goes first. */
const MAX_NONCE_ORIGINS = 64;
/** The most of a 400 body read to look for `use_dpop_nonce` (RFC 9449 §8). */
const MAX_ERROR_BODY = 4096;

/** Whether `credentials` are DPoP credentials: they have a `dpop` member. */
export function isDpopCredentials(credentials: object): credentials is DpopCredentials {
  return "dpop" in credentials;
}

/**
 * Checks DPoP credentials and starts their session.
 *
 * @param credentials `{ dpop }` or `{ token, dpop }`.
 * @returns The session.
 * @throws {TypeError} If `dpop` is not a key pair, the token is not token68, or other members are present.
 */
export function createDpopSession(credentials: DpopCredentials): DpopSession {
  const { dpop, token } = credentials;
  if (typeof dpop !== "object" || dpop === null || !("privateKey" in dpop) || !("publicKey" in dpop)) {
    throw new TypeError("createAuthFetch(): dpop must be a CryptoKeyPair, such as generateDpopKeyPair() returns");
  }
  if ("username" in credentials || "password" in credentials) {
    throw new TypeError("createAuthFetch(): pass either { username, password } or { token?, dpop }, not both");
  }
  if (token !== undefined && (typeof token !== "string" || token === "")) {
    throw new TypeError("createAuthFetch(): token must be a non-empty string");
  }
  // Checked now: a token outside token68 (RFC 9449 §7.1) fails here, not on the first request.
  const authorization =
    token === undefined ? undefined : serializeCredentials({ scheme: "dpop", token68: token, params: {} });
  return { keyPair: dpop, accessToken: token, authorization, nonces: new Map() };
}

/** The origin a response came from: its URL after redirects, else the request's. */
function originOf(response: Response, request: DpopOutgoing): string {
  try {
    return response.url === "" ? request.url.origin : new URL(response.url).origin;
  } catch {
    return request.url.origin;
  }
}

/**
 * Remembers a response's `DPoP-Nonce` (RFC 9449 §8, §9) for its origin,
 * when it is one (1 to 1024 NQCHAR): a value with other characters, or a
 * huge one, is ignored and never sent back.
 *
 * @returns The nonce remembered, or `undefined`.
 */
function rememberNonce(session: DpopSession, origin: string, response: Response): string | undefined {
  const nonce = response.headers.get("DPoP-Nonce");
  if (!isDpopNonce(nonce)) return undefined;
  session.nonces.delete(origin);
  session.nonces.set(origin, nonce);
  if (session.nonces.size > MAX_NONCE_ORIGINS) {
    const oldest = session.nonces.keys().next();
    if (oldest.done !== true) session.nonces.delete(oldest.value);
  }
  return nonce;
}

/** Whether a 401 has a DPoP challenge with `error="use_dpop_nonce"` (RFC 9449 §9), in any layout of lines. */
function asksNonceInChallenge(response: Response): boolean {
  // Headers joins several field lines with ", ": one list (RFC 9110 §5.3), which the list parser splits.
  const value = response.headers.get("WWW-Authenticate");
  if (value === null) return false;
  try {
    return parseResourceChallenges(value).some(
      (challenge) => challenge.scheme === "dpop" && challenge.error === "use_dpop_nonce",
    );
  } catch (error) {
    if (isHTTPAuthError(error)) return false;
    throw error;
  }
}

/** Reads at most {@linkcode MAX_ERROR_BODY} bytes of a clone of the body; `undefined` when it is longer. */
async function readCappedBody(response: Response): Promise<string | undefined> {
  const body = response.clone().body;
  if (body === null) return "";
  const bytes = await readCapped(body, MAX_ERROR_BODY);
  return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
}

/** Whether a 400 has the JSON body `{"error":"use_dpop_nonce"}` of an authorization server (RFC 9449 §8). */
async function asksNonceInBody(response: Response): Promise<boolean> {
  const text = await readCappedBody(response);
  if (text === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(text);
    return (
      typeof parsed === "object" &&
      parsed !== null &&
      Object.hasOwn(parsed, "error") &&
      (parsed as { error: unknown }).error === "use_dpop_nonce"
    );
  } catch {
    return false;
  }
}

/** Whether the server asked for a (new) nonce: 401 with a DPoP challenge, or 400 with a JSON error. */
function asksNonce(response: Response): Promise<boolean> {
  if (response.redirected) return Promise.resolve(false);
  if (response.status === 401) return Promise.resolve(asksNonceInChallenge(response));
  if (response.status === 400) return asksNonceInBody(response);
  return Promise.resolve(false);
}

/** Sends the request with a new proof, the token, and the origin's nonce when one is known. */
async function sendWithProof(
  session: DpopSession,
  request: DpopOutgoing,
  send: (request: Request) => Promise<Response>,
  nonce: string | undefined,
): Promise<Response> {
  const { original, url, body } = request;
  const proof = await createDpopProof({
    keyPair: session.keyPair,
    method: original.method,
    url: url.href,
    ...(session.accessToken === undefined ? {} : { accessToken: session.accessToken }),
    ...(nonce === undefined ? {} : { nonce }),
  });
  const headers = new Headers(original.headers);
  headers.set("DPoP", proof);
  if (session.authorization !== undefined) headers.set("Authorization", session.authorization);
  return send(new Request(original, body === undefined ? { headers } : { headers, body }));
}

/**
 * Sends a request with DPoP (RFC 9449): a new proof (§4) carrying the
 * origin's last nonce, and the token as `Authorization: DPoP` (§7.1). When
 * the answer asks for a nonce (§8: 400 with `{"error":"use_dpop_nonce"}`;
 * §9: 401 with a DPoP challenge whose `error` is `use_dpop_nonce`) and
 * carries a valid `DPoP-Nonce` other than the one sent, sends once more with
 * it; that answer is returned, whatever it is.
 *
 * @param session The client's DPoP session.
 * @param request The request, its body in memory so that it can be sent again.
 * @param send The function that sends.
 * @returns The response.
 * @throws {TypeError} If the request's URL is not `http(s)`; and whatever `send` throws.
 */
export async function fetchWithDpop(
  session: DpopSession,
  request: DpopOutgoing,
  send: (request: Request) => Promise<Response>,
): Promise<Response> {
  const sent = session.nonces.get(request.url.origin);
  let response = await sendWithProof(session, request, send, sent);
  const nonce = rememberNonce(session, originOf(response, request), response);
  if (nonce !== undefined && nonce !== sent && (await asksNonce(response))) {
    response.body?.cancel().catch(() => undefined);
    response = await sendWithProof(session, request, send, nonce);
    rememberNonce(session, originOf(response, request), response);
  }
  return response;
}
