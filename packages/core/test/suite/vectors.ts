/**
 * One conformance suite over the JSON vectors, free of any test framework:
 * each runner passes the library under test and a harness with a single
 * `test` method. It runs unchanged under Node (vitest), Deno, Bun and workerd.
 *
 * @module
 */

import assert from "node:assert/strict";

/** The smallest test API every runner can supply. */
export interface Harness {
  test(name: string, body: () => void | Promise<void>): void;
}

/** A generated input: `prefix + repeat × times`, so that large inputs stay out of the JSON. */
export interface RepeatedInput {
  repeat: string;
  times: number;
  prefix?: string;
}

/**
 * One case of a vector file. Exactly one of `expected`, `error` and `throws`
 * is set. The function is called as `fn(input, options)`, or as
 * `fn(...arguments)` when `arguments` is given instead of `input`.
 */
export interface VectorCase {
  name: string;
  rfc: string;
  function: string;
  input?: unknown;
  arguments?: unknown[];
  options?: Record<string, unknown>;
  notes?: string;
  expected?: unknown;
  error?: { code: string; index?: number };
  throws?: "TypeError" | "RangeError";
}

/** A vector file: a description and its cases. */
export interface VectorFile {
  description: string;
  cases: VectorCase[];
}

/** The library under test: its exports by name. */
export type Library = Readonly<Record<string, unknown>>;

function materialize(input: unknown): unknown {
  if (typeof input === "object" && input !== null && "repeat" in input && "times" in input) {
    const { repeat, times, prefix = "" } = input as RepeatedInput;
    return prefix + repeat.repeat(times);
  }
  return input;
}

/** Plain JSON data: drops null prototypes and absent optional keys so results compare with the vectors. */
function toPlain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/**
 * Registers one test per vector case with `harness`.
 *
 * @param library The module under test (`@httpauth/core` or its source).
 * @param files The vector files by file name.
 * @param harness The runner's `test` function.
 * @returns The number of cases registered.
 */
export function runVectors(library: Library, files: Readonly<Record<string, VectorFile>>, harness: Harness): number {
  let count = 0;
  for (const [fileName, file] of Object.entries(files)) {
    for (const vector of file.cases) {
      count++;
      harness.test(`${fileName}: ${vector.function}() ${vector.name} [${vector.rfc}]`, async () => {
        const fn = library[vector.function];
        assert.equal(typeof fn, "function", `the library exports ${vector.function}`);
        const call = (): unknown =>
          vector.arguments !== undefined
            ? (fn as (...values: unknown[]) => unknown)(...vector.arguments.map(materialize))
            : (fn as (input: unknown, options?: unknown) => unknown)(materialize(vector.input), vector.options);
        if (vector.error !== undefined) {
          const isHTTPAuthError = library.isHTTPAuthError as (value: unknown) => boolean;
          // DPoP proofs (RFC 9449) are refused with a DpopError, which has a code and no index.
          const isDpopError = library.isDpopError as ((value: unknown) => boolean) | undefined;
          let caught: unknown;
          try {
            await call();
          } catch (error) {
            caught = error;
          }
          assert.ok(caught !== undefined, "expected an HTTPAuthError, but the call returned");
          assert.ok(
            isHTTPAuthError(caught) || isDpopError?.(caught) === true,
            `expected an HTTPAuthError or DpopError, got ${String(caught)}`,
          );
          const error = caught as { code: string; index: number; message: string };
          assert.equal(error.code, vector.error.code);
          if (vector.error.index !== undefined) assert.equal(error.index, vector.error.index);
          return;
        }
        if (vector.throws !== undefined) {
          let caught: unknown;
          try {
            await call();
          } catch (error) {
            caught = error;
          }
          assert.ok(caught instanceof Error, `expected a ${vector.throws}, but the call returned`);
          assert.equal(caught.name, vector.throws);
          return;
        }
        assert.deepEqual(toPlain(await call()), vector.expected);
      });
    }
  }
  return count;
}
