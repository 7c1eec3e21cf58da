// Hostile-input scaling for the RFC 9110 §11 grammar: ns per byte at 1 KiB,
// 64 KiB and 1 MiB for input shapes that make naive parsers go quadratic.
// Flat ns/byte means linear time. Runs unchanged on Node, Deno and Bun:
//   node benchmarks/hostile-input.mjs
//   deno run -A benchmarks/hostile-input.mjs
//   bun benchmarks/hostile-input.mjs
// Prints a table; with --json, writes it to benchmarks/results/hostile-<runtime>.json.

import { parseAuthParams, parseChallenges, parseCredentials } from "@httpauth/core";

const SIZES = [1024, 64 * 1024, 1024 * 1024];

/** Fills `size` characters with `head`, then `unit` repeated, then `tail`. */
function fill(size, unit, head = "", tail = "") {
  const times = Math.max(0, Math.floor((size - head.length - tail.length) / unit.length));
  return head + unit.repeat(times) + tail;
}

const shapes = [
  // Rejected at the second parameter (a repeats): the cost is bounded, not proportional.
  { name: 'runs of a=",', parse: parseChallenges, make: (size) => fill(size, 'a=",', "Basic ") },
  {
    name: 'runs of aN=", (distinct names)',
    parse: parseChallenges,
    make: (size) => {
      let text = "Basic ";
      for (let index = 0; text.length < size - 12; index++) text += `a${index}=",`;
      return text;
    },
  },
  { name: "unterminated quote", parse: parseChallenges, make: (size) => fill(size, "x", 'Basic realm="') },
  { name: "backslash escapes", parse: parseChallenges, make: (size) => fill(size, "\\\\", 'Basic realm="', '"') },
  { name: "empty list elements", parse: parseChallenges, make: (size) => fill(size, " ,", 'Basic realm="a"') },
  { name: "many challenges", parse: parseChallenges, make: (size) => fill(size, "Newauth, ") },
  {
    name: "thousands of parameters",
    parse: parseCredentials,
    make: (size) => {
      let text = "Digest p0=v";
      for (let index = 1; text.length < size - 16; index++) text += `, p${index}=v`;
      return text;
    },
  },
  { name: "long = padding", parse: parseCredentials, make: (size) => fill(size, "=", "Basic QQ") },
  { name: "commas in auth-params", parse: parseAuthParams, make: (size) => fill(size, ",", "a=b") },
];

function measure(parse, input) {
  const options = { maxLength: input.length };
  const run = () => {
    try {
      parse(input, options);
    } catch {
      // Hostile input may be rejected; what is measured is the time to decide.
    }
  };
  // Warm up, then time batches until about 100 ms have passed; report the median batch.
  for (let index = 0; index < 5; index++) run();
  const perBatch = Math.max(1, Math.round((256 * 1024) / input.length));
  const samples = [];
  const deadline = performance.now() + 100;
  while (samples.length < 5 || performance.now() < deadline) {
    const start = performance.now();
    for (let index = 0; index < perBatch; index++) run();
    samples.push(((performance.now() - start) * 1e6) / perBatch);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const runtime =
  typeof globalThis.Bun !== "undefined"
    ? `bun ${globalThis.Bun.version}`
    : typeof globalThis.Deno !== "undefined"
      ? `deno ${globalThis.Deno.version.deno}`
      : `node ${globalThis.process.versions.node}`;

const rows = [];
for (const shape of shapes) {
  const row = { shape: shape.name };
  for (const size of SIZES) {
    const input = shape.make(size);
    row[`${size / 1024} KiB`] = Number((measure(shape.parse, input) / input.length).toFixed(2));
  }
  const values = SIZES.map((size) => row[`${size / 1024} KiB`]);
  row["1 MiB ÷ 1 KiB"] = Number((values[2] / values[0]).toFixed(2));
  rows.push(row);
}

console.log(`Hostile input, ns per byte (${runtime})`);
console.table(rows);

if (globalThis.process?.argv?.includes("--json") || globalThis.Deno?.args?.includes("--json")) {
  const { writeFileSync, mkdirSync } = await import("node:fs");
  const folder = new URL("./results/", import.meta.url);
  mkdirSync(folder, { recursive: true });
  const name = runtime.split(" ")[0];
  writeFileSync(
    new URL(`hostile-${name}.json`, folder),
    `${JSON.stringify({ runtime, unit: "ns/byte", rows }, null, 2)}\n`,
  );
}
