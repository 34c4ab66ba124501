import { describe, expect, it } from "vitest";
import { overlaidSeries } from "../src/cli/fiOverlay.js";
import { curveLabel, curveLabels, methodLabel } from "../src/display/curveLabel.js";
import type { FiResult } from "../src/experiments/fi.js";
import { methodNames } from "../src/integrators/registry.js";
import { DEFAULT_ATOL, DEFAULT_RTOL } from "../src/integrators/rk45.js";

describe("curveLabel: one name for a curve from its method and dt", () => {
  it("names fixed-step methods readably with dt in ms", () => {
    expect(curveLabel({ method: "euler", dt_ms: 0.025 })).toBe("forward Euler, dt 0.025 ms");
    expect(curveLabel({ method: "rk4", dt_ms: 0.01 })).toBe("RK4, dt 0.01 ms");
    expect(curveLabel({ method: "exp-euler", dt_ms: 0.05 })).toBe("exponential Euler, dt 0.05 ms");
    expect(curveLabel({ method: "backward-euler", dt_ms: 0.1 })).toBe("backward Euler, dt 0.1 ms");
  });
  it("names rk45 by its tolerances (defaults when left out), not its output grid", () => {
    expect(curveLabel({ method: "rk45", dt_ms: 0.025, rtol: 1e-10, atol: 1e-12 })).toBe("RK45, rtol 1e-10, atol 1e-12");
    expect(curveLabel({ method: "rk45" })).toBe(`RK45, rtol ${DEFAULT_RTOL}, atol ${DEFAULT_ATOL}`);
  });
  it("gives the method alone without dt, and keeps an unknown (extension) method's own name", () => {
    expect(curveLabel({ method: "euler" })).toBe("forward Euler");
    expect(curveLabel({ method: "my-method", dt_ms: 1 })).toBe("my-method, dt 1 ms");
  });
  it("has a readable name for every built-in method, each different", () => {
    const names = methodNames().map(methodLabel);
    expect(names.every((n, i) => n !== methodNames()[i])).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("curveLabels: legends of curves drawn together name what differs", () => {
  it("names an rk45 curve's output grid when it is compared with itself at another dt", () => {
    expect(
      curveLabels([
        { method: "rk45", dt_ms: 0.025 },
        { method: "rk45", dt_ms: 0.01 },
      ]),
    ).toEqual([
      `RK45, rtol ${DEFAULT_RTOL}, atol ${DEFAULT_ATOL}, output every 0.025 ms`,
      `RK45, rtol ${DEFAULT_RTOL}, atol ${DEFAULT_ATOL}, output every 0.01 ms`,
    ]);
  });
  it("keeps curveLabel's names where they already differ", () => {
    expect(
      curveLabels([
        { method: "euler", dt_ms: 0.025 },
        { method: "rk45", dt_ms: 0.025 },
      ]),
    ).toEqual(["forward Euler, dt 0.025 ms", `RK45, rtol ${DEFAULT_RTOL}, atol ${DEFAULT_ATOL}`]);
    expect(
      curveLabels([
        { method: "euler", dt_ms: 0.025 },
        { method: "euler", dt_ms: 0.01 },
      ]),
    ).toEqual(["forward Euler, dt 0.025 ms", "forward Euler, dt 0.01 ms"]);
  });
  it("numbers curves alike in every setting, so no two legends match", () => {
    expect(
      curveLabels([
        { method: "rk4", dt_ms: 0.01 },
        { method: "rk4", dt_ms: 0.01 },
      ]),
    ).toEqual(["RK4, dt 0.01 ms", "RK4, dt 0.01 ms (2)"]);
  });
});

describe("the CLI's f–I overlay figure (spikelab fi --overlay-dt-ms)", () => {
  it("labels an rk45 curve and its overlay at another dt apart", () => {
    const f = { amplitudes_uA_per_cm2: [0], spike_counts: [0], rates_Hz: [0] } as unknown as FiResult;
    const labels = overlaidSeries({ method: "rk45", dt_ms: 0.025 }, f, { method: "rk45", dt_ms: 0.05 }, f).map((s) => s.label);
    expect(labels).toEqual([
      `RK45, rtol ${DEFAULT_RTOL}, atol ${DEFAULT_ATOL}, output every 0.025 ms`,
      `RK45, rtol ${DEFAULT_RTOL}, atol ${DEFAULT_ATOL}, output every 0.05 ms`,
    ]);
    expect(
      overlaidSeries({ method: "euler", dt_ms: 0.025 }, f, { method: "rk45", dt_ms: 0.025, rtol: 1e-10 }, f).map((s) => s.label),
    ).toEqual(["forward Euler, dt 0.025 ms", `RK45, rtol 1e-10, atol ${DEFAULT_ATOL} (converged)`]);
  });
});
