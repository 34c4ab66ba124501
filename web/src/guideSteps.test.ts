import { describe, expect, it } from "vitest";
import { fiCurve, linspace, simulate } from "../../src/index.js";
import { GUIDE, guideQuery, guideStepOf, guideSuffix } from "./guideSteps.js";
import { defaultState, fromQuery, runSpec } from "./state.js";
import { urlProblems } from "./urlProblems.js";

describe("the guided lab's steps", () => {
  it("a bare teacher's link ?guide=N opens step N's state and keeps guide=N", () => {
    const q = guideQuery("?guide=6");
    expect(guideStepOf(q)).toBe(6);
    const s = fromQuery(q);
    expect(s.view).toBe("fi");
    expect(s.fi.overlay).toBe("method");
    expect(s.fi.overlayMethod).toBe("rk45");
  });
  it("a link with a state of its own (reached within the guide) keeps that state", () => {
    expect(guideQuery("?view=lab&amp=4&guide=2")).toBe("?view=lab&amp=4&guide=2");
    expect(guideSuffix("?view=lab&amp=4&guide=2")).toBe("&guide=2");
  });
  it("ignores a guide step that does not exist", () => {
    for (const q of ["?guide=0", `?guide=${GUIDE.length + 1}`, "?guide=abc", "?guide=1.5", ""]) {
      expect(guideStepOf(q)).toBeNull();
      expect(guideQuery(q)).toBe(q);
      expect(guideSuffix(q)).toBe("");
    }
  });
  it("every step's state is valid (no URL problems) and says what to do, what to look for and asks a question", () => {
    for (const [i, step] of GUIDE.entries()) {
      expect(urlProblems(`?${step.query}`), `step ${i + 1}`).toEqual([]);
      expect(step.question.endsWith("?"), `step ${i + 1}`).toBe(true);
      for (const text of [step.todo, step.look]) expect(text.length, `step ${i + 1}`).toBeGreaterThan(40);
    }
  });
  it("experiment 1 is the lab's: 3 µA/cm² on [10, 20) ms, 50 ms, forward Euler at dt 0.025 ms, two spikes as step 1 says", () => {
    const s = fromQuery(GUIDE[0]?.query ?? "");
    expect(s).toEqual(defaultState());
    expect(GUIDE[0]?.question).toContain("2 spikes");
    expect(simulate(runSpec(s)).spikes.count[0]).toBe(2);
  });
  it("step 4 opens the paired pulses on the lab's experiment-1 settings", () => {
    const s = fromQuery(GUIDE[3]?.query ?? "");
    expect(s.view).toBe("paired");
    expect({ ...s, view: "lab" }).toEqual(defaultState());
  });
  it("step 2 starts below the threshold (no spike at 0.1 µA/cm²) and a full spike comes within a few notches", () => {
    const s = fromQuery(GUIDE[1]?.query ?? "");
    expect(simulate(runSpec(s)).spikes.count[0]).toBe(0);
    expect(simulate(runSpec({ ...s, amplitude: 0.5 })).spikes.count[0]).toBe(1);
  });
  it("step 5's claim holds: forward Euler and rk45 (the view's tolerances) differ by one spike at many amplitudes, never more", () => {
    const s = fromQuery(GUIDE[5]?.query ?? "");
    const run = (method: string) =>
      fiCurve({
        model: s.model,
        amplitudes: Array.from(linspace(s.fi.from, s.fi.to, s.fi.count)),
        start_ms: s.fi.start,
        stop_ms: s.fi.stop,
        duration_ms: s.fi.duration,
        dt_ms: s.dt,
        method,
      }).spike_counts;
    const euler = run(s.method);
    const accurate = run(s.fi.overlayMethod);
    const diff = Array.from(euler, (c, i) => Math.abs(c - (accurate[i] as number)));
    expect(Math.max(...diff)).toBe(1);
    expect(diff.filter((d) => d === 1).length).toBeGreaterThanOrEqual(10);
  });
});
