// Zero dependencies: @httpauth/core declares none and imports nothing but its
// own files (no package, no runtime module such as node:buffer); each runtime
// package declares only the httpauth packages below it (web and node: core;
// deno and bun, which build on the Fetch layer: core and web; redis: core) and
// imports only those, its own files and its runtime's built-in modules. A
// framework adapter (a sub-path such as @httpauth/node/fastify) may name its
// framework, as an optional peer dependency imported by that adapter's file
// alone. The private testkit is never published and is left out. devDependencies are not dependencies:
// they never reach an installation. Checked on package.json, deno.json, every
// import of src/ (read with the TypeScript compiler, so comments and doc
// examples do not count) and, when it is built, core's bundle.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const packages = fileURLToPath(new URL("../../../", import.meta.url));
const core = join(packages, "core");

/** The fields through which a package pulls in other packages at install time. */
const DEPENDENCY_FIELDS = [
  "dependencies",
  "peerDependencies",
  "optionalDependencies",
  "bundleDependencies",
  "bundledDependencies",
] as const;

function readJSON(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
}

/** What each dependency field holds, empty fields left out. */
function declared(manifest: Record<string, unknown>): Record<string, unknown> {
  const found: Record<string, unknown> = {};
  for (const field of DEPENDENCY_FIELDS) {
    const value = manifest[field];
    if (value === undefined) continue;
    if (Array.isArray(value) ? value.length > 0 : Object.keys(value as object).length > 0) found[field] = value;
  }
  return found;
}

function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.[cm]?tsx?$/.test(entry.name) && !/\.test\.[cm]?tsx?$/.test(entry.name)) files.push(path);
  }
  return files;
}

/** Every module specifier that `file` imports, exports from, requires or imports dynamically. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return info.importedFiles.map((reference) => reference.fileName);
}

/** The imports of `folder`'s sources that `allowed` refuses, as "file: specifier". */
function foreignImports(folder: string, allowed: (specifier: string) => boolean): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(join(folder, "src"))) {
    for (const specifier of importsOf(file)) {
      if (!allowed(specifier)) found.push(`${relative(folder, file)}: ${specifier}`);
    }
  }
  return found;
}

function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../");
}

/** The published workspace packages other than core: every folder of packages/ with a non-private package.json. */
const runtimePackages = readdirSync(packages, { withFileTypes: true })
  .filter(
    (entry) =>
      entry.isDirectory() &&
      entry.name !== "core" &&
      existsSync(join(packages, entry.name, "package.json")) &&
      readJSON(join(packages, entry.name, "package.json")).private !== true,
  )
  .map((entry) => entry.name)
  .sort();

/** Whether `specifier` names one of the packages `below`, or one of their sub-paths (`@httpauth/core/store-steps`). */
function isBelow(specifier: string, below: readonly string[]): boolean {
  return below.some((name) => specifier === name || specifier.startsWith(`${name}/`));
}

/** The httpauth packages each runtime package builds on: the dependency arrows point one way, towards core. */
const BUILDS_ON: Readonly<Record<string, readonly string[]>> = {
  web: ["@httpauth/core"],
  node: ["@httpauth/core"],
  deno: ["@httpauth/core", "@httpauth/web"],
  bun: ["@httpauth/core", "@httpauth/web"],
  redis: ["@httpauth/core"],
};

/** The frameworks each package's adapters are written for: an optional peer dependency, and the one file that imports it. */
const OPTIONAL_PEERS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  bun: { elysia: "src/elysia.ts" },
  node: { fastify: "src/fastify.ts", koa: "src/koa.ts" },
  web: { hono: "src/hono.ts" },
};

/** The built-in modules each runtime package may import, by folder. */
const BUILT_INS: Readonly<Record<string, (specifier: string) => boolean>> = {
  node: (specifier) => specifier.startsWith("node:"),
};

describe("@httpauth/core has no dependencies", () => {
  test("package.json declares no dependencies, peer, optional or bundled", () => {
    const manifest = readJSON(join(core, "package.json"));
    expect(manifest.name).toBe("@httpauth/core");
    expect(declared(manifest)).toEqual({});
  });

  test("deno.json maps no imports", () => {
    expect(readJSON(join(core, "deno.json")).imports).toBeUndefined();
  });

  test("src/ imports only its own files: no package, no runtime module", () => {
    expect(sourceFiles(join(core, "src")).length).toBeGreaterThan(10);
    expect(foreignImports(core, isRelative)).toEqual([]);
  });

  test.skipIf(!existsSync(join(core, "dist", "index.js")))(
    "the built bundle imports and requires nothing but its own chunks",
    () => {
      for (const file of ["index.js", "index.cjs", "store-steps.js", "store-steps.cjs"]) {
        const path = join(core, "dist", file);
        if (!existsSync(path)) continue;
        const info = ts.preProcessFile(readFileSync(path, "utf8"), true, true);
        const foreign = info.importedFiles
          .map((reference) => reference.fileName)
          .filter((specifier) => !(isRelative(specifier) && existsSync(join(core, "dist", specifier))));
        expect(foreign, file).toEqual([]);
      }
    },
  );
});

describe("the runtime packages depend only on the httpauth packages below them", () => {
  test("the workspace has the five published packages beside core", () => {
    expect(runtimePackages).toEqual(["bun", "deno", "node", "redis", "web"]);
  });

  for (const name of runtimePackages) {
    const folder = join(packages, name);
    const below = BUILDS_ON[name] ?? [];

    test(`@httpauth/${name}: package.json declares ${below.join(" and ")} and nothing else`, () => {
      const manifest = readJSON(join(folder, "package.json"));
      expect(manifest.name).toBe(`@httpauth/${name}`);
      const peers = Object.keys(OPTIONAL_PEERS[name] ?? {});
      const { peerDependencies, ...rest } = declared(manifest);
      expect(rest).toEqual({
        dependencies: Object.fromEntries(below.map((dependency) => [dependency, "workspace:*"])),
      });
      // Frameworks only as optional peers: installing the package never installs one.
      expect(Object.keys((peerDependencies ?? {}) as object).sort()).toEqual(peers.sort());
      const meta = (manifest.peerDependenciesMeta ?? {}) as Record<string, { optional?: boolean }>;
      for (const peer of peers) expect(meta[peer]?.optional, peer).toBe(true);
    });

    test(`@httpauth/${name}: deno.json maps no imports`, () => {
      expect(readJSON(join(folder, "deno.json")).imports).toBeUndefined();
    });

    test(`@httpauth/${name}: src/ imports only ${below.join(", ")}, its own files and its runtime's built-ins`, () => {
      const builtIn = BUILT_INS[name] ?? (() => false);
      // The scanner sees the imports that are there: every runtime package imports what it builds on.
      const imported = sourceFiles(join(folder, "src")).flatMap(importsOf);
      for (const dependency of below) expect(imported).toContain(dependency);
      const adapters = OPTIONAL_PEERS[name] ?? {};
      const foreign = foreignImports(
        folder,
        (specifier) => isBelow(specifier, below) || isRelative(specifier) || builtIn(specifier),
      );
      // A framework, named only by its own adapter's file.
      expect(
        foreign.filter((entry) => !Object.entries(adapters).some(([peer, file]) => entry === `${file}: ${peer}`)),
      ).toEqual([]);
    });
  }
});
