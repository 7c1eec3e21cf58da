// One Basic-protected server per process, for the HTTP-level benchmark:
//   node benchmarks/lib/http-servers.mjs <name>
// Listens on 127.0.0.1 (port chosen by the system), prints `listening <port>`
// on stdout, and answers GET / with 200 "ok" for the right credentials, 401
// with a Basic challenge otherwise. Every server checks the same user and
// password; each does it the way its stack is meant to be used.

import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

export const USERNAME = "bench";
export const PASSWORD = "s3cret-password";
export const REALM = "bench";

/** The servers, in the order they are measured; `httpauth` (@httpauth/node) last, as it is the newest package. */
export const SERVERS = [
  {
    name: "bare server, header checked by hand",
    id: "bare",
    description: "node:http; Buffer base64 decode, split at ':', node:crypto timingSafeEqual; a fixed 401",
  },
  {
    name: "@httpauth/core on node:http, wired by hand",
    id: "core",
    description: "createAuthenticator([basicAuth]).authenticate() called from a node:http handler; no adapter",
  },
  {
    name: "express + express-basic-auth",
    id: "express",
    description: "express 5 with express-basic-auth ({ users, challenge: true, realm })",
  },
  {
    name: "hono basicAuth",
    id: "hono",
    description: "hono's basicAuth middleware ({ username, password, realm }) served by @hono/node-server",
  },
  {
    name: "@httpauth/node protect()",
    id: "httpauth",
    description: "createServer(protect(handler, createAuthenticator([basicAuth])))",
  },
];

const expectedUser = Buffer.from(USERNAME);
const expectedPassword = Buffer.from(PASSWORD);

/** Constant-time comparison of a received string with an expected one (lengths may differ). */
function safeEqual(received, expected) {
  const bytes = Buffer.from(received);
  return bytes.length === expected.length && timingSafeEqual(bytes, expected);
}

function verify(username, password) {
  const userMatches = safeEqual(username, expectedUser);
  const passwordMatches = safeEqual(password, expectedPassword);
  return userMatches && passwordMatches ? username : undefined;
}

const CHALLENGE = `Basic realm="${REALM}", charset="UTF-8"`;

async function bare() {
  return createServer((request, response) => {
    const header = request.headers.authorization;
    if (header?.startsWith("Basic ")) {
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon !== -1 && verify(decoded.slice(0, colon), decoded.slice(colon + 1)) !== undefined) {
        response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
        response.end("ok");
        return;
      }
    }
    response.writeHead(401, { "www-authenticate": CHALLENGE, "content-type": "text/plain; charset=utf-8" });
    response.end("401 Unauthorized\n");
  });
}

async function core() {
  const { basicAuth, createAuthenticator } = await import("@httpauth/core");
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: REALM, verify })] });
  return createServer(async (request, response) => {
    const outcome = await authenticator.authenticate({
      method: request.method,
      url: request.url,
      header: (name) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value.join(", ") : value;
      },
    });
    if (!outcome.ok) {
      response.statusCode = outcome.status;
      for (const [name, value] of outcome.headers) response.appendHeader(name, value);
      response.end(outcome.body);
      return;
    }
    response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
    response.end("ok");
  });
}

async function httpauth() {
  const { basicAuth, createAuthenticator } = await import("@httpauth/core");
  const { protect } = await import("@httpauth/node");
  if (typeof protect !== "function") throw new Error("@httpauth/node does not export protect() yet");
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: REALM, verify })] });
  return createServer(
    protect((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end("ok");
    }, authenticator),
  );
}

async function express() {
  const { default: createApp } = await import("express");
  const { default: basicAuth } = await import("express-basic-auth");
  const app = createApp();
  app.use(basicAuth({ users: { [USERNAME]: PASSWORD }, challenge: true, realm: REALM }));
  app.get("/", (_request, response) => response.type("text/plain").send("ok"));
  return createServer(app);
}

async function hono() {
  const { Hono } = await import("hono");
  const { basicAuth } = await import("hono/basic-auth");
  const { getRequestListener } = await import("@hono/node-server");
  const app = new Hono();
  app.use(basicAuth({ username: USERNAME, password: PASSWORD, realm: REALM }));
  app.get("/", (context) => context.text("ok"));
  return createServer(getRequestListener(app.fetch));
}

const FACTORIES = { bare, core, httpauth, express, hono };

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const id = process.argv[2];
  const factory = FACTORIES[id];
  if (factory === undefined) {
    console.error(`unknown server ${id}; one of ${Object.keys(FACTORIES).join(", ")}`);
    process.exit(2);
  }
  try {
    const server = await factory();
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
  } catch (error) {
    console.log(`unavailable ${String(error?.message ?? error).split("\n")[0]}`);
    process.exit(3);
  }
}
