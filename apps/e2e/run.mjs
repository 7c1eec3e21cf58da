// @ts-check
// The end-to-end suite of the sample apps: for each app, `pnpm --dir apps/<name> start` on a free
// port of 127.0.0.1, then every check of checks.mjs with real clients — curl, wget, Python's urllib
// and requests, headless Chromium (playwright-core driving /usr/bin/chromium), createAuthFetch of
// @httpauth/web — and the negative cases read from the wire. Missing clients are installed first
// (apt-get as root; playwright-core with pnpm); a client that still is missing fails its checks.
//
//   node run.mjs                 every app (apps/mcp has checks of its own: mcp-checks.mjs)
//   node run.mjs node bun        some of them
//
// Prints `e2e <app>: N passed, M failed` after each app, and `e2e: N passed, M failed` last when
// more than one ran. Exits 1 on any failure. Every process it starts is stopped, also on failure.

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHECKS, LAYOUTS } from "./checks.mjs";
import { DPOP_CHECKS } from "./dpop-checks.mjs";
import { CHROMIUM, installClients, killEverything, loadPlaywright, sleep, startApp } from "./harness.mjs";
import { MCP_CHECKS } from "./mcp-checks.mjs";

const APPS = [
  "node",
  "deno",
  "bun",
  "workerd",
  "hono",
  "hono-deno",
  "hono-bun",
  "hono-workerd",
  "fastify",
  "koa",
  "mcp",
];
/** The checks of each app: the demo's, or those of apps/mcp (an MCP server driven by the MCP SDK, and DPoP). */
const CHECKS_OF = { mcp: [...MCP_CHECKS, ...DPOP_CHECKS] };
const CHECK_TIMEOUT_MS = 60_000;
const BROWSER_LAUNCH_TIMEOUT_MS = 30_000;
const BROWSER_CLOSE_TIMEOUT_MS = 5_000;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

const LAYOUT_TEXT = {
  separate: "one WWW-Authenticate line per challenge",
  joined: "several challenges JOINED on one WWW-Authenticate line (a runtime limitation; the list is complete)",
};

/**
 * Runs the checks against one app.
 * @param {string} name
 * @param {Map<string, string>} unavailable
 * @returns {Promise<{ passed: number, failed: number, seconds: number }>}
 */
async function runApp(name, unavailable) {
  const started = Date.now();
  const layout = LAYOUTS[name] ?? "separate";
  const checks = CHECKS_OF[/** @type {keyof typeof CHECKS_OF} */ (name)] ?? CHECKS;
  const [folder, runtime] = name.split("-", 2);
  console.log(`\n── e2e ${name}: pnpm --dir apps/${folder} ${runtime === undefined ? "start" : `start:${runtime}`}`);
  let passed = 0;
  let failed = 0;
  /** @type {Promise<import("playwright-core").Browser> | undefined} */
  let browser;
  /** @type {import("./harness.mjs").RunningApp | undefined} */
  let app;
  try {
    try {
      app = await startApp(root, name);
    } catch (error) {
      console.log(`✗ the app did not start:\n    ${indent(message(error))}`);
      for (const check of checks) console.log(`✗ ${check.name} (the app did not start)`);
      failed = checks.length;
    }
    if (app !== undefined) {
      console.log(`   listening on ${app.origin}; expected layout: ${LAYOUT_TEXT[layout]}`);
      const context = {
        app: name,
        layout,
        origin: app.origin,
        port: app.port,
        output: app.output,
        unavailable,
        browser: () => {
          browser ??= launchChromium();
          return browser;
        },
      };
      for (const check of checks) {
        try {
          const note = await within(check.run(context), CHECK_TIMEOUT_MS, check.name);
          passed++;
          console.log(`✓ ${check.name}${note ? ` — ${note}` : ""}`);
        } catch (error) {
          failed++;
          console.log(`✗ ${check.name}\n    ${indent(message(error))}`);
        }
      }
    }
  } finally {
    if (browser !== undefined) {
      await within(
        browser.then((opened) => opened.close()),
        BROWSER_CLOSE_TIMEOUT_MS,
        "closing Chromium",
      ).catch(() => {});
    }
    await app?.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`   ${name}: ${seconds.toFixed(1)} s, layout ${layout}`);
  console.log(`e2e ${name}: ${passed} passed, ${failed} failed`);
  return { passed, failed, seconds };
}

/** @returns {Promise<import("playwright-core").Browser>} */
async function launchChromium() {
  const playwright = loadPlaywright();
  if (playwright === undefined) throw new Error("playwright-core cannot be loaded");
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    timeout: BROWSER_LAUNCH_TIMEOUT_MS,
  });
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} milliseconds
 * @param {string} what
 * @returns {Promise<T>}
 */
function within(promise, milliseconds, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${milliseconds / 1000} s`)), milliseconds);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout])).finally(() => clearTimeout(timer));
}

/** @param {unknown} error */
function message(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {string} text */
function indent(text) {
  return text.replaceAll("\n", "\n    ");
}

async function main() {
  const names = process.argv.slice(2);
  const apps = names.length === 0 ? APPS : names;
  const unknown = apps.filter((name) => !APPS.includes(name));
  if (unknown.length > 0) {
    console.log(`unknown app ${unknown.join(", ")}; the apps are ${APPS.join(", ")}`);
    console.log("e2e: 0 passed, 1 failed");
    return 1;
  }
  const started = Date.now();
  const unavailable = await installClients(root);
  for (const [client, why] of unavailable) console.log(`✗ ${client} is not available: ${why}`);
  const results = [];
  for (const name of apps) results.push({ name, ...(await runApp(name, unavailable)) });
  const passed = results.reduce((sum, result) => sum + result.passed, 0);
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  if (apps.length > 1) {
    console.log("");
    for (const result of results) {
      console.log(
        `  ${result.name.padEnd(8)} ${String(result.passed).padStart(3)} passed ${String(result.failed).padStart(3)} failed  ${result.seconds.toFixed(1).padStart(5)} s  ${LAYOUT_TEXT[LAYOUTS[result.name] ?? "separate"]}`,
      );
    }
    console.log(`  total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`e2e: ${passed} passed, ${failed} failed`);
  }
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error) => {
    console.log(`the e2e suite broke: ${error?.stack ?? error}`);
    killEverything();
    await sleep(0);
    console.log("e2e: 0 passed, 1 failed");
    process.exitCode = 1;
  },
);
