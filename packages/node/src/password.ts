/**
 * Password hashes with scrypt (RFC 7914) from `node:crypto`, stored as
 * self-describing PHC strings: `$scrypt$ln=15,r=8,p=3$<salt>$<hash>`.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { randomBytes, scrypt, timingSafeEqual as timingSafeEqualBytes } from "node:crypto";

/** Options of {@linkcode hashPassword}: scrypt's parameters, under `node:crypto`'s names. */
export interface HashPasswordOptions {
  /** N, the CPU and memory cost: a power of two. Memory used is 128 × N × r bytes. Default 2^15 (32768). */
  cost?: number;
  /** r, the block size. Default 8. */
  blockSize?: number;
  /** p, the parallelization: independent passes, more time without more memory. Default 3. */
  parallelization?: number;
}

/** scrypt's three parameters, as in RFC 7914 §2. */
interface ScryptParameters {
  cost: number;
  blockSize: number;
  parallelization: number;
}

/** A stored hash, taken apart. */
interface ParsedHash {
  parameters: ScryptParameters;
  salt: Uint8Array;
  hash: Uint8Array;
}

// OWASP's (2^15, 8, 3): 32 MiB and about 0.2 s per hash on a server core of 2025.
const DEFAULT_PARAMETERS: Readonly<ScryptParameters> = { cost: 2 ** 15, blockSize: 8, parallelization: 3 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;

// The bounds a hash must stay within, so that a hostile string cannot make one
// verification allocate gigabytes or compute for minutes.
/** 128 × N × r ≤ 256 MiB. */
const MAX_COST_TIMES_BLOCK_SIZE = 2 ** 21;
/** N × r × p ≤ 2^22: four times OWASP's (2^17, 8, 1), a few seconds at most. */
const MAX_WORK = 2 ** 22;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELIZATION = 16;
const MIN_SALT_BYTES = 8;
const MAX_SALT_BYTES = 64;
const MIN_HASH_BYTES = 16;
const MAX_HASH_BYTES = 64;
/** Longer than any hash within the bounds above. */
const MAX_HASH_STRING_LENGTH = 256;
const COST_PROBLEM = "the cost (N) must be a power of two from 2 to 2^21";

/** Why `parameters` are outside the bounds, or `undefined` when they are within them. */
function parameterProblem({ cost, blockSize, parallelization }: ScryptParameters): string | undefined {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
    return `the block size (r) must be a whole number from 1 to ${MAX_BLOCK_SIZE}`;
  }
  if (!Number.isSafeInteger(parallelization) || parallelization < 1 || parallelization > MAX_PARALLELIZATION) {
    return `the parallelization (p) must be a whole number from 1 to ${MAX_PARALLELIZATION}`;
  }
  if (!Number.isSafeInteger(cost) || cost < 2 || cost > MAX_COST_TIMES_BLOCK_SIZE || (cost & (cost - 1)) !== 0) {
    return COST_PROBLEM;
  }
  // RFC 7914 §2: N < 2^(128 × r / 8) = 2^(16r); OpenSSL refuses anything else with a RangeError of its own.
  if (cost >= 2 ** (16 * blockSize)) {
    return `the cost (N) must be less than 2^(16 × r) (RFC 7914 §2): below 2^${16 * blockSize} for r = ${blockSize}`;
  }
  if (cost * blockSize > MAX_COST_TIMES_BLOCK_SIZE) {
    return "the cost (N) and block size (r) need more than 256 MiB (128 × N × r)";
  }
  if (cost * blockSize * parallelization > MAX_WORK) {
    return "the cost (N), block size (r) and parallelization (p) ask for more than 2^22 block operations (N × r × p)";
  }
  return undefined;
}

/** Runs scrypt with exactly the memory these parameters need allowed (OpenSSL: 128 × r × (N + p + 2) bytes). */
function deriveKey(password: string, salt: Uint8Array, length: number, parameters: ScryptParameters): Promise<Buffer> {
  const { cost, blockSize, parallelization } = parameters;
  const maxmem = 128 * blockSize * (cost + parallelization + 2);
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, { cost, blockSize, parallelization, maxmem }, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/** Unpadded base64 of the standard alphabet, as PHC strings use. */
function encodeBase64(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) end--;
  return text.slice(0, end);
}

/** Whether `code` is a character of the standard base64 alphabet: A–Z, a–z, 0–9, "+", "/". */
function isBase64Character(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x2b ||
    code === 0x2f
  );
}

/** Decodes canonical unpadded base64, or throws a TypeError naming `field`. */
function decodeBase64(text: string, field: string): Uint8Array {
  let valid = text.length % 4 !== 1;
  for (let index = 0; valid && index < text.length; index++) valid = isBase64Character(text.charCodeAt(index));
  const bytes = valid ? Buffer.from(text, "base64") : undefined;
  // Re-encoding catches non-zero trailing bits, which Buffer ignores.
  if (bytes === undefined || encodeBase64(bytes) !== text) {
    throw new TypeError(`Cannot verify password: the ${field} is not unpadded base64`);
  }
  return bytes;
}

/** A PHC decimal: "0" or digits without a leading zero, at most six. */
function parseDecimal(text: string, name: string): number {
  let valid = text.length > 0 && text.length <= 6 && (text === "0" || text[0] !== "0");
  for (let index = 0; valid && index < text.length; index++) {
    const code = text.charCodeAt(index);
    valid = code >= 0x30 && code <= 0x39;
  }
  if (!valid) throw new TypeError(`Cannot verify password: the hash's ${name} parameter is not a decimal number`);
  return Number(text);
}

/**
 * Takes a stored hash apart, refusing anything but a well-formed hash within the bounds.
 *
 * scrypt-hash = "$scrypt$ln=" decimal ",r=" decimal ",p=" decimal "$" base64-salt "$" base64-hash
 */
function parseHash(stored: string): ParsedHash {
  if (typeof stored !== "string") throw new TypeError("verifyPassword() needs the stored hash as a string");
  if (stored.length > MAX_HASH_STRING_LENGTH) {
    throw new TypeError(`Cannot verify password: the hash is longer than ${MAX_HASH_STRING_LENGTH} characters`);
  }
  const fields = stored.split("$");
  if (fields.length !== 5 || fields[0] !== "") {
    throw new TypeError(
      `Cannot verify password: the hash has ${fields.length} "$"-separated parts, expected 5 ("$scrypt$ln=…,r=…,p=…$salt$hash")`,
    );
  }
  const [, algorithm, parameterList, salt, hash] = fields as [string, string, string, string, string];
  if (algorithm !== "scrypt") throw new TypeError('Cannot verify password: the hash does not start with "$scrypt$"');
  const parameters = parameterList.split(",");
  const [ln, r, p] = parameters;
  if (parameters.length !== 3 || !ln?.startsWith("ln=") || !r?.startsWith("r=") || !p?.startsWith("p=")) {
    throw new TypeError('Cannot verify password: the hash\'s parameters must read "ln=…,r=…,p=…"');
  }
  const log2Cost = parseDecimal(ln.slice(3), "ln");
  if (log2Cost > 21) throw new TypeError(`Cannot verify password: ${COST_PROBLEM}`);
  const parsed: ScryptParameters = {
    cost: 2 ** log2Cost,
    blockSize: parseDecimal(r.slice(2), "r"),
    parallelization: parseDecimal(p.slice(2), "p"),
  };
  const problem = parameterProblem(parsed);
  if (problem !== undefined) throw new TypeError(`Cannot verify password: ${problem}`);
  const saltBytes = decodeBase64(salt, "salt");
  if (saltBytes.length < MIN_SALT_BYTES || saltBytes.length > MAX_SALT_BYTES) {
    throw new TypeError(`Cannot verify password: the salt must be ${MIN_SALT_BYTES} to ${MAX_SALT_BYTES} bytes long`);
  }
  const hashBytes = decodeBase64(hash, "hash");
  if (hashBytes.length < MIN_HASH_BYTES || hashBytes.length > MAX_HASH_BYTES) {
    throw new TypeError(`Cannot verify password: the hash must be ${MIN_HASH_BYTES} to ${MAX_HASH_BYTES} bytes long`);
  }
  return { parameters: parsed, salt: saltBytes, hash: hashBytes };
}

/**
 * Hashes a password with scrypt (RFC 7914) and a random 16-byte salt, into a
 * self-describing PHC string that {@linkcode verifyPassword} reads back:
 * `$scrypt$ln=15,r=8,p=3$<salt>$<hash>` (log2 of N, r, p; unpadded base64 of
 * the salt and of the 32-byte key; the format passlib writes too).
 *
 * The defaults, N = 2^15, r = 8, p = 3, are one of OWASP's recommended
 * scrypt settings: 32 MiB and about a fifth of a second per hash, on
 * `node:crypto`'s thread pool, so the event loop keeps running. Lower values
 * make hashes cheaper to crack; raise them as hardware gets faster (stored
 * hashes keep their own parameters). The password is hashed as UTF-8.
 *
 * @param password The password, in clear.
 * @param options `cost` (N), `blockSize` (r), `parallelization` (p).
 * @returns A promise of the PHC string to store.
 * @throws {TypeError} If `password` is not a string, or an option is not a number.
 * @throws {RangeError} If N is not a power of two from 2 to 2^21, r is outside 1–32, p outside 1–16,
 *   N is not below 2^(16 × r) (RFC 7914 §2: with r = 1, N must be below 2^16), 128 × N × r exceeds 256 MiB,
 *   or N × r × p exceeds 2^22 (the bounds {@linkcode verifyPassword} enforces).
 *
 * @example Hash at sign-up, verify at sign-in
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "@httpauth/node";
 *
 * const stored = await hashPassword("correct horse battery staple");
 * assert.match(stored, /^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
 * assert.equal(await verifyPassword("correct horse battery staple", stored), true);
 * assert.equal(await verifyPassword("Tr0ub4dor&3", stored), false);
 * ```
 */
export async function hashPassword(password: string, options: HashPasswordOptions = {}): Promise<string> {
  if (typeof password !== "string") throw new TypeError("hashPassword() needs the password as a string");
  const parameters: ScryptParameters = {
    cost: options.cost ?? DEFAULT_PARAMETERS.cost,
    blockSize: options.blockSize ?? DEFAULT_PARAMETERS.blockSize,
    parallelization: options.parallelization ?? DEFAULT_PARAMETERS.parallelization,
  };
  for (const [name, value] of Object.entries(parameters)) {
    if (typeof value !== "number") throw new TypeError(`hashPassword(): the ${name} option must be a number`);
  }
  const problem = parameterProblem(parameters);
  if (problem !== undefined) throw new RangeError(`hashPassword(): ${problem}`);
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, HASH_BYTES, parameters);
  const log2Cost = 31 - Math.clz32(parameters.cost);
  return `$scrypt$ln=${log2Cost},r=${parameters.blockSize},p=${parameters.parallelization}$${encodeBase64(salt)}$${encodeBase64(key)}`;
}

/**
 * Checks a password against a hash from {@linkcode hashPassword} (or any
 * `$scrypt$ln=…,r=…,p=…$salt$hash` PHC string, such as passlib's): derives
 * the key with the hash's own salt and parameters and compares it in
 * constant time.
 *
 * A stored hash is refused before any work is done when it is malformed or
 * asks for more than the bounds allow (N ≤ 2^21, r ≤ 32, p ≤ 16,
 * N < 2^(16 × r) as RFC 7914 §2 requires, 128 × N × r ≤ 256 MiB, N × r × p ≤ 2^22; salt 8–64 bytes, hash 16–64
 * bytes, canonical unpadded base64, at most 256 characters), so a hostile
 * hash string cannot make it allocate gigabytes. That is an error in the
 * stored data, not a wrong password: it rejects with a `TypeError` naming the
 * problem (and never repeating the hash). A wrong password resolves to `false`.
 *
 * For an unknown user, verify against a fixed dummy hash anyway, so the
 * response time does not tell which user names exist.
 *
 * @param password The password received.
 * @param hash The stored PHC string.
 * @returns A promise of `true` when the password matches.
 * @throws {TypeError} If `password` is not a string, or `hash` is not a well-formed scrypt PHC string within the bounds.
 *
 * @example A wrong password is `false`; a hash that is not one is a TypeError
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashPassword, verifyPassword } from "@httpauth/node";
 *
 * const stored = await hashPassword("open sesame", { cost: 2 ** 14 });
 * assert.equal(await verifyPassword("open sesame", stored), true);
 * assert.equal(await verifyPassword("open sesame!", stored), false);
 * await assert.rejects(verifyPassword("open sesame", "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"), TypeError);
 * await assert.rejects(verifyPassword("open sesame", "open sesame"), TypeError);
 * ```
 */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (typeof password !== "string") throw new TypeError("verifyPassword() needs the password as a string");
  const stored = parseHash(hash);
  const derived = await deriveKey(password, stored.salt, stored.hash.length, stored.parameters);
  return timingSafeEqualBytes(derived, stored.hash);
}
