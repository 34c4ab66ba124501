import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkConvergence, checkFiConvergence, fiCurve, LAB_FI, linspace } from "../src/index.js";
import { labReference } from "./helpers/reference.js";

// test/fixtures/lab-fi-converged.json: rk45 at rtol 1e-10, atol 1e-12 (provenance inside; scripts/make-lab-fi-converged.ts)
const converged = JSON.parse(readFileSync(new URL("./fixtures/lab-fi-converged.json", import.meta.url), "utf8"));
const amplitudes = linspace(0, 10, 51);

describe("the converged lab f–I fixture", () => {
  it("records its provenance and an rk4 cross-check", () => {
    expect(converged).toMatchObject({ rtol: 1e-10, atol: 1e-12, cross_check: { method: "rk4", spike_counts_equal: true } });
    expect(converged.cross_check.max_spike_time_difference_ms).toBeLessThan(1e-4);
    expect(converged.spike_counts).toHaveLength(51);
  });

  it("differs from the lab's Euler counts (dt 0.025 ms) by one spike at some amplitudes, never by more", () => {
    const euler = labReference().experiment_2_fi.spike_counts;
    const diffs = converged.spike_counts.map((c: number, i: number) => c - (euler[i] as number));
    expect(diffs.every((d: number) => d === 0 || d === 1)).toBe(true);
    expect(diffs.filter((d: number) => d === 1).length).toBe(28); // measured
  });

  it("rk45 at its default tolerances gives the converged counts", () => {
    expect(fiCurve({ ...LAB_FI, amplitudes, method: "rk45" }).spike_counts).toEqual(converged.spike_counts);
  });
});

describe("the dt-convergence check", () => {
  it("flags the lab's Euler sweep as not converged at every amplitude where its count differs from the converged one", () => {
    const euler = fiCurve({ ...LAB_FI, amplitudes });
    const report = checkFiConvergence({ ...LAB_FI, amplitudes });
    expect(report.converged).toBe(false);
    expect(report.refined).toEqual({ dt_ms: 0.0125 });
    const wrong = amplitudes.filter((_, i) => euler.spike_counts[i] !== converged.spike_counts[i]);
    expect(wrong.length).toBeGreaterThan(0);
    for (const a of wrong) expect(report.not_converged_amplitudes_uA_per_cm2).toContain(a);
    // at dt/2 Euler's spike times move by up to 1.93 ms (measured): far over the 0.1 ms tolerance
    expect(Math.max(...report.neurons.map((x) => x.max_shift_ms))).toBeGreaterThan(1);
  });

  it("finds rk45 at its default tolerances converged (rerun at tolerances / 10)", () => {
    const report = checkFiConvergence({ ...LAB_FI, amplitudes: linspace(0, 10, 11), method: "rk45" });
    expect(report.refined).toMatchObject({ rtol: 1e-7, atol: 1e-9 });
    expect(report.converged).toBe(true);
    expect(Math.max(...report.neurons.map((x) => x.max_shift_ms))).toBeLessThan(1e-3);
  });

  it("finds a silent neuron converged and rejects a non-positive tolerance", () => {
    const spec = { model: "lab", duration_ms: 20, dt_ms: 0.025 };
    expect(checkConvergence(spec).converged).toBe(true);
    expect(() => checkConvergence(spec, { tolerance_ms: 0 })).toThrow(
      "tolerance_ms (convergence check) must be a positive number of ms; got 0",
    );
  });
});
