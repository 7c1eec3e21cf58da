// DPoP proof verification (issue 17) alone, a quick look: the cases of
// lib/dpop-cases.mjs (verifyDpopProof per algorithm next to jose's jwtVerify
// of the same proof with its embedded JWK, and WebCrypto's verify alone as
// the floor), in one mitata session, on whichever runtime runs it:
//   node benchmarks/dpop.mjs   |   deno run -A benchmarks/dpop.mjs   |   bun benchmarks/dpop.mjs
// Add --json for mitata's JSON. Needs @httpauth/core built on Node and Bun
// (npx turbo run build --filter=@httpauth/core). The same cases are part of
// the micro suites (run.mjs, pnpm bench), which write them to
// results/<runtime>.json for the dashboard, with a target each.
// Compare within one run on one machine, never across runs.

import { bench, group, run, summary } from "mitata";
import { dpopCases } from "./lib/dpop-cases.mjs";
import { scriptArguments } from "./lib/environment.mjs";

for (const entry of await dpopCases()) {
  for (const implementation of entry.implementations) await implementation.run();
  group(entry.variant, () => {
    summary(() => {
      for (const implementation of entry.implementations) bench(implementation.name, () => implementation.run());
    });
  });
}

await run({ format: scriptArguments().includes("--json") ? "json" : "mitata" });
