// Builds each published package's API reference, packages/*/API.md, from its
// doc comments: `deno doc --json` on the entry points its deno.json exports
// gives every exported symbol with its parsed doc comment (what JSR shows),
// and the TypeScript compiler gives each symbol's declaration as a .d.ts
// writes it (isolatedDeclarations makes that possible file by file).
//
//   node scripts/api-docs.mjs           write packages/*/API.md
//   node scripts/api-docs.mjs --check   fail if an API.md is out of date, if
//                                       the README's API section does not link
//                                       every exported value to its entry in
//                                       API.md, or links to an entry that does
//                                       not exist
//
// With --check it ends with `api-docs: N passed, M failed` (one check per
// package for API.md, one for its README).

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { bin, childEnvironment, printSummary, publishedPackages, sourceEntries } from "./lib/packages.mjs";

const KIND_ORDER = ["function", "class", "variable", "enum", "interface", "typeAlias", "namespace"];
const KIND_HEADING = {
  function: "Functions",
  class: "Classes",
  variable: "Constants",
  enum: "Enums",
  interface: "Interfaces",
  typeAlias: "Types",
  namespace: "Namespaces",
};
const KIND_WORD = {
  function: "function",
  class: "class",
  variable: "const",
  enum: "enum",
  interface: "interface",
  typeAlias: "type",
  namespace: "namespace",
};

/**
 * GitHub's heading anchors, in the order the headings appear: lower case,
 * punctuation dropped, spaces to `-`, and `-1`, `-2`, … after a repeat (so
 * the type `Middleware` after the function `middleware` is `middleware-1`).
 */
function createSlugger() {
  const used = new Map();
  return (heading) => {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\s-]/gu, "")
      .replace(/\s/g, "-");
    const count = used.get(base) ?? 0;
    used.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  };
}

// ── Declarations, as a .d.ts writes them ─────────────────────────────────

const declarationCache = new Map();
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });

/** The statements of `file`'s declaration output, by declared name. */
function declarationsOf(file) {
  let byName = declarationCache.get(file);
  if (byName !== undefined) return byName;
  const output = ts.transpileDeclaration(readFileSync(file, "utf8"), {
    fileName: file,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowImportingTsExtensions: true,
      isolatedDeclarations: true,
      declaration: true,
      stripInternal: false,
    },
  }).outputText;
  const source = ts.createSourceFile("declarations.d.ts", output, ts.ScriptTarget.ES2022, true);
  byName = new Map();
  for (const statement of source.statements) {
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((declaration) => declaration.name.getText(source))
      : statement.name === undefined
        ? []
        : [statement.name.getText(source)];
    const text = printer
      .printNode(ts.EmitHint.Unspecified, statement, source)
      .replace(/^export (default )?/, "")
      .replace(/^declare /, "");
    for (const name of names) byName.set(name, [...(byName.get(name) ?? []), text]);
  }
  declarationCache.set(file, byName);
  return byName;
}

// ── Doc comments ─────────────────────────────────────────────────────────

/** `{@link X}` / `{@linkcode X.y}` → a link to X's entry when X is on the page, else code. */
function links(text, anchors) {
  return text.replace(/\{@link(?:code|plain)?\s+([^}\s|]+)(?:[\s|]+([^}]*))?\}/g, (_match, target, label) => {
    const [head] = target.split(".");
    const shown = label?.trim() || target;
    return anchors.has(head) ? `[\`${shown}\`](#${anchors.get(head)})` : `\`${shown}\``;
  });
}

function renderTags(tags, names) {
  const out = [];
  const of = (kind) => tags.filter((tag) => tag.kind === kind);
  const typeParameters = of("template");
  if (typeParameters.length > 0) {
    out.push("**Type parameters**", "");
    for (const tag of typeParameters) out.push(`- \`${tag.name}\` — ${links(tag.doc ?? "", names).trim()}`);
    out.push("");
  }
  const parameters = of("param");
  if (parameters.length > 0) {
    out.push("**Parameters**", "");
    for (const tag of parameters) out.push(`- \`${tag.name}\` — ${links(tag.doc ?? "", names).trim()}`);
    out.push("");
  }
  for (const tag of of("return")) out.push(`**Returns** ${links(tag.doc ?? "", names).trim()}`, "");
  const throws = of("throws");
  if (throws.length > 0) {
    out.push("**Throws**", "");
    for (const tag of throws) {
      const type = tag.tsType?.repr ? `\`${tag.tsType.repr}\` — ` : "";
      out.push(
        `- ${type}${links(tag.doc ?? "", names)
          .trim()
          .replace(/\n+/g, " ")}`,
      );
    }
    out.push("");
  }
  for (const tag of tags) {
    if (["template", "param", "return", "throws", "example", "module"].includes(tag.kind)) continue;
    const name = tag.name ? ` \`${tag.name}\`` : "";
    out.push(`**@${tag.kind}**${name} ${links(tag.doc ?? "", names).trim()}`, "");
  }
  for (const tag of of("example")) {
    const doc = tag.doc ?? "";
    const fence = doc.indexOf("```");
    const title = (fence === -1 ? doc : doc.slice(0, fence)).trim();
    out.push(`**Example${title === "" ? "" : ` — ${title}`}**`, "");
    if (fence !== -1) out.push(doc.slice(fence).trim(), "");
  }
  return out;
}

function renderMembers(def, names) {
  const members = [
    ...(def?.constructors ?? []).map((member) => ({ ...member, name: "constructor" })),
    ...(def?.properties ?? []),
    ...(def?.methods ?? []),
  ].filter((member) => member.jsDoc?.doc || member.jsDoc?.tags?.length);
  if (members.length === 0) return [];
  const out = ["**Members**", ""];
  const seen = new Set();
  for (const member of members) {
    const key = `${member.name}:${member.jsDoc?.doc ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const doc = links(member.jsDoc?.doc ?? "", names)
      .trim()
      .replace(/\n+/g, " ");
    const parameters = (member.jsDoc?.tags ?? [])
      .filter((tag) => tag.kind === "param")
      .map(
        (tag) =>
          `\`${tag.name}\`: ${links(tag.doc ?? "", names)
            .trim()
            .replace(/\n+/g, " ")}`,
      );
    const text = [doc, ...parameters].filter((part) => part !== "").join(" ");
    out.push(`- \`${member.name}\` — ${text}`);
  }
  out.push("");
  return out;
}

// ── One package ──────────────────────────────────────────────────────────

function renderPackage(pkg) {
  const entries = Object.entries(sourceEntries(pkg.name, pkg.deno));
  const result = spawnSync(join(bin, "deno"), ["doc", "--json", ...entries.map(([, target]) => target)], {
    cwd: pkg.dir,
    encoding: "utf8",
    env: childEnvironment(),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`deno doc --json failed in ${pkg.folder}:\n${result.stderr}`);
  const nodes = JSON.parse(result.stdout).nodes;

  const title = `${pkg.name} API reference`;
  const slug = createSlugger();
  slug(title);
  const kindOf = (symbol) => symbol.declarations[0].kind;
  const byName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const depth = entries.length > 1 ? "#" : "";

  // First the headings, in document order, for GitHub's anchors.
  const sections = entries.map(([key, target]) => {
    const node = nodes[new URL(target, `file://${pkg.dir}/`).href];
    if (node === undefined) throw new Error(`deno doc gave nothing for ${target} in ${pkg.folder}`);
    const specifier = key === "." ? pkg.name : `${pkg.name}/${key.slice(2)}`;
    if (entries.length > 1) slug(specifier);
    const symbols = node.symbols
      .filter((symbol) => symbol.declarations.some((declaration) => declaration.declarationKind === "export"))
      .sort((a, b) => KIND_ORDER.indexOf(kindOf(a)) - KIND_ORDER.indexOf(kindOf(b)) || byName(a, b));
    const anchors = new Map();
    let heading;
    for (const symbol of symbols) {
      if (KIND_HEADING[kindOf(symbol)] !== heading) {
        heading = KIND_HEADING[kindOf(symbol)];
        slug(heading);
      }
      anchors.set(symbol.name, slug(symbol.name));
    }
    return { specifier, node, symbols, anchors };
  });

  const lines = [
    `# ${title}`,
    "",
    "<!-- Generated by scripts/api-docs.mjs from the doc comments in src/; do not edit. Run `pnpm api-docs`. -->",
    "",
  ];
  const readmeAnchors = new Map();
  for (const { specifier, node, symbols, anchors } of sections) {
    for (const symbol of symbols) {
      if (!readmeAnchors.has(symbol.name)) readmeAnchors.set(symbol.name, { symbol, anchor: anchors.get(symbol.name) });
    }
    if (entries.length > 1) lines.push(`## ${specifier}`, "");
    if (node.module_doc?.doc) lines.push(links(node.module_doc.doc, anchors).trim(), "");
    for (const tag of node.module_doc?.tags ?? []) {
      if (tag.kind === "example") lines.push(...renderTags([tag], anchors));
    }

    // Contents: one table row per symbol.
    lines.push("| name | kind | summary |", "| --- | --- | --- |");
    for (const symbol of symbols) {
      const declaration = symbol.declarations.find((d) => d.jsDoc?.doc) ?? symbol.declarations[0];
      const summary = links((declaration.jsDoc?.doc ?? "").split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, " "), anchors)
        .replace(/\|/g, "\\|")
        .trim();
      lines.push(`| [\`${symbol.name}\`](#${anchors.get(symbol.name)}) | ${KIND_WORD[kindOf(symbol)]} | ${summary} |`);
    }
    lines.push("");

    let heading;
    for (const symbol of symbols) {
      const kind = kindOf(symbol);
      if (KIND_HEADING[kind] !== heading) {
        heading = KIND_HEADING[kind];
        lines.push(`${depth}## ${heading}`, "");
      }
      lines.push(`${depth}### ${symbol.name}`, "");
      const file = fileURLToPath(symbol.declarations[0].location.filename);
      const shown = relative(pkg.dir, file).startsWith("..")
        ? relative(join(pkg.dir, ".."), file)
        : relative(pkg.dir, file);
      const declared = declarationsOf(file).get(symbol.name) ?? [];
      if (declared.length > 0) lines.push("```ts", ...declared, "```", "");
      const declaration = symbol.declarations.find((d) => d.jsDoc?.doc) ?? symbol.declarations[0];
      if (declaration.jsDoc?.doc) lines.push(links(declaration.jsDoc.doc, anchors).trim(), "");
      lines.push(...renderTags(declaration.jsDoc?.tags ?? [], anchors));
      lines.push(...renderMembers(declaration.def, anchors));
      lines.push(`<sub>Declared in \`${shown.split("\\").join("/")}\`.</sub>`, "");
    }
  }
  return {
    text: `${lines
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trimEnd()}\n`,
    names: readmeAnchors,
  };
}

/** Problems with the README's links into API.md: every exported value linked, every link resolving. */
function readmeProblems(pkg, names) {
  const readme = readFileSync(join(pkg.dir, "README.md"), "utf8");
  const problems = [];
  const anchors = new Set([...names.values()].map((entry) => entry.anchor));
  const linked = new Set();
  for (const match of readme.matchAll(/\]\(\.?\/?API\.md#([^)\s]+)\)/g)) {
    if (anchors.has(match[1])) linked.add(match[1]);
    else problems.push(`README.md links to API.md#${match[1]}, which is not an entry of API.md`);
  }
  if (!/\]\(\.?\/?API\.md\)/.test(readme)) problems.push("README.md does not link to API.md");
  for (const [name, { symbol, anchor }] of names) {
    if (["function", "class", "variable", "enum"].includes(symbol.declarations[0].kind) && !linked.has(anchor)) {
      problems.push(`README.md's API table does not link ${name} to API.md#${anchor}`);
    }
  }
  return problems;
}

/** The text as `biome format` writes it, so that API.md passes the lint step (biome formats Markdown too). */
function formatted(pkg, text) {
  const result = spawnSync(join(bin, "biome"), ["format", `--stdin-file-path=${join(pkg.dir, "API.md")}`], {
    input: text,
    encoding: "utf8",
    env: childEnvironment(),
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`biome format failed on ${pkg.folder}/API.md:\n${result.stderr}`);
  return result.stdout;
}

const checking = process.argv.includes("--check");
let passed = 0;
let failed = 0;
for (const pkg of publishedPackages()) {
  const rendered = renderPackage(pkg);
  const { names } = rendered;
  const text = formatted(pkg, rendered.text);
  const path = join(pkg.dir, "API.md");
  const current = existsSync(path) ? readFileSync(path, "utf8") : undefined;
  if (!checking) {
    if (current !== text) writeFileSync(path, text);
    console.log(`${current === text ? "unchanged" : "wrote"} ${relative(process.cwd(), path)} (${names.size} symbols)`);
    continue;
  }
  if (current === text) {
    passed++;
    console.log(`ok   ${pkg.name}: API.md is up to date (${names.size} symbols)`);
  } else {
    failed++;
    console.log(`FAIL ${pkg.name}: API.md is ${current === undefined ? "missing" : "out of date"}: run pnpm api-docs`);
  }
  const problems = readmeProblems(pkg, names);
  if (problems.length === 0) {
    passed++;
    console.log(`ok   ${pkg.name}: README.md links every exported value to API.md`);
  } else {
    failed++;
    console.log(`FAIL ${pkg.name}: README.md's links into API.md`);
    for (const problem of problems) console.log(`       - ${problem}`);
  }
}
if (checking) printSummary("api-docs", passed, failed);
