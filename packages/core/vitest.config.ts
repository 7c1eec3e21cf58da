import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // The same suite under Deno and Bun: `deno test` and `bun test` run these.
    exclude: [...configDefaults.exclude, "test/run/deno.test.ts", "test/run/bun.test.ts"],
  },
});
