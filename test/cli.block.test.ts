import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fails = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("spikelab --block", () => {
  it("run: TTX blocks the Na conductance (no spike at 10 µA/cm²); 50 % is --param gNa=25, bit for bit", () => {
    const spikes = (...a: string[]) => JSON.parse(spikelab("run", "--amplitude", "10", "--json", ...a)).spike_times_ms as number[];
    expect(spikes().length).toBeGreaterThan(1);
    expect(spikes("--block", "TTX")).toEqual([]);
    const half = spikelab("run", "--amplitude", "10", "--json", "--block", "ttx=0.5");
    expect(JSON.parse(half).parameters).toEqual({ gNa: 25 });
    expect(half).toBe(spikelab("run", "--amplitude", "10", "--json", "--param", "gNa=25"));
  });

  it("run --spec: the block scales the file's conductance (and the file's model), merged with --param", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-block-"));
    const spec = join(dir, "exp.json");
    writeFileSync(spec, JSON.stringify({ model: "hh1952", parameters: { gNa: 100, gL: 0.2 }, duration_ms: 20, dt_ms: 0.01 }));
    const run = (...a: string[]) => JSON.parse(spikelab("run", "--spec", spec, "--json", ...a));
    expect(run("--block", "TTX=0.5").parameters).toEqual({ gNa: 50, gL: 0.2 });
    expect(run("--block", "TEA=0.5", "--param", "gK=30").parameters).toEqual({ gNa: 100, gL: 0.2, gK: 15 });
  });

  it("fi and sweep: a blocked conductance scales the given value, or each value of an axis", () => {
    const fi = (...a: string[]) => spikelab("fi", "--from", "5", "--to", "10", "--steps", "2", "--json", ...a);
    expect(fi("--block", "TEA=0.5", "--param", "gK=8")).toBe(fi("--param", "gK=4"));
    const spec = JSON.parse(
      spikelab("sweep", "--model", "hh1952", "--block", "TEA=0.25", "--param", "gNa=40,80", "--block", "TTX=0.5", "--print-spec"),
    );
    expect(spec.parameters).toEqual({ gK: 27 });
    expect(spec.axes[0]).toEqual({ name: "gNa", values: [20, 40] });
  });

  it("bad values: exit 2, one line naming the flag, the value and what is allowed", () => {
    for (const [args, message] of [
      [["run", "--block", "TTX=1.5"], '--block TTX must be a fraction in [0, 1] (1 blocks the whole conductance); got "1.5"'],
      [["fi", "--block", "TTX=abc"], '--block TTX must be a fraction in [0, 1] (1 blocks the whole conductance); got "abc"'],
      [["sweep", "--block", "4AP=1"], '--block must be BLOCKER=FRACTION with BLOCKER one of TTX, TEA (e.g. TTX=0.5); got "4AP=1"'],
      [
        ["run", "--model", "passive", "--block", "TEA"],
        "TEA blocks the delayed-rectifier K channel, which the model passive does not have (its channels: L)",
      ],
      [
        ["sweep", "--model", "morris-lecar", "--block", "TTX=0.5"],
        "TTX blocks the Na channel, which the model morris-lecar does not have (its channels: Ca, K, L)",
      ],
    ] as const) {
      const r = fails(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toBe(`spikelab: ${message}\n`);
    }
  });
});
