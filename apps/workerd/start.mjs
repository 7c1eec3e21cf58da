// @ts-check
// Serves worker.ts with workerd, the open-source Cloudflare Workers runtime from the npm
// package `workerd`: no Cloudflare account, no network. It bundles the worker with esbuild,
// writes a workerd config (a Cap'n Proto text file) into a temporary folder, and runs
// `workerd serve` until Ctrl-C. Settings from HOST, PORT (default 8083), DEMO_USER,
// DEMO_PASSWORD, DEMO_TOKEN, HTTPAUTH_SECRET; they reach the worker as text bindings.
// `node start.mjs <worker> <name>` serves another worker (apps/hono's worker.mjs), the path
// relative to this folder.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { banner, readAddress, readCredentials } from "../shared/demo.mjs";

const RUNTIME = process.argv[3] || "workerd (a Worker)";
const COMPATIBILITY_DATE = "2026-11-01";
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

const here = dirname(fileURLToPath(import.meta.url));
const address = readAddress((name) => process.env[name], 8083);
const credentials = readCredentials((name) => process.env[name]);
// workerd cannot say which port it got for port 0, so pick a free one for it.
const port = address.port === 0 ? await freePort(address.host) : address.port;
const listen = `${address.host.includes(":") ? `[${address.host}]` : address.host}:${port}`;

const bundle = await build({
  entryPoints: [join(here, process.argv[2] || "worker.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  target: "es2022",
  write: false,
  logLevel: "warning",
});

const folder = mkdtempSync(join(tmpdir(), "httpauth-demo-workerd-"));
writeFileSync(join(folder, "worker.js"), bundle.outputFiles[0]?.text ?? "");
writeFileSync(
  join(folder, "config.capnp"),
  `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .demo)],
  sockets = [(name = "http", address = ${capnpText(listen)}, http = (), service = "main")],
);

const demo :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [
    (name = "DEMO_USER", text = ${capnpText(credentials.user)}),
    (name = "DEMO_PASSWORD", text = ${capnpText(credentials.password)}),
    (name = "DEMO_TOKEN", text = ${capnpText(credentials.token)}),
    (name = "HTTPAUTH_SECRET", text = ${capnpText(process.env.HTTPAUTH_SECRET ?? "")}),
  ],
);
`,
);

const workerd = spawn(workerdBinary(), ["serve", join(folder, "config.capnp")], { stdio: "inherit" });
let stopping = false;
workerd.once("error", (error) => finish(`cannot start workerd: ${error.message}`, 1));
workerd.once("exit", (code, signal) => finish(stopping ? undefined : `workerd exited (${signal ?? code})`, code ?? 1));
for (const name of /** @type {const} */ (["SIGINT", "SIGTERM"])) process.once(name, () => stop());

if (await listening(address.host, port)) {
  console.log(banner(RUNTIME, { host: address.host, port }, credentials));
} else if (workerd.exitCode === null) {
  console.error(`workerd did not listen on ${listen} within ${STARTUP_TIMEOUT_MS / 1000} s`);
  stop(1);
}

/** Stops workerd (SIGTERM, then SIGKILL), then exits. */
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  if (workerd.exitCode !== null || workerd.signalCode !== null) return finish(undefined, code);
  workerd.kill("SIGTERM");
  setTimeout(() => workerd.kill("SIGKILL"), STOP_TIMEOUT_MS).unref();
}

/**
 * @param {string | undefined} message
 * @param {number} code
 */
function finish(message, code) {
  if (message !== undefined) console.error(message);
  rmSync(folder, { recursive: true, force: true });
  process.exit(stopping ? Number(process.exitCode ?? 0) : code);
}

/** The binary of the npm package `workerd`. */
function workerdBinary() {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("workerd/package.json");
  const { bin } = require(manifest);
  return join(dirname(manifest), typeof bin === "string" ? bin : bin.workerd);
}

/**
 * A Cap'n Proto text literal: quotes and backslashes escaped, bytes outside printable ASCII as \xNN.
 * @param {string} value
 */
function capnpText(value) {
  let literal = "";
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    literal +=
      byte < 0x20 || byte > 0x7e ? `\\x${byte.toString(16).padStart(2, "0")}` : /["\\]/.test(char) ? `\\${char}` : char;
  }
  return `"${literal}"`;
}

/**
 * Whether workerd accepts connections within the start-up time; false as soon as it exits.
 * @param {string} host
 * @param {number} port
 */
async function listening(host, port) {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline && workerd.exitCode === null && workerd.signalCode === null) {
    const connected = await new Promise((resolve) => {
      const socket = connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (connected) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/**
 * A port that was free on `host` a moment ago.
 * @param {string} host
 * @returns {Promise<number>}
 */
function freePort(host) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const bound = server.address();
      server.close(() => resolve(typeof bound === "object" && bound !== null ? bound.port : 0));
    });
  });
}
