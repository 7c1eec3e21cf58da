// The examples of every doc comment of a package's src/, for the packages'
// test/doc-examples.test.ts: each ```ts block inside a /** … */ comment, with
// the title of the @example above it. The tests write each block to a module
// and import it, so a failing assert fails the test.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Every .ts file under `folder`, test files excepted. */
export function listSources(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The fenced ts blocks inside the doc comments of `file`: `{ file, line, title, code }` each. */
export function extractExamples(file) {
  const examples = [];
  let title = "";
  let code;
  let start = 0;
  for (const [index, raw] of readFileSync(file, "utf8").split("\n").entries()) {
    const text = raw.replace(/^\s*\* ?/, "");
    if (code === undefined) {
      const heading = /^@example\s*(.*)$/.exec(text);
      if (heading) title = (heading[1] ?? "").trim();
      if (/^```(ts|typescript)\s*$/.test(text.trim())) {
        code = [];
        start = index + 1;
      }
    } else if (text.trim() === "```") {
      examples.push({ file, line: start, title, code: code.join("\n") });
      code = undefined;
    } else {
      code.push(text);
    }
  }
  return examples;
}
