// The httpauth demo on Bun: Bun.serve's routes, each guarded by @httpauth/bun's protect().
// `pnpm start`; settings from HOST, PORT (default 8082), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN.

import { createResourceMetadataHandler, protect } from "@httpauth/bun";
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

const RUNTIME = "Bun (Bun.serve)";
const address = readAddress((name) => Bun.env[name], 8082);
const credentials = readCredentials((name) => Bun.env[name]);

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

// protect() answers every request it does not let through (401 with the challenges, 403, …)
// and calls the handler with { identity, scheme } otherwise. Bun sends several challenges
// on one line: each route lists first the scheme browsers should use (see ../shared/demo.mjs).
const routes = Object.fromEntries(
  [...createAuthenticators(credentials)].map(([path, authenticator]) => [
    path,
    protect((_request, _server, auth) => text(greeting(path, auth)), authenticator),
  ]),
);

const server = Bun.serve({
  hostname: address.host,
  port: address.port,
  routes: {
    "/": () => text(indexPage(RUNTIME)),
    ...routes,
    // The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to.
    [OAUTH_METADATA_PATH]: createResourceMetadataHandler((request) => resourceMetadataFor(requestOrigin(request))),
  },
  fetch: () => text("404 Not Found\n", 404),
});

console.log(banner(RUNTIME, { host: address.host, port: server.port ?? address.port }, credentials));
