// The httpauth demo with hono on Bun (Bun.serve). `pnpm start:bun`; settings from HOST,
// PORT (default 8084), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN.

import { banner, readAddress, readCredentials } from "../shared/demo.mjs";
import { createApp } from "./app.mjs";

const RUNTIME = "hono on Bun (Bun.serve)";
const address = readAddress((name) => Bun.env[name], 8084);
const credentials = readCredentials((name) => Bun.env[name]);
const app = createApp(RUNTIME, credentials);

const server = Bun.serve({ hostname: address.host, port: address.port, fetch: app.fetch });
console.log(banner(RUNTIME, { host: address.host, port: server.port ?? address.port }, credentials));
