// Checks, for every published package, that package.json, deno.json and the
// tsup entries describe the same entry points, both ways, and that nothing
// under internal/ is exported:
//
//   - package.json#exports: every key but "./package.json" has exactly
//     { import: { types, default }, require: { types, default } } pointing at
//     the files tsup writes for one entry (dist/X.d.ts, .js, .d.cts, .cjs);
//     "./package.json" is exported; main/module/types repeat ".".
//   - deno.json#exports has the same keys (less "./package.json", and less
//     the npm-only entries of NPM_ONLY_ENTRIES in scripts/lib/packages.mjs,
//     each with its reason, which must not be in deno.json), each
//     pointing at the source file of that tsup entry; every tsup entry is
//     exported and every export is a tsup entry.
//   - No export key, target or entry lies under internal/, no key is a
//     wildcard, entry files use no `export *`, and no exported name (value
//     or type, followed through re-exports with TypeScript) is declared in a
//     file under internal/.
//   - A prepack script that builds the package, so that `pnpm pack` or
//     `pnpm publish` never ships a package without dist/.
//   - The publishing fields: name and version equal in both files, license,
//     type "module", sideEffects false, files, repository (with directory),
//     keywords, engines.node, publishConfig.access "public", and a
//     deno.json publish list.
//
// Prints one line per check and ends with `exports: N passed, M failed`.
// Run after the build (the type declarations of @httpauth/core, which the
// runtime packages re-export from, come from its dist/).

import { existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import ts from "typescript";
import { distStems, NPM_ONLY_ENTRIES, printSummary, publishedPackages, tsupEntries } from "./lib/packages.mjs";

let passed = 0;
let failed = 0;

function check(pkg, what, problems) {
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${pkg.name}: ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${pkg.name}: ${what}`);
    for (const problem of problems) console.log(`       - ${problem}`);
  }
}

const isInternal = (path) => /(^|[\\/])internal([\\/]|$)/.test(path);

function denoExports(deno) {
  if (deno?.exports === undefined) return {};
  return typeof deno.exports === "string" ? { ".": deno.exports } : deno.exports;
}

/** Every exported name of an entry file, with the file that declares it (aliases followed). */
function exportedDeclarations(files) {
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  const found = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (symbol === undefined) {
      found.push({ file, name: "(module)", declaredIn: undefined });
      continue;
    }
    for (const exported of checker.getExportsOfModule(symbol)) {
      const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const declaration of target.declarations ?? []) {
        found.push({ file, name: exported.name, declaredIn: declaration.getSourceFile().fileName });
      }
    }
  }
  return found;
}

for (const pkg of publishedPackages()) {
  const { manifest, deno, dir, folder } = pkg;

  // ── Publishing fields ──────────────────────────────────────────────────
  const fields = [];
  if (manifest.type !== "module") fields.push('package.json: "type" must be "module"');
  if (manifest.sideEffects !== false) fields.push('package.json: "sideEffects" must be false');
  if (typeof manifest.license !== "string") fields.push('package.json: "license" is missing');
  if (!Array.isArray(manifest.files) || !manifest.files.includes("dist")) {
    fields.push('package.json: "files" must list "dist"');
  }
  const repository = manifest.repository;
  if (typeof repository !== "object" || repository === null || typeof repository.url !== "string") {
    fields.push('package.json: "repository" must be { type, url, directory }');
  } else if (repository.directory !== folder) {
    fields.push(
      `package.json: "repository.directory" must be "${folder}", not ${JSON.stringify(repository.directory)}`,
    );
  }
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) {
    fields.push('package.json: "keywords" is missing or empty');
  }
  if (typeof manifest.engines?.node !== "string") fields.push('package.json: "engines.node" is missing');
  if (manifest.publishConfig?.access !== "public") {
    fields.push('package.json: "publishConfig.access" must be "public" (a scoped package is private by default)');
  }
  check(pkg, "package.json publishing fields", fields);

  // `pnpm pack` / `pnpm publish` without a build would ship no dist/ while
  // "exports" point there: prepack builds it (the package and what it depends
  // on, through turbo's cache, so a fresh build costs nothing twice).
  const prepack = manifest.scripts?.prepack ?? "";
  const prepackProblems = [];
  if (
    !prepack.startsWith(`turbo run build --filter=${pkg.name} `) &&
    prepack !== `turbo run build --filter=${pkg.name}`
  ) {
    prepackProblems.push(`package.json: "scripts.prepack" must be "turbo run build --filter=${pkg.name}"`);
  }
  check(pkg, "packing builds dist/ first (a prepack script)", prepackProblems);

  const denoFields = [];
  if (deno === undefined) {
    denoFields.push("deno.json is missing");
  } else {
    if (deno.name !== manifest.name)
      denoFields.push(`deno.json "name" is ${deno.name}, package.json says ${manifest.name}`);
    if (deno.version !== manifest.version) {
      denoFields.push(
        `deno.json "version" is ${deno.version}, package.json says ${manifest.version}: run node scripts/sync-deno-versions.mjs`,
      );
    }
    if (deno.license !== manifest.license) denoFields.push(`deno.json "license" differs from package.json`);
    if (!Array.isArray(deno.publish?.include)) denoFields.push('deno.json: "publish.include" must list what JSR gets');
  }
  check(pkg, "deno.json agrees with package.json (name, version, license) and has a publish list", denoFields);

  // ── Entry points, three ways ───────────────────────────────────────────
  const entries = await tsupEntries(dir);
  const stems = distStems(entries);
  const npmExports = manifest.exports ?? {};
  const npmKeys = Object.keys(npmExports).filter((key) => key !== "./package.json");
  const npmOnly = NPM_ONLY_ENTRIES[pkg.name] ?? {};
  const jsr = { ...denoExports(deno) };
  const jsrKeys = Object.keys(jsr);
  const npmOnlyProblems = [];
  for (const [key, { source, reason }] of Object.entries(npmOnly)) {
    if (key in jsr) npmOnlyProblems.push(`"${key}" is npm-only (${reason}) but deno.json exports it`);
    if (!(key in npmExports)) npmOnlyProblems.push(`npm-only "${key}" is not in package.json#exports`);
    console.log(`note ${pkg.name}: "${key}" is on npm only: ${reason}`);
    jsr[key] = source;
  }
  check(pkg, "npm-only entries are exactly the listed ones", npmOnlyProblems);
  // Below, "deno.json#exports" includes the npm-only entries' sources: every tsup entry is one of the two.
  const jsrTargets = Object.keys(jsr).map((key) => jsr[key].replace(/^\.\//, ""));

  const keys = [];
  for (const key of npmKeys)
    if (!jsrKeys.includes(key) && !(key in npmOnly)) keys.push(`"${key}" is in package.json but not in deno.json`);
  for (const key of jsrKeys) if (!npmKeys.includes(key)) keys.push(`"${key}" is in deno.json but not in package.json`);
  if (npmExports["./package.json"] !== "./package.json") keys.push('package.json must export "./package.json"');
  for (const key of [...npmKeys, ...jsrKeys]) if (key.includes("*")) keys.push(`"${key}": no wildcard exports`);
  check(pkg, "package.json#exports and deno.json#exports have the same keys", keys);

  const build = [];
  for (const target of jsrTargets) {
    if (!entries.includes(target)) build.push(`deno.json exports ${target}, which is not a tsup entry`);
    if (!existsSync(join(dir, target))) build.push(`deno.json exports ${target}, which does not exist`);
  }
  for (const entry of entries) {
    if (!jsrTargets.includes(entry)) build.push(`tsup entry ${entry} is not exported by deno.json`);
  }
  check(pkg, "deno.json#exports and the tsup entries are the same files", build);

  const targets = [];
  for (const key of npmKeys) {
    const stem = jsr[key] === undefined ? undefined : stems.get(jsr[key].replace(/^\.\//, ""));
    if (stem === undefined) continue; // reported above
    const expected = {
      import: { types: `./${stem}.d.ts`, default: `./${stem}.js` },
      require: { types: `./${stem}.d.cts`, default: `./${stem}.cjs` },
    };
    if (JSON.stringify(npmExports[key]) !== JSON.stringify(expected)) {
      targets.push(`"${key}" must be ${JSON.stringify(expected)} (types first in each condition)`);
    }
    if (key === ".") {
      if (manifest.main !== expected.require.default) targets.push(`"main" must be ${expected.require.default}`);
      if (manifest.module !== expected.import.default) targets.push(`"module" must be ${expected.import.default}`);
      if (manifest.types !== expected.import.types) targets.push(`"types" must be ${expected.import.types}`);
    }
  }
  check(pkg, "package.json#exports point at the files tsup writes for each entry", targets);

  // ── Nothing internal ───────────────────────────────────────────────────
  const internal = [];
  for (const key of [...npmKeys, ...jsrKeys]) if (isInternal(key)) internal.push(`export key "${key}"`);
  for (const target of jsrTargets) if (isInternal(target)) internal.push(`deno.json target ${target}`);
  for (const entry of entries) if (isInternal(entry)) internal.push(`tsup entry ${entry}`);
  for (const key of npmKeys) {
    for (const path of JSON.stringify(npmExports[key]).match(/"\.\/[^"]+"/g) ?? []) {
      if (isInternal(path)) internal.push(`package.json target ${path}`);
    }
  }
  const entryFiles = jsrTargets.map((target) => join(dir, target)).filter((file) => existsSync(file));
  for (const file of entryFiles) {
    if (/^\s*export\s*\*/m.test(readFileSync(file, "utf8"))) {
      internal.push(`${relative(dir, file)} uses \`export *\`: name each export`);
    }
  }
  for (const { file, name, declaredIn } of exportedDeclarations(entryFiles)) {
    if (declaredIn === undefined) {
      internal.push(`${relative(dir, file)} could not be read by TypeScript`);
    } else if (declaredIn.startsWith(join(dir, "src") + sep) && isInternal(relative(join(dir, "src"), declaredIn))) {
      internal.push(`${name}, exported by ${relative(dir, file)}, is declared in ${relative(dir, declaredIn)}`);
    }
  }
  check(pkg, "nothing under internal/ is exported", internal);
}

printSummary("exports", passed, failed);
