// The dashboard, opened in headless Chromium from a static server on
// 127.0.0.1: every chart must be drawn, with data, from the results files,
// and the page must ask for nothing outside that server. Saves a screenshot
// to dashboard/screenshot.png. Uses the committed results; when they are
// missing, a quick Node run writes them first.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { buildDashboard } from "../dashboard/build.mjs";

const benchmarks = join(dirname(fileURLToPath(import.meta.url)), "..");
const results = join(benchmarks, "results");
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
};

/** Serves the benchmarks/ folder, and nothing above it, on 127.0.0.1. */
function serveBenchmarks() {
  const server = createServer((request, response) => {
    const path = normalize(join(benchmarks, decodeURIComponent(new URL(request.url, "http://x").pathname)));
    if (!path.startsWith(benchmarks + sep) || !existsSync(path) || path.includes(`${sep}node_modules${sep}`)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    response.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

let server;
let context;
let profile;

/** Installs Debian's Chromium when it is missing (a fresh CI machine), as the e2e suite does. */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const update = spawnSync("apt-get", ["update"], { env, encoding: "utf8", timeout: 300_000 });
  if (update.status !== 0) throw new Error(`apt-get update failed: ${update.stderr ?? update.error}`);
  const install = spawnSync("apt-get", ["install", "-y", "chromium"], { env, encoding: "utf8", timeout: 600_000 });
  if (install.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`apt-get install -y chromium failed: ${install.stderr ?? install.error}`);
  }
}

beforeAll(async () => {
  ensureChromium();
  buildDashboard();
  if (!["node", "deno", "bun"].some((runtime) => existsSync(join(results, `${runtime}.json`)))) {
    const run = spawnSync(process.execPath, [join(benchmarks, "run.mjs"), "--quick", "--out", results], {
      encoding: "utf8",
      timeout: 40_000,
    });
    if (run.status !== 0) throw new Error(`the quick benchmark run failed:\n${run.stderr}`);
  }
  server = await serveBenchmarks();
  profile = mkdtempSync(join(tmpdir(), "httpauth-dashboard-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
}, 900_000);

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => (server === undefined ? resolve() : server.close(resolve)));
  if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
});

test("the dashboard draws every chart with data from the results files", async () => {
  const origin = `http://127.0.0.1:${server.address().port}`;
  const page = await context.newPage();
  const elsewhere = [];
  await page.route("**/*", (route) => {
    if (route.request().url().startsWith(`${origin}/`)) return route.continue();
    elsewhere.push(route.request().url());
    return route.abort();
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto(`${origin}/dashboard/index.html`);
  await page.waitForSelector("html[data-state]", { timeout: 20_000 });
  const state = await page.evaluate(() => ({
    state: document.documentElement.dataset.state,
    error: document.documentElement.dataset.error,
  }));
  expect(state).toEqual({ state: "ready", error: undefined });
  expect(errors).toEqual([]);
  expect(elsewhere).toEqual([]);

  // Every case of every results file, the hostile chart, and the HTTP chart when its file exists.
  const expected = new Set(["hostile"]);
  for (const runtime of ["node", "deno", "bun"]) {
    const file = join(results, `${runtime}.json`);
    if (!existsSync(file)) continue;
    for (const entry of JSON.parse(readFileSync(file, "utf8")).cases) expected.add(entry.id);
  }
  if (existsSync(join(results, "http-node.json"))) expected.add("http");

  const charts = await page.evaluate(() =>
    globalThis.dashboard.charts.map((id) => {
      const canvas = document.getElementById(`chart-${id}`);
      const chart = globalThis.Chart.getChart(canvas);
      const values = chart.data.datasets.flatMap((dataset) => dataset.data).filter((value) => value !== null);
      // Pixels actually painted: the canvas is not blank.
      const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let index = 3; index < pixels.length; index += 4) if (pixels[index] !== 0) painted++;
      return {
        id,
        datasets: chart.data.datasets.length,
        bars: chart.getDatasetMeta(0).data.length,
        positive: values.filter((value) => value > 0).length,
        painted,
        width: canvas.width,
        height: canvas.height,
      };
    }),
  );
  expect(new Set(charts.map((chart) => chart.id))).toEqual(expected);
  for (const chart of charts) {
    expect(chart.datasets, chart.id).toBeGreaterThan(0);
    expect(chart.bars, chart.id).toBeGreaterThan(0);
    expect(chart.positive, chart.id).toBeGreaterThan(0);
    expect(chart.width * chart.height, chart.id).toBeGreaterThan(10_000);
    expect(chart.painted, chart.id).toBeGreaterThan(1_000);
  }

  await page.screenshot({ path: join(benchmarks, "dashboard", "screenshot.png"), fullPage: true });
  await page.close();
}, 40_000);
