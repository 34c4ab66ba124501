import { describe, expect, it } from "vitest";
import { actionPotentials, firingRate, interSpikeIntervals, simulate, spikeTimes, spikeTrain } from "../src/index.js";

/**
 * A synthetic action potential with known answers, sampled every dt: rest −65 mV until 10 ms, a slow
 * rise of 5 mV/ms to −55 mV at 12 ms (below the 10 mV/ms onset criterion), a fast rise of 100 mV/ms to
 * +40 mV at 12.95 ms, a fall of 50 mV/ms to −75 mV at 15.25 ms, then recovery at 1 mV/ms to −65 mV.
 * Onset 12 ms at −55 mV; peak +40 mV at 12.95 ms; amplitude 95 mV; half level −7.5 mV crossed at
 * 12 + 47.5/100 = 12.475 ms and 12.95 + 47.5/50 = 13.9 ms: half-width 1.425 ms; AHP −75 mV at 15.25 ms.
 */
function synthetic(dt: number, from = 0, to = 30) {
  const v = (t: number) =>
    t < 10
      ? -65
      : t < 12
        ? -65 + 5 * (t - 10)
        : t < 12.95
          ? -55 + 100 * (t - 12)
          : t < 15.25
            ? 40 - 50 * (t - 12.95)
            : Math.min(-65, -75 + (t - 15.25));
  const n = Math.round((to - from) / dt);
  const t = Float64Array.from({ length: n + 1 }, (_, k) => from + k * dt);
  return { t, V: t.map(v) };
}

describe("action-potential features", () => {
  const dt = 0.005;
  const { t, V } = synthetic(dt);
  const [ap] = actionPotentials(t, V);

  it("finds one spike, crossing 0 mV at 12 + 55/100 ms", () => {
    expect(actionPotentials(t, V)).toHaveLength(1);
    expect(ap?.time_ms).toBeCloseTo(12.55, 9);
  });
  it("puts the onset where dV/dt passes 10 mV/ms: 12 ms, −55 mV (within one sample)", () => {
    expect(Math.abs((ap?.onset_ms as number) - 12)).toBeLessThan(dt);
    expect(Math.abs((ap?.onset_mV as number) + 55)).toBeLessThan(100 * dt);
  });
  it("measures peak, amplitude and half-width", () => {
    expect(ap?.peak_ms).toBeCloseTo(12.95, 9);
    expect(ap?.peak_mV).toBeCloseTo(40, 6);
    expect(Math.abs((ap?.amplitude_mV as number) - 95)).toBeLessThan(100 * dt);
    expect(Math.abs((ap?.half_width_ms as number) - 1.425)).toBeLessThan(2 * dt);
  });
  it("finds the after-hyperpolarisation minimum", () => {
    expect(ap?.ahp_mV).toBeCloseTo(-75, 6);
    expect(ap?.ahp_ms).toBeCloseTo(15.25, 9);
  });
  it("moves the onset with the criterion: above 100 mV/ms there is no upstroke steep enough", () => {
    expect(actionPotentials(t, V, { onset_dVdt_mV_per_ms: 3 })[0]?.onset_ms).toBeLessThan(10.01);
    expect(actionPotentials(t, V, { onset_dVdt_mV_per_ms: 150 })[0]?.onset_ms).toBeNull();
  });
  it("does not count a spike the trace starts in, and marks one it ends in as incomplete", () => {
    const late = synthetic(dt, 12.7, 30);
    expect(spikeTimes(late.t, late.V)).toEqual([]);
    expect(actionPotentials(late.t, late.V)).toEqual([]);
    const early = synthetic(dt, 0, 12.8);
    const aps = actionPotentials(early.t, early.V);
    expect(aps).toHaveLength(1);
    expect(aps[0]?.complete).toBe(false);
    expect(aps[0]?.half_width_ms).toBeNull();
    expect(aps[0]?.ahp_mV).toBeNull();
  });
  it("rejects traces of different lengths in one line", () => {
    expect(() => spikeTimes([0, 1, 2], [0, 1])).toThrow('V_mV (one value per time) must be 3 values like t_ms; got "2 values"');
  });
});

describe("spike trains", () => {
  it("gives the online detector's spike times (to rounding), for the lab's experiment 1", () => {
    const r = simulate({
      model: "lab",
      stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
      duration_ms: 50,
      dt_ms: 0.025,
      record: { variables: ["V"] },
    });
    const times = spikeTimes(r.t_ms, r.traces.V?.[0] as Float64Array);
    expect(times).toHaveLength(r.spikes.t_ms.length);
    times.forEach((t, i) => {
      expect(Math.abs(t - (r.spikes.t_ms[i] as number))).toBeLessThan(1e-12);
    });
  });
  it("counts, intervals and rates", () => {
    expect(interSpikeIntervals([1, 4, 10])).toEqual([3, 6]);
    expect(firingRate([1, 4, 10, 30], 0, 20)).toBe(150);
    const tr = spikeTrain([0, 1, 2, 3, 4, 5], [-1, 1, -1, 1, -1, 1]);
    expect(tr.spike_times_ms).toEqual([0.5, 2.5, 4.5]);
    expect(tr.isi_ms).toEqual([2, 2]);
    expect(tr.rate_Hz).toBe(600);
  });
});
