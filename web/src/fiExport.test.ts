import { describe, expect, it } from "vitest";
import { fiCsv, fiJson, type SweepShown } from "./fiExport.js";

const sweep = (compare: boolean): SweepShown => ({
  options: { amplitudes: [0, 5], start_ms: 10, stop_ms: 60, duration_ms: 70, dt_ms: 0.025, method: "euler", parameters: { gNa: 60 } },
  model: "lab",
  lab: { params: { gNa: 60 }, block: {} },
  rheobase: { state: "measuring" },
  curves: [
    { label: "forward Euler, dt 0.025 ms", method: "euler", dt_ms: 0.025 },
    ...(compare ? [{ label: "RK4, dt 0.025 ms", method: "rk4", dt_ms: 0.025 }] : []),
  ],
  results: [
    { amplitudes_uA_per_cm2: [0, 5], spike_counts: [0, 4], rates_Hz: [0, 60] },
    ...(compare ? [{ amplitudes_uA_per_cm2: [0, 5], spike_counts: [0, 5], rates_Hz: [0, 80] }] : []),
  ],
  elapsed_ms: 12,
});

describe("the f–I panel's exports", () => {
  it("CSV: amplitude, count and rate, and the comparison curve's columns when there is one", () => {
    expect(fiCsv(sweep(false)).trim().split("\n")).toEqual(["amplitude_uA_per_cm2,spike_count,rate_Hz", "0,0,0", "5,4,60"]);
    expect(fiCsv(sweep(true)).split("\n")[0]).toBe("amplitude_uA_per_cm2,spike_count,rate_Hz,compare_spike_count,compare_rate_Hz");
  });
  it("JSON: the protocol, the curve's method and dt, the sweep's rheobase, null for a bisection not back yet", () => {
    const j = JSON.parse(fiJson(sweep(true)));
    expect(j).toMatchObject({ model: "lab", parameters: { gNa: 60 }, start_ms: 10, stop_ms: 60, method: "euler", dt_ms: 0.025 });
    expect(j.spike_counts).toEqual([0, 4]);
    expect(j.rheobase_estimate_uA_per_cm2).toBe(5);
    expect(j.rheobase_uA_per_cm2).toBeNull();
    expect(j.compare).toEqual({ method: "rk4", dt_ms: 0.025, spike_counts: [0, 5], rates_Hz: [0, 80] });
  });
});
