import { defineConfig } from "vitest/config";

// Browser tests: the built renderer (npm run build) in Debian's Chromium, through the loopback
// bridge, against the real main-process services.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
