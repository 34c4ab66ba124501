import { describe, expect, it } from "vitest";
import { euler, eulerIntegrate, integrate, type OdeSystem, type Stepper } from "../src/index.js";

const decay: OdeSystem = {
  size: 1,
  derivatives: (_t, y, dy) => {
    dy[0] = -(y[0] as number) / 2;
  },
};

const errorAt10ms = (make: (s: OdeSystem) => Stepper, dt: number) => {
  const y = Float64Array.of(1);
  const s = make(decay);
  for (let k = 0, n = Math.round(10 / dt); k < n; k++) s.step(k * dt, dt, y);
  return Math.abs((y[0] as number) - Math.exp(-5));
};

describe("the generic integrator", () => {
  it("halving dt halves the forward Euler error (order 1)", () => {
    expect(Math.log2(errorAt10ms(euler, 0.01) / errorAt10ms(euler, 0.005))).toBeCloseTo(1, 1);
  });

  it("eulerIntegrate reproduces the notebook's RC example: x' = −x/τ + I(t)", () => {
    const tau = 10;
    const I = (t: number) => (t >= 10 && t < 20 ? 1 : 0);
    const t = Array.from({ length: 3001 }, (_, k) => k * 0.01);
    const x = eulerIntegrate((tt, xx) => [-(xx[0] as number) / tau + I(tt)], [0], t);
    // exact: charges for 10 ms towards τ·I = 10, then decays for 10 ms
    const exact = 10 * (1 - Math.exp(-1)) * Math.exp(-1);
    expect(Math.abs((x[3000]![0] as number) - exact)).toBeLessThan(2e-3);
  });

  it("rejects a time grid that does not increase", () => {
    expect(() => integrate(decay, [1], [0, 1, 1])).toThrow("times[2] (ms) must be greater than times[1] = 1; got 1");
  });
});
