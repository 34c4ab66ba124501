import { describe, expect, it } from "vitest";
import { actionPotentials, simulate } from "../../src/index.js";
import { labReference } from "../../test/helpers/reference.js";
import { libraryAnnotator, type Mark, type Refractory, refractoryMarks } from "./annotations.js";

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
    spike_threshold_mV: 0,
    stimulus: { start_ms: 10, stop_ms: 20, amplitude_uA_per_cm2: 3 },
  };
};
const of = <K extends Mark["kind"]>(marks: Mark[], kind: K) => marks.filter((m): m is Extract<Mark, { kind: K }> => m.kind === kind);

describe("the library annotator", () => {
  it("marks the threshold, each onset and the first AP's peak, amplitude and half-width as the library's analysis measures them", () => {
    const trace = labRun();
    const aps = actionPotentials(trace.t_ms, trace.V_mV);
    const a = libraryAnnotator(trace);
    expect(a.aps).toEqual(aps);
    const first = aps[0] as (typeof aps)[number];
    expect(of(a.marks, "level")).toEqual([expect.objectContaining({ V_mV: first.onset_mV })]);
    expect(of(a.marks, "level")[0]?.label).toMatch(/^threshold -?\d+\.\d\d mV \(the first action potential's onset/);
    const points = of(a.marks, "point");
    expect(points.filter((p) => p.role === "onset").map((p) => p.t_ms)).toEqual(aps.map((p) => p.onset_ms));
    const peak = points.find((p) => p.role === "peak");
    expect(peak?.text).toBe("action potential");
    // the lab notebook's own peak of the first spike (9 decimals in its reference file)
    expect(peak?.V_mV).toBeCloseTo(labReference().experiment_1.V_peak_mV, 8);
    expect(of(a.marks, "segment")[0]).toMatchObject({ from_ms: first.half_rise_ms, to_ms: first.half_fall_ms });
    expect(of(a.marks, "segment")[0]?.label).toBe(`half-width ${(first.half_width_ms as number).toFixed(3)} ms (width at half amplitude)`);
    expect(of(a.marks, "arrow")[0]).toMatchObject({ from_mV: first.onset_mV, to_mV: first.peak_mV });
    expect(of(a.marks, "band")[0]).toMatchObject({ from_ms: 10, to_ms: 20, tone: "stimulus" });
  });

  it("marks no action potential on a silent trace", () => {
    const t = Float64Array.from({ length: 11 }, (_, i) => i);
    const a = libraryAnnotator({ t_ms: t, V_mV: new Float64Array(11).fill(-65), spike_threshold_mV: 0 });
    expect(a.aps).toEqual([]);
    expect(a.marks).toEqual([]);
  });
});

describe("the refractory bands", () => {
  const aps = actionPotentials(labRun().t_ms, labRun().V_mV);
  const s = aps[0]?.time_ms as number;
  const done = (o: Partial<Extract<Refractory, { state: "done" }>>): Refractory => ({
    state: "done",
    absolute_ms: 3,
    absolute_status: "measured",
    relative_ms: 20,
    relative_status: "measured",
    scanned_range_ms: [0.5, 200],
    elapsed_ms: 1,
    ...o,
  });

  it("start at the first spike: absolute [s, s + absolute), relative from there to s + relative", () => {
    const bands = of(refractoryMarks(aps, done({}), 50), "band");
    expect(bands.map((b) => [b.tone, b.from_ms, b.to_ms])).toEqual([
      ["absolute", s, s + 3],
      ["relative", s + 3, s + 20],
    ]);
    expect(bands.map((b) => b.text)).toEqual(["absolute refractory 3.00 ms", "relative refractory 20.00 ms"]);
  });

  it("say 'not reached within the scanned range' and run to the trace end when the period is not reached", () => {
    const [, rel] = of(refractoryMarks(aps, done({ relative_ms: null, relative_status: "not-reached" }), 50), "band");
    expect(rel).toMatchObject({ tone: "relative", from_ms: s + 3, to_ms: 50 });
    expect(rel?.text).toBe("relative refractory not reached within the scanned range (up to 200 ms) ▶");
  });

  it("show one pending band while measuring, and none without a spike", () => {
    expect(of(refractoryMarks(aps, { state: "measuring" }, 50), "band").map((b) => b.text)).toEqual(["refractory periods: measuring…"]);
    expect(refractoryMarks([], done({}), 50)).toEqual([]);
  });
});
