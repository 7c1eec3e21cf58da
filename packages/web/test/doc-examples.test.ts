// Every doc comment's examples, executed: each ```ts block inside a /** … */
// comment of src/ is written to a module under .doc-examples/ (imports of
// "@httpauth/web" point at src/index.ts, "@httpauth/web/hono" at src/hono.ts;
// "@httpauth/core" resolves to the workspace package) and imported, so a
// failing assert fails this test. Also checks that every value exported from
// each entry point has an example.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { extractExamples, listSources } from "../../../scripts/lib/doc-examples.mjs";
import * as honoEntry from "../src/hono.ts";
import * as library from "../src/index.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const sources = join(root, "src");
const out = join(root, ".doc-examples");

const examples = listSources(sources).flatMap(extractExamples);
const entry = relative(out, join(sources, "index.ts")).replaceAll("\\", "/");
const honoPath = relative(out, join(sources, "hono.ts")).replaceAll("\\", "/");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

describe("doc comment examples", () => {
  for (const [index, example] of examples.entries()) {
    test(`${relative(root, example.file)}:${example.line} ${example.title}`.trim(), async () => {
      expect(example.code).toContain('from "node:assert/strict"');
      const target = join(out, `example-${index}.ts`);
      writeFileSync(
        target,
        `${example.code.replaceAll('"@httpauth/web"', `"${entry}"`).replaceAll('"@httpauth/web/hono"', `"${honoPath}"`)}\nexport {};\n`,
      );
      await import(pathToFileURL(target).href);
    });
  }

  test.each([
    ["src/index.ts", "@httpauth\\/web", library],
    ["src/hono.ts", "@httpauth\\/web\\/hono", honoEntry],
  ] as const)("every value exported from %s has an example with a title", (_file, specifier, entryModule) => {
    const documented = new Set<string>();
    const pattern = new RegExp(`import\\s*{([^}]*)}\\s*from\\s*"${specifier}"`, "g");
    for (const example of examples) {
      expect(example.title, `${example.file}:${example.line}`).not.toBe("");
      for (const match of example.code.matchAll(pattern)) {
        for (const name of (match[1] ?? "").split(",")) documented.add(name.trim().replace(/^type\s+/, ""));
      }
    }
    expect(Object.keys(entryModule).filter((name) => !documented.has(name))).toEqual([]);
  });
});
