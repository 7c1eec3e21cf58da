// Measures what an app ships: each entry point of each published package,
// bundled from its dist/ (resolved through package.json#exports, as an app's
// bundler does) by esbuild with tree shaking and minification, then gzipped
// (level 9). Each measurement has a budget below; over budget fails.
//
//   - `@httpauth/web` etc.: the whole entry point, its own code only
//     (@httpauth/core and node: built-ins external).
//   - "+ core", "+ core + web": the same with the package's @httpauth
//     dependencies bundled in, for information (shown only where the entry
//     point imports values from them; deno and bun import web's guard).
//   - "only Basic": an app that imports parseBasicCredentials and basicAuth
//     from @httpauth/core. It must not contain Digest's MD5 and SHA-512/256
//     tables (checked by their constants, which the full bundle must contain),
//     nor DPoP (checked by "dpop+jwt").
//
// One check per budgeted bundle; ends with `size: N passed, M failed`.
// The packages must be built first. Budgets are bytes of min+gzip; raise one
// only with a reason in the commit.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { printSummary, publishedPackages } from "./lib/packages.mjs";

/** min+gzip budgets in bytes, by the specifier imported. */
const BUDGETS = {
  // 22.4 kB before issue 12; the open scheme interface, the policy modules and
  // five more lint rules brought it to 24.0 kB (the Basic-only bundle is unchanged).
  // Issue 16 (RFC 9728 resource metadata, RFC 9470 step-up, route scopes): 27.4 kB;
  // web and node gained a scopes option and the metadata handler (3.6 and 3.1 kB).
  // With issue 13 (count-before-verify throttle gate, nonce-count windows, CORS
  // preflight) and issue 16's challenge reader merged: 29.8 kB. What an app does
  // not import is shaken out (the Basic-only bundle below stays at 6 kB).
  // Issue 18's users map, verified-credentials cache and audit hooks: 31.3 kB.
  // Issue 18's apiKeyAuth (header or auth-scheme keys, constant-time keys map): 32.5 kB.
  // Issue 17's DPoP server side (verifyDpopProof, dpopAuth, nonces, thumbprints) in the main
  // entry rather than a sub-path: 36.3 kB. Tree shaking keeps it out of apps that do not import
  // it (checked below: the Basic-only bundle holds no DPoP code).
  // The DPoP client side (generateDpopKeyPair, createDpopProof, isDpopNonce): 38.1 kB.
  // With the apiKeyAuth of issue 18 beside it: 39.2 kB.
  // Issue 19's serializer lookup tables and remembered checks: 39.6 kB.
  // Issue 18's realm functions (checked per request, challenges kept per realm) and
  // digestAuth({ users }): 40.3 kB.
  // Issue 19's synchronous decision (each step waits only for a thenable; internal/decision.ts): 39.9 kB.
  // Both together, after the merge: 41.2 kB.
  "@httpauth/core": 41_500,
  // Issue 17: the two DPoP failure texts every failure body table holds (+0.1 kB): 7.65 kB.
  // Issue 19's serializer lookup tables (the scheme and parameter names) are in it too: 7.98 kB.
  // Issue 18's realm functions (the per-request check and the per-realm challenges) and the
  // start-up check of a static realm's characters: 8.35 kB.
  "@httpauth/core only Basic": 8_600,
  // The store state machines shared by Deno KV and the Durable Object (one copy
  // in each package before): 1.5 kB measured.
  "@httpauth/core/store-steps": 1_800,
  // 3.3 kB before issue 16; the OAuth client side (parseResponseChallenges, the
  // RFC 9728 metadata client, createAuthFetch's challengeOf) brought it to 5.0 kB.
  // Issue 18 added createFailureResponse's digestChallenges (one Digest challenge where lines are joined): 5.7 kB.
  // Issue 17's DPoP client (client-dpop.ts: proofs per request, nonces per origin, the one retry): 6.3 kB.
  // Issue 18 again: createAuthFetch's up-front Basic spaces (client-spaces.ts) and Bearer, the DPoP
  // plain-http guard, protect's digestChallenges: 6.26 → 6.64 kB.
  "@httpauth/web": 6_800,
  // Issue 13 (preflight, readBody for auth-int) and 16 (scopes, metadata handler): 3.6 kB.
  // Issue 19: duplicate field lines from rawHeaders, header lines set without maps: 3.9 kB.
  "@httpauth/node": 4_000,
  "@httpauth/node/fastify": 2_000,
  "@httpauth/node/koa": 1_600,
  // The Durable Object store and its class (issue 15), without core.
  "@httpauth/web/durable-object": 3_200,
  // 2.2 kB before issue 15; createKvStore (the three store contracts on Deno KV) brought it to 3.6 kB.
  "@httpauth/deno": 3_800,
  // issue 18: the hono middleware, 1.5 kB (web's own modules it shares are in @httpauth/web).
  "@httpauth/web/hono": 2_000,
  "@httpauth/bun": 2_500,
  // issue 18: the Elysia plugin (elysia itself is the app's, never bundled here), 1.0 kB measured.
  "@httpauth/bun/elysia": 1_600,
  // 2 881 B measured, most of it the four Lua scripts' text (sent with EVAL after NOSCRIPT).
  "@httpauth/redis": 3_200,
};

/**
 * Constants only Digest's hashes hold, as esbuild may print them: MD5's T[1]
 * (RFC 1321 §3.4), SHA-512's first round constant and SHA-512/256's first
 * initial hash word (FIPS 180-4 §4.2.3, §5.3.6.2), each as the high 32 bits.
 */
const HASH_CONSTANTS = [0xd76aa478, 0x428a2f98, 0x22312194].flatMap((word) => [
  String(word),
  `0x${word.toString(16)}`,
  String(word | 0),
]);

const ONLY_BASIC = 'export { basicAuth, parseBasicCredentials } from "@httpauth/core";';

const packages = publishedPackages();
const scratch = mkdtempSync(join(tmpdir(), "httpauth-size-"));
let passed = 0;
let failed = 0;
const rows = [];

/** Bundles `contents` (an ES module) from the scratch folder; returns the minified code. */
async function bundle(contents, external) {
  const result = await build({
    stdin: { contents, resolveDir: scratch, loader: "js" },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    external: ["node:*", ...external],
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

function record(label, code, budget, problems = []) {
  const gzip = gzipSync(code, { level: 9 }).length;
  if (budget !== undefined && gzip > budget) problems.push(`${gzip} B is over the budget of ${budget} B`);
  rows.push({ label, minified: code.length, gzip, budget, problems });
  if (budget === undefined && problems.length === 0) return;
  if (problems.length === 0) passed++;
  else failed++;
}

try {
  // The packages, as an app's node_modules holds them.
  mkdirSync(join(scratch, "node_modules", "@httpauth"), { recursive: true });
  for (const pkg of packages) {
    symlinkSync(pkg.dir, join(scratch, "node_modules", pkg.name), "dir");
  }

  for (const pkg of packages) {
    // Frameworks (optional peers, such as elysia for @httpauth/bun/elysia) are the app's, never counted.
    const peers = Object.keys(pkg.manifest.peerDependencies ?? {});
    const others = [...packages.filter((other) => other !== pkg).map((other) => other.name), ...peers];
    for (const key of Object.keys(pkg.manifest.exports ?? {})) {
      if (key === "./package.json") continue;
      const specifier = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`;
      const everything = `export * from ${JSON.stringify(specifier)};`;
      const budget = BUDGETS[specifier];
      const problems = budget === undefined ? [`no budget for ${specifier}: add one to BUDGETS`] : [];
      const own = await bundle(everything, others);
      record(specifier, own, budget, problems);
      // The same with the package's own @httpauth dependencies bundled in (web and core for deno and bun).
      const dependencies = Object.keys(pkg.manifest.dependencies ?? {}).filter((name) => others.includes(name));
      if (dependencies.length > 0) {
        const withDependencies = await bundle(
          everything,
          others.filter((name) => !dependencies.includes(name)),
        );
        const label = dependencies.map((name) => name.replace("@httpauth/", "")).join(" + ");
        if (withDependencies !== own) record(`${specifier} + ${label}`, withDependencies, undefined);
      }
    }
  }

  const full = await bundle('export * from "@httpauth/core";', []);
  const onlyBasic = await bundle(ONLY_BASIC, []);
  const problems = [];
  if (!HASH_CONSTANTS.some((constant) => full.includes(constant))) {
    problems.push("the full core bundle holds none of the hash constants: update HASH_CONSTANTS");
  }
  const leaked = HASH_CONSTANTS.filter((constant) => onlyBasic.includes(constant));
  if (leaked.length > 0) problems.push(`Digest's hash tables are in the bundle (${leaked.join(", ")})`);
  // DPoP (issue 17): its typ value is in the full bundle, never in the Basic-only one.
  if (!full.includes("dpop+jwt")) problems.push('the full core bundle has no "dpop+jwt": update the DPoP check');
  if (onlyBasic.includes("dpop+jwt")) problems.push("DPoP's proof verification is in the bundle");
  record("@httpauth/core only Basic", onlyBasic, BUDGETS["@httpauth/core only Basic"], problems);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const width = Math.max(...rows.map((row) => row.label.length));
console.log(`${"bundle".padEnd(width)}  ${"minified".padStart(9)}  ${"min+gzip".padStart(9)}  ${"budget".padStart(9)}`);
for (const row of rows) {
  const budget = row.budget === undefined ? "" : `${row.budget} B`;
  const status = row.problems.length === 0 ? (row.budget === undefined ? "" : "ok") : "FAIL";
  console.log(
    `${row.label.padEnd(width)}  ${`${row.minified} B`.padStart(9)}  ${`${row.gzip} B`.padStart(9)}  ${budget.padStart(9)}  ${status}`,
  );
  for (const problem of row.problems) console.log(`${" ".repeat(width)}  - ${problem}`);
}
console.log(`(only Basic = ${ONLY_BASIC})`);
printSummary("size", passed, failed);
