// @ts-check
// The httpauth demo with hono as a Worker (workerd). `pnpm start:workerd` bundles this file
// with ../workerd/start.mjs; DEMO_USER, DEMO_PASSWORD and DEMO_TOKEN arrive as text bindings.

import { readCredentials } from "../shared/demo.mjs";
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
    );
    return app.fetch(request, env, /** @type {never} */ (context));
  },
};
