// Secrets never leave through an output: a marker secret is planted in
// passwords, user names, tokens, Digest parameters, the raw header, stored
// passwords and hashes and the server's nonce secret, and every output is
// searched for it (and for the raw base64 token that carries it): error
// messages, stacks, JSON and util.inspect of errors, outcome reasons, bodies
// (plain and problem+json) and header lines, Digest verification results.
// src/authenticator.test.ts ("no output of a failure contains the
// credentials") and the per-scheme tests check a few fixed inputs; this file
// covers every parser and every outcome on generated ones. What the runtime
// packages log and send is checked in packages/*/test/hardening.test.ts.

import { Buffer } from "node:buffer";
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import type { AuthenticatorOptions, AuthOutcome, AuthRequest, AuthScheme } from "../../src/index.ts";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  createBearerChallenge,
  createDigestChallenge,
  digestAuth,
  parseAuthParams,
  parseBasicCredentials,
  parseBearerCredentials,
  parseChallenges,
  parseCredentials,
  parseDigestCredentials,
  serializeBasicCredentials,
  serializeChallenge,
  serializeCredentials,
  verifyDigestAuthenticationInfo,
  verifyDigestCredentials,
} from "../../src/index.ts";
import { mutatedVector } from "./support.ts";

/** The planted secret: token68 characters only, so that it passes as a Bearer token or a base64 run. */
const MARKER = "pl4nted-S3CRET";

/** Every way an error or a value can be printed. */
function renderings(value: unknown): string[] {
  const texts = [inspect(value, { depth: null, showHidden: true }), JSON.stringify(value) ?? ""];
  if (value instanceof Error) texts.push(String(value), value.message, value.stack ?? "");
  return texts;
}

/** Fails if any rendering of `value` contains any of `needles`. */
function expectNoSecret(value: unknown, needles: readonly string[], where: string): void {
  for (const text of renderings(value)) {
    for (const needle of needles)
      expect(text.includes(needle), `${where} printed ${JSON.stringify(needle)}`).toBe(false);
  }
}

function base64(text: string): string {
  return Buffer.from(text, "latin1").toString("base64");
}

/** Field values that carry the marker, each with the needles to look for (the marker and the raw token). */
const PLANTED: readonly [value: string, needles: string[]][] = [
  [`Basic ${base64(`alice:${MARKER}`)}`, [MARKER, base64(`alice:${MARKER}`)]],
  [`Basic ${base64(`${MARKER}:x`)}`, [MARKER, base64(`${MARKER}:x`)]],
  [`Basic ${base64(`alice:${MARKER}\u0001`)}`, [MARKER, base64(`alice:${MARKER}\u0001`)]],
  [`Basic ${base64(`${MARKER}`)}`, [MARKER, base64(MARKER)]],
  [`Basic ${base64(`alice:${MARKER}\u00ff\u00fe`)}`, [MARKER, base64(`alice:${MARKER}\u00ff\u00fe`)]],
  [`Basic ${base64(`alice:${MARKER}`).replace(/=+$/, "")}`, [MARKER, base64(`alice:${MARKER}`).replace(/=+$/, "")]],
  [`Basic ${MARKER}`, [MARKER]],
  [`Basic ${MARKER}!`, [MARKER]],
  [`Basic ${base64(`alice:${MARKER}`)} extra`, [MARKER, base64(`alice:${MARKER}`)]],
  [`Bearer ${MARKER}`, [MARKER]],
  [`Bearer ${MARKER},x`, [MARKER]],
  [`Bearer ${MARKER} ${MARKER}`, [MARKER]],
  [`Bearer ${MARKER}\u2603`, [MARKER]],
  [`Bearer ${MARKER}\r\n`, [MARKER]],
  [`Bearer ${MARKER}`.padEnd(9000, "A"), [MARKER]],
  [`Digest username="${MARKER}"`, [MARKER]],
  [`Digest username="${MARKER}`, [MARKER]],
  [`Digest username="${MARKER}", username="${MARKER}"`, [MARKER]],
  [`Digest username*=UTF-8''${MARKER}%ZZ, realm="api"`, [MARKER]],
  [`Digest username*=UTF-8''${MARKER}%FF, realm="api", nonce="n", uri="/", response="${"0".repeat(64)}"`, [MARKER]],
  [`Digest username="u", realm="api", nonce="n", uri="/", response="${MARKER}"`, [MARKER]],
  [`Digest username="u", realm="api", nonce="${MARKER}", uri="/", response="${"0".repeat(32)}"`, [MARKER]],
  [
    `Digest username="u", realm="api", nonce="n", uri="/", response="${"0".repeat(32)}", nc=${MARKER}, cnonce="c", qop=auth`,
    [MARKER],
  ],
  [`Digest username="u", realm="api", nonce="n", uri="/", response="${"0".repeat(32)}", algorithm=${MARKER}`, [MARKER]],
  [
    `Digest username="u", realm="api", nonce="n", uri="/", response="${"0".repeat(32)}", qop=${MARKER}, nc=00000001, cnonce="c"`,
    [MARKER],
  ],
  [`Digest username="u", realm="api", nonce="n", uri="/", response="${"0".repeat(32)}", userhash=${MARKER}`, [MARKER]],
  [`Digest ${MARKER}=1, ${MARKER}=2`, [MARKER]],
  [`${MARKER} realm="x"`, [MARKER]],
  [`${MARKER}="x"`, [MARKER]],
  [`Basic realm="${MARKER}" ${MARKER}`, [MARKER]],
  [`Newauth ${MARKER}==, a=b`, [MARKER]],
];

/** Every parser, with the options that change its path. */
const PARSERS: readonly [string, (value: string) => unknown][] = [
  ["parseChallenges", (value) => parseChallenges(value)],
  ["parseCredentials", (value) => parseCredentials(value)],
  ["parseAuthParams", (value) => parseAuthParams(value)],
  ["parseBasicCredentials", (value) => parseBasicCredentials(value)],
  ["parseBasicCredentials (no Latin-1)", (value) => parseBasicCredentials(value, { latin1Fallback: false })],
  ["parseBearerCredentials", (value) => parseBearerCredentials(value)],
  ["parseDigestCredentials", (value) => parseDigestCredentials(value)],
  ["parseCredentials (maxLength 32)", (value) => parseCredentials(value, { maxLength: 32 })],
];

test("the search finds a planted secret where there is one", () => {
  expect(() => expectNoSecret(new TypeError(`bad ${MARKER}`), [MARKER], "message")).toThrow();
  expect(() => expectNoSecret(new Error("x", { cause: MARKER }), [MARKER], "cause")).toThrow();
  expect(() => expectNoSecret({ ok: false, body: `{"detail":"${MARKER}"}` }, [MARKER], "body")).toThrow();
});

describe("parsers", () => {
  test("no parser error prints a planted secret or the raw token", () => {
    let refusals = 0;
    for (const [value, needles] of PLANTED) {
      for (const [name, parse] of PARSERS) {
        try {
          parse(value);
        } catch (error) {
          refusals++;
          expectNoSecret(error, needles, `${name}(${JSON.stringify(value.slice(0, 80))})`);
        }
      }
    }
    expect(refusals).toBeGreaterThan(PLANTED.length * 4);
  });

  test("no parser error prints a secret planted anywhere in a mutated vector", () => {
    fc.assert(
      fc.property(mutatedVector, fc.nat(), (value, at) => {
        const position = at % (value.length + 1);
        const planted = value.slice(0, position) + MARKER + value.slice(position);
        for (const [name, parse] of PARSERS) {
          try {
            parse(planted);
          } catch (error) {
            expectNoSecret(error, [MARKER], name);
          }
        }
      }),
      { numRuns: 2000 },
    );
    // 2,000 runs over every parser take about 4 s alone; a loaded 2-core machine needs more than the 5 s default.
  }, 30_000);
});

describe("Digest verification", () => {
  const secret = "a server secret of at least sixteen bytes";

  test("verifyDigestCredentials() results name a reason, never the response, the password or the user name", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret });
    const genuine = await computeDigestCredentials(challenge, {
      username: MARKER,
      password: `${MARKER}-password`,
      method: "GET",
      uri: "/",
    });
    const response = genuine.params.response as string;
    const variants = [
      serializeCredentials(genuine),
      ...PLANTED.map(([value]) => value),
      serializeCredentials({ scheme: "digest", params: { ...genuine.params, nc: "zz" } }),
      serializeCredentials({ scheme: "digest", params: { ...genuine.params, realm: "other" } }),
      serializeCredentials({ scheme: "digest", params: { ...genuine.params, uri: "/other" } }),
    ];
    for (const stored of ["password", "ha1"] as const) {
      for (const value of variants) {
        const result = await verifyDigestCredentials(value, {
          method: "GET",
          uri: "/",
          realm: "api",
          secret,
          nonceCounts: false,
          ...(stored === "password" ? { password: () => `${MARKER}-stored` } : { ha1: () => "0".repeat(64) }),
        });
        expect(result.ok).toBe(false);
        expectNoSecret(result, [MARKER, response], `verifyDigestCredentials (${stored})`);
      }
    }
  });

  test("a callback that returns garbage throws a TypeError that does not print what it returned", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret });
    const credentials = serializeCredentials(
      await computeDigestCredentials(challenge, { username: "u", password: "p", method: "GET", uri: "/" }),
    );
    const base = { method: "GET", uri: "/", realm: "api", secret, nonceCounts: false as const };
    const broken = [
      { ...base, ha1: () => `${MARKER}-not-hex` },
      { ...base, ha1: () => MARKER.repeat(5) },
      { ...base, password: () => ({ secret: MARKER }) as unknown as string },
    ];
    for (const options of broken) {
      let caught: unknown;
      try {
        await verifyDigestCredentials(credentials, options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expectNoSecret(caught, [MARKER], "verifyDigestCredentials callback");
    }
  });

  test("verifyDigestAuthenticationInfo() errors print neither the password nor rspauth", async () => {
    const challenge = await createDigestChallenge({ realm: "api", secret });
    const credentials = await computeDigestCredentials(challenge, {
      username: "u",
      password: MARKER,
      method: "GET",
      uri: "/",
    });
    for (const info of [
      `rspauth="${"a".repeat(64)}"`,
      `rspauth="${MARKER}"`,
      `rspauth="${"a".repeat(64)}", cnonce="${MARKER}"`,
      `nextnonce="${MARKER}"`,
      `rspauth="${MARKER}`,
    ]) {
      let caught: unknown;
      try {
        await verifyDigestAuthenticationInfo(info, credentials, { password: MARKER });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeDefined();
      expectNoSecret(caught, [MARKER, "a".repeat(64)], `verifyDigestAuthenticationInfo(${info})`);
    }
  });
});

describe("serializers and creators", () => {
  test("TypeErrors for values that cannot be sent never print the value", async () => {
    const attempts: (() => unknown)[] = [
      () => serializeBasicCredentials({ username: `${MARKER}:`, password: "x" }),
      () => serializeBasicCredentials({ username: "u", password: `${MARKER}\u0000` }),
      () => serializeBasicCredentials({ username: "u", password: `${MARKER}\ud800` }),
      () => serializeChallenge({ scheme: "basic", params: { realm: `${MARKER}\r\n` } }),
      () => serializeChallenge({ scheme: "newauth", params: { [`${MARKER} x`]: "v" } }),
      () => serializeChallenge({ scheme: "digest", params: { realm: "r", nonce: "n", algorithm: `${MARKER} x` } }),
      () => serializeCredentials({ scheme: "bearer", token68: `${MARKER}!`, params: {} }),
      () => serializeCredentials({ scheme: `${MARKER} x`, params: {} }),
      () => createBearerChallenge({ errorDescription: `${MARKER}"` }),
      () => createBearerChallenge({ scope: `${MARKER}\\` }),
      () =>
        computeDigestCredentials(parseChallenges('Digest realm="r", nonce="n"')[0]!, {
          username: `${MARKER}\u0001`,
          password: "p",
          method: "GET",
          uri: "/",
        }),
      () =>
        computeDigestCredentials(parseChallenges('Digest realm="r", nonce="n"')[0]!, {
          username: "u",
          password: `${MARKER}\udc00`,
          method: "GET",
          uri: "/",
        }),
      () => createDigestChallenge({ realm: "r", secret: `${MARKER}` }),
      () =>
        createDigestChallenge({
          realm: "r",
          secret: "a server secret of at least sixteen bytes",
          opaque: `${MARKER}\n`,
        }),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        await attempt();
      } catch (error) {
        caught = error;
      }
      expect(caught instanceof TypeError || caught instanceof RangeError, String(caught)).toBe(true);
      expectNoSecret(caught, [MARKER], String(attempt));
    }
  });
});

describe("the authenticator", () => {
  const secret = `a nonce secret of at least sixteen bytes ${MARKER}`;
  const users = new Map([
    ["alice", `${MARKER}-alice`],
    [MARKER, "pw"],
  ]);

  function request(headers: Record<string, string>, extra: Partial<AuthRequest> = {}): AuthRequest {
    const lower = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    return { method: "POST", url: `/resource?q=1`, header: (name) => lower.get(name.toLowerCase()), ...extra };
  }

  function schemes(): AuthScheme<unknown>[] {
    return [
      digestAuth({ realm: "api", secret, algorithms: ["SHA-256", "MD5"], password: (username) => users.get(username) }),
      basicAuth({
        realm: "api",
        verify: (username, password) => (users.get(username) === password ? username : undefined),
      }),
      bearerAuth({
        realm: "api",
        scopes: ["read"],
        sources: { body: true, query: true },
        verify: (token) => (token === MARKER ? { identity: "svc", scopes: ["write"] } : undefined),
      }),
    ];
  }

  const configurations: [string, Omit<AuthenticatorOptions<AuthScheme<unknown>[]>, "schemes">][] = [
    ["plain", {}],
    ["problem details", { problemDetails: true }],
    ["proxy", { proxy: true }],
    ["403 without credentials", { missingCredentialsStatus: 403 }],
    ["throttled", { throttle: { maxFailures: 1, window: 60, missingClientAddress: "count-by-identity" } }],
    ["small maxLength", { maxLength: 64 }],
  ];

  /** Header values carrying the marker, as a client could send them. */
  const credentials: string[] = [
    serializeBasicCredentials({ username: "alice", password: "wrong" + MARKER }),
    serializeBasicCredentials({ username: MARKER, password: "wrong" }),
    ...PLANTED.map(([value]) => value),
  ];

  test("no failure of any configuration prints a planted secret: reasons, bodies, header lines", async () => {
    let failures = 0;
    for (const [label, options] of configurations) {
      const authenticator = createAuthenticator({ schemes: schemes(), ...options });
      for (const value of credentials) {
        for (const field of ["Authorization", "Proxy-Authorization"]) {
          for (let round = 0; round < 2; round++) {
            const outcome: AuthOutcome<unknown> = await authenticator.authenticate(
              request({ [field]: value }, { clientAddress: "192.0.2.1" }),
            );
            if (outcome.ok) continue;
            failures++;
            expectNoSecret(outcome, [MARKER, secret], `${label}: ${JSON.stringify(value.slice(0, 60))}`);
          }
        }
      }
    }
    expect(failures).toBeGreaterThan(credentials.length * configurations.length);
  });

  test("a token in the query or a form body, and the insufficient-scope answer, print no secret", async () => {
    const authenticator = createAuthenticator({ schemes: schemes(), problemDetails: true });
    const form = new TextEncoder().encode(`access_token=${MARKER}`);
    const outcomes = [
      await authenticator.authenticate(request({}, { url: `/r?access_token=${MARKER}` })),
      await authenticator.authenticate(
        request({ "Content-Type": "application/x-www-form-urlencoded" }, { body: async () => form }),
      ),
      await authenticator.authenticate(
        request({ Authorization: `Bearer ${MARKER}` }, { url: `/r?access_token=${MARKER}` }),
      ),
      await authenticator.authenticate(request({ Authorization: `Bearer ${MARKER}` })),
    ];
    expect(outcomes.map((outcome) => !outcome.ok && outcome.status)).toEqual([403, 403, 400, 403]);
    for (const outcome of outcomes) expectNoSecret(outcome, [MARKER], "Bearer sources");
  });

  test("no failure prints a secret planted anywhere in a mutated vector", async () => {
    const authenticator = createAuthenticator({ schemes: schemes(), problemDetails: true });
    await fc.assert(
      fc.asyncProperty(
        mutatedVector,
        fc.nat(),
        fc.constantFrom("", "Basic ", "Bearer ", "Digest "),
        async (value, at, prefix) => {
          const position = at % (value.length + 1);
          const planted = prefix + value.slice(0, position) + MARKER + value.slice(position);
          const outcome = await authenticator.authenticate(request({ Authorization: planted }));
          if (!outcome.ok) expectNoSecret(outcome, [MARKER], JSON.stringify(planted.slice(0, 80)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
