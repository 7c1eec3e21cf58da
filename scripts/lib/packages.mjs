// What the packaging scripts share: the published packages, their manifests,
// their tsup entries, and packing them into tarballs. Plain Node ESM; esbuild
// (a root devDependency) reads the tsup configs.

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bin = join(root, "node_modules", ".bin");

/**
 * Entry points published on npm only, never on JSR, each with its source and
 * why. scripts/check-exports.mjs accepts exactly these keys missing from
 * deno.json#exports; the surface snapshot and API.md include them.
 */
export const NPM_ONLY_ENTRIES = {
  "@httpauth/node": {
    "./fastify": {
      source: "./src/fastify.ts",
      reason:
        'its types augment fastify\'s (`declare module "fastify"`, how fastify plugins declare their decorators), which JSR refuses as an ambient module',
    },
  },
  "@httpauth/bun": {
    "./elysia": {
      source: "./src/elysia.ts",
      reason:
        "it imports elysia at run time (a named plugin instance, `new Elysia()`), and a bare `elysia` import does not resolve on JSR, where deno.json maps no imports",
    },
  },
};

/**
 * Every entry point of a package with its source file: deno.json#exports,
 * then the npm-only ones of {@link NPM_ONLY_ENTRIES}.
 *
 * @param {string} name the package name
 * @param {{ exports?: string | Record<string, string> } | undefined} deno its deno.json
 * @returns {Record<string, string>}
 */
export function sourceEntries(name, deno) {
  const jsr =
    deno?.exports === undefined ? {} : typeof deno.exports === "string" ? { ".": deno.exports } : deno.exports;
  const npmOnly = Object.entries(NPM_ONLY_ENTRIES[name] ?? {}).map(([key, { source }]) => [key, source]);
  return { ...jsr, ...Object.fromEntries(npmOnly) };
}

/**
 * The packages published to npm and JSR: every folder of packages/ whose
 * package.json is not private, in a fixed order (core first: the others
 * depend on it).
 *
 * @returns {{ name: string, folder: string, dir: string, manifest: any, deno: any }[]}
 */
export function publishedPackages() {
  const parent = join(root, "packages");
  const found = [];
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const dir = join(parent, entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue;
    const manifest = readJSON(join(dir, "package.json"));
    if (manifest.private === true) continue;
    const deno = existsSync(join(dir, "deno.json")) ? readJSON(join(dir, "deno.json")) : undefined;
    found.push({ name: manifest.name, folder: `packages/${entry.name}`, dir, manifest, deno });
  }
  const rank = (pkg) => (pkg.name === "@httpauth/core" ? 0 : 1);
  return found.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}

export function readJSON(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/**
 * The `entry` of a package's tsup.config.ts, as source paths relative to the
 * package (`src/index.ts`). The config is compiled with esbuild, `tsup` is
 * replaced by a stub whose `defineConfig` returns its argument, and the
 * result is imported from a data: URL, so nothing is written to disk.
 *
 * @returns {Promise<string[]>}
 */
export async function tsupEntries(dir) {
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [join(dir, "tsup.config.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    logLevel: "silent",
    plugins: [
      {
        name: "tsup-stub",
        setup(builder) {
          builder.onResolve({ filter: /^tsup$/ }, () => ({ path: "tsup", namespace: "tsup-stub" }));
          builder.onLoad({ filter: /.*/, namespace: "tsup-stub" }, () => ({
            contents: "export function defineConfig(config) { return config; }",
          }));
        },
      },
    ],
  });
  const code = result.outputFiles[0].text;
  const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  let config = module.default;
  if (typeof config === "function") config = await config({});
  const configs = Array.isArray(config) ? config : [config];
  const entries = [];
  for (const one of configs) {
    const entry = one.entry ?? [];
    const list = Array.isArray(entry) ? entry : Object.values(entry);
    for (const path of list) entries.push(path.replace(/^\.\//, ""));
  }
  return [...new Set(entries)].sort();
}

/**
 * Where tsup (esbuild) writes an entry: the entry's path below the entries'
 * lowest common folder, in dist/, without its extension. `src/index.ts` alone
 * gives `index`; `src/index.ts` with `src/schemes/basic.ts` gives `index` and
 * `schemes/basic`.
 *
 * @param {string[]} entries source paths relative to the package
 * @returns {Map<string, string>} source path → dist stem (`dist/index`)
 */
export function distStems(entries) {
  const folders = entries.map((entry) => dirname(entry).split(/[\\/]/));
  const common = [];
  for (let index = 0; folders.every((parts) => index < parts.length); index++) {
    const part = folders[0][index];
    if (!folders.every((parts) => parts[index] === part)) break;
    common.push(part);
  }
  const base = common.join("/");
  return new Map(
    entries.map((entry) => {
      const below = relative(base, entry).split(sep).join("/");
      return [entry, `dist/${below.replace(/\.[cm]?tsx?$/, "")}`];
    }),
  );
}

/**
 * Packs every published package with `pnpm pack` (which turns `workspace:*`
 * into the version, as `pnpm publish` does) into `destination`. The packages
 * must be built first.
 *
 * @returns {Map<string, string>} package name → tarball path
 */
export function packAll(destination) {
  const tarballs = new Map();
  for (const pkg of publishedPackages()) {
    const result = spawnSync(join(bin, "pnpm"), ["pack", "--pack-destination", destination], {
      cwd: pkg.dir,
      encoding: "utf8",
      env: childEnvironment(),
    });
    if (result.status !== 0) {
      throw new Error(`pnpm pack failed in ${pkg.folder}:\n${result.stdout}${result.stderr}`);
    }
    const tarball = result.stdout
      .trim()
      .split(/\r?\n/)
      .findLast((line) => line.endsWith(".tgz"));
    if (tarball === undefined || !existsSync(tarball)) {
      throw new Error(`pnpm pack in ${pkg.folder} printed no tarball path:\n${result.stdout}`);
    }
    const missing = missingExportTargets(pkg, tarball);
    if (missing.length > 0) {
      throw new Error(`the tarball of ${pkg.folder} lacks what its exports point at: ${missing.join(", ")}`);
    }
    tarballs.set(pkg.name, tarball);
  }
  return tarballs;
}

/** The files package.json#exports points at that the tarball does not hold. */
export function missingExportTargets(pkg, tarball) {
  const listing = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" });
  if (listing.status !== 0) throw new Error(`tar could not list ${tarball}: ${listing.stderr}`);
  const files = new Set(listing.stdout.split(/\r?\n/).map((line) => line.replace(/^package\//, "")));
  // The targets only: a sub-path key such as "./durable-object" names no file.
  const targets = [];
  const collect = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (value !== null && typeof value === "object") for (const inner of Object.values(value)) collect(inner);
  };
  collect(pkg.manifest.exports ?? {});
  return [...new Set(targets.filter((target) => target.startsWith("./")).map((target) => target.slice(2)))].filter(
    (target) => !files.has(target),
  );
}

/**
 * The environment for a child process: this one's, with node_modules/.bin
 * first on PATH, colours off, and `extra` added (an undefined value removes
 * a variable; Deno turns colours on when FORCE_COLOR is set at all).
 */
export function childEnvironment(extra = {}) {
  const environment = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
    FORCE_COLOR: undefined,
    ...extra,
  };
  for (const [name, value] of Object.entries(environment)) if (value === undefined) delete environment[name];
  return environment;
}

/** Prints the closing line that scripts/test-all.mjs reads: `label: N passed, M failed`. */
export function printSummary(label, passed, failed) {
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}
