// Copies each published package's version from package.json (where
// `changeset version` writes it) into its deno.json, so that npm and JSR get
// the same version. Only the "version" value is rewritten; the rest of each
// deno.json keeps its formatting. Run by `pnpm version-packages`, after
// `changeset version`; scripts/check-exports.mjs fails while they differ.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { publishedPackages } from "./lib/packages.mjs";

const VERSION_FIELD = /("version"\s*:\s*)"[^"]*"/;

for (const pkg of publishedPackages()) {
  const path = join(pkg.dir, "deno.json");
  const text = readFileSync(path, "utf8");
  const version = pkg.manifest.version;
  if (pkg.deno?.version === version) {
    console.log(`${pkg.name}: ${version} (unchanged)`);
    continue;
  }
  if (!VERSION_FIELD.test(text)) throw new Error(`${pkg.folder}/deno.json has no "version" field to update`);
  writeFileSync(path, text.replace(VERSION_FIELD, `$1${JSON.stringify(version)}`));
  console.log(`${pkg.name}: ${pkg.deno?.version} → ${version} in ${pkg.folder}/deno.json`);
}
