/**
 * `Authentication-Info` for Digest (RFC 7616 §3.5), both sides: the value a
 * server adds after a success, and the client's check that `rspauth` proves
 * the server knows the password.
 *
 * @module
 */

import type { AuthParams } from "../../auth-params.ts";
import { parseAuthParams, serializeAuthParams } from "../../auth-params.ts";
import type { Credentials } from "../../credentials.ts";
import type { HTTPAuthErrorCode } from "../../errors.ts";
import { HTTPAuthError } from "../../errors.ts";
import { quoteString } from "../../grammar/quote.ts";
import { createParams } from "../../grammar/scanner.ts";
import { hashLength } from "../../internal/hash.ts";
import type { AlgorithmInfo, DigestInput } from "./algorithms.ts";
import { ALGORITHMS, computeDigest, hashText, hexEqual } from "./algorithms.ts";
import { checkBody } from "./arguments.ts";
import { isHex } from "./characters.ts";
import type { DigestCredentials } from "./credentials.ts";
import { parseDigestCredentials } from "./credentials.ts";
import { createNonce } from "./nonce.ts";
import { readParam } from "./params.ts";
import type { VerifySettings } from "./verify-options.ts";

/** Options of {@linkcode verifyDigestAuthenticationInfo}. */
export interface VerifyDigestAuthenticationInfoOptions {
  /** The password the credentials were computed with. */
  password: string;
  /** The plain user name; required when the credentials used `userhash`. */
  username?: string;
  /** The response body, which `rspauth` covers for qop=auth-int. Absent means an empty body. */
  body?: Uint8Array | string;
}

/**
 * Authentication-Info = rspauth, qop, nc, cnonce [, nextnonce]   (RFC 7616 §3.5)
 *
 * rspauth is the response digest with A2 = ":" request-uri [ ":" H(entity-body) ],
 * the body being the response's. rspauth, cnonce and nextnonce are quoted-strings.
 */
export async function buildAuthenticationInfo(
  input: DigestInput,
  parsed: DigestCredentials,
  settings: VerifySettings,
): Promise<string> {
  const context = "Authentication-Info";
  const rspauth = await computeDigest({ ...input, method: "", body: settings.info?.responseBody });
  let value = `rspauth=${quoteString(rspauth, context, "rspauth")}`;
  if (parsed.qop !== undefined && parsed.nc !== undefined && parsed.cnonce !== undefined) {
    const tokens = createParams();
    tokens.qop = parsed.qop;
    tokens.nc = parsed.nc;
    value += `, ${serializeAuthParams(tokens)}, cnonce=${quoteString(parsed.cnonce, context, "cnonce")}`;
  }
  if (settings.info?.nextnonce === true) {
    const nextnonce = await createNonce(settings.secret, settings.realm, input.algorithm.name, settings.now);
    value += `, nextnonce=${quoteString(nextnonce, context, "nextnonce")}`;
  }
  return value;
}

function infoError(code: HTTPAuthErrorCode, message: string): HTTPAuthError {
  return new HTTPAuthError(code, `Cannot accept Authentication-Info: ${message}`);
}

/**
 * Checks the server's `Authentication-Info` (RFC 7616 §3.5) for the
 * credentials this client sent: `rspauth` must be the digest that only a
 * server knowing the password can compute (A2 = ":" request-uri, and for
 * auth-int also ":" H(response body)), and any echoed `qop`, `nc` and
 * `cnonce` must be the request's. Resolves when the server is proven;
 * throws otherwise, since a server that cannot prove itself may be an impostor.
 *
 * @param info The `Authentication-Info` field value, or its parsed parameters.
 * @param credentials The credentials sent, as {@linkcode computeDigestCredentials} returned them.
 * @param options `password`; `username` (needed when the credentials used
 *   userhash); `body`, the response body, for auth-int.
 * @returns Nothing; read `nextnonce` from the info yourself.
 * @throws {HTTPAuthError} `missing-parameter` (no rspauth), `invalid-parameter`
 *   (rspauth is not hex of the right length), `rspauth-mismatch` (wrong
 *   rspauth, or an echo that differs), every code of `parseAuthParams` for a
 *   string, and every code of {@linkcode parseDigestCredentials} for broken credentials.
 * @throws {TypeError} If `password` is not a string, or `username` is missing for userhash credentials.
 *
 * @example Mutual authentication
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   computeDigestCredentials,
 *   createDigestChallenge,
 *   isHTTPAuthError,
 *   verifyDigestAuthenticationInfo,
 *   verifyDigestCredentials,
 * } from "@httpauth/core";
 *
 * const secret = "a long random server secret";
 * const challenge = await createDigestChallenge({ realm: "api", secret });
 * const credentials = await computeDigestCredentials(challenge, {
 *   username: "Mufasa",
 *   password: "Circle of Life",
 *   method: "GET",
 *   uri: "/",
 * });
 * const result = await verifyDigestCredentials(credentials, {
 *   method: "GET",
 *   uri: "/",
 *   realm: "api",
 *   secret,
 *   nonceCounts: false,
 *   password: () => "Circle of Life",
 *   authenticationInfo: true,
 * });
 * assert.ok(result.ok && result.authenticationInfo !== undefined);
 * await verifyDigestAuthenticationInfo(result.authenticationInfo, credentials, { password: "Circle of Life" });
 * await assert.rejects(
 *   verifyDigestAuthenticationInfo(result.authenticationInfo, credentials, { password: "wrong" }),
 *   (error) => isHTTPAuthError(error) && error.code === "rspauth-mismatch",
 * );
 * ```
 */
export async function verifyDigestAuthenticationInfo(
  info: string | AuthParams,
  credentials: Credentials,
  options: VerifyDigestAuthenticationInfoOptions,
): Promise<void> {
  const context = "Cannot verify Authentication-Info";
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  if (typeof options.password !== "string") throw new TypeError(`${context}: password must be a string`);
  checkBody(options.body, context, "body");
  let params: AuthParams;
  if (typeof info === "string") params = parseAuthParams(info);
  else if (typeof info === "object" && info !== null) params = info;
  else throw new TypeError(`${context}: info must be a string or parsed parameters`);
  const sent = parseDigestCredentials(credentials);
  const algorithm = ALGORITHMS[sent.algorithm.toLowerCase()] as AlgorithmInfo;

  const rspauth = readParam(params, "rspauth", context);
  if (rspauth === undefined) throw infoError("missing-parameter", "add the rspauth parameter (RFC 7616 §3.5)");
  const length = hashLength(algorithm.hash);
  if (!isHex(rspauth, length)) throw infoError("invalid-parameter", `rspauth must be ${length} hex digits`);
  const echoes: [string, string | undefined][] = [
    ["qop", sent.qop],
    ["nc", sent.nc],
    ["cnonce", sent.cnonce],
  ];
  for (const [name, expected] of echoes) {
    const echoed = readParam(params, name, context);
    if (echoed !== undefined && echoed !== expected) {
      throw infoError("rspauth-mismatch", `the ${name} parameter does not echo the request (RFC 7616 §3.5)`);
    }
  }

  let username = sent.username;
  if (sent.userhash) {
    if (typeof options.username !== "string") {
      throw new TypeError(`${context}: pass username; the credentials carry only its hash`);
    }
    username = options.username;
  }
  const ha1 = await hashText(algorithm.hash, `${username}:${sent.realm}:${options.password}`);
  const expected = await computeDigest({
    algorithm,
    ha1,
    nonce: sent.nonce,
    qop: sent.qop,
    nc: sent.nc,
    cnonce: sent.cnonce,
    method: "",
    uri: sent.uri,
    body: options.body,
  });
  if (!hexEqual(rspauth.toLowerCase(), expected)) {
    throw infoError("rspauth-mismatch", "rspauth does not prove that the server knows the password");
  }
}
