// @ts-check
// The httpauth demo on fastify 5: each route guarded by an onRequest hook of
// @httpauth/node/fastify's plugin. `pnpm start`; settings from HOST, PORT (default 8084),
// DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN, HTTPAUTH_SECRET.

import { createResourceMetadataResponse } from "@httpauth/core";
import { httpAuthPlugin } from "@httpauth/node/fastify";
import Fastify from "fastify";
import {
  banner,
  createAuthenticators,
  DPOP_TOKEN_PATH,
  dpopTokenResponse,
  greeting,
  indexPage,
  MAX_TOKEN_REQUEST_BODY,
  OAUTH_METADATA_PATH,
  readAddress,
  readCredentials,
  readSecret,
  requestOrigin,
  resourceMetadataFor,
} from "../shared/demo.mjs";

const RUNTIME = "Node (fastify)";
const address = readAddress((name) => process.env[name], 8084);
const credentials = readCredentials((name) => process.env[name]);

const app = Fastify();
await app.register(httpAuthPlugin);

for (const [path, authenticator] of createAuthenticators(credentials, {
  secret: readSecret((name) => process.env[name]),
})) {
  // The hook answers every request it does not let through (401 with one challenge per line,
  // 403, …) through reply, and sets request.auth = { identity, scheme } otherwise.
  app.get(path, { onRequest: app.httpAuth(authenticator) }, async (request, reply) => {
    reply.type("text/plain; charset=utf-8");
    return greeting(path, /** @type {import("@httpauth/core").AuthContext<string>} */ (request.auth));
  });
}
// The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to.
app.route({
  method: ["GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH"],
  url: OAUTH_METADATA_PATH,
  handler: async (request, reply) => {
    const origin = requestOrigin({ url: request.url, header: (name) => request.headers[name]?.toString() });
    const answer = createResourceMetadataResponse(resourceMetadataFor(origin), {
      method: request.method,
      url: request.url,
    });
    for (const [name, value] of answer.headers) reply.header(name, value);
    return reply.code(answer.status).send(answer.body);
  },
});
// The demo DPoP token endpoint (RFC 9449 §5): POST a form and a DPoP proof, get a DPoP-bound token for /dpop.
// fastify reads the body: forms arrive as text, at most MAX_TOKEN_REQUEST_BODY bytes (413 beyond).
app.addContentTypeParser(
  "application/x-www-form-urlencoded",
  { parseAs: "string", bodyLimit: MAX_TOKEN_REQUEST_BODY },
  (_request, body, done) => done(null, body),
);
app.route({
  method: ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"],
  url: DPOP_TOKEN_PATH,
  handler: async (request, reply) => {
    const answer = await dpopTokenResponse({
      method: request.method,
      url: request.url,
      header: (name) => request.headers[name]?.toString(),
      body: typeof request.body === "string" ? request.body : undefined,
    });
    for (const [name, value] of answer.headers) reply.header(name, value);
    return reply.code(answer.status).send(answer.body);
  },
});
app.get("/", async (_request, reply) => reply.type("text/plain; charset=utf-8").send(indexPage(RUNTIME)));
app.setNotFoundHandler(async (_request, reply) =>
  reply.code(404).type("text/plain; charset=utf-8").send("404 Not Found\n"),
);

await app.listen({ host: address.host, port: address.port });
const bound = /** @type {import("node:net").AddressInfo} */ (app.server.address());
console.log(banner(RUNTIME, { host: address.host, port: bound.port }, credentials));

/** Stops accepting, closes the connections and exits 0: a clean stop, not a failure. */
function stop() {
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  console.log("\nhttpauth demo stopped.");
  app.server.closeAllConnections();
  void app.close().then(() => process.exit(0));
}

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(signal, stop);

// Ctrl-C and Ctrl-D on a terminal read as keys, so that pnpm exits 0 too (see apps/node/server.mjs).
if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on("data", (data) => {
    if (data.includes(0x03) || data.includes(0x04)) stop();
  });
}
