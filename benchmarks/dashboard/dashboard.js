// The benchmark dashboard. Static: serve the benchmarks/ folder and open
// dashboard/index.html (?results=quick reads results/quick/ instead). Reads
//   results/run.json                 the pnpm bench run: commit, date, mode, steps
//   results/<runtime>.json           the micro suites (node, deno, bun)
//   results/http-<runtime>.json      the HTTP level (node, deno, bun)
//   dashboard/checkout.json          the commit being viewed (written by build.mjs)
// and renders, in plain HTML and CSS (every label is DOM text):
//   1. where the numbers come from (commit, date, and whether it is the code being viewed);
//   2. httpauth against each peer, per operation and runtime, in one wording:
//      "N× faster" (green) or "N× slower" (red), with the peer's answer beside it;
//   3. time per call for every implementation, on linear scales with units;
//   4. the HTTP level on each runtime, or "not measured";
//   5. hostile input, every row with a value or the reason there is none;
//   6. our own targets, apart from the comparison.
// When everything is drawn, <html data-state="ready"> is set and
// window.dashboard describes what was drawn; on failure data-state is "error".

const RUNTIMES = ["node", "deno", "bun"];
const RUNTIME_NAMES = { node: "Node", deno: "Deno", bun: "Bun" };
/** Within ±5% the wording is "about as fast": the machine is shared and such gaps are noise. */
const EVEN = 1.05;
/** Growth of ns per byte from 1 KiB to 1 MiB still counted as flat (benchmarks/lib/targets.mjs). */
const FLAT_LIMIT = 2;

const quick = new URLSearchParams(location.search).get("results") === "quick";
const folderName = quick ? "results/quick/" : "results/";

async function load(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

// ── Numbers and words ───────────────────────────────────────────────────────

function formatNs(value) {
  if (value >= 1e6) return `${trim(value / 1e6)} ms`;
  if (value >= 1e3) return `${trim(value / 1e3)} µs`;
  return `${trim(value)} ns`;
}

/** Three significant digits at most, no trailing zeros. */
function trim(value) {
  if (value === 0) return "0";
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

function formatRate(value) {
  return value >= 1000 ? `${trim(value / 1000)}k/s` : `${trim(value)}/s`;
}

function formatRatio(value) {
  return value >= 10 ? value.toFixed(0) : value.toFixed(1);
}

function formatDate(iso) {
  if (typeof iso !== "string") return "an unknown date";
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function short(commit) {
  return typeof commit === "string" ? commit.slice(0, 10) : "unknown";
}

/** `speedup` is how many times faster httpauth is: the peer's time over httpauth's, or httpauth's rate over the peer's. */
function verdict(speedup) {
  if (!Number.isFinite(speedup) || speedup <= 0) return { text: "not measured", tone: "none" };
  if (speedup >= EVEN) return { text: `${formatRatio(speedup)}× faster`, tone: "faster" };
  if (speedup <= 1 / EVEN) return { text: `${formatRatio(1 / speedup)}× slower`, tone: "slower" };
  return { text: "about as fast", tone: "even" };
}

/** A micro result's answer on the case input: { ok, text, detail }. */
function answerOf(result) {
  const raw = result.answer === undefined ? undefined : String(result.answer);
  const shown = raw !== undefined && raw.length > 90 ? `${raw.slice(0, 90)}…` : raw;
  if (result.score !== undefined) {
    const [right, total] = String(result.score).split("/");
    const text = `reads ${right} of ${total} vectors right`;
    return result.correct ? { ok: true, text } : { ok: false, text, detail: result.wrongBecause };
  }
  if (result.outcome === "threw") return { ok: false, text: "throws", detail: result.wrongBecause ?? shown };
  if (result.correct) return { ok: true, text: "right answer" };
  return { ok: false, text: "wrong answer", detail: result.wrongBecause ?? (shown && `answers ${shown}`) };
}

function answerBadge(answer) {
  return element(
    "span",
    { class: `answer ${answer.ok ? "right" : "wrong"}` },
    `${answer.ok ? "✓" : "✗"} ${answer.text}`,
  );
}

/** The median per unit of work: per header for cases over a set of inputs. */
function perUnit(entry, result) {
  return entry.perCall === undefined ? result.median : result.median / entry.perCall;
}

// ── 1. Where the numbers come from ──────────────────────────────────────────

function provenance(run, micro, http, checkout) {
  const files = [
    ...micro.map(({ runtime, report }) => ({ file: `${runtime}.json`, report })),
    ...http.map(({ runtime, report }) => ({ file: `http-${runtime}.json`, report })),
  ];
  const head = run ?? files[0].report;
  const box = document.getElementById("provenance");
  const mode = head.mode === "quick" ? "quick" : "full";
  box.append(
    element(
      "p",
      { class: "source", "data-commit": head.commit },
      "Measured at commit ",
      element("code", {}, short(head.commit)),
      ` on ${formatDate(head.date)}, a ${mode} `,
      element("code", {}, mode === "quick" ? "pnpm bench:quick" : "pnpm bench"),
      " run.",
    ),
  );
  const where = [
    ...micro.map(({ runtime, report }) => `${RUNTIME_NAMES[runtime]} ${report.runtime.version}`),
    ...http
      .filter(({ runtime }) => !micro.some((entry) => entry.runtime === runtime))
      .map(({ runtime, report }) => `${RUNTIME_NAMES[runtime]} ${report.runtime.version}`),
  ];
  const cpu = files[0].report.cpu;
  box.append(
    element(
      "p",
      {},
      `${where.join(", ")} on ${cpu.model}, ${cpu.cores} cores. Every ratio is taken within one run on one runtime, never across runs.`,
    ),
  );

  const flags = element("ul", { class: "flags" });
  const flag = (tone, ...text) => flags.append(element("li", { class: tone }, ...text));
  const viewed = checkout?.results?.[head.commit];
  if (checkout === undefined || checkout.head === "unknown") {
    flag(
      "info",
      "Whether this is the code you are viewing is not known here (no dashboard/checkout.json: run ",
      element("code", {}, "node benchmarks/dashboard/build.mjs"),
      ").",
    );
  } else if (head.commit === checkout.head) {
    flag(
      checkout.dirty ? "warn" : "ok",
      `This is the commit you are viewing${checkout.dirty ? ", but your checkout has local changes" : ""}.`,
    );
  } else if (viewed === undefined || !viewed.known) {
    flag("warn", `Commit ${short(head.commit)} is not in this checkout's history (viewing ${short(checkout.head)}).`);
  } else if (viewed.measuredChanged === 0) {
    flag(
      "ok",
      `${viewed.commitsBehind} commit${viewed.commitsBehind === 1 ? "" : "s"} before the one you are viewing (${short(checkout.head)}); none of them changes measured code.`,
    );
  } else {
    flag(
      "warn",
      element("strong", {}, "Stale: "),
      `${viewed.commitsBehind} commits before the one you are viewing (${short(checkout.head)}), and ${viewed.measuredChanged} measured files changed since (${viewed.changedPaths.slice(0, 3).join(", ")}…). These numbers may not describe this code; run `,
      element("code", {}, "pnpm bench"),
      ".",
    );
  }
  // The run's own flag, or any file's: a step may have started after a file was edited.
  const dirty = [head, ...files.map(({ report }) => report)].find((report) => report.dirty);
  if (dirty !== undefined) {
    flag(
      "warn",
      `The tree had local changes when measured${dirty.dirtyPaths ? ` (${dirty.dirtyPaths.slice(0, 3).join(", ")})` : ""}.`,
    );
  }
  if (mode === "quick") flag("warn", "A quick run: short and noisy, not numbers to quote.");
  const others = files.filter(({ report }) => report.commit !== head.commit);
  if (others.length > 0) {
    flag(
      "warn",
      `Measured at another commit: ${others.map(({ file, report }) => `${file} at ${short(report.commit)} (${formatDate(report.date)})`).join("; ")}.`,
    );
  }
  for (const failure of run?.failures ?? []) flag("warn", `Step failed in that run: ${failure}.`);
  box.append(flags);
  if (flags.querySelector(".warn") !== null) box.classList.add("warned");
}

// ── 2. httpauth against each peer ───────────────────────────────────────────

/** The rows of the comparison: one per operation and peer, a cell per runtime. */
function comparisonRows(micro, http) {
  const groups = [];
  const caseIds = [];
  for (const { report } of micro)
    for (const entry of report.cases) if (!caseIds.includes(entry.id)) caseIds.push(entry.id);
  for (const id of caseIds) {
    const entries = Object.fromEntries(
      micro
        .map(({ runtime, report }) => [runtime, report.cases.find((entry) => entry.id === id)])
        .filter(([, entry]) => entry),
    );
    const first = Object.values(entries)[0];
    const peers = [];
    for (const entry of Object.values(entries)) {
      for (const result of entry.results)
        if (result.kind === "peer" && !peers.includes(result.name)) peers.push(result.name);
    }
    groups.push({
      id,
      operation: first.operation,
      variant: first.variant,
      unit: first.perCall === undefined ? "per call" : "per header",
      peers: peers.map((name) => ({
        name,
        cells: Object.fromEntries(
          Object.entries(entries).map(([runtime, entry]) => {
            const httpauth = entry.results.find((result) => result.kind === "httpauth");
            const peer = entry.results.find((result) => result.name === name);
            if (peer === undefined || httpauth === undefined) return [runtime, undefined];
            return [
              runtime,
              {
                speedup: peer.median / httpauth.median,
                detail: `${formatNs(perUnit(entry, httpauth))} vs ${formatNs(perUnit(entry, peer))}`,
                answer: answerOf(peer),
                validates: peer.validates,
                note: peer.note,
              },
            ];
          }),
        ),
      })),
    });
  }
  const ourServers = [...new Set(http.map(({ report }) => httpauthServer(report)?.name).filter(Boolean))].join(", ");
  for (const path of ["200", "401"]) {
    const peers = [];
    for (const { report } of http)
      for (const server of httpPeers(report)) if (!peers.includes(server.name)) peers.push(server.name);
    if (peers.length === 0) continue;
    groups.push({
      id: `http-${path}`,
      operation: "HTTP: a Basic-protected GET",
      variant: path === "200" ? "200, signed in" : "401, refused",
      unit: `requests per second, ${ourServers}`,
      peers: peers.map((name) => ({
        name,
        cells: Object.fromEntries(
          http.map(({ runtime, report }) => {
            const ours = httpauthServer(report)?.results?.[path];
            const server = report.servers.find((item) => item.name === name);
            const theirs = server?.results?.[path];
            if (ours === undefined || theirs === undefined) return [runtime, undefined];
            return [
              runtime,
              {
                speedup: ours.requestsPerSecond / theirs.requestsPerSecond,
                detail: `${formatRate(ours.requestsPerSecond)} vs ${formatRate(theirs.requestsPerSecond)}`,
                answer: server.correct
                  ? { ok: true, text: "right answers" }
                  : { ok: false, text: "wrong answers", detail: (server.problems ?? []).join("; ") },
                note: server.description,
              },
            ];
          }),
        ),
      })),
    });
  }
  return groups;
}

/** Whose a server is: "httpauth" (the runtime's adapter), "core" (@httpauth/core wired by hand), or "peer". */
function serverRole(server) {
  if (server.id === "core" || server.id.startsWith("core-")) return "core";
  if (server.id === "httpauth" || server.id.startsWith("httpauth") || /^@httpauth\//.test(server.name))
    return "httpauth";
  return "peer";
}

/** The server that is @httpauth's adapter in an HTTP results file. */
function httpauthServer(report) {
  return report.servers.find((server) => serverRole(server) === "httpauth");
}

/** Servers that are not httpauth: the peers and the hand-written baseline (core wired by hand is ours). */
function httpPeers(report) {
  return report.servers.filter((server) => serverRole(server) === "peer");
}

function comparison(micro, http) {
  const container = document.getElementById("compare");
  const groups = comparisonRows(micro, http);
  const table = element("table", { class: "compare" });
  const head = element(
    "tr",
    {},
    element("th", {}, "operation"),
    element("th", {}, "peer, and its answer on the same input"),
  );
  for (const runtime of RUNTIMES) {
    const version = micro.find((entry) => entry.runtime === runtime)?.report.runtime.version;
    head.append(
      element("th", { class: "runtime" }, `httpauth on ${RUNTIME_NAMES[runtime]}${version ? ` ${version}` : ""}`),
    );
  }
  table.append(element("thead", {}, head));
  const counts = Object.fromEntries(RUNTIMES.map((runtime) => [runtime, { faster: 0, slower: 0, even: 0 }]));
  let cells = 0;
  for (const group of groups) {
    const body = element("tbody", { "data-group": group.id });
    group.peers.forEach((peer, index) => {
      const row = element("tr", { "data-peer": peer.name });
      if (index === 0) {
        row.append(
          element(
            "th",
            { rowspan: String(group.peers.length), scope: "rowgroup", class: "operation" },
            group.operation,
            element("small", {}, `${group.variant} · ${group.unit}`),
          ),
        );
      }
      const firstCell = Object.values(peer.cells).find((cell) => cell !== undefined);
      const answer = firstCell?.answer;
      row.append(
        element(
          "td",
          { class: "peer" },
          element("span", { class: "peer-name" }, peer.name),
          answer === undefined ? undefined : answerBadge(answer),
          firstCell?.validates === false
            ? element("span", { class: "lax", title: "does not reject malformed input" }, "no input check")
            : undefined,
          answer?.detail === undefined ? undefined : element("small", { class: "why" }, answer.detail),
          firstCell?.note === undefined ? undefined : element("small", { class: "note" }, firstCell.note),
        ),
      );
      for (const runtime of RUNTIMES) {
        const cell = peer.cells[runtime];
        if (cell === undefined) {
          row.append(element("td", { class: "verdict none", "data-runtime": runtime }, "not measured"));
          continue;
        }
        const { text, tone } = verdict(cell.speedup);
        if (tone !== "none" && cell.answer.ok) counts[runtime][tone]++;
        cells++;
        const differs = cell.answer.ok !== answer.ok;
        row.append(
          element(
            "td",
            { class: `verdict ${tone}`, "data-runtime": runtime },
            element("span", { class: "ratio" }, text),
            element("small", {}, cell.detail),
            differs ? answerBadge(cell.answer) : undefined,
          ),
        );
      }
      body.append(row);
    });
    table.append(body);
  }
  const summary = element("ul", { class: "tally" });
  for (const runtime of RUNTIMES) {
    const count = counts[runtime];
    if (count.faster + count.slower + count.even === 0) continue;
    summary.append(
      element(
        "li",
        {},
        element("strong", {}, RUNTIME_NAMES[runtime]),
        ": against peers that answer right, httpauth is ",
        element("span", { class: "faster" }, `faster in ${count.faster}`),
        ", ",
        element("span", { class: "slower" }, `slower in ${count.slower}`),
        ", ",
        element("span", { class: "even" }, `about as fast in ${count.even}`),
        ".",
      ),
    );
  }
  container.append(summary, element("div", { class: "scroll" }, table));
  return cells;
}

// ── 3 and 4. Bars ───────────────────────────────────────────────────────────

/** A linear scale from 0 to a round number at or above `max`, with its ticks. */
function niceScale(max) {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / magnitude;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * magnitude;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks = [];
  for (let value = 0; value <= top + step / 2; value += step) ticks.push(value);
  return { top, ticks };
}

/**
 * A bar chart in a CSS grid: per item a label spanning its lines, per line a
 * tag (the runtime or path), a bar on a linear scale and the value as text;
 * under the bars an axis with units. `items`: [{ label, kind, lines: [{ tag, value, text }] }].
 */
function barChart(items, { format, axisTitle }) {
  const values = items.flatMap((item) => item.lines.map((line) => line.value)).filter((value) => value > 0);
  const { top, ticks } = niceScale(Math.max(...values));
  const chart = element("div", { class: "bars" });
  for (const item of items) {
    chart.append(
      element("div", { class: `bar-label ${item.kind}`, style: `grid-row: span ${item.lines.length}` }, item.label),
    );
    item.lines.forEach((line, index) => {
      const first = index === 0 ? " first" : "";
      chart.append(element("span", { class: `bar-tag${first}` }, line.tag));
      const track = element("div", { class: `track${first}` });
      if (line.value > 0) {
        track.append(
          element("div", {
            class: `bar ${item.kind}`,
            style: `width: ${((line.value / top) * 100).toFixed(2)}%`,
            "data-value": String(line.value),
          }),
        );
      }
      chart.append(track);
      chart.append(element("span", { class: `bar-value${first}` }, line.text ?? format(line.value)));
    });
  }
  const axis = element("div", { class: "axis" });
  ticks.forEach((value, index) => {
    const position = index === 0 ? "start" : index === ticks.length - 1 ? "end" : "middle";
    axis.append(
      element(
        "span",
        { class: `tick ${position}`, style: `left: ${((value / top) * 100).toFixed(2)}%` },
        value === 0 ? "0" : format(value),
      ),
    );
  });
  chart.append(element("span", { class: "axis-gap" }), axis, element("span", { class: "axis-end" }));
  chart.append(element("p", { class: "axis-title" }, axisTitle));
  return chart;
}

function implementationLabel(result) {
  if (result.kind === "httpauth") return [element("strong", {}, "httpauth")];
  if (result.kind === "floor") return [element("span", { class: "floor-tag" }, "floor"), ` ${result.name}`];
  const answer = answerOf(result);
  return [result.name, answerBadge(answer)];
}

function details(micro) {
  const container = document.getElementById("cases");
  const caseIds = [];
  for (const { report } of micro)
    for (const entry of report.cases) if (!caseIds.includes(entry.id)) caseIds.push(entry.id);
  for (const id of caseIds) {
    const present = micro
      .map(({ runtime, report }) => ({ runtime, entry: report.cases.find((entry) => entry.id === id) }))
      .filter(({ entry }) => entry !== undefined);
    const first = present[0].entry;
    const names = [];
    for (const { entry } of present)
      for (const result of entry.results) if (!names.includes(result.name)) names.push(result.name);
    const items = names.map((name) => {
      const sample = present.map(({ entry }) => entry.results.find((result) => result.name === name)).find(Boolean);
      const kind = sample.kind === "peer" && !sample.correct ? "wrong" : sample.kind;
      return {
        label: implementationLabel(sample),
        kind,
        lines: present.map(({ runtime, entry }) => {
          const result = entry.results.find((item) => item.name === name);
          return result === undefined
            ? { tag: RUNTIME_NAMES[runtime], value: 0, text: "not run" }
            : { tag: RUNTIME_NAMES[runtime], value: perUnit(entry, result) };
        }),
      };
    });
    const unit =
      first.perCall === undefined
        ? "median time per call"
        : `median time per header (${first.perCall} headers per call)`;
    const headline = element("p", { class: "card-verdict" });
    for (const { runtime, entry } of present) {
      const httpauth = entry.results.find((result) => result.kind === "httpauth");
      const peer = entry.results.find((result) => result.name === entry.fastestCorrectPeer);
      const { text, tone } =
        peer === undefined ? { text: "no peer answers right", tone: "even" } : verdict(peer.median / httpauth.median);
      headline.append(
        element(
          "span",
          { class: tone },
          element("strong", {}, `${RUNTIME_NAMES[runtime]}: `),
          peer === undefined ? text : `${text} than ${peer.name}`,
        ),
      );
    }
    const input = String(first.input);
    container.append(
      element(
        "article",
        { class: "card", "data-case": id },
        element("h3", {}, `${first.operation} — ${first.variant}`),
        element(
          "p",
          { class: "input" },
          "input: ",
          element("code", {}, input.length > 110 ? `${input.slice(0, 110)}…` : input),
        ),
        headline,
        barChart(items, { format: formatNs, axisTitle: `${unit}, linear scale — shorter is faster` }),
      ),
    );
  }
}

function httpSection(http) {
  const container = document.getElementById("http");
  const drawn = {};
  for (const runtime of RUNTIMES) {
    const report = http.find((entry) => entry.runtime === runtime)?.report;
    if (report === undefined) {
      drawn[runtime] = false;
      container.append(
        element(
          "article",
          { class: "card missing", "data-http": runtime },
          element("h3", {}, RUNTIME_NAMES[runtime]),
          element(
            "p",
            { class: "not-measured" },
            `Not measured: there is no ${folderName}http-${runtime}.json, so the HTTP level has not been run on ${RUNTIME_NAMES[runtime]} for these results.`,
          ),
        ),
      );
      continue;
    }
    drawn[runtime] = true;
    const items = report.servers.map((server) => ({
      label: [
        serverRole(server) === "peer" ? server.name : element("strong", {}, server.name),
        server.correct === false ? answerBadge({ ok: false, text: "wrong answers" }) : undefined,
      ],
      kind: serverRole(server) !== "peer" ? "httpauth" : server.correct === false ? "wrong" : "peer",
      lines: report.paths.map((path) => {
        const result = server.results?.[path];
        return result === undefined
          ? { tag: path, value: 0, text: "not run" }
          : { tag: path, value: result.requestsPerSecond };
      }),
    }));
    const settings = report.settings;
    container.append(
      element(
        "article",
        { class: "card", "data-http": runtime },
        element("h3", {}, `${RUNTIME_NAMES[runtime]} ${report.runtime.version}`),
        element(
          "p",
          { class: "input" },
          `${settings.target}, ${settings.tool}, ${settings.connections} connections, ${settings.rounds ?? 1} × ${settings.durationSeconds} s per server and path; 200 = signed in, 401 = refused.`,
        ),
        barChart(items, { format: formatRate, axisTitle: "requests per second, linear scale — longer is faster" }),
      ),
    );
  }
  return drawn;
}

// ── 5. Hostile input ────────────────────────────────────────────────────────

function hostileCell(row) {
  if (row === undefined) return { text: "not measured on this runtime", tone: "none" };
  const growth = row["1 MiB ÷ 1 KiB"];
  const small = row["1 KiB"];
  const large = row["1024 KiB"];
  if (typeof growth !== "number" || typeof small !== "number" || typeof large !== "number") {
    return { text: "not measured on this runtime", tone: "none" };
  }
  const perCall = row.nsPerCall;
  if (large === 0 || growth === 0) {
    const calls = perCall
      ? ` (${formatNs(perCall["1 KiB"])} per call at 1 KiB, ${formatNs(perCall["1024 KiB"])} at 1 MiB)`
      : "";
    return {
      text: "bounded",
      tone: "flat",
      detail: `${small} ns/byte at 1 KiB, under 0.01 at 1 MiB: rejected early, the time does not grow with the input${calls}.`,
    };
  }
  return {
    text: `${formatRatio(growth)}× growth`,
    tone: growth <= FLAT_LIMIT ? "flat" : "grows",
    detail: `${small} → ${large} ns/byte${perCall ? `; ${formatNs(perCall["1024 KiB"])} per 1 MiB call` : ""}`,
  };
}

function hostile(micro) {
  const container = document.getElementById("hostile");
  const shapes = [];
  for (const { report } of micro)
    for (const row of report.hostile?.rows ?? []) if (!shapes.includes(row.shape)) shapes.push(row.shape);
  if (shapes.length === 0) {
    container.append(element("p", { class: "not-measured" }, "Not measured: no results file has hostile-input rows."));
    return 0;
  }
  const table = element("table", { class: "hostile" });
  const head = element("tr", {}, element("th", {}, "input shape"));
  for (const runtime of RUNTIMES) head.append(element("th", {}, RUNTIME_NAMES[runtime]));
  table.append(element("thead", {}, head));
  const body = element("tbody");
  for (const shape of shapes) {
    const note = micro.map(({ report }) => report.hostile?.rows.find((row) => row.shape === shape)?.note).find(Boolean);
    const line = element(
      "tr",
      { "data-shape": shape },
      element("th", { scope: "row" }, element("code", {}, shape), note ? element("small", {}, note) : undefined),
    );
    for (const runtime of RUNTIMES) {
      const report = micro.find((entry) => entry.runtime === runtime)?.report;
      const cell = hostileCell(report?.hostile?.rows.find((row) => row.shape === shape));
      line.append(
        element(
          "td",
          { class: `hostile-cell ${cell.tone}`, "data-runtime": runtime },
          element("span", { class: "ratio" }, cell.text),
          cell.detail ? element("small", {}, cell.detail) : undefined,
        ),
      );
    }
    body.append(line);
  }
  table.append(body);
  container.append(element("div", { class: "scroll" }, table));
  return shapes.length;
}

// ── 6. Our own targets ──────────────────────────────────────────────────────

function targetText(target) {
  if (typeof target.measured === "boolean") return target.measured ? "correct" : "not correct";
  if (typeof target.measured !== "number") return "could not be judged";
  if (target.case === "hostile") return `worst growth ${target.measured}× (${target.reference})`;
  if (target.reference === null || target.reference === undefined) return `${target.measured}×`;
  const ratio = `${target.measured}× ${target.reference}'s time`;
  // Against a floor the ratio is the cost over the least possible; against a peer, say it in the comparison's words.
  return /scan|floor/.test(target.target) ? ratio : `${ratio}: ${verdict(1 / target.measured).text}`;
}

function targets(micro, http) {
  const container = document.getElementById("targets");
  const rows = new Map();
  const add = (runtime, key, operation, goal, cell) => {
    if (!rows.has(key)) rows.set(key, { operation, goal, cells: {} });
    rows.get(key).cells[runtime] = cell;
  };
  for (const { runtime, report } of micro) {
    for (const target of report.targets ?? []) {
      add(runtime, `${target.operation}\u0000${target.target}`, target.operation, target.target, {
        text: targetText(target),
        met: target.met,
      });
    }
  }
  for (const { runtime, report } of http) {
    for (const target of report.targets ?? []) {
      add(runtime, `http\u0000${target.target}`, "HTTP: a Basic-protected GET", target.target, {
        text: `${target.measured}×`,
        met: target.met,
      });
    }
  }
  const table = element("table", { class: "targets" });
  const head = element("tr", {}, element("th", {}, "operation"), element("th", {}, "our goal"));
  for (const runtime of RUNTIMES) head.append(element("th", {}, RUNTIME_NAMES[runtime]));
  table.append(element("thead", {}, head));
  const body = element("tbody");
  for (const row of rows.values()) {
    const line = element("tr", {}, element("td", {}, row.operation), element("td", {}, row.goal));
    for (const runtime of RUNTIMES) {
      const cell = row.cells[runtime];
      if (cell === undefined) {
        line.append(element("td", { class: "target none" }, "not measured"));
        continue;
      }
      const state = cell.met === null ? "unknown" : cell.met ? "met" : "open";
      const label = cell.met === null ? "not judged" : cell.met ? "✓ met" : "not met yet";
      line.append(
        element(
          "td",
          { class: `target ${state}` },
          element("span", { class: "state" }, label),
          element("small", {}, cell.text),
        ),
      );
    }
    body.append(line);
  }
  table.append(body);
  container.append(element("div", { class: "scroll" }, table));
}

// ── Main ────────────────────────────────────────────────────────────────────

async function main() {
  const base = `../${folderName}`;
  const checkout = await load("./checkout.json");
  // build.mjs lists the files there are; without its list, every name is tried (a missing one is a 404).
  const listed = checkout?.files?.[folderName];
  const read = (name) => (listed === undefined || listed.includes(name) ? load(`${base}${name}`) : undefined);
  const micro = [];
  const http = [];
  for (const runtime of RUNTIMES) {
    const report = await read(`${runtime}.json`);
    if (report !== undefined) micro.push({ runtime, report });
    const httpReport = await read(`http-${runtime}.json`);
    if (httpReport !== undefined) http.push({ runtime, report: httpReport });
  }
  if (micro.length === 0 && http.length === 0) {
    throw new Error(`no results in ${folderName}: run pnpm bench (or pnpm bench:quick and open ?results=quick)`);
  }
  const run = await read("run.json");
  provenance(run, micro, http, checkout);
  const comparisons = comparison(micro, http);
  details(micro);
  const drawnHTTP = httpSection(http);
  const shapes = hostile(micro);
  targets(micro, http);
  globalThis.dashboard = {
    runtimes: micro.map(({ runtime }) => runtime),
    cases: [...document.querySelectorAll("[data-case]")].map((node) => node.dataset.case),
    http: drawnHTTP,
    comparisons,
    hostileShapes: shapes,
  };
  document.documentElement.dataset.state = "ready";
}

main().catch((error) => {
  document.getElementById("provenance").append(element("p", { class: "error" }, error.message));
  document.documentElement.dataset.state = "error";
  document.documentElement.dataset.error = error.message;
});
