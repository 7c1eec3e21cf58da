// The exported names of a package, values and types, per entry point, read
// from its sources with the TypeScript compiler: what each package's
// test/surface.test.ts snapshots into test/__snapshots__/exports.txt, and
// what scripts/consumer-test.mjs expects the installed packages to export.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { sourceEntries } from "./packages.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Kinds whose names exist at run time (unless exported with `export type`). */
const VALUE_KINDS = new Set(["function", "class", "const", "let", "var", "enum", "namespace"]);

function readJSON(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** `@httpauth/x` → packages/x/src/index.ts for every workspace package, so no build is needed. */
function workspacePaths() {
  const paths = {};
  const parent = join(root, "packages");
  for (const entry of readdirSync(parent, { withFileTypes: true })) {
    const dir = join(parent, entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, "package.json"))) continue;
    const { name } = readJSON(join(dir, "package.json"));
    if (existsSync(join(dir, "src", "index.ts"))) paths[name] = [join(dir, "src", "index.ts")];
  }
  return paths;
}

function kindOf(symbol, exported) {
  const flags = symbol.flags;
  let kind = "unknown";
  if (flags & ts.SymbolFlags.Function) kind = "function";
  else if (flags & ts.SymbolFlags.Class) kind = "class";
  else if (flags & ts.SymbolFlags.Enum) kind = "enum";
  else if (flags & ts.SymbolFlags.Variable) {
    const list = symbol.valueDeclaration?.parent;
    const listFlags = list && ts.isVariableDeclarationList(list) ? list.flags : 0;
    kind = listFlags & ts.NodeFlags.Const ? "const" : listFlags & ts.NodeFlags.Let ? "let" : "var";
  } else if (flags & ts.SymbolFlags.Interface) kind = "interface";
  else if (flags & ts.SymbolFlags.TypeAlias) kind = "type";
  else if (flags & ts.SymbolFlags.Module) kind = "namespace";
  const typeOnly = (exported.declarations ?? []).some(
    (declaration) =>
      ts.isExportSpecifier(declaration) && (declaration.isTypeOnly || declaration.parent.parent.isTypeOnly),
  );
  return typeOnly && VALUE_KINDS.has(kind) ? `${kind} (type only)` : kind;
}

/**
 * The exported names of the package in `dir`, by entry point (the keys of its
 * deno.json exports, which scripts/check-exports.mjs keeps equal to
 * package.json's), one `kind name` line each, sorted by name.
 *
 * @param {string} dir the package folder
 * @returns {string}
 */
export function describeSurface(dir) {
  const { name } = readJSON(join(dir, "package.json"));
  const deno = readJSON(join(dir, "deno.json"));
  const entries = Object.entries(sourceEntries(name, deno)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const files = entries.map(([, target]) => join(dir, target));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    baseUrl: root,
    paths: workspacePaths(),
  });
  const checker = program.getTypeChecker();
  const lines = [
    `# ${name}: the exported names, by entry point. Written by test/surface.test.ts;`,
    "# after an intended API change, update it with `vitest run -u` and add a changeset.",
  ];
  for (const [key, target] of entries) {
    const source = program.getSourceFile(join(dir, target));
    const module = source && checker.getSymbolAtLocation(source);
    lines.push("", key === "." ? name : `${name}/${key.slice(2)}`);
    if (module === undefined) {
      lines.push(`  (cannot read ${target})`);
      continue;
    }
    const names = checker
      .getExportsOfModule(module)
      .map((exported) => {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        return { name: exported.name, kind: kindOf(symbol, exported) };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { name: exportedName, kind } of names) lines.push(`  ${kind.padEnd(9)} ${exportedName}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The names that exist at run time in one entry point of a surface
 * description: functions, classes, constants, not types.
 *
 * @param {string} surface what describeSurface returned (or the snapshot file)
 * @param {string} specifier the entry point, as imported (`@httpauth/core`)
 * @returns {string[]} sorted
 */
export function valueNames(surface, specifier) {
  const names = [];
  let inside = false;
  for (const line of surface.split("\n")) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (!line.startsWith(" ")) {
      inside = line === specifier;
      continue;
    }
    if (!inside) continue;
    const [kind, name] = line.trim().split(/\s+/);
    if (VALUE_KINDS.has(kind) && !line.includes("(type only)")) names.push(name);
  }
  return names.sort();
}
