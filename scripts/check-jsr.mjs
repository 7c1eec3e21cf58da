// What JSR users get, without publishing and without the network:
//
//   - `deno publish --dry-run` for the root Deno workspace: every package's
//     deno.json, its publish list, no slow types (explicit types on every
//     export), imports that resolve (@httpauth/core to the workspace member,
//     which JSR gets as jsr:@httpauth/core). --allow-dirty because this runs
//     on a work tree; --no-check because Deno's type check of
//     @httpauth/node loads two @types/node: 20.19.43 (the pinned one) and,
//     through undici-types' `/// <reference types="node" />`, the 12.20.55
//     that pnpm hoists into node_modules/.pnpm/node_modules for
//     @changesets/cli's @manypkg/find-root; their declarations merge and
//     conflict (`hash.update(text, "utf16le")`, Buffer vs Uint8Array). The
//     slow-types check still runs. Pinning @types/node to one version for
//     the whole workspace (a pnpm override) would let the check run.
//   - `deno check` of every other package's entry points: the type check the
//     dry run skips, under Deno's own types. @httpauth/node is type-checked
//     by `tsc` (the typecheck step) against its pinned @types/node.
//
// One check for the dry run and one per package checked; ends with
// `jsr: N passed, M failed`.

import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";
import { bin, childEnvironment, printSummary, publishedPackages, root } from "./lib/packages.mjs";

/** Packages Deno cannot type-check here, and why (see above). */
const NOT_DENO_CHECKED = { "@httpauth/node": "type-checked by tsc against its @types/node instead" };

let passed = 0;
let failed = 0;

function deno(label, parameters) {
  const result = spawnSync(join(bin, "deno"), parameters, { cwd: root, encoding: "utf8", env: childEnvironment() });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status === 0) {
    passed++;
    console.log(`ok   ${label}`);
  } else {
    failed++;
    console.log(`FAIL ${label} (exit ${result.status ?? result.error?.message})`);
  }
  // The dry run's file lists are the useful part of its output; print them either way.
  console.log(output.trimEnd().replace(/^/gm, "     "));
}

deno("deno publish --dry-run (the Deno workspace)", ["publish", "--dry-run", "--allow-dirty", "--no-check"]);

for (const pkg of publishedPackages()) {
  if (NOT_DENO_CHECKED[pkg.name] !== undefined) {
    console.log(`skip ${pkg.name}: ${NOT_DENO_CHECKED[pkg.name]}`);
    continue;
  }
  const exports = typeof pkg.deno.exports === "string" ? { ".": pkg.deno.exports } : pkg.deno.exports;
  const entries = Object.values(exports).map((target) => relative(root, join(pkg.dir, target)));
  deno(`deno check ${pkg.name}`, ["check", ...entries]);
}
printSummary("jsr", passed, failed);
