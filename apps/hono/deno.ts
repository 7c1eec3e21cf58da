// The httpauth demo with hono on Deno (Deno.serve). `pnpm start:deno`; settings from HOST,
// PORT (default 8086), DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN, HTTPAUTH_SECRET.

import { banner, readAddress, readCredentials, readSecret } from "../shared/demo.mjs";
import { createApp } from "./app.mjs";

const RUNTIME = "hono on Deno (Deno.serve)";
const address = readAddress((name) => Deno.env.get(name), 8086);
const credentials = readCredentials((name) => Deno.env.get(name));
const app = createApp(RUNTIME, credentials, {
  secret: readSecret((name) => Deno.env.get(name)),
  // hono on Deno: c.env is Deno.serve's handler info.
  clientAddress: (c) => c.env?.remoteAddr?.hostname,
});

Deno.serve(
  {
    hostname: address.host,
    port: address.port,
    onListen: ({ port }) => console.log(banner(RUNTIME, { host: address.host, port }, credentials)),
  },
  app.fetch,
);
