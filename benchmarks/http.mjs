// HTTP level: a Basic-protected GET / over loopback, driven by autocannon
// from Node, against each server of one runtime, each in its own process, on
// the 200 path (right credentials) and the 401 path (wrong password):
//   node benchmarks/http.mjs [--runtime node|deno|bun] [--quick] [--out DIR] [--duration SECONDS]
// Node's servers are lib/http-servers.mjs (node:http, express, hono on
// @hono/node-server, @httpauth/node); Deno's and Bun's are
// lib/http-servers-fetch.mjs (Deno.serve / Bun.serve, hono, @httpauth/deno or
// @httpauth/bun), run by the deno and bun binaries of the root devDependencies.
// The load generator is the same for the three runtimes: autocannon in this
// Node process, so only the server changes.
// Runs are bounded (10 s each, 2 connections, 127.0.0.1 only), each preceded
// by a 1 s warm-up whose numbers are dropped, in two rounds (one in quick
// mode), the order of the servers reversed from one path and round to the
// next. Before timing, each server's answers are checked once (status,
// challenge, body); a server that answers wrong is marked and not used as a
// reference. Writes results/http-<runtime>.json.

import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import autocannon from "autocannon";
import { cpuInfo, gitInfo, runtimeInfo } from "./lib/environment.mjs";
import { PASSWORD, REALM, SERVERS, USERNAME } from "./lib/http-servers.mjs";
import { FETCH_SERVERS } from "./lib/http-servers-fetch.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const runtimeName = option("--runtime") ?? "node";
if (!["node", "deno", "bun"].includes(runtimeName)) {
  console.error(`--runtime is node, deno or bun, not ${runtimeName}`);
  process.exit(2);
}
const benchmarksFolder = new URL("./", import.meta.url);
const root = new URL("..", benchmarksFolder).pathname;
const outFolder = option("--out") ?? new URL(quick ? "./results/quick/" : "./results/", benchmarksFolder).pathname;
const settings = {
  durationSeconds: Number(option("--duration") ?? (quick ? 2 : 10)),
  warmupSeconds: quick ? 0.5 : 1,
  // Two rounds, the order of the servers reversed in the second: drift on a shared machine falls on every server.
  rounds: quick ? 1 : 2,
  connections: 2,
  pipelining: 1,
};
const PATHS = {
  200: `Basic ${btoa(`${USERNAME}:${PASSWORD}`)}`,
  401: `Basic ${btoa(`${USERNAME}:wrong-password`)}`,
};

/**
 * The binary of the root devDependency `deno` or `bun`, called directly (not
 * through node_modules/.bin, whose shims run it under a Node wrapper): the
 * server's CPU time is then read from its own process.
 */
function runtimeBinary(name) {
  const require = createRequire(join(root, "package.json"));
  const folder = dirname(require.resolve(`${name}/package.json`));
  return name === "deno" ? join(folder, "deno") : join(folder, "bin", "bun.exe");
}

/** The command that starts server `id` of the runtime measured. */
function serverCommand(id) {
  const fetchServers = new URL("./lib/http-servers-fetch.mjs", benchmarksFolder).pathname;
  if (runtimeName === "deno") return [runtimeBinary("deno"), ["run", "-A", fetchServers, id]];
  if (runtimeName === "bun") return [runtimeBinary("bun"), [fetchServers, id]];
  return [process.execPath, [new URL("./lib/http-servers.mjs", benchmarksFolder).pathname, id]];
}

/** The servers of the runtime measured, in order. */
const DEFINITIONS = runtimeName === "node" ? SERVERS : FETCH_SERVERS[runtimeName];

/** Starts one server process; resolves to { port, runtime?, child } or { unavailable }. */
function start(id) {
  const [command, parameters] = serverCommand(id);
  // From the repository root: Deno finds the workspace (deno.json) there.
  const child = spawn(command, parameters, {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: "1" },
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${id}: no answer within 20 s`)), 20_000);
    lines.on("line", (line) => {
      if (line.startsWith("listening ")) {
        clearTimeout(timer);
        // "listening <port>", and on Deno and Bun the runtime as JSON after it.
        const [, port, ...runtime] = line.split(" ");
        resolve({
          port: Number(port),
          runtime: runtime.length === 0 ? undefined : JSON.parse(runtime.join(" ")),
          child,
        });
      } else if (line.startsWith("unavailable ")) {
        clearTimeout(timer);
        resolve({ unavailable: line.slice(12) });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ unavailable: `exited with code ${code}` });
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** The answers on both paths, checked once: 200 "ok"; 401 with a Basic challenge that names the realm. */
async function check(port) {
  const url = `http://127.0.0.1:${port}/`;
  const problems = [];
  const ok = await fetch(url, { headers: { authorization: PATHS[200] } });
  const okBody = await ok.text();
  if (ok.status !== 200 || okBody !== "ok") problems.push(`200 path answered ${ok.status} ${JSON.stringify(okBody)}`);
  const refused = await fetch(url, { headers: { authorization: PATHS[401] } });
  await refused.text();
  const challenge = refused.headers.get("www-authenticate") ?? "";
  if (refused.status !== 401) problems.push(`401 path answered ${refused.status}`);
  if (!/^Basic realm="bench"/i.test(challenge)) problems.push(`401 without a Basic challenge naming the realm`);
  return { correct: problems.length === 0, problems, challenge };
}

function load(port, authorization, duration) {
  return autocannon({
    url: `http://127.0.0.1:${port}/`,
    connections: settings.connections,
    pipelining: settings.pipelining,
    duration,
    headers: { authorization },
  });
}

function round(value, digits = 1) {
  return Number(value.toFixed(digits));
}

/**
 * CPU time the server process has used, in µs (user + system, from
 * /proc/<pid>/stat in clock ticks of 10 ms); undefined where there is no /proc.
 */
function cpuMicroseconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}

async function measure(server, path) {
  await load(server.port, PATHS[path], settings.warmupSeconds);
  const cpuBefore = cpuMicroseconds(server.child.pid);
  const result = await load(server.port, PATHS[path], settings.durationSeconds);
  const cpuAfter = cpuMicroseconds(server.child.pid);
  const expectedStatus = Number(path);
  const answered = expectedStatus === 200 ? result["2xx"] : result["4xx"];
  return {
    requestsPerSecond: round(result.requests.average, 0),
    requests: result.requests.total,
    // With 2 connections the server is often waiting on the client: CPU per request tells what it costs.
    serverCpuMicrosecondsPerRequest:
      cpuBefore === undefined || cpuAfter === undefined
        ? null
        : round((cpuAfter - cpuBefore) / result.requests.total, 2),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    expectedAnswers: answered,
    otherAnswers: result.requests.total - answered,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function ratio(numerator, denominator) {
  return numerator === undefined || denominator === undefined ? null : round(numerator / denominator, 3);
}

/** The targets of issue 19 for the runtime measured: ratios of @httpauth's adapter to a reference server. */
const TARGETS = {
  node: [
    {
      path: "200",
      reference: "bare",
      limit: 0.95,
      target: "200 path: @httpauth/node ≥ 0.95× the bare node:http handler",
    },
    {
      path: "401",
      reference: "bare",
      limit: 0.9,
      target: "401 path: @httpauth/node ≥ 0.9× the bare node:http handler",
    },
    {
      path: "200",
      reference: "express",
      limit: 3,
      target: "200 path: @httpauth/node ≥ 3× express + express-basic-auth",
    },
    {
      path: "401",
      reference: "express",
      limit: 3,
      target: "401 path: @httpauth/node ≥ 3× express + express-basic-auth",
    },
  ],
  // Deno and Bun share the wording, so the dashboard's targets table gives them one row each.
  fetch: ["200", "401"].flatMap((path) => [
    {
      path,
      reference: "bare",
      limit: 0.9,
      target: `${path} path: @httpauth/deno and /bun ≥ 0.9× the bare Deno.serve / Bun.serve handler`,
    },
    { path, reference: "hono", limit: 1.5, target: `${path} path: @httpauth/deno and /bun ≥ 1.5× hono basicAuth` },
  ]),
};

async function main() {
  let runtime = runtimeName === "node" ? runtimeInfo() : { name: runtimeName };
  const startedAt = new Date();
  console.log(
    `HTTP benchmark on ${runtimeName}: ${settings.durationSeconds} s per run, ${settings.connections} connections, load from node ${process.versions.node}`,
  );
  // Every server is started and checked first; then each path is measured
  // server by server, the 401 path in reverse order, so that drift on a
  // shared machine does not always fall on the same server.
  const servers = [];
  const running = [];
  try {
    for (const definition of DEFINITIONS) {
      const entry = { name: definition.name, id: definition.id, description: definition.description, results: {} };
      servers.push(entry);
      const started = await start(definition.id);
      if (started.unavailable !== undefined) {
        entry.unavailable = started.unavailable;
        console.log(`${definition.name}: unavailable (${started.unavailable})`);
        continue;
      }
      if (started.runtime !== undefined) runtime = started.runtime;
      running.push({ entry, ...started });
      Object.assign(entry, await check(started.port));
      if (!entry.correct) console.log(`${definition.name}: answers wrong (${entry.problems.join("; ")})`);
    }
    for (let pass = 0; pass < settings.rounds; pass++) {
      for (const [index, path] of Object.keys(PATHS).entries()) {
        for (const server of (index + pass) % 2 === 0 ? running : [...running].reverse()) {
          const run = await measure(server, path);
          const runs = [...(server.entry.results[path]?.runs ?? []), run];
          // Requests per second: the mean of the rounds; each round is kept as it was.
          const mean = (key) => runs.reduce((sum, each) => sum + (each[key] ?? Number.NaN), 0) / runs.length;
          server.entry.results[path] = {
            requestsPerSecond: round(mean("requestsPerSecond"), 0),
            serverCpuMicrosecondsPerRequest:
              run.serverCpuMicrosecondsPerRequest === null ? null : round(mean("serverCpuMicrosecondsPerRequest"), 2),
            runs,
          };
          console.log(
            `${server.entry.name.padEnd(44)} ${path}: ${String(run.requestsPerSecond).padStart(7)} req/s, ` +
              `server CPU ${run.serverCpuMicrosecondsPerRequest ?? "?"} µs/request`,
          );
        }
      }
    }
  } finally {
    for (const server of running) await stop(server.child);
  }

  const byId = (id) => servers.find((server) => server.id === id);
  const rate = (id, path) => {
    const server = byId(id);
    return server?.correct ? server.results[path]?.requestsPerSecond : undefined;
  };
  const cpu = (id, path) => {
    const server = byId(id);
    return server?.correct ? (server.results[path]?.serverCpuMicrosecondsPerRequest ?? undefined) : undefined;
  };
  const ratios = {};
  for (const path of Object.keys(PATHS)) {
    ratios[path] = Object.fromEntries(
      servers.map((server) => [
        server.id,
        {
          toBare: ratio(rate(server.id, path), rate("bare", path)),
          ...(runtimeName === "node"
            ? { toExpress: ratio(rate(server.id, path), rate("express", path)) }
            : { toHono: ratio(rate(server.id, path), rate("hono", path)) }),
          // Server CPU per request, relative to the bare handler's (lower is cheaper).
          cpuToBare: ratio(cpu(server.id, path), cpu("bare", path)),
        },
      ]),
    );
  }
  const targets = TARGETS[runtimeName === "node" ? "node" : "fetch"].map(({ path, reference, limit, target }) => {
    const measured = ratio(rate("httpauth", path), rate(reference, path));
    return { path, target, reference, measured, limit, met: measured === null ? null : measured >= limit };
  });
  console.table(targets.map(({ target, measured, met }) => ({ target, measured, met })));

  const git = gitInfo(new URL("..", benchmarksFolder).pathname);
  const report = {
    schema: 1,
    suite: "httpauth HTTP-level benchmark",
    mode: quick ? "quick" : "full",
    runtime,
    cpu: cpuInfo(),
    commit: git.commit,
    dirty: git.dirty,
    date: startedAt.toISOString(),
    settings: {
      ...settings,
      tool: `autocannon 9 on node ${process.versions.node}`,
      target: "GET / on 127.0.0.1",
      realm: REALM,
    },
    paths: Object.keys(PATHS),
    servers,
    ratios,
    targets,
  };
  mkdirSync(outFolder, { recursive: true });
  const file = `${outFolder.replace(/\/$/, "")}/http-${runtimeName}.json`;
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

await main();
