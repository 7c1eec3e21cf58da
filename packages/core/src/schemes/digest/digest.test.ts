import { createHash } from "node:crypto";
import fc from "fast-check";
import { beforeEach, describe, expect, test, vi } from "vitest";
import type { Challenge } from "../../challenge.ts";
import { parseChallenges, serializeChallenge } from "../../challenge.ts";
import type { Credentials } from "../../credentials.ts";
import { parseCredentials, serializeCredentials } from "../../credentials.ts";
import { isHTTPAuthError } from "../../errors.ts";
import type {
  ComputeDigestCredentialsOptions,
  DigestAlgorithm,
  DigestQop,
  DigestVerification,
  NonceCountEntry,
  NonceCountResult,
  VerifyDigestCredentialsOptions,
} from "./index.ts";
import {
  computeDigestCredentials,
  createDigestChallenge,
  createMemoryNonceCountStore,
  parseDigestCredentials,
  verifyDigestAuthenticationInfo,
  verifyDigestCredentials,
} from "./index.ts";

/** Counts hash computations, to show that an unknown user costs what a wrong password costs. */
const hashCalls = vi.hoisted(() => ({ count: 0 }));
vi.mock("../../internal/hash.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../internal/hash.ts")>();
  return {
    ...original,
    hashHex(...values: Parameters<typeof original.hashHex>): ReturnType<typeof original.hashHex> {
      hashCalls.count++;
      return original.hashHex(...values);
    },
  };
});

/** Records constant-time comparisons, to show that the response digest goes through one. */
const comparisons = vi.hoisted(() => ({ calls: [] as [Uint8Array, Uint8Array][] }));
vi.mock("../../internal/timing-safe-equal.ts", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../internal/timing-safe-equal.ts")>();
  return {
    ...original,
    timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
      comparisons.calls.push([a.slice(), b.slice()]);
      return original.timingSafeEqual(a, b);
    },
  };
});

// ---------------------------------------------------------------------------
// Reference implementation with node:crypto
// ---------------------------------------------------------------------------

const NODE_HASH: Record<string, string> = { MD5: "md5", "SHA-256": "sha256", "SHA-512-256": "sha512-256" };

function baseOf(algorithm: DigestAlgorithm): string {
  return algorithm.replace(/-sess$/, "");
}

function H(algorithm: DigestAlgorithm, data: string | Uint8Array): string {
  return createHash(NODE_HASH[baseOf(algorithm)] as string)
    .update(data)
    .digest("hex");
}

interface ReferenceInput {
  algorithm: DigestAlgorithm;
  username: string;
  realm: string;
  password: string;
  method: string;
  uri: string;
  nonce: string;
  qop?: DigestQop;
  nc?: string;
  cnonce?: string;
  body?: string | Uint8Array;
}

/** RFC 7616 §3.4.1–§3.4.3, written out independently of the digest modules. */
function referenceResponse(input: ReferenceInput): string {
  const { algorithm } = input;
  let ha1 = H(algorithm, `${input.username}:${input.realm}:${input.password}`);
  if (algorithm.endsWith("-sess")) ha1 = H(algorithm, `${ha1}:${input.nonce}:${input.cnonce}`);
  const a2 =
    input.qop === "auth-int"
      ? `${input.method}:${input.uri}:${H(algorithm, input.body ?? "")}`
      : `${input.method}:${input.uri}`;
  const ha2 = H(algorithm, a2);
  if (input.qop === undefined) return H(algorithm, `${ha1}:${input.nonce}:${ha2}`);
  return H(algorithm, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** What Digest's client refuses in a user name: C0, DEL, C1, U+2028 and U+2029 (issue 13). */
function hasControl(text: string): boolean {
  for (const character of text) {
    const code = character.charCodeAt(0);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}

function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Runs `run` and returns the HTTPAuthError code it throws (sync or async), or undefined. */
async function codeOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    if (isHTTPAuthError(error)) return error.code;
    throw error;
  }
  return undefined;
}

async function thrown(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// RFC examples
// ---------------------------------------------------------------------------

const RFC7616_NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
const RFC7616_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
const RFC7616_OPAQUE = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";

function rfc7616Challenge(algorithm: string): Challenge {
  return {
    scheme: "digest",
    params: {
      realm: "http-auth@example.org",
      qop: "auth, auth-int",
      algorithm,
      nonce: RFC7616_NONCE,
      opaque: RFC7616_OPAQUE,
    },
  };
}

const MUFASA: ComputeDigestCredentialsOptions = {
  username: "Mufasa",
  password: "Circle of Life",
  method: "GET",
  uri: "/dir/index.html",
  cnonce: RFC7616_CNONCE,
  nc: 1,
};

const JASON_NONCE = "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK";
const JASON_CNONCE = "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v";
const JASON_OPAQUE = "HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS";

function rfc7616UserhashChallenge(userhash: boolean): Challenge {
  const params: Record<string, string> = {
    realm: "api@example.org",
    qop: "auth",
    algorithm: "SHA-512-256",
    nonce: JASON_NONCE,
    opaque: JASON_OPAQUE,
    charset: "UTF-8",
  };
  if (userhash) params.userhash = "true";
  return { scheme: "digest", params };
}

const JASON: ComputeDigestCredentialsOptions = {
  username: "J\u00e4s\u00f8n Doe",
  password: "Secret, or not?",
  method: "GET",
  uri: "/doe.json",
  cnonce: JASON_CNONCE,
  nc: 1,
};

describe("RFC examples", () => {
  test("computeDigestCredentials() gives RFC 7616 §3.9.1's MD5 credentials", async () => {
    const credentials = await computeDigestCredentials(rfc7616Challenge("MD5"), MUFASA);
    expect(plain(credentials)).toEqual({
      scheme: "digest",
      params: {
        username: "Mufasa",
        realm: "http-auth@example.org",
        uri: "/dir/index.html",
        algorithm: "MD5",
        nonce: RFC7616_NONCE,
        nc: "00000001",
        cnonce: RFC7616_CNONCE,
        qop: "auth",
        response: "8ca523f5e9506fed4657c9700eebdbec",
        opaque: RFC7616_OPAQUE,
      },
    });
    // Parameters in the order of the RFC's example.
    expect(Object.keys(credentials.params)).toEqual([
      "username",
      "realm",
      "uri",
      "algorithm",
      "nonce",
      "nc",
      "cnonce",
      "qop",
      "response",
      "opaque",
    ]);
  });

  test("computeDigestCredentials() gives RFC 7616 §3.9.1's SHA-256 response", async () => {
    const credentials = await computeDigestCredentials(rfc7616Challenge("SHA-256"), MUFASA);
    expect(credentials.params.algorithm).toBe("SHA-256");
    expect(credentials.params.response).toBe("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
  });

  test("the RFC 7616 §3.9.1 expectations agree with node:crypto", () => {
    const base = {
      username: "Mufasa",
      realm: "http-auth@example.org",
      password: "Circle of Life",
      method: "GET",
      uri: "/dir/index.html",
      nonce: RFC7616_NONCE,
      qop: "auth" as const,
      nc: "00000001",
      cnonce: RFC7616_CNONCE,
    };
    expect(referenceResponse({ ...base, algorithm: "MD5" })).toBe("8ca523f5e9506fed4657c9700eebdbec");
    expect(referenceResponse({ ...base, algorithm: "SHA-256" })).toBe(
      "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
    );
  });

  test("computeDigestCredentials() gives RFC 2617 §3.5's response", async () => {
    const challenge: Challenge = {
      scheme: "digest",
      params: {
        realm: "testrealm@host.com",
        qop: "auth,auth-int",
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
        opaque: "5ccc069c403ebaf9f0171e9517f40e41",
      },
    };
    const credentials = await computeDigestCredentials(challenge, {
      username: "Mufasa",
      password: "Circle Of Life",
      method: "GET",
      uri: "/dir/index.html",
      cnonce: "0a4f113b",
      nc: 1,
    });
    expect(plain(credentials.params)).toEqual({
      username: "Mufasa",
      realm: "testrealm@host.com",
      uri: "/dir/index.html",
      nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      nc: "00000001",
      cnonce: "0a4f113b",
      qop: "auth",
      response: "6629fae49393a05397450978507c4ef1",
      opaque: "5ccc069c403ebaf9f0171e9517f40e41",
    });
  });

  test("computeDigestCredentials() gives RFC 7616 §3.9.2 with real SHA-512/256 (erratum 4897)", async () => {
    const credentials = await computeDigestCredentials(rfc7616UserhashChallenge(true), JASON);
    // The RFC prints 488869477bf2…54ec and ae66e67d6b42…79dd, computed with
    // SHA-512 truncated to 256 bits, not SHA-512/256 (FIPS 180-4 §6.7, own IV).
    expect(credentials.params.username).toBe("793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b");
    expect(credentials.params.response).toBe("3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5");
    expect(credentials.params.userhash).toBe("true");
    expect(Object.keys(credentials.params)).toEqual([
      "username",
      "realm",
      "uri",
      "algorithm",
      "nonce",
      "nc",
      "cnonce",
      "qop",
      "response",
      "opaque",
      "userhash",
    ]);
  });

  test("RFC 7616 §3.9.2's printed values are truncated SHA-512; real SHA-512/256 gives the erratum's", () => {
    const name = "J\u00e4s\u00f8n Doe:api@example.org";
    expect(createHash("sha512").update(name).digest("hex").slice(0, 64)).toBe(
      "488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec",
    );
    expect(createHash("sha512-256").update(name).digest("hex")).toBe(
      "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b",
    );
    expect(
      referenceResponse({
        algorithm: "SHA-512-256",
        username: "J\u00e4s\u00f8n Doe",
        realm: "api@example.org",
        password: "Secret, or not?",
        method: "GET",
        uri: "/doe.json",
        nonce: JASON_NONCE,
        qop: "auth",
        nc: "00000001",
        cnonce: JASON_CNONCE,
      }),
    ).toBe("3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5");
  });

  test("computeDigestCredentials() sends RFC 7616 §3.9.2's username* without userhash", async () => {
    const credentials = await computeDigestCredentials(rfc7616UserhashChallenge(false), JASON);
    expect(credentials.params["username*"]).toBe("UTF-8''J%C3%A4s%C3%B8n%20Doe");
    expect(credentials.params.username).toBeUndefined();
    expect(credentials.params.userhash).toBeUndefined();
    expect(credentials.params.response).toBe("3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5");
    expect(Object.keys(credentials.params)[0]).toBe("username*");
  });

  test("parseDigestCredentials() reads RFC 7616 §3.9.2's username* form", () => {
    const parsed = parseDigestCredentials(
      `Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, realm="api@example.org", uri="/doe.json", ` +
        `algorithm=SHA-512-256, nonce="${JASON_NONCE}", nc=00000001, cnonce="${JASON_CNONCE}", qop=auth, ` +
        `response="3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5", opaque="${JASON_OPAQUE}", userhash=false`,
    );
    expect(parsed).toEqual({
      username: "J\u00e4s\u00f8n Doe",
      realm: "api@example.org",
      nonce: JASON_NONCE,
      uri: "/doe.json",
      response: "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5",
      algorithm: "SHA-512-256",
      qop: "auth",
      nc: "00000001",
      cnonce: JASON_CNONCE,
      opaque: JASON_OPAQUE,
      userhash: false,
    });
  });

  test("computeDigestCredentials() sends the RFC 2069 form when the challenge has no qop", async () => {
    const challenge: Challenge = {
      scheme: "digest",
      params: { realm: "testrealm@host.com", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093" },
    };
    const credentials = await computeDigestCredentials(challenge, {
      username: "Mufasa",
      password: "Circle Of Life",
      method: "GET",
      uri: "/dir/index.html",
    });
    expect(Object.keys(credentials.params)).toEqual(["username", "realm", "uri", "nonce", "response"]);
    expect(credentials.params.response).toBe(
      referenceResponse({
        algorithm: "MD5",
        username: "Mufasa",
        realm: "testrealm@host.com",
        password: "Circle Of Life",
        method: "GET",
        uri: "/dir/index.html",
        nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093",
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// Client: differential against node:crypto
// ---------------------------------------------------------------------------

const ALL_ALGORITHMS: DigestAlgorithm[] = [
  "MD5",
  "MD5-sess",
  "SHA-256",
  "SHA-256-sess",
  "SHA-512-256",
  "SHA-512-256-sess",
];

describe("computeDigestCredentials()", () => {
  test("computeDigestCredentials() agrees with node:crypto for every algorithm, -sess and auth-int", async () => {
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALL_ALGORITHMS),
        fc.constantFrom<DigestQop>("auth", "auth-int"),
        printable,
        fc.string({ unit: "grapheme", maxLength: 12 }),
        fc.oneof(fc.string({ unit: "grapheme" }), fc.uint8Array({ maxLength: 200 })),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.stringMatching(/^[A-Za-z0-9+/]{1,40}$/),
        async (algorithm, qop, username, password, body, nc, cnonce) => {
          const challenge: Challenge = {
            scheme: "digest",
            params: { realm: "r@example.org", qop, algorithm, nonce: "n0nce" },
          };
          const credentials = await computeDigestCredentials(challenge, {
            username,
            password,
            method: "POST",
            uri: "/a?b=c",
            body,
            cnonce,
            nc,
          });
          const expected = referenceResponse({
            algorithm,
            username,
            realm: "r@example.org",
            password,
            method: "POST",
            uri: "/a?b=c",
            nonce: "n0nce",
            qop,
            nc: nc.toString(16).padStart(8, "0"),
            cnonce,
            body,
          });
          expect(credentials.params.response).toBe(expected);
          expect(credentials.params.qop).toBe(qop);
        },
      ),
      { numRuns: 150 },
    );
  });

  test("computeDigestCredentials() counts nc per challenge object", async () => {
    const challenge = rfc7616Challenge("SHA-256");
    const options = { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/" };
    expect((await computeDigestCredentials(challenge, options)).params.nc).toBe("00000001");
    expect((await computeDigestCredentials(challenge, options)).params.nc).toBe("00000002");
    expect((await computeDigestCredentials(challenge, options)).params.nc).toBe("00000003");
    // An equal but distinct object starts again.
    expect((await computeDigestCredentials(rfc7616Challenge("SHA-256"), options)).params.nc).toBe("00000001");
    // A given nc is used and moves the count.
    expect((await computeDigestCredentials(challenge, { ...options, nc: 0x1f })).params.nc).toBe("0000001f");
    expect((await computeDigestCredentials(challenge, options)).params.nc).toBe("00000020");
  });

  test("computeDigestCredentials() makes a fresh random cnonce each time", async () => {
    const challenge = rfc7616Challenge("SHA-256");
    const options = { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/" };
    const first = (await computeDigestCredentials(challenge, options)).params.cnonce;
    const second = (await computeDigestCredentials(challenge, options)).params.cnonce;
    expect(first).toMatch(/^[A-Za-z0-9+/]{32}$/);
    expect(second).toMatch(/^[A-Za-z0-9+/]{32}$/);
    expect(first).not.toBe(second);
  });

  test("computeDigestCredentials() prefers auth, and uses auth-int when it is the only qop", async () => {
    const make = (qop: string): Challenge => ({ scheme: "digest", params: { realm: "r", nonce: "n", qop } });
    const options = { username: "u", password: "p", method: "GET", uri: "/" };
    expect((await computeDigestCredentials(make("auth-int, auth"), options)).params.qop).toBe("auth");
    expect((await computeDigestCredentials(make("auth-int"), options)).params.qop).toBe("auth-int");
    expect((await computeDigestCredentials(make("AUTH-INT, token"), options)).params.qop).toBe("auth-int");
    expect(await codeOf(() => computeDigestCredentials(make("auth-conf"), options))).toBe("unsupported-qop");
    expect(await codeOf(() => computeDigestCredentials(make(""), options))).toBe("unsupported-qop");
  });

  test("computeDigestCredentials() refuses challenges it cannot answer", async () => {
    const options = { username: "u", password: "p", method: "GET", uri: "/" };
    expect(await codeOf(() => computeDigestCredentials({ scheme: "basic", params: { realm: "r" } }, options))).toBe(
      "wrong-scheme",
    );
    expect(await codeOf(() => computeDigestCredentials({ scheme: "digest", params: { nonce: "n" } }, options))).toBe(
      "missing-parameter",
    );
    expect(await codeOf(() => computeDigestCredentials({ scheme: "digest", params: { realm: "r" } }, options))).toBe(
      "missing-parameter",
    );
    expect(
      await codeOf(() =>
        computeDigestCredentials({ scheme: "digest", params: { realm: "r", nonce: "n", algorithm: "SHA-1" } }, options),
      ),
    ).toBe("unsupported-algorithm");
    expect(
      await codeOf(() =>
        computeDigestCredentials(
          { scheme: "digest", params: { realm: "r", nonce: "n", algorithm: "MD5-sess" } },
          options,
        ),
      ),
    ).toBe("missing-parameter");
  });

  test("computeDigestCredentials() names the algorithm only when the challenge does, in registered spelling", async () => {
    const options = { username: "u", password: "p", method: "GET", uri: "/" };
    const none = await computeDigestCredentials(
      { scheme: "digest", params: { realm: "r", nonce: "n", qop: "auth" } },
      options,
    );
    expect(none.params.algorithm).toBeUndefined();
    expect(none.params.response).toHaveLength(32);
    const lower = await computeDigestCredentials(
      { scheme: "Digest", params: { realm: "r", nonce: "n", qop: "auth", algorithm: "sha-256-SESS" } },
      options,
    );
    expect(lower.params.algorithm).toBe("SHA-256-sess");
    expect(lower.params.response).toHaveLength(64);
  });

  test("computeDigestCredentials() keeps quotes and backslashes in a quoted username", async () => {
    const challenge: Challenge = { scheme: "digest", params: { realm: "r", nonce: "n", qop: "auth" } };
    const credentials = await computeDigestCredentials(challenge, {
      username: 'a "quoted" \\ name',
      password: "p",
      method: "GET",
      uri: "/",
    });
    expect(credentials.params.username).toBe('a "quoted" \\ name');
    const parsed = parseDigestCredentials(serializeCredentials(credentials));
    expect(parsed.username).toBe('a "quoted" \\ name');
  });

  test("computeDigestCredentials() sends any non-ASCII user name as username* and round-trips it", async () => {
    const challenge: Challenge = { scheme: "digest", params: { realm: "r", nonce: "n", qop: "auth" } };
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 10 }).filter((name) => !hasControl(name)),
        async (username) => {
          const credentials = await computeDigestCredentials(challenge, {
            username,
            password: "p",
            method: "GET",
            uri: "/",
          });
          const isPrintable = /^[\u0020-\u007e]*$/.test(username);
          expect(credentials.params.username === undefined).toBe(!isPrintable);
          expect(parseDigestCredentials(serializeCredentials(credentials)).username).toBe(username);
        },
      ),
      { numRuns: 200 },
    );
  });

  test("computeDigestCredentials() refuses bad arguments with TypeError and RangeError", async () => {
    const challenge = rfc7616Challenge("SHA-256");
    const options = { username: "u", password: "p", method: "GET", uri: "/" };
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, method: "G T" }))).toBeInstanceOf(
      TypeError,
    );
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, uri: "" }))).toBeInstanceOf(TypeError);
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, username: "a\nb" }))).toBeInstanceOf(
      TypeError,
    );
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, password: "\ud800" }))).toBeInstanceOf(
      TypeError,
    );
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, cnonce: "" }))).toBeInstanceOf(
      TypeError,
    );
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, nc: 0 }))).toBeInstanceOf(RangeError);
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, nc: 2 ** 32 }))).toBeInstanceOf(
      RangeError,
    );
    expect(await thrown(() => computeDigestCredentials(challenge, { ...options, nc: 1.5 }))).toBeInstanceOf(RangeError);
  });

  test("computeDigestCredentials() error messages never contain the password", async () => {
    const password = "hunter2-very-secret";
    const challenge: Challenge = { scheme: "digest", params: { realm: "r", nonce: "n", algorithm: "SHA-1" } };
    const error = await thrown(() =>
      computeDigestCredentials(challenge, { username: "u", password, method: "GET", uri: "/" }),
    );
    expect(isHTTPAuthError(error)).toBe(true);
    expect((error as Error).message).not.toContain(password);
  });
});

// ---------------------------------------------------------------------------
// Challenge
// ---------------------------------------------------------------------------

const SECRET = "0123456789abcdef-server-secret";
const NOW = Date.UTC(2025, 0, 1);

describe("createDigestChallenge()", () => {
  test("createDigestChallenge() defaults to SHA-256 and qop auth, with realm first", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret: SECRET });
    expect(challenge.scheme).toBe("digest");
    expect(Object.keys(challenge.params)).toEqual(["realm", "qop", "algorithm", "nonce"]);
    expect(challenge.params.realm).toBe("api");
    expect(challenge.params.qop).toBe("auth");
    expect(challenge.params.algorithm).toBe("SHA-256");
  });

  test("createDigestChallenge() writes every parameter in order", async () => {
    const challenge = await createDigestChallenge({
      realm: "http-auth@example.org",
      secret: SECRET,
      algorithm: "SHA-512-256",
      qop: ["auth", "auth-int"],
      opaque: RFC7616_OPAQUE,
      domain: ["/dir/", "https://example.org/other"],
      stale: true,
      charset: "UTF-8",
      userhash: true,
      now: NOW,
    });
    expect(Object.keys(challenge.params)).toEqual([
      "realm",
      "qop",
      "algorithm",
      "nonce",
      "opaque",
      "domain",
      "stale",
      "charset",
      "userhash",
    ]);
    expect(challenge.params.qop).toBe("auth, auth-int");
    expect(challenge.params.domain).toBe("/dir/ https://example.org/other");
    expect(challenge.params.stale).toBe("true");
    expect(challenge.params.charset).toBe("UTF-8");
    expect(challenge.params.userhash).toBe("true");
    // It survives the wire.
    const [parsed] = parseChallenges(serializeChallenge(challenge));
    expect(plain(parsed)).toEqual(plain(challenge));
  });

  test("createDigestChallenge() leaves stale and userhash out when false", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret: SECRET, stale: false, userhash: false });
    expect(challenge.params.stale).toBeUndefined();
    expect(challenge.params.userhash).toBeUndefined();
  });

  test("createDigestChallenge() makes unique base64 nonces that need no escaping", async () => {
    const nonces = new Set<string>();
    for (let index = 0; index < 50; index++) {
      const { params } = await createDigestChallenge({ realm: "api", secret: SECRET, now: NOW });
      expect(params.nonce).toMatch(/^[A-Za-z0-9+/]{48}$/);
      nonces.add(params.nonce as string);
    }
    // The same second still gives distinct nonces, so clients never share nonce counts.
    expect(nonces.size).toBe(50);
  });

  test("createDigestChallenge() refuses a missing or blank realm and a short secret", async () => {
    const missing = { secret: SECRET } as unknown as Parameters<typeof createDigestChallenge>[0];
    expect(await thrown(() => createDigestChallenge(missing))).toBeInstanceOf(TypeError);
    expect(await thrown(() => createDigestChallenge({ realm: " \t", secret: SECRET }))).toBeInstanceOf(TypeError);
    expect(await thrown(() => createDigestChallenge({ realm: "api", secret: "short" }))).toBeInstanceOf(RangeError);
    expect(await thrown(() => createDigestChallenge({ realm: "api", secret: new Uint8Array(15) }))).toBeInstanceOf(
      RangeError,
    );
    expect(await createDigestChallenge({ realm: "api", secret: new Uint8Array(16) })).toBeTruthy();
    const noSecret = { realm: "api" } as unknown as Parameters<typeof createDigestChallenge>[0];
    expect(await thrown(() => createDigestChallenge(noSecret))).toBeInstanceOf(TypeError);
  });

  test("createDigestChallenge() refuses unknown algorithms, qop values and bad domains", async () => {
    const bad = (extra: Record<string, unknown>) =>
      thrown(() =>
        createDigestChallenge({ realm: "api", secret: SECRET, ...extra } as Parameters<
          typeof createDigestChallenge
        >[0]),
      );
    expect(await bad({ algorithm: "SHA-1" })).toBeInstanceOf(RangeError);
    expect(await bad({ algorithm: "sha-256" })).toBeInstanceOf(RangeError);
    expect(await bad({ qop: [] })).toBeInstanceOf(RangeError);
    expect(await bad({ qop: ["auth", "auth"] })).toBeInstanceOf(RangeError);
    expect(await bad({ qop: ["auth-conf"] })).toBeInstanceOf(RangeError);
    expect(await bad({ domain: ["/a b"] })).toBeInstanceOf(TypeError);
    expect(await bad({ opaque: "a\r\nb" })).toBeInstanceOf(TypeError);
    expect(await bad({ now: Number.NaN })).toBeInstanceOf(RangeError);
  });
});

// ---------------------------------------------------------------------------
// Parsing credentials
// ---------------------------------------------------------------------------

const MD5_RESPONSE = "8ca523f5e9506fed4657c9700eebdbec";

/** RFC 7616 §3.9.1's MD5 credentials as parameters, to break one at a time. */
function mufasaParams(): Record<string, string> {
  return {
    username: "Mufasa",
    realm: "http-auth@example.org",
    uri: "/dir/index.html",
    algorithm: "MD5",
    nonce: RFC7616_NONCE,
    nc: "00000001",
    cnonce: RFC7616_CNONCE,
    qop: "auth",
    response: MD5_RESPONSE,
    opaque: RFC7616_OPAQUE,
  };
}

function withParams(change: (params: Record<string, string>) => void): Credentials {
  const params = mufasaParams();
  change(params);
  return { scheme: "digest", params };
}

describe("parseDigestCredentials()", () => {
  test("parseDigestCredentials() reads RFC 7616 §3.9.1's credentials from a string and an object", () => {
    const expected = {
      username: "Mufasa",
      realm: "http-auth@example.org",
      nonce: RFC7616_NONCE,
      uri: "/dir/index.html",
      response: MD5_RESPONSE,
      algorithm: "MD5",
      qop: "auth",
      nc: "00000001",
      cnonce: RFC7616_CNONCE,
      opaque: RFC7616_OPAQUE,
      userhash: false,
    };
    const credentials: Credentials = { scheme: "digest", params: mufasaParams() };
    expect(parseDigestCredentials(credentials)).toEqual(expected);
    expect(parseDigestCredentials(serializeCredentials(credentials))).toEqual(expected);
  });

  test("parseDigestCredentials() compares algorithm names case-insensitively and defaults to MD5", () => {
    expect(parseDigestCredentials(withParams((params) => (params.algorithm = "md5-SESS"))).algorithm).toBe("MD5-sess");
    expect(parseDigestCredentials(withParams((params) => delete params.algorithm)).algorithm).toBe("MD5");
    const sha = withParams((params) => {
      params.algorithm = "sha-512-256";
      params.response = "A".repeat(64);
    });
    expect(parseDigestCredentials(sha)).toMatchObject({ algorithm: "SHA-512-256", response: "a".repeat(64) });
  });

  test("parseDigestCredentials() refuses another scheme and the token68 form", async () => {
    expect(await codeOf(() => parseDigestCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="))).toBe("wrong-scheme");
    expect(await codeOf(() => parseDigestCredentials("Digest abc=="))).toBe("expected-parameter");
  });

  test("parseDigestCredentials() requires username, realm, nonce, uri and response", async () => {
    for (const name of ["username", "realm", "nonce", "uri", "response"]) {
      expect(await codeOf(() => parseDigestCredentials(withParams((params) => delete params[name]))), name).toBe(
        "missing-parameter",
      );
    }
  });

  test("parseDigestCredentials() requires cnonce and nc with qop, and refuses them without", async () => {
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => delete params.cnonce)))).toBe(
      "missing-parameter",
    );
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => delete params.nc)))).toBe(
      "missing-parameter",
    );
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => delete params.qop)))).toBe(
      "invalid-parameter",
    );
    const legacy = parseDigestCredentials(
      withParams((params) => {
        delete params.qop;
        delete params.nc;
        delete params.cnonce;
      }),
    );
    expect(legacy.qop).toBeUndefined();
    expect("nc" in legacy || "cnonce" in legacy).toBe(false);
    const sessionLegacy = withParams((params) => {
      delete params.qop;
      delete params.nc;
      delete params.cnonce;
      params.algorithm = "MD5-sess";
    });
    expect(await codeOf(() => parseDigestCredentials(sessionLegacy))).toBe("missing-parameter");
  });

  test("parseDigestCredentials() requires nc to be 8 hex digits from 00000001", async () => {
    for (const nc of ["0000001", "000000001", "0000000g", "+0000001", "00000000", " 0000001"]) {
      expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.nc = nc)))), nc).toBe(
        "invalid-parameter",
      );
    }
    expect(parseDigestCredentials(withParams((params) => (params.nc = "0000000A"))).nc).toBe("0000000A");
  });

  test("parseDigestCredentials() accepts only qop auth or auth-int", async () => {
    for (const qop of ["auth-conf", "AUTH", "auth,auth-int", ""]) {
      expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.qop = qop)))), qop).toBe(
        "invalid-parameter",
      );
    }
    expect(parseDigestCredentials(withParams((params) => (params.qop = "auth-int"))).qop).toBe("auth-int");
  });

  test("parseDigestCredentials() requires a response of the algorithm's length in hex", async () => {
    const cases: [string, string][] = [
      ["MD5", "0".repeat(64)],
      ["MD5", "0".repeat(31)],
      ["MD5", `${"0".repeat(31)}g`],
      ["SHA-256", "0".repeat(32)],
      ["SHA-512-256", "0".repeat(63)],
    ];
    for (const [algorithm, response] of cases) {
      const credentials = withParams((params) => {
        params.algorithm = algorithm;
        params.response = response;
      });
      expect(await codeOf(() => parseDigestCredentials(credentials)), `${algorithm} ${response.length}`).toBe(
        "invalid-parameter",
      );
    }
  });

  test("parseDigestCredentials() refuses unknown algorithms", async () => {
    for (const algorithm of ["SHA-1", "SHA-512", "MD5-sess-sess", "token"]) {
      expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.algorithm = algorithm))))).toBe(
        "unsupported-algorithm",
      );
    }
  });

  test("parseDigestCredentials() refuses username together with username*", async () => {
    const both = withParams((params) => (params["username*"] = "UTF-8''Mufasa"));
    expect(await codeOf(() => parseDigestCredentials(both))).toBe("invalid-parameter");
  });

  test("parseDigestCredentials() decodes username* strictly (RFC 8187)", async () => {
    const parse = (value: string) =>
      parseDigestCredentials(
        withParams((params) => {
          delete params.username;
          params["username*"] = value;
        }),
      ).username;
    expect(parse("UTF-8''J%C3%A4s%C3%B8n%20Doe")).toBe("J\u00e4s\u00f8n Doe");
    expect(parse("utf-8'en'J%c3%a4s%c3%b8n")).toBe("J\u00e4s\u00f8n");
    expect(parse("UTF-8'de-CH-1996'%E2%82%AC")).toBe("\u20ac");
    expect(parse("UTF-8'x-private'abc")).toBe("abc");
    expect(parse("UTF-8''")).toBe("");
    expect(parse("UTF-8''!#$&+-.^_`|~")).toBe("!#$&+-.^_`|~");
    const refused = [
      "J%C3%A4s%C3%B8n", // no charset
      "UTF-8'J%C3%A4s", // one apostrophe
      "ISO-8859-1''J%E4s", // charset other than UTF-8
      "''abc", // empty charset
      "UTF-8'e1'abc", // language starts with a digit
      "UTF-8'-en'abc", // empty subtag
      "UTF-8'en-'abc",
      "UTF-8'toolongtag'abc", // subtag over 8
      "UTF-8'x'abc", // lone x
      "UTF-8''J%C3%A", // truncated escape
      "UTF-8''J%C3%", // truncated escape
      "UTF-8''J%ZZ", // not hex
      "UTF-8''J%C3%28", // not UTF-8
      "UTF-8''%C0%80", // overlong
      "UTF-8''%ED%A0%80", // surrogate
      "UTF-8''J\u00e4s", // raw octet above 0x7F
      "UTF-8''a b", // raw space
      "UTF-8''a'b", // apostrophe in value
      "UTF-8''a%00b", // decodes to a control character
    ];
    for (const value of refused) {
      expect(await codeOf(() => parse(value)), value).toBe("invalid-parameter");
    }
  });

  test("parseDigestCredentials() decodes a quoted UTF-8 username and refuses other octets", async () => {
    const asOctets = (text: string) => String.fromCharCode(...new TextEncoder().encode(text));
    const parse = (username: string) =>
      parseDigestCredentials(withParams((params) => (params.username = username))).username;
    expect(parse(asOctets("J\u00e4s\u00f8n"))).toBe("J\u00e4s\u00f8n");
    expect(await codeOf(() => parse("J\u00e4s"))).toBe("invalid-parameter"); // ISO-8859-1 octet E4 alone
    expect(await codeOf(() => parse("\u0100"))).toBe("invalid-parameter"); // not an octet at all
    expect(await codeOf(() => parse("a\u0000b"))).toBe("invalid-parameter");
  });

  test("parseDigestCredentials() checks userhash", async () => {
    const hashed = withParams((params) => {
      params.username = "ABCDEF".padEnd(32, "0");
      params.userhash = "TRUE";
    });
    expect(parseDigestCredentials(hashed)).toMatchObject({ userhash: true, username: "abcdef".padEnd(32, "0") });
    expect(parseDigestCredentials(withParams((params) => (params.userhash = "false"))).userhash).toBe(false);
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.userhash = "yes"))))).toBe(
      "invalid-parameter",
    );
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.userhash = "true"))))).toBe(
      "invalid-parameter",
    );
    const extHashed = withParams((params) => {
      delete params.username;
      params["username*"] = "UTF-8''abc";
      params.userhash = "true";
    });
    expect(await codeOf(() => parseDigestCredentials(extHashed))).toBe("invalid-parameter");
  });

  test("parseDigestCredentials() refuses oversized and malformed fields with the grammar's codes", async () => {
    const huge = `Digest username="${"a".repeat(9000)}"`;
    expect(await codeOf(() => parseDigestCredentials(huge))).toBe("field-too-large");
    expect(await codeOf(() => parseDigestCredentials('Digest username="a', { maxLength: 10 }))).toBe("field-too-large");
    expect(await codeOf(() => parseDigestCredentials('Digest username="a'))).toBe("unterminated-quoted-string");
    expect(await codeOf(() => parseDigestCredentials('Digest username="a", username="b"'))).toBe("duplicate-parameter");
    expect(await codeOf(() => parseDigestCredentials("Digest username=a\r\nX: y"))).toBe("control-character");
    expect(await codeOf(() => parseDigestCredentials(""))).toBe("expected-scheme");
    expect(await codeOf(() => parseDigestCredentials("Digest"))).toBe("missing-parameter");
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.cnonce = "a\nb"))))).toBe(
      "invalid-parameter",
    );
    expect(await codeOf(() => parseDigestCredentials(withParams((params) => (params.uri = ""))))).toBe(
      "invalid-parameter",
    );
  });

  test("parseDigestCredentials() throws TypeError for a value that is not credentials", () => {
    expect(() => parseDigestCredentials(42 as unknown as string)).toThrow(TypeError);
    expect(() => parseDigestCredentials({ scheme: "digest" } as unknown as Credentials)).toThrow(TypeError);
    expect(() =>
      parseDigestCredentials({ scheme: "digest", params: { username: 1 } } as unknown as Credentials),
    ).toThrow(TypeError);
  });

  test("parseDigestCredentials() ignores inherited properties of a params object", async () => {
    const params = Object.create({ username: "inherited" }) as Record<string, string>;
    Object.assign(params, mufasaParams());
    delete params.username;
    expect(await codeOf(() => parseDigestCredentials({ scheme: "digest", params }))).toBe("missing-parameter");
  });

  test("parseDigestCredentials() error messages never contain parameter values", () => {
    const secretish = fc.stringMatching(/^[a-z]{12,20}$/);
    fc.assert(
      fc.property(
        secretish,
        fc.constantFrom("nc", "qop", "response", "username*", "userhash", "algorithm"),
        (value, name) => {
          const credentials = withParams((params) => {
            if (name === "username*") delete params.username;
            params[name] = value;
          });
          try {
            parseDigestCredentials(serializeCredentials(credentials));
          } catch (error) {
            expect(isHTTPAuthError(error)).toBe(true);
            expect((error as Error).message).not.toContain(value);
            expect((error as Error).message).not.toContain(MD5_RESPONSE);
            return;
          }
          throw new Error("expected an error");
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------
// Server verification
// ---------------------------------------------------------------------------

const USERS: Record<string, string> = {
  Mufasa: "Circle of Life",
  "J\u00e4s\u00f8n Doe": "Secret, or not?",
};

function lookup(username: string): string | undefined {
  return Object.hasOwn(USERS, username) ? USERS[username] : undefined;
}

interface Setup {
  challenge: Challenge;
  options: VerifyDigestCredentialsOptions;
  answer(overrides?: Partial<ComputeDigestCredentialsOptions>): Promise<Credentials>;
}

async function setup(
  challengeOptions: Partial<Parameters<typeof createDigestChallenge>[0]> = {},
  verifyOptions: Partial<VerifyDigestCredentialsOptions> = {},
): Promise<Setup> {
  const challenge = await createDigestChallenge({ realm: "api", secret: SECRET, now: NOW, ...challengeOptions });
  const options: VerifyDigestCredentialsOptions = {
    method: "GET",
    uri: "/dir/index.html?x=1",
    realm: "api",
    secret: SECRET,
    now: NOW + 1000,
    nonceCounts: createMemoryNonceCountStore(),
    password: lookup,
    ...verifyOptions,
  };
  if (verifyOptions.ha1 !== undefined) delete options.password;
  return {
    challenge,
    options,
    answer: (overrides = {}) =>
      computeDigestCredentials(challenge, {
        username: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/dir/index.html?x=1",
        ...overrides,
      }),
  };
}

function reasonOf(result: DigestVerification): string {
  return result.ok ? "ok" : result.reason;
}

describe("verifyDigestCredentials()", () => {
  test("verifyDigestCredentials() accepts right credentials for every algorithm and qop", async () => {
    for (const algorithm of ALL_ALGORITHMS) {
      for (const qop of ["auth", "auth-int"] as const) {
        const { answer, options } = await setup(
          { algorithm, qop: [qop] },
          { algorithms: [algorithm], qop: [qop], body: "payload" },
        );
        const credentials = await answer({ body: "payload" });
        const result = await verifyDigestCredentials(serializeCredentials(credentials), options);
        expect(result, `${algorithm} ${qop}`).toEqual({ ok: true, username: "Mufasa", algorithm, qop });
      }
    }
  });

  test("verifyDigestCredentials() refuses a wrong body under auth-int", async () => {
    const { answer, options } = await setup({ qop: ["auth-int"] }, { qop: ["auth-int"], body: new Uint8Array([1, 2]) });
    const credentials = await answer({ body: new Uint8Array([1, 3]) });
    expect(reasonOf(await verifyDigestCredentials(credentials, options))).toBe("wrong-password");
  });

  test("verifyDigestCredentials() reports malformed credentials with the error", async () => {
    const { options } = await setup();
    const result = await verifyDigestCredentials('Digest username="Mufasa", realm="api"', options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("malformed");
    expect(result.error?.code).toBe("missing-parameter");
    const basic = await verifyDigestCredentials("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", options);
    expect(!basic.ok && basic.error?.code).toBe("wrong-scheme");
  });

  test("verifyDigestCredentials() passes maxLength to the parser", async () => {
    const { answer, options } = await setup();
    const value = serializeCredentials(await answer());
    const result = await verifyDigestCredentials(value, { ...options, maxLength: 50 });
    expect(!result.ok && result.error?.code).toBe("field-too-large");
  });

  test("verifyDigestCredentials() refuses another realm", async () => {
    const { answer, options } = await setup();
    const credentials = await answer();
    expect(reasonOf(await verifyDigestCredentials(credentials, { ...options, realm: "other" }))).toBe("wrong-realm");
  });

  test("verifyDigestCredentials() refuses nonces it did not make", async () => {
    const { answer, options } = await setup();
    const ours = await answer();
    const check = async (change: (params: Record<string, string>) => void) => {
      const params = { ...ours.params };
      change(params);
      // Recompute the response so only the nonce is wrong.
      const credentials = await computeDigestCredentials(
        {
          scheme: "digest",
          params: { realm: "api", qop: "auth", algorithm: "SHA-256", nonce: params.nonce as string },
        },
        { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html?x=1" },
      );
      return reasonOf(await verifyDigestCredentials(credentials, options));
    };
    expect(await check((params) => (params.nonce = RFC7616_NONCE))).toBe("invalid-nonce");
    const nonce = ours.params.nonce as string;
    const flipped = nonce.slice(0, 20) + (nonce[20] === "A" ? "B" : "A") + nonce.slice(21);
    expect(await check((params) => (params.nonce = flipped))).toBe("invalid-nonce");
    expect(await check((params) => (params.nonce = `${nonce}AAAA`))).toBe("invalid-nonce");
    // Made with another secret.
    const foreign = await createDigestChallenge({ realm: "api", secret: "another secret of 16+ bytes", now: NOW });
    expect(await check((params) => (params.nonce = foreign.params.nonce as string))).toBe("invalid-nonce");
    // Made for another realm with the same secret.
    const otherRealm = await createDigestChallenge({ realm: "api2", secret: SECRET, now: NOW });
    expect(await check((params) => (params.nonce = otherRealm.params.nonce as string))).toBe("invalid-nonce");
    // Sanity: the genuine nonce passes through the same path.
    expect(await check(() => {})).toBe("ok");
  });

  test("verifyDigestCredentials() accepts a nonce issued for any offered algorithm (digest-fetch, urllib)", async () => {
    const sha = await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "SHA-256", now: NOW });
    // digest-fetch and urllib answer the SHA-256 challenge's nonce (listed first) with MD5.
    const credentials = await computeDigestCredentials(
      { scheme: "digest", params: { ...sha.params, algorithm: "MD5" } },
      { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/" },
    );
    const options = {
      method: "GET",
      uri: "/",
      realm: "api",
      secret: SECRET,
      now: NOW,
      nonceCounts: false as const,
      password: lookup,
    };
    const result = await verifyDigestCredentials(credentials, { ...options, algorithms: ["SHA-256", "MD5"] });
    expect(result).toEqual({ ok: true, username: "Mufasa", algorithm: "MD5", qop: "auth" });
  });

  test("verifyDigestCredentials() still refuses an algorithm the route does not offer, whatever the nonce", async () => {
    const options = { method: "GET", uri: "/", realm: "api", secret: SECRET, now: NOW, nonceCounts: false as const };
    const sha = await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "SHA-256", now: NOW });
    const md5 = await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "MD5", now: NOW });
    const user = { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/" };
    // Downgrade: MD5 over a SHA-256 nonce, on a route that offers SHA-256 only.
    const downgraded = await computeDigestCredentials(
      { scheme: "digest", params: { ...sha.params, algorithm: "MD5" } },
      user,
    );
    expect(reasonOf(await verifyDigestCredentials(downgraded, { ...options, password: lookup }))).toBe(
      "algorithm-not-offered",
    );
    // A nonce issued for MD5 (another route, same secret) used with SHA-256 where only SHA-256 is offered.
    const borrowed = await computeDigestCredentials(
      { scheme: "digest", params: { ...md5.params, algorithm: "SHA-256" } },
      user,
    );
    expect(reasonOf(await verifyDigestCredentials(borrowed, { ...options, password: lookup }))).toBe("invalid-nonce");
    // The same with SHA-512-256 and SHA-256 offered: the MD5 nonce is still not one of this route's.
    expect(
      reasonOf(
        await verifyDigestCredentials(borrowed, {
          ...options,
          password: lookup,
          algorithms: ["SHA-512-256", "SHA-256"],
        }),
      ),
    ).toBe("invalid-nonce");
  });

  test("verifyDigestCredentials() says stale-nonce only when the response is otherwise right", async () => {
    const { answer, options } = await setup();
    const later = { ...options, now: NOW + 301_000 };
    expect(reasonOf(await verifyDigestCredentials(await answer(), later))).toBe("stale-nonce");
    expect(reasonOf(await verifyDigestCredentials(await answer({ password: "wrong" }), later))).toBe("wrong-password");
    expect(reasonOf(await verifyDigestCredentials(await answer({ username: "Scar" }), later))).toBe("unknown-user");
    // Within the lifetime, and with a custom lifetime.
    expect(reasonOf(await verifyDigestCredentials(await answer(), { ...options, now: NOW + 299_000 }))).toBe("ok");
    expect(
      reasonOf(await verifyDigestCredentials(await answer(), { ...options, now: NOW + 299_000, nonceLifetime: 60 })),
    ).toBe("stale-nonce");
    // A nonce dated well in the future (another server's clock) is not fresh either.
    expect(reasonOf(await verifyDigestCredentials(await answer(), { ...options, now: NOW - 120_000 }))).toBe(
      "stale-nonce",
    );
    expect(reasonOf(await verifyDigestCredentials(await answer(), { ...options, now: NOW - 30_000 }))).toBe("ok");
  });

  test("verifyDigestCredentials() does not record a stale nonce's count", async () => {
    const { answer, options } = await setup();
    const credentials = await answer();
    expect(reasonOf(await verifyDigestCredentials(credentials, { ...options, now: NOW + 400_000 }))).toBe(
      "stale-nonce",
    );
    expect(reasonOf(await verifyDigestCredentials(credentials, options))).toBe("ok");
  });

  test("verifyDigestCredentials() refuses an algorithm that was not offered (downgrade)", async () => {
    const { options } = await setup();
    const md5 = await createDigestChallenge({ realm: "api", secret: SECRET, algorithm: "MD5", now: NOW });
    const answerMd5 = (challenge: Challenge) =>
      computeDigestCredentials(challenge, {
        username: "Mufasa",
        password: "Circle of Life",
        method: "GET",
        uri: "/dir/index.html?x=1",
      });
    expect(reasonOf(await verifyDigestCredentials(await answerMd5(md5), options))).toBe("algorithm-not-offered");
    // No algorithm parameter means MD5.
    const { algorithm: _, ...withoutAlgorithm } = md5.params;
    const implicit = await answerMd5({ scheme: "digest", params: withoutAlgorithm });
    expect(implicit.params.algorithm).toBeUndefined();
    expect(reasonOf(await verifyDigestCredentials(implicit, options))).toBe("algorithm-not-offered");
    // Offered, it passes.
    expect(reasonOf(await verifyDigestCredentials(implicit, { ...options, algorithms: ["SHA-256", "MD5"] }))).toBe(
      "ok",
    );
  });

  test("verifyDigestCredentials() refuses a qop that was not offered, and the RFC 2069 form unless allowed", async () => {
    const { options, challenge } = await setup({ qop: ["auth", "auth-int"] });
    const authInt = await computeDigestCredentials(
      { scheme: "digest", params: { ...challenge.params, qop: "auth-int" } },
      { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html?x=1" },
    );
    expect(reasonOf(await verifyDigestCredentials(authInt, options))).toBe("qop-not-offered");
    const both = { ...options, qop: ["auth", "auth-int"] as DigestQop[] };
    expect(reasonOf(await verifyDigestCredentials(authInt, { ...both, body: "" }))).toBe("ok");

    const { qop: _, ...withoutQop } = challenge.params;
    const legacy = await computeDigestCredentials(
      { scheme: "digest", params: withoutQop },
      { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html?x=1" },
    );
    expect(legacy.params.qop).toBeUndefined();
    expect(reasonOf(await verifyDigestCredentials(legacy, options))).toBe("qop-not-offered");
    const allowed = await verifyDigestCredentials(legacy, { ...options, allowRFC2069: true });
    expect(allowed).toEqual({ ok: true, username: "Mufasa", algorithm: "SHA-256" });
  });

  test("verifyDigestCredentials() refuses a uri that is not the request target", async () => {
    const { answer, options } = await setup();
    expect(reasonOf(await verifyDigestCredentials(await answer({ uri: "/dir/index.html" }), options))).toBe(
      "uri-mismatch",
    );
    expect(reasonOf(await verifyDigestCredentials(await answer({ uri: "/other?x=1" }), options))).toBe("uri-mismatch");
    expect(reasonOf(await verifyDigestCredentials(await answer({ uri: "/dir/index.html?x=2" }), options))).toBe(
      "uri-mismatch",
    );
  });

  test("verifyDigestCredentials() accepts an absolute URI with the same path and query by default", async () => {
    const { answer, options } = await setup();
    const cases: [string, string][] = [
      ["http://www.example.org/dir/index.html?x=1", "ok"],
      ["https://user@example.org:8443/dir/index.html?x=1", "ok"],
      ["http://www.example.org/dir/index.html", "uri-mismatch"],
      ["http://www.example.org/dir/index.html?x=1#frag", "uri-mismatch"],
      ["http:/dir/index.html?x=1", "uri-mismatch"],
      ["//example.org/dir/index.html?x=1", "uri-mismatch"],
    ];
    for (const [uri, expected] of cases) {
      expect(reasonOf(await verifyDigestCredentials(await answer({ uri }), options)), uri).toBe(expected);
    }
    const root = await setup({}, { uri: "/" });
    expect(
      reasonOf(await verifyDigestCredentials(await root.answer({ uri: "http://example.org" }), root.options)),
    ).toBe("ok");
  });

  test("verifyDigestCredentials() uses a custom uriMatches", async () => {
    const seen: [string, string][] = [];
    const { answer, options } = await setup(
      {},
      {
        uriMatches: (credentialsUri, requestUri) => {
          seen.push([credentialsUri, requestUri]);
          return credentialsUri === `/app${requestUri}`;
        },
      },
    );
    expect(reasonOf(await verifyDigestCredentials(await answer({ uri: "/app/dir/index.html?x=1" }), options))).toBe(
      "ok",
    );
    expect(reasonOf(await verifyDigestCredentials(await answer(), options))).toBe("uri-mismatch");
    expect(seen[0]).toEqual(["/app/dir/index.html?x=1", "/dir/index.html?x=1"]);
  });

  test("verifyDigestCredentials() refuses unknown users and wrong passwords", async () => {
    const { answer, options } = await setup();
    expect(reasonOf(await verifyDigestCredentials(await answer({ username: "Scar" }), options))).toBe("unknown-user");
    expect(reasonOf(await verifyDigestCredentials(await answer({ password: "Circle Of Life" }), options))).toBe(
      "wrong-password",
    );
  });

  test("verifyDigestCredentials() hashes as much for an unknown user as for a wrong password", async () => {
    for (const mode of ["password", "ha1"] as const) {
      const extra: Partial<VerifyDigestCredentialsOptions> =
        mode === "password"
          ? {}
          : {
              ha1: (username) =>
                lookup(username) === undefined ? undefined : H("SHA-256", `${username}:api:${lookup(username)}`),
            };
      const { answer, options } = await setup({}, extra);
      const unknown = await answer({ username: "Scar" });
      const wrong = await answer({ password: "wrong" });
      hashCalls.count = 0;
      expect(reasonOf(await verifyDigestCredentials(unknown, options))).toBe("unknown-user");
      const unknownCost = hashCalls.count;
      hashCalls.count = 0;
      expect(reasonOf(await verifyDigestCredentials(wrong, options))).toBe("wrong-password");
      expect(unknownCost, mode).toBe(hashCalls.count);
      expect(unknownCost).toBeGreaterThan(0);
    }
  });

  test("verifyDigestCredentials() compares the response digest in constant time", async () => {
    const { answer, options } = await setup();
    const credentials = await answer({ password: "wrong" });
    comparisons.calls.length = 0;
    expect(reasonOf(await verifyDigestCredentials(credentials, options))).toBe("wrong-password");
    const decoder = new TextDecoder();
    const compared = comparisons.calls.map(([a, b]) => [decoder.decode(a), decoder.decode(b)]);
    const received = credentials.params.response as string;
    const expected = referenceResponse({
      algorithm: "SHA-256",
      username: "Mufasa",
      realm: "api",
      password: "Circle of Life",
      method: "GET",
      uri: "/dir/index.html?x=1",
      nonce: credentials.params.nonce as string,
      qop: "auth",
      nc: "00000001",
      cnonce: credentials.params.cnonce as string,
    });
    expect(compared).toContainEqual([received, expected]);
  });

  test("verifyDigestCredentials() refuses a replayed or lower nonce count", async () => {
    const { answer, options } = await setup();
    const first = await answer();
    const second = await answer();
    expect(second.params.nc).toBe("00000002");
    expect(reasonOf(await verifyDigestCredentials(first, options))).toBe("ok");
    expect(reasonOf(await verifyDigestCredentials(first, options))).toBe("replayed-nonce-count");
    expect(reasonOf(await verifyDigestCredentials(second, options))).toBe("ok");
    expect(reasonOf(await verifyDigestCredentials(second, options))).toBe("replayed-nonce-count");
    const skipped = await answer({ nc: 10 });
    expect(reasonOf(await verifyDigestCredentials(skipped, options))).toBe("ok");
    // Out of order within the window: parallel requests are fine.
    const back = await answer({ nc: 5 });
    expect(reasonOf(await verifyDigestCredentials(back, options))).toBe("ok");
    expect(reasonOf(await verifyDigestCredentials(back, options))).toBe("replayed-nonce-count");
    const far = await answer({ nc: 60 });
    expect(reasonOf(await verifyDigestCredentials(far, options))).toBe("ok");
    const below = await answer({ nc: 6 });
    expect(reasonOf(await verifyDigestCredentials(below, options))).toBe("replayed-nonce-count");
  });

  test("verifyDigestCredentials() checks counts only after the digest, so garbage cannot burn a count", async () => {
    const { answer, options } = await setup();
    const forged = await answer({ password: "guess", nc: 1 });
    expect(reasonOf(await verifyDigestCredentials(forged, options))).toBe("wrong-password");
    expect(reasonOf(await verifyDigestCredentials(await answer({ nc: 1 }), options))).toBe("ok");
  });

  test("verifyDigestCredentials() awaits an asynchronous store and accepts replays with nonceCounts: false", async () => {
    const calls: NonceCountEntry[] = [];
    const store = {
      check: async (entry: NonceCountEntry): Promise<NonceCountResult> => {
        calls.push(entry);
        return entry.nc === 7 ? "replayed" : entry.nc === 8 ? "stale" : "fresh";
      },
    };
    const { answer, options, challenge } = await setup({}, { nonceCounts: store });
    expect(reasonOf(await verifyDigestCredentials(await answer({ nc: 3 }), options))).toBe("ok");
    const issuedAt = Math.floor(NOW / 1000) * 1000;
    expect(calls).toEqual([
      {
        nonce: challenge.params.nonce,
        username: "Mufasa",
        nc: 3,
        issuedAt,
        expiresAt: issuedAt + 301_000,
        now: NOW + 1000,
      },
    ]);
    expect(reasonOf(await verifyDigestCredentials(await answer({ nc: 7 }), options))).toBe("replayed-nonce-count");
    expect(reasonOf(await verifyDigestCredentials(await answer({ nc: 8 }), options))).toBe("forgotten-nonce");
    const wrong = { ...options, nonceCounts: { check: () => true as unknown as NonceCountResult } };
    await expect(verifyDigestCredentials(await answer({ nc: 9 }), wrong)).rejects.toThrow(TypeError);
    const credentials = await answer();
    const open = { ...options, nonceCounts: false as const };
    expect(reasonOf(await verifyDigestCredentials(credentials, open))).toBe("ok");
    expect(reasonOf(await verifyDigestCredentials(credentials, open))).toBe("ok");
  });

  test("verifyDigestCredentials() keeps no hidden store: nonceCounts is required", async () => {
    const { answer, options } = await setup();
    const credentials = await answer();
    const { nonceCounts: _, ...withoutStore } = options;
    const error = await thrown(() =>
      verifyDigestCredentials(credentials, withoutStore as unknown as VerifyDigestCredentialsOptions),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain("createMemoryNonceCountStore");
  });

  test("verifyDigestCredentials() takes a stored ha1, also for -sess", async () => {
    for (const algorithm of ["SHA-256", "SHA-256-sess", "MD5-sess", "SHA-512-256"] as const) {
      const seen: DigestAlgorithm[] = [];
      const { answer, options } = await setup(
        { algorithm },
        {
          algorithms: [algorithm],
          ha1: (username, realm, requested) => {
            seen.push(requested);
            const password = lookup(username);
            return password === undefined ? undefined : H(algorithm, `${username}:${realm}:${password}`).toUpperCase();
          },
        },
      );
      expect(reasonOf(await verifyDigestCredentials(await answer(), options)), algorithm).toBe("ok");
      expect(reasonOf(await verifyDigestCredentials(await answer({ password: "x" }), options))).toBe("wrong-password");
      expect(reasonOf(await verifyDigestCredentials(await answer({ username: "Scar" }), options))).toBe("unknown-user");
      expect(seen[0]).toBe(algorithm);
    }
  });

  test("verifyDigestCredentials() resolves a userhash with findUsernameByHash", async () => {
    const { answer, options } = await setup(
      { userhash: true, algorithm: "SHA-512-256" },
      {
        algorithms: ["SHA-512-256"],
        findUsernameByHash: (userhash, realm, algorithm) =>
          Object.keys(USERS).find((name) => H(algorithm, `${name}:${realm}`) === userhash),
      },
    );
    const credentials = await answer({ username: "J\u00e4s\u00f8n Doe", password: "Secret, or not?" });
    expect(credentials.params.userhash).toBe("true");
    expect(credentials.params.username).toBe(H("SHA-512-256", "J\u00e4s\u00f8n Doe:api"));
    expect(await verifyDigestCredentials(serializeCredentials(credentials), options)).toEqual({
      ok: true,
      username: "J\u00e4s\u00f8n Doe",
      algorithm: "SHA-512-256",
      qop: "auth",
    });
    const unknown = await answer({ username: "Scar", password: "x" });
    expect(reasonOf(await verifyDigestCredentials(unknown, options))).toBe("unknown-user");
    const { findUsernameByHash: _, ...withoutFinder } = options;
    expect(reasonOf(await verifyDigestCredentials(credentials, { ...withoutFinder, nonceCounts: false }))).toBe(
      "unknown-user",
    );
  });

  test("verifyDigestCredentials() round-trips a username* user (Jäsøn Doe)", async () => {
    const names: string[] = [];
    const { answer, options } = await setup(
      { charset: "UTF-8" },
      {
        password: (username) => {
          names.push(username);
          return lookup(username);
        },
      },
    );
    const credentials = await answer({ username: "J\u00e4s\u00f8n Doe", password: "Secret, or not?" });
    const value = serializeCredentials(credentials);
    expect(value).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe");
    const result = await verifyDigestCredentials(value, options);
    expect(result).toMatchObject({ ok: true, username: "J\u00e4s\u00f8n Doe" });
    expect(names).toEqual(["J\u00e4s\u00f8n Doe"]);
  });

  test("verifyDigestCredentials() never throws for hostile credentials", async () => {
    const { options, answer } = await setup();
    const genuine = serializeCredentials(await answer());
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 300 }),
          fc
            .tuple(fc.nat({ max: genuine.length }), fc.string({ maxLength: 20 }))
            .map(([at, insert]) => genuine.slice(0, at) + insert + genuine.slice(at)),
          fc.nat({ max: genuine.length }).map((at) => genuine.slice(0, at)),
        ),
        async (value) => {
          const result = await verifyDigestCredentials(value, { ...options, nonceCounts: false });
          expect(typeof result.ok).toBe("boolean");
          if (!result.ok && result.reason === "malformed") expect(isHTTPAuthError(result.error)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  test("verifyDigestCredentials() error messages never contain the response or the password", async () => {
    const { options, answer } = await setup();
    const credentials = await answer();
    const response = credentials.params.response as string;
    const broken = { scheme: "digest", params: { ...credentials.params, nc: "zz" } };
    const result = await verifyDigestCredentials(broken, options);
    expect(!result.ok && result.reason).toBe("malformed");
    if (result.ok || result.error === undefined) throw new Error("expected an error");
    expect(result.error.message).not.toContain(response);
    expect(result.error.message).not.toContain("Circle of Life");
    expect(result.error.message).not.toContain("zz");
    expect(JSON.stringify(result)).not.toContain("Circle of Life");
  });

  test("verifyDigestCredentials() refuses bad options with TypeError and RangeError", async () => {
    const { options, answer } = await setup();
    const credentials = await answer();
    const bad = (change: Record<string, unknown>) =>
      thrown(() => verifyDigestCredentials(credentials, { ...options, ...change } as VerifyDigestCredentialsOptions));
    expect(await bad({ ha1: () => undefined })).toBeInstanceOf(TypeError);
    expect(await bad({ password: undefined })).toBeInstanceOf(TypeError);
    expect(await bad({ method: "" })).toBeInstanceOf(TypeError);
    expect(await bad({ realm: "" })).toBeInstanceOf(TypeError);
    expect(await bad({ secret: "short" })).toBeInstanceOf(RangeError);
    expect(await bad({ algorithms: [] })).toBeInstanceOf(RangeError);
    expect(await bad({ algorithms: ["SHA-1"] })).toBeInstanceOf(RangeError);
    expect(await bad({ qop: ["auth-conf"] })).toBeInstanceOf(RangeError);
    expect(await bad({ nonceLifetime: 0 })).toBeInstanceOf(RangeError);
    expect(await bad({ nonceCounts: {} })).toBeInstanceOf(TypeError);
    expect(await bad({ password: undefined, ha1: () => "xyz" })).toBeInstanceOf(TypeError);
  });
});

// ---------------------------------------------------------------------------
// Authentication-Info
// ---------------------------------------------------------------------------

describe("Authentication-Info", () => {
  let setupResult: Setup;
  beforeEach(async () => {
    setupResult = await setup({}, { authenticationInfo: true });
  });

  test("verifyDigestCredentials() builds Authentication-Info with rspauth, qop, nc and cnonce", async () => {
    const credentials = await setupResult.answer();
    const result = await verifyDigestCredentials(credentials, setupResult.options);
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    const info = parseCredentials(`Digest ${result.authenticationInfo}`).params;
    expect(Object.keys(info)).toEqual(["rspauth", "qop", "nc", "cnonce"]);
    expect(result.authenticationInfo).toMatch(/^rspauth="[0-9a-f]{64}", qop=auth, nc=00000001, cnonce="[^"]+"$/);
    // rspauth is the response digest with A2 = ":" uri (RFC 7616 §3.5), computed independently.
    const ha1 = H("SHA-256", "Mufasa:api:Circle of Life");
    const ha2 = H("SHA-256", ":/dir/index.html?x=1");
    expect(info.rspauth).toBe(
      H("SHA-256", `${ha1}:${credentials.params.nonce}:00000001:${credentials.params.cnonce}:auth:${ha2}`),
    );
    expect(info.cnonce).toBe(credentials.params.cnonce);
  });

  test("verifyDigestAuthenticationInfo() accepts the server's rspauth and refuses a tampered one", async () => {
    const credentials = await setupResult.answer();
    const result = await verifyDigestCredentials(credentials, setupResult.options);
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    const info = result.authenticationInfo;
    await expect(
      verifyDigestAuthenticationInfo(info, credentials, { password: "Circle of Life" }),
    ).resolves.toBeUndefined();
    const tampered = info.replace(/rspauth="(.)/, (_, first: string) => `rspauth="${first === "0" ? "1" : "0"}`);
    expect(tampered).not.toBe(info);
    expect(
      await codeOf(() => verifyDigestAuthenticationInfo(tampered, credentials, { password: "Circle of Life" })),
    ).toBe("rspauth-mismatch");
    expect(await codeOf(() => verifyDigestAuthenticationInfo(info, credentials, { password: "Circle Of Life" }))).toBe(
      "rspauth-mismatch",
    );
    // The request's response digest is not a valid rspauth (the A2 differs).
    const echoed = `rspauth="${credentials.params.response}"`;
    expect(
      await codeOf(() => verifyDigestAuthenticationInfo(echoed, credentials, { password: "Circle of Life" })),
    ).toBe("rspauth-mismatch");
  });

  test("verifyDigestAuthenticationInfo() refuses missing or malformed rspauth and differing echoes", async () => {
    const credentials = await setupResult.answer();
    const result = await verifyDigestCredentials(credentials, setupResult.options);
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    const info = result.authenticationInfo;
    const options = { password: "Circle of Life" };
    expect(await codeOf(() => verifyDigestAuthenticationInfo('qop=auth, nextnonce="x"', credentials, options))).toBe(
      "missing-parameter",
    );
    expect(await codeOf(() => verifyDigestAuthenticationInfo('rspauth="abc"', credentials, options))).toBe(
      "invalid-parameter",
    );
    expect(
      await codeOf(() =>
        verifyDigestAuthenticationInfo(info.replace(/cnonce="[^"]+"/, 'cnonce="other"'), credentials, options),
      ),
    ).toBe("rspauth-mismatch");
    expect(
      await codeOf(() =>
        verifyDigestAuthenticationInfo(info.replace("nc=00000001", "nc=00000002"), credentials, options),
      ),
    ).toBe("rspauth-mismatch");
    expect(await codeOf(() => verifyDigestAuthenticationInfo('rspauth="a', credentials, options))).toBe(
      "unterminated-quoted-string",
    );
    // Parsed parameters work as well as the field value.
    const { parseAuthParams } = await import("../../auth-params.ts");
    await expect(verifyDigestAuthenticationInfo(parseAuthParams(info), credentials, options)).resolves.toBeUndefined();
  });

  test("verifyDigestCredentials() adds a nextnonce that the server accepts", async () => {
    const { answer, options } = setupResult;
    const result = await verifyDigestCredentials(await answer(), {
      ...options,
      authenticationInfo: { nextnonce: true },
    });
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    const info = parseCredentials(`Digest ${result.authenticationInfo}`).params;
    expect(Object.keys(info)).toEqual(["rspauth", "qop", "nc", "cnonce", "nextnonce"]);
    expect(result.authenticationInfo).toMatch(/, nextnonce="[A-Za-z0-9+/]{48}"$/);
    const next: Challenge = {
      scheme: "digest",
      params: { realm: "api", qop: "auth", algorithm: "SHA-256", nonce: info.nextnonce as string },
    };
    const credentials = await computeDigestCredentials(next, {
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/dir/index.html?x=1",
    });
    expect(reasonOf(await verifyDigestCredentials(credentials, options))).toBe("ok");
  });

  test("rspauth covers the response body under auth-int", async () => {
    const { answer, options } = await setup(
      { qop: ["auth-int"] },
      { qop: ["auth-int"], body: "request", authenticationInfo: { responseBody: "response" } },
    );
    const credentials = await answer({ body: "request" });
    const result = await verifyDigestCredentials(credentials, options);
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    const info = parseCredentials(`Digest ${result.authenticationInfo}`).params;
    const ha1 = H("SHA-256", "Mufasa:api:Circle of Life");
    const ha2 = H("SHA-256", `:/dir/index.html?x=1:${H("SHA-256", "response")}`);
    expect(info.rspauth).toBe(
      H("SHA-256", `${ha1}:${credentials.params.nonce}:00000001:${credentials.params.cnonce}:auth-int:${ha2}`),
    );
    const password = "Circle of Life";
    await expect(
      verifyDigestAuthenticationInfo(result.authenticationInfo, credentials, { password, body: "response" }),
    ).resolves.toBeUndefined();
    expect(
      await codeOf(() =>
        verifyDigestAuthenticationInfo(result.authenticationInfo as string, credentials, { password, body: "forged" }),
      ),
    ).toBe("rspauth-mismatch");
  });

  test("verifyDigestAuthenticationInfo() needs the plain username for userhash credentials", async () => {
    const { answer, options } = await setup(
      { userhash: true },
      {
        authenticationInfo: true,
        findUsernameByHash: (userhash, realm, algorithm) =>
          Object.keys(USERS).find((name) => H(algorithm, `${name}:${realm}`) === userhash),
      },
    );
    const credentials = await answer();
    const result = await verifyDigestCredentials(credentials, options);
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    const info = result.authenticationInfo;
    expect(
      await thrown(() => verifyDigestAuthenticationInfo(info, credentials, { password: "Circle of Life" })),
    ).toBeInstanceOf(TypeError);
    await expect(
      verifyDigestAuthenticationInfo(info, credentials, { password: "Circle of Life", username: "Mufasa" }),
    ).resolves.toBeUndefined();
  });

  test("the RFC 2069 form gets an rspauth without qop, nc and cnonce", async () => {
    const { options, challenge } = await setup({}, { authenticationInfo: true, allowRFC2069: true });
    const { qop: _, ...withoutQop } = challenge.params;
    const credentials = await computeDigestCredentials(
      { scheme: "digest", params: withoutQop },
      { username: "Mufasa", password: "Circle of Life", method: "GET", uri: "/dir/index.html?x=1" },
    );
    const result = await verifyDigestCredentials(credentials, options);
    if (!result.ok || result.authenticationInfo === undefined) throw new Error("expected success with info");
    expect(result.authenticationInfo).toMatch(/^rspauth="[0-9a-f]{64}"$/);
    await expect(
      verifyDigestAuthenticationInfo(result.authenticationInfo, credentials, { password: "Circle of Life" }),
    ).resolves.toBeUndefined();
  });
});
