// Runs @httpauth/web under workerd: bundles test/workerd-worker.ts with
// esbuild, serves it on a free loopback port, and checks it from Node:
//   - plain requests (no credentials, Basic) and createAuthFetch (Digest, Bearer);
//   - the raw bytes of a 401, read over a TCP socket: one WWW-Authenticate
//     line per challenge, each with its realm;
//   - createAuthFetch run inside workerd, through a service binding to the
//     same worker and through workerd's fetch over loopback.
// Ends with `web-workerd: N passed, M failed`; exits 1 on any failure or error.
// workerd is always stopped, and every wait is bounded.

import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const COMPATIBILITY_DATE = "2026-11-01";
const STARTUP_TIMEOUT_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;
const HOST = "127.0.0.1";

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = join(here, "..");
// Bundle core from its source, so this runner does not depend on core's dist being fresh.
const coreSource = join(packageRoot, "..", "core", "src", "index.ts");

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

// The worker's global fetch goes out through "loopback", a network that may
// reach only local addresses (workerd's default "internet" allows public ones only).
function configFor(port) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "${HOST}:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [(name = "SELF", service = "main")],
  globalOutbound = "loopback",
);
`;
}

async function bundle(entry, platform) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform,
    target: "es2022",
    alias: { "@httpauth/core": coreSource },
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

/** Sends `head` over a TCP socket and resolves to every byte received until the server closes; bounded. */
function rawExchange(port, head) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    const chunks = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${REQUEST_TIMEOUT_MS} ms`));
    }, REQUEST_TIMEOUT_MS);
    socket.once("connect", () => socket.write(head));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** The header section of a raw HTTP/1.1 response: the status line and each field line as sent. */
function headerLines(bytes) {
  const text = bytes.toString("latin1");
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) throw new Error("the response has no end of header section");
  return text.slice(0, end).split("\r\n");
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function main() {
  const directory = await mkdtemp(join(tmpdir(), "httpauth-web-workerd-"));
  let child;
  const onSignal = () => {
    child?.kill("SIGKILL");
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const results = { passed: 0, failed: 0 };
  async function check(name, body) {
    try {
      await body();
      results.passed++;
      console.log(`✓ ${name}`);
    } catch (error) {
      results.failed++;
      console.log(`✗ ${name}\n  ${String(error?.message ?? error).replaceAll("\n", "\n  ")}`);
    }
  }
  try {
    await writeFile(join(directory, "worker.js"), await bundle(join(here, "workerd-worker.ts"), "neutral"));
    await writeFile(join(directory, "client.mjs"), await bundle(join(packageRoot, "src", "index.ts"), "neutral"));
    const core = await bundle(coreSource, "neutral");
    await writeFile(join(directory, "core.mjs"), core);
    const { createAuthFetch } = await import(pathToFileURL(join(directory, "client.mjs")).href);
    const { parseChallenges, parseCredentials } = await import(pathToFileURL(join(directory, "core.mjs")).href);

    const port = await freePort();
    const configPath = join(directory, "config.capnp");
    await writeFile(configPath, configFor(port));
    const started = await start(configPath, port);
    child = started.child;
    if (started.error) throw started.error;
    const origin = `http://${HOST}:${port}`;
    const timeout = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);

    // (a) From Node over loopback.
    await check("no credentials: 401 with Digest SHA-256, Digest MD5, Basic, Bearer", async () => {
      const response = await fetch(`${origin}/`, { signal: timeout() });
      assert(response.status === 401, `status ${response.status}`);
      const challenges = parseChallenges(response.headers.get("www-authenticate") ?? "");
      const names = challenges.map((challenge) => `${challenge.scheme}${challenge.params.algorithm ?? ""}`);
      assert(names.join(",") === "digestSHA-256,digestMD5,basic,bearer", `challenges ${names.join(",")}`);
      assert(/^401 Unauthorized/.test(await response.text()), "body");
    });
    await check("correct Basic: 200 with the identity", async () => {
      const response = await fetch(`${origin}/hello`, {
        headers: { Authorization: "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==" },
        signal: timeout(),
      });
      const body = await response.json();
      assert(response.status === 200, `status ${response.status}`);
      assert(body.identity === "Aladdin" && body.scheme === "basic" && body.path === "/hello", JSON.stringify(body));
    });
    await check("wrong Basic: 401", async () => {
      const response = await fetch(`${origin}/`, {
        headers: { Authorization: "Basic QWxhZGRpbjp3cm9uZw==" },
        signal: timeout(),
      });
      assert(response.status === 401, `status ${response.status}`);
      await response.body?.cancel();
    });
    await check("Digest through createAuthFetch from Node: 200, rspauth verified, then pre-emptive nc=2", async () => {
      const sent = [];
      const authFetch = createAuthFetch(
        { username: "Mufasa", password: "Circle of Life" },
        {
          fetch: (request) => {
            sent.push(request.headers.get("authorization"));
            return fetch(request, { signal: timeout() });
          },
        },
      );
      const first = await authFetch(`${origin}/digest`);
      const body = await first.json();
      assert(first.status === 200 && body.identity === "Mufasa" && body.scheme === "digest", JSON.stringify(body));
      assert(/rspauth="[0-9a-f]{64}"/.test(first.headers.get("authentication-info") ?? ""), "Authentication-Info");
      const second = await authFetch(`${origin}/digest`);
      assert(second.status === 200, `second status ${second.status}`);
      await second.body?.cancel();
      assert(sent.length === 3 && sent[0] === null, `sent ${sent.length}`);
      const answer = parseCredentials(sent[1]).params;
      const preemptive = parseCredentials(sent[2]).params;
      assert(answer.algorithm === "SHA-256" && answer.nc === "00000001", "answer");
      assert(preemptive.nonce === answer.nonce && preemptive.nc === "00000002", "pre-emptive");
    });
    await check("Bearer through createAuthFetch from Node: 200", async () => {
      const response = await createAuthFetch({ token: "t0k3n" })(`${origin}/`, { signal: timeout() });
      const body = await response.json();
      assert(response.status === 200 && body.identity === "service" && body.scheme === "bearer", JSON.stringify(body));
    });

    // (b) The raw bytes of a 401. workerd keeps every appended value in its Headers, but its HTTP
    // serializer (kj's HttpHeaders) joins the values of the header names in its table, WWW-Authenticate
    // and Proxy-Authenticate among them, into one line with ", "; only Set-Cookie and names outside the
    // table keep a line per value. So the challenges arrive as one list on one line, which is valid
    // (RFC 9110 §5.3) but read only up to the first challenge by Chromium and lynx. Both forms are
    // accepted here, the form seen is printed, and the probe below pins down the mechanism.
    const rawGet = (path) =>
      rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: ${HOST}:${port}\r\nConnection: close\r\n\r\n`);
    const fieldLines = (lines, name) => lines.filter((line) => line.toLowerCase().startsWith(`${name}:`));
    const fieldValue = (line) => line.slice(line.indexOf(":") + 1).trim();
    await check(
      "raw 401: every challenge arrives, in order, each with its realm; the line layout is printed",
      async () => {
        const lines = headerLines(await rawGet("/"));
        assert(/^HTTP\/1\.1 401 /.test(lines[0] ?? ""), `status line ${lines[0]}`);
        const fields = fieldLines(lines, "www-authenticate");
        console.log(`  workerd sent ${fields.length} WWW-Authenticate line(s):`);
        for (const line of fields) console.log(`    ${line.length > 110 ? `${line.slice(0, 110)}…` : line}`);
        const perLine = fields.map((line) => parseChallenges(fieldValue(line)));
        const challenges = perLine.flat();
        const names = challenges.map((challenge) => `${challenge.scheme}${challenge.params.algorithm ?? ""}`);
        assert(names.join(",") === "digestSHA-256,digestMD5,basic,bearer", `challenges ${names.join(",")}`);
        for (const challenge of challenges) assert(challenge.params.realm === "workerd", "a challenge without realm");
        const oneEach = perLine.every((list) => list.length === 1);
        const joined = perLine.length === 1;
        assert(
          oneEach || joined,
          `an unexpected layout: ${perLine.map((list) => list.length).join("+")} challenges per line`,
        );
        console.log(oneEach ? "  → one line per challenge" : "  → workerd joined the challenges into one line");
      },
    );
    await check(
      "raw probe: appended values stay separate entries; workerd joins WWW-Authenticate, not X-Probe",
      async () => {
        const lines = headerLines(await rawGet("/headers-probe"));
        const probe = fieldLines(lines, "x-probe").map(fieldValue);
        const challenges = fieldLines(lines, "www-authenticate").map(fieldValue);
        console.log(`  X-Probe lines: ${JSON.stringify(probe)}; WWW-Authenticate lines: ${JSON.stringify(challenges)}`);
        assert(JSON.stringify(probe) === JSON.stringify(["first", "second"]), "X-Probe was not sent as two lines");
        const joined = JSON.stringify(challenges) === JSON.stringify(['Basic realm="one", Bearer realm="two"']);
        const separate = JSON.stringify(challenges) === JSON.stringify(['Basic realm="one"', 'Bearer realm="two"']);
        assert(joined || separate, `WWW-Authenticate lines ${JSON.stringify(challenges)}`);
      },
    );

    // (c) createAuthFetch inside workerd.
    for (const route of ["binding", "loopback"]) {
      const name = route === "binding" ? "a service binding to itself" : "workerd's fetch over loopback";
      let report;
      try {
        const response = await fetch(`${origin}/self-test/${route}`, { signal: timeout() });
        if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
        report = await response.json();
      } catch (error) {
        await check(`inside workerd, through ${name}`, () => {
          throw error;
        });
        continue;
      }
      for (let index = 0; index < report.passed; index++) results.passed++;
      console.log(`✓ inside workerd, through ${name}: ${report.passed} passed`);
      for (const { name: test, message } of report.failures) {
        results.failed++;
        console.log(`✗ inside workerd, through ${name}: ${test}\n  ${message}`);
      }
    }

    console.log(`web-workerd: ${results.passed} passed, ${results.failed} failed`);
    return results.failed === 0 && results.passed > 0 ? 0 : 1;
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
    console.error(`web-workerd runner failed: ${error?.stack ?? error}`);
    console.log("web-workerd: 0 passed, 1 failed");
    process.exitCode = 1;
  },
);
