import { defineConfig } from "vitest/config";

// Unit and integration tests. Browser end-to-end tests have their own config
// (vitest.e2e.config.ts) because they need the built renderer.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.{ts,tsx}", "test/integration/**/*.test.ts", "test/reliability/**/*.test.ts"],
    environment: "node",
    setupFiles: ["test/setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
