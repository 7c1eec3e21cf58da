// `pnpm bench` and `pnpm bench:quick`: everything, in order, each step a
// child process with its output streamed through:
//   1. build @httpauth/core and the runtime packages (turbo);
//   2. the micro suites and the hostile-input scaling (run.mjs) on Node, Deno and Bun;
//   3. the HTTP level (http.mjs) on Node, Deno and Bun, last, as it needs the
//      runtime packages built (@httpauth/node, /web, /deno, /bun);
//   4. a summary of every target from the results files;
//   5. results/run.json: the commit measured (and whether the tree had
//      changes), when, and which steps passed, which the dashboard shows;
//   6. (full runs) the dashboard's screenshot, dashboard/screenshot.png, from
//      the new results, by its test with UPDATE_SCREENSHOT=1.
// --quick passes through (short runs, results in results/quick/). With
// --only node|deno|bun|http, runs just that step (after the build); http runs
// the HTTP level on the three runtimes.
// Benchmarks are never part of `pnpm test`.

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildDashboard } from "./dashboard/build.mjs";
import { gitInfo } from "./lib/environment.mjs";

const benchmarks = dirname(fileURLToPath(import.meta.url));
const root = join(benchmarks, "..");
const bin = join(root, "node_modules", ".bin");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const results = join(benchmarks, "results", quick ? "quick" : "");
const environment = {
  ...process.env,
  PATH: bin + delimiter + (process.env.PATH ?? ""),
  TURBO_TELEMETRY_DISABLED: "1",
  NO_COLOR: "1",
};
const failures = [];
const steps = [];
// Before any step writes a results file: the commit measured, and whether the tree differs from it.
const measured = gitInfo(root);
const startedAt = new Date();

function step(name, command, parameters, { required = false, env = {} } = {}) {
  console.log(`\n▶ ${name}: ${[command, ...parameters].join(" ")}`);
  const started = Date.now();
  const run = spawnSync(command, parameters, { cwd: root, env: { ...environment, ...env }, stdio: "inherit" });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  steps.push({ name, ok: run.status === 0, seconds: Number(seconds) });
  if (run.status !== 0) {
    failures.push(`${name} (exit ${run.status ?? run.signal}, ${seconds} s)`);
    console.log(`✗ ${name} failed after ${seconds} s`);
    if (required) process.exit(1);
  } else {
    console.log(`✓ ${name} in ${seconds} s`);
  }
}

const passThrough = quick ? ["--quick"] : [];
const RUNTIME_NAMES = { node: "Node", deno: "Deno", bun: "Bun" };
const suite = join(benchmarks, "run.mjs");

step(
  "build @httpauth/core",
  join(bin, "turbo"),
  ["run", "build", "--filter=@httpauth/core", "--output-logs=errors-only"],
  {
    required: true,
  },
);
if (only === undefined || only === "http") {
  step("build the runtime packages", join(bin, "turbo"), [
    "run",
    "build",
    "--filter=@httpauth/node",
    "--filter=@httpauth/web",
    "--filter=@httpauth/deno",
    "--filter=@httpauth/bun",
    "--output-logs=errors-only",
  ]);
}
if (only === undefined || only === "node")
  step("micro suites on Node", process.execPath, ["--expose-gc", suite, ...passThrough]);
if (only === undefined || only === "deno") {
  // The root package.json must come out unchanged: Deno rewrites it on a resolution error.
  const before = readFileSync(join(root, "package.json"), "utf8");
  step("micro suites on Deno", join(bin, "deno"), ["run", "-A", "--v8-flags=--expose-gc", suite, ...passThrough]);
  if (readFileSync(join(root, "package.json"), "utf8") !== before) failures.push("Deno changed the root package.json");
}
if (only === undefined || only === "bun") step("micro suites on Bun", join(bin, "bun"), [suite, ...passThrough]);
if (only === undefined || only === "http") {
  const before = readFileSync(join(root, "package.json"), "utf8");
  for (const runtime of ["node", "deno", "bun"]) {
    step(`HTTP level on ${RUNTIME_NAMES[runtime]}`, process.execPath, [
      join(benchmarks, "http.mjs"),
      "--runtime",
      runtime,
      ...passThrough,
    ]);
  }
  if (readFileSync(join(root, "package.json"), "utf8") !== before) failures.push("Deno changed the root package.json");
}

// ── Summary ─────────────────────────────────────────────────────────────────

const rows = [];
for (const runtime of ["node", "deno", "bun"]) {
  const file = join(results, `${runtime}.json`);
  if (!existsSync(file)) continue;
  const report = JSON.parse(readFileSync(file, "utf8"));
  for (const target of report.targets) {
    rows.push({
      runtime: `${runtime} ${report.runtime.version}`,
      operation: target.operation,
      target: target.target,
      measured: target.measured,
      met: target.met,
    });
  }
}
for (const runtime of ["node", "deno", "bun"]) {
  const httpFile = join(results, `http-${runtime}.json`);
  if (!existsSync(httpFile)) continue;
  const report = JSON.parse(readFileSync(httpFile, "utf8"));
  for (const target of report.targets) {
    rows.push({
      runtime: `${runtime} ${report.runtime.version}`,
      operation: "HTTP: Basic-protected request",
      target: target.target,
      measured: target.measured,
      met: target.met,
    });
  }
}
console.log(`\nTargets (from ${results}); the dashboard: serve benchmarks/ and open dashboard/index.html`);
console.table(rows);

// ── What the dashboard shows about this run ────────────────────────────────

if (only === undefined) {
  const run = {
    schema: 1,
    suite: quick ? "pnpm bench:quick" : "pnpm bench",
    mode: quick ? "quick" : "full",
    commit: measured.commit,
    dirty: measured.dirty,
    ...(measured.dirtyPaths === undefined ? {} : { dirtyPaths: measured.dirtyPaths }),
    date: startedAt.toISOString(),
    finished: new Date().toISOString(),
    steps,
    failures,
  };
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "run.json"), `${JSON.stringify(run, null, 2)}\n`);
  console.log(
    `wrote ${join(results, "run.json")}: commit ${run.commit.slice(0, 10)}${run.dirty ? " (with local changes)" : ""}`,
  );
}
// The dashboard's list of results files and the commit being viewed, now that every file is written.
console.log(`wrote ${buildDashboard()}`);
if (only === undefined && !quick) {
  // The dashboard's test draws the new results and, asked to, saves the screenshot the README shows.
  step("dashboard screenshot", join(bin, "vitest"), ["run", "--root", benchmarks, "test/dashboard.test.mjs"], {
    env: { UPDATE_SCREENSHOT: "1" },
  });
}
if (failures.length > 0) {
  console.log(`Failed steps: ${failures.join("; ")}`);
  process.exitCode = 1;
}
