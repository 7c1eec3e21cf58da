/**
 * A contract case: a name and a body, the shape `runTests` of
 * `@httpauth/testkit/worker-report` takes and that vitest, `deno test` and
 * `bun test` wrap in their own `test`.
 *
 * @module
 */

/** One case of a store contract. */
export type ContractCase = readonly [name: string, body: () => Promise<void>];
