// Preloaded (node --require) by test/hostileInputs.test.ts: writes the process's peak resident memory
// (KiB) to $SPIKELAB_MAXRSS_FILE when it exits, whatever exit status it ends with.
const { writeFileSync } = require("node:fs");

process.on("exit", () => {
  const file = process.env.SPIKELAB_MAXRSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
