// Differential tests against independent implementations.
//
// - Basic decoding against `basic-auth` (jshttp) and hono's
//   `hono/utils/basic-auth` helper (both pinned in devDependencies): on every
//   input either of them accepts, httpauth gives the same user-id and password,
//   or refuses for one of the reasons it documents as stricter (not strict
//   base64; a control character), or differs only where the peer substitutes
//   U+FFFD for octets that are not UTF-8 and httpauth decodes ISO-8859-1.
// - Digest on the server side against node:crypto: credentials computed with
//   an independent implementation of RFC 7616 §3.4 verify, one wrong hex digit
//   fails, and rspauth matches. The client side (computeDigestCredentials
//   against node:crypto on random inputs) is in src/schemes/digest/digest.test.ts,
//   "computeDigestCredentials() agrees with node:crypto for every algorithm,
//   -sess and auth-int".

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { parse as basicAuthParse } from "basic-auth";
import fc from "fast-check";
import { auth as honoBasicAuth } from "hono/utils/basic-auth";
import { describe, expect, test } from "vitest";
import type { DigestAlgorithm, DigestQop } from "../../src/index.ts";
import {
  createDigestChallenge,
  isHTTPAuthError,
  parseAuthParams,
  parseBasicCredentials,
  serializeCredentials,
  verifyDigestCredentials,
} from "../../src/index.ts";
import { hasControl } from "./support.ts";

interface UserPass {
  username: string;
  password: string;
}

type Answer = { value: UserPass } | { code: string };

function httpauth(header: string): Answer {
  try {
    return { value: parseBasicCredentials(header) };
  } catch (error) {
    if (isHTTPAuthError(error)) return { code: error.code };
    throw error;
  }
}

function basicAuthPackage(header: string): UserPass | undefined {
  const result = basicAuthParse(header);
  return result === undefined ? undefined : { username: result.name, password: result.pass };
}

function hono(header: string): UserPass | undefined {
  return honoBasicAuth(new Request("http://localhost/", { headers: { Authorization: header } }));
}

const PEERS: readonly [string, (header: string) => UserPass | undefined][] = [
  ["basic-auth", basicAuthPackage],
  ["hono", hono],
];

function isUTF8(octets: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(octets);
    return true;
  } catch {
    return false;
  }
}

/** The octets a strict decoder reads from a token, or undefined when it is not strict padded base64. */
function strictOctets(token: string): Uint8Array | undefined {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(token)) return undefined;
  const octets = Buffer.from(token, "base64");
  return octets.toString("base64") === token ? new Uint8Array(octets) : undefined;
}

describe("Basic against basic-auth and hono", () => {
  /** Text a client may send: any characters but C0 and C1 controls (RFC 7617 §2); no colon in the user-id. */
  const text = fc.string({ unit: "grapheme", maxLength: 16 }).filter((value) => !hasControl(value));
  const username = text.map((value) => value.replaceAll(":", ""));
  const scheme = fc.constantFrom("Basic", "basic", "BASIC", "bAsIc");
  const spaces = fc.constantFrom(" ", "  ", "   ");
  const trailing = fc.constantFrom("", " ", "  ");

  test("all three decode well-formed UTF-8 credentials to the same user-id and password", () => {
    fc.assert(
      fc.property(username, text, scheme, spaces, trailing, (user, password, name, separator, after) => {
        const token = Buffer.from(`${user}:${password}`, "utf8").toString("base64");
        const header = `${name}${separator}${token}${after}`;
        const expected = { username: user, password };
        expect(httpauth(header)).toEqual({ value: expected });
        expect(basicAuthPackage(header)).toEqual(expected);
        // hono's USER_PASS_REGEXP ends in (.*)$, and "." does not match U+2028 or U+2029: it refuses those.
        if (/[\u2028\u2029]/.test(password)) expect(hono(header)).toBeUndefined();
        else expect(hono(header)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  test("on any input a peer accepts, httpauth agrees or refuses for a documented reason", () => {
    const tally = { agree: 0, stricter: 0, latin1: 0 };
    const token = fc.oneof(
      // any octets, strictly encoded: Latin-1, broken UTF-8, controls, colons
      fc.uint8Array({ maxLength: 24 }).map((octets) => Buffer.from(octets).toString("base64")),
      fc.uint8Array({ maxLength: 12 }).map((octets) => Buffer.from([0x61, 0x3a, ...octets]).toString("base64")),
      // user:password with controls and colons, strictly encoded
      fc
        .string({
          unit: fc.constantFrom("a", ":", "\u0000", "\t", "\u007f", "\u0085", "é", "€", "\u2028"),
          maxLength: 10,
        })
        .map((value) => Buffer.from(value, "utf8").toString("base64")),
      // what loose decoders accept: no padding, base64url, stray bits, token68 characters outside base64
      fc.string({ unit: fc.constantFrom(..."QWxhZGRpbjpvcGVu+/-_.~=A0"), minLength: 1, maxLength: 24 }),
      fc.uint8Array({ minLength: 1, maxLength: 24 }).map((octets) => Buffer.from(octets).toString("base64url")),
    );
    fc.assert(
      fc.property(token, scheme, spaces, trailing, (value, name, separator, after) => {
        const header = `${name}${separator}${value}${after}`;
        const ours = httpauth(header);
        for (const [peerName, peer] of PEERS) {
          const theirs = peer(header);
          if (theirs === undefined) continue;
          if ("code" in ours) {
            // Stricter: not strict padded base64 (RFC 4648 §4), or a control character (RFC 7617 §2).
            expect(["invalid-base64", "decoded-control-character"], `${peerName}: ${header}`).toContain(ours.code);
            if (ours.code === "invalid-base64") expect(strictOctets(value)).toBeUndefined();
            tally.stricter++;
            continue;
          }
          const octets = strictOctets(value);
          expect(octets, header).toBeDefined();
          if (octets !== undefined && isUTF8(octets)) {
            expect(ours.value, `${peerName}: ${header}`).toEqual(theirs);
            tally.agree++;
          } else {
            // The peer substitutes U+FFFD; httpauth keeps the octets distinct as ISO-8859-1.
            expect(`${theirs.username}:${theirs.password}`).toContain("\ufffd");
            const latin1 = Buffer.from(octets ?? new Uint8Array()).toString("latin1");
            expect(`${ours.value.username}:${ours.value.password}`).toBe(latin1);
            tally.latin1++;
          }
        }
      }),
      { numRuns: 4000 },
    );
    expect(tally.agree).toBeGreaterThan(100);
    expect(tally.stricter).toBeGreaterThan(100);
    expect(tally.latin1).toBeGreaterThan(20);
  });
});

describe("Digest verification against node:crypto", () => {
  const secret = "a server secret of at least sixteen bytes";
  const NODE_HASH: Readonly<Record<string, string>> = { MD5: "md5", "SHA-256": "sha256", "SHA-512-256": "sha512-256" };

  function H(algorithm: DigestAlgorithm, data: string | Uint8Array): string {
    return createHash(NODE_HASH[algorithm.replace(/-sess$/, "")] as string)
      .update(data)
      .digest("hex");
  }

  interface Input {
    algorithm: DigestAlgorithm;
    qop: DigestQop;
    username: string;
    password: string;
    method: string;
    uri: string;
    nonce: string;
    nc: string;
    cnonce: string;
    body: Uint8Array;
  }

  /** RFC 7616 §3.4.1–§3.4.3 and §3.5, written out with node:crypto. */
  function reference(input: Input, method = input.method): string {
    const { algorithm } = input;
    let ha1 = H(algorithm, Buffer.from(`${input.username}:api:${input.password}`, "utf8"));
    if (algorithm.endsWith("-sess")) ha1 = H(algorithm, `${ha1}:${input.nonce}:${input.cnonce}`);
    let a2 = `${method}:${input.uri}`;
    if (input.qop === "auth-int") a2 += `:${H(algorithm, method === "" ? new Uint8Array() : input.body)}`;
    return H(algorithm, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${H(algorithm, a2)}`);
  }

  const printable = fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
    maxLength: 16,
  });

  test("credentials computed with node:crypto verify; one wrong hex digit does not; rspauth matches", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<DigestAlgorithm>(
          "MD5",
          "MD5-sess",
          "SHA-256",
          "SHA-256-sess",
          "SHA-512-256",
          "SHA-512-256-sess",
        ),
        fc.constantFrom<DigestQop>("auth", "auth-int"),
        printable,
        fc.string({ unit: "grapheme", maxLength: 12 }),
        fc.constantFrom("GET", "POST", "PROPFIND", "X-Custom"),
        printable.map((path) => `/${path.replaceAll(" ", "%20")}`),
        fc.integer({ min: 1, max: 0xffffffff }),
        fc.stringMatching(/^[A-Za-z0-9+/]{1,32}$/),
        fc.uint8Array({ maxLength: 64 }),
        fc.nat(),
        async (algorithm, qop, username, password, method, uri, count, cnonce, body, position) => {
          const challenge = await createDigestChallenge({ realm: "api", secret, algorithm, qop: [qop] });
          const input: Input = {
            algorithm,
            qop,
            username,
            password,
            method,
            uri,
            nonce: challenge.params.nonce as string,
            nc: count.toString(16).padStart(8, "0"),
            cnonce,
            body,
          };
          const response = reference(input);
          const params = {
            username,
            realm: "api",
            uri,
            algorithm,
            nonce: input.nonce,
            nc: input.nc,
            cnonce,
            qop,
            response,
          };
          const options = {
            method,
            uri,
            realm: "api",
            secret,
            algorithms: [algorithm],
            qop: [qop],
            nonceCounts: false as const,
            body,
            password: (name: string) => (name === username ? password : undefined),
            authenticationInfo: true,
          };
          const result = await verifyDigestCredentials(serializeCredentials({ scheme: "digest", params }), options);
          expect(result.ok, JSON.stringify(params)).toBe(true);
          if (result.ok) {
            const info = parseAuthParams(result.authenticationInfo ?? "");
            expect(info.rspauth).toBe(reference(input, ""));
          }
          const at = position % response.length;
          const flipped = response.slice(0, at) + (response[at] === "0" ? "1" : "0") + response.slice(at + 1);
          const wrong = await verifyDigestCredentials(
            serializeCredentials({ scheme: "digest", params: { ...params, response: flipped } }),
            options,
          );
          expect(wrong).toEqual({ ok: false, reason: "wrong-password" });
        },
      ),
      { numRuns: 200 },
    );
  });
});
