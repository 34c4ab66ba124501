/**
 * GHK channels in the dynamics (field.ts): a GHK current P·open·GHK(V, C_in) in place of g·open·(V − E). The field is
 * the simulator's right-hand side, its Jacobian (dGHK/dV and ∂GHK/∂cai included) equals central differences of the
 * simulator's own derivative, an equilibrium zeroes that derivative, and the diagram's Hopf point is where rest stops
 * being stable in a simulation of the simulator's derivative.
 */
import { describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { equilibria } from "../src/dynamics/equilibria.js";
import { vectorField } from "../src/dynamics/field.js";
import { phasePlane } from "../src/dynamics/phasePlane.js";
import { membraneSystem, stepCurrent } from "../src/index.js";
import { modelFromArgument, readModelFile } from "../src/io/modelFile.js";
import type { NeuronModel } from "../src/models/types.js";
import { centralColumn } from "./helpers/centralDifference.js";

const ghk = readModelFile(new URL("./fixtures/models/hh-ghk-calcium.json", import.meta.url).pathname);
/** The same channels with a fixed inside calcium (no pool): the GHK current reads inside_mM. */
const fixed: NeuronModel = {
  ...ghk,
  name: "hh-ghk-calcium-fixed",
  ions: { ca: { charge: 2, outside_mM: 2, inside_mM: 1e-4 } },
};

/** The simulator's right-hand side at constant current I. */
const simulatorRhs = (model: NeuronModel, I: number) => {
  const sys = membraneSystem({ model, n: 1, stimulus: stepCurrent({ amplitude: I, start: 0, stop: 1e9 }, 1) });
  return { names: sys.names, f: (x: ArrayLike<number>, out: Float64Array) => sys.derivatives(1, x as Float64Array, out) };
};

describe.each([
  ["hh-ghk-calcium (GHK CaT feeding a cai pool)", ghk, 7],
  ["its variant with a fixed inside calcium", fixed, 6],
])("%s", (_name, model, n) => {
  it("the field is the simulator's right-hand side at 20 states (relative 1e-12)", () => {
    const I = 3;
    const field = vectorField(model, { I });
    const sim = simulatorRhs(model, I);
    expect(field.n).toBe(n);
    expect(field.names).toEqual(sim.names);
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    for (let k = 0; k < 20; k++) {
      // V from −90 to +43 mV (V = 0 and near it included: GHK's removable singularity), cai from 2e-5 to 1.2e-3 mM
      const x = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -90 + 7 * k : i === 6 ? 2e-5 * (1 + 3 * k) : (0.05 * (k + i)) % 1));
      field.rhs(x, a);
      sim.f(x, b);
      for (let i = 0; i < n; i++)
        expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b[i] as number)));
    }
  });
  it("its Jacobian equals central differences of the simulator's derivative (relative 1e-6), dGHK/dV and ∂/∂cai included", () => {
    const field = vectorField(model, { I: 1 });
    const sim = simulatorRhs(model, 1);
    const J = new Float64Array(n * n);
    const fp = new Float64Array(n);
    const fm = new Float64Array(n);
    let worst = 0;
    for (const x of [field.steadyState(-40), field.steadyState(10), Float64Array.from([-50, 0.1, 0.5, 0.3, 0.2, 0.6, 3e-4].slice(0, n))]) {
      field.jacobian(x, J);
      for (let j = 0; j < n; j++) {
        // the field is linear in cai (GHK is linear in C_in, the pool's equation in I_Ca): a step of half of cai has
        // no truncation error and the least rounding error
        const h = j === 0 ? 1e-4 : j === 6 ? 0.5 * (x[j] as number) : 1e-5;
        const column = centralColumn((y, out) => sim.f(y, out), x, j, h, fp, fm);
        for (let i = 0; i < n; i++) {
          const fd = column[i] as number;
          const d = Math.abs(fd - (J[i * n + j] as number));
          // the difference's rounding error, 4·ε·|f|/h: it dominates a small entry of a large row (∂(dV/dt)/∂mc is
          // 1.6e-6 beside dV/dt = −2354 mV/ms at V = 10)
          const rounding = (4 * Number.EPSILON * Math.max(Math.abs(fp[i] as number), Math.abs(fm[i] as number))) / h;
          expect(d).toBeLessThanOrEqual(1e-6 * Math.abs(fd) + rounding);
          if (fd !== 0 && rounding < 1e-9 * Math.abs(fd)) worst = Math.max(worst, d / Math.abs(fd));
        }
      }
      if (n === 7) {
        // the GHK current reads cai: ∂(dV/dt)/∂cai = −P·open·z·F/exprel(−u)/Cm, and d cai/dt reads the CaT gates
        expect(J[6]).toBeLessThan(0);
        expect(J[6 * n + 4]).not.toBe(0);
      }
    }
    // where rounding is negligible (< 1e-9 of the entry): measured worst relative difference 3.3e-9 (both models)
    expect(worst).toBeLessThan(1e-6);
  });
  it("an equilibrium zeroes the simulator's derivative (1e-10), and the GHK current is part of it", () => {
    for (const I of [0, 5]) {
      const field = vectorField(model, { I });
      const eq = equilibria(field)[0];
      expect(eq?.stable).toBe(true);
      const rest = eq?.state as Float64Array;
      const f = new Float64Array(n);
      simulatorRhs(model, I).f(rest, f);
      for (const y of f) expect(Math.abs(y)).toBeLessThanOrEqual(1e-10);
      // without the GHK current (PCaT = 0) rest is elsewhere (measured 3.0e-3 mV away, 3e7 times the 1e-10 above)
      const off = equilibria(vectorField(model, { I, PCaT: 0 }))[0]?.state as Float64Array;
      expect(Math.abs((off[0] as number) - (rest[0] as number))).toBeGreaterThan(1e-3);
    }
  });
});

/** The largest |V − V*| over the last 20 % of an RK4 run (dt 0.01 ms) of the simulator's derivative from 0.2 mV off rest V*. */
function excursion(model: NeuronModel, I: number, duration_ms: number): number {
  const rest = equilibria(vectorField(model, { I }))[0]?.state as Float64Array;
  const { f } = simulatorRhs(model, I);
  const n = rest.length;
  const x = rest.slice();
  x[0] = (rest[0] as number) + 0.2;
  const k = [0, 1, 2, 3].map(() => new Float64Array(n));
  const y = new Float64Array(n);
  const dt = 0.01;
  let worst = 0;
  const steps = Math.round(duration_ms / dt);
  for (let s = 0; s < steps; s++) {
    f(x, k[0] as Float64Array);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + 0.5 * dt * ((k[0] as Float64Array)[i] as number);
    f(y, k[1] as Float64Array);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + 0.5 * dt * ((k[1] as Float64Array)[i] as number);
    f(y, k[2] as Float64Array);
    for (let i = 0; i < n; i++) y[i] = (x[i] as number) + dt * ((k[2] as Float64Array)[i] as number);
    f(y, k[3] as Float64Array);
    for (let i = 0; i < n; i++) {
      const [a, b, c, d] = k.map((v) => v[i] as number) as [number, number, number, number];
      x[i] = (x[i] as number) + (dt / 6) * (a + 2 * b + 2 * c + d);
    }
    if (s > 0.8 * steps) worst = Math.max(worst, Math.abs((x[0] as number) - (rest[0] as number)));
  }
  return worst;
}

describe("NEURON's cachan cell (hh.mod and cachan.mod's GHK current, fixed cai)", () => {
  const cell = modelFromArgument(new URL("./fixtures/nmodl/ghk/hh-cachan.cell.json", import.meta.url).pathname) as NeuronModel;
  it("its Hopf point is where rest stops being stable: a perturbation decays 0.1 µA/cm² below it and grows into spikes 0.1 above", () => {
    const h = bifurcationDiagram(cell, { from: 0, to: 20 }).points.find((p) => p.name === "Hopf (subcritical)")?.p as number;
    // measured: 8.1805 with the GHK current, 9.7493 without (Pcachan = 0: hh.mod alone)
    const without = bifurcationDiagram(cell, { from: 0, to: 20, parameters: { Pcachan: 0 } }).points.find((p) => p.name.startsWith("Hopf"));
    expect(Math.abs(h - (without?.p as number))).toBeGreaterThan(0.1);
    expect(excursion(cell, h - 0.1, 1000)).toBeLessThan(0.2);
    expect(excursion(cell, h + 0.1, 1000)).toBeGreaterThan(50);
  }, 120_000);
});

describe("hh-ghk-calcium's diagram", () => {
  const d = bifurcationDiagram(ghk, { from: 0, to: 15 });
  const hopf = d.points.filter((p) => p.name.startsWith("Hopf"));

  it("has one Hopf point (subcritical), moved by the GHK current from where it is with PCaT = 0", () => {
    expect(d.assumptions).toEqual([]);
    expect(hopf.map((p) => p.name)).toEqual(["Hopf (subcritical)"]);
    const without = bifurcationDiagram(ghk, { from: 0, to: 15, parameters: { PCaT: 0 } }).points.find((p) => p.name.startsWith("Hopf"));
    // measured: 9.7233 with the GHK current, 9.7493 without (hh1952 at 6.3 °C)
    expect(Math.abs((hopf[0]?.p as number) - (without?.p as number))).toBeGreaterThan(0.01);
  }, 120_000);
  it("a perturbation of rest decays 0.1 µA/cm² below the Hopf point and grows into spikes 0.1 above it (simulation of the simulator's derivative)", () => {
    const h = hopf[0]?.p as number;
    expect(excursion(ghk, h - 0.1, 1000)).toBeLessThan(0.2);
    expect(excursion(ghk, h + 0.1, 1000)).toBeGreaterThan(50);
  }, 120_000);
  it("the phase plane (V, n) reduces the other states, cai included, to their steady state: finite nullclines and rest on them", () => {
    const field = vectorField(ghk, { I: 0 });
    const p = phasePlane(field, { x: "V", y: "n", xRange: [-90, 40], yRange: [0, 1], grid: 40, arrows: 5 });
    expect(p.reduction).toContain("cai = cai∞(V)");
    expect(p.xNullcline.length).toBeGreaterThan(0);
    expect(p.yNullcline.length).toBeGreaterThan(0);
    const rest = equilibria(field)[0]?.state as Float64Array;
    expect(p.fixedPoints.some((q) => Math.abs(q.x - (rest[0] as number)) < 1e-3)).toBe(true);
  }, 60_000);
});
