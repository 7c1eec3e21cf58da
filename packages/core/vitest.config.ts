import { defineConfig } from "vitest/config";

export default defineConfig({
  // Load JSON with JSON.parse semantics, as Deno, Bun and workerd do: a key
  // named "__proto__" stays a key instead of setting the prototype.
  json: { stringify: true },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
  },
});
