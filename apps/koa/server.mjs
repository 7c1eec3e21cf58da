// @ts-check
// The httpauth demo on koa: each route guarded by @httpauth/node/koa's middleware.
// `pnpm start`; settings from HOST, PORT (default 8085), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN.

import { createResourceMetadataResponse } from "@httpauth/core";
import { httpAuth } from "@httpauth/node/koa";
import Koa from "koa";
import {
  banner,
  createAuthenticators,
  DPOP_TOKEN_PATH,
  dpopTokenResponse,
  greeting,
  indexPage,
  OAUTH_METADATA_PATH,
  readAddress,
  readCredentials,
  readSecret,
  readTextBody,
  requestOrigin,
  resourceMetadataFor,
} from "../shared/demo.mjs";

const RUNTIME = "Node (koa)";
const address = readAddress((name) => process.env[name], 8085);
const credentials = readCredentials((name) => process.env[name]);

/** @type {Map<string, import("@httpauth/node/koa").KoaAuthMiddleware>} */
const guards = new Map();
const secret = readSecret((name) => process.env[name]);
for (const [path, authenticator] of createAuthenticators(credentials, { secret })) {
  guards.set(path, httpAuth(authenticator));
}

/** @type {Koa<import("@httpauth/node/koa").KoaAuthState<string>>} */
const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === OAUTH_METADATA_PATH) {
    // The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to.
    const origin = requestOrigin({ url: ctx.url, header: (name) => ctx.get(name) || undefined });
    const answer = createResourceMetadataResponse(resourceMetadataFor(origin), { method: ctx.method, url: ctx.url });
    ctx.status = answer.status;
    for (const [name, value] of answer.headers) ctx.set(name, value);
    ctx.body = answer.body;
    return;
  }
  if (ctx.path === DPOP_TOKEN_PATH) {
    // The demo DPoP token endpoint (RFC 9449 §5): POST a form and a DPoP proof, get a DPoP-bound token for /dpop.
    const body = ctx.method === "POST" ? await readTextBody(ctx.req) : undefined;
    const header = (/** @type {string} */ name) => ctx.get(name) || undefined;
    const answer = await dpopTokenResponse({ method: ctx.method, url: ctx.url, header, body });
    ctx.status = answer.status;
    for (const [name, value] of answer.headers) ctx.set(name, value);
    ctx.body = answer.body;
    return;
  }
  const guard = guards.get(ctx.path);
  ctx.type = "text/plain; charset=utf-8";
  if (guard === undefined) {
    ctx.status = ctx.path === "/" ? 200 : 404;
    ctx.body = ctx.path === "/" ? indexPage(RUNTIME) : "404 Not Found\n";
    return;
  }
  // The middleware answers every request it does not let through (401 with one challenge per
  // line, 403, …) and sets ctx.state.auth = { identity, scheme } before calling next otherwise.
  await guard(ctx, async () => {
    ctx.body = greeting(ctx.path, ctx.state.auth);
  });
});

const server = app.listen(address.port, address.host, () => {
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

for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(signal, stop);

// Ctrl-C and Ctrl-D on a terminal read as keys, so that pnpm exits 0 too (see apps/node/server.mjs).
if (process.stdin.isTTY) {
  process.stdin.setRawMode(true);
  process.stdin.on("data", (data) => {
    if (data.includes(0x03) || data.includes(0x04)) stop();
  });
}
