import { describe, expect, it } from "vitest";
import { DivergenceError, fiCurve, LAB_FI, linspace, simulate } from "../src/index.js";

const amplitudes = linspace(0, 10, 51);
const labFiAt = (dt_ms: number, method = "euler") => fiCurve({ ...LAB_FI, amplitudes, dt_ms, method });

describe("divergence", () => {
  it("a diverging Euler run stops with an error naming time, neuron, variable, method and dt, and a suggestion", () => {
    let error: unknown;
    try {
      simulate({ model: "lab", stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 }, duration_ms: 50, dt_ms: 0.2 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DivergenceError);
    const d = error as DivergenceError;
    // measured: it blows up during the first spike, at 11.6 ms, with m = 2.95
    expect(d.details).toMatchObject({ neuron: 0, variable: "m", method: "euler", dt_ms: 0.2 });
    expect(d.details!.t_ms).toBeCloseTo(11.6, 9);
    expect(d.message).toContain("simulation diverged at t = 11.6 ms in neuron 0: m = 2.95");
    expect(d.message).toContain("(method euler, dt 0.2 ms); use a smaller dt (e.g. 0.05 ms) or a stabler method");
  });

  // The largest stable Euler dt for the lab model (README): measured on the lab's f–I sweep by scanning dt = 200/N.
  it("Euler on the lab's f–I sweep stays finite at dt 0.08197 ms (200/2440) and diverges at 0.08264 ms (200/2420)", () => {
    expect(labFiAt(200 / 2440).spike_counts).toHaveLength(51);
    expect(() => labFiAt(200 / 2420)).toThrow(DivergenceError);
  });

  it("exp-euler and backward-euler stay stable at dt 0.5 ms, 6× Euler's limit", () => {
    for (const method of ["exp-euler", "backward-euler"]) {
      const counts = labFiAt(0.5, method).spike_counts;
      expect(
        counts.every((c, i) => i === 0 || c >= (counts[i - 1] as number)),
        method,
      ).toBe(true); // still a monotone f–I curve
    }
  });
});
