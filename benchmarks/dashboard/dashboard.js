// The benchmark dashboard: reads results/<runtime>.json and results/http-node.json
// and draws, per operation, httpauth against every peer and floor on each
// runtime. Static: serve the benchmarks/ folder and open dashboard/index.html
// (?results=quick reads results/quick/ instead). Chart.js comes from
// ./vendor/, copied from node_modules by build.mjs.
//
// When every chart is drawn, <html data-state="ready"> is set and
// window.dashboard lists the charts; on failure data-state is "error".

const RUNTIMES = ["node", "deno", "bun"];
const RUNTIME_COLORS = { node: "#3c873a", deno: "#1f2328", bun: "#c8a27c" };
const folder = new URLSearchParams(location.search).get("results") === "quick" ? "../results/quick/" : "../results/";
const { Chart } = globalThis;

async function load(name) {
  const response = await fetch(`${folder}${name}`, { cache: "no-store" });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  return response.json();
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function formatNs(value) {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(2)} µs`;
  return `${value.toFixed(value < 10 ? 1 : 0)} ns`;
}

/** The label an implementation gets on the axis: its role is in the label, the runtime in the colour. */
function labelOf(result) {
  if (result.kind === "httpauth") return "▶ httpauth";
  if (result.kind === "floor") return `floor: ${result.name}`;
  return result.correct ? result.name : `✗ ${result.name} (${result.outcome})`;
}

const charts = [];

function figure(container, id, title, caption) {
  const canvas = element("canvas", { id: `chart-${id}`, "aria-label": title, role: "img" });
  const box = element("figure", { "data-chart": id });
  box.append(element("figcaption", {}, title, element("small", {}, caption)));
  box.append(element("div", { class: "chart" }, canvas));
  container.append(box);
  return canvas;
}

function drawCase(container, caseId, reports) {
  const present = reports.filter(({ report }) => report.cases.some((entry) => entry.id === caseId));
  const first = present[0].report.cases.find((entry) => entry.id === caseId);
  const labels = [];
  for (const { report } of present) {
    for (const result of report.cases.find((entry) => entry.id === caseId).results) {
      const label = labelOf(result);
      if (!labels.includes(label)) labels.push(label);
    }
  }
  const datasets = present.map(({ runtime, report }) => {
    const results = report.cases.find((entry) => entry.id === caseId).results;
    const byLabel = new Map(results.map((result) => [labelOf(result), result]));
    return {
      label: `${runtime} ${report.runtime.version}`,
      data: labels.map((label) => byLabel.get(label)?.median ?? null),
      backgroundColor: labels.map((label) => {
        const result = byLabel.get(label);
        const color = RUNTIME_COLORS[runtime];
        return result !== undefined && result.kind === "peer" && !result.correct ? `${color}55` : color;
      }),
      results: labels.map((label) => byLabel.get(label)),
    };
  });
  const ratios = present
    .map(({ runtime, report }) => {
      const entry = report.cases.find((item) => item.id === caseId);
      const peer = entry.ratios.toFastestCorrectPeer;
      return `${runtime}: ${peer === null ? "no correct peer" : `${peer}× ${entry.fastestCorrectPeer}`}, ${entry.ratios.toFloor}× floor`;
    })
    .join(" · ");
  const canvas = figure(container, caseId, `${first.operation} — ${first.variant}`, `httpauth ÷ ${ratios}`);
  const chart = new Chart(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: {
      indexAxis: "y",
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { type: "logarithmic", title: { display: true, text: "median per call (log scale)" } } },
      plugins: {
        tooltip: {
          callbacks: {
            label(context) {
              const result = context.dataset.results[context.dataIndex];
              if (result === undefined) return `${context.dataset.label}: not run`;
              const bytes = result.bytes === null ? "" : `, ${result.bytes} B allocated`;
              return `${context.dataset.label}: ${formatNs(result.median)} (p99 ${formatNs(result.p99)}${bytes}), ${result.ratioToHttpauth}× httpauth`;
            },
          },
        },
      },
    },
  });
  charts.push({ id: caseId, chart });
}

function drawHostile(container, reports) {
  const present = reports.filter(({ report }) => report.hostile !== undefined);
  if (present.length === 0) return;
  const labels = present[0].report.hostile.rows.map((row) => row.shape);
  const datasets = present.map(({ runtime, report }) => ({
    label: `${runtime} ${report.runtime.version}`,
    data: labels.map((shape) => report.hostile.rows.find((row) => row.shape === shape)?.["1 MiB ÷ 1 KiB"] ?? null),
    backgroundColor: RUNTIME_COLORS[runtime],
  }));
  const canvas = figure(
    container,
    "hostile",
    "ns per byte at 1 MiB ÷ ns per byte at 1 KiB",
    "1.0 is perfectly flat; a quadratic parser would show about 1000. The target counts up to 2 as flat.",
  );
  const chart = new Chart(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: { indexAxis: "y", animation: false, maintainAspectRatio: false },
  });
  charts.push({ id: "hostile", chart });
}

function drawHTTP(container, http) {
  if (http === undefined) return;
  const labels = http.servers.map((server) => server.name);
  const datasets = http.paths.map((path, index) => ({
    label: `${path} path`,
    data: http.servers.map((server) => server.results[path]?.requestsPerSecond ?? null),
    backgroundColor: index === 0 ? "#1f6feb" : "#d9822b",
  }));
  const ratios = http.targets.map((target) => `${target.target}: ${target.measured}`).join(" · ");
  const canvas = figure(
    container,
    "http",
    `autocannon, ${http.settings.connections} connections, ${http.settings.rounds ?? 1} × ${http.settings.durationSeconds} s per server and path (node ${http.runtime.version})`,
    ratios,
  );
  const chart = new Chart(canvas, {
    type: "bar",
    data: { labels, datasets },
    options: {
      indexAxis: "y",
      animation: false,
      maintainAspectRatio: false,
      scales: { x: { title: { display: true, text: "requests per second (more is better)" } } },
    },
  });
  charts.push({ id: "http", chart });
}

function drawTargets(container, reports, http) {
  const table = element("table");
  const head = element("tr", {}, element("th", {}, "operation"), element("th", {}, "target"));
  for (const { runtime, report } of reports) head.append(element("th", {}, `${runtime} ${report.runtime.version}`));
  table.append(head);
  const rows = new Map();
  for (const { runtime, report } of reports) {
    for (const target of report.targets) {
      const key = `${target.operation}\u0000${target.target}`;
      if (!rows.has(key)) rows.set(key, { operation: target.operation, target: target.target, cells: {} });
      rows.get(key).cells[runtime] = target;
    }
  }
  for (const row of rows.values()) {
    const line = element("tr", {}, element("td", {}, row.operation), element("td", {}, row.target));
    for (const { runtime } of reports) {
      const target = row.cells[runtime];
      const text =
        target === undefined
          ? "—"
          : `${typeof target.measured === "number" ? `${target.measured}×` : target.measured}${target.reference ? ` (vs ${target.reference})` : ""} ${target.met === null ? "?" : target.met ? "✓" : "✗"}`;
      const cell = element("td", target === undefined ? {} : { class: target.met ? "met" : "missed" }, text);
      line.append(cell);
    }
    table.append(line);
  }
  for (const target of http?.targets ?? []) {
    const line = element(
      "tr",
      {},
      element("td", {}, "HTTP: Basic-protected request"),
      element("td", {}, target.target),
    );
    line.append(
      element("td", { class: target.met ? "met" : "missed" }, `${target.measured}× ${target.met ? "✓" : "✗"}`),
    );
    for (let index = 1; index < reports.length; index++) line.append(element("td", {}, "node only"));
    table.append(line);
  }
  container.append(table);
}

async function main() {
  const reports = [];
  for (const runtime of RUNTIMES) {
    const report = await load(`${runtime}.json`);
    if (report !== undefined) reports.push({ runtime, report });
  }
  const http = await load("http-node.json");
  if (reports.length === 0) throw new Error(`no results in ${folder}: run pnpm bench (or pnpm bench:quick)`);
  const first = reports[0].report;
  document.getElementById("summary").textContent =
    `${reports.map(({ runtime, report }) => `${runtime} ${report.runtime.version}`).join(", ")} on ${first.cpu.model} ` +
    `(${first.cpu.cores} cores), commit ${first.commit.slice(0, 10)}${first.dirty ? " (with local changes)" : ""}, ` +
    `${first.mode} run of ${first.date.slice(0, 10)}.`;
  drawTargets(document.getElementById("targets"), reports, http);
  const caseIds = [];
  for (const { report } of reports)
    for (const entry of report.cases) if (!caseIds.includes(entry.id)) caseIds.push(entry.id);
  for (const caseId of caseIds) drawCase(document.getElementById("cases"), caseId, reports);
  drawHostile(document.getElementById("hostile"), reports);
  drawHTTP(document.getElementById("http"), http);
  globalThis.dashboard = { charts: charts.map(({ id }) => id), runtimes: reports.map(({ runtime }) => runtime) };
  document.documentElement.dataset.state = "ready";
}

main().catch((error) => {
  document.getElementById("summary").append(element("span", { class: "error" }, ` ${error.message}`));
  document.documentElement.dataset.state = "error";
  document.documentElement.dataset.error = error.message;
});
