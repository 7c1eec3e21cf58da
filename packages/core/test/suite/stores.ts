/**
 * The store contracts run against core's in-memory stores, registered with
 * the runner's `test` so that vitest, Deno, Bun and workerd run the same
 * cases (test/run/*).
 *
 * @module
 */

import { runReplayStoreContract } from "@httpauth/testkit/replay-store-contract";
import type * as Library from "../../src/index.ts";

/** Registers every store contract case for core's in-memory stores. */
export function runStoreContracts(
  library: typeof Library,
  runner: { test: (name: string, body: () => Promise<void>) => void },
): void {
  const capacity = 16;
  runReplayStoreContract(
    "memory store",
    { create: () => library.createMemoryReplayStore({ maxEntries: capacity }), capacity },
    runner.test,
  );
}
