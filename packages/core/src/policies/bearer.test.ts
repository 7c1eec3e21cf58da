import { describe, expect, test } from "vitest";
import type { AuthFailure, AuthOutcome, AuthRequest } from "../index.ts";
import { bearerAuth, createAuthenticator } from "../index.ts";

/** What an attacker puts in `access_token`: each must be 400 invalid_request, and never reach verify. */
const HOSTILE_TOKENS: readonly [label: string, token: string][] = [
  ["an empty token", ""],
  ["CR LF and a header", "good\r\nX-Injected: 1"],
  ["a bare LF", "good\n"],
  ["NUL", "go\u0000od"],
  ["U+2028 LINE SEPARATOR", "good\u2028"],
  ["U+2029 PARAGRAPH SEPARATOR", "\u2029good"],
  ["a space", "go od"],
  ["a quote", '"good"'],
  ["a comma list", "good,good"],
  ["padding first", "=good"],
  ["Latin-1", "gööd"],
  ["a DEL", "good\u007f"],
];

function failure(outcome: AuthOutcome<unknown>): AuthFailure {
  if (outcome.ok) throw new Error("expected a failure");
  return outcome;
}

function form(token: string): Uint8Array {
  return new TextEncoder().encode(new URLSearchParams({ access_token: token }).toString());
}

describe("bearerAuth() with body and query sources", () => {
  const seen: string[] = [];
  const authenticator = createAuthenticator({
    schemes: [
      bearerAuth({
        realm: "api",
        sources: { body: true, query: true },
        verify: (token) => {
          seen.push(token);
          return { identity: "svc" };
        },
      }),
    ],
  });
  const fromQuery = (token: string): AuthRequest => ({
    method: "GET",
    url: `/r?${new URLSearchParams({ access_token: token })}`,
    header: () => undefined,
  });
  const fromBody = (token: string): AuthRequest => ({
    method: "POST",
    url: "/r",
    header: (name) => (name.toLowerCase() === "content-type" ? "application/x-www-form-urlencoded" : undefined),
    body: async () => form(token),
  });

  for (const [label, token] of HOSTILE_TOKENS) {
    for (const [source, build] of [
      ["query", fromQuery],
      ["form body", fromBody],
    ] as const) {
      test(`bearerAuth() answers a token with ${label} from the ${source} with 400 invalid_request, without calling verify`, async () => {
        seen.length = 0;
        const outcome = failure(await authenticator.authenticate(build(token)));
        expect([outcome.status, outcome.reason]).toEqual([400, "invalid-request"]);
        expect(outcome.headers).toContainEqual(["WWW-Authenticate", 'Bearer realm="api", error="invalid_request"']);
        expect(seen).toEqual([]);
      });
    }
  }

  test("bearerAuth() hands verify a b64token from the query or a form body as it is", async () => {
    for (const token of ["abc", "a-b.c_d~e+f/g==", "mF_9.B5f-4.1JqM"]) {
      seen.length = 0;
      expect(await authenticator.authenticate(fromQuery(token))).toMatchObject({ ok: true, identity: "svc" });
      expect(await authenticator.authenticate(fromBody(token))).toMatchObject({ ok: true, identity: "svc" });
      expect(seen).toEqual([token, token]);
    }
  });

  test("bearerAuth() refuses a '+' sent unencoded in a form body: it decodes to a space", async () => {
    seen.length = 0;
    const raw: AuthRequest = {
      method: "POST",
      url: "/r",
      header: (name) => (name.toLowerCase() === "content-type" ? "application/x-www-form-urlencoded" : undefined),
      body: async () => new TextEncoder().encode("access_token=a+b"),
    };
    expect(failure(await authenticator.authenticate(raw)).status).toBe(400);
    expect(seen).toEqual([]);
  });
});
