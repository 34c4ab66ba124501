import { describe, expect, it } from "vitest";
import { batchedBisection, refractoryPeriods, restingPotentialOf, rheobase, simulate } from "../src/index.js";

const lab = { model: "lab", dt_ms: 0.025, method: "euler" } as const;

describe("batched bisection", () => {
  it("solves many threshold problems at once, each bracket within the tolerance", () => {
    const truth = [0.3, 2.5, 7.5];
    const b = batchedBisection(
      [0, 0, 0],
      [10, 10, 10],
      1e-4,
      (x, owner) => Array.from(x, (v, j) => v >= (truth[owner[j] as number] as number)),
      3,
    );
    truth.forEach((t, i) => {
      expect(b.lo[i]).toBeLessThan(t);
      expect(b.hi[i]).toBeGreaterThanOrEqual(t);
      expect((b.hi[i] as number) - (b.lo[i] as number)).toBeLessThanOrEqual(1e-4);
    });
    expect(b.runs).toBe(Math.ceil(Math.log(10 / 1e-4) / Math.log(4)));
  });
});

describe("rheobase", () => {
  const step = { start_ms: 10, stop_ms: 20, duration_ms: 50 };
  const r = rheobase({ ...lab, ...step });
  const fires = (a: number) =>
    simulate({
      ...lab,
      stimulus: { amplitude_uA_per_cm2: a, start_ms: 10, stop_ms: 20 },
      duration_ms: 50,
      record: { variables: [] },
    }).spikes.count[0] as number;

  it("is bracketed by direct runs: no spike one tolerance below, a spike at it", () => {
    const x = r.rheobase_uA_per_cm2 as number;
    const [lo, hi] = r.bracket_uA_per_cm2 as [number, number];
    expect(hi - lo).toBeLessThanOrEqual(0.001);
    expect(fires(x - 0.001)).toBe(0);
    expect(fires(x)).toBeGreaterThan(0);
  });
  it("says so when nothing fires", () => {
    const p = rheobase({ ...lab, ...step, model: "passive", max_uA_per_cm2: 5 });
    expect(p.rheobase_uA_per_cm2).toBeNull();
    expect(p.note).toBe("no spike up to 5 µA/cm²");
  });
});

describe("resting potential", () => {
  it("is an equilibrium: a run started there stays there", () => {
    const rest = restingPotentialOf("lab") as number;
    const s = simulate({ ...lab, parameters: { V0: rest }, duration_ms: 200, record: { variables: ["V"] } });
    const V = s.traces.V?.[0] as Float64Array;
    expect(Math.abs((V[V.length - 1] as number) - rest)).toBeLessThan(1e-6);
  });
});

describe("paired-pulse refractory periods", () => {
  const r = refractoryPeriods({ ...lab });
  /** A direct paired-pulse run, built by hand: does the second pulse at Δ with amplitude a fire within observe_ms? */
  const second = (delta: number, a: number) => {
    const start2 = r.first_spike_ms + delta;
    const s = simulate({
      ...lab,
      parameters: { V0: r.initial_mV },
      duration_ms: Math.ceil((start2 + r.observe_ms) / 0.025) * 0.025,
      stimulus: {
        type: "pulses",
        pulses: [
          { start_ms: r.first_pulse_start_ms, duration_ms: r.pulse_ms, amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2 },
          { start_ms: start2, duration_ms: r.pulse_ms, amplitude_uA_per_cm2: a },
        ],
      },
      record: { variables: [] },
    });
    return Array.from(s.spikes.t_ms).some((t) => t >= start2 && t < start2 + r.observe_ms);
  };

  it("measures both periods within the scanned range", () => {
    expect(r.absolute_status).toBe("measured");
    expect(r.relative_status).toBe("measured");
    expect(r.absolute_refractory_ms).toBeLessThan(r.relative_refractory_ms as number);
  });
  it("absolute: no second spike even at the cap just below it, a spike at the cap just above it", () => {
    const abs = r.absolute_refractory_ms as number;
    expect(second(abs - 0.05, r.cap_uA_per_cm2)).toBe(false);
    expect(second(abs + 0.05, r.cap_uA_per_cm2)).toBe(true);
  });
  it("relative: just below it a pulse 5 % above the single-pulse threshold fails, just above it it fires", () => {
    const rel = r.relative_refractory_ms as number;
    const a = r.single_pulse_threshold_uA_per_cm2 * (1 + r.recovery_fraction);
    expect(second(rel - 0.05, a)).toBe(false);
    expect(second(rel + 0.05, a)).toBe(true);
  });
  it("every threshold on the curve fires and one tolerance below it does not (direct runs)", () => {
    for (const i of [r.intervals_ms.length - 25, r.intervals_ms.length - 5]) {
      const d = r.intervals_ms[i] as number;
      const thr = r.thresholds_uA_per_cm2[i] as number;
      expect(second(d, thr)).toBe(true);
      expect(second(d, thr - r.tolerance_uA_per_cm2)).toBe(false);
    }
  });
  it("says 'not reached' rather than a number when the scan stops before recovery", () => {
    const short = refractoryPeriods({ ...lab, max_interval_ms: 30, interval_count: 12 });
    expect(short.relative_refractory_ms).toBeNull();
    expect(short.relative_status).toBe("not-reached");
  });
});

describe("pulse stimulus", () => {
  it("adds overlapping pulses, per neuron, on half-open windows", async () => {
    const { pulseCurrent } = await import("../src/index.js");
    const s = pulseCurrent(
      [
        { start: [1, 2], duration: 2, amplitude: 5 },
        { start: 2, duration: 1, amplitude: [1, 10] },
      ],
      2,
    );
    const out = new Float64Array(2);
    const at = (t: number) => {
      s.sample(t, out);
      return Array.from(out);
    };
    expect([at(0.5), at(1), at(2), at(2.999), at(3), at(4)]).toEqual([
      [0, 0],
      [5, 0],
      [6, 15],
      [6, 15],
      [0, 5],
      [0, 0],
    ]);
    expect(s.breakpoints).toEqual([1, 2, 3, 4]);
  });
});
