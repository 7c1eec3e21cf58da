// Shared by the hardening tests: the conformance vectors as seeds, random
// mutations of them, the closed set of error codes, and a check that a string
// is safe to write as an HTTP field value.

import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { HTTPAuthErrorCode } from "../../src/index.ts";
import type { RepeatedInput, VectorFile } from "../suite/vectors.ts";

const folder = fileURLToPath(new URL("../vectors/", import.meta.url));

/** The vector files, read with JSON.parse (Vite's JSON transform would turn a "__proto__" key into a prototype). */
export const vectorFiles: Readonly<Record<string, VectorFile>> = Object.fromEntries(
  readdirSync(folder)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => [name, JSON.parse(readFileSync(folder + name, "utf8")) as VectorFile]),
);

/** Generated inputs (`prefix + repeat × times`) are cut to this many characters, to keep seeds small. */
const SEED_LIMIT = 2048;

function materialize(input: unknown): unknown {
  if (typeof input === "object" && input !== null && "repeat" in input && "times" in input) {
    const { repeat, times, prefix = "" } = input as RepeatedInput;
    return (prefix + repeat.repeat(Math.min(times, Math.ceil(SEED_LIMIT / Math.max(1, repeat.length))))).slice(
      0,
      SEED_LIMIT,
    );
  }
  return input;
}

/**
 * Every field value the vectors hold: the string inputs of the parsers, the
 * strings the serializers are expected to write, and string arguments. Valid
 * and invalid ones alike; each is a starting point for mutations.
 */
export const seeds: readonly string[] = (() => {
  const found = new Set<string>();
  for (const file of Object.values(vectorFiles)) {
    for (const vector of file.cases) {
      const input = materialize(vector.input);
      if (typeof input === "string") found.add(input);
      if (typeof vector.expected === "string") found.add(vector.expected);
      for (const argument of vector.arguments ?? []) {
        const value = materialize(argument);
        if (typeof value === "string") found.add(value);
      }
    }
  }
  return [...found];
})();

/** Pieces that break grammars: quotes, escapes, separators, controls, characters above U+00FF, lone surrogates, scheme names. */
export const SNIPPETS: readonly string[] = [
  '"',
  "\\",
  '\\"',
  ",",
  ", ,",
  "=",
  "==",
  " ",
  "\t",
  "  ",
  "\r\n",
  "\n",
  "\r",
  "\u0000",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u00e9",
  "\u00ff",
  "\u0100",
  "\u2028",
  "\u2603",
  "\ud800",
  "\udfff",
  "\ud83d\ude00",
  "a=",
  "a=b",
  'a="',
  "Basic ",
  "Bearer ",
  "Digest ",
  "realm=",
  "username*=UTF-8''",
  "%",
  "%C3",
  "%ZZ",
  ":",
  "-",
  "_",
  "/",
  "+",
  "__proto__=1",
  "constructor=2",
];

/** One edit of a string; positions are taken modulo the length, so any natural number fits. */
type Mutation =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "repeat"; at: number; length: number; times: number }
  | { kind: "replace"; at: number; text: string }
  | { kind: "truncate"; at: number }
  | { kind: "swap-case" }
  | { kind: "join"; other: string; separator: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom(...SNIPPETS) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.string({ unit: "binary", maxLength: 4 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant("repeat" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 6 }),
    times: fc.integer({ min: 2, max: 400 }),
  }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: fc.constantFrom(...SNIPPETS) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("swap-case" as const) }),
  fc.record({
    kind: fc.constant("join" as const),
    other: fc.constantFrom(...seeds),
    separator: fc.constantFrom(", ", ",", " ", ""),
  }),
);

function apply(text: string, edit: Mutation): string {
  const at = "at" in edit ? edit.at % (text.length + 1) : 0;
  switch (edit.kind) {
    case "insert":
      return text.slice(0, at) + edit.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + edit.length);
    case "repeat":
      return text.slice(0, at) + text.slice(at, at + edit.length).repeat(edit.times) + text.slice(at + edit.length);
    case "replace":
      return text.slice(0, at) + edit.text + text.slice(at + 1);
    case "truncate":
      return text.slice(0, at);
    case "swap-case":
      // ASCII only: toUpperCase() would turn "ÿ" into U+0178.
      return text.replace(/[a-zA-Z]/g, (letter) =>
        letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase(),
      );
    case "join":
      return text + edit.separator + edit.other;
  }
}

/** A conformance vector's field value after one to four random edits. */
export const mutatedVector: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([seed, edits]) => edits.reduce(apply, seed));

/** Random text over the characters that matter to the grammar, and any UTF-16 at all. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({ unit: fc.constantFrom(...SNIPPETS, "a", "B", "0", "x"), maxLength: 80 }),
);

/** Any received field value worth trying: a mutated vector most of the time, random text otherwise. */
export const receivedValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: mutatedVector },
  { weight: 1, arbitrary: hostileText },
);

/** Every HTTPAuthErrorCode; the type makes the compiler fail when the union and this list differ. */
const CODES: Readonly<Record<HTTPAuthErrorCode, true>> = {
  "field-too-large": true,
  "control-character": true,
  "non-latin1-character": true,
  "unterminated-quoted-string": true,
  "expected-scheme": true,
  "expected-parameter": true,
  "expected-value": true,
  "unexpected-character": true,
  "duplicate-parameter": true,
  "wrong-scheme": true,
  "missing-token": true,
  "invalid-token68": true,
  "invalid-base64": true,
  "missing-colon": true,
  "decoded-control-character": true,
  "invalid-utf8": true,
  "missing-parameter": true,
  "invalid-parameter": true,
  "unsupported-algorithm": true,
  "unsupported-qop": true,
  "rspauth-mismatch": true,
  "invalid-metadata": true,
  "resource-mismatch": true,
};

/** Whether `code` is one of the closed set of HTTPAuthErrorCode values. */
export function isKnownCode(code: unknown): boolean {
  return typeof code === "string" && Object.hasOwn(CODES, code);
}

/**
 * The first character of `value` that httpauth never writes into a header (a
 * control character other than HTAB — C0, DEL or C1 U+0080–U+009F — or a
 * character above U+00FF), as its index; -1 when there is none: what every
 * serializer promises for its output.
 */
export function findUnsafeCharacter(value: string): number {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code > 0xff || (code >= 0x7f && code <= 0x9f) || (code < 0x20 && code !== 0x09)) return index;
  }
  return -1;
}

/** Whether `text` has a C0 or C1 control character or DEL, which user names and passwords may not carry (RFC 7617 §2). */
export function hasControl(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** JSON data without null prototypes or absent keys, for deep comparison. */
export function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
