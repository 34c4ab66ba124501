import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pairedPulse } from "../src/index.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fails = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("spikelab paired", () => {
  it("on the passive membrane says in one line that there is no refractory period and exits 2", () => {
    const r = fails("paired", "--model", "passive", "--interval-ms", "5", "--amplitude", "3");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^spikelab: no refractory period: model "passive" does not fire action potentials \(/);
    expect(r.stderr).not.toMatch(/ at .*\.(ts|js):\d+/);
  });

  it("analyze reports the same line in place of the periods, and keeps the rest of the analysis (lab with TTX)", () => {
    const j = JSON.parse(spikelab("analyze", "--param", "gNa=0", "--amplitude", "3", "--json"));
    expect(j.refractory).toBeNull();
    expect(j.absolute_refractory_ms).toBeNull();
    expect(j.refractory_note).toMatch(/^no refractory period: model "lab" does not fire action potentials/);
    // with TTX V still crosses 0 mV at 84.0268 µA/cm² (a 10 ms step), but gradedly (all-or-none ratio 0.54 < 10):
    // not an action potential, so no rheobase (before the search checked every crossing, it reported 84.0268)
    expect(j.rheobase_uA_per_cm2).toBeNull();
    expect(j.rheobase_note).toMatch(
      /^model "lab" does not fire action potentials up to 1000 µA\/cm² \(its response to a 10 ms step is graded, not all-or-none: where it first crosses 0 mV, at 84\.0268 µA\/cm², a little more current raises the peak 0\.539× as much as it would a linear membrane's, an action potential's ≥ 10×\)$/,
    );
  });

  it("says whether the second pulse fired, as the library's pairedPulse does", () => {
    expect(spikelab("paired", "--interval-ms", "2", "--amplitude", "15")).toMatch(/did not fire: no spike within 50 ms/);
    const fired = spikelab("paired", "--interval-ms", "20", "--amplitude", "6");
    const lib = pairedPulse({ dt_ms: 0.025, interval_ms: 20, amplitude_uA_per_cm2: 6 });
    expect(fired).toContain(`fired: spike at ${(lib.second_spike_ms as number).toFixed(3)} ms`);
    expect(fired).toContain("spike at 17.286 ms (2 × the single-pulse threshold 1.591 µA/cm²)");
  });

  it("--json has the trial's settings, the outcome and the trace, with units in every name; --csv the trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "spikelab-paired-"));
    const csv = join(dir, "trial.csv");
    const j = JSON.parse(
      spikelab(
        "paired",
        "--model",
        "hh1952",
        "--interval-ms",
        "17",
        "--amplitude",
        "6",
        "--conditioning-amplitude",
        "13.765",
        "--json",
        "--csv",
        csv,
      ),
    );
    expect(j.fired).toBe(true);
    expect(j.single_pulse_threshold_uA_per_cm2).toBeNull();
    expect(j.conditioning_amplitude_uA_per_cm2).toBe(13.765);
    expect(j.second_pulse_start_ms).toBeCloseTo(j.first_spike_ms + 17, 12);
    expect(j.t_ms.length).toBe(j.V_mV.length);
    expect(j.duration_ms).toBeCloseTo(Math.ceil((j.second_pulse_start_ms + 50) / 0.025) * 0.025, 9);
    const lines = readFileSync(csv, "utf8").trim().split("\n");
    expect(lines[0]).toBe("t_ms,V_mV,I_inj_uA_per_cm2");
    expect(lines.length - 1).toBe(j.t_ms.length);
  });

  it("bad input: one line naming the flag and what is allowed, exit 2", () => {
    for (const [args, message] of [
      [["--interval-ms", "0", "--amplitude", "1"], /--interval-ms must be a positive number \(ms\); got "0"/],
      [["--interval-ms", "5", "--amplitude", "x"], /--amplitude must be a finite number/],
      [["--interval-ms", "5", "--amplitude", "1", "--method", "rk5"], /--method must be one of euler/],
      [["--amplitude", "1"], /--interval-ms/],
    ] as const) {
      const r = fails("paired", ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
