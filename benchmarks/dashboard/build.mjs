// Copies Chart.js (pinned in benchmarks/package.json) from node_modules into
// dashboard/vendor/, so that the dashboard is a static folder that loads
// nothing from the network. `pnpm bench` and the dashboard test run it.
//   node benchmarks/dashboard/build.mjs

import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** Copies chart.umd.js into dashboard/vendor/ and returns its path. */
export function buildDashboard() {
  // chart.js exports no ./package.json, so its folder is found where pnpm links it.
  const source = join(here, "..", "node_modules", "chart.js", "dist", "chart.umd.js");
  const vendor = join(here, "vendor");
  mkdirSync(vendor, { recursive: true });
  const target = join(vendor, "chart.umd.js");
  copyFileSync(source, target);
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`copied Chart.js to ${buildDashboard()}`);
}
