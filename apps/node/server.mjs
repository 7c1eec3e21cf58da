// @ts-check
// The httpauth demo on Node: node:http, each route guarded by @httpauth/node's protect().
// `pnpm start`; settings from HOST, PORT (default 8080), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN.

import { createServer } from "node:http";
import { protect } from "@httpauth/node";
import { banner, createAuthenticators, greeting, indexPage, readAddress, readCredentials } from "../shared/demo.mjs";

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
