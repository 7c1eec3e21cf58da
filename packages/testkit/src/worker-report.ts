/**
 * Running collected tests inside a worker and reporting them as JSON: what
 * the workerd test workers of core and web answer, and what
 * `withWorkerd` runners read back.
 *
 * @module
 */

/** A test that failed: its name and the error's message. */
export interface Failure {
  name: string;
  message: string;
}

/** The answer of a test worker. */
export interface Report {
  passed: number;
  failed: number;
  failures: Failure[];
}

/** A named test body, as a worker collects it. */
export type NamedTest = readonly [name: string, body: () => void | Promise<void>];

/**
 * Runs tests one after another and counts them; a test fails when its body
 * throws or rejects.
 *
 * @param tests the tests, in order
 * @returns the counts and every failure with its message
 */
export async function runTests(tests: Iterable<NamedTest>): Promise<Report> {
  const report: Report = { passed: 0, failed: 0, failures: [] };
  for (const [name, body] of tests) {
    try {
      await body();
      report.passed++;
    } catch (error) {
      report.failed++;
      report.failures.push({ name, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
