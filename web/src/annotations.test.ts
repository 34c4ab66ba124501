import { describe, expect, it } from "vitest";
import { simulate, spikeTimesOf } from "../../src/index.js";
import { labReference } from "../../test/helpers/reference.js";
import { localAnnotator, spikePeaks } from "./annotations.js";

const labRun = () => {
  const r = simulate({
    model: "lab",
    stimulus: { type: "step", amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
    duration_ms: 50,
    dt_ms: 0.025,
    record: { variables: ["V"] },
  });
  return {
    t_ms: r.t_ms,
    V_mV: r.traces.V?.[0] as Float64Array,
    spike_times_ms: spikeTimesOf(r.spikes, 0),
    spike_threshold_mV: 0,
    stimulus: { start_ms: 10, stop_ms: 20, amplitude_uA_per_cm2: 3 },
  };
};

describe("the local annotator", () => {
  it("finds the lab's first peak: 48.044361581 mV at 13.275 ms as the lab's reference records it (9 decimals)", () => {
    const ref = labReference().experiment_1;
    const [first] = spikePeaks(labRun());
    expect(first?.V_mV).toBeCloseTo(ref.V_peak_mV, 8);
    expect(first?.t_ms).toBeCloseTo(ref.t_peak_ms, 12);
  });

  it("gives one crossing and one peak per spike, each peak after its crossing and above the threshold", () => {
    const trace = labRun();
    const marks = localAnnotator(trace);
    const times = marks.filter((m) => m.kind === "time");
    const peaks = marks.flatMap((m) => (m.kind === "point" && m.role === "peak" ? [m] : []));
    expect(times.length).toBe(2);
    expect(peaks.length).toBe(2);
    peaks.forEach((p, k) => {
      expect(p.t_ms).toBeGreaterThan(trace.spike_times_ms[k] as number);
      expect(p.V_mV).toBeGreaterThan(0);
    });
    expect(marks.find((m) => m.kind === "band")).toMatchObject({ from_ms: 10, to_ms: 20, tone: "stimulus" });
  });

  it("marks no spike on a silent trace", () => {
    const t = Float64Array.from({ length: 11 }, (_, i) => i);
    const marks = localAnnotator({ t_ms: t, V_mV: new Float64Array(11).fill(-65), spike_times_ms: [], spike_threshold_mV: 0 });
    expect(marks.map((m) => m.kind)).toEqual(["level"]);
  });
});
