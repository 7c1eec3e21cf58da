// The exported names of @httpauth/deno, values and types, as a snapshot: an API
// change shows up in review as a diff of test/__snapshots__/exports.txt.
// After an intended change: `vitest run -u` here, and a changeset.

import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { describeSurface, valueNames } from "../../../scripts/lib/surface.mjs";
import * as library from "../src/index.ts";

const surface = describeSurface(fileURLToPath(new URL("..", import.meta.url)));

test("the exported names of @httpauth/deno match test/__snapshots__/exports.txt", async () => {
  await expect(surface).toMatchFileSnapshot("./__snapshots__/exports.txt");
});

test("src/index.ts exports at run time exactly the values of the snapshot", () => {
  expect(Object.keys(library).sort()).toEqual(valueNames(surface, "@httpauth/deno"));
});
