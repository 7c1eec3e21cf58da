// Running a worker under workerd from Node, for the test runners of core
// (test/run/workerd.mjs) and web (test/workerd.mjs): the workerd binary of
// the installed `workerd` package, a free loopback port, a scratch folder
// with the bundled worker and its capnp config, start (bounded wait until the
// socket accepts connections), stop (SIGTERM, then SIGKILL), and cleanup,
// also on SIGINT and SIGTERM. Plain Node ESM, so Node 20 runs it as it is.

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";

/** The loopback address workerd listens on. */
export const HOST = "127.0.0.1";
/** The compatibility date of the test workers. nodejs_compat (for node:assert/strict) is on by default from 2026-08-04. */
export const COMPATIBILITY_DATE = "2026-11-01";
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

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

/**
 * Bundles a worker (or a module for Node to import) with esbuild: one ES
 * module, `node:*` left external.
 *
 * @param {string} entry the entry file
 * @param {{ platform?: "neutral" | "node", alias?: Record<string, string> }} [options]
 * @returns {Promise<string>} the bundled code
 */
export async function bundle(entry, options = {}) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: options.platform ?? "neutral",
    target: "es2022",
    ...(options.alias === undefined ? {} : { alias: options.alias }),
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

/**
 * Runs `body` against a workerd serving `config`: writes `files` (name →
 * contents; the worker bundle among them) and `config.capnp` into a fresh
 * scratch folder, starts workerd on a free loopback port, calls
 * `body({ origin, port, directory })`, and always stops workerd and removes
 * the folder, also on SIGINT or SIGTERM.
 *
 * @template T
 * @param {{ prefix: string, files: Record<string, string>, config: (port: number) => string }} setup
 *   `prefix` names the scratch folder; `config` writes the capnp config for a port
 * @param {(server: { origin: string, port: number, directory: string }) => Promise<T>} body
 * @returns {Promise<T>} what `body` resolves to
 */
export async function withWorkerd(setup, body) {
  const directory = await mkdtemp(join(tmpdir(), setup.prefix));
  let child;
  const onSignal = () => {
    child?.kill("SIGKILL");
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for (const [name, contents] of Object.entries(setup.files)) await writeFile(join(directory, name), contents);
    const port = await freePort();
    const configPath = join(directory, "config.capnp");
    await writeFile(configPath, setup.config(port));
    const started = await start(configPath, port);
    child = started.child;
    if (started.error) throw started.error;
    return await body({ origin: `http://${HOST}:${port}`, port, directory });
  } finally {
    if (child) await stop(child);
    await rm(directory, { recursive: true, force: true });
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
