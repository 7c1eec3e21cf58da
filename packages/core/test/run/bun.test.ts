import { test } from "bun:test";
import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import * as library from "../../src/index.ts";
import { runStoreContracts } from "../suite/stores.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

runVectors(library, vectorFiles, { test });
runThrottleStoreContract(
  "createMemoryThrottleStore()",
  {
    create: () => library.createMemoryThrottleStore(),
    createBounded: (maxKeys) => library.createMemoryThrottleStore({ maxKeys }),
  },
  test,
);

// The nonce-count store contract, on the in-memory store (shared stores run the same suite).
runNonceCountStoreSuite("memory", (options) => library.createMemoryNonceCountStore(options), test);
runStoreContracts(library, { test });
