// @ts-check
// An MCP server (Model Context Protocol, Streamable HTTP transport of @modelcontextprotocol/sdk) whose
// endpoint /mcp is an OAuth 2.0 protected resource guarded by @httpauth/node: Bearer tokens, scope
// mcp:tools, `resource_metadata` on every challenge (RFC 9728 §5.1), and the Protected Resource
// Metadata document served at /.well-known/oauth-protected-resource/mcp. Beside it, the demos' DPoP pair
// (RFC 9449, apps/shared/demo.mjs): POST /dpop/token, a demo token endpoint, and GET /dpop, which takes its tokens.
// `pnpm start`; settings from HOST, PORT (default 8090), DEMO_TOKEN (default demo-token), HTTPAUTH_SECRET
// (the DPoP nonce key; random when unset).

import { createServer } from "node:http";
import { bearerAuth, createAuthenticator, createResourceMetadata } from "@httpauth/core";
import { createResourceMetadataHandler, protect } from "@httpauth/node";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";
import {
  createAuthenticators,
  DPOP_RESOURCE_PATH,
  DPOP_TOKEN_PATH,
  dpopTokenNodeHandler,
  greeting,
  readCredentials,
  readSecret,
} from "../shared/demo.mjs";

const host = process.env.HOST || "127.0.0.1";
const portText = process.env.PORT || "8090";
if (!/^\d+$/.test(portText) || Number(portText) > 65535) {
  throw new RangeError(`PORT must be a number from 0 to 65535, not ${portText}`);
}
const token = process.env.DEMO_TOKEN || "demo-token";
/** The issuer the metadata names: the demo has no authorization server of its own. */
const ISSUER = process.env.MCP_ISSUER || "https://issuer.example";
const SCOPE = "mcp:tools";

/** @type {Map<string, import("@httpauth/core").ResourceMetadata>} */
const metadataByOrigin = new Map();

/**
 * The metadata of /mcp at the origin the request was sent to. The server listens on loopback, so the
 * Host header names a loopback origin; another one is refused by createResourceMetadata (TypeError, 500).
 * @param {{ headers: import("node:http").IncomingHttpHeaders }} request
 */
function metadataFor(request) {
  const origin = new URL(`http://${request.headers.host || `${host}:${portText}`}`).origin;
  let metadata = metadataByOrigin.get(origin);
  if (metadata === undefined) {
    metadata = createResourceMetadata({
      resource: `${origin}/mcp`,
      authorization_servers: [ISSUER],
      scopes_supported: [SCOPE],
      bearer_methods_supported: ["header"],
      resource_name: "httpauth MCP demo",
    });
    if (metadataByOrigin.size >= 8) metadataByOrigin.clear();
    metadataByOrigin.set(origin, metadata);
  }
  return metadata;
}

const authenticator = createAuthenticator({
  schemes: [
    bearerAuth({
      scopes: [SCOPE],
      resourceMetadata: (request) => metadataFor({ headers: { host: request.header("host") ?? undefined } }),
      verify: (given) => (given === token ? { identity: "demo-user", scopes: [SCOPE] } : undefined),
    }),
  ],
  exposeHeaders: true,
});

/** A new MCP server with the demo's tools: one per request, as the SDK's stateless mode expects. */
function createMcpServer() {
  const server = new McpServer({ name: "httpauth-mcp-demo", version: "0.0.0" });
  server.registerTool(
    "add",
    { description: "Adds two numbers", inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: "text", text: String(a + b) }] }),
  );
  server.registerTool("whoami", { description: "Who the access token stands for" }, async (extra) => ({
    content: [{ type: "text", text: String(extra.authInfo?.clientId) }],
  }));
  return server;
}

const serveMetadata = createResourceMetadataHandler(metadataFor);

// DPoP (RFC 9449), as in the other demos: the shared /dpop authenticator (server nonces on) and token endpoint.
const env = (/** @type {string} */ name) => process.env[name];
const dpopAuthenticator = createAuthenticators(readCredentials(env), { secret: readSecret(env) }).get(
  DPOP_RESOURCE_PATH,
);
if (dpopAuthenticator === undefined) throw new Error(`the shared demo has no ${DPOP_RESOURCE_PATH} route`);
const dpopResource = protect((request, response) => {
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  response.end(greeting(DPOP_RESOURCE_PATH, request.auth));
}, dpopAuthenticator);

const mcp = protect(async (request, response) => {
  const server = createMcpServer();
  const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true }); // stateless: no sessionIdGenerator
  response.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  // The SDK hands `request.auth` to tools as their authInfo: say who the token stands for.
  const authInfo = { token, clientId: String(request.auth.identity), scopes: [SCOPE] };
  await transport.handleRequest(Object.assign(request, { auth: authInfo }), response);
}, authenticator);

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  if (pathname === "/mcp") {
    void mcp(request, response);
    return;
  }
  if (pathname.startsWith("/.well-known/oauth-protected-resource")) {
    serveMetadata(request, response);
    return;
  }
  if (pathname === DPOP_TOKEN_PATH) return dpopTokenNodeHandler(request, response);
  if (pathname === DPOP_RESOURCE_PATH) return void dpopResource(request, response);
  response.statusCode = pathname === "/" ? 200 : 404;
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  response.end(
    pathname === "/" ? "httpauth MCP demo: POST /mcp with Authorization: Bearer <token>\n" : "404 Not Found\n",
  );
});

server.listen(Number(portText), host, () => {
  const bound = /** @type {import("node:net").AddressInfo} */ (server.address());
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${bound.port}`;
  console.log(
    [
      `httpauth MCP demo: ${origin}/mcp (Streamable HTTP)`,
      `metadata: ${origin}/.well-known/oauth-protected-resource/mcp`,
      `token:    ${token}  (DEMO_TOKEN), scope ${SCOPE}`,
      `DPoP:     POST ${origin}${DPOP_TOKEN_PATH}, then GET ${origin}${DPOP_RESOURCE_PATH} (RFC 9449, server nonces on)`,
      "",
      "try:",
      `  curl -i -X POST ${origin}/mcp    # 401 with resource_metadata`,
      `  curl ${origin}/.well-known/oauth-protected-resource/mcp`,
      "",
      "Ctrl-C stops the server.",
    ].join("\n"),
  );
});

function stop() {
  console.log("\nhttpauth MCP demo stopped.");
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(signal, stop);
