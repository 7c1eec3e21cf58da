// @ts-check
// The httpauth demo with hono on Node (@hono/node-server). `pnpm start`; settings from HOST,
// PORT (default 8086), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN, HTTPAUTH_SECRET.

import { serve } from "@hono/node-server";
import { banner, readAddress, readCredentials, readSecret } from "../shared/demo.mjs";
import { createApp } from "./app.mjs";

const RUNTIME = "hono on Node (@hono/node-server)";
const address = readAddress((name) => process.env[name], 8086);
const credentials = readCredentials((name) => process.env[name]);
const app = createApp(RUNTIME, credentials, {
  secret: readSecret((name) => process.env[name]),
  // @hono/node-server hands the node:http request over as c.env.incoming.
  clientAddress: (c) => c.env.incoming?.socket?.remoteAddress,
});

const server = serve({ fetch: app.fetch, hostname: address.host, port: address.port }, (info) => {
  console.log(banner(RUNTIME, { host: address.host, port: info.port }, credentials));
});

// SIGINT and SIGTERM: stop accepting, close the connections, exit 0.
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    console.log("\nhttpauth demo stopped.");
    server.close(() => process.exit(0));
    if ("closeAllConnections" in server) server.closeAllConnections();
  });
}
