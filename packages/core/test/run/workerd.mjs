// Runs the conformance suite under workerd: bundles workerd.ts with esbuild,
// serves it on a free loopback port, fetches the report once and prints it.
// Ends with `workerd: N passed, M failed`; exits 1 on any failure or error.
// workerd is always stopped, and every wait is bounded.

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

// nodejs_compat (for node:assert/strict) is on by default from 2026-08-04; workerd
// warns when the flag is also given, so the config only sets the date.
const COMPATIBILITY_DATE = "2026-11-01";
const STARTUP_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const HOST = "127.0.0.1";

const here = dirname(fileURLToPath(import.meta.url));

/** The workerd binary of the installed `workerd` package (a root devDependency). */
function workerdBinary() {
  const require = createRequire(import.meta.url);
  const packageJsonPath = require.resolve("workerd/package.json");
  const { bin } = require(packageJsonPath);
  return join(dirname(packageJsonPath), typeof bin === "string" ? bin : bin.workerd);
}

/** A loopback port that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Resolves to true once `promise` settles, or to false after `milliseconds`; leaves no timer behind. */
function settlesWithin(promise, milliseconds) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), milliseconds);
  });
  return Promise.race([promise.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

function configFor(port) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .suite)],
  sockets = [(name = "http", address = "${HOST}:${port}", http = (), service = "main")],
);

const suite :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
);
`;
}

async function bundle() {
  const result = await build({
    entryPoints: [join(here, "workerd.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["node:*"],
    write: false,
    logLevel: "warning",
  });
  return result.outputFiles[0].text;
}

/** Starts workerd and resolves once its socket accepts connections. */
async function start(configPath, port) {
  const child = spawn(workerdBinary(), ["serve", configPath], { stdio: ["ignore", "inherit", "inherit"] });
  let exited = false;
  let spawnError;
  child.once("exit", () => {
    exited = true;
  });
  child.once("error", (error) => {
    spawnError = error;
    exited = true;
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) {
      return { child, error: spawnError ?? new Error(`workerd exited during startup (code ${child.exitCode})`) };
    }
    if (await canConnect(port)) return { child };
    await sleep(100);
  }
  return { child, error: new Error(`workerd did not listen on ${HOST}:${port} within ${STARTUP_TIMEOUT_MS} ms`) };
}

/** Stops workerd: SIGTERM, then SIGKILL if it has not exited in time. */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  if (!(await settlesWithin(exited, STOP_TIMEOUT_MS))) {
    child.kill("SIGKILL");
    await settlesWithin(exited, STOP_TIMEOUT_MS);
  }
}

async function main() {
  const directory = await mkdtemp(join(tmpdir(), "httpauth-workerd-"));
  let child;
  const onSignal = () => {
    child?.kill("SIGKILL");
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await writeFile(join(directory, "worker.js"), await bundle());
    const port = await freePort();
    const configPath = join(directory, "config.capnp");
    await writeFile(configPath, configFor(port));
    const started = await start(configPath, port);
    child = started.child;
    if (started.error) throw started.error;

    const response = await fetch(`http://${HOST}:${port}/`, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
    const { passed, failed, failures } = await response.json();
    for (const { name, message } of failures) console.log(`✗ ${name}\n  ${message.replaceAll("\n", "\n  ")}`);
    console.log(`workerd: ${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    if (child) await stop(child);
    await rm(directory, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`workerd runner failed: ${error?.stack ?? error}`);
    process.exitCode = 1;
  },
);
