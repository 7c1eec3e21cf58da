import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import * as library from "../../src/index.ts";
import { runStoreContracts } from "../suite/stores.ts";
import type { VectorFile } from "../suite/vectors.ts";
import { runVectors } from "../suite/vectors.ts";
import { vectorFiles } from "../vectors/index.ts";

const folder = fileURLToPath(new URL("../vectors/", import.meta.url));
const onDisk = readdirSync(folder)
  .filter((name) => name.endsWith(".json"))
  .sort();

// Read with JSON.parse, as Deno, Bun and workerd load JSON modules: Vite's
// JSON transform would turn a "__proto__" key into a prototype.
const files: Record<string, VectorFile> = {};
for (const name of onDisk) files[name] = JSON.parse(readFileSync(folder + name, "utf8")) as VectorFile;

runVectors(library, files, { test });
runStoreContracts(library, { test });

test("every vector file is listed in test/vectors/index.ts for the other runtimes", () => {
  expect(Object.keys(vectorFiles).sort()).toEqual(onDisk);
});
