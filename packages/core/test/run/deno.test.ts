import { runNonceCountStoreSuite } from "@httpauth/testkit/nonce-count-store-suite";
import * as library from "../../src/index.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

runVectors(library, vectorFiles, { test: (name, body) => Deno.test(name, body) });

// The nonce-count store contract, on the in-memory store (shared stores run the same suite).
runNonceCountStoreSuite(
  "memory",
  (options) => library.createMemoryNonceCountStore(options),
  (name, body) => Deno.test(name, body),
);
