import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/fastify.ts", "src/koa.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  // A Node package: keep the `node:` prefix the sources use (Node ≥ 20 understands it).
  platform: "node",
  removeNodeProtocol: false,
  treeshake: true,
});
