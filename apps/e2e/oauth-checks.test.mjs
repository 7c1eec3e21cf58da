// The OAuth checks of oauth-checks.mjs against a stand-in for an app's GET /oauth/resource: a
// node:http server written here from the description (Bearer demo-token, scope read,
// resource_metadata pointing at the document it serves). The real apps get their route on
// another branch; this keeps the checks honest until they run against them, and shows that each
// check fails when the server gets the RFC 9728 §3.3 resource wrong.

import { createServer } from "node:http";
import { afterAll, beforeAll, expect, test } from "vitest";
import { METADATA_PATH, OAUTH_CHECKS, OAUTH_PATH, OAUTH_TOKEN } from "./oauth-checks.mjs";

/** @type {import("node:http").Server} */
let server;
/** @type {{ origin: string, port: number }} */
let context;
let wrongResource = false;

beforeAll(async () => {
  server = createServer((request, response) => {
    const origin = context.origin;
    if (request.url === METADATA_PATH) {
      response.writeHead(200, { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*" });
      response.end(
        JSON.stringify({
          resource: wrongResource ? `${origin}/elsewhere` : `${origin}${OAUTH_PATH}`,
          authorization_servers: ["https://issuer.example"],
          scopes_supported: ["read"],
        }),
      );
      return;
    }
    if (request.url !== OAUTH_PATH) {
      response.writeHead(404).end();
      return;
    }
    const authorization = request.headers.authorization;
    if (authorization === `Bearer ${OAUTH_TOKEN}`) {
      response.writeHead(200, { "Content-Type": "text/plain" }).end("hello");
      return;
    }
    const error = authorization === undefined ? "" : ', error="invalid_token"';
    response.writeHead(401, {
      "WWW-Authenticate": `Bearer realm="httpauth demo", resource_metadata="${origin}${METADATA_PATH}", scope="read"${error}`,
    });
    response.end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  context = { origin: `http://127.0.0.1:${port}`, port };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(() => resolve(undefined)));
});

for (const check of OAUTH_CHECKS) {
  test(`e2e check passes against the stand-in: ${check.name}`, async () => {
    wrongResource = false;
    await check.run(context);
  });
}

test("the metadata checks fail when the document names another resource (RFC 9728 §3.3)", async () => {
  wrongResource = true;
  const failing = [];
  for (const check of OAUTH_CHECKS) {
    try {
      await check.run(context);
    } catch {
      failing.push(check.name);
    }
  }
  wrongResource = false;
  expect(failing).toHaveLength(3);
});
