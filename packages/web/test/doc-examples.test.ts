// Every doc comment's examples, executed: each ```ts block inside a /** … */
// comment of src/ is written to a module under .doc-examples/ (imports of
// "@httpauth/web" point at src/index.ts; "@httpauth/core" resolves to the
// workspace package) and imported, so a failing assert fails this test. Also
// checks that every value exported from src/index.ts has an example.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import * as library from "../src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const sources = join(root, "src");
const out = join(root, ".doc-examples");

interface Example {
  file: string;
  line: number;
  title: string;
  code: string;
}

function listSources(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...listSources(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) files.push(path);
  }
  return files;
}

function extract(file: string): Example[] {
  const examples: Example[] = [];
  let title = "";
  let code: string[] | undefined;
  let start = 0;
  for (const [index, raw] of readFileSync(file, "utf8").split("\n").entries()) {
    const text = raw.replace(/^\s*\* ?/, "");
    if (code === undefined) {
      if (text.startsWith("@example")) title = text.slice("@example".length).trim();
      if (text === "```ts") {
        code = [];
        start = index + 1;
      }
    } else if (text === "```") {
      examples.push({ file, line: start, title, code: code.join("\n") });
      code = undefined;
    } else {
      code.push(text);
    }
  }
  return examples;
}

const examples = listSources(sources).flatMap(extract);
const entry = relative(out, join(sources, "index.ts")).replaceAll("\\", "/");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

describe("doc comment examples", () => {
  for (const [index, example] of examples.entries()) {
    test(`${relative(root, example.file)}:${example.line} ${example.title}`.trim(), async () => {
      expect(example.code).toContain('from "node:assert/strict"');
      const target = join(out, `example-${index}.ts`);
      writeFileSync(target, `${example.code.replaceAll('"@httpauth/web"', `"${entry}"`)}\nexport {};\n`);
      await import(pathToFileURL(target).href);
    });
  }

  test("every value exported from src/index.ts has an example with a title", () => {
    const documented = new Set<string>();
    for (const example of examples) {
      expect(example.title, `${example.file}:${example.line}`).not.toBe("");
      for (const match of example.code.matchAll(/import\s*{([^}]*)}\s*from\s*"@httpauth\/web"/g)) {
        for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
      }
    }
    expect(Object.keys(library).filter((name) => !documented.has(name))).toEqual([]);
  });
});
