import { describe, expect, it } from "vitest";
import { fiJson, type RheobaseState, type SweepShown } from "./fiExport.js";
import { bisectionSaysNone, rheobaseMark } from "./fiRheobase.js";
import { type FiOptions, fiCurve, rheobase } from "./lib.js";

// the f–I panel's protocol, shortened: a 10 ms step, rk4 dt 0.025 ms; the sweep and the bisection as the panel runs them
const protocol = { start_ms: 10, stop_ms: 20, duration_ms: 50, dt_ms: 0.025, method: "rk4" } as const;
const measured = (parameters: Record<string, number>): { sweep: FiOptions; state: RheobaseState } => {
  const sweep: FiOptions = { ...protocol, model: "lab", parameters, amplitudes: [0, 40, 80, 90, 100] };
  return { sweep, state: { state: "done", result: rheobase({ ...protocol, model: "lab", parameters }), elapsed_ms: 1 } };
};

describe("the f–I panel's rheobase mark", () => {
  it("lab with TTX: the sweep's V crosses 0 mV from 90 µA/cm², but the bisection says none (graded): no mark, the note in the JSON", () => {
    const { sweep, state } = measured({ gNa: 0 });
    const r0 = fiCurve(sweep);
    expect(Array.from(r0.spike_counts)).toEqual([0, 0, 0, 1, 1]); // 84.03 µA/cm²: the graded crossing
    expect(state.state === "done" && state.result.rheobase_uA_per_cm2).toBeNull();
    expect(bisectionSaysNone(state, 90)).toBe(true);
    expect(rheobaseMark(state, r0)).toBeNull();
    const shown: SweepShown = {
      options: sweep,
      model: "lab",
      lab: { params: { gNa: 0 }, block: {} },
      rheobase: state,
      curves: [{ label: "RK4, dt 0.025 ms", method: "rk4", dt_ms: 0.025 }],
      results: [r0],
      elapsed_ms: 1,
    };
    const j = JSON.parse(fiJson(shown));
    expect(j.rheobase_uA_per_cm2).toBeNull();
    expect(j.rheobase_note).toMatch(
      /^model "lab" does not fire action potentials up to 1000 µA\/cm² \(its response to a 10 ms step is graded/,
    );
  });

  it("lab: the bisection's number; while it runs, the sweep's estimate", () => {
    const { sweep, state } = measured({});
    const r0 = fiCurve(sweep);
    const x = state.state === "done" ? (state.result.rheobase_uA_per_cm2 as number) : Number.NaN;
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThan(40);
    expect(rheobaseMark(state, r0)).toEqual({ x, label: `rheobase ${x.toFixed(4)} µA/cm²` });
    expect(rheobaseMark({ state: "measuring" }, r0)).toEqual({ x: 40, label: "rheobase ≈ 40 µA/cm² (sweep)" });
    expect(bisectionSaysNone({ state: "measuring" }, 40)).toBe(false);
  });
});
