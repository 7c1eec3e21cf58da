// The dashboard, opened in headless Chromium from a static server on
// 127.0.0.1, with the committed results: it must answer "how does httpauth
// compare with each peer" in one wording, mark every wrong peer, draw every
// operation, say "not measured" where a file is missing, give every
// hostile-input row a value or a reason, log no error, ask for nothing
// outside that server, and show no clipped or overflowing label (measured on
// the DOM: every label is text in an element, not pixels on a canvas).
// Saves the whole page to dashboard/last-screenshot.png (ignored by git) and,
// with UPDATE_SCREENSHOT=1, its top to dashboard/screenshot.png (the one the
// README shows; pnpm bench refreshes it). DASHBOARD_RESULTS=quick opens the
// results of pnpm bench:quick.
// When no results exist at all, a quick Node run writes them first.

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
const quick = process.env.DASHBOARD_RESULTS === "quick";
const results = join(benchmarks, "results", quick ? "quick" : "");
const RUNTIMES = ["node", "deno", "bun"];
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
/** The one wording of a comparison cell. */
const VERDICT = /^(\d+(\.\d)?× (faster|slower)|about as fast)$/;

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

/** The results files as the dashboard reads them: { micro: { runtime: report }, http: { runtime: report } }. */
function readResults() {
  const read = (name) => {
    const file = join(results, name);
    return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
  };
  const micro = {};
  const http = {};
  for (const runtime of RUNTIMES) {
    const report = read(`${runtime}.json`);
    if (report !== undefined) micro[runtime] = report;
    const httpReport = read(`http-${runtime}.json`);
    if (httpReport !== undefined) http[runtime] = httpReport;
  }
  return { micro, http, run: read("run.json") };
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
  if (!RUNTIMES.some((runtime) => existsSync(join(results, `${runtime}.json`)))) {
    const run = spawnSync(process.execPath, ["--expose-gc", join(benchmarks, "run.mjs"), "--quick", "--out", results], {
      encoding: "utf8",
      timeout: 120_000,
    });
    if (run.status !== 0) throw new Error(`the quick benchmark run failed:\n${run.stderr}`);
  }
  buildDashboard();
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

/**
 * Opens the dashboard; `missing` lists results files to answer 404 for.
 * Returns the page, the console errors and page errors, and the requests
 * that tried to leave the local server.
 */
async function open({ missing = [] } = {}) {
  // Only the files made missing here may answer 404: the dashboard asks for no file that is not there.
  const origin = `http://127.0.0.1:${server.address().port}`;
  const page = await context.newPage();
  const elsewhere = [];
  const errors = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (!url.startsWith(`${origin}/`)) {
      elsewhere.push(url);
      return route.abort();
    }
    if (missing.some((name) => new URL(url).pathname.endsWith(`/${name}`))) return route.fulfill({ status: 404 });
    return route.continue();
  });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    if (missing.length > 0 && /status of 404/.test(message.text())) return;
    errors.push(message.text());
  });
  await page.goto(`${origin}/dashboard/index.html${quick ? "?results=quick" : ""}`);
  await page.waitForSelector("html[data-state]", { timeout: 20_000 });
  const state = await page.evaluate(() => ({
    state: document.documentElement.dataset.state,
    error: document.documentElement.dataset.error,
  }));
  expect(state).toEqual({ state: "ready", error: undefined });
  return { page, errors, elsewhere };
}

/**
 * Every label that is clipped or overflows, measured in the page: an element
 * whose content is wider or taller than its box; text whose rendered boxes
 * leave its table cell, card, bar label or axis, or the viewport; tick labels
 * that overlap; a bar longer than its track; a page that scrolls sideways.
 */
function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const name = (node) =>
      `${node.tagName.toLowerCase()}${[...node.classList].map((item) => `.${item}`).join("")} "${node.textContent.trim().slice(0, 50)}"`;
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) {
      problems.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    }
    const textNodes = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) if (walker.currentNode.textContent.trim() !== "") textNodes.push(walker.currentNode);
    const holders = new Set(textNodes.map((node) => node.parentElement));
    for (const node of holders) {
      const style = getComputedStyle(node);
      if (style.display === "inline" || style.display === "contents") continue;
      if (node.scrollWidth > node.clientWidth + 1) {
        problems.push(`${name(node)} overflows its box: ${node.scrollWidth} > ${node.clientWidth} px wide`);
      }
      if (style.overflowY !== "visible" && node.scrollHeight > node.clientHeight + 1) {
        problems.push(`${name(node)} is cut at the bottom: ${node.scrollHeight} > ${node.clientHeight} px high`);
      }
    }
    const inside = (rect, box) =>
      rect.left >= box.left - 1 &&
      rect.right <= box.right + 1 &&
      rect.top >= box.top - 1 &&
      rect.bottom <= box.bottom + 1;
    for (const text of textNodes) {
      const range = document.createRange();
      range.selectNodeContents(text);
      const parent = text.parentElement;
      const boxes = [
        parent.closest("td, th"),
        parent.closest(".card"),
        parent.closest(".bar-label"),
        parent.closest(".bar-value"),
        parent.closest(".axis"),
        parent.closest(".provenance"),
      ].filter((box) => box !== null);
      for (const rect of range.getClientRects()) {
        if (rect.width === 0) continue;
        if (rect.left < 0 || rect.right > root.clientWidth + 1) {
          problems.push(`${name(parent)} leaves the viewport (${Math.round(rect.left)}…${Math.round(rect.right)})`);
        }
        for (const box of boxes) {
          if (!inside(rect, box.getBoundingClientRect())) problems.push(`${name(parent)} leaves ${name(box)}`);
        }
      }
    }
    for (const axis of document.querySelectorAll(".axis")) {
      const ticks = [...axis.querySelectorAll(".tick")].map((tick) => tick.getBoundingClientRect());
      for (let index = 1; index < ticks.length; index++) {
        if (ticks[index].left < ticks[index - 1].right)
          problems.push(`${name(axis)}: tick labels ${index - 1} and ${index} overlap`);
      }
    }
    for (const bar of document.querySelectorAll(".bar")) {
      if (bar.getBoundingClientRect().right > bar.parentElement.getBoundingClientRect().right + 1) {
        problems.push(`a bar of ${bar.dataset.value} is longer than its track`);
      }
    }
    return problems;
  });
}

test("the dashboard says, per operation and runtime, how httpauth compares with each peer, with no clipped label", async () => {
  const { micro, http, run } = readResults();
  const { page, errors, elsewhere } = await open();

  // Where the numbers come from: the commit is shown, prominently.
  const commit = (run ?? Object.values(micro)[0] ?? Object.values(http)[0]).commit;
  expect(await page.locator("#provenance .source").getAttribute("data-commit")).toBe(commit);
  expect(await page.locator("#provenance .source").textContent()).toContain(commit.slice(0, 10));

  // Every operation of every results file is drawn.
  const caseIds = new Set(Object.values(micro).flatMap((report) => report.cases.map((entry) => entry.id)));
  const drawn = await page.evaluate(() => globalThis.dashboard);
  expect(new Set(drawn.cases)).toEqual(caseIds);

  // Every peer, on every runtime that ran it: one verdict, in the right direction, and its answer beside it.
  let checked = 0;
  for (const [runtime, report] of Object.entries(micro)) {
    for (const entry of report.cases) {
      const httpauth = entry.results.find((result) => result.kind === "httpauth");
      for (const peer of entry.results.filter((result) => result.kind === "peer")) {
        const row = page.locator(`tbody[data-group="${entry.id}"] tr[data-peer="${peer.name}"]`);
        const cell = row.locator(`td[data-runtime="${runtime}"]`);
        const text = (await cell.locator(".ratio").textContent()).trim();
        expect(text, `${entry.id} / ${peer.name} / ${runtime}`).toMatch(VERDICT);
        const speedup = peer.median / httpauth.median;
        const tone = speedup >= 1.05 ? "faster" : speedup <= 1 / 1.05 ? "slower" : "even";
        expect(await cell.getAttribute("class"), `${entry.id} / ${peer.name} / ${runtime}`).toContain(tone);
        if (tone !== "even") expect(text).toContain(tone);
        const answer = await row.locator("td.peer .answer").textContent();
        if (peer.correct) expect(answer).toMatch(/^✓/);
        else expect(answer, `${peer.name} answers wrong on ${entry.id}`).toMatch(/^✗/);
        checked++;
      }
    }
    for (const runtimeMissing of RUNTIMES.filter((name) => micro[name] === undefined)) {
      expect(await page.locator(`td.verdict[data-runtime="${runtimeMissing}"]`).first().textContent()).toBe(
        "not measured",
      );
    }
  }
  expect(checked).toBeGreaterThan(0);
  expect(drawn.comparisons).toBeGreaterThanOrEqual(checked);

  // HTTP: a chart for each runtime measured, "not measured" for the others, never an empty box.
  for (const runtime of RUNTIMES) {
    const card = page.locator(`[data-http="${runtime}"]`);
    if (http[runtime] === undefined) {
      expect(await card.textContent()).toContain("Not measured");
    } else {
      const bars = http[runtime].servers.length * http[runtime].paths.length;
      expect(await card.locator(".bar").count()).toBe(bars);
      expect(await card.locator(".tick").count()).toBeGreaterThan(1);
    }
  }

  // Hostile input: every row, on every runtime, has a value or says why there is none.
  for (const runtime of RUNTIMES) {
    for (const row of micro[runtime]?.hostile?.rows ?? []) {
      const cell = page.locator(`tr[data-shape="${row.shape.replaceAll('"', '\\"')}"] td[data-runtime="${runtime}"]`);
      const text = (await cell.textContent()).trim();
      expect(text, `${row.shape} on ${runtime}`).not.toBe("");
      if (row["1 MiB ÷ 1 KiB"] === 0) expect(text).toMatch(/rejected early/);
      else expect(text).toContain("growth");
    }
  }

  expect(await layoutProblems(page)).toEqual([]);
  // Narrower, labels wrap rather than clip.
  await page.setViewportSize({ width: 1024, height: 900 });
  expect(await layoutProblems(page)).toEqual([]);
  await page.setViewportSize({ width: 1400, height: 900 });

  expect(errors).toEqual([]);
  expect(elsewhere).toEqual([]);
  // The whole page for whoever runs the test; the README's screenshot is the top, what a reader sees first.
  await page.screenshot({ path: join(benchmarks, "dashboard", "last-screenshot.png"), fullPage: true });
  if (process.env.UPDATE_SCREENSHOT === "1") {
    await page.screenshot({
      path: join(benchmarks, "dashboard", "screenshot.png"),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1400, height: 1500 },
    });
  }
  await page.close();
}, 60_000);

test("a missing results file reads 'not measured', never an empty box", async () => {
  const { micro } = readResults();
  const present = RUNTIMES.filter((runtime) => micro[runtime] !== undefined);
  // One micro file and every HTTP file gone.
  const gone = present.length > 1 ? present[present.length - 1] : undefined;
  const { page, errors } = await open({
    missing: [...RUNTIMES.map((runtime) => `http-${runtime}.json`), ...(gone ? [`${gone}.json`] : [])],
  });
  for (const runtime of RUNTIMES) {
    expect(await page.locator(`[data-http="${runtime}"]`).textContent()).toContain("Not measured");
  }
  if (gone !== undefined) {
    const cells = page.locator(`td.verdict[data-runtime="${gone}"]`);
    expect(await cells.count()).toBeGreaterThan(0);
    for (const text of await cells.allTextContents()) expect(text).toBe("not measured");
    for (const text of await page.locator(`td.hostile-cell[data-runtime="${gone}"]`).allTextContents()) {
      expect(text).toBe("not measured on this runtime");
    }
  }
  expect(await layoutProblems(page)).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
}, 60_000);
