// Runs the conformance suite under workerd: bundles workerd.ts with esbuild,
// serves it on a free loopback port (@httpauth/testkit/workerd), fetches the
// report once and prints it. Ends with `workerd: N passed, M failed`; exits 1
// on any failure or error. workerd is always stopped, and every wait is bounded.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, COMPATIBILITY_DATE, HOST, withWorkerd } from "@httpauth/testkit/workerd";

const RUN_TIMEOUT_MS = 60_000;

const here = dirname(fileURLToPath(import.meta.url));

// nodejs_compat (for node:assert/strict) is on by default from the compatibility
// date; workerd warns when the flag is also given, so the config only sets the date.
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

async function main() {
  const files = { "worker.js": await bundle(join(here, "workerd.ts")) };
  return withWorkerd({ prefix: "httpauth-workerd-", files, config: configFor }, async ({ origin }) => {
    const response = await fetch(`${origin}/`, { signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
    const { passed, failed, failures } = await response.json();
    for (const { name, message } of failures) console.log(`✗ ${name}\n  ${message.replaceAll("\n", "\n  ")}`);
    console.log(`workerd: ${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  });
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
