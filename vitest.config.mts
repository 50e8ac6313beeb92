import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      // Next resolves `server-only` to an empty module on the server; so do the tests.
      "server-only": path.join(root, "lib/test/empty.ts"),
    },
  },
  test: {
    include: ["lib/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    setupFiles: ["lib/test/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
