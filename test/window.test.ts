import { describe, expect, it } from "vitest";
import { fiCurve } from "../src/experiments/fi.js";
import { windowRate_Hz, windowSpikes } from "../src/record/window.js";
import { runBatch } from "../src/sweep/batch.js";
import { parseSweepSpec } from "../src/sweep/spec.js";

describe("the stimulus-window statistics shared by fiCurve, runBatch and the GPU runner", () => {
  it("counts spikes in [start, stop), rates them per second of window, and times the first from start", () => {
    // neuron 0: 5 ms (before), 10 (at start: in), 30, 60 (at stop: out); neuron 1: none; neuron 2: 59.5
    const spikes = { neuron: Int32Array.from([0, 0, 0, 0, 2]), t_ms: Float64Array.from([5, 10, 30, 60, 59.5]) };
    const w = windowSpikes(spikes, 3, 10, 60);
    expect(Array.from(w.count)).toEqual([2, 0, 1]);
    expect(Array.from(w.rate_Hz)).toEqual([40, 0, 20]); // 2 and 1 spikes in 50 ms
    expect(Array.from(w.first_spike_latency_ms)).toEqual([0, Number.NaN, 49.5]);
  });
  it("gives 0 Hz for an empty or reversed window", () => {
    expect(windowRate_Hz(3, 0)).toBe(0);
    expect(windowRate_Hz(3, -5)).toBe(0);
    expect(windowRate_Hz(3, 150)).toBe(20);
  });
  it("fiCurve and runBatch report the same rates for the same sweep", () => {
    const o = { amplitudes: [0, 2, 5], start_ms: 10, stop_ms: 60, duration_ms: 70, dt_ms: 0.025, method: "euler" };
    const f = fiCurve(o);
    const b = runBatch(
      parseSweepSpec({
        model: "lab",
        dt_ms: 0.025,
        duration_ms: 70,
        start_ms: 10,
        stop_ms: 60,
        axes: [{ name: "amplitude", values: o.amplitudes }],
      }),
      [0, 1, 2],
    );
    expect(Array.from(b.rate_Hz)).toEqual(f.rates_Hz);
    expect(f.rates_Hz[0]).toBe(0);
    expect(f.rates_Hz[2]).toBeGreaterThan(0);
  });
});
