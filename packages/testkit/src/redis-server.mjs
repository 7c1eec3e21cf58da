// A real redis-server for tests: installed from Debian's redis-server package when missing
// (apt-get update, then apt-get install -y, as root; a server that still is missing is an
// error, never a skip), started on a free loopback port without persistence, and stopped.
// Plain Node ESM (child_process, net), so Node, vitest and Bun run it alike.

import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { connect, createServer } from "node:net";
import { delimiter, join } from "node:path";

const HOST = "127.0.0.1";
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const APT_TIMEOUT_MS = 10 * 60_000;

/** Every server started and not yet stopped, killed when the process exits. */
const running = new Set();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function which(name) {
  for (const folder of (process.env.PATH ?? "").split(delimiter).concat(["/usr/bin", "/usr/sbin"])) {
    if (folder === "") continue;
    try {
      accessSync(join(folder, name), constants.X_OK);
      return join(folder, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The path of redis-server, installing Debian's package when it is missing. */
export function ensureRedisServer() {
  const found = which("redis-server");
  if (found !== undefined) return found;
  if (process.getuid?.() !== 0) {
    throw new Error("redis-server is missing and this is not root: run apt-get install -y redis-server");
  }
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const argv of [
    ["apt-get", "update"],
    ["apt-get", "install", "-y", "redis-server"],
  ]) {
    const result = spawnSync(argv[0], argv.slice(1), { env, encoding: "utf8", timeout: APT_TIMEOUT_MS });
    if (result.status !== 0) {
      throw new Error(`${argv.join(" ")} failed: ${result.error?.message ?? result.stderr.slice(-2000)}`);
    }
  }
  const installed = which("redis-server");
  if (installed === undefined) throw new Error("apt-get install -y redis-server did not give a redis-server");
  return installed;
}

/** A loopback port that was free a moment ago. */
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

/** Sends one inline command over a fresh connection; resolves to the raw reply text. */
export function redisCommand(port, command, timeoutMs = 2_000) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let reply = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis-server on port ${port}: no reply to ${command} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => socket.write(`${command}\r\n`));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.endsWith("\r\n")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply.trimEnd());
      }
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function spawnServer(binary, port) {
  const child = spawn(
    binary,
    ["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--maxmemory-policy", "noeviction"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  child.once("exit", () => running.delete(child));
  return { child, output: () => output };
}

async function waitReady(port, process) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (process.child.exitCode !== null) break;
    try {
      if ((await redisCommand(port, "PING", 1_000)) === "+PONG") return;
    } catch {
      // not yet listening
    }
    await sleep(50);
  }
  process.child.kill("SIGKILL");
  throw new Error(`redis-server on port ${port} did not start:\n${process.output().trim()}`);
}

function stopChild(child, signal = "SIGTERM") {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Starts redis-server on a free loopback port (no RDB, no AOF, noeviction) and waits for PING.
 * `kill()` ends it at once (SIGKILL); `restart()` starts it again on the same port, empty.
 */
export async function startRedisServer() {
  const binary = ensureRedisServer();
  const port = await freePort();
  let current = spawnServer(binary, port);
  await waitReady(port, current);
  return {
    port,
    url: `redis://${HOST}:${port}`,
    command: (command) => redisCommand(port, command),
    kill: () => stopChild(current.child, "SIGKILL"),
    stop: () => stopChild(current.child),
    async restart() {
      await stopChild(current.child);
      current = spawnServer(binary, port);
      await waitReady(port, current);
    },
  };
}
