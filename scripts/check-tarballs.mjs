// Lints what npm users get: every published package is packed with
// `pnpm pack` (workspace:* already replaced by the version, as on publish)
// and the tarball is given to one tool:
//
//   node scripts/check-tarballs.mjs publint   publint --strict; any message fails,
//                                             suggestions included
//   node scripts/check-tarballs.mjs attw      @arethetypeswrong/cli, strict profile
//                                             (node10, node16 CJS and ESM, bundler),
//                                             offline: no @types lookup
//
// One check per package; ends with `publint: N passed, M failed` (or attw).
// The packages must be built first.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, childEnvironment, packAll, printSummary } from "./lib/packages.mjs";

const TOOLS = {
  publint: {
    argv: (tarball) => [join(bin, "publint"), "run", "--strict", tarball],
    // `All good!` is publint's line for a package with no message at all.
    clean: (code, output) => code === 0 && /^All good!$/m.test(output),
  },
  attw: {
    argv: (tarball) => [
      join(bin, "attw"),
      "--no-color",
      "--no-emoji",
      "--no-definitely-typed",
      "--format",
      "ascii",
      tarball,
    ],
    clean: (code, output) => code === 0 && /No problems found/.test(output),
  },
};

const toolName = process.argv[2];
const tool = TOOLS[toolName];
if (tool === undefined) {
  console.error(`Usage: node scripts/check-tarballs.mjs ${Object.keys(TOOLS).join("|")}`);
  process.exit(2);
}

const folder = mkdtempSync(join(tmpdir(), `httpauth-${toolName}-`));
let passed = 0;
let failed = 0;
try {
  for (const [name, tarball] of packAll(folder)) {
    const [command, ...parameters] = tool.argv(tarball);
    const result = spawnSync(command, parameters, {
      encoding: "utf8",
      env: childEnvironment(),
    });
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
    if (tool.clean(result.status, output)) {
      passed++;
      console.log(`ok   ${name}`);
    } else {
      failed++;
      console.log(`FAIL ${name} (exit ${result.status ?? result.error?.message})`);
      console.log(output.replace(/^/gm, "     "));
    }
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
printSummary(toolName, passed, failed);
