/**
 * The guarded route of the Durable Object test worker: an authenticator
 * created for each request (so nothing survives in the isolate) whose Digest
 * nonce counts and throttle counts live only in the Durable Object. Digest
 * and Basic; 3 failures per user and address, the address from the
 * `x-test-client` header.
 *
 * @module
 */

import { basicAuth, createAuthenticator, digestAuth } from "@httpauth/core";
import type { DurableObjectStore } from "../src/durable-object.ts";
import { protect } from "../src/index.ts";

const REALM = "durable";
const SECRET = "workerd durable object test secret";

/** Serves the request with an authenticator whose state is in `store`. */
export function authenticatorRoute(request: Request, store: DurableObjectStore): Promise<Response> {
  const authenticator = createAuthenticator({
    schemes: [
      digestAuth({
        realm: REALM,
        secret: SECRET,
        algorithms: ["SHA-256"],
        nonceCounts: store,
        password: (username) => (username === "Mufasa" ? "Circle of Life" : undefined),
      }),
      basicAuth({
        realm: REALM,
        verify: (username, password) => (username === "Aladdin" && password === "open sesame" ? username : undefined),
      }),
    ],
    throttle: { maxFailures: 3, window: 60, store },
  });
  const guarded = protect(
    (_request, { identity, scheme }) => Response.json({ identity, scheme, isolate: isolate() }),
    authenticator,
    { clientAddress: (incoming) => incoming.headers.get("x-test-client") ?? undefined },
  );
  return guarded(request);
}

let ISOLATE: string | undefined;

/** A random id per isolate (made in a handler: workerd allows no randomness at load), to tell services a and b apart. */
function isolate(): string {
  ISOLATE ??= crypto.randomUUID();
  return ISOLATE;
}
