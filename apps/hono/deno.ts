// The httpauth demo with hono on Deno (Deno.serve). `pnpm start:deno`; settings from HOST,
// PORT (default 8084), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN.

import { banner, readAddress, readCredentials } from "../shared/demo.mjs";
import { createApp } from "./app.mjs";

const RUNTIME = "hono on Deno (Deno.serve)";
const address = readAddress((name) => Deno.env.get(name), 8084);
const credentials = readCredentials((name) => Deno.env.get(name));
const app = createApp(RUNTIME, credentials);

Deno.serve(
  {
    hostname: address.host,
    port: address.port,
    onListen: ({ port }) => console.log(banner(RUNTIME, { host: address.host, port }, credentials)),
  },
  app.fetch,
);
