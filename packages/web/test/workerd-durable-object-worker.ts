/**
 * The worker that `workerd-durable-object.mjs` serves twice, as two services
 * ("a" and "b", two isolates) bound to one Durable Object namespace of
 * `HTTPAuthDurableObject`: `/contracts` runs the store contract suites on
 * `createDurableObjectStore` inside workerd and answers
 * `{ passed, failed, failures }`; `/b/…` is forwarded to service "b"; the
 * other routes are guarded by an authenticator built per request whose
 * state lives only in the Durable Object.
 *
 * @module
 */

import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { runReplayStoreContract } from "@httpauth/testkit/replay-store-contract";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import { type NamedTest, runTests } from "@httpauth/testkit/worker-report";
import {
  createDurableObjectStore,
  type DurableObjectNamespaceLike,
  HTTPAuthDurableObject,
} from "../src/durable-object.ts";
import { authenticatorRoute } from "./workerd-durable-object-routes.ts";

export { HTTPAuthDurableObject };

interface Env {
  STORE: DurableObjectNamespaceLike;
  B?: { fetch(request: Request): Promise<Response> };
}

let objects = 0;

async function contracts(env: Env): Promise<Response> {
  // A fresh object per case; the replay cases also on four shards.
  const fresh = () => createDurableObjectStore(env.STORE, { name: `contract-${++objects}` });
  const sharded = () => createDurableObjectStore(env.STORE, { name: `sharded-${++objects}`, shards: 4 });
  const cases: NamedTest[] = [];
  const register = (name: string, body: () => void | Promise<void>) => cases.push([name, async () => body()]);
  runThrottleStoreContract("Durable Object", { create: fresh }, register);
  runNonceCountStoreSuite("Durable Object", fresh, register);
  runReplayStoreContract("Durable Object", { create: fresh }, register);
  runReplayStoreContract("Durable Object, 4 shards", { create: sharded }, register);
  return Response.json(await runTests(cases));
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/contracts") return contracts(env);
    if (url.pathname.startsWith("/b/") && env.B !== undefined) {
      return env.B.fetch(new Request(new URL(url.pathname.slice(2), url), request));
    }
    return authenticatorRoute(request, createDurableObjectStore(env.STORE));
  },
};
