// Structure gate: every source file in packages/*/src (tests excluded) stays
// under MAX_FILE_LINES lines, and every function in it (declarations, methods,
// arrows, function expressions) under MAX_FUNCTION_LINES lines, so that each
// file and each function can be read in one sitting. Functions are found with
// the TypeScript parser, not by pattern. Prints one check per file and a
// closing `structure: N passed, M failed` line; exits 1 on any failure.
//
//   node scripts/check-structure.mjs            check
//   node scripts/check-structure.mjs --report   also list the longest functions

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const MAX_FILE_LINES = 700;
const MAX_FUNCTION_LINES = 80;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const report = process.argv.includes("--report");

/** Source files under packages/<name>/src, tests excluded. */
function sourceFiles() {
  const files = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !/\.(test|spec)\.tsx?$/.test(entry.name)) files.push(path);
    }
  };
  for (const entry of readdirSync(join(root, "packages"), { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const source = join(root, "packages", entry.name, "src");
    try {
      walk(source);
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  }
  return files.sort();
}

/** Every function-like node of a file with its name and line count. */
function functionsOf(path, text) {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: nameOf(node), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function nameOf(node) {
  if (node.name !== undefined) return node.name.getText();
  const parent = node.parent;
  if (parent !== undefined && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) {
    return parent.name.getText();
  }
  return "(anonymous)";
}

let passed = 0;
let failed = 0;
const all = [];
for (const path of sourceFiles()) {
  const text = readFileSync(path, "utf8");
  const name = relative(root, path);
  const problems = [];
  const lines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
  if (lines > MAX_FILE_LINES) problems.push(`${lines} lines (at most ${MAX_FILE_LINES})`);
  for (const fn of functionsOf(path, text)) {
    all.push({ ...fn, file: name });
    if (fn.lines > MAX_FUNCTION_LINES) {
      problems.push(`${fn.name} at line ${fn.line} has ${fn.lines} lines (at most ${MAX_FUNCTION_LINES})`);
    }
  }
  if (problems.length === 0) {
    passed += 1;
  } else {
    failed += 1;
    console.log(`✗ ${name}: ${problems.join("; ")}`);
  }
}
if (report) {
  for (const fn of all.sort((a, b) => b.lines - a.lines).slice(0, 25)) {
    console.log(`${String(fn.lines).padStart(4)}  ${fn.file}:${fn.line} ${fn.name}`);
  }
}
console.log(`structure: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
