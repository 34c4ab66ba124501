import { describe, expect, it } from "vitest";
import { sweepRheobase } from "../src/index.js";

describe("sweepRheobase: the rheobase as an f–I sweep shows it", () => {
  it("is the smallest amplitude that fires during the step, with the sweep's spacing there", () => {
    const r = { amplitudes_uA_per_cm2: [0, 0.5, 1, 1.5], spike_counts: [0, 0, 2, 3], rates_Hz: [0, 0, 13.3, 20] };
    expect(sweepRheobase(r)).toEqual({ amplitude_uA_per_cm2: 1, resolution_uA_per_cm2: 0.5 });
  });

  it("ignores spikes outside the step (count without rate) and unsorted sweeps", () => {
    const r = { amplitudes_uA_per_cm2: [2, 0, 1], spike_counts: [4, 1, 1], rates_Hz: [20, 0, 6.7] };
    expect(sweepRheobase(r)).toEqual({ amplitude_uA_per_cm2: 1, resolution_uA_per_cm2: 1 });
  });

  it("has no spacing at the sweep's lowest amplitude", () => {
    expect(sweepRheobase({ amplitudes_uA_per_cm2: [3, 4], spike_counts: [2, 4], rates_Hz: [10, 20] })).toEqual({
      amplitude_uA_per_cm2: 3,
      resolution_uA_per_cm2: null,
    });
  });

  it("is null when nothing fires", () => {
    expect(sweepRheobase({ amplitudes_uA_per_cm2: [0, 1], spike_counts: [0, 0], rates_Hz: [0, 0] }).amplitude_uA_per_cm2).toBeNull();
  });
});
