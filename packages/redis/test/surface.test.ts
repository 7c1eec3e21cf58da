// The exported names of @httpauth/redis, values and types, as a snapshot: an API
// change shows up in review as a diff of test/__snapshots__/exports.txt.
// After an intended change: `vitest run -u` here, and a changeset.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { describeSurface, valueNames } from "../../../scripts/lib/surface.mjs";
import * as library from "../src/index.ts";

const surface = describeSurface(fileURLToPath(new URL("..", import.meta.url)));

test("the exported names of @httpauth/redis match test/__snapshots__/exports.txt", async () => {
  await expect(surface).toMatchFileSnapshot("./__snapshots__/exports.txt");
});

test("src/index.ts exports at run time exactly the values of the snapshot", () => {
  expect(Object.keys(library).sort()).toEqual(valueNames(surface, "@httpauth/redis"));
});

test("src/ has no runtime dependency: no node: imports, no process, no Buffer, only @httpauth/core", () => {
  const folder = fileURLToPath(new URL("../src/", import.meta.url));
  const files = readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(0);
  for (const name of files) {
    const code = readFileSync(join(folder, name), "utf8").replace(/\/\*\*[\s\S]*?\*\//g, "");
    expect(code, name).not.toMatch(/from "node:|\bprocess\.|\bBuffer\b|\brequire\(/);
    for (const match of code.matchAll(/^import (type )?[^;]*from "([^"]+)"/gm)) {
      const local = match[2]?.startsWith("./") === true;
      // Types and the argument checks every store shares (@httpauth/core/store-steps).
      const core = match[2] === "@httpauth/core" || match[2] === "@httpauth/core/store-steps";
      expect(local || core, `${name}: ${match[0]}`).toBe(true);
    }
  }
});
