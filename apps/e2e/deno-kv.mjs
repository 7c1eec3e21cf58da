// @ts-check
// The end-to-end suite against apps/deno with DENO_KV_PATH set: the app keeps its throttle
// counts and Digest nonce counts in a Deno KV file (a fresh temporary folder), every check of
// run.mjs passes with that state, and afterwards the file holds the app's entries (read back with
// `deno eval`). Prints `e2e deno-kv: N passed, M failed` last; exits 1 on any failure.
//
//   node deno-kv.mjs

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const RUN_TIMEOUT_MS = 15 * 60_000;

/**
 * Runs a command, streaming its output, and resolves to its exit code and output.
 * @param {string} command
 * @param {string[]} parameters
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ code: number | null, output: string }>}
 */
function run(command, parameters, env) {
  return new Promise((resolve) => {
    const child = spawn(command, parameters, { cwd: here, env, stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    const timer = setTimeout(() => child.kill("SIGTERM"), RUN_TIMEOUT_MS);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.once("error", () => resolve({ code: null, output }));
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function main() {
  const folder = mkdtempSync(join(tmpdir(), "httpauth-e2e-deno-kv-"));
  const path = join(folder, "demo.sqlite3");
  try {
    const env = { ...process.env, DENO_KV_PATH: path };
    const suite = await run(process.execPath, [join(here, "run.mjs"), "deno"], env);
    const match = [...suite.output.matchAll(/^e2e deno: (\d+) passed, (\d+) failed$/gm)].at(-1);
    let passed = match ? Number(match[1]) : 0;
    let failed = match ? Number(match[2]) : 1;
    // The app's entries are in the file: throttle windows and nonce counts under its prefix.
    const script = `const kv = await Deno.openKv(${JSON.stringify(path)}); const kinds = {};
      for await (const { key } of kv.list({ prefix: ["httpauth-demo"] })) kinds[key[1]] = (kinds[key[1]] ?? 0) + 1;
      console.log(JSON.stringify(kinds)); kv.close();`;
    const deno = join(root, "node_modules", ".bin", "deno");
    const read = await run(deno, ["eval", "--quiet", "--unstable-kv", script], { ...process.env, NO_COLOR: "1" });
    const kinds = JSON.parse(read.output.trim().split("\n").at(-1) || "{}");
    if (kinds.throttle > 0 && kinds["nonce-count"] > 0) {
      passed++;
      console.log(`✓ DENO_KV_PATH holds the app's state: ${JSON.stringify(kinds)}`);
    } else {
      failed++;
      console.log(`✗ DENO_KV_PATH holds no throttle or nonce-count entries: ${read.output.trim()}`);
    }
    console.log(`e2e deno-kv: ${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`deno-kv runner failed: ${error?.stack ?? error}`);
    console.log("e2e deno-kv: 0 passed, 1 failed");
    process.exitCode = 1;
  },
);
