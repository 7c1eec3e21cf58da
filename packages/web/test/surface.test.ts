// The exported names of @httpauth/web, values and types, as a snapshot: an API
// change shows up in review as a diff of test/__snapshots__/exports.txt.
// After an intended change: `vitest run -u` here, and a changeset.

import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { describeSurface, valueNames } from "../../../scripts/lib/surface.mjs";
import * as library from "../src/index.ts";

const surface = describeSurface(fileURLToPath(new URL("..", import.meta.url)));

test("the exported names of @httpauth/web match test/__snapshots__/exports.txt", async () => {
  await expect(surface).toMatchFileSnapshot("./__snapshots__/exports.txt");
});

test("src/index.ts exports at run time exactly the values of the snapshot", () => {
  expect(Object.keys(library).sort()).toEqual(valueNames(surface, "@httpauth/web"));
});

test("src/ uses only Fetch API globals: no node: imports, no process, no Buffer", async () => {
  const { readdirSync, readFileSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { fileURLToPath } = await import("node:url");
  const folder = fileURLToPath(new URL("../src/", import.meta.url));
  const files = readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(0);
  for (const name of files) {
    const code = readFileSync(join(folder, name), "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
    expect(code, name).not.toMatch(/from "node:|\bprocess\.|\bBuffer\b|\brequire\(/);
    for (const match of code.matchAll(/from "([^"]+)"/g)) {
      const specifier = match[1] ?? "";
      const allowed =
        specifier === "@httpauth/core" ||
        specifier.startsWith("@httpauth/core/") ||
        specifier.startsWith("./") ||
        specifier.startsWith("../");
      expect(allowed, `${name} imports ${specifier}`).toBe(true);
    }
  }
});
