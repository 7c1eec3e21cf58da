/**
 * Digest challenges on the wire through a runtime's `protect` (issue 18):
 * where the runtime joins the `WWW-Authenticate` lines, one Digest challenge
 * by default (two on one line read as one to curl, requests and Chromium);
 * where it writes a line each, every one. Cases of the shared Fetch runtime
 * suite that `@httpauth/deno` and `@httpauth/bun` run (see
 * `fetch-runtime-suite.ts`), in a module of their own.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { AuthContext, Authenticator } from "@httpauth/core";
import { basicAuth, createAuthenticator, digestAuth, parseChallenges } from "@httpauth/core";
import { linesNamed, parseHead, rawGet, rawRequest } from "./wire.mjs";

/** What the Digest line cases need of a runtime's harness: a subset of `FetchRuntimeHarness`. */
export interface DigestLineHarness<Handler> {
  modes: readonly string[];
  layout: "a line per challenge" | "one joined line";
  path(name: string): string;
  protect<Identity>(
    handler: (request: Request, context: AuthContext<Identity>) => Response | Promise<Response>,
    authenticator: Authenticator<Identity>,
    options?: { digestChallenges?: "all" | "first" },
  ): Handler;
  serve(mode: string, handler: Handler): { port: number; close(): Promise<void> };
}

/** Two Digest algorithms (SHA-256, then MD5) before Basic, in realm "api". */
function twoDigests(): Authenticator<string> {
  return createAuthenticator({
    schemes: [
      digestAuth({
        realm: "api",
        secret: "a server secret of at least sixteen bytes",
        algorithms: ["SHA-256", "MD5"],
        password: (user) => (user === "ada" ? "secret" : undefined),
      }),
      basicAuth<string>({ realm: "api", verify: () => undefined }),
    ],
  });
}

/** The schemes (with algorithm) of each `WWW-Authenticate` line a raw GET of `name` gets, on a server for `handler`. */
async function challengeLines<Handler>(harness: DigestLineHarness<Handler>, handler: Handler): Promise<string[][]> {
  const server = harness.serve(harness.modes[0] ?? "", handler);
  try {
    const { status, lines } = parseHead(await rawRequest(server.port, rawGet(harness.path("x"))));
    assert.equal(status, 401);
    return linesNamed(lines, "WWW-Authenticate").map((line) =>
      parseChallenges(line).map((challenge) => `${challenge.scheme}${challenge.params.algorithm ?? ""}`),
    );
  } finally {
    await server.close();
  }
}

/**
 * Registers the Digest line cases with `register`.
 *
 * @param harness the runtime's harness
 * @param register `Deno.test`, or `test` of `bun:test`
 */
export function runDigestLineCases<Handler>(
  harness: DigestLineHarness<Handler>,
  register: (name: string, body: () => Promise<void> | void) => void,
): void {
  const separate = harness.layout === "a line per challenge";
  const every = separate ? [["digestSHA-256"], ["digestMD5"], ["basic"]] : [["digestSHA-256", "digestMD5", "basic"]];
  const first = separate ? [["digestSHA-256"], ["basic"]] : [["digestSHA-256", "basic"]];
  const ok = () => new Response("in");

  register(
    `on the wire: two Digest algorithms go out ${separate ? "on a line each" : "as the first one only, on the joined line"} by default`,
    async () => {
      assert.deepEqual(await challengeLines(harness, harness.protect(ok, twoDigests())), separate ? every : first);
    },
  );
  register("on the wire: digestChallenges first or all picks the Digest challenges, in order", async () => {
    const firstOnly = harness.protect(ok, twoDigests(), { digestChallenges: "first" });
    assert.deepEqual(await challengeLines(harness, firstOnly), first);
    // Joined, both Digest challenges share one line: what "first" avoids.
    const all = harness.protect(ok, twoDigests(), { digestChallenges: "all" });
    assert.deepEqual(await challengeLines(harness, all), every);
  });
  register("protect() refuses a digestChallenges other than all or first, saying which values it takes", () => {
    for (const digestChallenges of ["none", "ALL", null, 1]) {
      assert.throws(
        () => harness.protect(ok, twoDigests(), { digestChallenges } as never),
        (error: unknown) =>
          error instanceof TypeError && /options\.digestChallenges must be "all" or "first"/.test(error.message),
      );
    }
  });
}
