// The httpauth demo on Deno: Deno.serve, each route guarded by @httpauth/deno's protect().
// `pnpm start`; settings from HOST, PORT (default 8081), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN,
// HTTPAUTH_SECRET (Digest's nonce key; random when unset), DENO_KV_PATH (throttle counts, Digest
// nonce counts and one-time values in that Deno KV file).

import { createResourceMetadataHandler, protect } from "@httpauth/deno";
import {
  banner,
  createAuthenticators,
  DPOP_TOKEN_PATH,
  dpopTokenHandler,
  greeting,
  indexPage,
  OAUTH_METADATA_PATH,
  readAddress,
  readCredentials,
  readSecret,
  requestOrigin,
  resourceMetadataFor,
} from "../shared/demo.mjs";
import { openKvStores } from "./kv-stores.ts";

const RUNTIME = "Deno (Deno.serve)";
const address = readAddress((name) => Deno.env.get(name), 8081);
const credentials = readCredentials((name) => Deno.env.get(name));
const stores = await openKvStores(Deno.env.get("DENO_KV_PATH"));

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

// protect() answers every request it does not let through (401 with one challenge per
// line, 403, …) and calls the handler with { identity, scheme } otherwise.
const routes = new Map<string, (request: Request, info: Deno.ServeHandlerInfo) => Promise<Response>>(
  [...createAuthenticators(credentials, { secret: readSecret((name) => Deno.env.get(name)), stores })].map(
    ([path, authenticator]) => [path, protect((_request, _info, auth) => text(greeting(path, auth)), authenticator)],
  ),
);
// The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to.
routes.set(
  OAUTH_METADATA_PATH,
  createResourceMetadataHandler((request) => resourceMetadataFor(requestOrigin(request))),
);
// The demo DPoP token endpoint (RFC 9449 §5): POST a form and a DPoP proof, get a DPoP-bound token for /dpop.
routes.set(DPOP_TOKEN_PATH, dpopTokenHandler);

Deno.serve(
  {
    hostname: address.host,
    port: address.port,
    onListen: ({ port }) => console.log(banner(RUNTIME, { host: address.host, port }, credentials)),
  },
  (request, info) => {
    const { pathname } = new URL(request.url);
    const route = routes.get(pathname);
    if (route !== undefined) return route(request, info);
    return pathname === "/" ? text(indexPage(RUNTIME)) : text("404 Not Found\n", 404);
  },
);
