// @ts-check
// The httpauth demo on Node: node:http, each route guarded by @httpauth/node's protect().
// `pnpm start`; settings from HOST, PORT (default 8080), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN.

import { createServer } from "node:http";
import { createResourceMetadataHandler, protect } from "@httpauth/node";
import {
  banner,
  createAuthenticators,
  greeting,
  indexPage,
  OAUTH_METADATA_PATH,
  readAddress,
  readCredentials,
  requestOrigin,
  resourceMetadataFor,
} from "../shared/demo.mjs";

const RUNTIME = "Node (node:http)";
const address = readAddress((name) => process.env[name], 8080);
const credentials = readCredentials((name) => process.env[name]);

/** @type {Map<string, import("node:http").RequestListener>} */
const routes = new Map();
for (const [path, authenticator] of createAuthenticators(credentials)) {
  // protect() answers every request it does not let through (401 with one challenge per
  // line, 403, …) and calls the handler with request.auth = { identity, scheme } otherwise.
  const handler = protect((request, response) => {
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    response.end(greeting(path, request.auth));
  }, authenticator);
  routes.set(path, handler);
}
// The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to.
routes.set(
  OAUTH_METADATA_PATH,
  createResourceMetadataHandler((request) =>
    resourceMetadataFor(
      requestOrigin({ url: request.url ?? "/", header: (name) => request.headers[name]?.toString() }),
    ),
  ),
);

const server = createServer((request, response) => {
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  const route = routes.get(pathname);
  if (route !== undefined) return route(request, response);
  response.statusCode = pathname === "/" ? 200 : 404;
  response.setHeader("Content-Type", "text/plain; charset=utf-8");
  response.end(pathname === "/" ? indexPage(RUNTIME) : "404 Not Found\n");
});

server.listen(address.port, address.host, () => {
  const bound = /** @type {import("node:net").AddressInfo} */ (server.address());
  console.log(banner(RUNTIME, { host: address.host, port: bound.port }, credentials));
});

/** Stops accepting, closes idle keep-alive connections and exits 0: a clean stop, not a failure. */
function stop() {
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  console.log("\nhttpauth demo stopped.");
  server.close(() => process.exit(0));
  server.closeAllConnections();
}

// SIGINT (kill -INT, Ctrl-C when the server runs bare) and SIGTERM (docker stop, systemd): stop cleanly.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(signal, stop);

// Under `pnpm demo`, Ctrl-C sends SIGINT to the whole foreground process group, pnpm included, and
// pnpm then reports "[ELIFECYCLE] Command failed." and exits non-zero whatever the server does
// (pnpm/pnpm#9938: an interrupted `pnpm run` fails on purpose). On a terminal, read Ctrl-C (and
// Ctrl-D) as keys instead, so that no signal is sent: the server stops, exits 0, and pnpm with it.
if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on("data", (data) => {
    if (data.includes(0x03) || data.includes(0x04)) stop();
  });
}
