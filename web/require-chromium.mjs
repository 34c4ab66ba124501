// The browser tests (test/e2e, test/gpu.browser.e2e.ts) drive Debian's chromium; without it they stop here, on one
// line with the command to run, before anything is built or launched.
import { existsSync } from "node:fs";

const chromium = "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `test:e2e: the browser tests need Debian's chromium at ${chromium}; install it with: apt-get update && apt-get install -y chromium`,
  );
  process.exit(1);
}
