/**
 * @httpauth/web — the web integration of httpauth. Until its runtime issue
 * lands this package exports nothing; use `@httpauth/core` directly.
 *
 * @module
 */

export {};
