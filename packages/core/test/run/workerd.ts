/**
 * The conformance suite as a workerd module worker: the tests are collected
 * when the module loads and run one after another on each request, which is
 * answered with `{ passed, failed, failures }` as JSON. `workerd.mjs` bundles
 * this file, serves it with workerd and reads the answer.
 *
 * @module
 */

import { type NamedTest, runTests } from "@httpauth/testkit/worker-report";
import * as library from "../../src/index.ts";
import { runStoreContracts } from "../suite/stores.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

const tests: NamedTest[] = [];
runVectors(library, vectorFiles, { test: (name, body) => tests.push([name, body]) });
runStoreContracts(library, { test: (name, body) => tests.push([name, body]) });

export default {
  async fetch(): Promise<Response> {
    const report = await runTests(tests);
    return new Response(JSON.stringify(report), { headers: { "content-type": "application/json" } });
  },
};
