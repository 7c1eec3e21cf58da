// @ts-check
/**
 * The httpauth demo as one hono app, the same on every runtime: each route of
 * ../shared/demo.mjs guarded by httpAuth() of @httpauth/web/hono, the
 * identity read with c.get("auth"). node.mjs, deno.ts, bun.ts and worker.mjs
 * only serve it.
 *
 * @module
 */

import { httpAuth } from "@httpauth/web/hono";
import { Hono } from "hono";
import { createAuthenticators, greeting, indexPage } from "../shared/demo.mjs";

/**
 * Builds the app. httpAuth() answers every request it does not let through (401 with the
 * challenges, 403, …); hono's responses reach the wire with the challenges joined on one
 * line, so it sends one Digest challenge (SHA-256, the first algorithm) and each route lists
 * first the scheme browsers should use. MD5 credentials are still accepted.
 * @param {string} runtime  Which runtime serves it, for `/`.
 * @param {import("../shared/demo.mjs").Credentials} credentials
 * @returns {Hono<import("@httpauth/web/hono").HonoAuthEnv<string>>}
 */
export function createApp(runtime, credentials) {
  /** @type {Hono<import("@httpauth/web/hono").HonoAuthEnv<string>>} */
  const app = new Hono();
  for (const [path, authenticator] of createAuthenticators(credentials)) {
    app.all(path, httpAuth(authenticator), (c) => c.text(greeting(path, c.get("auth"))));
  }
  app.get("/", (c) => c.text(indexPage(runtime)));
  app.notFound((c) => c.text("404 Not Found\n", 404));
  return app;
}
