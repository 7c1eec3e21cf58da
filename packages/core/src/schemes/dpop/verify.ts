/**
 * Verifying a DPoP proof (RFC 9449 §4.3) with WebCrypto: its form, its header
 * and key, its claims against the request, its signature, the server nonce,
 * the access token hash and the `jti` replay check.
 *
 * @module
 */

import { decodeBase64URL } from "../../internal/base64url.ts";
import { decodeUTF8Strict, isWellFormedUTF16 } from "../../internal/utf8.ts";
import type { ReplayStore } from "../../stores/replay.ts";
import { DpopError } from "./errors.ts";
import type { DpopAlgorithm, PublicKey } from "./keys.ts";
import {
  checkPublicKey,
  computeDpopAccessTokenHash,
  DPOP_ALGORITHMS,
  isDpopAlgorithm,
  verifySignature,
} from "./keys.ts";
import type { DpopNonceOptions, NonceSettings } from "./nonce.ts";
import { checkNonceOptions, readDpopNonce } from "./nonce.ts";

/** A DPoP proof that passed every check of RFC 9449 §4.3 asked for. */
export interface VerifiedDpopProof {
  /** The JOSE header: `typ`, `alg`, and the public key's required members (RFC 7638 §3.2). */
  header: { typ: "dpop+jwt"; alg: DpopAlgorithm; jwk: JsonWebKey };
  /** The claims, as sent. */
  claims: { jti: string; htm: string; htu: string; iat: number; ath?: string; nonce?: string } & Record<
    string,
    unknown
  >;
  /** The proof key's RFC 7638 thumbprint: what a bound token's `cnf.jkt` must equal (RFC 9449 §6.1). */
  jkt: string;
}

/** Options of {@linkcode verifyDpopProof}. */
export interface VerifyDpopProofOptions {
  /** The request method; `htm` must equal it. */
  method: string;
  /** The absolute request URL; `htu` must equal it without query and fragment, after RFC 3986 §6.2.2/§6.2.3 normalisation. */
  url: string;
  /** The access token sent with the proof: `ath` must then be present and match (RFC 9449 §4.3 check 12). */
  accessToken?: string;
  /** The algorithms accepted. Default {@linkcode DPOP_ALGORITHMS}. */
  algorithms?: readonly DpopAlgorithm[];
  /** How long after its `iat` a proof is accepted, in seconds. Default 300. */
  maxAge?: number;
  /** The clock skew tolerated, in seconds, past and future. Default 5. */
  leeway?: number;
  /** The current time, in milliseconds since the epoch. Default `Date.now()`. */
  now?: number;
  /** Server nonces (RFC 9449 §9): the proof's `nonce` must be one of this secret's, and fresh. */
  nonce?: DpopNonceOptions;
  /** Where `jti`s are remembered (RFC 9449 §11.1); none by default here (`dpopAuth` always has one). */
  replay?: ReplayStore | false;
}

const ENCODER = new TextEncoder();

/** The longest proof accepted, in characters. */
const MAX_PROOF_LENGTH = 8192;
/** The longest decoded header or claims, in bytes: room for an RSA 8192-bit key, a bound on JSON.parse. */
const MAX_JSON_BYTES = 4096;
/** The longest `jti`, in characters: room for any UUID or random id, and for the replay key (thumbprint + jti). */
const MAX_JTI_LENGTH = 256;
/** The longest `htu` and `nonce`, in characters. */
const MAX_URI_LENGTH = 2048;
const MAX_NONCE_LENGTH = 512;

/** The static settings of proof verification, checked once. */
export interface ProofSettings {
  readonly algorithms: ReadonlySet<string>;
  readonly maxAgeMs: number;
  readonly leewayMs: number;
  readonly nonce: NonceSettings | undefined;
  readonly replay: ReplayStore | undefined;
}

/** What one request asks of a proof. */
export interface ProofRequest {
  readonly method: string;
  /** The request URI, normalised by {@linkcode normalizeHTU}. */
  readonly uri: string;
  readonly accessToken: string | undefined;
  readonly now: number;
}

/** A verified proof, and when its server nonce was made (milliseconds), if it had one. */
export interface ProofResult {
  readonly proof: VerifiedDpopProof;
  readonly nonceIssuedAt: number | undefined;
}

function malformed(detail: string): DpopError {
  return new DpopError("malformed-proof", `Cannot accept the DPoP proof: ${detail}`);
}

/**
 * Checks the options every verification shares.
 *
 * @param options `algorithms`, `maxAge`, `leeway`, `nonce`, `replay`.
 * @param what Who asks, for messages.
 * @returns The settings.
 * @throws {TypeError} If an option has the wrong type.
 * @throws {RangeError} If a time is out of range or an algorithm is not supported.
 */
export function checkProofSettings(
  options: Pick<VerifyDpopProofOptions, "algorithms" | "maxAge" | "leeway" | "nonce" | "replay">,
  what: string,
): ProofSettings {
  const algorithms = options.algorithms ?? DPOP_ALGORITHMS;
  if (!Array.isArray(algorithms) || algorithms.length === 0 || !algorithms.every(isDpopAlgorithm)) {
    throw new RangeError(`${what}: algorithms must be a non-empty list drawn from ${DPOP_ALGORITHMS.join(", ")}`);
  }
  const maxAge = options.maxAge ?? 300;
  const leeway = options.leeway ?? 5;
  if (typeof maxAge !== "number" || !(maxAge > 0 && maxAge <= 86_400)) {
    throw new RangeError(`${what}: maxAge must be a number of seconds above 0, at most 86400`);
  }
  if (typeof leeway !== "number" || !(leeway >= 0 && leeway <= 3_600)) {
    throw new RangeError(`${what}: leeway must be a number of seconds from 0 to 3600`);
  }
  const { replay } = options;
  if (replay !== undefined && replay !== false && typeof replay?.use !== "function") {
    throw new TypeError(`${what}: replay must be a ReplayStore (with use) or false`);
  }
  return {
    algorithms: new Set(algorithms),
    maxAgeMs: maxAge * 1000,
    leewayMs: leeway * 1000,
    nonce: options.nonce === undefined ? undefined : checkNonceOptions(options.nonce, what),
    replay: replay === false ? undefined : replay,
  };
}

/** HEXDIG value, or -1. */
function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"   (RFC 3986 §2.3) */
function isUnreserved(code: number): boolean {
  const lower = code | 0x20;
  return (
    (lower >= 0x61 && lower <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2d ||
    code === 0x2e ||
    code === 0x5f ||
    code === 0x7e
  );
}

/** Percent-encodings with upper-case hex, unreserved characters decoded (RFC 3986 §6.2.2.1, §6.2.2.2). */
function normalizePercentEncoding(path: string): string {
  if (!path.includes("%")) return path;
  let result = "";
  let from = 0;
  for (let index = 0; index + 2 < path.length; index++) {
    if (path.charCodeAt(index) !== 0x25) continue;
    const high = hexValue(path.charCodeAt(index + 1));
    const low = hexValue(path.charCodeAt(index + 2));
    if (high < 0 || low < 0) continue;
    const code = high * 16 + low;
    result +=
      path.slice(from, index) +
      (isUnreserved(code) ? String.fromCharCode(code) : path.slice(index, index + 3).toUpperCase());
    from = index + 3;
    index += 2;
  }
  return result + path.slice(from);
}

/**
 * An `http(s)` URI without query and fragment, normalised as RFC 9449 §4.3
 * allows (RFC 3986 §6.2.2, §6.2.3): scheme and host lower-cased, the default
 * port dropped, an empty path as `/`, dot segments removed, percent-encodings
 * upper-cased and unreserved characters decoded. A trailing dot in the host
 * is kept: `example.com.` is another reg-name than `example.com`.
 *
 * @param value An absolute URI.
 * @returns The normalised form, or `undefined` for a value that is not an absolute `http(s)` URI without userinfo.
 */
export function normalizeHTU(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username !== "" || url.password !== "") {
    return undefined;
  }
  return `${url.protocol}//${url.host}${normalizePercentEncoding(url.pathname)}`;
}

/** A JWS part: base64url of UTF-8 JSON, an object, within the size cap. */
function decodePart(text: string, what: string): Record<string, unknown> {
  if (text.length > Math.ceil((MAX_JSON_BYTES * 4) / 3)) throw malformed(`the ${what} is too large`);
  const bytes = decodeBase64URL(text);
  const json = bytes === undefined ? undefined : decodeUTF8Strict(bytes);
  if (json === undefined) throw malformed(`the ${what} is not base64url of UTF-8 (RFC 7515 §7.1)`);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw malformed(`the ${what} is not JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(`the ${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** The three parts of a compact JWS (RFC 7515 §7.1), decoded. */
interface CompactJWS {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  signature: Uint8Array<ArrayBuffer>;
  input: Uint8Array<ArrayBuffer>;
}

function decodeCompact(proof: string): CompactJWS {
  if (typeof proof !== "string" || proof.length === 0) throw malformed("the DPoP field is empty");
  if (proof.length > MAX_PROOF_LENGTH) throw malformed(`it is longer than ${MAX_PROOF_LENGTH} characters`);
  const first = proof.indexOf(".");
  const second = first === -1 ? -1 : proof.indexOf(".", first + 1);
  // An empty signature (alg none) is left to the alg and signature checks, which refuse it with their own codes.
  if (first <= 0 || second <= first + 1 || proof.indexOf(".", second + 1) !== -1) {
    throw malformed("it is not a compact JWS of three parts (RFC 7515 §7.1)");
  }
  const header = decodePart(proof.slice(0, first), "header");
  const claims = decodePart(proof.slice(first + 1, second), "claims");
  const signature = decodeBase64URL(proof.slice(second + 1));
  if (signature === undefined) throw malformed("the signature is not base64url");
  // The signing input is ASCII (base64url and "."), checked above: its UTF-8 is its characters.
  const input = ENCODER.encode(proof.slice(0, second));
  return { header, claims, signature: new Uint8Array(signature), input };
}

/** `typ` (RFC 7515 §4.1.9: compared ignoring case, `application/` optional), `alg`, `crit`, `jwk`. */
function checkHeader(header: Record<string, unknown>, settings: ProofSettings): { alg: DpopAlgorithm; key: PublicKey } {
  const typ = typeof header.typ === "string" ? header.typ.toLowerCase() : undefined;
  if (typ !== "dpop+jwt" && typ !== "application/dpop+jwt") throw malformed('typ must be "dpop+jwt" (RFC 9449 §4.2)');
  const { alg } = header;
  if (typeof alg !== "string" || !settings.algorithms.has(alg)) {
    throw new DpopError(
      "unsupported-algorithm",
      `Cannot accept the DPoP proof: alg must be one of ${[...settings.algorithms].join(", ")} (never none or a MAC, RFC 9449 §4.2)`,
    );
  }
  if (Object.hasOwn(header, "crit")) throw malformed("the header has crit, and no extension is understood here");
  return { alg: alg as DpopAlgorithm, key: checkPublicKey(alg as DpopAlgorithm, header.jwk) };
}

/** The claims RFC 9449 §4.2 requires, with their types and sizes. */
function checkClaims(claims: Record<string, unknown>): VerifiedDpopProof["claims"] {
  const { jti, htm, htu, iat, ath, nonce } = claims;
  if (typeof jti !== "string" || jti.length === 0 || jti.length > MAX_JTI_LENGTH || !isWellFormedUTF16(jti)) {
    throw malformed(`jti must be a string of 1 to ${MAX_JTI_LENGTH} characters`);
  }
  if (typeof htm !== "string" || htm.length === 0 || htm.length > 64) throw malformed("htm must be a method name");
  if (typeof htu !== "string" || htu.length === 0 || htu.length > MAX_URI_LENGTH) {
    throw malformed("htu must be a URI string");
  }
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw malformed("iat must be a number of seconds");
  if (ath !== undefined && (typeof ath !== "string" || ath.length > 64)) throw malformed("ath must be a string");
  if (nonce !== undefined && (typeof nonce !== "string" || nonce.length > MAX_NONCE_LENGTH)) {
    throw malformed("nonce must be a string");
  }
  return claims as VerifiedDpopProof["claims"];
}

/** RFC 9449 §4.3 checks 8, 9 and 11: htm, htu and iat against the request. */
function checkRequestClaims(claims: VerifiedDpopProof["claims"], request: ProofRequest, settings: ProofSettings): void {
  if (claims.htm !== request.method) {
    throw new DpopError("wrong-method", "Cannot accept the DPoP proof: htm is not the request method (RFC 9449 §4.3)");
  }
  if (normalizeHTU(claims.htu) !== request.uri) {
    throw new DpopError("wrong-uri", "Cannot accept the DPoP proof: htu is not the request URI (RFC 9449 §4.3)");
  }
  const issued = claims.iat * 1000;
  if (issued > request.now + settings.leewayMs) {
    throw new DpopError("stale-proof", "Cannot accept the DPoP proof: iat is in the future");
  }
  if (issued < request.now - settings.maxAgeMs - settings.leewayMs) {
    throw new DpopError("stale-proof", "Cannot accept the DPoP proof: iat is too old; sign a fresh proof");
  }
}

/** RFC 9449 §4.3 check 10: the server's nonce, when it asks for one. */
function checkNonce(claims: VerifiedDpopProof["claims"], settings: NonceSettings, now: number): number {
  if (claims.nonce === undefined) {
    throw new DpopError("use-nonce", "Cannot accept the DPoP proof: the server requires a nonce (RFC 9449 §9)");
  }
  const issued = readDpopNonce(claims.nonce, settings, now);
  if (typeof issued === "number") return issued;
  throw new DpopError(
    "stale-nonce",
    issued === "stale"
      ? "Cannot accept the DPoP proof: its nonce has expired; use the one in DPoP-Nonce"
      : "Cannot accept the DPoP proof: its nonce is not one this server made; use the one in DPoP-Nonce",
  );
}

/**
 * Verifies a proof with checked settings, for one request.
 *
 * @param proof The `DPoP` field value.
 * @param settings The checked settings.
 * @param request The method, normalised URI, access token and time.
 * @returns The verified proof and its nonce's time.
 * @throws {DpopError} With the code of the first check that fails.
 */
export async function verifyProof(proof: string, settings: ProofSettings, request: ProofRequest): Promise<ProofResult> {
  const { header, claims: received, signature, input } = decodeCompact(proof);
  const { alg, key } = checkHeader(header, settings);
  const claims = checkClaims(received);
  // The cheap checks first: a proof for another request costs no signature verification.
  checkRequestClaims(claims, request, settings);
  if (request.accessToken !== undefined) {
    if (claims.ath === undefined || claims.ath !== (await computeDpopAccessTokenHash(request.accessToken))) {
      throw new DpopError(
        "wrong-token-hash",
        "Cannot accept the DPoP proof: ath is missing or is not the hash of the access token (RFC 9449 §4.3)",
      );
    }
  }
  // The imported key and its thumbprint come from a bounded cache when this key was seen lately.
  const jkt = await verifySignature(alg, key, signature, input);
  if (jkt === undefined) {
    throw new DpopError(
      "invalid-signature",
      "Cannot accept the DPoP proof: its signature does not verify with its jwk",
    );
  }
  const nonceIssuedAt = settings.nonce === undefined ? undefined : checkNonce(claims, settings.nonce, request.now);
  // Last, once everything else holds: the jti is used only by a proof that would be accepted.
  if (settings.replay !== undefined) {
    const expiresAt = claims.iat * 1000 + settings.maxAgeMs + settings.leewayMs + 1;
    if (!(await settings.replay.use(`${jkt}:${claims.jti}`, expiresAt, request.now))) {
      throw new DpopError("replayed-proof", "Cannot accept the DPoP proof: its jti was used before (RFC 9449 §11.1)");
    }
  }
  return { proof: { header: { typ: "dpop+jwt", alg, jwk: key.jwk }, claims, jkt }, nonceIssuedAt };
}

/**
 * Verifies a DPoP proof (RFC 9449 §4.3) with WebCrypto: a compact JWS of at
 * most 8 KiB in strict base64url; `typ` `dpop+jwt`; `alg` among
 * `algorithms` (never `none` or a MAC); `jwk` a public key that fits `alg`
 * (RSA 2048 bits or more) and verifies the signature; `htm` the method;
 * `htu` the URL without query and fragment, after RFC 3986 §6.2.2/§6.2.3
 * normalisation (scheme and host case, default port, percent-encoding case;
 * a trailing dot in the host is another host); `iat` within `maxAge` and
 * `leeway`; with `accessToken`, `ath` its hash; with `nonce`, a fresh server
 * nonce; with `replay`, a `jti` not seen before (keyed by thumbprint and jti).
 * The token's key binding (`cnf.jkt` = the returned `jkt`) is the caller's to
 * check, as `dpopAuth` does.
 *
 * @param proof The `DPoP` header field value (exactly one field: a value with a comma is two).
 * @param options `method`, `url`, and optional `accessToken`, `algorithms`, `maxAge`, `leeway`, `now`, `nonce`, `replay`.
 * @returns The header (with the public key's required members), the claims and the key thumbprint.
 * @throws {DpopError} With the code of the first check that fails (see {@linkcode DpopErrorCode}).
 * @throws {TypeError} If `method` or `url` is missing, or `url` is not an absolute `http(s)` URL.
 * @throws {RangeError} If `algorithms`, `maxAge`, `leeway` or `nonce` is out of range.
 *
 * @example The proof of RFC 9449 §4.1, at its own time
 * ```ts
 * import assert from "node:assert/strict";
 * import { verifyDpopProof } from "@httpauth/core";
 *
 * const proof =
 *   "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19" +
 *   ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ" +
 *   ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
 * const verified = await verifyDpopProof(proof, {
 *   method: "POST",
 *   url: "https://server.example.com/token",
 *   now: 1562262616_000,
 * });
 * assert.equal(verified.jkt, "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I");
 * assert.equal(verified.claims.jti, "-BwC3ESc6acc2lTc");
 * ```
 */
export async function verifyDpopProof(proof: string, options: VerifyDpopProofOptions): Promise<VerifiedDpopProof> {
  if (typeof options !== "object" || options === null) throw new TypeError("verifyDpopProof() needs { method, url }");
  const { method, url, accessToken } = options;
  if (typeof method !== "string" || method.length === 0)
    throw new TypeError("verifyDpopProof(): method must be a string");
  const uri = typeof url === "string" ? normalizeHTU(url) : undefined;
  if (uri === undefined) throw new TypeError("verifyDpopProof(): url must be the absolute http(s) request URL");
  if (accessToken !== undefined && (typeof accessToken !== "string" || accessToken.length === 0)) {
    throw new TypeError("verifyDpopProof(): accessToken must be a non-empty string");
  }
  const now = options.now ?? Date.now();
  if (typeof now !== "number" || !Number.isFinite(now))
    throw new TypeError("verifyDpopProof(): now must be milliseconds");
  const settings = checkProofSettings(options, "verifyDpopProof()");
  return (await verifyProof(proof, settings, { method, uri, accessToken, now })).proof;
}
