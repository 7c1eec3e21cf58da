// Every doc comment's examples, executed: each ```ts block inside a /** … */
// comment of src/ is written to a module (imports of "@httpauth/core" point
// at src/index.ts, "@httpauth/core/<sub-path>" at src/<sub-path>.ts) and
// imported, so a failing assert fails this test. Also checks that every value
// exported from each entry point has at least one example.

import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { extractExamples, listSources } from "../../../scripts/lib/doc-examples.mjs";
import * as library from "../src/index.ts";
import * as storeSteps from "../src/store-steps.ts";

/** Each entry point's specifier and its exports. */
const ENTRIES: Readonly<Record<string, Record<string, unknown>>> = {
  "@httpauth/core": library,
  "@httpauth/core/store-steps": storeSteps,
};

const root = fileURLToPath(new URL("..", import.meta.url));
const sources = join(root, "src");
const out = join(root, ".doc-examples");

const examples = listSources(sources).flatMap(extractExamples);
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
        .replace(/"@httpauth\/core(\/[a-z-]+)?"/g, (_match, sub: string | undefined) => {
          const file = join(sources, sub === undefined ? "index.ts" : `${sub.slice(1)}.ts`);
          return `"${relative(out, file).replaceAll("\\", "/")}"`;
        });
      writeFileSync(target, `${code}\nexport {};\n`);
      await import(pathToFileURL(target).href);
    });
  }

  for (const [specifier, exports] of Object.entries(ENTRIES)) {
    test(`every value exported from ${specifier} has an example`, () => {
      const documented = new Set<string>();
      const pattern = new RegExp(`import\\s*{([^}]*)}\\s*from\\s*"${specifier.replaceAll("/", "\\/")}"`, "g");
      for (const example of examples) {
        for (const match of example.code.matchAll(pattern)) {
          for (const name of (match[1] ?? "").split(",")) documented.add(name.trim());
        }
      }
      const missing = Object.keys(exports).filter((name) => !documented.has(name));
      expect(missing).toEqual([]);
    });
  }
});
