import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/store-steps.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  treeshake: true,
  esbuildOptions(options) {
    // The MD5 and SHA-512/256 constant tables are module-level
    // `Int32Array.of(…)` / `Uint8Array.of(…)` calls. Marking those calls pure
    // writes a `/* @__PURE__ */` annotation in dist, so that an app's bundler
    // drops the tables when only Basic or Bearer is imported
    // (scripts/check-size.mjs measures that). Both only allocate: a call
    // whose result is unused can always go.
    options.pure = ["Int32Array.of", "Uint8Array.of"];
  },
});
