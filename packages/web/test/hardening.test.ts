// Hardening at the Fetch API boundary: the body core reads is capped
// (Content-Length, or while it streams, with the rest left for the handler);
// no CR or LF on any response path (createFailureResponse, protect's success
// headers) nor in what the client sends back to a hostile server; no planted
// secret in any Response or client error; Object.prototype names as ordinary
// names in form bodies and challenges.

import type { Authenticator, AuthFailure, AuthOutcome, HeaderLine } from "@httpauth/core";
import { basicAuth, bearerAuth, createAuthenticator, digestAuth } from "@httpauth/core";
import { streamedForm } from "@httpauth/testkit/streams";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { createAuthFetch, createAuthRequest, createFailureResponse, protect } from "../src/index.ts";

const SECRET = "a test secret of more than sixteen bytes";
const MARKER = "pl4nted-S3CRET";

/** Bearer with form bodies on: the token in the body is what the body cap is about. */
function formAuthenticator(): Authenticator<string> {
  return createAuthenticator({
    schemes: [
      bearerAuth<string>({ realm: "api", sources: { body: true }, verify: (token) => ({ identity: token }) }),
      basicAuth<string>({ realm: "api", verify: () => undefined }),
    ],
  });
}

/** A handler that answers with the identity and the length of the body it reads itself. */
async function echo(request: Request, { identity }: { identity: string }): Promise<Response> {
  return new Response(`${identity} ${(await request.arrayBuffer()).byteLength}`);
}

function post(body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request("https://api.example/", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body,
    duplex: "half",
  } as RequestInit);
}

describe("the body core reads is capped", () => {
  test("a form body within maxBodyLength is read, and the handler still reads all of it", async () => {
    const handle = protect(echo, formAuthenticator(), { maxBodyLength: 32 });
    const response = await handle(post("access_token=t0k3n&pad=xxxxxxxx"));
    expect(await response.text()).toBe("t0k3n 31");
  });

  test("a body whose Content-Length is over maxBodyLength is not read: its token is not seen", async () => {
    const handle = protect(echo, formAuthenticator(), { maxBodyLength: 16 });
    const response = await handle(post("access_token=t0k3n&pad=xxxxxxxx"));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="api", Basic realm="api", charset="UTF-8"');
  });

  test("a streamed body is read only up to maxBodyLength, then left for the handler", async () => {
    const { body, pulled } = streamedForm("streamed", 64);
    const request = post(body);
    const read = await createAuthRequest(request, { maxBodyLength: 32 * 1024 }).body?.();
    expect(read).toBeUndefined();
    // At most the cap and a chunk or two were pulled from the 1 MiB stream.
    expect(pulled()).toBeLessThan(80 * 1024);
    // The handler still gets every byte.
    expect((await request.arrayBuffer()).byteLength).toBe(26 + 64 * 16 * 1024);
  });

  test("protect() with the default cap (64 KiB) ignores the token of a 1 MiB streamed form and lets the handler read it", async () => {
    const { body } = streamedForm("streamed", 64);
    const handle = protect(echo, formAuthenticator());
    expect((await handle(post(body))).status).toBe(401);
    const small = streamedForm("streamed", 2);
    expect(await (await handle(post(small.body))).text()).toBe(`streamed ${26 + 2 * 16 * 1024}`);
  });

  test("protect() and createAuthRequest() refuse a maxBodyLength that is not a whole number of bytes", () => {
    for (const maxBodyLength of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, "1" as unknown as number]) {
      expect(() => protect(echo, formAuthenticator(), { maxBodyLength })).toThrow(RangeError);
      expect(() => createAuthRequest(new Request("https://api.example/"), { maxBodyLength })).toThrow(RangeError);
    }
  });
});

describe("no CR or LF on any header path", () => {
  const hostile = fc.oneof(
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.constantFrom("x\r\nSet-Cookie: a=b", "x\nLocation: /evil", "a\u0000", "\u0100", "ok", 'Basic realm="api"'),
  );
  const line: fc.Arbitrary<HeaderLine> = fc.tuple(
    fc.oneof(fc.constantFrom("WWW-Authenticate", "X-Y"), hostile),
    hostile,
  );

  /** The first character no header may carry, or -1. */
  function findUnsafeCharacter(value: string): number {
    for (let index = 0; index < value.length; index++) {
      const code = value.charCodeAt(index);
      if (code > 0xff || code === 0x7f || (code < 0x20 && code !== 0x09)) return index;
    }
    return -1;
  }

  /** CR, LF and NUL: what would split or end a header line (Headers lets other controls through; core never writes them). */
  function expectNoLineBreak(headers: Headers): void {
    headers.forEach((value, name) => {
      for (const text of [name, value]) {
        for (const code of [0x0d, 0x0a, 0x00])
          expect(text.includes(String.fromCharCode(code)), JSON.stringify(text)).toBe(false);
      }
    });
  }

  test("createFailureResponse() refuses hostile header lines with a TypeError, or keeps them safe", () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), (lines) => {
        const outcome: AuthFailure = {
          ok: false,
          status: 401,
          headers: lines,
          body: "",
          reason: "invalid-credentials",
        };
        let response: Response;
        try {
          response = createFailureResponse(outcome);
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          return;
        }
        expectNoLineBreak(response.headers);
      }),
      { numRuns: 1000 },
    );
  });

  test("protect() refuses hostile success headers with a TypeError, or keeps them safe", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 3 }), async (lines) => {
        const authenticator: Authenticator<string> = {
          openapi: () => ({}),
          authenticate: async (): Promise<AuthOutcome<string>> => ({
            ok: true,
            scheme: "digest",
            identity: "x",
            headers: lines,
          }),
        };
        let response: Response;
        try {
          response = await protect(() => new Response("in"), authenticator)(new Request("https://api.example/"));
        } catch (error) {
          expect(error).toBeInstanceOf(TypeError);
          return;
        }
        expectNoLineBreak(response.headers);
      }),
      { numRuns: 300 },
    );
  });

  test("the client answers a hostile challenge with safe credentials, or not at all", async () => {
    // What a server can put in WWW-Authenticate: anything a header carries, quotes and backslashes included.
    const challengeText = fc
      .string({
        unit: fc.constantFrom(...'Digest realm="nonce, qop=auth\\Basic Bearer é\u00ff=,\t'),
        maxLength: 80,
      })
      .filter((text) => text.trim() === text);
    const prefix = fc.constantFrom('Digest realm="api", nonce="n", ', 'Basic realm="a', "Bearer ", "");
    await fc.assert(
      fc.asyncProperty(prefix, challengeText, async (start, text) => {
        const sent: (string | null)[] = [];
        const server = async (request: Request): Promise<Response> => {
          sent.push(request.headers.get("authorization"));
          return new Response(null, { status: 401, headers: { "WWW-Authenticate": start + text } });
        };
        for (const credentials of [{ username: 'us"er\\', password: "pw" }, { token: "t0k3n" }]) {
          sent.length = 0;
          const authFetch = createAuthFetch(credentials, { fetch: server });
          try {
            await authFetch("https://api.example/");
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError);
          }
          for (const value of sent) if (value !== null) expect(findUnsafeCharacter(value), value).toBe(-1);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("no secret in a Response or a client error", () => {
  test("failure responses carry no planted secret", async () => {
    const authenticator = createAuthenticator({
      schemes: [
        digestAuth({ realm: "api", secret: SECRET, password: () => MARKER }),
        basicAuth({ realm: "api", verify: () => undefined }),
        bearerAuth({ realm: "api", sources: { body: true, query: true }, verify: () => undefined }),
      ],
      problemDetails: true,
    });
    const handle = protect(() => new Response("in"), authenticator);
    for (const authorization of [
      `Basic ${btoa(`ada:${MARKER}`)}`,
      `Basic ${MARKER}`,
      `Bearer ${MARKER}`,
      `Bearer ${MARKER}!`,
      `Digest username="${MARKER}", realm="api"`,
      `${MARKER} x`,
    ]) {
      const response = await handle(
        new Request(`https://api.example/?access_token=${MARKER}`, { headers: { authorization } }),
      );
      const lines: string[] = [];
      response.headers.forEach((value, name) => {
        lines.push(`${name}: ${value}`);
      });
      const wire = JSON.stringify([response.status, lines, await response.text()]);
      expect(wire.includes(MARKER), authorization).toBe(false);
    }
  });

  test("client errors never print the password or the token", async () => {
    const basicOnly = async (): Promise<Response> =>
      new Response(null, { status: 401, headers: { "WWW-Authenticate": 'Basic realm="api"' } });
    const errors: unknown[] = [];
    await createAuthFetch(
      { username: "ada", password: MARKER },
      { fetch: basicOnly },
    )("http://api.example/").catch((error: unknown) => errors.push(error));
    await createAuthFetch(
      { username: `ada:${MARKER}`, password: MARKER },
      { fetch: basicOnly },
    )("https://api.example/").catch((error: unknown) => errors.push(error));
    try {
      createAuthFetch({ token: `${MARKER} with spaces` });
    } catch (error) {
      errors.push(error);
    }
    expect(errors).toHaveLength(3);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TypeError);
      expect(`${String(error)} ${(error as Error).stack}`.includes(MARKER)).toBe(false);
    }
  });
});

describe("names of Object.prototype", () => {
  test("form fields and challenge parameters named like Object.prototype members are ordinary", async () => {
    const handle = protect(echo, formAuthenticator());
    const special = ["__proto__", "constructor", "toString", "hasOwnProperty"].map((name) => `${name}=x`).join("&");
    expect(await (await handle(post(`${special}&access_token=t0k3n`))).text()).toMatch(/^t0k3n /);
    expect((await handle(post(special))).status).toBe(401);

    const seen: string[] = [];
    const authFetch = createAuthFetch(
      { username: "u", password: "p" },
      {
        fetch: async (request) => {
          seen.push(request.headers.get("authorization") ?? "");
          return new Response(null, {
            status: 401,
            headers: { "WWW-Authenticate": 'Basic __proto__="x", constructor=y, realm="api", toString=z' },
          });
        },
      },
    );
    await authFetch("https://api.example/");
    expect(seen).toEqual(["", `Basic ${btoa("u:p")}`]);
  });
});
