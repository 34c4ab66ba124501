import { describe, expect, it } from "vitest";
import {
  fiCurve,
  fiSweepSpec,
  LAB_FI,
  labExperiment1Spec,
  labFiOptions,
  linspace,
  parseSweepSpec,
  runBatch,
  simulate,
} from "../src/index.js";
import { labReference } from "./helpers/reference.js";

// Golden values: test/fixtures/reference/lab-seed-euler.json, made by running the lab notebook's own
// Python (numpy 2.4, float64) — forward Euler, dt 0.025 ms, t_k = k·dt. Valid for that method only.
const ref = labReference();

describe("the lab's experiment 1 (3 µA/cm² on [10, 20) ms, 50 ms, Euler, dt 0.025 ms)", () => {
  const r = simulate({ model: "lab", stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 }, duration_ms: 50, dt_ms: 0.025 });
  const V = r.traces.V![0]!;
  const peak = V.indexOf(Math.max(...V));

  it("records 2001 samples", () => expect(V.length).toBe(ref.experiment_1.samples));
  it("fires 2 spikes", () => expect(r.spikes.count[0]).toBe(ref.experiment_1.spike_count));
  it("peaks at the notebook's voltage and time", () => {
    expect(Math.abs((V[peak] as number) - ref.experiment_1.V_peak_mV)).toBeLessThan(1e-6);
    expect(r.t_ms[peak]).toBeCloseTo(ref.experiment_1.t_peak_ms, 12);
  });
  it("ends at the notebook's V(50 ms)", () => expect(Math.abs((V[V.length - 1] as number) - ref.experiment_1.V_end_mV)).toBeLessThan(1e-6));
});

describe("the lab's experiment 2 (f–I, 51 amplitudes 0…10 µA/cm²)", () => {
  it("gives all 51 spike counts of the notebook", () => {
    const f = fiCurve({ amplitudes: linspace(0, 10, 51), ...LAB_FI });
    expect(f.spike_counts).toEqual(ref.experiment_2_fi.spike_counts);
  });

  it("reports rates as spikes in the window per second of window", () => {
    const f = fiCurve({ amplitudes: [10], ...LAB_FI });
    expect(f.rates_Hz[0]).toBeCloseTo((f.spike_counts[0] as number) / 0.15, 9);
  });
});

describe("the library's lab protocols (src/experiments/labProtocols.ts) are the notebook's experiments", () => {
  it("labExperiment1Spec() runs experiment 1: the notebook's spike count, peak and end voltage", () => {
    const r = simulate(labExperiment1Spec());
    const V = r.traces.V![0]!;
    expect(V.length).toBe(ref.experiment_1.samples);
    expect(r.spikes.count[0]).toBe(ref.experiment_1.spike_count);
    expect(Math.abs(Math.max(...V) - ref.experiment_1.V_peak_mV)).toBeLessThan(1e-6);
    expect(Math.abs((V[V.length - 1] as number) - ref.experiment_1.V_end_mV)).toBeLessThan(1e-6);
  });

  it("labFiOptions() is experiment 2: the notebook's 51 spike counts", () => {
    expect(Array.from(labFiOptions().amplitudes)).toEqual(Array.from(linspace(0, 10, 51)));
    expect(fiCurve(labFiOptions()).spike_counts).toEqual(ref.experiment_2_fi.spike_counts);
  });

  it("fiSweepSpec(labFiOptions()) is the same sweep for the sweep engine: runBatch gives fiCurve's counts and rates", () => {
    const f = fiCurve(labFiOptions());
    const b = runBatch(
      parseSweepSpec(fiSweepSpec(labFiOptions())),
      Array.from({ length: LAB_FI.steps }, (_, i) => i),
    );
    expect(Array.from(b.spike_count)).toEqual(f.spike_counts);
    expect(Array.from(b.rate_Hz)).toEqual(f.rates_Hz);
    expect(() => fiSweepSpec({ ...labFiOptions(), parameters: { gNa: [40, 50] } })).toThrow(
      /parameter gNa of an f–I sweep must be one number/,
    );
  });
});
