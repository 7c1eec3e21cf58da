// Issue 16 on the Fetch layer: per-route scopes through protect and guard, resource_metadata on
// the answers, exposed headers, and the Protected Resource Metadata handler (RFC 9728 §3).

import { bearerAuth, createAuthenticator, createResourceMetadata, parseChallenges } from "@httpauth/core";
import { describe, expect, test } from "vitest";
import { createResourceMetadataHandler, guard, protect } from "../src/index.ts";

const metadata = createResourceMetadata({
  resource: "https://api.example/mcp",
  authorization_servers: ["https://login.example"],
  scopes_supported: ["read", "admin"],
});

const authenticator = createAuthenticator({
  schemes: [
    bearerAuth({
      resourceMetadata: metadata,
      verify: (token) => (token === "reader" ? { identity: "ada", scopes: ["read"] } : undefined),
    }),
  ],
  exposeHeaders: true,
});

const bearer = { Authorization: "Bearer reader" };

describe("protect({ scopes })", () => {
  test("protect() passes a route's scopes to core: 403 insufficient_scope naming them, with resource_metadata", async () => {
    const handle = protect((_request, { identity }) => new Response(`hello ${identity}`), authenticator, {
      scopes: ["admin"],
    });
    const refused = await handle(new Request("https://api.example/mcp", { headers: bearer }));
    expect(refused.status).toBe(403);
    const [challenge] = parseChallenges(refused.headers.get("www-authenticate") ?? "");
    expect(challenge?.params).toMatchObject({
      error: "insufficient_scope",
      scope: "admin",
      resource_metadata: metadata.url,
    });
    expect(refused.headers.get("access-control-expose-headers")).toContain("WWW-Authenticate");
  });

  test("protect() calls a scopes function with the request", async () => {
    const handle = protect(() => new Response("ok"), authenticator, {
      scopes: (request) => (new URL(request.url).pathname === "/admin" ? ["admin"] : undefined),
    });
    expect((await handle(new Request("https://api.example/read", { headers: bearer }))).status).toBe(200);
    expect((await handle(new Request("https://api.example/admin", { headers: bearer }))).status).toBe(403);
  });

  test("guard() passes the runtime's arguments to the scopes function", async () => {
    const handle = guard<string, Request, [{ scopes: string[] }]>(() => new Response("ok"), authenticator, {
      scopes: (_request, route) => route.scopes,
    });
    expect((await handle(new Request("https://api.example/", { headers: bearer }), { scopes: ["read"] })).status).toBe(
      200,
    );
    expect((await handle(new Request("https://api.example/", { headers: bearer }), { scopes: ["admin"] })).status).toBe(
      403,
    );
  });

  test("protect() refuses a scopes option that is neither a list nor a function, and bad scopes reject", async () => {
    expect(() => protect(() => new Response(), authenticator, { scopes: "admin" as never })).toThrow(TypeError);
    const hostile = protect(() => new Response(), authenticator, { scopes: ['a"b'] });
    await expect(hostile(new Request("https://api.example/", { headers: bearer }))).rejects.toThrow(TypeError);
    const thrower = protect(() => new Response(), authenticator, {
      scopes: () => {
        throw new Error("route table broken");
      },
    });
    await expect(thrower(new Request("https://api.example/"))).rejects.toThrow("route table broken");
  });
});

describe("createResourceMetadataHandler()", () => {
  const handle = createResourceMetadataHandler(metadata);

  test("createResourceMetadataHandler() answers GET with the JSON, once, as application/json for any origin", async () => {
    const response = await handle(new Request(metadata.url));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual(metadata.document);
  });

  test("createResourceMetadataHandler() answers HEAD without a body, other methods 405, a preflight 204, other paths 404", async () => {
    const head = await handle(new Request(metadata.url, { method: "HEAD" }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await handle(new Request(metadata.url, { method: "POST", body: "x" }));
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await handle(new Request(metadata.url, { method: "OPTIONS" }))).status).toBe(204);
    expect((await handle(new Request("https://api.example/mcp"))).status).toBe(404);
    expect((await handle(new Request(`${metadata.url}/../../etc/passwd`))).status).toBe(404);
  });

  test("createResourceMetadataHandler() takes a function of the request, and refuses what is not metadata", async () => {
    const perOrigin = createResourceMetadataHandler((request) =>
      createResourceMetadata({ resource: `${new URL(request.url).origin}/mcp` }),
    );
    const response = await perOrigin(new Request("http://127.0.0.1:9/.well-known/oauth-protected-resource/mcp"));
    expect((await response.json()).resource).toBe("http://127.0.0.1:9/mcp");
    await expect(
      perOrigin(new Request("http://evil.example/.well-known/oauth-protected-resource/mcp")),
    ).rejects.toThrow(/must use https/);
    expect(() => createResourceMetadataHandler(undefined as never)).toThrow(TypeError);
    expect(() => createResourceMetadataHandler({ url: metadata.url } as never)).toThrow(TypeError);
    await expect(createResourceMetadataHandler(() => null as never)(new Request(metadata.url))).rejects.toThrow(
      TypeError,
    );
    await expect(handle("https://api.example/" as never)).rejects.toThrow(TypeError);
  });
});
