// What the results file records about where it was measured, and the few
// runtime-specific hooks the runner needs (allocation counter, collector).
// Works unchanged on Node, Deno and Bun.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** { name: "node" | "deno" | "bun", version } of the running runtime. */
export function runtimeInfo() {
  if (typeof globalThis.Bun !== "undefined") return { name: "bun", version: globalThis.Bun.version };
  if (typeof globalThis.Deno !== "undefined") {
    return { name: "deno", version: globalThis.Deno.version.deno, v8: globalThis.Deno.version.v8 };
  }
  return { name: "node", version: globalThis.process.versions.node, v8: globalThis.process.versions.v8 };
}

/** The command-line arguments after the script, on every runtime. */
export function scriptArguments() {
  if (typeof globalThis.Deno !== "undefined") return globalThis.Deno.args;
  return globalThis.process.argv.slice(2);
}

/** The CPU model from /proc/cpuinfo, else from os.cpus(); and the number of logical cores. */
export function cpuInfo() {
  let model;
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    model = match?.[1]?.trim();
  } catch {
    // Not Linux: os.cpus() below.
  }
  let count;
  try {
    const list = cpus();
    model ??= list[0]?.model;
    count = list.length;
  } catch {
    count = undefined;
  }
  return { model: model ?? "unknown", cores: count ?? null };
}

/**
 * Paths a benchmark run writes itself: a change there does not make the tree
 * differ from the commit measured (pnpm bench writes results/*.json one after
 * the other, and the later steps would otherwise see the earlier ones).
 */
export const WRITTEN_BY_RUNS = ["benchmarks/results", "benchmarks/dashboard/screenshot.png"];

/**
 * The checked-out commit (`folder` is the repository root), whether the work
 * tree differs from it outside WRITTEN_BY_RUNS, and the first differing paths.
 */
export function gitInfo(folder) {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: folder, encoding: "utf8" }).trim();
    const excluded = WRITTEN_BY_RUNS.map((path) => `:(exclude)${path}`);
    const status = execFileSync("git", ["status", "--porcelain", "--", ".", ...excluded], {
      cwd: folder,
      encoding: "utf8",
    });
    const changed = status
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => line.slice(3));
    return { commit, dirty: changed.length > 0, ...(changed.length > 0 ? { dirtyPaths: changed.slice(0, 10) } : {}) };
  } catch {
    return { commit: "unknown", dirty: null };
  }
}

/**
 * A function returning the bytes currently allocated on the JS heap, where
 * the runtime can tell them precisely enough to count a few hundred bytes:
 * V8's used_heap_size (Node, Deno). JavaScriptCore (Bun) updates its heap
 * size only at collections and its allocator's counter by whole pages, so
 * Bun gets `undefined` and its results say so.
 */
export async function heapCounter() {
  if (typeof globalThis.Bun !== "undefined") return undefined;
  try {
    const v8 = await import("node:v8");
    v8.getHeapStatistics();
    return () => v8.getHeapStatistics().used_heap_size;
  } catch {
    return undefined;
  }
}

/** A full collection, when the runtime exposes one (node --expose-gc, deno --v8-flags=--expose-gc, Bun.gc). */
export function collector() {
  if (typeof globalThis.Bun !== "undefined") return () => globalThis.Bun.gc(true);
  if (typeof globalThis.gc === "function") return () => globalThis.gc();
  return undefined;
}
