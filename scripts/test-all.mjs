// The one command behind `pnpm test`: build, typecheck, lint, then every test
// runner, each as a child process with its output streamed through. Counts
// are read from each runner's own output, a per-runner table is printed, and
// the last line is `N passed, M failed` (summed over all runners). Exits 1 if
// anything failed. Plain Node ESM, no dependencies: every binary comes from the
// root node_modules/.bin.
//
// To add a runner, add a row to RUNNERS:
//   name     shown in the table
//   cwd      folder to run in, relative to the repository root (default: the root)
//   in       instead of cwd: a predicate over workspace package folders; the row
//            runs once in each package it accepts
//   command  argv, or a function of { report } (a fresh temporary file path) returning argv
//   read     reads { passed, failed } from { code, output, report }; returns
//            undefined when the counts cannot be read
//   env      optional: variables to add to the children's environment (undefined removes one)
//   keeps    optional: files (relative to the root) the runner must leave
//            unchanged; a change fails the row

import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const RUNNERS = [
  { name: "build", command: ["turbo", "run", "build"], read: readExitCode },
  { name: "typecheck", command: ["turbo", "run", "typecheck"], read: readExitCode },
  { name: "lint", command: ["biome", "check", "."], read: readExitCode },
  // Files under 700 lines and functions under 80 in packages/*/src.
  { name: "structure", command: ["node", "scripts/check-structure.mjs"], read: readScriptSummary("structure") },
  {
    name: "vitest",
    in: hasTestFiles,
    command: ({ report }) => ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${report}`],
    read: readVitestReport,
  },
  // On a resolution error Deno rewrites the root package.json (it copies
  // pnpm-workspace.yaml's packages into a "workspaces" field), so watch it.
  {
    name: "deno",
    cwd: "packages/core",
    command: ["deno", "test"],
    read: readDenoSummary,
    // Deno turns colours on when FORCE_COLOR is set at all, even to 0.
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  { name: "bun", cwd: "packages/core", command: ["bun", "test", "./test/run/bun.test.ts"], read: readBunSummary },
  { name: "workerd", cwd: "packages/core", command: ["node", "test/run/workerd.mjs"], read: readWorkerdSummary },
  { name: "workerd web", cwd: "packages/web", command: ["node", "test/workerd.mjs"], read: readWebWorkerdSummary },
  // @httpauth/web/durable-object in workerd with a Durable Object namespace (in-memory storage).
  {
    name: "workerd web durable-object",
    cwd: "packages/web",
    command: ["node", "test/workerd-durable-object.mjs"],
    read: readScriptSummary("web-workerd-do"),
  },
  {
    name: "deno packages/deno",
    cwd: "packages/deno",
    // --unstable-kv: Deno.openKv (createKvStore's tests) is still unstable in Deno 2.9; the
    // file-backed KV lives in a temporary folder under ./test.
    command: [
      "deno",
      "test",
      "--unstable-kv",
      "--allow-net=127.0.0.1,127.0.0.2",
      "--allow-read=./src,./test",
      "--allow-write=./test",
      "--doc",
    ],
    read: readDenoSummary,
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  {
    name: "bun packages/bun",
    cwd: "packages/bun",
    command: ["bun", "test", "./test/bun-test.ts"],
    read: readBunSummary,
  },
  // @httpauth/bun/elysia with real Elysia (it needs Bun) served over loopback.
  {
    name: "bun packages/bun elysia",
    cwd: "packages/bun",
    command: ["bun", "test", "./test/elysia-test.ts"],
    read: readBunSummary,
  },
  // @httpauth/redis's contract suite on a real redis-server (started by the test) with Bun's RedisClient.
  {
    name: "bun packages/redis",
    cwd: "packages/redis",
    command: ["bun", "test", "./test/bun-test.ts"],
    read: readBunSummary,
  },
  // Packaging gates: what npm and JSR users get (after the build above).
  // Each script prints one check per package (or bundle) and a closing
  // `label: N passed, M failed` line; see the comment at the top of each.
  { name: "exports", command: ["node", "scripts/check-exports.mjs"], read: readScriptSummary("exports") },
  { name: "publint", command: ["node", "scripts/check-tarballs.mjs", "publint"], read: readScriptSummary("publint") },
  { name: "attw", command: ["node", "scripts/check-tarballs.mjs", "attw"], read: readScriptSummary("attw") },
  {
    name: "jsr",
    command: ["node", "scripts/check-jsr.mjs"],
    read: readScriptSummary("jsr"),
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  {
    name: "deno doc --lint",
    command: ["node", "scripts/check-deno-doc.mjs"],
    read: readScriptSummary("deno-doc"),
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  { name: "docs", command: ["node", "scripts/check-docs.mjs"], read: readScriptSummary("docs") },
  { name: "api docs", command: ["node", "scripts/api-docs.mjs", "--check"], read: readScriptSummary("api-docs") },
  { name: "size", command: ["node", "scripts/check-size.mjs"], read: readScriptSummary("size") },
  { name: "consumer", command: ["node", "scripts/consumer-test.mjs"], read: readScriptSummary("consumer") },
  // The sample apps, each started with `pnpm --dir apps/<name> start` and driven by the one
  // end-to-end suite of apps/e2e with real clients (curl, wget, urllib, requests, Chromium).
  { name: "e2e apps/node", cwd: "apps/e2e", command: ["node", "run.mjs", "node"], read: readE2ESummary },
  // `pnpm demo` and Ctrl-C on a terminal (a pseudo-terminal from `script`): exit 0, no [ELIFECYCLE].
  {
    name: "e2e apps/node ctrl-c",
    cwd: "apps/e2e",
    command: ["node", "demo-stop.mjs"],
    read: readScriptSummary("demo-stop"),
  },
  {
    name: "e2e apps/deno",
    cwd: "apps/e2e",
    command: ["node", "run.mjs", "deno"],
    read: readE2ESummary,
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  // apps/deno with DENO_KV_PATH: throttle and nonce counts in a Deno KV file (createKvStore).
  {
    name: "e2e apps/deno kv",
    cwd: "apps/e2e",
    command: ["node", "deno-kv.mjs"],
    read: readE2ESummary,
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  { name: "e2e apps/bun", cwd: "apps/e2e", command: ["node", "run.mjs", "bun"], read: readE2ESummary },
  { name: "e2e apps/workerd", cwd: "apps/e2e", command: ["node", "run.mjs", "workerd"], read: readE2ESummary },
  // The MCP server of apps/mcp, driven by the MCP SDK's own Client, transport and OAuth discovery.
  { name: "e2e apps/mcp", cwd: "apps/e2e", command: ["node", "run.mjs", "mcp"], read: readE2ESummary },
  // The framework apps run on node:http: one line per challenge, like apps/node (checks.mjs LAYOUTS).
  { name: "e2e apps/fastify", cwd: "apps/e2e", command: ["node", "run.mjs", "fastify"], read: readE2ESummary },
  { name: "e2e apps/koa", cwd: "apps/e2e", command: ["node", "run.mjs", "koa"], read: readE2ESummary },
  // Two instances, one store: apps/node and apps/bun with one REDIS_URL (a redis-server started by
  // the script) and one HTTPAUTH_SECRET: replay across instances, one throttle count, SCRIPT FLUSH,
  // a dead and a restarted redis-server.
  {
    name: "e2e shared store (node + bun)",
    cwd: "apps/e2e",
    command: ["node", "shared-store.mjs", "node", "bun"],
    read: readE2ESummary,
  },
  { name: "e2e apps/hono", cwd: "apps/e2e", command: ["node", "run.mjs", "hono"], read: readE2ESummary },
  { name: "e2e apps/hono bun", cwd: "apps/e2e", command: ["node", "run.mjs", "hono-bun"], read: readE2ESummary },
  // hono on Deno keeps one line per challenge (Deno writes each header entry); still one Digest
  // challenge, httpAuth's default, as it cannot tell the runtime.
  {
    name: "e2e apps/hono deno",
    cwd: "apps/e2e",
    command: ["node", "run.mjs", "hono-deno"],
    read: readE2ESummary,
    env: { FORCE_COLOR: undefined },
    keeps: ["package.json", "deno.json"],
  },
  {
    name: "e2e apps/hono workerd",
    cwd: "apps/e2e",
    command: ["node", "run.mjs", "hono-workerd"],
    read: readE2ESummary,
  },
];

/** A runner that takes longer than this is stopped and counted as failed. */
const RUNNER_TIMEOUT_MS = 20 * 60_000;

/** Colour escapes, stripped before reading counts in case a runner ignores NO_COLOR. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the sequences this removes.
const ANSI_COLOR = /\x1b\[[0-9;]*m/g;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "node_modules", ".bin");
const environment = {
  ...process.env,
  PATH: bin + delimiter + (process.env.PATH ?? ""),
  NO_COLOR: "1",
  FORCE_COLOR: "0",
  TURBO_TELEMETRY_DISABLED: "1",
};

// ── Readers ────────────────────────────────────────────────────────────────

/** build, typecheck, lint: one check each. */
function readExitCode({ code }) {
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

/** vitest's JSON reporter file. */
function readVitestReport({ report }) {
  if (!existsSync(report)) return undefined;
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, "utf8"));
  if (!Number.isInteger(numPassedTests) || !Number.isInteger(numFailedTests)) return undefined;
  return { passed: numPassedTests, failed: numFailedTests };
}

/** deno test: `ok | 114 passed | 0 failed (21ms)` or `FAILED | 113 passed (2 steps) | 1 failed`. */
function readDenoSummary({ output }) {
  const match = lastMatch(output, /^(?:ok|FAILED) \| (\d+) passed(?: \([^)]*\))? \| (\d+) failed/gm);
  return match && { passed: Number(match[1]), failed: Number(match[2]) };
}

/** bun test: ` 114 pass` and ` 0 fail` on lines of their own. */
function readBunSummary({ output }) {
  const passed = lastMatch(output, /^\s*(\d+) pass$/gm);
  const failed = lastMatch(output, /^\s*(\d+) fail$/gm);
  return passed && failed ? { passed: Number(passed[1]), failed: Number(failed[1]) } : undefined;
}

/** test/run/workerd.mjs: `workerd: 114 passed, 0 failed`. */
function readWorkerdSummary({ output }) {
  const match = lastMatch(output, /^workerd: (\d+) passed, (\d+) failed$/gm);
  return match && { passed: Number(match[1]), failed: Number(match[2]) };
}

/** packages/web/test/workerd.mjs: `web-workerd: N passed, M failed`. */
function readWebWorkerdSummary({ output }) {
  const match = lastMatch(output, /^web-workerd: (\d+) passed, (\d+) failed$/gm);
  return match && { passed: Number(match[1]), failed: Number(match[2]) };
}

/** apps/e2e/run.mjs: `e2e node: N passed, M failed`. */
function readE2ESummary({ output }) {
  const match = lastMatch(output, /^e2e [\w-]+: (\d+) passed, (\d+) failed$/gm);
  return match && { passed: Number(match[1]), failed: Number(match[2]) };
}

/** scripts/check-*.mjs, api-docs.mjs, consumer-test.mjs: `label: N passed, M failed` on a line of its own. */
function readScriptSummary(label) {
  const pattern = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed$`, "gm");
  return ({ output }) => {
    const match = lastMatch(output, pattern);
    return match && { passed: Number(match[1]), failed: Number(match[2]) };
  };
}

function lastMatch(text, pattern) {
  let last;
  for (const match of text.matchAll(pattern)) last = match;
  return last;
}

// ── Workspace ──────────────────────────────────────────────────────────────

const SKIPPED_FOLDERS = new Set(["node_modules", "dist", "coverage"]);
const TEST_FILE = /\.(?:test|spec)\.[cm]?[jt]sx?$/;

/** Whether a package folder holds any test file (outside node_modules, dist, dot-folders). */
function hasTestFiles(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || SKIPPED_FOLDERS.has(entry.name)) continue;
    if (entry.isDirectory() ? hasTestFiles(join(folder, entry.name)) : TEST_FILE.test(entry.name)) return true;
  }
  return false;
}

/** Package folders from pnpm-workspace.yaml's `packages:` list (plain paths and `folder/*`). */
function workspacePackages() {
  const lines = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8").split(/\r?\n/);
  const patterns = [];
  let inPackages = false;
  for (const line of lines) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
    } else if (inPackages && /^\s+-\s/.test(line)) {
      patterns.push(
        line
          .replace(/^\s+-\s+/, "")
          .replace(/\s+#.*$/, "")
          .replace(/^["']|["']$/g, ""),
      );
    } else if (inPackages && line.trim() !== "" && !line.trimStart().startsWith("#")) {
      inPackages = false;
    }
  }
  const folders = [];
  for (const pattern of patterns) {
    if (pattern.endsWith("/*")) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (entry.isDirectory()) folders.push(join(parent, entry.name));
      }
    } else {
      folders.push(join(root, pattern));
    }
  }
  return folders.filter((folder) => existsSync(join(folder, "package.json")));
}

/** RUNNERS with each `in` row expanded into one row per accepted package. */
function expandRunners() {
  const rows = [];
  for (const runner of RUNNERS) {
    if (runner.in === undefined) {
      rows.push({ ...runner, cwd: join(root, runner.cwd ?? ".") });
      continue;
    }
    for (const folder of workspacePackages()) {
      const name = `${runner.name} ${relative(root, folder)}`;
      if (runner.in(folder)) rows.push({ ...runner, name, cwd: folder });
      else rows.push({ name, skipped: "no test files" });
    }
  }
  return rows;
}

// ── Running ────────────────────────────────────────────────────────────────

/** Runs argv in cwd, streaming its output through; resolves to { code, output, error }. */
function run(argv, cwd, extraEnvironment = {}) {
  const env = { ...environment, ...extraEnvironment };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return new Promise((resolve) => {
    const [command, ...parameters] = argv;
    const child = spawn(command, parameters, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    const chunks = [];
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      chunks.push(chunk);
    });
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      chunks.push(chunk);
    });
    let error;
    const timer = setTimeout(() => {
      error = `timed out after ${RUNNER_TIMEOUT_MS / 60_000} min`;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, RUNNER_TIMEOUT_MS);
    child.once("error", (spawnError) => {
      error = spawnError.message;
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (signal !== null) error ??= `killed by ${signal}`;
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString("utf8"), error });
    });
  });
}

/** Runs one row; resolves to its table entry { name, passed, failed, note }. */
async function runRow(row, temporary, index) {
  if (row.skipped !== undefined) return { name: row.name, passed: 0, failed: 0, note: `skipped: ${row.skipped}` };
  const report = join(temporary, `report-${index}.json`);
  const argv = typeof row.command === "function" ? row.command({ report }) : row.command;
  console.log(`\n▶ ${row.name}: ${argv.join(" ")} (in ${relative(root, row.cwd) || "."})`);
  const kept = (row.keeps ?? []).map((file) => [file, readIfPresent(join(root, file))]);
  const result = await run(argv, row.cwd, row.env);
  if (result.error !== undefined) return { name: row.name, passed: 0, failed: 1, note: result.error };
  const changed = kept.filter(([file, before]) => readIfPresent(join(root, file)) !== before).map(([file]) => file);
  if (changed.length > 0) {
    return { name: row.name, passed: 0, failed: 1, note: `changed ${changed.join(", ")}: check git diff` };
  }
  let counts;
  try {
    counts = row.read({ code: result.code, output: result.output.replace(ANSI_COLOR, ""), report });
  } catch {
    counts = undefined;
  }
  if (counts === undefined) return { name: row.name, passed: 0, failed: 1, note: `no counts (exit ${result.code})` };
  if (result.code !== 0 && counts.failed === 0) {
    return { name: row.name, passed: counts.passed, failed: 1, note: `exit ${result.code}` };
  }
  return { name: row.name, ...counts, note: counts.failed === 0 ? "ok" : "FAILED" };
}

function readIfPresent(path) {
  return existsSync(path) ? readFileSync(path, "utf8") : undefined;
}

function printTable(entries) {
  const header = { name: "runner", passed: "passed", failed: "failed", note: "" };
  const width = Math.max(...[header, ...entries].map((entry) => entry.name.length));
  const line = (entry) =>
    `${entry.name.padEnd(width)}  ${String(entry.passed).padStart(6)}  ${String(entry.failed).padStart(6)}  ${entry.note}`.trimEnd();
  console.log(`\n${line(header)}`);
  for (const entry of entries) console.log(line(entry));
}

/**
 * `--only a,b` runs just the rows whose name starts with one of the given
 * prefixes (`--only vitest,deno` runs every vitest row and both deno rows),
 * for a quick check while working; `pnpm test` runs every row.
 */
function selectedRows() {
  const flag = process.argv.indexOf("--only");
  const rows = expandRunners();
  if (flag === -1) return rows;
  const prefixes = (process.argv[flag + 1] ?? "").split(",").filter((prefix) => prefix !== "");
  if (prefixes.length === 0) throw new TypeError("--only needs a comma-separated list of runner name prefixes");
  return rows.filter((row) => prefixes.some((prefix) => row.name.startsWith(prefix)));
}

async function main() {
  const temporary = mkdtempSync(join(tmpdir(), "httpauth-test-all-"));
  const entries = [];
  try {
    const rows = selectedRows();
    for (const [index, row] of rows.entries()) entries.push(await runRow(row, temporary, index));
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  printTable(entries);
  const passed = entries.reduce((sum, entry) => sum + entry.passed, 0);
  const failed = entries.reduce((sum, entry) => sum + entry.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  console.log("0 passed, 1 failed");
  process.exitCode = 1;
});
