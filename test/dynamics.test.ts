import { describe, expect, it } from "vitest";
import { cyclesFromHopf, cyclesFromOrbit } from "../src/dynamics/cycles.js";
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { type EquilibriumBifurcation, equilibriumBranch, family } from "../src/dynamics/equilibriumBranch.js";
import { vectorField } from "../src/dynamics/field.js";
import { orbitBySimulation, upwardCrossings } from "../src/dynamics/orbit.js";
import { hh1952, lab, membraneSystem, morrisLecar, morrisLecarSnlc, passive, rheobase, stepCurrent } from "../src/index.js";

const hopfs = (b: readonly EquilibriumBifurcation[]) => b.filter((x) => x.kind === "hopf");
const folds = (b: readonly EquilibriumBifurcation[]) => b.filter((x) => x.kind === "fold").map((x) => x.point.p);
/** x rounded to s significant figures. */
const sig = (x: number, s: number) => Number(x.toPrecision(s));

describe("the vector field is the simulator's right-hand side", () => {
  it.each([
    ["hh1952", hh1952, { celsius: 16.3 }],
    ["morris-lecar", morrisLecar, {}],
    ["lab", lab, {}],
  ] as const)("%s: f(x) equals membraneSystem's derivatives at 20 states", (_n, model, params) => {
    const I = 3.7;
    const field = vectorField(model, { ...params, I });
    const sys = membraneSystem({ model, n: 1, stimulus: stepCurrent({ amplitude: I, start: 0, stop: 1e9 }, 1), parameters: params });
    const a = new Float64Array(field.n);
    const b = new Float64Array(field.n);
    for (let k = 0; k < 20; k++) {
      const x = Float64Array.from({ length: field.n }, (_, i) => (i === 0 ? -90 + 7 * k : (0.05 * (k + i)) % 1));
      field.rhs(x, a);
      sys.derivatives(1, x, b);
      for (let i = 0; i < field.n; i++) expect(a[i]).toBeCloseTo(b[i] as number, 10);
    }
  });
});

// Classic HH at 6.3 °C. The published values use the 1952 leak reversal that puts rest exactly at the origin,
// V_L = 10.599 mV (Rinzel & Miller 1980, Math Biosci 49:27–59; Guckenheimer & Labouriau 1993, Bull Math Biol
// 55:937–952): in spikelab's convention (rest at −65 mV) E_L = −54.401 mV; hh.mod's −54.3 moves every current by
// gL·0.101 = 0.03 µA/cm² (Hopf 9.749 instead of 9.780).
// SOURCES: the published values (Hendrick's computer-assisted enclosures of both Hopf points, and the fold of cycles,
// its period and the minimum frequency 50.3 Hz) are quoted and asserted in dynamics.literature.test.ts. This file
// checks the same points against simulation: spikelab's fold has T = 19.895 ms (50.26 Hz), and the simulated ISI
// just above the fold matches it within 2 % (below).
describe("hh1952 at 6.3 °C (E_L = −54.401 mV)", () => {
  const params = { EL: -54.401 };
  const b = equilibriumBranch(hh1952, { from: 0, to: 200, parameters: params });
  const [h1, h2] = hopfs(b.bifurcations);
  const fam = family(hh1952, "I", params);
  const cycles = h1?.kind === "hopf" ? cyclesFromHopf(fam, { ...h1.point, omega_per_ms: h1.omega_per_ms }, { range: [0, 200] }) : undefined;
  const lpc = cycles?.folds.find((f) => f.stable || f.p < 7);

  it("rests at −65.000 mV with no current", () => {
    expect(b.points[0]?.V_mV).toBeCloseTo(-65, 3);
  });
  it("loses stability at a subcritical Hopf point at 9.780 µA/cm² and regains it at a supercritical one at 154.5 (Rinzel & Miller 1980)", () => {
    expect(h1?.kind === "hopf" && sig(h1.point.p, 4)).toBe(9.78);
    expect(h1?.kind === "hopf" && h1.criticality).toBe("subcritical");
    expect(h2?.kind === "hopf" && sig(h2.point.p, 4)).toBe(154.5);
    expect(h2?.kind === "hopf" && h2.criticality).toBe("supercritical");
  });
  it("locates the Hopf point to 1e-6 relative whatever the continuation's step", () => {
    const fine = equilibriumBranch(hh1952, { from: 0, to: 20, parameters: params, maxStep: 0.37 });
    const [f1] = hopfs(fine.bifurcations);
    expect(Math.abs((f1?.point.p as number) - (h1?.point.p as number)) / (h1?.point.p as number)).toBeLessThan(1e-6);
  });
  it("has its fold of limit cycles (onset of repetitive firing) at 6.26 µA/cm² (Rinzel & Miller 1980)", () => {
    expect(lpc).toBeDefined();
    expect(sig(lpc?.p as number, 3)).toBe(6.26);
    // measured 6.26452 with 40 segments and with 20; period 19.895 ms (50.26 Hz)
  });
  it("keeps firing just above the fold when started on the cycle, and stops just below it (RK4 simulation, dt 0.01 ms)", () => {
    const p = lpc?.p as number;
    const start = lpc?.state as Float64Array;
    const above = upwardCrossings(vectorField(hh1952, { ...params, I: p + 0.02 }), start, 1500, 0.01);
    const below = upwardCrossings(vectorField(hh1952, { ...params, I: p - 0.02 }), start, 1500, 0.01);
    expect(above.filter((t) => t > 1000).length).toBeGreaterThan(20);
    expect(below.filter((t) => t > 1000)).toHaveLength(0);
    // the simulated frequency just above the fold is the cycle's minimum frequency within 2 %
    // (at 1e-4 above the fold, where the square-root change of the period is about 0.2 %)
    const at = upwardCrossings(vectorField(hh1952, { ...params, I: p + 1e-4 }), start, 600, 0.01);
    const isi = (at.at(-1) as number) - (at.at(-2) as number);
    expect(Math.abs(isi - (lpc?.period_ms as number)) / (lpc?.period_ms as number)).toBeLessThan(0.02);
  });
  it("the stable cycle branch ends at the second Hopf point", () => {
    expect(cycles?.end.kind).toBe("hopf");
    expect(Math.abs((cycles?.end.p as number) - (h2?.point.p as number))).toBeLessThan(10);
  });
}, 120_000);

// Morris–Lecar with the parameters of Ermentrout & Terman 2010 (Mathematical Foundations of Neuroscience), Table 3.1,
// as in src/models/morrisLecar.ts: Cm 20, gL 2, gK 8, EL −60, EK −84, ECa 120, V1 −1.2, V2 18; Hopf set gCa 4.4, V3 2,
// V4 30, φ 0.04; SNLC set gCa 4, V3 12, V4 17.4, φ 1/15. The parameter sets were checked against two independent
// transcriptions of that table: Heitmann's Brain Dynamics Toolbox (breakspear/bdtoolkit, models/MorrisLecar.m, presets
// "Hopf" and "SNLC", citing E&T Table 3.1; its SNLC φ is 0.067) and PyDSTool's examples PyCont_MorrisLecar_TypeI/II.py
// (robclewley/pydstool, after Fall et al., Computational Cell Biology; type-I φ 0.066).
// SOURCES OF THE BIFURCATION CURRENTS: the Hopf set's two Hopf points are asserted against MatCont's published demo
// output in dynamics.literature.test.ts (93.857614 and 212.018815, both subcritical). The book's and Rinzel &
// Ermentrout's (1989) numbers could not be read from any text reachable to us, and no reachable source printed the
// fold of cycles of the Hopf set or the SNLC set's saddle-node (the searches are listed in that file). So each point
// is also checked here against an independent computation: the equations written out by hand below (not through
// spikelab's model code), whose equilibria satisfy w = w∞(V), I = I∞(V) explicitly, so a Hopf point is where the
// trace of the 2×2 Jacobian vanishes (with det > 0) and a saddle-node where det = 0, both found by bisection in V;
// the fold of cycles by simulation (bistability below it, firing just above it). spikelab computes 93.8576 (Hopf),
// 88.2933 (fold of cycles, T 135.4 ms) and 39.9632 (SNIC).
interface MlSet {
  gCa: number;
  V3: number;
  V4: number;
  phi: number;
}
const ML = { C: 20, gL: 2, gK: 8, EL: -60, EK: -84, ECa: 120, V1: -1.2, V2: 18 };
const mlHopfSet: MlSet = { gCa: 4.4, V3: 2, V4: 30, phi: 0.04 };
const mlSnlcSet: MlSet = { gCa: 4, V3: 12, V4: 17.4, phi: 1 / 15 };
/** The equilibrium at V of the hand-written Morris–Lecar equations: its current I∞(V) and the trace and determinant of J. */
function mlAt(s: MlSet, V: number) {
  const m = 0.5 * (1 + Math.tanh((V - ML.V1) / ML.V2));
  const dm = 0.5 / ML.V2 / Math.cosh((V - ML.V1) / ML.V2) ** 2;
  const w = 0.5 * (1 + Math.tanh((V - s.V3) / s.V4));
  const dw = 0.5 / s.V4 / Math.cosh((V - s.V3) / s.V4) ** 2;
  const lam = s.phi * Math.cosh((V - s.V3) / (2 * s.V4));
  const I = s.gCa * m * (V - ML.ECa) + ML.gK * w * (V - ML.EK) + ML.gL * (V - ML.EL);
  const a = -(s.gCa * dm * (V - ML.ECa) + s.gCa * m + ML.gK * w + ML.gL) / ML.C; // ∂f_V/∂V
  const b = -(ML.gK * (V - ML.EK)) / ML.C; // ∂f_V/∂w
  const c = lam * dw; // ∂f_w/∂V (w = w∞ there)
  const d = -lam; // ∂f_w/∂w
  return { I, trace: a + d, det: a * d - b * c };
}
/** A root of g on [lo, hi] by bisection (g changes sign there). */
function bisect(g: (v: number) => number, lo: number, hi: number): number {
  let glo = g(lo);
  for (let k = 0; k < 100; k++) {
    const mid = 0.5 * (lo + hi);
    const gm = g(mid);
    if (gm * glo > 0) {
      lo = mid;
      glo = gm;
    } else hi = mid;
  }
  return 0.5 * (lo + hi);
}

describe("Morris–Lecar", () => {
  it("Hopf set: a subcritical Hopf point where the hand-written equations' trace vanishes (to 1e-6), and the fold of cycles below it (class II)", () => {
    const b = equilibriumBranch(morrisLecar, { from: 0, to: 150 });
    const [h] = hopfs(b.bifurcations);
    const vH = bisect((v) => mlAt(mlHopfSet, v).trace, -40, -10);
    const ref = mlAt(mlHopfSet, vH);
    expect(ref.det).toBeGreaterThan(0);
    expect(h?.kind === "hopf" && Math.abs(h.point.p - ref.I) / ref.I).toBeLessThan(1e-6);
    expect(h?.point.V_mV).toBeCloseTo(vH, 4);
    expect(hopfs(b.bifurcations)).toHaveLength(1);
    expect(folds(b.bifurcations)).toHaveLength(0);
    expect(h?.kind === "hopf" && h.criticality).toBe("subcritical");
    const c =
      h?.kind === "hopf"
        ? cyclesFromHopf(family(morrisLecar, "I"), { ...h.point, omega_per_ms: h.omega_per_ms }, { range: [0, 150] })
        : undefined;
    const fold = c?.folds[0];
    // the branch turns back below the Hopf point (subcritical): the fold lies below it, where rest is still stable
    expect((fold?.p as number) < (h?.point.p as number) - 1).toBe(true);
    // simulation: started on the stable cycle at the fold, 1 µA/cm² above it keeps firing and 1 below stops
    const x = fold?.state as Float64Array;
    expect(
      upwardCrossings(vectorField(morrisLecar, { I: (fold?.p as number) + 1 }), x, 3000, 0.05, 0).filter((t) => t > 2000).length,
    ).toBeGreaterThan(3);
    expect(
      upwardCrossings(vectorField(morrisLecar, { I: (fold?.p as number) - 1 }), x, 3000, 0.05, 0).filter((t) => t > 2000),
    ).toHaveLength(0);
  }, 120_000);

  it("SNLC set: saddle-nodes where the hand-written equations' determinant vanishes (to 1e-6), the lower one on the invariant circle", () => {
    const b = equilibriumBranch(morrisLecarSnlc, { from: 0, to: 150 });
    const sn = folds(b.bifurcations);
    // I∞(V) is N-shaped: det = 0 at its local maximum (the knee of the rest branch) and its local minimum
    const vKnee = bisect((v) => mlAt(mlSnlcSet, v).det, -40, -15);
    const vLow = bisect((v) => mlAt(mlSnlcSet, v).det, -15, 10);
    const iKnee = mlAt(mlSnlcSet, vKnee).I;
    const iLow = mlAt(mlSnlcSet, vLow).I;
    expect(sn).toHaveLength(2);
    expect(Math.abs((sn[0] as number) - iKnee) / iKnee).toBeLessThan(1e-6);
    expect(Math.abs((sn[1] as number) - iLow) / Math.abs(iLow)).toBeLessThan(1e-6);
    const [h] = hopfs(b.bifurcations);
    const c =
      h?.kind === "hopf"
        ? cyclesFromHopf(family(morrisLecarSnlc, "I"), { ...h.point, omega_per_ms: h.omega_per_ms }, { range: [0, 150], saddleNodes: sn })
        : undefined;
    expect(c?.end.kind).toBe("snic");
    expect(Math.abs((c?.end.p as number) - iKnee) / iKnee).toBeLessThan(1e-6);
  }, 120_000);
});

describe("the lab model (type I)", () => {
  const b = equilibriumBranch(lab, { from: -1, to: 5 });
  // the middle branch turns back far below the range: only the folds inside it count
  const sn = folds(b.bifurcations).filter((p) => p > -1 && p < 5);
  const fam = family(lab, "I");
  const I0 = 0.5;
  const sim = orbitBySimulation(vectorField(lab, { I: I0 }), Float64Array.from(b.points[0]?.state ?? []));
  const c = sim ? cyclesFromOrbit(fam, { ...sim, p: I0 }, -1, { range: [-1, 5], saddleNodes: sn, maxPeriod_ms: 600 }) : "no orbit";

  it("has one saddle-node of equilibria near 0.014 µA/cm² and no Hopf point below 5", () => {
    expect(sn).toHaveLength(1);
    expect(sig(sn[0] as number, 2)).toBe(0.014);
    expect(hopfs(b.bifurcations)).toHaveLength(0);
  });
  it("its cycle's period diverges at the saddle-node: a SNIC, with period·√(I − I_SN) tending to a constant", () => {
    expect(typeof c).toBe("object");
    if (typeof c === "string") return;
    expect(c.end.kind).toBe("snic");
    const isn = sn[0] as number;
    const near = c.points.filter((q) => q.p - isn < 4e-3 && q.p > isn);
    expect(near.length).toBeGreaterThan(3);
    const k = near.map((q) => q.period_ms * Math.sqrt(q.p - isn));
    const last = k.slice(-3);
    expect((Math.max(...last) - Math.min(...last)) / Math.min(...last)).toBeLessThan(0.05);
  });
  it("the SNIC is at the long-step rheobase found by simulation (to 1 %)", () => {
    const r = rheobase({
      model: "lab",
      start_ms: 10,
      stop_ms: 3010,
      duration_ms: 3010,
      dt_ms: 0.025,
      tolerance_uA_per_cm2: 1e-5,
      max_uA_per_cm2: 1,
    });
    const isn = sn[0] as number;
    expect(Math.abs((r.rheobase_uA_per_cm2 as number) - isn) / isn).toBeLessThan(0.01);
  });
}, 180_000);

describe("the lab model's whole diagram on 0–200 µA/cm²", () => {
  it("its cycle branch runs from the SNIC to the supercritical Hopf point near 85: nothing is reported missing", () => {
    const d = bifurcationDiagram(lab, { from: 0, to: 200 });
    const hopf = d.points.find((q) => q.name === "Hopf (supercritical)");
    expect(hopf?.p).toBeGreaterThan(80);
    const snic = d.cycles.find((c) => c.end.kind === "hopf");
    expect(snic?.origin).toMatch(/^orbit at I = /);
    expect(Math.abs((snic?.end.p as number) - (hopf?.p as number))).toBeLessThan(2);
    expect(d.notes).toEqual([]);
    expect(d.excitability.class).toBe("class 1 (SNIC)");
  }, 120_000);
});

describe("continuation in a parameter other than the current", () => {
  it("hh1952 in gK at the current of its Hopf point in I finds the same Hopf point at gK = 36 (to 1e-6)", () => {
    const params = { EL: -54.401 };
    const inI = equilibriumBranch(hh1952, { from: 0, to: 20, parameters: params });
    const [hI] = hopfs(inI.bifurcations);
    const I = hI?.point.p as number;
    const inGK = equilibriumBranch(hh1952, { parameter: "gK", from: 30, to: 40, parameters: { ...params, I } });
    expect(inGK.complete).toBe(true);
    const [hK] = hopfs(inGK.bifurcations);
    expect(hK?.kind).toBe("hopf");
    expect(Math.abs((hK?.point.p as number) - 36) / 36).toBeLessThan(1e-6);
    expect(hK?.point.V_mV).toBeCloseTo(hI?.point.V_mV as number, 5);
    expect(hK?.kind === "hopf" && hI?.kind === "hopf" && hK.omega_per_ms).toBeCloseTo(hI?.kind === "hopf" ? hI.omega_per_ms : 0, 8);
  });
});

describe("a branch of cycles that ends at a homoclinic orbit", () => {
  // Morris–Lecar with the "homoclinic" set of Ermentrout & Terman 2010, Table 3.1: the SNLC set with φ = 0.23
  // (bdtoolkit's MorrisLecar.m preset "Homoclinic"). The stable cycle's period grows without bound at a current
  // where the saddle still exists (between the two saddle-nodes), not at a saddle-node: a saddle homoclinic orbit.
  const parameters = { phi: 0.23 };
  const b = equilibriumBranch(morrisLecarSnlc, { from: 0, to: 150, parameters });
  const sn = folds(b.bifurcations);
  const [h] = hopfs(b.bifurcations);
  const c =
    h?.kind === "hopf"
      ? cyclesFromHopf(
          family(morrisLecarSnlc, "I", parameters),
          { ...h.point, omega_per_ms: h.omega_per_ms },
          {
            range: [0, 150],
            saddleNodes: sn,
            maxPeriod_ms: 300,
          },
        )
      : undefined;
  it("is named homoclinic, away from both saddle-nodes, with the period past 300 ms", () => {
    expect(c?.end.kind).toBe("homoclinic");
    const p = c?.end.p as number;
    expect(p).toBeGreaterThan(Math.min(...sn) + 1);
    expect(p).toBeLessThan(Math.max(...sn) - 1);
    expect(c?.points.at(-1)?.period_ms).toBeGreaterThan(300);
    expect(c?.stop).toMatch(/away from any saddle-node: the orbit approaches a homoclinic orbit/);
  });
  it("simulation: from the last orbit, 0.5 µA/cm² above the end it keeps firing, 0.5 below it settles to rest", () => {
    const p = c?.end.p as number;
    const x = c?.points.at(-1)?.state as Float64Array;
    const late = (I: number) =>
      upwardCrossings(vectorField(morrisLecarSnlc, { ...parameters, I }), x, 3000, 0.05, 0).filter((t) => t > 2000);
    expect(late(p + 0.5).length).toBeGreaterThan(3);
    expect(late(p - 0.5)).toHaveLength(0);
  });
});

describe("bad input", () => {
  it("a range without an equilibrium at its start says where", () => {
    expect(() => equilibriumBranch(hh1952, { from: 1e6, to: 2e6 })).toThrow(/no equilibrium of model "hh1952" at I = 1000000/);
  });
  it("an unknown parameter names the allowed ones", () => {
    expect(() => equilibriumBranch(hh1952, { parameter: "gFoo", from: 0, to: 1 })).toThrow(/parameter must be one of I, Cm, celsius, gNa/);
  });
  it("a singular Jacobian at the start (no conductance depends on V: every V is an equilibrium) stops with where and why, keeping the point", () => {
    const b = equilibriumBranch(passive, { from: 0, to: 10, parameters: { gL: 0 } });
    expect(b.complete).toBe(false);
    expect(b.points).toHaveLength(1);
    expect(b.stop).toMatch(
      /^the Jacobian is singular at the first equilibrium \(I = 0, V = -?\d+\.\d{3} mV\): the equilibrium is not isolated there .*only that point was computed$/,
    );
  });
  it("a cycle branch that cannot be continued (3 shooting segments) says where and why, keeping its orbits", () => {
    const params = { EL: -54.401 };
    const eq = equilibriumBranch(hh1952, { from: 0, to: 20, parameters: params });
    const h = eq.bifurcations.find((x) => x.kind === "hopf");
    const c =
      h?.kind === "hopf"
        ? cyclesFromHopf(family(hh1952, "I", params), { ...h.point, omega_per_ms: h.omega_per_ms }, { range: [0, 20], segments: 3 })
        : undefined;
    expect(c?.end.kind).toBe("failed");
    expect(c?.stop).toMatch(
      /^the cycle branch could not be continued past I = 7\.9\d+ \(period 19\.\d+ ms\): Newton's method for the shooting equations did not converge on the orbit's new mesh \(3 segments; more segments may pass\); \d+ orbits were computed$/,
    );
    // what was computed is kept: the orbits from the Hopf point up to where it stopped
    expect(c?.points.length).toBeGreaterThan(20);
    const past = Number(/past I = ([\d.]+)/.exec(c?.stop ?? "")?.[1]);
    expect(Math.abs((c?.points.at(-1)?.p as number) - past)).toBeLessThan(1e-5);
    expect(c?.points.every((q) => q.p > 7.8 && q.p < 9.78)).toBe(true);
  }, 60_000);
  it("a branch that cannot go on stops with where and why, keeping what was computed", () => {
    const b = equilibriumBranch(hh1952, { from: 0, to: 50, maxSteps: 5 });
    expect(b.complete).toBe(false);
    expect(b.points.length).toBe(6);
    expect(b.stop).toMatch(/stopped after 5 steps/);
  });
});

describe("rhs and Jacobian in one pass", () => {
  it.each([
    ["hh1952", hh1952],
    ["morris-lecar", morrisLecar],
    ["lab", lab],
  ] as const)("%s: rhsJacobian equals rhs and jacobian to rounding at 20 states", (_n, model) => {
    const field = vectorField(model, { I: 3.7 });
    const n = field.n;
    const [f1, f2, J1, J2] = [new Float64Array(n), new Float64Array(n), new Float64Array(n * n), new Float64Array(n * n)];
    for (let k = 0; k < 20; k++) {
      const x = Float64Array.from({ length: n }, (_, i) => (i === 0 ? -90 + 7 * k : (0.05 * (k + i)) % 1));
      field.rhs(x, f1);
      field.jacobian(x, J1);
      field.rhsJacobian(x, f2, J2);
      for (let i = 0; i < n; i++) expect(f2[i]).toBeCloseTo(f1[i] as number, 12);
      expect(Array.from(J2)).toEqual(Array.from(J1));
    }
  });
});
