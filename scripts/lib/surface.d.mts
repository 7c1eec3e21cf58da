// Types for surface.mjs, for the packages' test/surface.test.ts.

/** The exported names of the package in `dir`, by entry point, one `kind name` line each. */
export function describeSurface(dir: string): string;

/** The run-time names (functions, classes, constants) of one entry point of a surface description, sorted. */
export function valueNames(surface: string, specifier: string): string[];
