// The micro-benchmark suites: httpauth against the pinned peers and the
// floors, on the same inputs, on whichever runtime runs this file:
//   node --expose-gc benchmarks/run.mjs
//   deno run -A --v8-flags=--expose-gc benchmarks/run.mjs
//   bun benchmarks/run.mjs
// Options:
//   --quick        one short pass (for a smoke run); writes to results/quick/
//   --out DIR      where to write <runtime>.json (default results/, or results/quick/ with --quick)
//   --only TEXT    only the cases whose id contains TEXT, or one of a comma-separated list (no targets, no hostile)
//   --no-hostile   skip the hostile-input scaling
//
// Each implementation's answer on the benchmark input is checked once before
// timing; a peer that answers wrong is timed but marked, and is never the
// peer to beat. Times are medians of mitata samples; every ratio is taken
// within this run, since absolute times drift on a shared machine.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { buildCases, PEER_PACKAGES } from "./lib/cases.mjs";
import { collector, cpuInfo, gitInfo, heapCounter, runtimeInfo, scriptArguments } from "./lib/environment.mjs";
import { HOSTILE_SIZES, hostileTable, measureHostile } from "./lib/hostile.mjs";
import { bytesPerCall, consume, time } from "./lib/measure.mjs";
import { evaluateTargets } from "./lib/targets.mjs";

const args = scriptArguments();
const quick = args.includes("--quick");
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
};
const only = option("--only");
const onlyParts = only?.split(",").filter((part) => part !== "");
const settings = quick
  ? { minTime: 40, passes: 1, hostileBudget: 20 }
  : { minTime: 300, passes: 2, hostileBudget: 100 };
const benchmarksFolder = new URL("./", import.meta.url);
const outFolder = option("--out") ?? new URL(quick ? "./results/quick/" : "./results/", benchmarksFolder).pathname;

// ── Checking answers ────────────────────────────────────────────────────────

/** JSON with object keys sorted at every level, so that key order never matters. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}

function describeError(error) {
  const code = error?.code ?? error?.name ?? "Error";
  return String(code).slice(0, 80);
}

/** Runs an implementation once: is it async, what does it answer, is that right? */
async function check(implementation, caseDefinition) {
  const normalize = implementation.normalize ?? ((output) => output);
  let isAsync = false;
  const record = {};
  let output;
  try {
    output = implementation.run();
    if (output instanceof Promise) {
      isAsync = true;
      output = await output;
    }
  } catch (error) {
    // An async implementation that rejects lands here too; it is still async.
    isAsync ||= implementation.run.constructor.name === "AsyncFunction";
    return { isAsync, record: { correct: false, outcome: "threw", answer: describeError(error) } };
  }
  try {
    const answer = normalize(output);
    record.correct = canonical(answer) === canonical(caseDefinition.expected);
    if (!record.correct) record.answer = canonical(answer).slice(0, 400);
  } catch (error) {
    // The answer is unreadable: a serialized field the grammar cannot read back, say.
    record.correct = false;
    record.answer = `unreadable answer (${describeError(error)})`;
  }
  record.outcome = record.correct ? "right" : "wrong";
  // Cases over a set of inputs count the inputs read right, beside right/wrong for the whole set.
  if (caseDefinition.score !== undefined) {
    try {
      record.score = `${caseDefinition.score(normalize(output))}/${caseDefinition.perCall}`;
    } catch {
      record.score = `0/${caseDefinition.perCall}`;
    }
  }
  if (implementation.probe !== undefined) {
    let text;
    try {
      text = implementation.probe();
    } catch (error) {
      record.probe = `threw ${describeError(error)}`;
    }
    if (text !== undefined) {
      try {
        record.probe = canonical(normalize(text)) === canonical(caseDefinition.probeExpected) ? "right" : "wrong";
      } catch (error) {
        record.probe = `wrong: unreadable (${describeError(error)})`;
      }
    }
    if (record.probe !== "right" && record.correct) {
      record.correct = false;
      record.outcome = "wrong";
      record.answer = "right on the plain input, wrong where the realm needs escaping";
    }
  }
  // A known reason for a wrong answer, in words, for the dashboard (the raw answer stays in `answer`).
  if (!record.correct && implementation.whenWrong !== undefined) record.wrongBecause = implementation.whenWrong;
  return { isAsync, record };
}

/** The call to time: the implementation, its result consumed, a throw caught (and timed). */
function timedCall(implementation, isAsync, threw) {
  if (!threw) return consume(implementation.run, isAsync);
  if (isAsync) return consume(() => implementation.run().catch((error) => error), true);
  return consume(() => {
    try {
      return implementation.run();
    } catch (error) {
      return error;
    }
  }, false);
}

// ── Running ─────────────────────────────────────────────────────────────────

function round(value, digits = 1) {
  return value === undefined || value === null ? null : Number(value.toFixed(digits));
}

async function runCase(caseDefinition, heap, gc) {
  const entries = [];
  for (const implementation of caseDefinition.implementations) {
    const { isAsync, record } = await check(implementation, caseDefinition);
    entries.push({
      implementation,
      isAsync,
      record,
      call: timedCall(implementation, isAsync, record.outcome === "threw"),
    });
  }
  // Pass 1 in the listed order, pass 2 in reverse (so drift falls on both
  // sides); each implementation keeps the pass with the lower median.
  for (let pass = 0; pass < settings.passes; pass++) {
    const order = pass % 2 === 0 ? entries : [...entries].reverse();
    for (const entry of order) {
      const stats = await time(entry.call, { minTime: settings.minTime, gc });
      if (entry.stats === undefined || stats.median < entry.stats.median) entry.stats = stats;
    }
  }
  for (const entry of entries) entry.bytes = await bytesPerCall(entry.call, entry.isAsync, heap);

  const results = entries.map(({ implementation, isAsync, record, stats, bytes }) => ({
    name: implementation.name,
    kind: implementation.kind,
    ...(implementation.validates === undefined ? {} : { validates: implementation.validates }),
    async: isAsync,
    ...record,
    median: round(stats.median),
    p99: round(stats.p99),
    min: round(stats.min),
    samples: stats.samples,
    calls: stats.calls,
    bytes: bytes ?? null,
    ...(implementation.note === undefined ? {} : { note: implementation.note }),
  }));

  const httpauth = results.find((result) => result.kind === "httpauth");
  const correctPeers = results.filter((result) => result.kind === "peer" && result.correct);
  const fastestPeer = correctPeers.reduce(
    (best, peer) => (best === undefined || peer.median < best.median ? peer : best),
    undefined,
  );
  const floors = results.filter((result) => result.kind === "floor");
  const primary = floors
    .filter((floor) => caseDefinition.primaryFloor.includes(floor.name))
    .reduce((best, floor) => (best === undefined || floor.median < best.median ? floor : best), undefined);
  const ratioTo = (reference) =>
    reference === undefined || reference.median === 0 ? null : round(httpauth.median / reference.median, 3);
  for (const result of results) result.ratioToHttpauth = round(result.median / httpauth.median, 3);

  return {
    id: caseDefinition.id,
    operation: caseDefinition.operation,
    variant: caseDefinition.variant,
    input: caseDefinition.input,
    ...(caseDefinition.checkNote === undefined ? {} : { checkNote: caseDefinition.checkNote }),
    ...(caseDefinition.perCall === undefined ? {} : { perCall: caseDefinition.perCall }),
    results,
    fastestCorrectPeer: fastestPeer?.name ?? null,
    floor: primary?.name ?? null,
    ratios: {
      toFastestCorrectPeer: ratioTo(fastestPeer),
      toFloor: ratioTo(primary),
      toFloors: Object.fromEntries(floors.map((floor) => [floor.name, ratioTo(floor)])),
    },
  };
}

function printCase(caseResult) {
  console.log(`\n${caseResult.operation} — ${caseResult.variant}`);
  const rows = caseResult.results.map((result) => ({
    implementation: result.name,
    kind: result.kind,
    answer:
      result.outcome +
      (result.probe !== undefined && result.probe !== "right" ? ` (escape probe: ${result.probe})` : ""),
    ...(result.score === undefined
      ? {}
      : { score: result.score, "ns per input": round(result.median / caseResult.perCall) }),
    "median ns": result.median,
    "p99 ns": result.p99,
    bytes: result.bytes ?? "n/a",
    "× httpauth": result.ratioToHttpauth,
  }));
  console.table(rows);
  const { toFastestCorrectPeer, toFloor } = caseResult.ratios;
  console.log(
    `httpauth ÷ fastest correct peer (${caseResult.fastestCorrectPeer ?? "none"}): ${toFastestCorrectPeer ?? "n/a"};` +
      ` ÷ floor (${caseResult.floor}): ${toFloor}`,
  );
}

function peerVersions() {
  const manifest = JSON.parse(readFileSync(new URL("package.json", benchmarksFolder), "utf8"));
  return Object.fromEntries(PEER_PACKAGES.map((name) => [name, manifest.devDependencies?.[name] ?? null]));
}

async function main() {
  const runtime = runtimeInfo();
  const heap = await heapCounter();
  const gc = collector();
  const startedAt = new Date();
  console.log(
    `httpauth benchmarks on ${runtime.name} ${runtime.version}${quick ? " (quick)" : ""}; ` +
      `allocation counter: ${heap === undefined ? "none" : "V8 heap"}; collector: ${gc === undefined ? "none" : "yes"}`,
  );

  const cases = [];
  for (const caseDefinition of await buildCases()) {
    if (onlyParts !== undefined && !onlyParts.some((part) => caseDefinition.id.includes(part))) continue;
    const caseResult = await runCase(caseDefinition, heap, gc);
    printCase(caseResult);
    cases.push(caseResult);
  }

  let hostile;
  if (only === undefined && !args.includes("--no-hostile")) {
    const rows = measureHostile(settings.hostileBudget, gc);
    console.log("\nHostile input, ns per byte");
    console.table(hostileTable(rows));
    hostile = { unit: "ns/byte", sizes: HOSTILE_SIZES, rows };
  }
  const targets = only === undefined ? evaluateTargets(cases, hostile?.rows) : [];
  if (targets.length > 0) {
    console.log("\nTargets (ratios within this run)");
    console.table(
      targets.map((target) => ({
        operation: target.operation,
        target: target.target,
        against: target.reference,
        measured: target.measured,
        met: target.met,
      })),
    );
  }

  const git = gitInfo(new URL("..", benchmarksFolder).pathname);
  const report = {
    schema: 1,
    suite: "httpauth micro-benchmarks",
    mode: quick ? "quick" : "full",
    runtime,
    cpu: cpuInfo(),
    commit: git.commit,
    dirty: git.dirty,
    ...(git.dirtyPaths === undefined ? {} : { dirtyPaths: git.dirtyPaths }),
    date: startedAt.toISOString(),
    durationSeconds: round((Date.now() - startedAt.getTime()) / 1000),
    settings: {
      minTimeMs: settings.minTime,
      passes: settings.passes,
      timer: "mitata 1.x measure(); median and p99 are over samples, each the mean of one batch of calls",
      bytes: heap === undefined ? "not measured: this runtime has no precise allocation counter" : "V8 used_heap_size",
    },
    peers: peerVersions(),
    cases,
    ...(hostile === undefined ? {} : { hostile }),
    targets,
  };
  if (only === undefined) {
    mkdirSync(outFolder, { recursive: true });
    const file = `${outFolder.replace(/\/$/, "")}/${runtime.name}.json`;
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    if (hostile !== undefined && !quick) {
      writeFileSync(
        `${outFolder.replace(/\/$/, "")}/hostile-${runtime.name}.json`,
        `${JSON.stringify({ runtime: `${runtime.name} ${runtime.version}`, unit: "ns/byte", rows: hostile.rows }, null, 2)}\n`,
      );
    }
    console.log(`\nwrote ${file}`);
  }
}

await main();
