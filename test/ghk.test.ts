import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { modelFromArgument, readModelFile } from "../src/io/modelFile.js";
import { parseExpr } from "../src/models/expr.js";
import { compileDerivative, dexprel } from "../src/models/exprDerivative.js";
import { ghkFactor, ghkFactorSlope } from "../src/models/ghk.js";
import { FARADAY, GAS_CONSTANT, ghkVoltageScale_mV } from "../src/models/ions.js";
import { nmodlToModel } from "../src/models/nmodl/index.js";
import { modelParameters } from "../src/models/parameters.js";
import { parseModel } from "../src/models/schema.js";
import type { NeuronModel } from "../src/models/types.js";
import { dexprelTree } from "../src/program/equations.js";
import { evaluateExpr } from "../src/program/evaluate.js";
import { num } from "../src/program/tree.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const vs = [...Array.from({ length: 161 }, (_, k) => -100.3 + k), -1e-3, -1e-7, 1e-7, 1e-3, 0.5, -0.5];

describe("the GHK current (models/ghk.ts)", () => {
  const k = ghkVoltageScale_mV(22, 2); // R·T/(z·F) at 22 °C, mV
  it("is P·z²F²V/(RT)·(c_in − c_out·e^(−u))/(1 − e^(−u)) away from V = 0 (the textbook form)", () => {
    for (const v of vs.filter((x) => Math.abs(x) > 0.4)) {
      const u = v / k;
      const textbook = ((2 * FARADAY * v) / k) * ((5e-5 - 2 * Math.exp(-u)) / (1 - Math.exp(-u)));
      expect(rel(ghkFactor(v, k, 2, FARADAY, 5e-5, 2), textbook)).toBeLessThan(1e-13);
    }
  });

  it("is z·F·(c_in − c_out) at V = 0 and continuous there: 1 cm/s × 1 mM × 2F = 192970.66 µA/cm² (1 mM = 10⁻⁶ mol/cm³)", () => {
    expect(ghkFactor(0, k, 2, FARADAY, 1, 0)).toBeCloseTo(2 * 96485.33212, 6);
    const at0 = ghkFactor(0, k, 2, FARADAY, 5e-5, 2);
    expect(at0).toBe(2 * FARADAY * (5e-5 - 2));
    for (const v of [1e-12, -1e-12, 1e-8, -1e-8]) expect(rel(ghkFactor(v, k, 2, FARADAY, 5e-5, 2), at0)).toBeLessThan(1e-6);
  });

  it("equals NEURON cal.mod's ghk() (Destexhe's constants F = 96485.309, R = 8.3145) ×1000 (mA → µA/cm²)", () => {
    const F = 96485.309;
    const R = 8.3145;
    const celsius = 36;
    const efun = (z: number) => (Math.abs(z) < 1e-4 ? 1 - z / 2 : z / (Math.exp(z) - 1));
    const calMod = (v: number, ci: number, co: number) => {
      const z = (1e-3 * 2 * F * v) / (R * (celsius + 273.15));
      return 0.001 * 2 * F * (ci * efun(-z) - co * efun(z));
    };
    const kk = ghkVoltageScale_mV(celsius, 2, F, R);
    for (const v of vs.filter((x) => Math.abs(x) > 0.01)) {
      expect(rel(1000 * calMod(v, 2.4e-4, 2), 1000 * 1e-3 * ghkFactor(v, kk, 2, F, 2.4e-4, 2))).toBeLessThan(1e-13);
    }
  });

  it("has the exact slope dI/dV of exprDerivative.ts (forward mode on the same formula), > 0", () => {
    const tree = parseExpr(`2 * ${FARADAY} * (3e-4 / exprel(-V / ${k}) - 1.8 / exprel(V / ${k}))`);
    const d = compileDerivative(tree);
    for (const v of vs) {
      const s = ghkFactorSlope(v, k, 2, FARADAY, 3e-4, 1.8);
      expect(s).toBeGreaterThan(0);
      expect(rel(s, d(v))).toBeLessThan(1e-12);
    }
  });

  it("the step program's exprel′ tree is exprDerivative's dexprel, bit for bit", () => {
    for (const x of [-50, -3, -1e-2, -1e-3, -9.99e-4, -1e-9, 0, 1e-9, 5e-4, 1e-3, 0.2, 7, 40]) {
      expect(evaluateExpr(dexprelTree(num(x)), new Map())).toBe(dexprel(x));
    }
  });
});

const ghkOnly = (extra: Record<string, unknown> = {}): unknown => ({
  name: "ghk-only",
  cm_uF_per_cm2: 1,
  v0_mV: -60,
  celsius: 20,
  ions: { ca: { charge: 2, inside_mM: 1e-4, outside_mM: 2 } },
  channels: [
    { name: "Ca", ion: "ca", ghk: { permeability_cm_per_s: 1e-5 }, gates: [], ...extra },
    { name: "L", gMax_mS_per_cm2: 0.1, eRev_mV: -70, gates: [] },
  ],
});

describe("a GHK channel in the model format", () => {
  it("loads, prints back unchanged (model show), and has the parameter PCa in cm/s", () => {
    const m = parseModel(ghkOnly());
    expect(parseModel(JSON.parse(JSON.stringify(m)))).toEqual(m);
    const p = modelParameters(m).find((x) => x.name === "PCa");
    expect(p).toMatchObject({ value: 1e-5, unit: "cm/s" });
    expect(modelParameters(m).some((x) => x.name === "gCa" || x.name === "ECa")).toBe(false);
    expect(modelParameters(m).some((x) => x.name === "celsius")).toBe(true);
  });

  it.each([
    [{ gMax_mS_per_cm2: 1 }, /channel Ca, gMax_mS_per_cm2: a GHK channel has neither/],
    [{ eRev_mV: 50 }, /channel Ca, eRev_mV: a GHK channel has neither/],
    [{ ion: undefined }, /channel Ca, ghk needs the channel's ion/],
    [{ ghk: { permeability_cm_per_s: -1 } }, /permeability_cm_per_s.*≥ 0/],
  ])("refuses %j with one line naming the field", (extra, message) => {
    expect(() => parseModel(ghkOnly(extra))).toThrow(message);
  });

  it("refuses an ohmic channel without gMax_mS_per_cm2", () => {
    const m = ghkOnly() as { channels: Record<string, unknown>[] };
    delete m.channels[1]?.gMax_mS_per_cm2;
    expect(() => parseModel(m)).toThrow(
      /^channel L: gMax_mS_per_cm2 \(mS\/cm²\) is missing: an ohmic channel needs gMax_mS_per_cm2 and eRev_mV/,
    );
  });

  it("refuses a GHK channel whose ion has no outside concentration", () => {
    const m = ghkOnly() as { ions: { ca: Record<string, unknown> } };
    delete m.ions.ca.outside_mM;
    expect(() => parseModel(m)).toThrow(/ghk needs ion ca's outside_mM/);
  });

  it("the system's current, conductance and g·E are P·GHK, P·dGHK/dV and G·V − I (NEURON's di/dv linearization)", () => {
    const m = parseModel(ghkOnly()) as NeuronModel;
    const V = [-90, -40, -1e-4, 0, 1e-4, 25, 60];
    const s = membraneSystem({ model: m, n: V.length, stimulus: stepCurrent({ amplitude: 0, start: 0, stop: 1 }, V.length) });
    const y = s.initialState();
    V.forEach((v, i) => {
      y[i] = v;
    });
    const n = V.length;
    const cur = new Float64Array(2 * n);
    const gT = new Float64Array(n);
    const gE = new Float64Array(n);
    s.channelCurrents(y, cur);
    s.conductance(y, gT, gE);
    const k = ghkVoltageScale_mV(20, 2, FARADAY, GAS_CONSTANT);
    V.forEach((v, i) => {
      const I = 1e-5 * ghkFactor(v, k, 2, FARADAY, 1e-4, 2);
      const G = 1e-5 * ghkFactorSlope(v, k, 2, FARADAY, 1e-4, 2);
      expect(rel(cur[i] as number, I)).toBeLessThan(1e-14);
      expect(rel((gT[i] as number) - 0.1, G)).toBeLessThan(1e-12);
      // Σ(g·V − g·E) = the total current at v: the leak's 0.1·(V + 70) plus the GHK current
      expect(Math.abs((gT[i] as number) * v - (gE[i] as number) - (I + 0.1 * (v + 70)))).toBeLessThan(1e-12 * (1 + Math.abs(I)));
    });
  });

  it("rests where the GHK inward current balances the leak (the resting potential sees the GHK current)", () => {
    const m = parseModel({ ...(ghkOnly() as object), v0_mV: "rest" }) as NeuronModel;
    const v0 = modelParameters(m).find((p) => p.name === "V0")?.value as number;
    const k = ghkVoltageScale_mV(20, 2);
    expect(Math.abs(1e-5 * ghkFactor(v0, k, 2, FARADAY, 1e-4, 2) + 0.1 * (v0 + 70))).toBeLessThan(1e-9);
    expect(v0).toBeGreaterThan(-70); // the inward calcium current depolarizes it from the leak's −70 mV
  });
});

describe("every method steps a GHK model consistently (hh + GHK calcium + pool)", () => {
  const model = readModelFile(fileURLToPath(new URL("./fixtures/models/hh-ghk-calcium.json", import.meta.url)));
  const run = (method: string, dt: number) => {
    const s = membraneSystem({ model, n: 1, stimulus: stepCurrent({ amplitude: 20, start: 5, stop: 50 }, 1) });
    const stepper = s.stepper(method);
    if (!stepper) throw new Error(method);
    const y = s.initialState();
    const steps = Math.round(30 / dt);
    for (let k = 0; k < steps; k++) stepper.step(k * dt, dt, y);
    return Array.from(y);
  };
  const fine = run("rk4", 0.001);
  it.each(["euler", "exp-euler", "backward-euler"])("%s converges at first order to rk4's state (error halves with dt)", (method) => {
    const err = (dt: number) => Math.abs((run(method, dt)[0] as number) - (fine[0] as number));
    const e1 = err(0.004);
    const e2 = err(0.002);
    console.log(`${method}: |ΔV| at 30 ms ${e1.toExponential(2)} (dt 0.004), ${e2.toExponential(2)} (dt 0.002)`);
    expect(e2 / e1).toBeGreaterThan(0.35);
    expect(e2 / e1).toBeLessThan(0.65);
  });
});

describe("NMODL: a current P*gates*ghk(v, cai, cao)", () => {
  const cachan = (ghkBody: string) => `NEURON { SUFFIX cach USEION ca READ cai, cao WRITE ica RANGE pcabar }
UNITS { FARADAY = (faraday) (coulomb) R = (k-mole) (joule/degC) }
PARAMETER { pcabar = 2e-4 (cm/s) celsius (degC) }
ASSIGNED { v (mV) ica (mA/cm2) cai (mM) cao (mM) }
STATE { m }
BREAKPOINT { SOLVE s METHOD cnexp ica = pcabar*m*m*ghk(v, cai, cao) }
DERIVATIVE s { m' = (1/(1 + exp(-(v + 30)/5)) - m)/3 }
INITIAL { m = 1/(1 + exp(-(v + 30)/5)) }
FUNCTION ghk(v(mV), ci(mM), co(mM)) (.001 coul/cm3) {
  LOCAL z, eci, eco
  ${ghkBody}
}
FUNCTION efun(z) { if (fabs(z) < 1e-4) { efun = 1 - z/2 } else { efun = z/(exp(z) - 1) } }
`;
  const standard =
    "z = (1e-3)*2*FARADAY*v/(R*(celsius+273.15))\n  eco = co*efun(z)\n  eci = ci*efun(-z)\n  ghk = (.001)*2*FARADAY*(eci - eco)";

  it("reads cachan's ghk() as the built-in GHK current, with NEURON's F and R", () => {
    const m = nmodlToModel({ file: "cach.mod", text: cachan(standard) }, { celsius: 20 });
    const c = m.channels.find((x) => x.name === "cach");
    expect(c?.ghk?.permeability_cm_per_s).toBe(2e-4);
    expect(c?.ion).toBe("ca");
    expect(rel(c?.ghk?.faraday_C_per_mol as number, 96485.33212331001)).toBeLessThan(1e-15);
    expect(rel(c?.ghk?.gas_constant_J_per_mol_K as number, 8.31446261815324)).toBeLessThan(1e-13);
  });

  it("reads Destexhe's cal.mod constants (FARADAY = 96485.309, R = 8.3145 in UNITS) as the channel's own F and R", () => {
    const text = cachan(standard).replace(
      "UNITS { FARADAY = (faraday) (coulomb) R = (k-mole) (joule/degC) }",
      "UNITS { FARADAY = 96485.309 (coul) R = 8.3145 (joule/degC) }",
    );
    const m = nmodlToModel({ file: "cach.mod", text }, { celsius: 36 });
    const c = m.channels.find((x) => x.name === "cach");
    expect(rel(c?.ghk?.faraday_C_per_mol as number, 96485.309)).toBeLessThan(1e-15);
    expect(rel(c?.ghk?.gas_constant_J_per_mol_K as number, 8.3145)).toBeLessThan(1e-13);
  });

  it("refuses a function that differs from the GHK current by 1e-7 (co scaled by 1 + 1e-7), saying where", () => {
    expect(() =>
      nmodlToModel({ file: "cach.mod", text: cachan(standard.replace("eci - eco", "eci - 1.0000001*eco")) }, { celsius: 20 }),
    ).toThrow(/cach\.mod:\d+: FUNCTION ghk\(v, cai, cao\) is not read as the GHK current .*relative difference/);
  });

  it("refuses Migliore's ghk (mV, used as g·ghk with g in S/cm²), whose value is not a GHK current in mA/cm² per cm/s", () => {
    const migliore = "z = v\n  eco = 25/293.15*(celsius + 273.15)/2\n  ghk = -eco*(1 - (ci/co)*exp(v/eco))*efun(v/eco)";
    expect(() => nmodlToModel({ file: "cach.mod", text: cachan(migliore) }, { celsius: 20 })).toThrow(
      /cach\.mod:\d+: FUNCTION ghk\(v, cai, cao\) is not read as the GHK current/,
    );
  });
});

describe("spikelab dynamics runs a GHK model (it refused one before: its Jacobian was ohmic only)", () => {
  const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
  it("NEURON's cachan cell: exit 0, the diagram's Hopf point that of the library's diagram of the same model", () => {
    const cell = fileURLToPath(new URL("./fixtures/nmodl/ghk/hh-cachan.cell.json", import.meta.url));
    const out = mkdtempSync(join(tmpdir(), "ghk-dynamics-"));
    const r = spawnSync(process.execPath, [bin, "dynamics", "bifurcation", "--model", cell, "--from", "0", "--to", "20", "--out", out], {
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const d = JSON.parse(readFileSync(join(out, "bifurcation.json"), "utf8"));
    const hopf = d.bifurcations.filter((b: { name: string }) => b.name.startsWith("Hopf"));
    const lib = bifurcationDiagram(modelFromArgument(cell) as NeuronModel, { from: 0, to: 20 }).points.filter((p) =>
      p.name.startsWith("Hopf"),
    );
    expect(hopf.map((b: { name: string }) => b.name)).toEqual(["Hopf (subcritical)"]);
    expect(hopf[0].I_uA_per_cm2).toBe(lib[0]?.p);
    expect(d.assumptions).toEqual([]);
  }, 60_000);
});
