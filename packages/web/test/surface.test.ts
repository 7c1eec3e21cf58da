import { expect, test } from "vitest";
import * as library from "../src/index.ts";

test("the exported values are exactly these", () => {
  expect(Object.keys(library).sort()).toEqual([
    "createAuthFetch",
    "createAuthRequest",
    "createFailureResponse",
    "protect",
  ]);
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
      expect(match[1] === "@httpauth/core" || match[1]?.startsWith("./") || match[1]?.startsWith("../"), name).toBe(
        true,
      );
    }
  }
});
