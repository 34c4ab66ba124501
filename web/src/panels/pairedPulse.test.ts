import { describe, expect, it } from "vitest";
import { pairedPulse, refractoryPeriods } from "../../../src/index.js";
import { overlappingPairs } from "../lib.js";
import { recoveryFigure, trialFigure } from "./pairedPulseDraw.js";
import { pairedCommandLine, pairedLibraryCall, trialsCsv } from "./pairedPulseText.js";

const settings = { model: "lab", parameters: {}, method: "euler", dt_ms: 0.025, interval_ms: 5, amplitude_uA_per_cm2: 5 };

describe("the paired-pulse panel's words", () => {
  it("shows the spikelab command of the trial, with only what differs from the defaults", () => {
    expect(pairedCommandLine(settings)).toBe("spikelab paired --model lab --interval-ms 5 --amplitude 5");
    expect(pairedCommandLine({ ...settings, model: "file:my-cell", method: "rk4", dt_ms: 0.01, parameters: { gNa: 60 } })).toBe(
      "spikelab paired --model my-cell.json --interval-ms 5 --amplitude 5 --method rk4 --dt-ms 0.01 --param gNa=60",
    );
    expect(pairedLibraryCall(settings)).toBe(
      'pairedPulse({ model: "lab", dt_ms: 0.025, method: "euler", interval_ms: 5, amplitude_uA_per_cm2: 5 }); refractoryPeriods({ model: "lab", dt_ms: 0.025, method: "euler" })',
    );
  });
  it("writes the tried points as CSV with units in the names", () => {
    expect(trialsCsv([{ interval_ms: 2.5, amplitude_uA_per_cm2: 15, fired: false }])).toBe(
      "interval_ms,amplitude_uA_per_cm2,fired\n2.5,15,0\n",
    );
  });
});

describe("the paired-pulse figures (lab model)", () => {
  const r = refractoryPeriods({ model: "lab", dt_ms: 0.025 });
  const periods = { absolute_ms: r.absolute_refractory_ms, relative_ms: r.relative_refractory_ms };
  const t = pairedPulse({
    model: "lab",
    dt_ms: 0.025,
    interval_ms: 5,
    amplitude_uA_per_cm2: 5,
    conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2,
    first_spike_ms: r.first_spike_ms,
    duration_ms: Math.ceil((r.first_spike_ms + 60) / 0.025) * 0.025,
  });
  const trialAt = (width: number) =>
    trialFigure(
      {
        t_ms: t.t_ms,
        V_mV: t.V_mV,
        I_uA_per_cm2: t.I_inj_uA_per_cm2,
        first_spike_ms: t.first_spike_ms,
        first_pulse_start_ms: 10,
        pulse_ms: 1,
        interval_ms: 5,
        amplitude_uA_per_cm2: 5,
        fired: t.fired,
        window_ms: 50,
        iMax: r.cap_uA_per_cm2 * 1.1,
        periods,
      },
      width,
    );
  const recoveryAt = (width: number) =>
    recoveryFigure(
      {
        ...r,
        periods,
        trials: [
          { interval_ms: 2, amplitude_uA_per_cm2: 15, fired: false },
          { interval_ms: 20, amplitude_uA_per_cm2: 6, fired: true },
        ],
        current: { interval_ms: 5, amplitude_uA_per_cm2: 5, fired: false },
      },
      width,
    );

  it.each([360, 900])("at %i px its labels never overlap, and the marks that matter are named", (width) => {
    const tf = trialAt(width);
    const rf = recoveryAt(width);
    expect(overlappingPairs(tf.labels.map((l) => l.box))).toEqual([]);
    expect(overlappingPairs(rf.labels.map((l) => l.box))).toEqual([]);
    expect(tf.labels.map((l) => l.text)).toContain("2nd pulse: no spike");
    expect(rf.labels.map((l) => l.text)).toEqual(expect.arrayContaining(["+5 % criterion 1.671", "relative until 105.4 ms"]));
    for (const l of [...tf.labels, ...rf.labels]) {
      expect(l.box.x0).toBeGreaterThanOrEqual(0);
      expect(l.box.x1).toBeLessThanOrEqual(width);
    }
  });

  it("turns a pointer position back into the Δ and amplitude drawn there", () => {
    const tf = trialAt(900);
    // the handle is drawn at the middle of the second pulse's top
    const m = /class="handle" cx="([0-9.]+)" cy="([0-9.]+)"/.exec(tf.svg) as RegExpExecArray;
    const v = tf.toSetting(Number(m[1]), Number(m[2]));
    expect(v.interval_ms).toBeCloseTo(5, 1);
    expect(v.amplitude_uA_per_cm2).toBeCloseTo(5, 1);
    const rf = recoveryAt(900);
    const c = /class="current" cx="([0-9.]+)" cy="([0-9.]+)"/.exec(rf.svg) as RegExpExecArray;
    const w = rf.toSetting(Number(c[1]), Number(c[2]));
    expect(w.interval_ms).toBeCloseTo(5, 1);
    expect(w.amplitude_uA_per_cm2).toBeCloseTo(5, 1);
  });
});
