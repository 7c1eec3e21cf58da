// One Basic-protected @httpauth/node server per process, for the store benchmark:
//   node benchmarks/lib/store-servers.mjs <id>        (REDIS_URL for the Redis one)
// Prints `listening <port>`; GET / answers 200 "ok" for the right credentials, 401 otherwise.
// The same authenticator in each; only where the throttle counts differs.

import { createServer } from "node:http";
import { PASSWORD, REALM, USERNAME } from "./http-servers.mjs";

export const STORE_SERVERS = [
  {
    id: "none",
    name: "no throttle",
    description: "protect(handler, createAuthenticator([basicAuth])): no store at all",
  },
  {
    id: "memory",
    name: "throttle, in-memory store",
    description: "the same with throttle on, counted by createMemoryThrottleStore() (the default)",
  },
  {
    id: "redis",
    name: "throttle, Redis store",
    description:
      "the same with throttle on, counted by createRedisStore(node-redis 6) on a local redis-server: one EVALSHA per hit, release or reset",
  },
];

/** High enough that the 401 path is never throttled while it is measured (1e9 per address too). */
const MAX_FAILURES = 1_000_000;

function verify(username, password) {
  return username === USERNAME && password === PASSWORD ? username : undefined;
}

async function createStore(id) {
  if (id === "none") return undefined;
  const { createMemoryThrottleStore } = await import("@httpauth/core");
  if (id === "memory") return createMemoryThrottleStore();
  const { createClient } = await import("redis");
  const { createRedisStore } = await import("@httpauth/redis");
  const client = await createClient({ url: process.env.REDIS_URL }).connect();
  return createRedisStore(client, { prefix: `bench-${process.pid}:` });
}

async function serve(id) {
  const { basicAuth, createAuthenticator } = await import("@httpauth/core");
  const { protect } = await import("@httpauth/node");
  const store = await createStore(id);
  const throttle =
    store === undefined
      ? undefined
      : { maxFailures: MAX_FAILURES, maxFailuresPerAddress: MAX_FAILURES * 1000, window: 3600, store };
  const authenticator = createAuthenticator({ schemes: [basicAuth({ realm: REALM, verify })], throttle });
  return createServer(
    protect((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end("ok");
    }, authenticator),
  );
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const id = process.argv[2];
  if (!STORE_SERVERS.some((server) => server.id === id)) {
    console.error(`unknown server ${id}; one of ${STORE_SERVERS.map((server) => server.id).join(", ")}`);
    process.exit(2);
  }
  try {
    const server = await serve(id);
    server.keepAliveTimeout = 60_000;
    server.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
  } catch (error) {
    console.log(`unavailable ${String(error?.message ?? error).split("\n")[0]}`);
    process.exit(3);
  }
}
