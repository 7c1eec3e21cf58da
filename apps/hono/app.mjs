// @ts-check
/**
 * The httpauth demo as one hono app, the same on every runtime: each route of
 * ../shared/demo.mjs guarded by httpAuth() of @httpauth/web/hono, the
 * identity read with c.get("auth"). node.mjs, deno.ts, bun.ts and worker.mjs
 * only serve it.
 *
 * @module
 */

import { createResourceMetadataHandler } from "@httpauth/web";
import { httpAuth } from "@httpauth/web/hono";
import { Hono } from "hono";
import {
  createAuthenticators,
  DPOP_TOKEN_PATH,
  dpopTokenHandler,
  greeting,
  indexPage,
  OAUTH_METADATA_PATH,
  requestOrigin,
  resourceMetadataFor,
} from "../shared/demo.mjs";

/** The Protected Resource Metadata of /oauth/resource (RFC 9728), for the origin the request was sent to. */
const metadataHandler = createResourceMetadataHandler((request) => resourceMetadataFor(requestOrigin(request)));

/**
 * @typedef {object} AppOptions
 * @property {string | Uint8Array} [secret]  Digest's nonce key (readSecret of ../shared/demo.mjs).
 * @property {(c: import("hono").Context) => string | undefined} [clientAddress]  The peer's address, for the throttle.
 * @property {"reject" | "count-by-identity"} [missingClientAddress]  What the throttle does without one.
 */

/**
 * Builds the app. httpAuth() answers every request it does not let through (401 with the
 * challenges, 403, …); hono's responses reach the wire with the challenges joined on one
 * line, so it sends one Digest challenge (SHA-256, the first algorithm) and each route lists
 * first the scheme browsers should use. MD5 credentials are still accepted.
 * @param {string} runtime  Which runtime serves it, for `/`.
 * @param {import("../shared/demo.mjs").Credentials} credentials
 * @param {AppOptions} [options]  The secret, and how each runtime tells the client address.
 * @returns {Hono<import("@httpauth/web/hono").HonoAuthEnv<string>>}
 */
export function createApp(runtime, credentials, options = {}) {
  /** @type {Hono<import("@httpauth/web/hono").HonoAuthEnv<string>>} */
  const app = new Hono();
  const { clientAddress, ...settings } = options;
  for (const [path, authenticator] of createAuthenticators(credentials, settings)) {
    app.all(path, httpAuth(authenticator, { clientAddress }), (c) => c.text(greeting(path, c.get("auth"))));
  }
  app.all(OAUTH_METADATA_PATH, (c) => metadataHandler(c.req.raw));
  // The demo DPoP token endpoint (RFC 9449 §5): POST a form and a DPoP proof, get a DPoP-bound token for /dpop.
  app.all(DPOP_TOKEN_PATH, (c) => dpopTokenHandler(c.req.raw));
  app.get("/", (c) => c.text(indexPage(runtime)));
  app.notFound((c) => c.text("404 Not Found\n", 404));
  return app;
}
