// `deno doc --lint` for every published package, on each entry point its
// deno.json exports: every exported symbol (and every member of an exported
// interface or class) has a doc comment, has an explicit type, and refers
// only to types the package exports too. JSR shows the same diagnostics.
//
// One check per package; ends with `deno-doc: N passed, M failed`.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { bin, childEnvironment, printSummary, publishedPackages } from "./lib/packages.mjs";

let passed = 0;
let failed = 0;
for (const pkg of publishedPackages()) {
  const exports = typeof pkg.deno.exports === "string" ? { ".": pkg.deno.exports } : pkg.deno.exports;
  const entries = Object.values(exports);
  const result = spawnSync(join(bin, "deno"), ["doc", "--lint", ...entries], {
    cwd: pkg.dir,
    encoding: "utf8",
    env: childEnvironment(),
  });
  // Deno's warnings about the @types/node it finds in node_modules are not findings.
  const findings = `${result.stdout}${result.stderr}`
    .split(/\n(?=\S)/)
    .filter((block) => !block.startsWith("Warning Failed resolving types"))
    .join("\n")
    .trim();
  if (result.status === 0) {
    passed++;
    console.log(`ok   ${pkg.name} (${entries.join(", ")})`);
  } else {
    failed++;
    console.log(`FAIL ${pkg.name} (${entries.join(", ")})`);
    console.log(findings.replace(/^/gm, "     "));
  }
}
printSummary("deno-doc", passed, failed);
