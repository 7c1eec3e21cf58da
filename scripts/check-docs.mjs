// Checks that the READMEs say what the code does, where they have been wrong before (issue 14):
//
//   - Every `httpauth-lint` command names the scoped package (`npx -p @httpauth/node`, or pnpm
//     inside apps/node, which depends on it) — a bare `npx httpauth-lint` resolves an unscoped npm
//     name — and every one aimed at the demo (127.0.0.1 on the demo's port) names a route the demo
//     serves (apps/shared/demo.mjs).
//   - The rule tables of README.md and packages/node/README.md list exactly core's `LintRule`s.
//   - packages/web/README.md gives `ProtectOptions` and `CreateAuthRequestOptions` the members
//     and types of packages/web/src.
//   - README.md's "one challenge per line" table says that Fetch-based servers on Node send one
//     joined line, which a `Response`'s `Headers` do (measured here).
//   - benchmarks/README.md documents timing.mjs and its results file, and suggests no static
//     server on the demo's port.
//
// Prints one line per check and `docs: N passed, M failed`. Run after the build (the demo's
// routes module imports @httpauth/core).

import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import ts from "typescript";
import { printSummary, root } from "./lib/packages.mjs";

let passed = 0;
let failed = 0;

/** @param {string} what @param {string[]} problems */
function check(what, problems) {
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}`);
    for (const problem of problems) console.log(`       - ${problem}`);
  }
}

const read = (path) => readFileSync(join(root, path), "utf8");

/** The lines of the ```sh blocks of a Markdown text. */
function shellLines(markdown) {
  const lines = [];
  let inside = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inside = !inside && line.trim() === "```sh";
    else if (inside) lines.push(line);
  }
  return lines;
}

/** The `| `name` | …` first cells of the Markdown tables that follow a `| rule |` header. */
function ruleTable(markdown) {
  const names = [];
  let inTable = false;
  for (const line of markdown.split("\n")) {
    if (/^\| rule +\|/.test(line)) inTable = true;
    else if (!line.startsWith("|")) inTable = false;
    else if (inTable) {
      const name = /^\| `([a-z0-9-]+)` +\|/.exec(line)?.[1];
      if (name !== undefined) names.push(name);
    }
  }
  return names;
}

/** The members of an exported type alias union of string literals, or of an interface, with their type text. */
function declarations(path) {
  const file = ts.createSourceFile(path, read(path), ts.ScriptTarget.Latest, true);
  /** @type {Map<string, string[] | Map<string, string>>} */
  const found = new Map();
  for (const statement of file.statements) {
    if (ts.isTypeAliasDeclaration(statement) && ts.isUnionTypeNode(statement.type)) {
      found.set(
        statement.name.text,
        statement.type.types.map((type) => type.getText(file).replace(/^"|"$/g, "")),
      );
    } else if (ts.isInterfaceDeclaration(statement)) {
      const members = new Map();
      for (const member of statement.members) {
        if (ts.isPropertySignature(member) && member.type !== undefined) {
          members.set(member.name.getText(file), member.type.getText(file));
        }
      }
      found.set(statement.name.text, members);
    }
  }
  return found;
}

// ── httpauth-lint commands ────────────────────────────────────────────────
const { ROUTES } = await import(join(root, "apps", "shared", "demo.mjs"));
const demoPaths = new Set(ROUTES.map((route) => route.path));
const demoPort = /readAddress\([^,]+,\s*(\d+)\)/.exec(read("apps/node/server.mjs"))?.[1];
const appNode = JSON.parse(read("apps/node/package.json"));
for (const readme of ["README.md", "packages/node/README.md"]) {
  const problems = [];
  const commands = shellLines(read(readme)).filter((line) => line.includes("httpauth-lint"));
  if (commands.length === 0) problems.push("no httpauth-lint command");
  for (const command of commands) {
    const scoped =
      command.startsWith("npx -p @httpauth/node httpauth-lint ") ||
      command.startsWith("npx -y pnpm@12.4.2 --dir apps/node exec httpauth-lint ");
    if (!scoped) problems.push(`not run from @httpauth/node: ${command}`);
    const url = /https?:\/\/\S+/.exec(command)?.[0];
    if (url === undefined) {
      problems.push(`no URL: ${command}`);
      continue;
    }
    const { hostname, port, pathname } = new URL(url);
    if (hostname === "127.0.0.1" || hostname === "localhost") {
      if (port !== demoPort) problems.push(`not the demo's port ${demoPort}: ${command}`);
      if (!demoPaths.has(pathname)) problems.push(`${pathname} is not a demo route: ${command}`);
    }
  }
  if (appNode.dependencies?.["@httpauth/node"] === undefined) {
    problems.push("apps/node does not depend on @httpauth/node, so `pnpm --dir apps/node exec` finds no bin");
  }
  check(`${readme}: httpauth-lint commands name @httpauth/node and a route the demo serves`, problems);
}

// ── lint rules ────────────────────────────────────────────────────────────
const rules = /** @type {string[]} */ (declarations("packages/core/src/lint.ts").get("LintRule") ?? []);
for (const readme of ["README.md", "packages/node/README.md"]) {
  const listed = ruleTable(read(readme));
  const problems = [];
  for (const rule of rules) if (!listed.includes(rule)) problems.push(`${rule} is not listed`);
  for (const rule of listed) if (!rules.includes(rule)) problems.push(`${rule} is not a LintRule`);
  check(`${readme}: the rule table lists every LintRule of @httpauth/core`, problems);
}

// ── web options ───────────────────────────────────────────────────────────
{
  const types = new Map([
    ...declarations("packages/web/src/protect.ts"),
    ...declarations("packages/web/src/request.ts"),
  ]);
  const rows = read("packages/web/README.md").split("\n");
  for (const name of ["ProtectOptions", "CreateAuthRequestOptions"]) {
    const problems = [];
    const members = /** @type {Map<string, string>} */ (types.get(name));
    const row = rows.find((line) => line.startsWith(`| [\`${name}\`]`));
    const shape = row === undefined ? undefined : /\| `\{ (.*?) \}`/.exec(row.replaceAll("\\|", "|"))?.[1];
    if (shape === undefined) {
      problems.push(`no row of its own with its members as \`{ name?: type, … }\``);
    } else {
      const written = new Map(
        shape.split(/, (?=\w+\?:)/).map((member) => {
          const [key, ...type] = member.split("?: ");
          return [key, type.join("?: ")];
        }),
      );
      for (const [key, type] of members) {
        if (!written.has(key)) problems.push(`${key} is missing`);
        else if (written.get(key) !== type) problems.push(`${key} is typed ${written.get(key)}, the code says ${type}`);
      }
      for (const key of written.keys()) if (!members.has(key)) problems.push(`${key} is not a member`);
    }
    check(`packages/web/README.md: ${name} as packages/web/src declares it`, problems);
  }
}

// ── one challenge per line ────────────────────────────────────────────────
{
  const problems = [];
  const headers = new Headers();
  headers.append("WWW-Authenticate", 'Digest realm="a", nonce="n"');
  headers.append("WWW-Authenticate", 'Basic realm="a"');
  const lines = [...headers].filter(([name]) => name === "www-authenticate");
  if (lines.length !== 1) problems.push(`a Response's Headers gave ${lines.length} lines: update the README`);
  const row = read("README.md")
    .split("\n")
    .find((line) => line.startsWith("| Node, any Fetch-based server"));
  if (row === undefined) problems.push("no row for Fetch-based servers on Node");
  else if (!row.includes("one joined line") || !row.includes("@hono/node-server")) {
    problems.push("the row does not say that hono on @hono/node-server and web's protect send one joined line");
  }
  check("README.md: Fetch-based servers on Node send one joined line, as measured", problems);
}

// ── benchmarks ────────────────────────────────────────────────────────────
{
  const problems = [];
  const text = read("benchmarks/README.md");
  if (!text.includes("timing.mjs")) problems.push("timing.mjs is not documented");
  if (!text.includes("timing-node.json")) problems.push("results/timing-node.json is not documented");
  for (const line of shellLines(text)) {
    if (/http-server/.test(line) && (!/ -p \d+/.test(line) || line.includes(` -p ${demoPort}`))) {
      problems.push(`a static server on the demo's port ${demoPort} (http-server's default is 8080): ${line}`);
    }
  }
  check("benchmarks/README.md: timing.mjs and its results; no static server on the demo's port", problems);
}

// ── changesets ────────────────────────────────────────────────────────────
// Each one must parse as changesets reads it (front matter between two "---"
// lines naming workspace packages), or `changeset version` fails at release time.
{
  const problems = [];
  // @changesets/parse as the CLI itself resolves it (a dependency of @changesets/read, not hoisted).
  const fromCli = createRequire(createRequire(join(root, "package.json")).resolve("@changesets/cli"));
  const fromRead = createRequire(fromCli.resolve("@changesets/read"));
  const parse = fromRead("@changesets/parse").default;
  const packages = new Set(
    ["core", "web", "node", "deno", "bun", "redis"].map(
      (name) => JSON.parse(read(`packages/${name}/package.json`)).name,
    ),
  );
  const files = readdirSync(join(root, ".changeset")).filter((name) => name.endsWith(".md") && name !== "README.md");
  if (files.length === 0) problems.push("no changeset found");
  for (const file of files) {
    try {
      const { releases } = parse(read(`.changeset/${file}`));
      if (releases.length === 0) problems.push(`${file}: names no package`);
      for (const release of releases) {
        if (!packages.has(release.name)) problems.push(`${file}: ${release.name} is not a published package`);
      }
    } catch (error) {
      problems.push(`${file}: ${error.message.split("\n")[0]}`);
    }
  }
  check(`.changeset: all ${files.length} changesets parse and name published packages`, problems);
}

printSummary("docs", passed, failed);
