import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Progress bars on stderr: on a terminal only (here a pseudo-terminal from util-linux's `script`), never
// with --json or when stderr is a pipe; the numbers do not depend on whether a bar was shown.

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "spikelab-progress-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdout to `out` and stderr on a pseudo-terminal; returns what the terminal showed. */
function onTerminal(args: string, out = "/dev/null"): string {
  const log = join(dir, `tty-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync("script", ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} ${args} > ${out}`, log], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(log, "utf8");
}

describe("progress bars", () => {
  it("fi shows one on a terminal, and gives the same CSV as without it", () => {
    const shown = onTerminal("fi --steps 11 --to 10 --csv tty.csv");
    expect(shown).toMatch(/fi \[.*\] 11\/11 amplitudes/);
    expect(shown).toContain("wrote tty.csv");
    const piped = spawnSync(process.execPath, [bin, "fi", "--steps", "11", "--to", "10", "--csv", "pipe.csv"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(piped.status).toBe(0);
    expect(piped.stderr).toBe("wrote pipe.csv\n"); // no bar on a pipe
    expect(readFileSync(join(dir, "tty.csv"), "utf8")).toBe(readFileSync(join(dir, "pipe.csv"), "utf8"));
  });

  it("fi --json stays quiet on a terminal", () => {
    expect(onTerminal("fi --steps 3 --json")).not.toContain("amplitudes |");
  });

  it("analyze shows one for its refractory scan on a terminal, not with --json", () => {
    expect(onTerminal("analyze")).toMatch(/refractory scan \[.*\] \d+\/\d+ runs/);
    expect(onTerminal("analyze --json")).not.toContain("refractory scan");
  });
});
