// Hostile-input scaling for the RFC 9110 §11 grammar (see lib/hostile.mjs):
// ns per byte at 1 KiB, 64 KiB and 1 MiB. Flat ns/byte means linear time.
// Runs unchanged on Node, Deno and Bun:
//   node benchmarks/hostile-input.mjs
//   deno run -A benchmarks/hostile-input.mjs
//   bun benchmarks/hostile-input.mjs
// Prints a table; with --json, writes it to benchmarks/results/hostile-<runtime>.json.
// `pnpm bench` runs the same measurement inside benchmarks/run.mjs.

import { collector, runtimeInfo, scriptArguments } from "./lib/environment.mjs";
import { hostileTable, measureHostile } from "./lib/hostile.mjs";

const runtime = runtimeInfo();
// With a collector (node --expose-gc, deno --v8-flags=--expose-gc, Bun), each shape and size starts on an empty heap.
const rows = measureHostile(100, collector());

console.log(`Hostile input, ns per byte (${runtime.name} ${runtime.version})`);
console.table(hostileTable(rows));

if (scriptArguments().includes("--json")) {
  const { writeFileSync, mkdirSync } = await import("node:fs");
  const folder = new URL("./results/", import.meta.url);
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    new URL(`hostile-${runtime.name}.json`, folder),
    `${JSON.stringify({ runtime: `${runtime.name} ${runtime.version}`, unit: "ns/byte", rows }, null, 2)}\n`,
  );
}
