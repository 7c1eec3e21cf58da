// The httpauth demo on Bun: Bun.serve's routes, each guarded by @httpauth/bun's protect().
// `pnpm start`; settings from HOST, PORT (default 8082), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN,
// HTTPAUTH_SECRET (Digest's nonce key; random when unset) and REDIS_URL (redis://…: keep the
// throttle and Digest's nonce counts in that Redis or Valkey through Bun's RedisClient, shared
// by every instance; in memory when unset).

import { createResourceMetadataHandler, protect } from "@httpauth/bun";
import { createRedisStore } from "@httpauth/redis";
import { RedisClient } from "bun";
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

const RUNTIME = "Bun (Bun.serve)";
const env = (name: string) => Bun.env[name];
const address = readAddress(env, 8082);
const credentials = readCredentials(env);
const redisURL = env("REDIS_URL");
const redis = redisURL ? await connectRedis(redisURL) : undefined;

/**
 * Bun's RedisClient on `url`. Bun stops reconnecting after its retries and then runs
 * `onclose`: try again every second, so the app recovers once Redis is back. While Redis is
 * away, guarded routes answer 500.
 */
async function connectRedis(url: string): Promise<RedisClient> {
  const client = new RedisClient(url, { enableOfflineQueue: false });
  client.onclose = (error) => {
    console.error(`Redis at ${url}: ${error?.message ?? "closed"}; guarded routes answer 500 until it is back`);
    const retry = () => client.connect().catch(() => setTimeout(retry, 1_000));
    setTimeout(retry, 1_000);
  };
  await client.connect();
  return client;
}

function text(body: string, status = 200): Response {
  return new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

const store = redis === undefined ? undefined : createRedisStore(redis, { prefix: "httpauth-demo:" });
const authenticators = createAuthenticators(credentials, {
  secret: readSecret(env),
  stores: store === undefined ? {} : { throttle: store, nonceCounts: store },
});

// protect() answers every request it does not let through (401 with the challenges, 403, …)
// and calls the handler with { identity, scheme } otherwise. Bun sends several challenges
// on one line: each route lists first the scheme browsers should use (see ../shared/demo.mjs),
// and only the first Digest algorithm is offered (digestChallenges: "first", the default).
const routes = Object.fromEntries(
  [...authenticators].map(([path, authenticator]) => [
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
    // The demo DPoP token endpoint (RFC 9449 §5): POST a form and a DPoP proof, get a DPoP-bound token for /dpop.
    [DPOP_TOKEN_PATH]: dpopTokenHandler,
  },
  fetch: () => text("404 Not Found\n", 404),
});

console.log(redis === undefined ? "state: in memory (set REDIS_URL to share it)" : `state: Redis (${redisURL})`);
console.log(banner(RUNTIME, { host: address.host, port: server.port ?? address.port }, credentials));
