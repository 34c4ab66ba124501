import { defineConfig } from "vitest/config";

/**
 * The tests that drive Debian's chromium (npm run test:e2e checks for it first, then builds web/dist): the browser
 * lab's end-to-end tests and the WebGPU backend on SwiftShader. One browser, one file, in order.
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts", "test/gpu.browser.e2e.ts"],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
  },
});
