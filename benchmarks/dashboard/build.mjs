// Writes dashboard/checkout.json: the results files there are (so that the
// dashboard asks for no file that is missing), the commit of the checkout the
// dashboard is served from, and, for every commit a results file was measured at, how far
// behind that checkout it is and which measured files changed since. The
// dashboard reads it to say whether the numbers it shows are for the code
// being viewed. `pnpm bench` and the dashboard test run it; run it yourself
// before serving the folder:
//   node benchmarks/dashboard/build.mjs
// Without the file (a copy of the folder without git, say) the dashboard says
// that the checkout is unknown.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gitInfo } from "../lib/environment.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const benchmarks = join(here, "..");
const root = join(benchmarks, "..");

/**
 * What the numbers depend on: the packages' sources and manifests, the
 * benchmark code and its pinned peers. Tests, docs, results and the
 * dashboard itself do not change a number.
 */
const MEASURED = [
  ":(glob)packages/*/src/**",
  ":(glob)packages/*/package.json",
  ":(glob)benchmarks/*.mjs",
  "benchmarks/lib",
  "benchmarks/package.json",
  "pnpm-lock.yaml",
  ":(exclude,glob)**/*.test.ts",
];

function git(args) {
  return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
}

const FOLDERS = ["results/", "results/quick/"];

/** The JSON files in results/ and results/quick/, so that the dashboard asks only for files that exist. */
function resultFiles() {
  return Object.fromEntries(
    FOLDERS.map((folder) => {
      const path = join(benchmarks, folder);
      return [
        folder,
        existsSync(path)
          ? readdirSync(path)
              .filter((name) => name.endsWith(".json"))
              .sort()
          : [],
      ];
    }),
  );
}

/** The commits the results files (results/ and results/quick/) were measured at. */
function resultCommits(files) {
  const commits = new Set();
  for (const [relative, names] of Object.entries(files)) {
    const folder = join(benchmarks, relative);
    for (const name of names) {
      try {
        const { commit } = JSON.parse(readFileSync(join(folder, name), "utf8"));
        if (typeof commit === "string" && /^[0-9a-f]{40}$/.test(commit)) commits.add(commit);
      } catch {
        // Not a results file with a commit.
      }
    }
  }
  return [...commits];
}

/** How the checkout relates to one measured commit; `known: false` when git does not have it. */
function compare(commit, head) {
  try {
    git(["cat-file", "-e", `${commit}^{commit}`]);
  } catch {
    return { known: false };
  }
  const behind = Number(git(["rev-list", "--count", `${commit}..${head}`]));
  const ancestor = (() => {
    try {
      git(["merge-base", "--is-ancestor", commit, head]);
      return true;
    } catch {
      return false;
    }
  })();
  const changed = git(["diff", "--name-only", commit, head, "--", ...MEASURED])
    .split("\n")
    .filter((line) => line !== "");
  return {
    known: true,
    ancestor,
    commitsBehind: behind,
    measuredChanged: changed.length,
    changedPaths: changed.slice(0, 8),
  };
}

/** Writes dashboard/checkout.json and returns its path. */
export function buildDashboard() {
  const target = join(here, "checkout.json");
  const checkout = gitInfo(root);
  const files = resultFiles();
  const data = { written: new Date().toISOString(), head: checkout.commit, dirty: checkout.dirty, files, results: {} };
  if (checkout.commit !== "unknown") {
    for (const commit of resultCommits(files)) data.results[commit] = compare(commit, checkout.commit);
  }
  writeFileSync(target, `${JSON.stringify(data, null, 2)}\n`);
  return target;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`wrote ${buildDashboard()}`);
}
