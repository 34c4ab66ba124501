import { describe, expect, it } from "vitest";
import { integrate, type OdeSystem, rk45, simulate } from "../src/index.js";

describe("adaptive rk45", () => {
  it("lands exactly on stimulus breakpoints: the passive membrane matches its exact solution through two edges", () => {
    // RC membrane (Cm 1, gL 0.1, EL −65: τ 10 ms, R 10): I = 1 µA/cm² on [10.0123, 30.7) ms, sampled every 0.1 ms
    const [on, off] = [10.0123, 30.7];
    const r = simulate({
      model: "passive",
      stimulus: { amplitude_uA_per_cm2: 1, start_ms: on, stop_ms: off },
      duration_ms: 60,
      dt_ms: 0.1,
      method: "rk45",
      rtol: 1e-8,
      atol: 1e-10,
    });
    const exact = (t: number) => {
      if (t < on) return -65;
      const charged = (tt: number) => 10 * (1 - Math.exp(-(tt - on) / 10));
      return -65 + (t < off ? charged(t) : charged(off) * Math.exp(-(t - off) / 10));
    };
    const V = r.traces.V![0]!;
    expect(V).toHaveLength(601);
    let e = 0;
    for (let k = 0; k < V.length; k++) e = Math.max(e, Math.abs((V[k] as number) - exact(r.t_ms[k] as number)));
    expect(e).toBeLessThan(1e-6); // measured 2.3e-7 mV in 42 accepted steps
  });

  it("reuses the last stage (FSAL): 6 evaluations per attempted step, plus one per restart", () => {
    const r = simulate({
      model: "hh1952",
      stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 110 },
      duration_ms: 120,
      dt_ms: 0.1,
      method: "rk45",
      record: { variables: [] },
    });
    const { accepted_steps, rejected_steps, evaluations } = r.stats;
    expect(accepted_steps).toBeGreaterThan(100);
    // initial evaluation + starting-step probe + a restart at each of the 2 breakpoints
    expect(evaluations).toBe(6 * (accepted_steps + rejected_steps) + 4);
  });

  it("keeps the step taken separate from the step suggested: landing on a breakpoint does not shrink the next step", () => {
    const constant: OdeSystem = { size: 1, derivatives: (_t, _y, dy) => dy.fill(1) };
    const s = rk45(constant, { rtol: 1e-6, atol: 1e-8 });
    const y = Float64Array.of(0);
    s.restart(0, y);
    let suggested = s.hNext;
    let t = 0;
    while (t < 1e-3) {
      suggested = s.hNext;
      t = s.advance(1e-3, y);
    }
    const taken = s.t1 - s.t0;
    expect(s.t1).toBe(1e-3); // landed exactly
    expect(taken).toBeLessThan(suggested); // the last step was cut short …
    expect(s.hNext).toBeGreaterThanOrEqual(suggested); // … and the suggestion survives it
  });

  it("integrates a general ODE through `integrate` to its tolerance", () => {
    const decay: OdeSystem = { size: 1, derivatives: (_t, y, dy) => dy.fill(-(y[0] as number) / 2) };
    const rows = integrate(decay, [1], [0, 5, 10], "rk45", { rtol: 1e-9, atol: 1e-12 });
    expect(Math.abs((rows[2]![0] as number) - Math.exp(-5))).toBeLessThan(1e-10);
  });
});
