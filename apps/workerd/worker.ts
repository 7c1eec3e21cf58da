// The httpauth demo as a Worker (workerd, Cloudflare Workers): each route guarded by
// @httpauth/web's protect(). start.mjs bundles this file and serves it with workerd;
// DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN and HTTPAUTH_SECRET arrive as text bindings in `env`.

import { createResourceMetadataHandler, protect } from "@httpauth/web";
import {
  createAuthenticators,
  DPOP_TOKEN_PATH,
  dpopTokenHandler,
  greeting,
  indexPage,
  OAUTH_METADATA_PATH,
  readCredentials,
  readSecret,
  requestOrigin,
  resourceMetadataFor,
} from "../shared/demo.mjs";

const RUNTIME = "workerd (a Worker)";

interface Env {
  DEMO_USER?: string;
  DEMO_PASSWORD?: string;
  DEMO_TOKEN?: string;
  /** Digest's nonce key; empty or unset: random. */
  HTTPAUTH_SECRET?: string;
}

type Handler = (request: Request) => Promise<Response>;

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

// protect() answers every request it does not let through (401 with the challenges, 403, …)
// and calls the handler with { identity, scheme } otherwise. workerd sends several challenges
// on one line: each route lists first the scheme browsers should use (see ../shared/demo.mjs),
// and only the first Digest algorithm is offered (digestChallenges: "first", the default).
function createRoutes(env: Env): Map<string, Handler> {
  const read = (name: string) => env[name as keyof Env];
  const credentials = readCredentials(read);
  const routes = new Map<string, Handler>(
    // Cloudflare's edge sets CF-Connecting-IP (never trust it from a client that reaches the Worker
    // directly); workerd on its own knows no client address, so failures are then counted per user.
    [...createAuthenticators(credentials, { secret: readSecret(read), missingClientAddress: "count-by-identity" })].map(
      ([path, authenticator]) => [
        path,
        protect((_request, auth) => text(greeting(path, auth)), authenticator, {
          clientAddress: (request) => request.headers.get("CF-Connecting-IP") ?? undefined,
        }),
      ],
    ),
  );
  // The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to.
  routes.set(
    OAUTH_METADATA_PATH,
    createResourceMetadataHandler((request) => resourceMetadataFor(requestOrigin(request))),
  );
  // The demo DPoP token endpoint (RFC 9449 §5): POST a form and a DPoP proof, get a DPoP-bound token for /dpop.
  routes.set(DPOP_TOKEN_PATH, dpopTokenHandler);
  return routes;
}

// Built on the first request, not at start-up (where workerd allows no random numbers),
// and kept: Digest's nonce counts live in the authenticators.
let routes: Map<string, Handler> | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> | Response {
    routes ??= createRoutes(env);
    const { pathname } = new URL(request.url);
    const route = routes.get(pathname);
    if (route !== undefined) return route(request);
    return pathname === "/" ? text(indexPage(RUNTIME)) : text("404 Not Found\n", 404);
  },
};
