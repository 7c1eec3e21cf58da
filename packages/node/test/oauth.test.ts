// Issue 16 on node:http: per-route scopes through protect and middleware, resource_metadata on the
// answers, and the Protected Resource Metadata handler (RFC 9728 §3) as listener and middleware.

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { bearerAuth, createAuthenticator, createResourceMetadata, parseChallenges } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import { createResourceMetadataHandler, middleware, protect } from "../src/index.ts";

const metadata = createResourceMetadata({ resource: "http://127.0.0.1/mcp", scopes_supported: ["read", "admin"] });
const authenticator = createAuthenticator({
  schemes: [
    bearerAuth({
      resourceMetadata: metadata,
      verify: (token) => (token === "reader" ? { identity: "ada", scopes: ["read"] } : undefined),
    }),
  ],
  exposeHeaders: true,
});
const bearer = { authorization: "Bearer reader" };

const servers: ReturnType<typeof createServer>[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function listen(listener: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("protect() and middleware() with scopes", () => {
  test("protect({ scopes }) answers 403 insufficient_scope naming the route's scope, with resource_metadata", async () => {
    const base = await listen(
      protect((_request, response) => response.end("ok"), authenticator, { scopes: ["admin"] }),
    );
    const response = await fetch(base, { headers: bearer });
    await response.text();
    expect(response.status).toBe(403);
    const [challenge] = parseChallenges(response.headers.get("www-authenticate") ?? "");
    expect(challenge?.params).toMatchObject({
      error: "insufficient_scope",
      scope: "admin",
      resource_metadata: metadata.url,
    });
    expect(response.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
  });

  test("protect() calls a scopes function with the request; a hostile scope is a 500 through onError", async () => {
    const errors: unknown[] = [];
    const base = await listen(
      protect((_request, response) => response.end("ok"), authenticator, {
        scopes: (request) => (request.url === "/admin" ? ["admin"] : request.url === "/bad" ? ["a b"] : undefined),
        onError: (error) => errors.push(error),
      }),
    );
    expect((await fetch(`${base}/read`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${base}/admin`, { headers: bearer })).status).toBe(403);
    expect((await fetch(`${base}/bad`, { headers: bearer })).status).toBe(500);
    expect(errors[0]).toBeInstanceOf(TypeError);
  });

  test("middleware({ scopes }) refuses without calling next, and passes with the scope", async () => {
    const run = (scopes: readonly string[]) => {
      const authenticate = middleware(authenticator, { scopes });
      return (request: IncomingMessage, response: ServerResponse) =>
        authenticate(request, response, (error) => response.end(error === undefined ? "next" : "error"));
    };
    const admin = await listen(run(["admin"]));
    const refused = await fetch(admin, { headers: bearer });
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toBe("next");
    const read = await listen(run(["read"]));
    expect(await (await fetch(read, { headers: bearer })).text()).toBe("next");
  });

  test("protect() and middleware() refuse a scopes option that is neither a list nor a function", () => {
    expect(() => protect(() => undefined, authenticator, { scopes: "admin" as never })).toThrow(TypeError);
    expect(() => middleware(authenticator, { scopes: 5 as never })).toThrow(TypeError);
  });
});

describe("createResourceMetadataHandler()", () => {
  test("as a listener: GET 200 JSON for any origin, HEAD, 405 with Allow, 404 elsewhere", async () => {
    const base = await listen(createResourceMetadataHandler(metadata));
    const get = await fetch(`${base}${metadata.path}`);
    expect(get.status).toBe(200);
    expect(get.headers.get("content-type")).toBe("application/json");
    expect(get.headers.get("access-control-allow-origin")).toBe("*");
    expect(await get.json()).toEqual(metadata.document);
    const head = await fetch(`${base}${metadata.path}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    const post = await fetch(`${base}${metadata.path}`, { method: "POST" });
    await post.text();
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, HEAD, OPTIONS"]);
    const other = await fetch(`${base}/mcp`);
    await other.text();
    expect(other.status).toBe(404);
  });

  test("as middleware: another path goes to next(); a broken function goes to next(error)", async () => {
    const handler = createResourceMetadataHandler(metadata);
    const base = await listen((request, response) =>
      handler(request, response, (error) => response.end(error === undefined ? "next" : "error")),
    );
    expect(await (await fetch(`${base}/elsewhere`)).text()).toBe("next");
    expect((await fetch(`${base}${metadata.path}`)).status).toBe(200);
    const broken = createResourceMetadataHandler(() => "nope" as never);
    const brokenBase = await listen((request, response) =>
      broken(request, response, (error) => response.end(error instanceof TypeError ? "type error" : "other")),
    );
    expect(await (await fetch(`${brokenBase}${metadata.path}`)).text()).toBe("type error");
    const bare = await listen(createResourceMetadataHandler(() => "nope" as never));
    const answer = await fetch(`${bare}${metadata.path}`);
    await answer.text();
    expect(answer.status).toBe(500);
  });

  test("refuses what is not metadata", () => {
    expect(() => createResourceMetadataHandler(undefined as never)).toThrow(TypeError);
    expect(() => createResourceMetadataHandler({ url: "x" } as never)).toThrow(TypeError);
  });
});
