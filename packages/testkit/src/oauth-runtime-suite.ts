/**
 * The OAuth 2.0 resource-server cases `@httpauth/deno` and `@httpauth/bun`
 * share (issue 16): per-route scopes through the runtime's `protect`, the
 * `resource_metadata` parameter on its answers, the Protected Resource
 * Metadata handler (RFC 9728 §3) over a real server, and
 * `Access-Control-Expose-Headers`. Plain TypeScript with
 * `node:assert/strict`, injected with the runtime's `test` function.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Authenticator, ResourceMetadata } from "@httpauth/core";
import { bearerAuth, createAuthenticator, createResourceMetadata, parseChallenges } from "@httpauth/core";
import type { PlainHandler, Register, Served } from "./fetch-runtime-suite.ts";

/** What a runtime's test file provides for these cases. */
export interface OAuthRuntimeHarness<Handler> {
  /** The first way its suite serves a handler (`"Deno.serve"`, `"fetch"`): any path reaches the handler. */
  mode: string;
  /** The runtime's `protect`, with its `scopes` option. */
  protect<Identity>(
    handler: PlainHandler<Identity>,
    authenticator: Authenticator<Identity>,
    options?: { scopes?: readonly string[] | ((request: Request) => readonly string[] | undefined) },
  ): Handler;
  /** The runtime package's `createResourceMetadataHandler`. */
  createResourceMetadataHandler(
    metadata: ResourceMetadata | ((request: Request) => ResourceMetadata),
  ): (request: Request) => Promise<Response>;
  /** Serves `handler` on 127.0.0.1 in `mode`, on a free port. */
  serve(mode: string, handler: Handler): Served;
  /** Wraps a `(request) => Promise<Response>` as the runtime's handler type. */
  adapt(handler: (request: Request) => Promise<Response>): Handler;
}

const metadata = createResourceMetadata({
  resource: "http://127.0.0.1/mcp",
  authorization_servers: ["https://login.example"],
  scopes_supported: ["read", "admin"],
});

function authenticator(): Authenticator<string> {
  return createAuthenticator({
    schemes: [
      bearerAuth({
        resourceMetadata: metadata,
        verify: (token) => (token === "reader" ? { identity: "ada", scopes: ["read"] } : undefined),
      }),
    ],
    exposeHeaders: true,
  });
}

/** Runs the cases with `register` (`Deno.test`, or `test` of `bun:test`). */
export function runOAuthRuntimeSuite<Handler>(harness: OAuthRuntimeHarness<Handler>, register: Register): void {
  async function withServer(handler: Handler, body: (base: string) => Promise<void>): Promise<void> {
    const served = harness.serve(harness.mode, handler);
    try {
      await body(served.base);
    } finally {
      await served.close();
    }
  }

  register(
    "protect({ scopes }) answers 403 insufficient_scope with the route's scope and resource_metadata",
    async () => {
      const handler = harness.protect((_request, { identity }) => new Response(`hello ${identity}`), authenticator(), {
        scopes: (request) => (request.method === "GET" ? ["read"] : ["admin"]),
      });
      await withServer(handler, async (base) => {
        const headers = { Authorization: "Bearer reader" };
        const allowed = await fetch(`${base}/mcp`, { headers });
        assert.equal(await allowed.text(), "hello ada");
        const refused = await fetch(`${base}/mcp`, { method: "POST", headers });
        await refused.body?.cancel();
        assert.equal(refused.status, 403);
        const [challenge] = parseChallenges(refused.headers.get("www-authenticate") ?? "");
        assert.equal(challenge?.params.error, "insufficient_scope");
        assert.equal(challenge?.params.scope, "admin");
        assert.equal(challenge?.params.resource_metadata, metadata.url);
        assert.match(refused.headers.get("access-control-expose-headers") ?? "", /WWW-Authenticate/);
        const missing = await fetch(`${base}/mcp`);
        await missing.body?.cancel();
        assert.equal(missing.status, 401);
        assert.equal(missing.headers.get("www-authenticate"), `Bearer resource_metadata="${metadata.url}"`);
      });
    },
  );

  register("protect({ scopes }) refuses a malformed scope list when configured", () => {
    assert.throws(() => harness.protect(() => new Response(), authenticator(), { scopes: "read" as never }), TypeError);
  });

  register("createResourceMetadataHandler() serves the document: GET, HEAD, 405, 404 on a real server", async () => {
    const handler = harness.adapt(harness.createResourceMetadataHandler(metadata));
    await withServer(handler, async (base) => {
      const get = await fetch(`${base}${metadata.path}`);
      assert.equal(get.status, 200);
      assert.equal(get.headers.get("content-type"), "application/json");
      assert.equal(get.headers.get("access-control-allow-origin"), "*");
      assert.deepEqual(await get.json(), metadata.document);
      const head = await fetch(`${base}${metadata.path}`, { method: "HEAD" });
      assert.equal(head.status, 200);
      const post = await fetch(`${base}${metadata.path}`, { method: "POST" });
      await post.body?.cancel();
      assert.equal(post.status, 405);
      assert.equal(post.headers.get("allow"), "GET, HEAD, OPTIONS");
      const other = await fetch(`${base}/mcp`);
      await other.body?.cancel();
      assert.equal(other.status, 404);
    });
  });

  register("createResourceMetadataHandler() refuses what is not metadata", async () => {
    assert.throws(() => harness.createResourceMetadataHandler({} as never), TypeError);
    const broken = harness.createResourceMetadataHandler(() => "https://h/" as never);
    await assert.rejects(broken(new Request(metadata.url)), TypeError);
  });
}
