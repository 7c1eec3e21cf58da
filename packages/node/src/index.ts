/**
 * @httpauth/node — the node integration of httpauth. Until its runtime issue
 * lands this package exports nothing; use `@httpauth/core` directly.
 *
 * @module
 */

export {};
