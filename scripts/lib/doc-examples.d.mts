// Types for doc-examples.mjs, for the packages' test/doc-examples.test.ts.

/** One fenced example of a doc comment. */
export interface Example {
  /** The source file. */
  file: string;
  /** The line (from 0) where the code starts. */
  line: number;
  /** The title after `@example`, or "". */
  title: string;
  /** The code, without the comment's leading `*`. */
  code: string;
}

/** Every .ts file under `folder`, test files excepted. */
export function listSources(folder: string): string[];

/** The fenced ts blocks inside the doc comments of `file`. */
export function extractExamples(file: string): Example[];
