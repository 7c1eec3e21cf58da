// @ts-check
// The checks of apps/mcp: an MCP server behind httpauth, driven by the MCP TypeScript SDK's own
// client (Client + StreamableHTTPClientTransport with a token provider) and by the SDK's own
// OAuth discovery helpers, which must read our `resource_metadata` and fetch our document.

import { parseChallenges, parseResourceMetadata } from "@httpauth/core";
import {
  discoverOAuthProtectedResourceMetadata,
  extractWWWAuthenticateParams,
  UnauthorizedError,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const TOKEN = "demo-token";
const SCOPE = "mcp:tools";
const TIMEOUT_MS = 20_000;

/**
 * @param {unknown} condition
 * @param {string} message
 * @returns {asserts condition}
 */
function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/**
 * The SDK's OAuthClientProvider with a token and nothing else: a client that already holds one.
 * @param {string} token
 * @returns {import("@modelcontextprotocol/sdk/client/auth.js").OAuthClientProvider}
 */
function tokenProvider(token) {
  const refuse = () => {
    throw new Error("the token provider has no authorization flow");
  };
  return {
    redirectUrl: "http://127.0.0.1/callback",
    clientMetadata: { redirect_uris: ["http://127.0.0.1/callback"], client_name: "httpauth e2e" },
    clientInformation: () => undefined,
    tokens: () => ({ access_token: token, token_type: "Bearer" }),
    saveTokens: () => {},
    redirectToAuthorization: refuse,
    saveCodeVerifier: () => {},
    codeVerifier: refuse,
  };
}

/**
 * A fetch that records every URL the SDK asks for, and answers for the demo issuer (which does not
 * exist: nothing may leave the machine) with 404, as an authorization server without metadata would.
 * @param {string[]} seen
 * @returns {typeof fetch}
 */
function recordingFetch(seen) {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    seen.push(url);
    if (new URL(url).hostname === "issuer.example") return new Response("404 Not Found\n", { status: 404 });
    return fetch(input, init);
  };
}

/**
 * @param {string} origin
 * @param {string} [token]
 * @param {string[]} [seen]  Filled with the URLs the SDK fetched.
 */
async function connect(origin, token = TOKEN, seen = []) {
  const client = new Client({ name: "httpauth-e2e", version: "0.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), {
    authProvider: tokenProvider(token),
    fetch: recordingFetch(seen),
  });
  await client.connect(transport);
  return client;
}

/** @type {import("./checks.mjs").Check[]} */
export const MCP_CHECKS = [
  {
    name: "the SDK's Client with StreamableHTTPClientTransport and a token provider lists the tools and calls one",
    run: async (t) => {
      const client = await connect(t.origin);
      try {
        const { tools } = await client.listTools();
        const names = tools.map((tool) => tool.name).sort();
        expect(JSON.stringify(names) === '["add","whoami"]', `tools ${JSON.stringify(names)}`);
        const result = await client.callTool({ name: "add", arguments: { a: 2, b: 40 } });
        const content = /** @type {Array<{ type: string, text?: string }>} */ (result.content);
        expect(content[0]?.text === "42", `add(2, 40) gave ${JSON.stringify(result.content)}`);
        return `tools ${names.join(", ")}; add(2, 40) = 42`;
      } finally {
        await client.close();
      }
    },
  },
  {
    name: "a wrong token: the SDK's client does not connect, and its auth flow follows our resource_metadata",
    run: async (t) => {
      /** @type {string[]} */
      const seen = [];
      let caught;
      try {
        const client = await connect(t.origin, "not-the-token", seen);
        await client.close();
      } catch (error) {
        caught = error;
      }
      expect(caught !== undefined, "the client connected with a wrong token");
      const metadataURL = `${t.origin}/.well-known/oauth-protected-resource/mcp`;
      expect(seen.includes(metadataURL), `the SDK never fetched ${metadataURL}; it fetched ${seen.join(", ")}`);
      expect(
        seen.some((url) => url.startsWith("https://issuer.example/")),
        `the SDK never asked the issuer our document names; it fetched ${seen.join(", ")}`,
      );
      // With no registration support in the token provider, the flow stops there.
      const why = caught instanceof UnauthorizedError ? "UnauthorizedError" : String(caught).slice(0, 80);
      return `fetched our metadata, then ${seen.filter((url) => url.includes("issuer.example")).length} issuer URL(s); stopped: ${why}`;
    },
  },
  {
    name: "no token: 401 whose resource_metadata the SDK's extractWWWAuthenticateParams reads",
    run: async (t) => {
      const response = await fetch(`${t.origin}/mcp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.text();
      expect(response.status === 401, `status ${response.status}`);
      const expected = `${t.origin}/.well-known/oauth-protected-resource/mcp`;
      const sdk = extractWWWAuthenticateParams(response);
      expect(sdk.resourceMetadataUrl?.href === expected, `the SDK read ${sdk.resourceMetadataUrl?.href}`);
      const [ours] = parseChallenges(response.headers.get("www-authenticate") ?? "");
      expect(ours?.params.resource_metadata === expected, `our reader read ${ours?.params.resource_metadata}`);
      expect(
        /WWW-Authenticate/.test(response.headers.get("access-control-expose-headers") ?? ""),
        "WWW-Authenticate is not exposed to browsers",
      );
      return `resource_metadata=${sdk.resourceMetadataUrl?.href}`;
    },
  },
  {
    name: "the SDK's discoverOAuthProtectedResourceMetadata fetches our document, by the challenge's URL and by path insertion",
    run: async (t) => {
      const resource = `${t.origin}/mcp`;
      const url = `${t.origin}/.well-known/oauth-protected-resource/mcp`;
      const byChallenge = await discoverOAuthProtectedResourceMetadata(resource, { resourceMetadataUrl: url });
      const byPath = await discoverOAuthProtectedResourceMetadata(resource);
      for (const metadata of [byChallenge, byPath]) {
        expect(metadata.resource === resource, `resource ${metadata.resource}`);
        expect(metadata.authorization_servers?.[0] === "https://issuer.example", "no demo issuer");
        expect(metadata.scopes_supported?.includes(SCOPE), `scopes_supported ${metadata.scopes_supported}`);
      }
      // And our own client-side check of RFC 9728 §3.3.
      parseResourceMetadata(JSON.stringify(byChallenge), { resource });
      return `resource ${byChallenge.resource}, issuer ${byChallenge.authorization_servers?.[0]}`;
    },
  },
  {
    name: "the metadata document: GET 200 JSON for any origin, HEAD 200, POST 405 with Allow",
    run: async (t) => {
      const url = `${t.origin}/.well-known/oauth-protected-resource/mcp`;
      const get = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      await get.text();
      expect(get.status === 200, `GET ${get.status}`);
      expect(get.headers.get("content-type") === "application/json", `type ${get.headers.get("content-type")}`);
      expect(get.headers.get("access-control-allow-origin") === "*", "not readable from other origins");
      const head = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(TIMEOUT_MS) });
      expect(head.status === 200, `HEAD ${head.status}`);
      const post = await fetch(url, { method: "POST", signal: AbortSignal.timeout(TIMEOUT_MS) });
      await post.text();
      expect(post.status === 405 && post.headers.get("allow") === "GET, HEAD, OPTIONS", `POST ${post.status}`);
      return undefined;
    },
  },
];
