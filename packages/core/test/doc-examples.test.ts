// Every doc comment's examples, executed: each ```ts block inside a /** … */
// comment of src/ is written to a module (imports of "@httpauth/core" point
// at src/index.ts) and imported, so a failing assert fails this test. Also
// checks that every value exported from src/index.ts has at least one example.

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
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
  const lines = readFileSync(file, "utf8").split("\n");
  let title = "";
  let code: string[] | undefined;
  let start = 0;
  lines.forEach((raw, index) => {
    const text = raw.replace(/^\s*\* ?/, "");
    if (code === undefined) {
      const heading = /^@example\s*(.*)$/.exec(text);
      if (heading) title = heading[1] ?? "";
      if (/^```(ts|typescript)\s*$/.test(text)) {
        code = [];
        start = index + 1;
      }
    } else if (/^```\s*$/.test(text)) {
      examples.push({ file, line: start, title, code: code.join("\n") });
      code = undefined;
    } else {
      code.push(text);
    }
  });
  return examples;
}

const examples = listSources(sources).flatMap(extract);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

describe("doc comment examples", () => {
  for (const [index, example] of examples.entries()) {
    const where = `${relative(root, example.file)}:${example.line}`;
    test(`${where} ${example.title}`.trim(), async () => {
      const target = join(out, `example-${index}.ts`);
      const fromHere = (path: string): string => {
        const resolved = relative(out, join(dirname(example.file), path)).replaceAll("\\", "/");
        return resolved.startsWith(".") ? resolved : `./${resolved}`;
      };
      const code = example.code
        .replace(/from "(\.\.?\/[^"]+)"/g, (_match, path: string) => `from "${fromHere(path)}"`)
        .replaceAll('"@httpauth/core"', `"${relative(out, join(sources, "index.ts")).replaceAll("\\", "/")}"`);
      writeFileSync(target, `${code}\nexport {};\n`);
      await import(pathToFileURL(target).href);
    });
  }

  test("every value exported from src/index.ts has an example", () => {
    const documented = new Set<string>();
    for (const example of examples) {
      for (const match of example.code.matchAll(/import\s*{([^}]*)}\s*from\s*"@httpauth\/core"/g)) {
        for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
      }
    }
    const missing = Object.keys(library).filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });
});
