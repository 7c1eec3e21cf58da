// @ts-check
// The httpauth demo with hono as a Worker (workerd). `pnpm start:workerd` bundles this file
// with ../workerd/start.mjs; DEMO_USER, DEMO_PASSWORD, DEMO_TOKEN and HTTPAUTH_SECRET arrive as text bindings.

import { readCredentials, readSecret } from "../shared/demo.mjs";
import { createApp } from "./app.mjs";

const RUNTIME = "hono on workerd (a Worker)";

/** Built on the first request (workerd allows no random numbers at start-up), and kept. */
/** @type {ReturnType<typeof createApp> | undefined} */
let app;

export default {
  /**
   * @param {Request} request
   * @param {Record<string, string | undefined>} env
   * @param {unknown} context
   */
  fetch(request, env, context) {
    app ??= createApp(
      RUNTIME,
      readCredentials((name) => env[name]),
      {
        secret: readSecret((name) => env[name]),
        // As apps/workerd: Cloudflare's edge sets CF-Connecting-IP; workerd alone knows no peer
        // address, so without it failures are counted per user.
        clientAddress: (c) => c.req.header("CF-Connecting-IP"),
        missingClientAddress: "count-by-identity",
      },
    );
    return app.fetch(request, env, /** @type {never} */ (context));
  },
};
