// The browser tests drive Debian's chromium; without it they stop here with the one command to run.
import { existsSync } from "node:fs";

const chromium = "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.error(
    `test:e2e: the browser tests need Debian's chromium at ${chromium}, which is missing. Install it with:\n\n  apt-get update && apt-get install -y chromium\n`,
  );
  process.exit(1);
}
