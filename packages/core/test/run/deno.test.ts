import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import * as library from "../../src/index.ts";
import { runStoreContracts } from "../suite/stores.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

runVectors(library, vectorFiles, { test: (name, body) => Deno.test(name, body) });

// The throttle store contract, over the in-memory store.
runThrottleStoreContract(
  "createMemoryThrottleStore()",
  {
    create: () => library.createMemoryThrottleStore(),
    createBounded: (maxKeys) => library.createMemoryThrottleStore({ maxKeys }),
  },
  (name, body) => Deno.test(name, body),
);

// The nonce-count store contract, on the in-memory store (shared stores run the same suite).
runNonceCountStoreSuite(
  "memory",
  (options) => library.createMemoryNonceCountStore(options),
  (name, body) => Deno.test(name, body),
);
runStoreContracts(library, { test: (name, body) => Deno.test(name, body) });
