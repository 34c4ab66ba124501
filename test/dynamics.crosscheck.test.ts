import { describe, expect, it } from "vitest";
import { cyclesFromHopf } from "../src/dynamics/cycles.js";
import { equilibria } from "../src/dynamics/equilibria.js";
import { type EquilibriumBifurcation, equilibriumBranch, family } from "../src/dynamics/equilibriumBranch.js";
import { vectorField } from "../src/dynamics/field.js";
import { integrateField, upwardCrossings } from "../src/dynamics/orbit.js";
import { hh1952, morrisLecar, morrisLecarSnlc, type NeuronModel } from "../src/index.js";

// Each equilibrium bifurcation cross-checked by simulation (RK4 of the same equations, which
// test/dynamics.test.ts shows equal the simulator's right-hand side): the rest state's stability changes there.
const hopf = (b: readonly EquilibriumBifurcation[], k: number) => (b.filter((x) => x.kind === "hopf")[k] as EquilibriumBifurcation).point.p;

/** The largest |V − V*| over the last 20 % of a run started 0.2 mV off the equilibrium V* (the lowest one) at current I. */
function excursion(model: NeuronModel, params: Record<string, number>, I: number, duration: number, which = 0): number {
  const field = vectorField(model, { ...params, I });
  const eq = equilibria(field)[which];
  const x = Float64Array.from(eq?.state ?? []);
  const v0 = x[0] as number;
  x[0] = v0 + 0.2;
  let worst = 0;
  integrateField(field, x, duration, 0.02, (t, y) => {
    if (t > 0.8 * duration) worst = Math.max(worst, Math.abs((y[0] as number) - v0));
  });
  return worst;
}

describe("bifurcation points against simulation", () => {
  const params = { EL: -54.401 };
  const hh = equilibriumBranch(hh1952, { from: 0, to: 200, parameters: params });

  it("hh1952: a perturbation of rest decays 0.1 µA/cm² below the subcritical Hopf point and grows into spikes 0.1 above it", () => {
    const h = hopf(hh.bifurcations, 0);
    expect(excursion(hh1952, params, h - 0.1, 1000)).toBeLessThan(0.2);
    expect(excursion(hh1952, params, h + 0.1, 1000)).toBeGreaterThan(50);
  });
  it("hh1952: the equilibrium is stable 1 µA/cm² above the supercritical Hopf point and oscillates 1 below it", () => {
    const h = hopf(hh.bifurcations, 1);
    expect(excursion(hh1952, params, h + 1, 600)).toBeLessThan(0.05);
    expect(excursion(hh1952, params, h - 1, 600)).toBeGreaterThan(0.5);
  });
  it("Morris–Lecar (Hopf set): rest is stable 0.5 µA/cm² below its subcritical Hopf point and not 0.5 above", () => {
    const b = equilibriumBranch(morrisLecar, { from: 0, to: 150 });
    const h = hopf(b.bifurcations, 0);
    expect(excursion(morrisLecar, {}, h - 0.5, 3000)).toBeLessThan(0.2);
    expect(excursion(morrisLecar, {}, h + 0.5, 3000)).toBeGreaterThan(50);
  });
  it("Morris–Lecar (SNLC set): no firing 0.5 µA/cm² below the saddle-node, repetitive firing 0.5 above", () => {
    const b = equilibriumBranch(morrisLecarSnlc, { from: 0, to: 150 });
    const sn = b.bifurcations.find((x) => x.kind === "fold" && x.point.p > 0)?.point.p as number;
    // both start at the rest state below the saddle-node (above it there is none)
    const rest = Float64Array.from(equilibria(vectorField(morrisLecarSnlc, { I: sn - 0.5 }))[0]?.state ?? []);
    const below = upwardCrossings(vectorField(morrisLecarSnlc, { I: sn - 0.5 }), rest, 3000, 0.05, 0);
    const above = upwardCrossings(vectorField(morrisLecarSnlc, { I: sn + 0.5 }), rest, 3000, 0.05, 0);
    expect(below).toHaveLength(0);
    expect(above.length).toBeGreaterThan(3);
  });
  it("Morris–Lecar (SNLC set): the big cycle's fold at its upper end: 1 µA/cm² below it a run from the fold's cycle keeps firing, 1 above it stops", () => {
    const b = equilibriumBranch(morrisLecarSnlc, { from: 0, to: 150 });
    const sn = b.bifurcations.filter((x) => x.kind === "fold").map((x) => x.point.p);
    const h = b.bifurcations.find((x) => x.kind === "hopf");
    const c =
      h?.kind === "hopf"
        ? cyclesFromHopf(family(morrisLecarSnlc, "I"), { ...h.point, omega_per_ms: h.omega_per_ms }, { range: [0, 150], saddleNodes: sn })
        : undefined;
    // the branch leaves the upper equilibrium's subcritical Hopf point, folds above it, and ends at the SNIC
    const fold = c?.folds.find((f) => f.p > (h?.point.p as number));
    expect(fold).toBeDefined();
    const x = fold?.state as Float64Array;
    const late = (I: number) => upwardCrossings(vectorField(morrisLecarSnlc, { I }), x, 3000, 0.05, 0).filter((t) => t > 2000);
    expect(late((fold?.p as number) - 1).length).toBeGreaterThan(3);
    expect(late((fold?.p as number) + 1)).toHaveLength(0);
  });
}, 120_000);
