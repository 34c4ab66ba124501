import { defineConfig } from "vitest/config";

/** The browser lab's end-to-end tests (npm run test:e2e builds web/dist first). One browser, one file, in order. */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
