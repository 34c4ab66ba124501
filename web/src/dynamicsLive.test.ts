import { describe, expect, it } from "vitest";
import { simulate } from "../../src/simulate.js";
import { liveTrajectory } from "./dynamicsLive.js";

describe("the live lab's run in the phase plane", () => {
  const protocol = { amplitude: 45, start: 10, stop: 400, duration: 400 };
  const run = simulate({
    model: "morris-lecar-snlc",
    stimulus: { type: "step", amplitude_uA_per_cm2: protocol.amplitude, start_ms: protocol.start, stop_ms: protocol.stop },
    duration_ms: protocol.duration,
    dt_ms: 0.05,
    record: { variables: ["V", "w"] },
  });
  const traces = { V: run.traces.V?.[0] as Float64Array<ArrayBuffer>, w: run.traces.w?.[0] as Float64Array<ArrayBuffer> };

  it("is the run's own V and w, point by point, with the protocol in its label", () => {
    expect(traces.V.length).toBe(8001);
    const t = liveTrajectory({ id: 7, traces }, "V", "w", protocol);
    expect(t?.id).toBe(7);
    expect(Array.from(t?.x ?? [])).toEqual(Array.from(traces.V));
    expect(Array.from(t?.y ?? [])).toEqual(Array.from(traces.w));
    expect(t?.label).toBe("the live lab's run (full model, 45 µA/cm² on [10, 400) ms, 0–400 ms)");
  });
  it("drops points where either state is not finite, and is undefined for a state the run did not trace", () => {
    const V = Float64Array.from([1, Number.NaN, 3]);
    const w = Float64Array.from([0.1, 0.2, Number.POSITIVE_INFINITY]);
    expect(Array.from(liveTrajectory({ id: 1, traces: { V, w } }, "V", "w", protocol)?.x ?? [])).toEqual([1]);
    expect(liveTrajectory({ id: 1, traces }, "V", "n", protocol)).toBeUndefined();
  });
});
