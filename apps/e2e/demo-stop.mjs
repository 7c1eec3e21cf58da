// @ts-check
// Stopping the Node demo: the README says `pnpm demo`, then Ctrl-C stops the server. Checks that it
// stops cleanly — exit 0, "httpauth demo stopped.", and no "[ELIFECYCLE] Command failed." from pnpm:
//
// - Ctrl-C typed on a terminal: `pnpm demo` runs under `script` (util-linux), which gives it a
//   pseudo-terminal, and the test types the Ctrl-C character (0x03) into it, as a user does.
// - SIGINT and SIGTERM sent to the server's process group (`node server.mjs`, no pnpm around it):
//   kill -INT, docker stop, systemd.
//
// A SIGINT sent to pnpm itself always makes pnpm report a failure (pnpm/pnpm#9938: an interrupted
// `pnpm run` exits non-zero on purpose), which is why the server reads Ctrl-C as a key on a terminal.
//
//   node demo-stop.mjs      prints one line per check and `demo-stop: N passed, M failed`

import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, sleep } from "./harness.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TIMEOUT_MS = 90_000;
const BANNER = "Ctrl-C stops the server.";

/**
 * Starts argv in a process group of its own; once the banner is printed, calls `interrupt`;
 * resolves with the exit code, the signal and everything printed.
 * @param {string[]} argv
 * @param {string} cwd
 * @param {(child: import("node:child_process").ChildProcessWithoutNullStreams) => void} interrupt
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, output: string }>}
 */
async function runAndInterrupt(argv, cwd, interrupt) {
  const port = await freePort();
  const env = { ...process.env, HOST: "127.0.0.1", PORT: String(port), npm_config_update_notifier: "false" };
  const child = spawn(argv[0] ?? "", argv.slice(1), { cwd, env, detached: true });
  let output = "";
  let interrupted = false;
  const onData = (/** @type {Buffer} */ chunk) => {
    output += chunk;
    if (!interrupted && output.includes(BANNER)) {
      interrupted = true;
      sleep(300).then(() => interrupt(child));
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        // already gone
      }
    }, TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/**
 * @param {{ code: number | null, signal: NodeJS.Signals | null, output: string }} result
 */
function expectCleanStop(result) {
  const problems = [];
  if (result.code !== 0) problems.push(`exit ${result.signal ?? `code ${result.code}`}, not 0`);
  if (!result.output.includes("httpauth demo stopped.")) problems.push('no "httpauth demo stopped."');
  if (result.output.includes("ELIFECYCLE")) problems.push("pnpm printed [ELIFECYCLE]");
  if (problems.length > 0) throw new Error(`${problems.join("; ")}\n${result.output.slice(-600)}`);
}

/** @param {number} group @param {NodeJS.Signals} signal */
function signalGroup(group, signal) {
  try {
    process.kill(-group, signal);
  } catch {
    // already gone
  }
}

const pnpm = join(root, "node_modules", ".bin", "pnpm");
const CHECKS = [
  {
    name: "Ctrl-C typed on the terminal of `pnpm demo` stops it with exit 0 and no [ELIFECYCLE]",
    run: async () =>
      expectCleanStop(
        await runAndInterrupt(["script", "-qec", `${pnpm} demo`, "/dev/null"], root, (child) =>
          child.stdin.write("\x03"),
        ),
      ),
  },
  .../** @type {const} */ (["SIGINT", "SIGTERM"]).map((signal) => ({
    name: `${signal} to the process group of node apps/node/server.mjs stops it with exit 0`,
    run: async () =>
      expectCleanStop(
        await runAndInterrupt(["node", "server.mjs"], join(root, "apps", "node"), (child) =>
          signalGroup(child.pid ?? 0, signal),
        ),
      ),
  })),
];

let passed = 0;
let failed = 0;
for (const check of CHECKS) {
  try {
    await check.run();
    passed++;
    console.log(`✓ ${check.name}`);
  } catch (error) {
    failed++;
    console.log(
      `✗ ${check.name}\n    ${String(error instanceof Error ? error.message : error).replaceAll("\n", "\n    ")}`,
    );
  }
}
console.log(`demo-stop: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
