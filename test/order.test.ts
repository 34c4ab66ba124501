import { describe, expect, it } from "vitest";
import { getMethod, membraneSystem, type NeuronModel, noStimulus, simulate } from "../src/index.js";

// A problem with a known solution that exercises gates and V: one channel, one gate x with constant
// rates α = 0.3, β = 0.1 /ms (an `exp` law with an infinite scale), starting closed; no injected current.
//   x(t) = x∞ + (x0 − x∞)e^(−st), s = α + β;  C dV/dt = −g·x(t)·(V − E)  ⇒  V − E = (V0 − E)·e^(−(g/C)∫x)
const constant = (rate: number) => ({ form: "exp" as const, rate, midpoint_mV: 0, scale_mV: 1e300 });
const toy: NeuronModel = {
  name: "toy",
  title: "one gate with constant rates",
  source: "test",
  cm_uF_per_cm2: 1,
  v0_mV: -65,
  channels: [{ name: "X", gMax_mS_per_cm2: 2, eRev_mV: 20, gates: [{ name: "x", power: 1, alpha: constant(0.3), beta: constant(0.1) }] }],
};
const toySystem = membraneSystem({ model: toy, n: 1, stimulus: noStimulus });
const T = 10;
const exactV = () => {
  const s = 0.4;
  const xInf = 0.75;
  const integralX = xInf * T - (xInf * (1 - Math.exp(-s * T))) / s;
  return 20 + (-65 - 20) * Math.exp(-2 * integralX);
};
const toyErrorAt10ms = (method: string, dt: number) => {
  const y = Float64Array.of(-65, 0);
  const stepper = getMethod(method).create(toySystem);
  for (let k = 0, n = Math.round(T / dt); k < n; k++) stepper.step(k * dt, dt, y);
  return Math.abs((y[0] as number) - exactV());
};

// Measured observed orders (log2 of the error ratio) are in the comments; the tolerance is ±0.15.
describe("observed order of accuracy on a problem with a known solution", () => {
  it.each([
    ["euler", 0.025, 1], // 0.952
    ["exp-euler", 0.025, 1], // 1.008
    ["backward-euler", 0.0125, 1], // 1.028
    ["rk4", 0.1, 4], // 4.082
  ] as const)("halving dt divides the %s error by about 2^order", (method, dt, order) => {
    const p = Math.log2(toyErrorAt10ms(method, dt) / toyErrorAt10ms(method, dt / 2));
    expect(Math.abs(p - order), `${method}: observed order ${p}`).toBeLessThan(0.15);
  });

  it("rk45's error follows its tolerance: ≤ 10·tol, and 100× tighter tolerances give ≥ 10× smaller errors", () => {
    // measured: tol 1e-4 → 1.0e-4 mV, 1e-6 → 3.2e-6, 1e-8 → 3.9e-8, 1e-10 → 3.7e-10
    const errors = [1e-4, 1e-6, 1e-8, 1e-10].map((tol) => {
      const y = Float64Array.of(-65, 0);
      getMethod("rk45").create(toySystem, { rtol: tol, atol: tol }).step(0, T, y);
      const e = Math.abs((y[0] as number) - exactV());
      expect(e, `tol ${tol}`).toBeLessThan(10 * tol);
      return e;
    });
    for (let k = 1; k < errors.length; k++) expect((errors[k - 1] as number) / (errors[k] as number)).toBeGreaterThan(10);
  });
});

describe("observed order of accuracy on the HH model (hh1952, 10 µA/cm² from 2 ms, 10 ms, one spike)", () => {
  const spec = (method: string, dt: number, extra = {}) => ({
    model: "hh1952",
    stimulus: { amplitude_uA_per_cm2: 10, start_ms: 2, stop_ms: 20 },
    duration_ms: 10,
    dt_ms: dt,
    method,
    record: { variables: ["V"], sample_ms: 0.1 },
    ...extra,
  });
  // reference: rk45 at rtol 1e-12, atol 1e-14, sampled every 0.1 ms by dense output
  const ref = simulate(spec("rk45", 0.1, { rtol: 1e-12, atol: 1e-14 })).traces.V![0]!;
  const maxError = (method: string, dt: number) => {
    const V = simulate(spec(method, dt)).traces.V![0]!;
    let e = 0;
    for (let k = 0; k < V.length; k++) e = Math.max(e, Math.abs((V[k] as number) - (ref[k] as number)));
    return e;
  };

  it.each([
    ["euler", 0.005, 1], // 0.982 (max |ΔV| 2.45 → 1.24 mV)
    ["exp-euler", 0.005, 1], // 0.959
    ["backward-euler", 0.005, 1], // 1.007
    ["rk4", 0.01, 4], // 4.145 (1.0e-4 → 5.9e-6 mV)
  ] as const)("halving dt divides the %s error in V by about 2^order", (method, dt, order) => {
    const p = Math.log2(maxError(method, dt) / maxError(method, dt / 2));
    expect(Math.abs(p - order), `${method}: observed order ${p}`).toBeLessThan(0.2);
  });
});
