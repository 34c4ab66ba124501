import { describe, expect, it } from "vitest";
import { voltageClamp } from "../src/experiments/voltageClamp.js";
import { rk4 } from "../src/integrators/rk4.js";
import type { OdeSystem } from "../src/integrators/types.js";
import { builtinModels, compileModel, resolveModel } from "../src/models/index.js";
import { noStimulus } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";

const HH = { model: "hh1952", holding_mV: -65 } as const;

describe("voltage clamp", () => {
  /** The largest difference of any channel current between the clamp's exact gates and rk4 on the gate equations at step dt. */
  const rk4Difference = (dt: number) => {
    const steps = [-40, 0, 40];
    const n = 3;
    const r = voltageClamp({ ...HH, steps_mV: steps, dt_ms: dt, before_ms: 1, step_ms: 10, after_ms: 2 });
    const sys = membraneSystem({ model: resolveModel("hh1952"), n, stimulus: noStimulus });
    const G = sys.gateCount;
    const full = sys.initialState();
    const alpha = new Float64Array(G * n);
    const beta = new Float64Array(G * n);
    // the gates alone, dx/dt = α(V)(1 − x) − β(V)x at the V held in full[0..n)
    const gates: OdeSystem = {
      size: G * n,
      derivatives: (_t, x, dx) => {
        full.set(x, n);
        sys.gateRates(full, alpha, beta);
        for (let j = 0; j < G * n; j++) dx[j] = (alpha[j] as number) * (1 - (x[j] as number)) - (beta[j] as number) * (x[j] as number);
      },
    };
    const stepper = rk4(gates);
    full.fill(-65, 0, n);
    sys.gateRates(full, alpha, beta);
    const x = Float64Array.from({ length: G * n }, (_, j) => (alpha[j] as number) / ((alpha[j] as number) + (beta[j] as number)));
    const out = new Float64Array(sys.channelNames.length * n);
    let worst = 0;
    for (let k = 0; k < r.t_ms.length; k++) {
      for (let i = 0; i < n; i++) full[i] = k >= Math.round(1 / dt) && k < Math.round(11 / dt) ? (steps[i] as number) : -65;
      full.set(x, n);
      sys.channelCurrents(full, out);
      sys.channelNames.forEach((name, c) => {
        for (let i = 0; i < n; i++)
          worst = Math.max(worst, Math.abs((out[c * n + i] as number) - (r.currents_uA_per_cm2[name]?.[i]?.[k] as number)));
      });
      stepper.step(k * dt, dt, x);
    }
    return worst;
  };
  it("its exact gates agree with the library's rk4 on the gate equations at the held V, rk4's error falling as dt⁴ (hh1952)", () => {
    const coarse = rk4Difference(0.01);
    const fine = rk4Difference(0.005);
    // measured: 1.3e-4 µA/cm² at dt 0.01 ms on currents up to ~4000 µA/cm²
    expect(coarse).toBeLessThan(1e-3);
    expect(Math.log2(coarse / fine)).toBeCloseTo(4, 0);
  });

  it("the steady-state K current is gK·n∞(V)⁴·(V − EK) from the model's own steady state (hh1952, 100 ms steps)", () => {
    const steps = [-50, -20, 0, 30];
    const r = voltageClamp({ ...HH, steps_mV: steps, step_ms: 100 });
    const k = resolveModel("hh1952").channels.find((c) => c.name === "K");
    const nGate = compileModel(resolveModel("hh1952")).gates.find((g) => g.name === "n");
    if (!k || !nGate) throw new Error("hh1952 has no K channel or n gate");
    steps.forEach((v, i) => {
      const expected = (k.gMax_mS_per_cm2 as number) * nGate.steady(v) ** 4 * (v - (k.eRev_mV as number));
      expect(Math.abs((r.steady_uA_per_cm2.K?.[i] as number) - expected)).toBeLessThan(1e-6 * Math.max(1, Math.abs(expected)));
    });
  });

  it("the peak Na current reverses at E_Na: inward below, zero at, outward above (hh1952)", () => {
    const r = voltageClamp({ ...HH, steps_mV: [-30, 0, 30, 49, 50, 51, 70] });
    const peak = r.peak_uA_per_cm2.Na as number[];
    expect(peak.slice(0, 4).every((x) => x < 0)).toBe(true);
    expect(peak[4]).toBe(0);
    expect(peak.slice(5).every((x) => x > 0)).toBe(true);
    // the classic inverted-U: the inward peak is largest between −20 and +10 mV
    const iv = voltageClamp({ ...HH, steps_mV: [-60, -40, -20, -10, 0, 10, 20, 40] }).peak_uA_per_cm2.Na as number[];
    const most = iv.indexOf(Math.min(...iv));
    expect([-20, -10, 0, 10]).toContain([-60, -40, -20, -10, 0, 10, 20, 40][most]);
  });

  it("TTX (gNa 0) leaves no Na current and the K current unchanged; TEA (gK 0) the converse", () => {
    const base = voltageClamp({ ...HH, steps_mV: [0, 20] });
    const ttx = voltageClamp({ ...HH, steps_mV: [0, 20], parameters: { gNa: 0 } });
    const tea = voltageClamp({ ...HH, steps_mV: [0, 20], parameters: { gK: 0 } });
    expect(ttx.peak_uA_per_cm2.Na).toEqual([0, 0]);
    expect(ttx.currents_uA_per_cm2.K).toEqual(base.currents_uA_per_cm2.K);
    expect(tea.peak_uA_per_cm2.K).toEqual([0, 0]);
    expect(tea.currents_uA_per_cm2.Na).toEqual(base.currents_uA_per_cm2.Na);
  });

  it.each(Object.keys(builtinModels))("runs for the %s model: finite currents, the clamp current their sum", (name) => {
    const r = voltageClamp({ model: name, steps_mV: [-60, 0], step_ms: 5, before_ms: 1, after_ms: 1, dt_ms: 0.05 });
    for (let i = 0; i < 2; i++) {
      const clamp = r.clamp_uA_per_cm2[i] as Float64Array;
      for (let k = 0; k < clamp.length; k += 7) {
        const sum = r.channels.reduce((s, c) => s + (r.currents_uA_per_cm2[c]?.[i]?.[k] as number), 0);
        expect(Number.isFinite(clamp[k])).toBe(true);
        expect(clamp[k]).toBe(sum);
      }
    }
  });

  it.each([
    [{ steps_mV: [] }, "steps_mV must be 1 to 1000 test potentials; got 0"],
    [{ holding_mV: Number.NaN }, "holding_mV must be a potential in [-200, 200] mV; got NaN"],
    [{ dt_ms: 0 }, "dt_ms must be a number of ms in (0, 1]; got 0"],
  ])("refuses %j in one line naming it", (opts, message) => {
    expect(() => voltageClamp(opts)).toThrow(message);
  });
});
