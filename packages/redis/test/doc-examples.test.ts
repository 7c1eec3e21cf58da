// Every doc comment's examples, executed: each ```ts block inside a /** … */
// comment of src/ is written to a module under .doc-examples/ (imports of
// "@httpauth/redis" point at src/index.ts; "@httpauth/core" resolves to the
// workspace package) and imported, so a failing assert fails this test. Also
// checks that every value exported from src/index.ts has an example.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { extractExamples, listSources } from "../../../scripts/lib/doc-examples.mjs";
import * as library from "../src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const sources = join(root, "src");
const out = join(root, ".doc-examples");

const examples = listSources(sources).flatMap(extractExamples);
const entry = relative(out, join(sources, "index.ts")).replaceAll("\\", "/");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

describe("doc comment examples", () => {
  for (const [index, example] of examples.entries()) {
    test(`${relative(root, example.file)}:${example.line} ${example.title}`.trim(), async () => {
      expect(example.code).toContain('from "node:assert/strict"');
      const target = join(out, `example-${index}.ts`);
      writeFileSync(target, `${example.code.replaceAll('"@httpauth/redis"', `"${entry}"`)}\nexport {};\n`);
      await import(pathToFileURL(target).href);
    });
  }

  test("every value exported from src/index.ts has an example with a title", () => {
    const documented = new Set<string>();
    for (const example of examples) {
      expect(example.title, `${example.file}:${example.line}`).not.toBe("");
      for (const match of example.code.matchAll(/import\s*{([^}]*)}\s*from\s*"@httpauth\/redis"/g)) {
        for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
      }
    }
    expect(Object.keys(library).filter((name) => !documented.has(name))).toEqual([]);
  });
});
