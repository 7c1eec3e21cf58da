// The cost of a shared store: req/s of one Basic-protected route (@httpauth/node's protect on
// node:http) with no throttle, with the throttle counting in memory, and counting in Redis
// (createRedisStore over node-redis, on a redis-server started here on 127.0.0.1 without
// persistence), on the 200 path (right credentials: a hit, then a release and a reset) and the
// 401 path (wrong password: a hit). autocannon, 2 connections, 1 s warm-up, --duration s each.
//   node benchmarks/stores.mjs [--quick] [--duration SECONDS] [--out DIR]
// Writes results/stores-node.json. Not part of `pnpm test` or `pnpm bench` (it needs redis-server).

import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { startRedisServer } from "@httpauth/testkit/redis-server";
import autocannon from "autocannon";
import { cpuInfo, gitInfo, runtimeInfo } from "./lib/environment.mjs";
import { PASSWORD, USERNAME } from "./lib/http-servers.mjs";
import { STORE_SERVERS } from "./lib/store-servers.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const benchmarksFolder = new URL("./", import.meta.url);
const outFolder = option("--out") ?? new URL(quick ? "./results/quick/" : "./results/", benchmarksFolder).pathname;
const settings = {
  durationSeconds: Number(option("--duration") ?? (quick ? 2 : 10)),
  warmupSeconds: quick ? 0.5 : 1,
  connections: 2,
};
const PATHS = {
  200: `Basic ${btoa(`${USERNAME}:${PASSWORD}`)}`,
  401: `Basic ${btoa(`${USERNAME}:wrong-password`)}`,
};

function start(id, env) {
  const child = spawn(process.execPath, [new URL("./lib/store-servers.mjs", benchmarksFolder).pathname, id], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${id}: no answer within 20 s`)), 20_000);
    lines.on("line", (line) => {
      if (line.startsWith("listening ")) {
        clearTimeout(timer);
        resolve({ port: Number(line.slice(10)), child });
      } else if (line.startsWith("unavailable ")) {
        clearTimeout(timer);
        reject(new Error(`${id}: ${line.slice(12)}`));
      }
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
  });
}

function load(port, authorization, duration) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: settings.connections,
    duration,
    headers: { authorization },
  });
}

async function main() {
  const startedAt = new Date();
  const redis = await startRedisServer();
  const servers = [];
  try {
    for (const definition of STORE_SERVERS) {
      const running = await start(definition.id, { REDIS_URL: redis.url });
      const entry = { ...definition, results: {} };
      servers.push(entry);
      try {
        for (const [path, authorization] of Object.entries(PATHS)) {
          const probe = await fetch(`http://127.0.0.1:${running.port}/`, { headers: { authorization } });
          await probe.arrayBuffer();
          if (probe.status !== Number(path))
            throw new Error(`${definition.id}: the ${path} path answered ${probe.status}`);
          await load(running.port, authorization, settings.warmupSeconds);
          const result = await load(running.port, authorization, settings.durationSeconds);
          const expected = path === "200" ? result["2xx"] : result["4xx"];
          entry.results[path] = {
            requestsPerSecond: Math.round(result.requests.average),
            latencyP50Ms: result.latency.p50,
            latencyP99Ms: result.latency.p99,
            otherAnswers: result.requests.total - expected,
            errors: result.errors,
          };
          console.log(
            `${definition.name.padEnd(28)} ${path}: ${String(entry.results[path].requestsPerSecond).padStart(7)} req/s, p99 ${result.latency.p99} ms` +
              (entry.results[path].otherAnswers > 0 ? `, ${entry.results[path].otherAnswers} other answers` : ""),
          );
        }
      } finally {
        await stop(running.child);
      }
    }
  } finally {
    await redis.stop();
  }
  const report = {
    schema: 1,
    suite: "httpauth store benchmark",
    mode: quick ? "quick" : "full",
    runtime: runtimeInfo(),
    cpu: cpuInfo(),
    ...gitInfo(new URL("..", benchmarksFolder).pathname),
    date: startedAt.toISOString(),
    settings: {
      ...settings,
      tool: "autocannon 9",
      target: "GET / on 127.0.0.1",
      redis: "redis-server, loopback, no persistence",
    },
    servers,
  };
  mkdirSync(outFolder, { recursive: true });
  const file = `${outFolder.replace(/\/$/, "")}/stores-node.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

await main();
