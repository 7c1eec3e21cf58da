/**
 * The Digest challenge (RFC 7616 §3.3), for servers.
 *
 * @module
 */

import type { Challenge } from "../../challenge.ts";
import { createParams } from "../../grammar/scanner.ts";
import type { DigestAlgorithm, DigestQop } from "./algorithms.ts";
import { QOP_VALUES } from "./algorithms.ts";
import { checkAlgorithm, checkDigestChallengeText, checkList, checkNow, secretBytes } from "./arguments.ts";
import { createNonce } from "./nonce.ts";

/** Options of {@linkcode createDigestChallenge}. */
export interface CreateDigestChallengeOptions {
  /** The protection space shown to the user (RFC 7616 §3.3). Required and not blank. */
  realm: string;
  /**
   * The key of the nonce's HMAC, at least 16 bytes (as UTF-8 for a string).
   * Every server instance that shares it can check the others' nonces.
   */
  secret: string | Uint8Array;
  /** The algorithm to ask for. Defaults to `"SHA-256"`, the one RFC 7616 §3.7 makes mandatory. */
  algorithm?: DigestAlgorithm;
  /** The qop values offered, at least one. Defaults to `["auth"]`. */
  qop?: readonly DigestQop[];
  /** A value the client returns unchanged. */
  opaque?: string;
  /** URIs (absolute or absolute paths) that share this protection space, sent space-separated. */
  domain?: readonly string[];
  /** Send `stale=true`: the last nonce expired but its response was right, so retry without asking the user. */
  stale?: boolean;
  /** Send `userhash=true`: the client may hash its user name (RFC 7616 §3.4.4). */
  userhash?: boolean;
  /** Send `charset=UTF-8` (RFC 7616 §4). */
  charset?: "UTF-8";
  /** The current time in milliseconds since the epoch, for tests. Defaults to `Date.now()`. */
  now?: number;
}

/**
 * Creates a Digest challenge (RFC 7616 §3.3) with a stateless nonce: the
 * time, 12 random bytes and an HMAC-SHA-256 over them, the realm and the
 * algorithm, keyed by `secret`, in base64 (no `"` or `\`). Any server that
 * shares the secret can check the nonce without a store.
 *
 * Parameters come in this order: realm, qop (`"auth, auth-int"`), algorithm,
 * nonce, opaque, domain, stale, charset, userhash. To offer several
 * algorithms, send one challenge per algorithm, strongest first (§3.7).
 *
 * @param options `realm` and `secret` (required), `algorithm` (default
 *   SHA-256), `qop` (default `["auth"]`), `opaque`, `domain`, `stale`,
 *   `charset`, `userhash`, `now`.
 * @returns The challenge, `{ scheme: "digest", params }`; serialize it with `serializeChallenge`.
 * @throws {TypeError} If `realm` is missing or blank, `secret` is not a string
 *   or Uint8Array, or `opaque` or a `domain` entry is not a string that a header can carry.
 * @throws {RangeError} If `secret` is shorter than 16 bytes, `algorithm` or a
 *   `qop` value is unknown, `qop` is empty or repeats, or `now` is not a time.
 *
 * @example Challenge with SHA-256
 * ```ts
 * import assert from "node:assert/strict";
 * import { createDigestChallenge } from "@httpauth/core";
 *
 * const challenge = await createDigestChallenge({ realm: "api", secret: "at least sixteen bytes", qop: ["auth", "auth-int"] });
 * assert.equal(challenge.scheme, "digest");
 * assert.deepEqual(Object.keys(challenge.params), ["realm", "qop", "algorithm", "nonce"]);
 * assert.equal(challenge.params.qop, "auth, auth-int");
 * assert.equal(challenge.params.algorithm, "SHA-256");
 * assert.equal(challenge.params.nonce?.length, 48);
 * ```
 */
export async function createDigestChallenge(options: CreateDigestChallengeOptions): Promise<Challenge> {
  const context = "Cannot create a Digest challenge";
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: pass an options object`);
  const realm = checkDigestChallengeText(options, context);
  const secret = secretBytes(options.secret, context);
  const algorithm =
    options.algorithm === undefined ? "SHA-256" : checkAlgorithm(options.algorithm, context, "algorithm");
  const qop = checkList(options.qop, QOP_VALUES, ["auth"], context, "qop");
  const now = checkNow(options.now, context);
  const params = createParams();
  params.realm = realm;
  params.qop = qop.join(", ");
  params.algorithm = algorithm;
  params.nonce = await createNonce(secret, realm, algorithm, now);
  if (options.opaque !== undefined) params.opaque = options.opaque;
  if (options.domain !== undefined && options.domain.length > 0) params.domain = options.domain.join(" ");
  if (options.stale === true) params.stale = "true";
  if (options.charset !== undefined) {
    if (options.charset !== "UTF-8") throw new RangeError(`${context}: charset can only be "UTF-8" (RFC 7616 §4)`);
    params.charset = "UTF-8";
  }
  if (options.userhash === true) params.userhash = "true";
  return { scheme: "digest", params };
}
