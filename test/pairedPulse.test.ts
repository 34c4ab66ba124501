import { describe, expect, it } from "vitest";
import { pairedPulse, recoveryThresholdAt, refractoryPeriods, refractoryPhase, simulate } from "../src/index.js";

const lab = { model: "lab", dt_ms: 0.025, method: "euler" } as const;

describe("a paired-pulse trial on the lab model", () => {
  // the measured recovery curve of the same protocol (lab: absolute 3.015 ms, relative 105.38 ms)
  const r = refractoryPeriods({ ...lab });
  const trial = (interval_ms: number, amplitude_uA_per_cm2: number) =>
    pairedPulse({ ...lab, interval_ms, amplitude_uA_per_cm2, conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2 });

  it("uses the refractory scan's protocol: the same conditioning amplitude (2 × the single-pulse threshold), first spike and rest", () => {
    const t = pairedPulse({ ...lab, interval_ms: 20, amplitude_uA_per_cm2: 0 });
    expect(t.single_pulse_threshold_uA_per_cm2).toBe(r.single_pulse_threshold_uA_per_cm2);
    expect(t.conditioning_amplitude_uA_per_cm2).toBe(r.conditioning_amplitude_uA_per_cm2);
    expect(t.first_spike_ms).toBe(r.first_spike_ms);
    expect(t.initial_mV).toBe(r.initial_mV);
    expect(t.V_mV[0]).toBe(r.initial_mV);
    expect(t.second_pulse_start_ms).toBeCloseTo(r.first_spike_ms + 20, 12);
  });

  it("draws both pulses into the injected current, each 1 ms long at its amplitude", () => {
    const t = trial(10, 7);
    const at = (ms: number) => t.I_inj_uA_per_cm2[Math.round(ms / 0.025)];
    expect(at(10.5)).toBeCloseTo(r.conditioning_amplitude_uA_per_cm2, 12);
    expect(at(t.second_pulse_start_ms + 0.5)).toBe(7);
    expect(at(9.5)).toBe(0);
    expect(at(t.second_pulse_start_ms + 1.5)).toBe(0);
  });

  it("with the first spike's time given (from the scan) runs the pair alone, to the same result", () => {
    const a = trial(8, 11);
    const b = pairedPulse({
      ...lab,
      interval_ms: 8,
      amplitude_uA_per_cm2: 11,
      conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2,
      first_spike_ms: r.first_spike_ms,
    });
    expect(b.fired).toBe(a.fired);
    expect(b.second_spike_ms).toBe(a.second_spike_ms);
    expect(Array.from(b.V_mV)).toEqual(Array.from(a.V_mV));
  });

  it("its injected current is the one the simulation records for the same pulses", () => {
    const t = trial(7.3, 4);
    const s = simulate({
      ...lab,
      parameters: { V0: t.initial_mV },
      duration_ms: t.duration_ms,
      record: { variables: ["I_inj"] },
      stimulus: {
        type: "pulses",
        pulses: [
          { start_ms: 10, duration_ms: 1, amplitude_uA_per_cm2: t.conditioning_amplitude_uA_per_cm2 },
          { start_ms: t.second_pulse_start_ms, duration_ms: 1, amplitude_uA_per_cm2: 4 },
        ],
      },
    });
    expect(Array.from(t.I_inj_uA_per_cm2)).toEqual(Array.from(s.traces.I_inj?.[0] as Float64Array));
  });

  it("never fires inside the absolute refractory period, at any amplitude up to the cap (10 × threshold = 15.9 µA/cm²)", () => {
    expect(r.absolute_refractory_ms).toBeCloseTo(3.015, 2);
    for (const d of [0.5, 1.5, 2.5, 2.95])
      for (const a of [1, 2, 4, 8, 12, r.cap_uA_per_cm2]) expect(trial(d, a).fired, `Δ ${d} ms, ${a} µA/cm²`).toBe(false);
  });

  it("fires at the cap just after the absolute period ends", () => {
    expect(trial((r.absolute_refractory_ms as number) + 0.05, r.cap_uA_per_cm2).fired).toBe(true);
  });

  it("fires at the measured threshold of each scanned interval and not one tolerance below it", () => {
    for (const i of [12, 18, 25, 33, 39]) {
      const d = r.intervals_ms[i] as number;
      const thr = r.thresholds_uA_per_cm2[i] as number;
      expect(trial(d, thr).fired, `Δ ${d} ms at ${thr}`).toBe(true);
      expect(trial(d, thr - r.tolerance_uA_per_cm2).fired, `Δ ${d} ms below ${thr}`).toBe(false);
    }
  });

  it("a pulse 5 % above the single-pulse threshold fails just inside the relative period and fires just after it", () => {
    const a = r.single_pulse_threshold_uA_per_cm2 * (1 + r.recovery_fraction);
    const rel = r.relative_refractory_ms as number;
    expect(rel).toBeCloseTo(105.38, 1);
    expect(trial(rel - 0.05, a).fired).toBe(false);
    expect(trial(rel + 0.05, a).fired).toBe(true);
  });

  it("the recovery threshold falls with Δ after the absolute period, to within 0.3 % of the single-pulse threshold at 200 ms", () => {
    const curve = r.thresholds_uA_per_cm2.filter((x): x is number => x !== null);
    expect(curve.length).toBe(28);
    for (let i = 1; i < curve.length; i++) expect(curve[i]).toBeLessThan(curve[i - 1] as number);
    const last = curve[curve.length - 1] as number;
    expect(last / r.single_pulse_threshold_uA_per_cm2).toBeGreaterThan(1);
    expect(last / r.single_pulse_threshold_uA_per_cm2).toBeLessThan(1.003);
  });

  it("names the phase of an interval and reads the curve between the scanned intervals", () => {
    expect(refractoryPhase(r, 2)).toBe("absolute");
    expect(refractoryPhase(r, 3.1)).toBe("relative");
    expect(refractoryPhase(r, 105)).toBe("relative");
    expect(refractoryPhase(r, 106)).toBe("recovered");
    expect(recoveryThresholdAt(r, 2)).toBeNull();
    expect(recoveryThresholdAt(r, r.intervals_ms[20] as number)).toBe(r.thresholds_uA_per_cm2[20]);
    const mid = Math.sqrt((r.intervals_ms[20] as number) * (r.intervals_ms[21] as number));
    expect(recoveryThresholdAt(r, mid)).toBeCloseTo(
      ((r.thresholds_uA_per_cm2[20] as number) + (r.thresholds_uA_per_cm2[21] as number)) / 2,
      12,
    );
  });

  it("refuses a bad interval, amplitude or duration, naming it", () => {
    expect(() => trial(0, 5)).toThrow(/interval from the first spike to the second pulse \(ms\).*0/);
    expect(() => trial(5, Number.NaN)).toThrow(/second pulse amplitude/);
    expect(() =>
      pairedPulse({
        ...lab,
        interval_ms: 5,
        amplitude_uA_per_cm2: 5,
        conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2,
        duration_ms: 30,
      }),
    ).toThrow(/duration \(ms\).*at least/);
    expect(() => pairedPulse({ ...lab, interval_ms: 5, amplitude_uA_per_cm2: 5, conditioning_amplitude_uA_per_cm2: 0.5 })).toThrow(
      /conditioning amplitude/,
    );
  });
});

describe("a paired-pulse trial on hh1952", () => {
  const hh = { model: "hh1952", dt_ms: 0.025, method: "euler" } as const;
  const r = refractoryPeriods({ ...hh });
  it("agrees with the scan on both sides of the absolute period (5.467 ms) and its supernormal dip", () => {
    const trial = (d: number, a: number) =>
      pairedPulse({
        ...hh,
        interval_ms: d,
        amplitude_uA_per_cm2: a,
        conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2,
      }).fired;
    expect(r.absolute_refractory_ms).toBeCloseTo(5.467, 2);
    expect(trial(5.4, r.cap_uA_per_cm2)).toBe(false);
    expect(trial(5.55, r.cap_uA_per_cm2)).toBe(true);
    // supernormal: at 17.1 ms the threshold (5.75) is below the single-pulse one (6.88)
    const i = r.intervals_ms.findIndex((d) => d > 17 && d < 17.2);
    const thr = r.thresholds_uA_per_cm2[i] as number;
    expect(thr).toBeLessThan(r.single_pulse_threshold_uA_per_cm2);
    expect(trial(r.intervals_ms[i] as number, thr)).toBe(true);
    expect(trial(r.intervals_ms[i] as number, thr - r.tolerance_uA_per_cm2)).toBe(false);
  });
});
