// Runs @httpauth/web/durable-object under workerd with a real Durable Object
// namespace (in-memory storage): bundles test/workerd-durable-object-worker.ts,
// serves it as two services ("a" on the socket, "b" behind a service binding,
// two isolates) bound to one namespace of HTTPAuthDurableObject, and checks:
//   - the store contract suites (throttle, nonce counts, replay), run inside workerd;
//   - an authenticator using the store, across invocations and across a and b.
// Ends with `web-workerd-do: N passed, M failed`; exits 1 on any failure.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundle, COMPATIBILITY_DATE, HOST, withWorkerd } from "@httpauth/testkit/workerd";

const REQUEST_TIMEOUT_MS = 60_000;
const here = dirname(fileURLToPath(import.meta.url));
const coreSource = join(here, "..", "..", "core", "src", "index.ts");
const storeStepsSource = join(here, "..", "..", "core", "src", "store-steps.ts");

function configFor(port) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "a", worker = .a), (name = "b", worker = .b)],
  sockets = [(name = "http", address = "${HOST}:${port}", http = (), service = "a")],
);

const a :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  durableObjectNamespaces = [(className = "HTTPAuthDurableObject", uniqueKey = "httpauth-web-test-store")],
  durableObjectStorage = (inMemory = void),
  bindings = [
    (name = "STORE", durableObjectNamespace = "HTTPAuthDurableObject"),
    (name = "B", service = "b"),
  ],
);

const b :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [(name = "STORE", durableObjectNamespace = (className = "HTTPAuthDurableObject", serviceName = "a"))],
);
`;
}

async function main() {
  const files = {
    "worker.js": await bundle(join(here, "workerd-durable-object-worker.ts"), {
      alias: { "@httpauth/core": coreSource, "@httpauth/core/store-steps": storeStepsSource },
    }),
    "core.mjs": await bundle(coreSource),
  };
  return withWorkerd({ prefix: "httpauth-web-do-", files, config: configFor }, checkWorker);
}

async function checkWorker({ origin, directory }) {
  const results = { passed: 0, failed: 0 };
  const timeout = () => AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const response = await fetch(`${origin}/contracts`, { signal: timeout() });
  if (!response.ok) throw new Error(`workerd answered ${response.status}: ${await response.text()}`);
  const report = await response.json();
  results.passed += report.passed;
  console.log(`✓ inside workerd, on a Durable Object: ${report.passed} contract cases passed`);
  for (const { name, message } of report.failures) {
    results.failed++;
    console.log(`✗ inside workerd: ${name}\n  ${message.replaceAll("\n", "\n  ")}`);
  }
  const { checkAuthenticator } = await import("./workerd-durable-object-checks.mjs");
  await checkAuthenticator(origin, results, timeout, directory);
  console.log(`web-workerd-do: ${results.passed} passed, ${results.failed} failed`);
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`web-workerd-do runner failed: ${error?.stack ?? error}`);
    console.log("web-workerd-do: 0 passed, 1 failed");
    process.exitCode = 1;
  },
);
