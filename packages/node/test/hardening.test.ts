// Hardening at the node:http boundary: size caps enforced before core parses
// (Node's own header limit, core's maxLength, maxBodyLength on a buffered
// body); no CR or LF on any response path (sendFailure, protect, middleware),
// checked on generated header lines and on the raw bytes Node writes; no
// planted secret in anything sent or logged; header and parameter names of
// Object.prototype as ordinary names.

import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { format } from "node:util";
import type { Authenticator, AuthFailure, AuthOutcome, HeaderLine } from "@httpauth/core";
import {
  basicAuth,
  bearerAuth,
  computeDigestCredentials,
  createAuthenticator,
  digestAuth,
  parseAuthParams,
  parseChallenges,
  serializeCredentials,
} from "@httpauth/core";
import fc from "fast-check";
import { afterEach, describe, expect, test, vi } from "vitest";
import { createAuthRequest, middleware, protect, sendFailure } from "../src/index.ts";
import type { User } from "./support/authenticators.ts";
import { createTestAuthenticator } from "./support/authenticators.ts";
import type { Running } from "./support/http.ts";
import { basic, fieldLines, listen, rawExchange, send } from "./support/http.ts";

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
  vi.restoreAllMocks();
});

async function start(listener: Parameters<typeof listen>[0]): Promise<Running> {
  const server = await listen(listener);
  running.push(server);
  return server;
}

/** An authenticator that counts calls to authenticate(). */
function counting(authenticator: Authenticator<User>): Authenticator<User> & { calls: number } {
  const counted = {
    calls: 0,
    openapi: () => authenticator.openapi(),
    authenticate(request: Parameters<Authenticator<User>["authenticate"]>[0]): Promise<AuthOutcome<User>> {
      counted.calls++;
      return authenticator.authenticate(request);
    },
  };
  return counted;
}

/** The first character no header may carry, or -1. */
function findUnsafeCharacter(value: string): number {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff || code === 0x7f || (code < 0x20 && code !== 0x09)) return index;
  }
  return -1;
}

describe("size caps before parsing", () => {
  test("a credentials field over Node's header limit is answered 431 by node:http; httpauth never runs", async () => {
    const authenticator = counting(createTestAuthenticator());
    const server = await start(protect((_request, response) => response.end("in"), authenticator));
    const raw = await rawExchange(
      server.port,
      `GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${"A".repeat(20_000)}\r\nConnection: close\r\n\r\n`,
    );
    expect(raw.split("\r\n")[0]).toBe("HTTP/1.1 431 Request Header Fields Too Large");
    expect(authenticator.calls).toBe(0);
  });

  test("a credentials field over core's maxLength is refused before verify runs: 401 Basic and Digest, 400 Bearer", async () => {
    const verified: string[] = [];
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: (username) => {
            verified.push(username);
            return undefined;
          },
        }),
        bearerAuth({
          realm: "api",
          verify: (token) => {
            verified.push(token);
            return undefined;
          },
        }),
        digestAuth({ realm: "api", secret: "a secret of at least sixteen bytes", password: () => "x" }),
      ],
      maxLength: 1024,
    });
    const { origin } = await start(protect((_request, response) => response.end("in"), authenticator));
    const long = "A".repeat(1100);
    const replies = await Promise.all(
      [basic("ada", long), `Bearer ${long}`, `Digest username="${long}"`].map((authorization) =>
        send(`${origin}/`, { headers: { authorization } }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual([401, 400, 401]);
    expect(verified).toEqual([]);
    // The same values within the cap reach verify.
    await send(`${origin}/`, { headers: { authorization: basic("ada", "short") } });
    expect(verified).toEqual(["ada"]);
  });

  test("a buffered body over maxBodyLength is not offered to core: its form token is not seen", async () => {
    const form = `access_token=reader-token&padding=${"x".repeat(200)}`;
    const withBody = (limit?: number) =>
      start(async (request: IncomingMessage & { rawBody?: Buffer }, response) => {
        request.rawBody = Buffer.from(form);
        const options = limit === undefined ? {} : { maxBodyLength: limit };
        const outcome = await createTestAuthenticator().authenticate(createAuthRequest(request, options));
        response.end(outcome.ok ? "in" : String(outcome.status));
      });
    const post = { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } };
    expect((await send(`${(await withBody()).origin}/`, post)).body).toBe("in");
    expect((await send(`${(await withBody(form.length)).origin}/`, post)).body).toBe("in");
    expect((await send(`${(await withBody(form.length - 1)).origin}/`, post)).body).toBe("401");
  });

  test("createAuthRequest() measures a string body in UTF-8 bytes", async () => {
    const request = Object.assign(new IncomingMessage(new Socket()), { body: "é".repeat(40) });
    expect((await createAuthRequest(request, { maxBodyLength: 80 }).body?.())?.length).toBe(80);
    expect(createAuthRequest(request, { maxBodyLength: 79 }).body).toBeUndefined();
  });

  test("protect(), middleware() and createAuthRequest() refuse a maxBodyLength that is not a whole number of bytes", () => {
    for (const maxBodyLength of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, "64" as unknown as number]) {
      expect(() => protect(() => undefined, createTestAuthenticator(), { maxBodyLength })).toThrow(RangeError);
      expect(() => middleware(createTestAuthenticator(), { maxBodyLength })).toThrow(RangeError);
      expect(() => createAuthRequest(new IncomingMessage(new Socket()), { maxBodyLength })).toThrow(RangeError);
    }
  });
});

describe("no CR or LF on any response path", () => {
  const hostile = fc.oneof(
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.constantFrom("x\r\nSet-Cookie: a=b", "x\nLocation: /evil", "a\u0000", "\u0100", "ok", 'Basic realm="api"'),
  );
  const line: fc.Arbitrary<HeaderLine> = fc.tuple(
    fc.oneof(fc.constantFrom("WWW-Authenticate", "Retry-After", "X-Y"), hostile),
    hostile,
  );

  function responseFor(): ServerResponse {
    return new ServerResponse(Object.assign(new IncomingMessage(new Socket()), { method: "GET" }));
  }

  test("sendFailure() refuses a header line Node would not write, or sets only safe values", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        const response = responseFor();
        const outcome: AuthFailure = {
          ok: false,
          status: 401,
          headers: lines,
          body: "no",
          reason: "invalid-credentials",
        };
        try {
          sendFailure(response, outcome);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          return;
        }
        for (const [name, value] of Object.entries(response.getHeaders())) {
          for (const text of [name, ...(Array.isArray(value) ? value : [String(value)])]) {
            expect(findUnsafeCharacter(text), JSON.stringify(text)).toBe(-1);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  test("on the wire, hostile credentials add no header line, and a hostile cnonce comes back escaped", async () => {
    const authenticator = createTestAuthenticator({ problemDetails: true });
    const server = await start(protect((_request, response) => response.end("in"), authenticator));
    const expectedNames = [
      "Content-Type",
      "Date",
      "Connection",
      "Content-Length",
      "WWW-Authenticate",
      "Transfer-Encoding",
    ];
    for (const value of [
      'Digest username="a", realm="api\\", Set-Cookie: x=1',
      "Basic \u00ff\u00fe",
      'Bearer a", error="insufficient_scope',
      `Digest username="\u00e9", uri="/", nonce="x", response="y", realm="api", cnonce="a\\"b"`,
    ]) {
      const raw = await rawExchange(
        server.port,
        `GET / HTTP/1.1\r\nHost: x\r\nAuthorization: ${value}\r\nConnection: close\r\n\r\n`,
      );
      const head = raw.slice(0, raw.indexOf("\r\n\r\n")).split("\r\n");
      for (const headerLine of head.slice(1)) {
        expect(expectedNames).toContain(headerLine.slice(0, headerLine.indexOf(":")));
        expect(findUnsafeCharacter(headerLine)).toBe(-1);
      }
    }
    // A genuine Digest request whose cnonce holds quotes and a would-be parameter.
    const first = await send(`${server.origin}/`);
    const challenge = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(({ scheme }) => scheme === "digest")!;
    const cnonce = 'x", nextnonce="evil", a="\\';
    const credentials = await computeDigestCredentials(challenge, {
      username: "Mufasa",
      password: "Circle of Life",
      method: "GET",
      uri: "/",
      cnonce,
    });
    const reply = await send(`${server.origin}/`, { headers: { authorization: serializeCredentials(credentials) } });
    expect(reply.status).toBe(200);
    const [info] = fieldLines(reply, "Authentication-Info");
    expect(parseAuthParams(info ?? "").cnonce).toBe(cnonce);
    expect(parseAuthParams(info ?? "").nextnonce).toBeUndefined();
  });
});

describe("no secret in anything sent or logged", () => {
  const MARKER = "pl4nted-S3CRET";

  function planted(): string[] {
    return [
      basic("ada", MARKER),
      basic(MARKER, "x"),
      `Basic ${MARKER}`,
      `Bearer ${MARKER}`,
      `Bearer ${MARKER}!`,
      `Digest username="${MARKER}", realm="api"`,
      `Digest username="Mufasa", realm="api", nonce="n", uri="/", response="${MARKER}"`,
      `${MARKER} x`,
    ];
  }

  test("failure responses of protect() and middleware() carry no planted secret: status line, headers, body", async () => {
    const guarded = await start(
      protect((_request, response) => response.end("in"), createTestAuthenticator({ problemDetails: true })),
    );
    const authenticate = middleware(createTestAuthenticator());
    const chained = await start((request, response) => authenticate(request, response, () => response.end("in")));
    for (const origin of [guarded.origin, chained.origin]) {
      for (const authorization of planted()) {
        for (const field of ["authorization", "proxy-authorization"]) {
          const reply = await send(`${origin}/?q=${MARKER}`, { headers: { [field]: authorization } });
          expect(reply.status).not.toBe(200);
          const wire = JSON.stringify([reply.status, reply.lines, reply.body]);
          expect(wire.includes(MARKER), `${field}: ${authorization}`).toBe(false);
        }
      }
    }
  });

  test("protect()'s default report logs the callback's error and nothing of the request", async () => {
    const report = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: () => {
            throw new Error("user store is down", { cause: new Error("connection refused") });
          },
        }),
        digestAuth({ realm: "api", secret: "a secret of at least sixteen bytes", ha1: () => `${MARKER}-not-hex` }),
      ],
    });
    const { origin } = await start(protect((_request, response) => response.end("in"), authenticator));
    const first = await send(`${origin}/`);
    const challenge = parseChallenges(fieldLines(first, "WWW-Authenticate")).find(({ scheme }) => scheme === "digest")!;
    const digest = serializeCredentials(
      await computeDigestCredentials(challenge, { username: MARKER, password: MARKER, method: "GET", uri: "/" }),
    );
    for (const authorization of [basic(MARKER, MARKER), digest]) {
      const reply = await send(`${origin}/`, { headers: { authorization } });
      expect(reply.status).toBe(500);
      expect(JSON.stringify([reply.lines, reply.body]).includes(MARKER)).toBe(false);
    }
    expect(report).toHaveBeenCalledTimes(2);
    for (const call of report.mock.calls) {
      // What console.error prints: the arguments formatted as util.format does (message, stack, cause).
      const printed = format(...call);
      expect(printed).toContain("@httpauth/node: authenticate() threw");
      expect(printed.includes(MARKER), printed).toBe(false);
    }
    // The callback's own error is printed as it is, cause included: keep secrets out of what callbacks throw.
    expect(format(...report.mock.calls[0]!)).toContain("connection refused");
  });
});

describe("names of Object.prototype", () => {
  test("request headers and user names named like Object.prototype members are ordinary", async () => {
    const seen: string[] = [];
    const authenticator = createAuthenticator({
      schemes: [
        basicAuth({
          realm: "api",
          verify: (username, password) => {
            seen.push(username);
            return password === "pw" ? { username } : undefined;
          },
        }),
      ],
    });
    const server = await start(
      protect((request, response) => response.end(JSON.stringify(request.auth.identity)), authenticator),
    );
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]) {
      const raw = await rawExchange(
        server.port,
        [
          "GET / HTTP/1.1",
          "Host: x",
          `${name}: {"authorization":"Basic x"}`,
          `Authorization: ${basic(name, "pw")}`,
          "Connection: close",
          "",
          "",
        ].join("\r\n"),
      );
      expect(raw.split("\r\n")[0]).toBe("HTTP/1.1 200 OK");
      expect(raw.endsWith(JSON.stringify({ username: name }))).toBe(true);
      const none = await rawExchange(
        server.port,
        `GET / HTTP/1.1\r\nHost: x\r\n${name}: Basic eDp5\r\nConnection: close\r\n\r\n`,
      );
      expect(none.split("\r\n")[0]).toBe("HTTP/1.1 401 Unauthorized");
    }
    expect(seen).toEqual(["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"]);
  });
});
