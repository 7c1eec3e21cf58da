import { describe, expect, test } from "vitest";
import {
  createResourceMetadata,
  createResourceMetadataResponse,
  createResourceMetadataURL,
  HTTPAuthError,
  parseResourceMetadata,
} from "./index.ts";

describe("createResourceMetadataURL()", () => {
  test("createResourceMetadataURL() inserts the well-known suffix between host and path (RFC 9728 §3.1)", () => {
    const cases: [string, string][] = [
      ["https://h/mcp", "https://h/.well-known/oauth-protected-resource/mcp"],
      ["https://h", "https://h/.well-known/oauth-protected-resource"],
      ["https://h/", "https://h/.well-known/oauth-protected-resource"],
      ["https://h/a/b/", "https://h/.well-known/oauth-protected-resource/a/b/"],
      ["https://h:8443/mcp?tenant=1", "https://h:8443/.well-known/oauth-protected-resource/mcp?tenant=1"],
      ["https://h/?tenant=1", "https://h/.well-known/oauth-protected-resource?tenant=1"],
      [
        "http://127.0.0.1:8080/oauth/resource",
        "http://127.0.0.1:8080/.well-known/oauth-protected-resource/oauth/resource",
      ],
      ["http://localhost/mcp", "http://localhost/.well-known/oauth-protected-resource/mcp"],
      ["http://[::1]:3000/mcp", "http://[::1]:3000/.well-known/oauth-protected-resource/mcp"],
    ];
    for (const [resource, url] of cases) expect(createResourceMetadataURL(resource), resource).toBe(url);
  });

  test("createResourceMetadataURL() refuses what RFC 9728 does not allow, with a message saying what to do", () => {
    const refused: [unknown, RegExp][] = [
      ["http://api.example/mcp", /must use https; http is allowed only on a loopback host/],
      ["http://128.0.0.1/mcp", /loopback/],
      ["http://localhost.evil.example/mcp", /loopback/],
      ["ftp://h/mcp", /https URL/],
      ["https://h/mcp#frag", /fragment/],
      ["https://h/mcp#", /fragment/],
      ["/mcp", /absolute URL/],
      ["", /absolute URL/],
      ["https://user:pass@h/mcp", /user name or password/],
      [`https://h/${"a".repeat(3000)}`, /longer than 2048/],
      [42, /must be a string/],
      [undefined, /must be a string/],
    ];
    for (const [resource, message] of refused) {
      expect(() => createResourceMetadataURL(resource as string), String(resource).slice(0, 40)).toThrow(TypeError);
      expect(() => createResourceMetadataURL(resource as string)).toThrow(message);
    }
  });
});

describe("createResourceMetadata()", () => {
  const full = {
    resource: "https://api.example/mcp",
    authorization_servers: ["https://login.example"],
    jwks_uri: "https://api.example/jwks.json",
    scopes_supported: ["mcp:tools", "mcp:read"],
    bearer_methods_supported: ["header"],
    resource_name: "Example MCP",
    resource_documentation: "https://docs.example/mcp",
    dpop_signing_alg_values_supported: ["ES256"],
    dpop_bound_access_tokens_required: false,
    "urn:example:custom": { nested: [1, "two", null] },
  };

  test("createResourceMetadata() keeps every member, unknown ones too, in a frozen copy", () => {
    const input = structuredClone(full);
    const metadata = createResourceMetadata(input);
    expect(JSON.parse(metadata.json)).toEqual(full);
    expect(metadata.document).toEqual(full);
    expect(metadata.resource).toBe("https://api.example/mcp");
    expect(metadata.url).toBe("https://api.example/.well-known/oauth-protected-resource/mcp");
    expect(metadata.path).toBe("/.well-known/oauth-protected-resource/mcp");
    expect(Object.isFrozen(metadata.document)).toBe(true);
    expect(Object.isFrozen(metadata.document.scopes_supported)).toBe(true);
    input.scopes_supported.push("changed later");
    expect(metadata.document.scopes_supported).toEqual(["mcp:tools", "mcp:read"]);
  });

  test("createResourceMetadata() drops members left undefined", () => {
    expect(createResourceMetadata({ resource: "https://h/", resource_name: undefined } as never).json).toBe(
      '{"resource":"https://h/"}',
    );
  });

  test("createResourceMetadata() names the member that is wrong", () => {
    const refused: [Record<string, unknown>, RegExp][] = [
      [{}, /resource is required/],
      [{ resource: "http://api.example/" }, /resource must use https/],
      [{ resource: "https://h/#x" }, /resource must not have a fragment/],
      [{ ...full, authorization_servers: "https://login.example" }, /authorization_servers must be an array/],
      [
        { ...full, authorization_servers: ["http://login.example"] },
        /authorization_servers holds an issuer that must use https/,
      ],
      [{ ...full, scopes_supported: ["read", 7] }, /scopes_supported must hold only non-empty strings/],
      [{ ...full, scopes_supported: [""] }, /scopes_supported must hold only non-empty strings/],
      [{ ...full, bearer_methods_supported: ["cookie"] }, /bearer_methods_supported may hold only/],
      [{ ...full, resource_name: 5 }, /resource_name must be a string/],
      [{ ...full, jwks_uri: "http://api.example/jwks" }, /jwks_uri must use https/],
      [
        { ...full, resource_documentation: "javascript:alert(1)" },
        /resource_documentation must be an http or https URL/,
      ],
      [
        { ...full, dpop_bound_access_tokens_required: "yes" },
        /dpop_bound_access_tokens_required must be true or false/,
      ],
      [{ ...full, extra: () => 1 }, /extra must be a JSON value/],
      [{ ...full, extra: Number.NaN }, /extra must be a JSON value/],
      [{ ...full, scopes_supported: Array.from({ length: 1001 }, (_, index) => `s${index}`) }, /more than 1000/],
    ];
    for (const [document, message] of refused) {
      expect(() => createResourceMetadata(document as never), message.source).toThrow(message);
    }
    expect(() => createResourceMetadata(null as never)).toThrow(/needs the document/);
    expect(() => createResourceMetadata([] as never)).toThrow(TypeError);
    let deep: unknown = "x";
    for (let depth = 0; depth < 40; depth++) deep = [deep];
    expect(() => createResourceMetadata({ resource: "https://h/", deep } as never)).toThrow(
      /deep must be a JSON value/,
    );
  });
});

describe("parseResourceMetadata()", () => {
  const text = '{"resource":"https://api.example/mcp","authorization_servers":["https://login.example"],"x":1}';

  test("parseResourceMetadata() returns the typed document and keeps other members", () => {
    expect(parseResourceMetadata(text, { resource: "https://api.example/mcp" })).toEqual({
      resource: "https://api.example/mcp",
      authorization_servers: ["https://login.example"],
      x: 1,
    });
    expect(parseResourceMetadata(JSON.parse(text)).resource).toBe("https://api.example/mcp");
  });

  test("parseResourceMetadata() refuses a resource other than the URL used (RFC 9728 §3.3)", () => {
    for (const resource of ["https://api.example/mcp/", "https://API.example/mcp", "https://evil.example/mcp"]) {
      expect(() => parseResourceMetadata(text, { resource })).toThrow(
        expect.objectContaining({ code: "resource-mismatch" }),
      );
    }
  });

  test("parseResourceMetadata() refuses malformed, oversized and hostile documents with a code", () => {
    const refused: [unknown, string][] = [
      ["not json", "invalid-metadata"],
      ["", "invalid-metadata"],
      ["[]", "invalid-metadata"],
      ["null", "invalid-metadata"],
      ['"https://api.example"', "invalid-metadata"],
      ["{}", "invalid-metadata"],
      ['{"resource":"http://api.example/"}', "invalid-metadata"],
      ['{"resource":"https://h/","scopes_supported":"read"}', "invalid-metadata"],
      ['{"resource":"https://h/","authorization_servers":[null]}', "invalid-metadata"],
      ['{"resource":"https://h/","tls_client_certificate_bound_access_tokens":1}', "invalid-metadata"],
      [`{"resource":"https://h/","pad":"${"a".repeat(70_000)}"}`, "field-too-large"],
      [42, "invalid-metadata"],
    ];
    for (const [input, code] of refused) {
      let caught: unknown;
      try {
        parseResourceMetadata(input);
      } catch (error) {
        caught = error;
      }
      expect(caught, String(input).slice(0, 60)).toBeInstanceOf(HTTPAuthError);
      expect((caught as HTTPAuthError).code).toBe(code);
      expect((caught as HTTPAuthError).message).not.toContain("aaaa");
    }
  });

  test("parseResourceMetadata() keeps __proto__ as an ordinary member and pollutes nothing", () => {
    const parsed = parseResourceMetadata('{"resource":"https://h/","__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  test("parseResourceMetadata() checks its options", () => {
    expect(() => parseResourceMetadata("{}", { resource: 5 as never })).toThrow(TypeError);
    expect(() => parseResourceMetadata("{}", { maxLength: 0 })).toThrow(TypeError);
  });
});

describe("createResourceMetadataResponse()", () => {
  const metadata = createResourceMetadata({ resource: "https://api.example/mcp", scopes_supported: ["read"] });
  const path = "/.well-known/oauth-protected-resource/mcp";

  test("createResourceMetadataResponse() answers GET and HEAD with JSON readable from any origin", () => {
    const get = createResourceMetadataResponse(metadata, { method: "GET", url: path });
    expect(get).toEqual({
      status: 200,
      headers: [
        ["Content-Type", "application/json"],
        ["Access-Control-Allow-Origin", "*"],
      ],
      body: metadata.json,
    });
    const head = createResourceMetadataResponse(metadata, { method: "head", url: `https://api.example${path}?x=1` });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
  });

  test("createResourceMetadataResponse() answers other methods 405 with Allow, a preflight 204, other paths 404", () => {
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "TRACE"]) {
      const answer = createResourceMetadataResponse(metadata, { method, url: path });
      expect(answer.status).toBe(405);
      expect(answer.headers).toContainEqual(["Allow", "GET, HEAD, OPTIONS"]);
    }
    expect(createResourceMetadataResponse(metadata, { method: "OPTIONS", url: path }).status).toBe(204);
    for (const url of ["/mcp", "/.well-known/oauth-protected-resource", `${path}/`, `${path}x`, "*", ""]) {
      expect(createResourceMetadataResponse(metadata, { method: "GET", url }).status, url).toBe(404);
    }
  });

  test("createResourceMetadataResponse() matches the query when the resource has one", () => {
    const tenant = createResourceMetadata({ resource: "https://api.example/mcp?tenant=a" });
    expect(createResourceMetadataResponse(tenant, { method: "GET", url: `${path}?tenant=a` }).status).toBe(200);
    expect(createResourceMetadataResponse(tenant, { method: "GET", url: `${path}?tenant=b` }).status).toBe(404);
  });

  test("createResourceMetadataResponse() refuses arguments that are not metadata and a request", () => {
    expect(() => createResourceMetadataResponse({} as never, { method: "GET", url: path })).toThrow(TypeError);
    expect(() => createResourceMetadataResponse(metadata, null as never)).toThrow(TypeError);
    expect(() => createResourceMetadataResponse(metadata, { method: 1, url: path } as never)).toThrow(TypeError);
  });
});
