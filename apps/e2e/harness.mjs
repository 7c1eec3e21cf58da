// @ts-check
// The machinery of the end-to-end suite: installing the clients, starting an app in its own
// process group and always stopping it, running a client with a time limit, and reading a
// response's header lines exactly as they came over the wire. Every wait here is bounded.

import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { delimiter, join } from "node:path";

export const HOST = "127.0.0.1";
/** Debian's Python, where python3-requests lives. */
export const PYTHON = "/usr/bin/python3";
export const CHROMIUM = "/usr/bin/chromium";

const APT_UPDATE_TIMEOUT_MS = 5 * 60_000;
const APT_INSTALL_TIMEOUT_MS = 10 * 60_000;
const PNPM_INSTALL_TIMEOUT_MS = 5 * 60_000;
const APP_START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;

/** Every process started and not yet known to be gone: process groups (negative) and plain pids. */
const running = new Set();

/** Kills everything still running; for signals and process exit, where nothing can be awaited. */
export function killEverything() {
  for (const id of running) {
    try {
      process.kill(id, "SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

process.once("exit", killEverything);
for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM"])) {
  process.once(signal, () => {
    console.log(`\n${signal}: stopping every process the suite started`);
    killEverything();
    process.exit(130);
  });
}

// ── Commands ───────────────────────────────────────────────────────────────

/**
 * @typedef {object} CommandResult
 * @property {number | null} code      The exit code; null when killed.
 * @property {string} stdout
 * @property {string} stderr
 * @property {string | undefined} error  Why it did not run to its end (spawn error, time limit).
 */

/**
 * Runs a command to its end, or kills it after `timeoutMs`.
 * @param {string[]} argv
 * @param {{ env?: NodeJS.ProcessEnv, timeoutMs?: number, cwd?: string }} [options]
 * @returns {Promise<CommandResult>}
 */
export function runCommand(argv, options = {}) {
  const { env = process.env, timeoutMs = 30_000, cwd } = options;
  return new Promise((resolve) => {
    const [command = "", ...parameters] = argv;
    const child = spawn(command, parameters, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid !== undefined) running.add(child.pid);
    /** @type {Buffer[]} */
    const out = [];
    /** @type {Buffer[]} */
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    /** @type {string | undefined} */
    let error;
    const timer = setTimeout(() => {
      error = `no answer within ${timeoutMs / 1000} s: killed`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (spawnError) => {
      error = spawnError.message;
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
        error,
      });
    });
  });
}

/**
 * The path of an executable on PATH, or undefined.
 * @param {string} name
 */
export function which(name) {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    if (folder !== "" && isExecutable(join(folder, name))) return join(folder, name);
  }
  return undefined;
}

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ── Clients ────────────────────────────────────────────────────────────────

/**
 * The clients the suite drives, each from a Debian package.
 * @type {ReadonlyArray<{ name: string, debian: string, present: () => Promise<boolean> }>}
 */
const DEBIAN_CLIENTS = [
  { name: "curl", debian: "curl", present: async () => which("curl") !== undefined },
  { name: "wget", debian: "wget", present: async () => which("wget") !== undefined },
  { name: "python3", debian: "python3", present: async () => which(PYTHON) !== undefined },
  {
    name: "python3-requests",
    debian: "python3-requests",
    present: async () => (await runCommand([PYTHON, "-c", "import requests"], { timeoutMs: 30_000 })).code === 0,
  },
  { name: "chromium", debian: "chromium", present: async () => which(CHROMIUM) !== undefined },
];

/**
 * Installs the Debian packages of missing clients (apt-get update, then apt-get install -y),
 * and playwright-core (pnpm install) when it cannot be loaded.
 * @param {string} root  The repository root.
 * @returns {Promise<Map<string, string>>}  Why a client is unavailable, by client name; empty when all are there.
 */
export async function installClients(root) {
  /** @type {Map<string, string>} */
  const unavailable = new Map();
  const missing = [];
  for (const client of DEBIAN_CLIENTS) if (!(await client.present())) missing.push(client);
  if (missing.length > 0) {
    const packages = missing.map((client) => client.debian);
    console.log(`installing ${packages.join(", ")} (apt-get)`);
    const problem = await aptInstall(packages);
    for (const client of missing) {
      if (!(await client.present())) unavailable.set(client.name, problem ?? `${client.debian} did not install`);
    }
  }
  if (loadPlaywright() === undefined) {
    console.log("installing playwright-core (pnpm install)");
    const pnpm = join(root, "node_modules", ".bin", "pnpm");
    const result = await runCommand([pnpm, "install", "--frozen-lockfile"], {
      cwd: root,
      timeoutMs: PNPM_INSTALL_TIMEOUT_MS,
    });
    if (loadPlaywright() === undefined) {
      unavailable.set("playwright-core", `cannot load playwright-core after pnpm install: ${summarize(result)}`);
    }
  }
  return unavailable;
}

/**
 * @param {string[]} packages
 * @returns {Promise<string | undefined>}  What went wrong, or undefined.
 */
async function aptInstall(packages) {
  if (process.getuid?.() !== 0) return `not root: run apt-get install -y ${packages.join(" ")}`;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = await runCommand(["apt-get", "update"], { env, timeoutMs: APT_UPDATE_TIMEOUT_MS });
  if (update.code !== 0) return `apt-get update failed: ${summarize(update)}`;
  const install = await runCommand(["apt-get", "install", "-y", ...packages], {
    env,
    timeoutMs: APT_INSTALL_TIMEOUT_MS,
  });
  return install.code === 0 ? undefined : `apt-get install failed: ${summarize(install)}`;
}

/**
 * playwright-core, or undefined when it cannot be loaded (require: a failed attempt is not cached).
 * @returns {typeof import("playwright-core") | undefined}
 */
export function loadPlaywright() {
  try {
    return createRequire(import.meta.url)("playwright-core");
  } catch {
    return undefined;
  }
}

/** @param {CommandResult} result */
export function summarize(result) {
  const text = `${result.error ?? `exit ${result.code}`}; ${result.stderr.trim() || result.stdout.trim()}`;
  const lines = text.split("\n");
  return lines.length > 6 ? [...lines.slice(0, 3), "…", ...lines.slice(-2)].join("\n") : text;
}

// ── Apps ───────────────────────────────────────────────────────────────────

/**
 * @typedef {object} RunningApp
 * @property {string} origin
 * @property {number} port
 * @property {() => string} output  Everything the app printed so far.
 * @property {() => Promise<void>} stop
 */

/**
 * Starts `pnpm --dir apps/<name> start` in a process group of its own, on a free port, without
 * DEMO_* variables (so the defaults are in force), and resolves once it printed its banner and
 * accepts connections. Rejects (after stopping it) when it exits or the start-up time runs out.
 * REDIS_URL and HTTPAUTH_SECRET are removed too, unless `settings` gives them.
 * A name `<app>-<runtime>` (`hono-bun`) starts `pnpm --dir apps/<app> start:<runtime>` instead.
 * @param {string} root
 * @param {string} name
 * @param {Record<string, string>} [settings]  More environment variables for the app.
 * @returns {Promise<RunningApp>}
 */
export async function startApp(root, name, settings = {}) {
  const [folder = name, runtime] = name.split("-", 2);
  const port = await freePort();
  /** @type {NodeJS.ProcessEnv} */
  const env = { ...process.env, HOST, PORT: String(port), npm_config_update_notifier: "false" };
  for (const variable of ["DEMO_USER", "DEMO_PASSWORD", "DEMO_TOKEN", "REDIS_URL", "HTTPAUTH_SECRET"]) {
    delete env[variable];
  }
  Object.assign(env, settings);
  const pnpm = join(root, "node_modules", ".bin", "pnpm");
  const child = spawn(
    pnpm,
    ["--dir", join(root, "apps", folder), runtime === undefined ? "start" : `start:${runtime}`],
    {
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const group = child.pid === undefined ? undefined : -child.pid;
  if (group !== undefined) running.add(group);
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  /** @type {string | undefined} */
  let exited;
  child.once("error", (error) => {
    exited = error.message;
  });
  child.once("exit", (code, signal) => {
    exited = `exited (${signal ?? `code ${code}`})`;
  });

  const stop = async () => {
    if (group === undefined) return;
    signalGroup(group, "SIGTERM");
    if (!(await groupGone(group, STOP_TIMEOUT_MS))) {
      signalGroup(group, "SIGKILL");
      await groupGone(group, STOP_TIMEOUT_MS);
    }
    running.delete(group);
  };

  const origin = `http://${HOST}:${port}`;
  const deadline = Date.now() + APP_START_TIMEOUT_MS;
  while (Date.now() < deadline && exited === undefined) {
    if (output.includes("Ctrl-C stops the server.") && (await canConnect(port))) {
      return { origin, port, output: () => output, stop };
    }
    await sleep(100);
  }
  await stop();
  const why = exited ?? `no banner and no listening socket within ${APP_START_TIMEOUT_MS / 1000} s`;
  throw new Error(`pnpm --dir apps/${name} start ${why}\n${output.trim()}`);
}

/**
 * @param {number} group
 * @param {NodeJS.Signals} signal
 */
function signalGroup(group, signal) {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}

/**
 * Whether every process of the group is gone within `milliseconds`.
 * @param {number} group
 * @param {number} milliseconds
 */
async function groupGone(group, milliseconds) {
  const deadline = Date.now() + milliseconds;
  for (;;) {
    try {
      process.kill(group, 0);
    } catch {
      return true;
    }
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

/** @returns {Promise<number>} A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** @param {number} port */
function canConnect(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** @param {number} milliseconds */
export function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

// ── The wire ───────────────────────────────────────────────────────────────

/**
 * @typedef {object} Tap
 * @property {string} origin  Where to send the client instead of the app.
 * @property {(path: string) => Array<string | undefined>} authorizations  The Authorization value of each request for `path`, in order.
 * @property {() => Promise<void>} close
 */

/**
 * A TCP relay on a free loopback port to the app's port that notes each request's target and
 * Authorization header: for a client that cannot say what it sent (Chromium adds credentials
 * inside its network stack, out of sight of the DevTools protocol). Bodies are not expected.
 * @param {number} targetPort
 * @returns {Promise<Tap>}
 */
export async function tap(targetPort) {
  /** @type {Array<{ path: string, authorization: string | undefined }>} */
  const requests = [];
  /** @type {Set<import("node:net").Socket>} */
  const sockets = new Set();
  const server = createServer((client) => {
    const upstream = connect({ host: HOST, port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      socket.once("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    let pending = "";
    client.on("data", (chunk) => {
      pending += chunk.toString("latin1");
      for (let end = pending.indexOf("\r\n\r\n"); end !== -1; end = pending.indexOf("\r\n\r\n")) {
        const [requestLine = "", ...lines] = pending.slice(0, end).split("\r\n");
        const field = lines.find((line) => /^authorization:/i.test(line));
        requests.push({
          path: requestLine.split(" ")[1] ?? "",
          authorization: field?.slice(field.indexOf(":") + 1).trim(),
        });
        pending = pending.slice(end + 4);
      }
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    origin: `http://${HOST}:${port}`,
    authorizations: (path) =>
      requests.filter((request) => request.path === path).map((request) => request.authorization),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * @typedef {object} RawResponse
 * @property {number} status
 * @property {Array<[string, string]>} fields  Every header field line as sent: [name, value].
 */

/**
 * Sends one GET over a fresh TCP connection and reads the header section as it arrives.
 * @param {number} port
 * @param {string} path
 * @param {Record<string, string>} [headers]
 * @param {number} [timeoutMs]
 * @returns {Promise<RawResponse>}
 */
export function rawGet(port, path, headers = {}, timeoutMs = 20_000) {
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const head = `GET ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\n${extra.join("")}Connection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let received = "";
    const timer = setTimeout(() => fail(new Error(`no header section within ${timeoutMs / 1000} s`)), timeoutMs);
    /** @param {Error} error */
    function fail(error) {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.once("connect", () => socket.write(head, "latin1"));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end === -1) return;
      clearTimeout(timer);
      socket.destroy();
      const [statusLine = "", ...lines] = received.slice(0, end).split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? Number.NaN);
      /** @type {Array<[string, string]>} */
      const fields = lines.map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
      });
      resolve({ status, fields });
    });
    socket.once("error", fail);
    socket.once("close", () => fail(new Error("the connection closed before the end of the header section")));
  });
}
