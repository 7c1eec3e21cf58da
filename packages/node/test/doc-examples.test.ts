// Runs every ```ts block of the doc comments in src/ as a module, with
// "@httpauth/node" pointing at src/index.ts, so a failing assert fails here;
// and checks that every value src/index.ts exports appears in an example.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { extractExamples, listSources } from "../../../scripts/lib/doc-examples.mjs";
import * as library from "../src/index.ts";

const packageRoot = fileURLToPath(new URL("..", import.meta.url));
const sourceFolder = join(packageRoot, "src");
const outputFolder = join(packageRoot, ".doc-examples");

const examples = listSources(sourceFolder).flatMap(extractExamples);
/** Each entry point, as the examples import it, and the source file it maps to. */
const ENTRIES: ReadonlyArray<[specifier: string, file: string]> = [
  ["@httpauth/node/fastify", "fastify.ts"],
  ["@httpauth/node/koa", "koa.ts"],
  ["@httpauth/node", "index.ts"],
];
const entryPath = (file: string): string => relative(outputFolder, join(sourceFolder, file)).replaceAll("\\", "/");
rmSync(outputFolder, { recursive: true, force: true });
mkdirSync(outputFolder, { recursive: true });

describe("doc comment examples", () => {
  examples.forEach((example, index) => {
    test(`${relative(packageRoot, example.file)}:${example.line} ${example.title}`.trim(), async () => {
      const target = join(outputFolder, `example-${index}.ts`);
      let code = example.code;
      for (const [specifier, file] of ENTRIES) code = code.replaceAll(`"${specifier}"`, `"${entryPath(file)}"`);
      writeFileSync(target, `${code}\nexport {};\n`);
      await import(pathToFileURL(target).href);
    });
  });

  test("every example has a title", () => {
    expect(examples.filter((example) => example.title === "").map((example) => example.line)).toEqual([]);
  });

  test("every value exported from src/index.ts appears in an example", () => {
    const imported = new Set<string>();
    for (const example of examples) {
      for (const match of example.code.matchAll(/import\s*{([^}]*)}\s*from\s*"@httpauth\/node"/g)) {
        for (const name of (match[1] ?? "").split(",")) imported.add(name.trim());
      }
    }
    expect(Object.keys(library).filter((name) => !imported.has(name))).toEqual([]);
  });
});
