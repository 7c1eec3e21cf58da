/**
 * Password hashes with `Bun.password`: argon2 (RFC 9106) in the PHC string
 * format, `$argon2id$v=19$m=65536,t=2,p=1$<salt>$<hash>`, and bcrypt,
 * `$2b$10$<salt and hash>`. The work runs natively, off the JavaScript thread.
 *
 * Hash strings are checked here before Bun sees them, because Bun runs the
 * cost a string asks for: a bcrypt cost of 20 is about a minute of work, and
 * an argon2 `m` of 4 GiB is 4 GiB of memory.
 *
 * @module
 */

/** The argon2 variants `Bun.password` implements. */
export type Argon2Algorithm = "argon2id" | "argon2i" | "argon2d";

/** Options of {@linkcode hashPassword} for argon2 (the default). */
export interface Argon2Options {
  /** The variant. Default `"argon2id"` (RFC 9106 §4). */
  algorithm?: Argon2Algorithm;
  /** Memory in KiB, from 19 456 (19 MiB) to 262 144 (256 MiB). Default 65 536 (64 MiB). */
  memoryCost?: number;
  /** Passes over the memory, from 1 to 8. Default 2. */
  timeCost?: number;
}

/** Options of {@linkcode hashPassword} for bcrypt. */
export interface BcryptOptions {
  /** bcrypt. */
  algorithm: "bcrypt";
  /** The cost: 2^cost rounds, from 10 to 15. Default 10. */
  cost?: number;
}

/** Options of {@linkcode hashPassword}: argon2 (the default) or bcrypt. */
export type HashPasswordOptions = Argon2Options | BcryptOptions;

/** The part of `Bun.password` this module calls. */
interface BunPassword {
  hash(
    password: string,
    options:
      | { algorithm: Argon2Algorithm; memoryCost: number; timeCost: number }
      | { algorithm: "bcrypt"; cost: number },
  ): Promise<string>;
  verify(password: string, hash: string): Promise<boolean>;
}

/** The longest hash string read. */
const MAX_HASH_LENGTH = 256;
/** Limits on the cost a hash string may ask for when verifying: about two seconds at most. */
const MAX_ARGON2_MEMORY = 262_144;
const MAX_ARGON2_TIME = 8;
const MAX_ARGON2_PARALLELISM = 8;
const MIN_BCRYPT_COST = 4;
const MAX_BCRYPT_COST = 15;
/** Limits on the cost of a new hash. */
const MIN_NEW_ARGON2_MEMORY = 19_456;
const MIN_NEW_BCRYPT_COST = 10;

/**
 * Hashes a password with `Bun.password.hash`: argon2id by default (RFC 9106,
 * 64 MiB, 2 passes), or argon2i, argon2d, or bcrypt. Each hash has a fresh
 * random salt; the string says how it was made, and
 * {@linkcode verifyPassword} reads it back.
 *
 * For bcrypt, Bun hashes a password longer than 72 bytes with SHA-512 first
 * instead of cutting it at 72 bytes, so such hashes verify only under Bun.
 *
 * @param password The password: a non-empty string without lone surrogates.
 * @param options `{ algorithm?: "argon2id" | "argon2i" | "argon2d", memoryCost?, timeCost? }` or `{ algorithm: "bcrypt", cost? }`.
 * @returns The hash string to store.
 * @throws {TypeError} If `password` is empty, not a string, or has a lone
 *   surrogate, or `algorithm` is not one of the four.
 * @throws {RangeError} If `memoryCost` is not 19 456–262 144, `timeCost` not 1–8, or `cost` not 10–15.
 * @throws {Error} Outside Bun, where `Bun.password` does not exist.
 *
 * @example Hash with argon2id and with bcrypt
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "@httpauth/bun";
 *
 * const argon2 = await hashPassword("correct horse battery staple", { memoryCost: 19_456 });
 * assert.ok(argon2.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
 * const bcrypt = await hashPassword("correct horse battery staple", { algorithm: "bcrypt", cost: 10 });
 * assert.ok(bcrypt.startsWith("$2b$10$"));
 * assert.equal(await verifyPassword("correct horse battery staple", argon2), true);
 * assert.equal(await verifyPassword("Tr0ub4dor&3", bcrypt), false);
 * ```
 */
export async function hashPassword(password: string, options: HashPasswordOptions = {}): Promise<string> {
  const context = "Cannot hash password";
  checkPassword(password, context);
  if (password === "") throw new TypeError(`${context}: the password is empty`);
  if (typeof options !== "object" || options === null) throw new TypeError(`${context}: options must be an object`);
  const bun = bunPassword(context);
  if (options.algorithm === "bcrypt") {
    const cost = options.cost ?? 10;
    checkRange(cost, MIN_NEW_BCRYPT_COST, MAX_BCRYPT_COST, `${context}: make cost`);
    return bun.hash(password, { algorithm: "bcrypt", cost });
  }
  const algorithm = options.algorithm ?? "argon2id";
  if (algorithm !== "argon2id" && algorithm !== "argon2i" && algorithm !== "argon2d") {
    throw new TypeError(`${context}: algorithm must be "argon2id", "argon2i", "argon2d" or "bcrypt"`);
  }
  const memoryCost = options.memoryCost ?? 65_536;
  const timeCost = options.timeCost ?? 2;
  checkRange(memoryCost, MIN_NEW_ARGON2_MEMORY, MAX_ARGON2_MEMORY, `${context}: make memoryCost`);
  checkRange(timeCost, 1, MAX_ARGON2_TIME, `${context}: make timeCost`);
  return bun.hash(password, { algorithm, memoryCost, timeCost });
}

/**
 * Checks a password against an argon2 (RFC 9106, PHC string) or bcrypt hash
 * with `Bun.password.verify`, which compares in constant time.
 *
 * A wrong password gives `false`. A hash string that is malformed, of
 * another kind, or asks for more work than the limits below is refused with a
 * `TypeError` naming the problem (never repeating the string), before Bun
 * runs anything; so is one that Bun itself cannot decode (the error's
 * `cause` is Bun's). Accepted:
 *
 * - `$argon2id$`, `$argon2i$`, `$argon2d$` with `v=19`, `m` up to 262 144 KiB,
 *   `t` up to 8, `p` up to 8, unpadded base64 salt and hash;
 * - `$2a$`, `$2b$`, `$2y$` bcrypt with a cost from 4 to 15, 60 characters in all.
 *
 * @param password The password received, for example from Basic credentials.
 * @param hash The stored hash string.
 * @returns `true` when the password matches, `false` when it does not.
 * @throws {TypeError} If `password` is not a string or has a lone surrogate,
 *   or `hash` is not an argon2 or bcrypt hash within the limits above.
 * @throws {Error} Outside Bun, where `Bun.password` does not exist.
 *
 * @example A Basic scheme over bcrypt hashes; a hostile cost is refused
 * ```ts
 * import assert from "node:assert/strict";
 * import { basicAuth, createAuthenticator } from "@httpauth/core";
 * import { verifyPassword } from "@httpauth/bun";
 *
 * // The crypt_blowfish test vector for the password "U*U".
 * const users = new Map([["ada", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"]]);
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
 *   header: (name) => (name === "authorization" ? `Basic ${btoa("ada:U*U")}` : null),
 * });
 * assert.equal(outcome.ok, true);
 * await assert.rejects(verifyPassword("U*U", "$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), TypeError);
 * ```
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const context = "Cannot verify password";
  checkPassword(password, context);
  checkHash(hash, context);
  const bun = bunPassword(context);
  try {
    return await bun.verify(password, hash);
  } catch (error) {
    // Bun's own refusals (PASSWORD_INVALID_ENCODING, PASSWORD_UNSUPPORTED_ALGORITHM, …).
    const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
    if (typeof code === "string" && code.startsWith("PASSWORD_")) {
      throw new TypeError(`${context}: Bun cannot decode the hash (${code})`, { cause: error });
    }
    throw error;
  }
}

/** `Bun.password`, reached through `globalThis` so no Bun types are needed to compile. */
function bunPassword(context: string): BunPassword {
  const bun = (globalThis as { Bun?: { password?: BunPassword } }).Bun;
  if (bun?.password === undefined) throw new Error(`${context}: Bun.password is missing; run this under Bun`);
  return bun.password;
}

function checkRange(value: unknown, min: number, max: number, what: string): void {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} a whole number from ${min} to ${max}`);
  }
}

function checkPassword(password: unknown, context: string): asserts password is string {
  if (typeof password !== "string") throw new TypeError(`${context}: the password must be a string`);
  for (let index = 0; index < password.length; index++) {
    const code = password.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = password.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
    }
    if (code >= 0xd800 && code <= 0xdfff) throw new TypeError(`${context}: the password has a lone surrogate`);
  }
}

/** Refuses a hash string that is not argon2 or bcrypt within the limits, with a message naming the problem. */
function checkHash(hash: unknown, context: string): void {
  if (typeof hash !== "string") throw new TypeError(`${context}: the hash must be a string`);
  if (hash.length > MAX_HASH_LENGTH)
    throw new TypeError(`${context}: the hash is longer than ${MAX_HASH_LENGTH} characters`);
  if (hash.startsWith("$argon2")) checkArgon2(hash, context);
  else if (hash.startsWith("$2")) checkBcrypt(hash, context);
  else throw new TypeError(`${context}: the hash is not an argon2 ($argon2id$…) or bcrypt ($2b$…) hash`);
}

// $argon2<type>$v=19$m=<memory>,t=<passes>,p=<lanes>$<salt>$<hash>   (PHC string format, RFC 9106)
function checkArgon2(hash: string, context: string): void {
  const fields = hash.split("$");
  if (fields.length !== 6) {
    throw new TypeError(`${context}: expected an argon2 hash of the form $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>`);
  }
  const [, algorithm = "", version = "", parameters = "", salt = "", key = ""] = fields;
  if (algorithm !== "argon2id" && algorithm !== "argon2i" && algorithm !== "argon2d") {
    throw new TypeError(`${context}: the argon2 variant must be argon2id, argon2i or argon2d`);
  }
  if (version !== "v=19") throw new TypeError(`${context}: only argon2 version 19 (v=19) is supported`);
  const values = parameters.split(",");
  const memory = readParameter(values[0], "m=");
  const time = readParameter(values[1], "t=");
  const lanes = readParameter(values[2], "p=");
  if (values.length !== 3 || memory === undefined || time === undefined || lanes === undefined) {
    throw new TypeError(`${context}: the argon2 parameters must be m=<KiB>,t=<passes>,p=<lanes> in decimal`);
  }
  if (memory > MAX_ARGON2_MEMORY) {
    throw new TypeError(`${context}: the argon2 memory cost is over the limit of ${MAX_ARGON2_MEMORY} KiB`);
  }
  if (time < 1 || time > MAX_ARGON2_TIME) {
    throw new TypeError(`${context}: the argon2 time cost must be from 1 to ${MAX_ARGON2_TIME}`);
  }
  if (lanes < 1 || lanes > MAX_ARGON2_PARALLELISM) {
    throw new TypeError(`${context}: the argon2 parallelism must be from 1 to ${MAX_ARGON2_PARALLELISM}`);
  }
  if (!isBase64(salt, 11))
    throw new TypeError(`${context}: the argon2 salt must be unpadded base64 of 8 bytes or more`);
  if (!isBase64(key, 6)) throw new TypeError(`${context}: the argon2 hash must be unpadded base64 of 4 bytes or more`);
}

// $2a$ / $2b$ / $2y$, two cost digits, "$", 22 salt and 31 hash characters of bcrypt's base64 (./A-Za-z0-9).
function checkBcrypt(hash: string, context: string): void {
  const variant = hash.slice(0, 4);
  if (variant !== "$2a$" && variant !== "$2b$" && variant !== "$2y$") {
    throw new TypeError(`${context}: the bcrypt variant must be $2a$, $2b$ or $2y$`);
  }
  if (hash.length !== 60 || hash.charAt(6) !== "$") {
    throw new TypeError(`${context}: expected a bcrypt hash of 60 characters, $2b$<cost>$<53 characters>`);
  }
  const cost = readDecimal(hash.slice(4, 6), true);
  if (cost === undefined || cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) {
    throw new TypeError(`${context}: the bcrypt cost must be two digits from 04 to ${MAX_BCRYPT_COST}`);
  }
  for (let index = 7; index < 60; index++) {
    const code = hash.charCodeAt(index);
    const ok =
      code === 0x2e ||
      code === 0x2f ||
      isDigit(code) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a);
    if (!ok) throw new TypeError(`${context}: the bcrypt salt and hash must be in bcrypt's base64 (./A-Za-z0-9)`);
  }
}

/** The value of `<prefix><decimal>`, or undefined. */
function readParameter(field: string | undefined, prefix: string): number | undefined {
  if (field === undefined || !field.startsWith(prefix)) return undefined;
  return readDecimal(field.slice(prefix.length), false);
}

/** A decimal of up to 10 digits, without leading zeros unless `padded`; undefined otherwise. */
function readDecimal(digits: string, padded: boolean): number | undefined {
  if (digits.length === 0 || digits.length > 10 || (!padded && digits.length > 1 && digits.charCodeAt(0) === 0x30)) {
    return undefined;
  }
  let value = 0;
  for (let index = 0; index < digits.length; index++) {
    const code = digits.charCodeAt(index);
    if (!isDigit(code)) return undefined;
    value = value * 10 + (code - 0x30);
  }
  return value;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Standard base64 characters only, no padding, at least `min` of them, and a length that can end a byte string. */
function isBase64(text: string, min: number): boolean {
  if (text.length < min || text.length % 4 === 1) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const ok =
      code === 0x2b ||
      code === 0x2f ||
      isDigit(code) ||
      (code >= 0x41 && code <= 0x5a) ||
      (code >= 0x61 && code <= 0x7a);
    if (!ok) return false;
  }
  return true;
}
