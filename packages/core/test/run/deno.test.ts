// testkit is not a Deno workspace member: its suite is imported by path.
import { runThrottleStoreContract } from "../../../testkit/src/throttle-store-contract.ts";
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
runStoreContracts(library, { test: (name, body) => Deno.test(name, body) });
