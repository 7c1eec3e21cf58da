// The httpauth demo with hono on Bun (Bun.serve). `pnpm start:bun`; settings from HOST,
// PORT (default 8086), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN, HTTPAUTH_SECRET.

import { banner, readAddress, readCredentials, readSecret } from "../shared/demo.mjs";
import { createApp } from "./app.mjs";

const RUNTIME = "hono on Bun (Bun.serve)";
const address = readAddress((name) => Bun.env[name], 8086);
const credentials = readCredentials((name) => Bun.env[name]);
const app = createApp(RUNTIME, credentials, {
  secret: readSecret((name) => Bun.env[name]),
  // hono on Bun: c.env is the server, which knows the peer's address.
  clientAddress: (c) => c.env?.requestIP?.(c.req.raw)?.address,
});

const server = Bun.serve({ hostname: address.host, port: address.port, fetch: app.fetch });
console.log(banner(RUNTIME, { host: address.host, port: server.port ?? address.port }, credentials));
