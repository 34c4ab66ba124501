import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DivergenceError } from "../src/errors.js";
import { currentThreshold, rheobase, stepBatch } from "../src/experiments/rheobase.js";
import { builtinModels } from "../src/models/index.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
};

describe("rheobase of a model without action potentials (the passive membrane)", () => {
  // passive: Cm 1 µF/cm², gL 0.1 mS/cm², EL = V0 = −65 mV, so a 100 ms step of I reaches
  // V = −65 + 10·I·(1 − e^−10) mV: 0 mV at I = 6.5003 µA/cm², the 1000 mV bound at I = 106.50 µA/cm²
  const step = { model: "passive", start_ms: 10, stop_ms: 110, duration_ms: 120, dt_ms: 0.025, method: "rk4" } as const;
  const r = rheobase(step);

  it("is null, with a note that says why, up to the largest ladder step below the bound (62.5 µA/cm²; 125 diverges)", () => {
    expect(r.rheobase_uA_per_cm2).toBeNull();
    expect(r.threshold_uA_per_cm2).toBeNull();
    expect(r.bracket_uA_per_cm2).toBeNull();
    expect(r.max_uA_per_cm2).toBe(62.5);
    expect(r.note).toMatch(
      /^model "passive" does not fire action potentials up to 62\.5 µA\/cm² \(its response to a 100 ms step is graded, not all-or-none: .* a 125 µA\/cm² step drives V past the simulator's bounds\)$/,
    );
  });

  it("names the 0 mV crossing (within the 0.001 tolerance of the RC solution, plus the step's dt) and a linear membrane's ratio 1", () => {
    const at = Number(/at ([\d.]+) µA\/cm²/.exec(r.note ?? "")?.[1]);
    expect(Math.abs(at - 6.5 / (1 - Math.exp(-10)))).toBeLessThan(0.002);
    expect(r.note).toContain("raises the peak 1.00× as much as it would a linear membrane's");
  });

  it("a spiking model whose search diverges still throws the divergence (hh1952, Euler dt 0.1 ms: at 1000 µA/cm²)", () => {
    const e = thrown(() => rheobase({ model: "hh1952", start_ms: 10, stop_ms: 20, duration_ms: 50, dt_ms: 0.1, method: "euler" }));
    expect(e).toBeInstanceOf(DivergenceError);
    expect((e as DivergenceError).details?.neuron).toBe(20);
    expect((e as Error).message).toMatch(/^simulation diverged at t = [\d.]+ ms in neuron 20: V = /);
  });

  it("a model that diverges at rest (0 µA/cm²) still throws (lab, Euler dt 0.2 ms)", () => {
    const e = thrown(() => rheobase({ model: "lab", start_ms: 10, stop_ms: 20, duration_ms: 50, dt_ms: 0.2, method: "euler" }));
    expect(e).toBeInstanceOf(DivergenceError);
    expect((e as DivergenceError).details?.neuron).toBe(0);
  });
});

describe("rheobase of a model whose threshold crossing is graded without diverging", () => {
  // a 10 ms step from rest, as `spikelab analyze` searches it; the ladder (up to 1000 µA/cm²) never diverges here,
  // so before every crossing was checked to be all-or-none these got a number: lab with TTX 84.0268, passive gL=1 65.0032
  const step = { start_ms: 10, stop_ms: 20, duration_ms: 50, dt_ms: 0.025, method: "rk4" } as const;
  const note = (model: string) =>
    new RegExp(
      `^model "${model}" does not fire action potentials up to 1000 µA/cm² \\(its response to a 10 ms step is graded, not all-or-none: where it first crosses 0 mV, at ([\\d.]+) µA/cm², a little more current raises the peak ([\\d.]+)× as much as it would a linear membrane's, an action potential's ≥ 10×\\)$`,
    );

  it("the lab model with TTX (gNa 0): V crosses 0 mV at 84.03 µA/cm² but gradedly (ratio 0.54 < 10): none", () => {
    const r = rheobase({ ...step, model: "lab", parameters: { gNa: 0 } });
    expect(r.rheobase_uA_per_cm2).toBeNull();
    expect(r.threshold_uA_per_cm2).toBeNull();
    expect(r.bracket_uA_per_cm2).toBeNull();
    expect(r.max_uA_per_cm2).toBe(1000);
    const m = note("lab").exec(r.note ?? "");
    expect(m, r.note ?? "").not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - 84.0268)).toBeLessThan(0.001);
    expect(Number(m?.[2])).toBeLessThan(1); // gK and gL only oppose the depolarisation: less than a linear membrane
  });

  it("passive with gL 1 mS/cm² (τ 1 ms): the RC crossing at 65 / (1 − e^−10) µA/cm², a linear membrane's ratio 1: none", () => {
    const r = rheobase({ ...step, model: "passive", parameters: { gL: 1 } });
    expect(r.rheobase_uA_per_cm2).toBeNull();
    const m = note("passive").exec(r.note ?? "");
    expect(m, r.note ?? "").not.toBeNull();
    expect(Math.abs(Number(m?.[1]) - 65 / (1 - Math.exp(-10)))).toBeLessThan(0.002);
    expect(m?.[2]).toBe("1.00");
  });

  it("every built-in model that fires keeps the plain search's rheobase, with one more run for the check", () => {
    const spiking = Object.keys(builtinModels).filter((m) => m !== "passive");
    expect(spiking.length).toBeGreaterThanOrEqual(7);
    for (const model of spiking) {
      const o = { ...step, model };
      const r = rheobase(o);
      const plain = currentThreshold((a) => Array.from(stepBatch(o, a).count, (c) => c > 0));
      expect(plain.threshold_uA_per_cm2, model).not.toBeNull();
      expect(r.rheobase_uA_per_cm2, model).toBe(plain.threshold_uA_per_cm2);
      expect(r.note, model).toBeNull();
      expect(r.runs, model).toBe(plain.runs + 1);
    }
  });
});

describe("spikelab analyze --model passive", () => {
  it("exits 0 and says there is no rheobase in the text, keeping the other lines", () => {
    const r = run("analyze", "--model", "passive");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^rheobase \(10 ms step, rk4, tolerance 0\.001 µA\/cm²\): none — model "passive" does not fire action potentials up to 125 µA\/cm² \(.*a 250 µA\/cm² step drives V past the simulator's bounds\)$/m,
    );
    expect(r.stdout).toMatch(/^sustained-firing threshold .*: no sustained firing up to 125 µA\/cm²$/m);
    expect(r.stdout).toMatch(/^no refractory period: model "passive" does not fire action potentials/m);
    expect(r.stdout).toMatch(/^spikes: 0; rate 0\.00 Hz/m);
  });

  it("--json: a null rheobase with rheobase_note, and the other measurements", () => {
    const j = JSON.parse(execFileSync(process.execPath, [bin, "analyze", "--model", "passive", "--json"], { encoding: "utf8" }));
    expect(j.rheobase_uA_per_cm2).toBeNull();
    expect(j.rheobase_bracket_uA_per_cm2).toBeNull();
    expect(j.rheobase_note).toMatch(/^model "passive" does not fire action potentials up to 125 µA\/cm² \(/);
    // a 10 ms step from −65 mV: 0 mV at 65 / (10 (1 − e^−1)) = 10.283 µA/cm² (the step's edges on the rk4 grid move it by < 0.01)
    expect(Math.abs(Number(/at ([\d.]+) µA\/cm²/.exec(j.rheobase_note)?.[1]) - 6.5 / (1 - Math.exp(-1)))).toBeLessThan(0.01);
    expect(j.sustained_threshold_uA_per_cm2).toBeNull();
    expect(j.sustained_threshold_note).toBe("no sustained firing up to 125 µA/cm²");
    expect(j.refractory).toBeNull();
    expect(j.refractory_note).toMatch(/^no refractory period: model "passive"/);
    expect(j.spike_count).toBe(0);
  });

  it("a spiking model's diverging search still exits 2 with the divergence (hh1952, --search-method euler, dt 0.1 ms)", () => {
    const r = run("analyze", "--model", "hh1952", "--method", "exp-euler", "--dt-ms", "0.1", "--search-method", "euler", "--no-refractory");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^spikelab: simulation diverged at t = [\d.]+ ms in neuron 20: V = /);
  });
});
