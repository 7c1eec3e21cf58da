/**
 * The conformance suite as a workerd module worker: the tests are collected
 * when the module loads and run one after another on each request, which is
 * answered with `{ passed, failed, failures }` as JSON. `workerd.mjs` bundles
 * this file, serves it with workerd and reads the answer.
 *
 * @module
 */

import * as library from "../../src/index.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

interface Collected {
  name: string;
  body: () => void | Promise<void>;
}

interface Failure {
  name: string;
  message: string;
}

interface Report {
  passed: number;
  failed: number;
  failures: Failure[];
}

const tests: Collected[] = [];
runVectors(library, vectorFiles, { test: (name, body) => tests.push({ name, body }) });

async function runAll(): Promise<Report> {
  const report: Report = { passed: 0, failed: 0, failures: [] };
  for (const { name, body } of tests) {
    try {
      await body();
      report.passed++;
    } catch (error) {
      report.failed++;
      report.failures.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}

export default {
  async fetch(): Promise<Response> {
    const report = await runAll();
    return new Response(JSON.stringify(report), { headers: { "content-type": "application/json" } });
  },
};
