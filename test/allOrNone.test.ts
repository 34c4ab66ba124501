import { describe, expect, it } from "vitest";
import {
  ALL_OR_NONE_MIN_RATIO,
  allOrNoneRatio,
  NoActionPotentialError,
  pairedPulse,
  refractoryPeriods,
  SpikelabError,
} from "../src/index.js";

const euler = { dt_ms: 0.025, method: "euler" } as const;

/** The error a call throws (the test fails when it returns). */
const thrown = (f: () => unknown): NoActionPotentialError => {
  try {
    f();
  } catch (e) {
    return e as NoActionPotentialError;
  }
  throw new Error("expected a NoActionPotentialError; the call returned");
};

describe("the all-or-none ratio", () => {
  it("is exactly 1 for responses proportional to the amplitude, as a linear membrane's are", () => {
    // peaks 0.95 mV per µA/cm² above a rest of −65 mV
    const peak = (a: number) => -65 + 0.95 * a;
    expect(allOrNoneRatio([68.2, 68.201], [peak(68.2), peak(68.201)], -65)).toBeCloseTo(1, 9);
  });

  it("is large when the peak jumps at the threshold, and NaN with no current below it to compare with", () => {
    // the lab model: just below threshold the peak is −21.1 mV, just above +3.56 mV
    expect(allOrNoneRatio([1.59, 1.591], [-21.1, 3.56], -63.84)).toBeCloseTo(917.5, 0);
    expect(allOrNoneRatio([0, 0.001], [-65, 10], -65)).toBeNaN();
  });
});

describe("refractory periods of a model that does not fire action potentials", () => {
  it("the passive membrane has none: refractoryPeriods says so in one line instead of measuring 'periods'", () => {
    // before: absolute 7.41 ms, relative 7.42 ms (V still above 0 mV after the first pulse cannot cross it again)
    const e = thrown(() => refractoryPeriods({ model: "passive", ...euler }));
    expect(e).toBeInstanceOf(NoActionPotentialError);
    expect(e).toBeInstanceOf(SpikelabError);
    expect(e.message).toMatch(
      /^no refractory period: model "passive" does not fire action potentials \(.*graded, not all-or-none.*68\.2230 µA\/cm²/,
    );
    expect(e.message).not.toContain("\n");
    // a linear membrane: the peak grows exactly in proportion to the current (measured 1 − 5e-11)
    expect(e.all_or_none_ratio).toBeCloseTo(1, 9);
  });

  it("the lab model with TTX (gNa 0) has none: its K current makes the response sublinear (ratio 0.494)", () => {
    const e = thrown(() => refractoryPeriods({ model: "lab", parameters: { gNa: 0 }, ...euler }));
    expect(e).toBeInstanceOf(NoActionPotentialError);
    expect(e.all_or_none_ratio).toBeCloseTo(0.4945, 4);
  });

  it("a paired-pulse trial on the passive membrane is refused the same way", () => {
    expect(() => pairedPulse({ model: "passive", ...euler, interval_ms: 5, amplitude_uA_per_cm2: 3 })).toThrow(
      /^no refractory period: model "passive" does not fire action potentials/,
    );
  });

  it("action potentials jump far beyond a linear membrane's response at threshold (lab 3851, hh1952 56416)", () => {
    const lab = refractoryPeriods({ model: "lab", ...euler });
    const hh = refractoryPeriods({ model: "hh1952", ...euler });
    expect(lab.all_or_none_ratio).toBeCloseTo(3850.79, 1);
    expect(hh.all_or_none_ratio).toBeCloseTo(56415.6, 0);
    expect(Math.min(lab.all_or_none_ratio, hh.all_or_none_ratio)).toBeGreaterThan(100 * ALL_OR_NONE_MIN_RATIO);
    // and their periods are measured as before (lab 3.015 / 105.38 ms, hh1952 5.467 ms)
    expect(lab.absolute_refractory_ms).toBeCloseTo(3.015, 2);
    expect(lab.relative_refractory_ms).toBeCloseTo(105.38, 1);
    expect(hh.absolute_refractory_ms).toBeCloseTo(5.467, 2);
  });
});
