/**
 * Password hashes with WebCrypto's PBKDF2 (RFC 8018 §5.2) over HMAC-SHA-256,
 * in a self-describing string:
 *
 * ```text
 * $pbkdf2-sha256$i=<iterations>$<salt>$<hash>
 * ```
 *
 * `<salt>` and `<hash>` are standard base64 (RFC 4648 §4) without `=`
 * padding, as in the PHC string format. No dependency: `crypto.subtle` does
 * the work.
 *
 * @module
 */

/** The hash identifier, the first field of the string. */
const IDENTIFIER = "pbkdf2-sha256";
/** Iterations when none are given: OWASP's figure for PBKDF2-HMAC-SHA-256. */
const DEFAULT_ITERATIONS = 600_000;
/** The fewest iterations `hashPassword` will use. */
const MIN_HASH_ITERATIONS = 100_000;
/** The most iterations either function will run: about a second of work. */
const MAX_ITERATIONS = 10_000_000;
/**
 * The most PBKDF2 work `verifyPassword` will do: iterations × blocks, where
 * each block of the derived key (RFC 8018 §5.2: ceil(keyLength / 32) for
 * HMAC-SHA-256) runs every iteration again. A 64-byte key is two blocks, so
 * it may have at most 5 000 000 iterations.
 */
const MAX_WORK = MAX_ITERATIONS;
/** Bytes of one HMAC-SHA-256 output: one PBKDF2 block. */
const BLOCK_BYTES = 32;
/** Bytes of random salt in a new hash. */
const SALT_BYTES = 16;
/** Bytes of derived key in a new hash: the size of one SHA-256 output. */
const HASH_BYTES = 32;
/** Salt sizes accepted when verifying. */
const MIN_SALT_BYTES = 8;
const MAX_SALT_BYTES = 64;
/** Derived-key sizes accepted when verifying. */
const MIN_HASH_BYTES = 16;
const MAX_HASH_BYTES = 64;
/** The longest hash string read: longer is refused before any other work. */
const MAX_HASH_LENGTH = 256;

/** Options of {@linkcode hashPassword}. */
export interface HashPasswordOptions {
  /** PBKDF2 iterations, from 100 000 to 10 000 000. Default 600 000. */
  iterations?: number;
}

/**
 * Hashes a password with PBKDF2-HMAC-SHA-256 (RFC 8018 §5.2) through
 * WebCrypto: a fresh 16-byte random salt, a 32-byte derived key, and the
 * iteration count, all in one string that {@linkcode verifyPassword} reads
 * back: `$pbkdf2-sha256$i=600000$<salt>$<hash>` (unpadded base64).
 *
 * The password is hashed as its UTF-8 bytes, unnormalized: normalize it
 * (`password.normalize("NFC")`) on both sides if users may type it in
 * different Unicode forms.
 *
 * @param password The password: a string without lone surrogates (they would all encode as U+FFFD).
 * @param options `iterations` (default 600 000, from 100 000 to 10 000 000).
 * @returns The hash string to store.
 * @throws {TypeError} If `password` is not a string or has a lone surrogate.
 * @throws {RangeError} If `iterations` is not a whole number from 100 000 to 10 000 000.
 *
 * @example Hash, then verify
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "@httpauth/deno";
 *
 * const hash = await hashPassword("correct horse battery staple", { iterations: 100_000 });
 * assert.ok(hash.startsWith("$pbkdf2-sha256$i=100000$"));
 * assert.equal(await verifyPassword("correct horse battery staple", hash), true);
 * assert.equal(await verifyPassword("Tr0ub4dor&3", hash), false);
 * ```
 */
export async function hashPassword(password: string, options: HashPasswordOptions = {}): Promise<string> {
  checkPassword(password, "Cannot hash password");
  if (typeof options !== "object" || options === null) {
    throw new TypeError("Cannot hash password: options must be an object");
  }
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < MIN_HASH_ITERATIONS || iterations > MAX_ITERATIONS) {
    throw new RangeError(
      `Cannot hash password: make iterations a whole number from ${MIN_HASH_ITERATIONS} to ${MAX_ITERATIONS}`,
    );
  }
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const derived = await derive(password, salt, iterations, HASH_BYTES);
  return `$${IDENTIFIER}$i=${iterations}$${encodeBase64(salt)}$${encodeBase64(derived)}`;
}

/**
 * Checks a password against a hash from {@linkcode hashPassword}: PBKDF2
 * (RFC 8018 §5.2) is run again with the hash's salt and iteration count, and
 * the two derived keys are compared in constant time.
 *
 * The hash string is checked before any key is derived, so a malformed or
 * hostile one (from a corrupt or tampered user store) is refused at once
 * with a `TypeError` that names the problem and never repeats the string:
 * wrong number of `$` fields, another identifier, an iteration count that is
 * not a whole number from 1 to 10 000 000, base64 that is not strict and
 * unpadded, a salt outside 8–64 bytes or a key outside 16–64 bytes, more
 * than 10 000 000 iterations × blocks of work in all (each 32 bytes of key,
 * one HMAC-SHA-256 block, runs every iteration again: a 64-byte key allows
 * 5 000 000 iterations), or more than 256 characters in all. A wrong password
 * is not an error: it gives `false`.
 *
 * @param password The password received, for example from Basic credentials.
 * @param hash The stored hash string.
 * @returns `true` when the password matches, `false` when it does not.
 * @throws {TypeError} If `password` is not a string or has a lone surrogate,
 *   or `hash` is not a well-formed `$pbkdf2-sha256$` string within the limits above.
 *
 * @example A Basic scheme that checks stored hashes
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { hashPassword, verifyPassword } from "@httpauth/deno";
 *
 * const users = new Map([["ada", await hashPassword("secret", { iterations: 100_000 })]]);
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({
 *       realm: "api",
 *       verify: async (user, password) => {
 *         const hash = users.get(user);
 *         return hash !== undefined && (await verifyPassword(password, hash)) ? user : undefined;
 *       },
 *     }),
 *   ],
 * });
 * const outcome = await authenticator.authenticate({
 *   method: "GET",
 *   url: "/",
 *   header: (name) => (name === "authorization" ? `Basic ${btoa("ada:secret")}` : null),
 * });
 * assert.equal(outcome.ok, true);
 * await assert.rejects(verifyPassword("secret", "$pbkdf2-sha256$i=99999999999$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"), TypeError);
 * ```
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  checkPassword(password, "Cannot verify password");
  const parsed = parseHash(hash);
  const derived = await derive(password, parsed.salt, parsed.iterations, parsed.hash.length);
  return timingSafeEqual(derived, parsed.hash);
}

/** The fields of a hash string. */
interface ParsedHash {
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
}

/** Reads `$pbkdf2-sha256$i=<n>$<salt>$<hash>`, or throws a TypeError naming what is wrong. */
function parseHash(value: string): ParsedHash {
  const context = "Cannot verify password";
  if (typeof value !== "string") throw new TypeError(`${context}: the hash must be a string`);
  if (value.length > MAX_HASH_LENGTH) {
    throw new TypeError(`${context}: the hash is longer than ${MAX_HASH_LENGTH} characters`);
  }
  const fields = value.split("$");
  if (fields.length !== 5 || fields[0] !== "") {
    throw new TypeError(`${context}: expected a hash of the form $${IDENTIFIER}$i=<iterations>$<salt>$<hash>`);
  }
  const [, identifier = "", iterationsField = "", saltField = "", hashField = ""] = fields;
  if (identifier !== IDENTIFIER) throw new TypeError(`${context}: the hash is not a ${IDENTIFIER} hash`);
  const iterations = parseIterations(iterationsField);
  if (iterations === undefined) {
    throw new TypeError(`${context}: the iteration count must be i= and a whole number from 1 to ${MAX_ITERATIONS}`);
  }
  const salt = decodeBase64(saltField);
  if (salt === undefined) throw new TypeError(`${context}: the salt is not strict unpadded base64`);
  if (salt.length < MIN_SALT_BYTES || salt.length > MAX_SALT_BYTES) {
    throw new TypeError(`${context}: the salt must be ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} bytes long`);
  }
  const hash = decodeBase64(hashField);
  if (hash === undefined) throw new TypeError(`${context}: the derived key is not strict unpadded base64`);
  if (hash.length < MIN_HASH_BYTES || hash.length > MAX_HASH_BYTES) {
    throw new TypeError(`${context}: the derived key must be ${MIN_HASH_BYTES} to ${MAX_HASH_BYTES} bytes long`);
  }
  const blocks = Math.ceil(hash.length / BLOCK_BYTES);
  if (iterations * blocks > MAX_WORK) {
    throw new TypeError(
      `${context}: the hash asks for ${iterations} iterations over ${blocks} blocks, more than ${MAX_WORK} block iterations of work`,
    );
  }
  return { iterations, salt, hash };
}

/** `i=` and 1 to 10 000 000 in decimal without leading zeros, or undefined. */
function parseIterations(field: string): number | undefined {
  if (!field.startsWith("i=")) return undefined;
  const digits = field.slice(2);
  // Eight digits at most: anything longer is over the cap, and is refused before it is read.
  if (digits.length === 0 || digits.length > 8 || digits.charCodeAt(0) === 0x30) return undefined;
  let value = 0;
  for (let index = 0; index < digits.length; index++) {
    const code = digits.charCodeAt(index);
    if (code < 0x30 || code > 0x39) return undefined;
    value = value * 10 + (code - 0x30);
  }
  return value <= MAX_ITERATIONS ? value : undefined;
}

function checkPassword(password: unknown, context: string): asserts password is string {
  if (typeof password !== "string") throw new TypeError(`${context}: the password must be a string`);
  if (hasLoneSurrogate(password)) throw new TypeError(`${context}: the password has a lone surrogate`);
}

function hasLoneSurrogate(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
      else return true;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/** PBKDF2-HMAC-SHA-256 through WebCrypto. */
async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, length * 8);
  return new Uint8Array(bits);
}

/** Equal-length byte arrays compared without an early exit. */
function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}

// ── Base64 (RFC 4648 §4), unpadded and strict ───────────────────────────────

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function encodeBase64(bytes: Uint8Array): string {
  let text = "";
  for (let index = 0; index < bytes.length; index += 3) {
    const chunk = (bytes[index]! << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    const symbols = Math.min(4, Math.ceil(((bytes.length - index) * 8) / 6));
    for (let symbol = 0; symbol < symbols; symbol++) text += ALPHABET[(chunk >>> (18 - symbol * 6)) & 0x3f];
  }
  return text;
}

/** Decodes unpadded base64; undefined for any other character, a dangling symbol, or non-zero spare bits. */
function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (text.length % 4 === 1) return undefined;
  const bytes = new Uint8Array(Math.floor((text.length * 6) / 8));
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (let index = 0; index < text.length; index++) {
    const value = ALPHABET.indexOf(text.charAt(index));
    if (value === -1) return undefined;
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[written++] = (buffer >>> bits) & 0xff;
    }
  }
  // Canonical: the bits left over after the last byte are zero (RFC 4648 §3.5).
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined;
  return bytes;
}
