import { runThrottleStoreContract } from "@httpauth/testkit/throttle-store-contract";
import { test } from "vitest";
import { createMemoryThrottleStore } from "./throttle.ts";

runThrottleStoreContract(
  "createMemoryThrottleStore()",
  { create: () => createMemoryThrottleStore(), createBounded: (maxKeys) => createMemoryThrottleStore({ maxKeys }) },
  test,
);
