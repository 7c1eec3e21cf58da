/**
 * Writing a failed outcome onto a `node:http` response.
 *
 * @module
 */

import type { ServerResponse } from "node:http";
import type { AuthFailure } from "@httpauth/core";
import { setHeaderLines } from "./internal/header-lines.ts";

/**
 * Sends a failed outcome of `authenticate()` as the response, exactly as core
 * decided it: the status (400, 401, 403, 407 or 429), every header line, and
 * the body. Each challenge goes out on its own `WWW-Authenticate` (or
 * `Proxy-Authenticate`) field line, in the configured order (RFC 9110
 * §11.6.1): `node:http` writes an array header value as separate lines and
 * never joins them. Headers the response already has under other names
 * (CORS, for instance) are kept.
 *
 * @param response The response, before anything was written to it.
 * @param outcome A failed outcome (`ok: false`) from `authenticate()`.
 * @returns Nothing: the response is ended.
 * @throws {TypeError} If `outcome` is not a failed outcome, or the response has already sent its head.
 *
 * @example Answer a request without credentials: 401 and one line per challenge
 * ```ts
 * import assert from "node:assert/strict";
 * import type { IncomingMessage } from "node:http";
 * import { createServer, get } from "node:http";
 * import type { AddressInfo } from "node:net";
 * import { basicAuth, bearerAuth, createAuthenticator } from "@httpauth/core";
 * import { sendFailure, createAuthRequest } from "@httpauth/node";
 *
 * const authenticator = createAuthenticator({
 *   schemes: [
 *     basicAuth({ realm: "api", verify: () => undefined }),
 *     bearerAuth({ realm: "api", verify: () => undefined }),
 *   ],
 * });
 * const server = createServer(async (request, response) => {
 *   const outcome = await authenticator.authenticate(createAuthRequest(request));
 *   if (!outcome.ok) return sendFailure(response, outcome);
 *   response.end("welcome");
 * });
 * await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 * const { port } = server.address() as AddressInfo;
 *
 * const { statusCode, rawHeaders } = await new Promise<IncomingMessage>((resolve) =>
 *   get(`http://127.0.0.1:${port}/`, (response) => resolve(response.resume())),
 * );
 * server.close();
 * assert.equal(statusCode, 401);
 * const challenges = rawHeaders.filter((_value, index) => rawHeaders[index - 1] === "WWW-Authenticate");
 * assert.deepEqual(challenges, ['Basic realm="api", charset="UTF-8"', 'Bearer realm="api"']);
 * ```
 */
export function sendFailure(response: ServerResponse, outcome: AuthFailure): void {
  if (typeof outcome !== "object" || outcome === null || outcome.ok !== false) {
    throw new TypeError(
      "sendFailure() needs a failed outcome ({ ok: false, status, headers, body }) of authenticate()",
    );
  }
  if (response.headersSent) {
    throw new TypeError("sendFailure(): authenticate before writing to the response; its head is already sent");
  }
  setHeaderLines(response, outcome.headers);
  response.statusCode = outcome.status;
  response.end(outcome.body);
}
