import { describe, expect, it } from "vitest";
import { builtinModels, compileModel, getModel, modelParameters, type NeuronModel, simulate } from "../src/index.js";

describe("built-in models", () => {
  it("pass the grid check of every rate law (compileModel skips it for the built-ins themselves)", () => {
    for (const m of Object.values(builtinModels)) {
      // a copy is a user's model: fully checked
      expect(() => compileModel(structuredClone(m) as NeuronModel)).not.toThrow();
    }
    // the check itself: a copy of the lab model with a rate that turns negative is refused
    const lab = structuredClone(getModel("lab")) as NeuronModel;
    const [na, ...rest] = lab.channels;
    const [m, ...gates] = na?.gates ?? [];
    const broken = { ...lab, channels: [{ ...na, gates: [{ ...m, alpha: { form: "expr", expr: "0.1 * (V + 40)" } }, ...gates] }, ...rest] };
    expect(() => compileModel(broken as NeuronModel)).toThrow(
      /channel Na, gate m, alpha must be a finite rate ≥ 0 \(1\/ms\) at every V; at V = -65 mV got -2\.5/,
    );
  });

  it("hh1952 with forward Euler stays finite and fires repetitively for a 10 µA/cm² step", () => {
    const r = simulate({
      model: "hh1952",
      stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 110 },
      duration_ms: 120,
      dt_ms: 0.025,
    });
    expect(r.traces.V![0]!.every(Number.isFinite)).toBe(true);
    expect(r.spikes.count[0]).toBe(7);
  });

  it("passive relaxes towards EL + I/gL with time constant Cm/gL = 10 ms", () => {
    const r = simulate({
      model: "passive",
      stimulus: { amplitude_uA_per_cm2: 1, start_ms: 0, stop_ms: 100 },
      duration_ms: 10,
      dt_ms: 0.001,
    });
    const V = r.traces.V![0]!;
    const exact = -65 + 10 * (1 - Math.exp(-1)); // V∞ = EL + I/gL = −55 mV
    expect(Math.abs((V[V.length - 1] as number) - exact)).toBeLessThan(1e-3); // Euler error at dt 1 µs, measured 1.8e-4
  });

  it("every model has provenance and parameters with units", () => {
    for (const m of Object.values(builtinModels)) {
      expect(m.source.length).toBeGreaterThan(20);
      for (const p of modelParameters(m)) expect(p.unit).not.toBe("");
    }
  });

  it("names the allowed models when a name is unknown", () => {
    expect(() => getModel("hh")).toThrow(`model must be one of ${Object.keys(builtinModels).join(", ")}; got "hh"`);
  });

  it("raising the temperature speeds hh1952's kinetics: spikes come earlier and narrower", () => {
    const run = (celsius: number) =>
      simulate({
        model: "hh1952",
        parameters: { celsius },
        stimulus: { amplitude_uA_per_cm2: 10, start_ms: 5, stop_ms: 30 },
        duration_ms: 30,
        dt_ms: 0.01,
      });
    expect(run(16.3).spikes.t_ms[0]).toBeLessThan(run(6.3).spikes.t_ms[0] as number);
  });
});
