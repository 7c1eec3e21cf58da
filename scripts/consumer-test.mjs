// The packages as a user gets them: each published package is packed
// (`pnpm pack`, as `pnpm publish` would), the tarballs are installed with
// `npm install --offline` into a scratch project whose only dependencies are
// those tarballs, and the scratch project imports them:
//
//   node ESM   import from each package
//   node CJS   require() each package, and the dual-package check: an
//              HTTPAuthError thrown by the CJS copy of core is recognised by
//              the ESM copy's isHTTPAuthError
//   deno       import from each package through the project's node_modules
//   bun        import from each package, and require() each package
//
// Each run checks that every package exports exactly the values of its
// test/__snapshots__/exports.txt and that each works: core parses Basic
// credentials, web, deno and bun's protect answer an in-process request
// without credentials with 401 and the challenge, node's timingSafeEqual
// compares, redis's store sends its script through a stand-in client. One check per runtime and package; ends with
// `consumer: N passed, M failed`. Needs no network. The packages must be built first.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, childEnvironment, packAll, printSummary, publishedPackages } from "./lib/packages.mjs";
import { valueNames } from "./lib/surface.mjs";

const packages = publishedPackages();
const scratch = mkdtempSync(join(tmpdir(), "httpauth-consumer-"));
const project = join(scratch, "project");
let passed = 0;
let failed = 0;

/** The checks, as the body of a module that has `load(name)` (import or require) and `report(label, ok, detail)`. */
function checks(expected) {
  return `
const expected = ${JSON.stringify(expected)};
const basic = "Basic " + btoa("ada:lovelace");
async function run(runtime, load) {
  const core = await load("@httpauth/core");
  const authenticator = core.createAuthenticator({
    schemes: [core.basicAuth({ realm: "api", verify: (user, password) => (password === "lovelace" ? user : undefined) })],
  });
  const refused = (response) =>
    response.status === 401 && /^Basic realm="api"/.test(response.headers.get("www-authenticate") ?? "");
  const smoke = {
    "@httpauth/core": async (library) =>
      JSON.stringify(library.parseBasicCredentials(basic)) === JSON.stringify({ username: "ada", password: "lovelace" }),
    "@httpauth/web": async (library) => {
      const handler = library.protect(() => new Response("ok"), authenticator);
      const allowed = await handler(new Request("http://localhost/", { headers: { authorization: basic } }));
      return refused(await handler(new Request("http://localhost/"))) && (await allowed.text()) === "ok";
    },
    "@httpauth/node": async (library) => library.timingSafeEqual("s3cr3t", "s3cr3t") && !library.timingSafeEqual("s3cr3t", "s3cr3"),
    "@httpauth/deno": async (library) => {
      const handler = library.protect(() => new Response("ok"), authenticator);
      return refused(await handler(new Request("http://localhost/"), { remoteAddr: { transport: "tcp", hostname: "127.0.0.1" } }));
    },
    "@httpauth/redis": async (library) => {
      const sent = [];
      const store = library.createRedisStore({ send: async (command, args) => (sent.push([command, ...args]), [1, 60000]) });
      const state = await store.hit("ada", 60000, 0);
      return state.count === 1 && state.resetAt === 60000 && sent[0][0] === "EVALSHA" && sent[0][3] === "httpauth:t:ada";
    },
    "@httpauth/bun": async (library) => {
      const handler = library.protect(() => new Response("ok"), authenticator);
      return refused(await handler(new Request("http://localhost/"), { requestIP: () => ({ address: "127.0.0.1" }) }));
    },
  };
  for (const [name, values] of Object.entries(expected)) {
    try {
      const library = await load(name);
      const names = Object.keys(library).filter((key) => key !== "default" && key !== "module.exports").sort();
      if (JSON.stringify(names) !== JSON.stringify(values)) {
        report(runtime + " " + name, false, "exports " + JSON.stringify(names) + ", expected " + JSON.stringify(values));
        continue;
      }
      const works = smoke[name] === undefined ? true : await smoke[name](library);
      report(runtime + " " + name, works, works ? "" : "the smoke check failed");
    } catch (error) {
      report(runtime + " " + name, false, String(error?.stack ?? error));
    }
  }
}
function report(label, ok, detail) {
  console.log((ok ? "ok " : "not ok ") + label + (detail ? ": " + detail.replace(/\\n/g, " | ") : ""));
}
`;
}

function command(label, argv, options = {}) {
  const [program, ...parameters] = argv;
  const result = spawnSync(program, parameters, {
    cwd: project,
    encoding: "utf8",
    env: childEnvironment(options.env),
    timeout: 120_000,
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  return { label, status: result.status, output, error: result.error };
}

/** Counts a run's `ok` / `not ok` lines; a run that fails without them counts as one failure. */
function count(run) {
  let ok = 0;
  let notOk = 0;
  for (const line of run.output.split("\n")) {
    if (line.startsWith("ok ")) {
      ok++;
      console.log(line);
    } else if (line.startsWith("not ok ")) {
      notOk++;
      console.log(line);
    }
  }
  if (run.status !== 0 || ok + notOk === 0) {
    notOk += notOk === 0 ? 1 : 0;
    console.log(`not ok ${run.label}: exit ${run.status ?? run.error?.message}`);
    console.log(run.output.replace(/^/gm, "    "));
  }
  passed += ok;
  failed += notOk;
}

try {
  const tarballs = packAll(join(scratch, "tarballs"));
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "httpauth-consumer", version: "0.0.0", private: true }, null, 2)}\n`,
  );
  const install = command("npm install", [
    "npm",
    "install",
    "--offline",
    "--no-audit",
    "--no-fund",
    "--ignore-scripts",
    "--cache",
    join(scratch, "npm-cache"),
    ...tarballs.values(),
  ]);
  if (install.status !== 0) {
    failed++;
    console.log(`not ok npm install of the tarballs: exit ${install.status ?? install.error?.message}`);
    console.log(install.output.replace(/^/gm, "    "));
  } else {
    console.log(`ok npm install --offline ${[...tarballs.keys()].join(" ")} (from the tarballs)`);
    passed++;

    const expected = Object.fromEntries(
      packages.map((pkg) => {
        const surface = readFileSync(join(pkg.dir, "test", "__snapshots__", "exports.txt"), "utf8");
        return [pkg.name, valueNames(surface, pkg.name)];
      }),
    );
    writeFileSync(
      join(project, "check.mjs"),
      `${checks(expected)}\nawait run(globalThis.Deno ? "deno" : globalThis.Bun ? "bun ESM" : "node ESM", (name) => import(name));\n`,
    );
    writeFileSync(
      join(project, "check.cjs"),
      `${checks(expected)}
const runtime = globalThis.Bun ? "bun CJS" : "node CJS";
run(runtime, async (name) => require(name)).then(async () => {
  // Two copies of core in one process (CJS and ESM): the error brand works across them.
  const cjs = require("@httpauth/core");
  const esm = await import("@httpauth/core");
  let thrown;
  try { cjs.parseCredentials(""); } catch (error) { thrown = error; }
  report(runtime + " isHTTPAuthError across the CJS and ESM copies", cjs !== esm && esm.isHTTPAuthError(thrown) && !(thrown instanceof esm.HTTPAuthError), "");
});
`,
    );
    const deno = join(bin, "deno");
    const bun = join(bin, "bun");
    count(command("node ESM", ["node", "check.mjs"]));
    count(command("node CJS", ["node", "check.cjs"]));
    count(command("deno", [deno, "run", "--no-lock", "check.mjs"], { env: { DENO_NO_UPDATE_CHECK: "1" } }));
    count(command("bun ESM", [bun, "check.mjs"]));
    count(command("bun CJS", [bun, "check.cjs"]));
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
printSummary("consumer", passed, failed);
