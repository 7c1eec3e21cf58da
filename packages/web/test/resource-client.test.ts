import { request as httpRequest } from "node:http";
import { bearerAuth, createAuthenticator, isHTTPAuthError } from "@httpauth/core";
import { afterEach, describe, expect, test } from "vitest";
import {
  createAuthFetch,
  fetchResourceMetadata,
  parseResponseChallenges,
  protect,
  ResourceMetadataError,
  validateResourceMetadata,
} from "../src/index.ts";
import type { TestServer } from "./helpers/node-server.ts";
import { serve } from "./helpers/node-server.ts";

const RESOURCE = "https://api.example/files";
const METADATA_URL = "https://api.example/.well-known/oauth-protected-resource/files";
const DOCUMENT = { resource: RESOURCE, authorization_servers: ["https://as.example"], scopes_supported: ["read"] };

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function challenge(status: number, ...lines: string[]): Response {
  const headers = new Headers();
  for (const line of lines) headers.append("WWW-Authenticate", line);
  return new Response(null, { status, headers });
}

async function refusal(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return error instanceof ResourceMetadataError ? error.code : (error as Error).name;
  }
  return undefined;
}

describe("parseResponseChallenges()", () => {
  test("parseResponseChallenges() reads the lines a Response joined, DPoP first", () => {
    const response = challenge(401, 'DPoP algs="ES256"', `Bearer resource_metadata="${METADATA_URL}", scope="read"`);
    const challenges = parseResponseChallenges(response);
    expect(challenges.map((item) => item.scheme)).toEqual(["dpop", "bearer"]);
    expect(challenges[1]?.resourceMetadata).toBe(METADATA_URL);
    expect(parseResponseChallenges(response.headers)).toEqual(challenges);
  });

  test("parseResponseChallenges() reads rawHeaders line by line, any name casing", () => {
    const rawHeaders = [
      "www-authenticate",
      'DPoP algs="ES256"',
      "X-Other",
      "1",
      "WWW-Authenticate",
      'Bearer scope="a"',
    ];
    expect(parseResponseChallenges({ rawHeaders }).map((item) => item.scheme)).toEqual(["dpop", "bearer"]);
    const broken = ["WWW-Authenticate", 'Bearer scope="a', "WWW-Authenticate", 'Bearer scope="b"'];
    expect(() => parseResponseChallenges({ rawHeaders: broken })).toThrow();
    expect(parseResponseChallenges({ rawHeaders: broken }, { skipMalformedLines: true })[0]?.scope).toEqual(["b"]);
  });

  test("parseResponseChallenges() reads the real rawHeaders of a node:http response, one line per challenge", async () => {
    const { createServer } = await import("node:http");
    const raw = createServer((_incoming, outgoing) => {
      outgoing.statusCode = 401;
      outgoing.setHeader("WWW-Authenticate", ['DPoP algs="ES256 PS256"', 'Bearer scope="read", realm="api"']);
      outgoing.end();
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    const port = (raw.address() as { port: number }).port;
    const incoming = await new Promise<{ rawHeaders: string[] }>((resolve, reject) => {
      httpRequest({ host: "127.0.0.1", port, path: "/" }, (message) => {
        message.resume();
        resolve(message);
      })
        .on("error", reject)
        .end();
    });
    await new Promise<void>((resolve) => raw.close(() => resolve()));
    const challenges = parseResponseChallenges(incoming);
    expect(challenges.map((item) => [item.scheme, item.algs ?? item.scope])).toEqual([
      ["dpop", ["ES256", "PS256"]],
      ["bearer", ["read"]],
    ]);
  });

  test("parseResponseChallenges() gives [] without the field and reads Proxy-Authenticate on request", () => {
    expect(parseResponseChallenges(new Response(null, { status: 401 }))).toEqual([]);
    const proxy = new Response(null, { status: 407, headers: { "Proxy-Authenticate": 'Basic realm="p"' } });
    expect(parseResponseChallenges(proxy, { proxy: true })[0]?.realm).toBe("p");
  });

  test("parseResponseChallenges() throws HTTPAuthError for a broken field and TypeError for a wrong source", () => {
    let caught: unknown;
    try {
      parseResponseChallenges(challenge(401, 'Bearer scope="a'));
    } catch (error) {
      caught = error;
    }
    expect(isHTTPAuthError(caught)).toBe(true);
    expect(() => parseResponseChallenges("Bearer" as unknown as Response)).toThrow(TypeError);
    expect(() => parseResponseChallenges({} as unknown as Response)).toThrow(TypeError);
    expect(() => parseResponseChallenges({ rawHeaders: "x" } as unknown as Response)).toThrow(TypeError);
    expect(() => parseResponseChallenges({ rawHeaders: ["a", 1] } as unknown as Response)).toThrow(TypeError);
  });

  test("parseResponseChallenges() refuses an oversized field", () => {
    const response = challenge(401, `Bearer error_description="${"x".repeat(9000)}"`);
    expect(() => parseResponseChallenges(response)).toThrow(/over the limit/);
  });
});

describe("validateResourceMetadata()", () => {
  test("validateResourceMetadata() accepts the RFC 9728 §3.2 example and keeps unknown members", () => {
    const document = {
      resource: "https://resource.example.com",
      authorization_servers: ["https://as1.example.com", "https://as2.example.net"],
      bearer_methods_supported: ["header", "body"],
      scopes_supported: ["profile", "email", "phone"],
      resource_documentation: "https://resource.example.com/resource_documentation.html",
      x_custom: { nested: true },
    };
    const metadata = validateResourceMetadata(document, { resource: "https://resource.example.com" });
    expect(metadata.x_custom).toEqual({ nested: true });
    expect(validateResourceMetadata(document, { resource: new URL("https://resource.example.com") })).toBe(document);
  });

  test("validateResourceMetadata() refuses a resource that is not the one used (RFC 9728 §3.3)", () => {
    const code = (document: unknown, resource = RESOURCE): string | undefined => {
      try {
        validateResourceMetadata(document, { resource });
      } catch (error) {
        return (error as ResourceMetadataError).code;
      }
      return undefined;
    };
    expect(code({ resource: "https://api.example/files/" })).toBe("resource-mismatch");
    expect(code({ resource: "https://evil.example/files" })).toBe("resource-mismatch");
    expect(code({ resource: "https://API.example/files" })).toBeUndefined();
    expect(code({})).toBe("invalid-member");
    expect(code({ resource: "/files" })).toBe("invalid-member");
    expect(code(null)).toBe("not-an-object");
    expect(code([RESOURCE])).toBe("not-an-object");
    expect(code("text")).toBe("not-an-object");
    expect(code({ ...DOCUMENT, authorization_servers: "https://as.example" })).toBe("invalid-member");
    expect(code({ ...DOCUMENT, authorization_servers: ["http://as.example"] })).toBe("invalid-member");
    expect(code({ ...DOCUMENT, authorization_servers: ["not a url"] })).toBe("invalid-member");
    expect(code({ ...DOCUMENT, authorization_servers: ["http://127.0.0.1:9000"] })).toBeUndefined();
    expect(code({ ...DOCUMENT, scopes_supported: [1] })).toBe("invalid-member");
    expect(code({ ...DOCUMENT, dpop_bound_access_tokens_required: "yes" })).toBe("invalid-member");
    expect(code({ ...DOCUMENT, resource_name: 3 })).toBe("invalid-member");
    expect(code(JSON.parse('{"__proto__": {"resource": "https://api.example/files"}}'))).toBe("invalid-member");
    expect(() => validateResourceMetadata(DOCUMENT, {} as { resource: string })).toThrow(TypeError);
  });
});

describe("fetchResourceMetadata()", () => {
  const json = (body: unknown, init?: ResponseInit) => async () => Response.json(body, init);

  test("fetchResourceMetadata() sends GET with Accept: application/json and validates", async () => {
    let seen: Request | undefined;
    const metadata = await fetchResourceMetadata(METADATA_URL, {
      resource: RESOURCE,
      fetch: async (request) => {
        seen = request;
        return Response.json(DOCUMENT);
      },
    });
    expect(metadata.authorization_servers).toEqual(["https://as.example"]);
    expect(seen?.method).toBe("GET");
    expect(seen?.headers.get("accept")).toBe("application/json");
  });

  test("fetchResourceMetadata() refuses what RFC 9728 §3.2 does not allow", async () => {
    const options = { resource: RESOURCE };
    expect(
      await refusal(() => fetchResourceMetadata("http://api.example/m", { ...options, fetch: json(DOCUMENT) })),
    ).toBe("insecure-url");
    expect(
      await refusal(() => fetchResourceMetadata(METADATA_URL, { ...options, fetch: json(DOCUMENT, { status: 404 }) })),
    ).toBe("unexpected-status");
    const text = async () => new Response(JSON.stringify(DOCUMENT), { headers: { "Content-Type": "text/html" } });
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, { ...options, fetch: text }))).toBe(
      "unexpected-content-type",
    );
    const broken = async () => new Response("{", { headers: { "Content-Type": "application/json" } });
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, { ...options, fetch: broken }))).toBe(
      "invalid-json",
    );
    const huge = async () =>
      new Response(JSON.stringify({ ...DOCUMENT, pad: "x".repeat(70_000) }), {
        headers: { "Content-Type": "application/json; charset=utf-8" },
      });
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, { ...options, fetch: huge }))).toBe("too-large");
    const streamed = async () =>
      new Response(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(new Uint8Array(16_384).fill(0x20));
          },
        }),
        { headers: { "Content-Type": "application/json" } },
      );
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, { ...options, fetch: streamed }))).toBe("too-large");
    expect(
      await refusal(() =>
        fetchResourceMetadata(METADATA_URL, {
          ...options,
          fetch: json({ ...DOCUMENT, resource: "https://evil.example" }),
        }),
      ),
    ).toBe("resource-mismatch");
  });

  test("fetchResourceMetadata() refuses wrong arguments with TypeError and RangeError", async () => {
    expect(await refusal(() => fetchResourceMetadata("/relative", { resource: RESOURCE }))).toBe("TypeError");
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, {} as { resource: string }))).toBe("TypeError");
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, { resource: RESOURCE, maxBytes: 0 }))).toBe(
      "RangeError",
    );
    const notAFunction = { resource: RESOURCE, fetch: "x" as unknown as () => Promise<Response> };
    expect(await refusal(() => fetchResourceMetadata(METADATA_URL, notAFunction))).toBe("TypeError");
  });

  test("fetchResourceMetadata() reads a document over loopback http", async () => {
    const server = await serve(async (request) =>
      Response.json({
        resource: `${new URL(request.url).origin}/files`,
        authorization_servers: ["https://as.example"],
      }),
    );
    servers.push(server);
    const metadata = await fetchResourceMetadata(`${server.origin}/.well-known/oauth-protected-resource/files`, {
      resource: `${server.origin}/files`,
    });
    expect(metadata.resource).toBe(`${server.origin}/files`);
  });
});

describe("createAuthFetch(): the challenge of an OAuth resource server", () => {
  const authenticator = createAuthenticator({
    schemes: [
      bearerAuth({
        realm: "api",
        scopes: ["read"],
        verify: (token) => (token === "good" ? { identity: "ada", scopes: [] } : undefined),
      }),
    ],
  });

  test("createAuthFetch() keeps the parsed challenge of a 401 and a 403 it returns", async () => {
    const server = protect(() => new Response("ok"), authenticator);
    const anonymous = createAuthFetch({ token: "bad" }, { fetch: server });
    const refused = await anonymous("https://api.example/files");
    expect(refused.status).toBe(401);
    const first = anonymous.challengeOf(refused);
    expect(first?.status).toBe(401);
    expect(first?.url).toBe("https://api.example/files");
    expect(first?.oauth?.error).toBe("invalid_token");
    const scoped = createAuthFetch({ token: "good" }, { fetch: server });
    const forbidden = await scoped("https://api.example/files");
    expect(forbidden.status).toBe(403);
    expect(scoped.challengeOf(forbidden)?.oauth?.scope).toEqual(["read"]);
    expect(scoped.challengeOf(forbidden.clone())).toBeUndefined();
    expect(anonymous.challengeOf(forbidden)).toBeUndefined();
  });

  test("createAuthFetch() prefers the Bearer challenge, also when DPoP is listed first", async () => {
    const authFetch = createAuthFetch(
      { username: "a", password: "b" },
      {
        fetch: async () =>
          challenge(401, 'DPoP algs="ES256"', `Bearer resource_metadata="${METADATA_URL}", scope="read write"`),
      },
    );
    const response = await authFetch(RESOURCE);
    const read = authFetch.challengeOf(response);
    expect(read?.challenges.map((item) => item.scheme)).toEqual(["dpop", "bearer"]);
    expect(read?.oauth?.scheme).toBe("bearer");
    expect(read?.oauth?.scope).toEqual(["read", "write"]);
    const dpopOnly = createAuthFetch({ token: "t" }, { fetch: async () => challenge(401, 'DPoP algs="ES256"') });
    const dpopResponse = await dpopOnly(RESOURCE);
    expect(dpopOnly.challengeOf(dpopResponse)?.oauth?.algs).toEqual(["ES256"]);
  });

  test("createAuthFetch() records nothing for a success, a broken field or a 407", async () => {
    const ok = createAuthFetch({ token: "t" }, { fetch: async () => new Response("ok") });
    expect(ok.challengeOf(await ok(RESOURCE))).toBeUndefined();
    const broken = createAuthFetch({ token: "t" }, { fetch: async () => challenge(401, 'Bearer scope="a') });
    const brokenResponse = await broken(RESOURCE);
    expect(brokenResponse.status).toBe(401);
    expect(broken.challengeOf(brokenResponse)).toBeUndefined();
    const proxy = createAuthFetch(
      { token: "t" },
      {
        proxy: true,
        fetch: async () => new Response(null, { status: 407, headers: { "Proxy-Authenticate": "Bearer" } }),
      },
    );
    expect(proxy.challengeOf(await proxy(RESOURCE))).toBeUndefined();
  });

  test("createAuthFetch() resourceMetadataOf() fetches the document and checks it names the URL used", async () => {
    const send = async (request: Request): Promise<Response> => {
      if (request.url === METADATA_URL) return Response.json(DOCUMENT);
      if (request.url === "https://api.example/other") return Response.json({ resource: "https://api.example/other" });
      return challenge(401, `Bearer resource_metadata="${METADATA_URL}"`);
    };
    const authFetch = createAuthFetch({ token: "t" }, { fetch: send });
    const response = await authFetch(RESOURCE);
    expect((await authFetch.resourceMetadataOf(response))?.scopes_supported).toEqual(["read"]);
    // The same challenge for another URL: the document is about /files, not /elsewhere.
    const elsewhere = await authFetch("https://api.example/elsewhere");
    expect(await refusal(() => authFetch.resourceMetadataOf(elsewhere))).toBe("resource-mismatch");
    const plain = createAuthFetch({ token: "t" }, { fetch: async () => challenge(401, "Bearer") });
    expect(await plain.resourceMetadataOf(await plain(RESOURCE))).toBeUndefined();
    expect(await plain.resourceMetadataOf(new Response())).toBeUndefined();
  });

  test("createAuthFetch() over a real loopback server: the joined challenge lines are read back", async () => {
    const server = await serve(async (request) => {
      const url = new URL(request.url);
      if (url.pathname.startsWith("/.well-known/")) return Response.json({ resource: `${url.origin}/mcp` });
      return challenge(
        401,
        'DPoP algs="ES256"',
        `Bearer resource_metadata="${url.origin}/.well-known/oauth-protected-resource/mcp", scope="mcp:tools"`,
      );
    });
    servers.push(server);
    const authFetch = createAuthFetch({ token: "t" });
    const response = await authFetch(`${server.origin}/mcp`);
    expect(authFetch.challengeOf(response)?.oauth?.scope).toEqual(["mcp:tools"]);
    expect((await authFetch.resourceMetadataOf(response))?.resource).toBe(`${server.origin}/mcp`);
  });
});
