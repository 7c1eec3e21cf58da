/**
 * Every conformance vector file, imported once so that each runner (vitest,
 * Deno, Bun, workerd) reads the same set. `vectors.test.ts` fails if a JSON
 * file in this folder is missing here.
 *
 * @module
 */

import type { VectorFile } from "../suite/vectors.ts";
import authParams from "./auth-params.json" with { type: "json" };
import basic from "./basic.json" with { type: "json" };
import bearer from "./bearer.json" with { type: "json" };
import challenges from "./challenges.json" with { type: "json" };
import credentials from "./credentials.json" with { type: "json" };
import digest from "./digest.json" with { type: "json" };
import dpop from "./dpop.json" with { type: "json" };
import resourceChallenges from "./resource-challenges.json" with { type: "json" };
import serialize from "./serialize.json" with { type: "json" };

/** The vector files by file name. */
export const vectorFiles: Readonly<Record<string, VectorFile>> = {
  "auth-params.json": authParams as VectorFile,
  "basic.json": basic as VectorFile,
  "bearer.json": bearer as VectorFile,
  "challenges.json": challenges as VectorFile,
  "credentials.json": credentials as VectorFile,
  "digest.json": digest as VectorFile,
  "dpop.json": dpop as VectorFile,
  "resource-challenges.json": resourceChallenges as VectorFile,
  "serialize.json": serialize as VectorFile,
};
