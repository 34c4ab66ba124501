import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { hh1952, methodNames, type NeuronModel, simulate } from "../src/index.js";
import { nmodlCellToModel, nmodlToModel, parseNmodl } from "../src/models/nmodl/index.js";
import { type RateLaw, rateFunction } from "../src/models/rates.js";
import { hh1952NeuronFixture, runNeuronProtocol, spikeTimeError_ms } from "./helpers/neuronFixture.js";

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/nmodl/${path}`, import.meta.url));
const source = (path: string) => ({ file: path.split("/").pop() as string, text: readFileSync(fixture(path), "utf8") });
const hh = nmodlToModel(source("nrn/hh.mod"));

const spikes = (model: NeuronModel | string, method: string, celsius = 6.3) =>
  Array.from(
    simulate({
      model,
      method,
      parameters: { celsius },
      stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 60 },
      duration_ms: 70,
      dt_ms: 0.025,
      record: { variables: [] },
    }).spikes.t_ms,
  );

describe("NEURON's hh.mod", () => {
  it("translates to hh1952's membrane, conductances (S/cm² → mS/cm² on the decimals), reversal potentials and q10", () => {
    expect([hh.cm_uF_per_cm2, hh.v0_mV, hh.celsius, hh.temperature]).toEqual([1, -65, 6.3, hh1952.temperature]);
    expect(hh.channels.map((c) => [c.gMax_mS_per_cm2, c.eRev_mV])).toEqual(hh1952.channels.map((c) => [c.gMax_mS_per_cm2, c.eRev_mV]));
  });

  it("gives each gate hh1952's standard rate forms, vtrap read as expLinear (0.1·vtrap(−(v+40), 10) → rate 1)", () => {
    hh.channels.forEach((c, i) => {
      expect(c.gates).toEqual(hh1952.channels[i]?.gates);
    });
  });

  it.each(methodNames().flatMap((m) => [[m, 6.3] as const, [m, 16.3] as const]))(
    "fires hh1952's spikes bit for bit with method %s at %d °C",
    (method, celsius) => {
      const reference = spikes("hh1952", method, celsius);
      expect(reference.length).toBeGreaterThan(2);
      expect(spikes(hh, method, celsius)).toEqual(reference);
    },
  );

  it("matches NEURON 8.2's CVODE spike times within 1e-5 ms (rk45, rtol 1e-10)", () => {
    const ref = hh1952NeuronFixture();
    const r = runNeuronProtocol(hh, ref, { dt_ms: 0.1, variables: [] });
    const worst = spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms);
    expect(worst).toBeLessThan(1e-5); // measured 5.3e-7 ms, as the built-in hh1952
  });
});

describe("NMODL errors: one line naming file, line and what is allowed", () => {
  const mod = (body: string) =>
    `NEURON { SUFFIX x NONSPECIFIC_CURRENT i RANGE g }\nPARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) }\n${body}`;
  it.each([
    ["a syntax error", mod("BREAKPOINT { i = g*(v - -70 }"), /^bad\.mod:4: expected "\)" to close a parenthesis; got "}"$/],
    ["an unknown block", mod("FOO { }"), /^bad\.mod:4: unknown block FOO; allowed: NEURON, UNITS/],
    ["VERBATIM", mod("VERBATIM\nreturn 0;\nENDVERBATIM"), /^bad\.mod:4: VERBATIM \(C code inside NMODL\) cannot be translated/],
    ["a KINETIC scheme", mod("KINETIC kin { ~ c <-> o (a, b) }"), /^bad\.mod:4: KINETIC schemes \(Markov models\) are not supported yet/],
    ["a POINT_PROCESS", "NEURON { POINT_PROCESS syn }", /^bad\.mod:1: POINT_PROCESS is not supported: spikelab reads density mechanisms/],
    [
      "an ion without a reversal potential",
      "NEURON { SUFFIX ih USEION h READ eh WRITE ih }\nPARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) eh (mV) ih (mA/cm2) }\nBREAKPOINT { ih = g*(v - eh) }",
      /^bad\.mod:4: the current ih uses eh, the reversal potential of ion h, which has no default; give eh \(mV\) in a cell file's parameters$/,
    ],
    ["an undeclared name", mod("BREAKPOINT { i = g*(v - ena) }"), /^bad\.mod:4: ena is not declared/],
    [
      "a derivative given in one branch of an if only",
      mod("STATE { m }\nBREAKPOINT { SOLVE s METHOD cnexp i = g*m*(v+70) }\nDERIVATIVE s {\nif (v < -50) { m' = -m }\n}"),
      /^bad\.mod:7: m' is given in one branch of this if only \(allowed: in both, or outside the if\)$/,
    ],
  ])("%s", (_what, text, message) => {
    expect(() => nmodlToModel({ file: "bad.mod", text })).toThrow(message);
  });
});

describe("parser", () => {
  it("reads hh.mod's declarations with units and ranges", () => {
    const f = parseNmodl(source("nrn/hh.mod").text, "hh.mod");
    expect(f.parameters.map((d) => [d.name, d.value?.text, d.unit, d.range])).toEqual([
      ["gnabar", ".12", "S/cm2", [0, 1e9]],
      ["gkbar", ".036", "S/cm2", [0, 1e9]],
      ["gl", ".0003", "S/cm2", [0, 1e9]],
      ["el", "-54.3", "mV", undefined],
    ]);
    expect(f.ions.map((u) => [u.ion, u.read, u.write])).toEqual([
      ["na", ["ena"], ["ina"]],
      ["k", ["ek"], ["ik"]],
    ]);
    expect(f.tables).toEqual([100]);
  });
});

describe("the Hay et al. 2011 mechanisms", () => {
  const files = ["Ca_HVA", "Ca_LVAst", "Ih", "Im", "K_Pst", "K_Tst", "NaTa_t", "Nap_Et2", "SKv3_1"];
  it.each(files)("%s.mod imports as one channel with its gates (plus pas)", (name) => {
    const m = nmodlToModel(source(`hay2011/${name}.mod`));
    expect(m.channels.map((c) => c.name)).toEqual([name, "pas"]);
    expect(m.channels[0]?.gates.length).toBeGreaterThan(0);
  });

  it("reads CaDynamics_E2 as a calcium pool: k = 10000·gamma/(2·FARADAY·depth)/1000 per µA/cm², τ = decay, resting = minCai", () => {
    const m = nmodlToModel(source("hay2011/CaDynamics_E2.mod"));
    const pool = m.ions?.ca?.pool;
    // the file's defaults: gamma 0.05, decay 80 ms, depth 0.1 µm, minCai 1e-4 mM; NEURON's FARADAY 96485.33212331001
    expect(pool?.rho_mM_cm2_per_uA_ms).toBeCloseTo((10000 * 0.05) / (2 * 96485.33212331001 * 0.1) / 1000, 18);
    expect(pool?.decay_ms).toBe(80);
    expect(pool?.resting_mM).toBeCloseTo(1e-4, 18);
    expect(m.ions?.ca).toMatchObject({ charge: 2, inside_mM: 5e-5, outside_mM: 2 });
  });

  it("reads SK_E2's zInf of cai (its floor if (ca < 1e-7) read as false, noted); cai is NEURON's fixed 5e-5 mM without a pool", () => {
    const m = nmodlToModel(source("hay2011/SK_E2.mod"));
    const z = m.channels[0]?.gates[0] as { inf: { expr: string } };
    expect(z.inf.expr).toContain("cai");
    expect(m.ions?.ca).toEqual({ charge: 2, inside_mM: 5e-5, outside_mM: 2 });
    expect(m.channels[0]?.eRev_mV).toBe(-77);
    expect(m.source).toMatch(/SK_E2\.mod: line 47: if \(cai < 1e-7 mM\) read as false/);
  });

  it("reads K_Pst's piecewise τ (if (v < -50) {…} else {…}, after v = v + 10) as a conditional: NEURON's branches on each side of −60 mV", () => {
    const m = nmodlToModel(source("hay2011/K_Pst.mod"));
    const tau = (m.channels[0]?.gates[0] as { tau?: RateLaw } | undefined)?.tau as RateLaw;
    expect(tau).toMatchObject({ form: "expr" });
    expect((tau as { expr: string }).expr).toMatch(/^\(\(V \+ 10\) < \(-50\) \? /);
    const f = rateFunction(tau);
    const qt = 2.3 ** ((34 - 21) / 10);
    const below = (v: number) => (1.25 + 175.03 * Math.exp(-(v + 10) * -0.026)) / qt;
    const above = (v: number) => (1.25 + 13 * Math.exp(-(v + 10) * 0.026)) / qt;
    for (const v of [-90, -60.001]) expect(f(v)).toBeCloseTo(below(v), 12);
    for (const v of [-60, -59.999, -20, 30]) expect(f(v)).toBeCloseTo(above(v), 12);
    // continuous at −60 mV (175.03·e^−1.3 ≈ 13·e^1.3), but a real piecewise τ: at −90 mV the else branch is 4.5 times it
    expect(f(-60.001) / f(-60)).toBeCloseTo(1, 4);
    expect(above(-90) / f(-90)).toBeGreaterThan(4);
  });

  it("reads NaTa_t's Hay-style guards (if (v == -38) {v = v + 0.0001}) as expLinear rates and qt as a rate factor", () => {
    const gate = nmodlToModel(source("hay2011/NaTa_t.mod")).channels[0]?.gates[0];
    expect(gate).toEqual({
      name: "m",
      power: 3,
      alpha: { form: "expLinear", rate: 0.182 * 6, midpoint_mV: -38, scale_mV: 6 },
      beta: { form: "expLinear", rate: 0.124 * 6, midpoint_mV: -38, scale_mV: -6 },
      rate_factor: 2.3 ** ((34 - 21) / 10),
    });
  });
});

describe("a cell of several mechanisms (NEURON's insert and hoc names)", () => {
  const cell = (parameters: Record<string, number>, insert = ["NaTa_t", "Ih", "pas"]) =>
    nmodlCellToModel({ celsius: 34, insert, parameters }, [source("hay2011/NaTa_t.mod"), source("hay2011/Ih.mod")], "cell.json");

  it("takes densities in S/cm² by NEURON's names and qualifies gate names with the suffix", () => {
    const m = cell({ gNaTa_tbar_NaTa_t: 2.04, gIhbar_Ih: 0.0002, g_pas: 3.38e-5, e_pas: -90, ena: 55 });
    expect(m.channels.map((c) => [c.name, c.gMax_mS_per_cm2, c.eRev_mV])).toEqual([
      ["NaTa_t", 2040, 55],
      ["Ih", 0.2, -45],
      ["pas", 0.0338, -90],
    ]);
    expect(m.channels[0]?.gates.map((g) => g.name)).toEqual(["m_NaTa_t", "h_NaTa_t"]);
  });

  it("names an unknown parameter and what is allowed", () => {
    expect(() => cell({ gbar_NaTa_t: 1 })).toThrow(/^NaTa_t\.mod:\d+: gbar is not a PARAMETER of NaTa_t; its PARAMETERs: gNaTa_tbar$/);
    expect(() => cell({ gfoo: 1 })).toThrow(/^cell\.json: parameter name must be NEURON's name of a mechanism's PARAMETER/);
  });

  it("names a suffix that no file has", () => {
    expect(() => cell({}, ["NaTa_t", "Kv9"])).toThrow(
      /^cell\.json: insert must be pas or the SUFFIX of a listed mechanism \(NaTa_t, Ih\); got "Kv9"$/,
    );
  });
});

describe("translation details", () => {
  const one = (body: string) =>
    nmodlToModel({
      file: "t.mod",
      text: `NEURON { SUFFIX t USEION na READ ena WRITE ina }\nPARAMETER { gbar = 0.01 (S/cm2) }\nASSIGNED { v (mV) ena (mV) ina (mA/cm2) minf }\nSTATE { h }\n${body}`,
    }).channels[0]?.gates;

  it("reads a factor of v alone in the current as an instantaneous gate named after its variable", () => {
    const gates = one(
      "BREAKPOINT { SOLVE s METHOD cnexp\n minf = 1/(1 + exp(-(v + 40)/5))\n ina = gbar*minf*minf*h*(v - ena) }\nDERIVATIVE s { h' = (1/(1 + exp((v + 60)/6)) - h)/5 }",
    );
    expect(gates?.map((g) => [g.name, g.power, g.instantaneous === true])).toEqual([
      ["h", 1, false],
      ["minf", 2, true],
    ]);
  });

  it("reads x' = ((1 - x)*a - x*b)/2 as α = a/2, β = b/2 and guards -1 + exp(…) as exp(…) - 1", () => {
    const gates = one(
      "BREAKPOINT { SOLVE s METHOD derivimplicit\n ina = gbar*h*(v - ena) }\nDERIVATIVE s { h' = ((1 - h)*0.1*(v + 30)/(-1 + exp((v + 30)/10)) - h*0.2)/2 }",
    );
    const g = gates?.[0] as { alpha: { form: string; expr?: string }; beta: unknown };
    expect(g.alpha.form).toBe("expr");
    expect(g.alpha.expr).toMatch(/exprel/);
    expect(g.beta).toEqual({ form: "expr", expr: "0.1" });
  });
});

describe("singularity guards", () => {
  const rate = (rates: string) =>
    nmodlToModel({
      file: "g.mod",
      text: `NEURON { SUFFIX g NONSPECIFIC_CURRENT i }\nPARAMETER { gbar = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) a b }\nSTATE { m }\nBREAKPOINT { SOLVE s METHOD cnexp\n i = gbar*m*(v + 70) }\nDERIVATIVE s { rates(v)\n m' = a*(1 - m) - b*m }\nPROCEDURE rates(v (mV)) {\n${rates}\n b = 0.1 }`,
    }).channels[0]?.gates[0];

  it("a nudge at v = 0 (if (v == 0) {v = v + 0.0001}) keeps the exact limit there", () => {
    const g = rate("if (v == 0) { v = v + 0.0001 }\n a = 0.1*v/(1 - exp(-v/10))") as { alpha: unknown };
    expect(g.alpha).toEqual({ form: "expLinear", rate: 0.1 * 10, midpoint_mV: 0, scale_mV: 10 });
  });

  it("a guard written on both sides (if (v + 40 == 0) …) is a guard too", () => {
    const g = rate("if (v + 40 == 0) { a = 1 } else { a = 0.1*(v + 40)/(1 - exp(-(v + 40)/10)) }") as { alpha: unknown };
    expect(g.alpha).toEqual({ form: "expLinear", rate: 0.1 * 10, midpoint_mV: -40, scale_mV: 10 });
  });

  it("a branch that differs inside the guarded region is a general conditional: a piecewise rate, as NEURON computes it", () => {
    const g = rate("if (fabs(v + 40) < 1e-4) { a = 5 } else { a = 0.1*(v + 40)/(1 - exp(-(v + 40)/10)) }") as { alpha: RateLaw };
    expect(g.alpha).toEqual({ form: "expr", expr: "(abs((V + 40)) < 0.0001 ? 5 : (1 / exprel(((-(V + 40)) / 10))))" });
    const f = rateFunction(g.alpha);
    expect([f(-40), f(-40 + 5e-5), f(-40 - 1e-4)]).toEqual([5, 5, f(-40 - 1e-4)]);
    expect(f(-40 - 1e-4)).toBeCloseTo(1, 4);
    expect(f(-30)).toBeCloseTo(1 / (1 - Math.exp(-1)), 14);
  });
});

describe("hostile NMODL: bounded work, one-line errors", () => {
  const head = "NEURON { SUFFIX x NONSPECIFIC_CURRENT i }\nPARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) a }\n";
  it("refuses nesting deeper than 64 levels instead of overflowing the stack", () => {
    const text = `${head}BREAKPOINT { i = g*${"(".repeat(5000)}v${")".repeat(5000)} }`;
    expect(() => nmodlToModel({ file: "deep.mod", text })).toThrow(/^deep\.mod:4: nesting deeper than 64 levels/);
  });

  it("refuses a FUNCTION chain that doubles its tree at each call (2^30 operations once inlined)", () => {
    const fs = Array.from({ length: 30 }, (_, k) => `FUNCTION f${k}(x) { f${k} = f${k + 1}(x) + f${k + 1}(x) }`).join("\n");
    const text = `${head}BREAKPOINT { i = g*f0(v)*(v + 70) }\n${fs}\nFUNCTION f30(x) { f30 = exp(x) }`;
    expect(() => nmodlToModel({ file: "bomb.mod", text })).toThrow(/^bomb\.mod:\d+: an expression of more than 5000 operations/);
  });
});

describe("general conditionals (if/else on v): the expression language's x < y ? a : b", () => {
  const alpha = (rates: string) => {
    const g = nmodlToModel({
      file: "c.mod",
      text: `NEURON { SUFFIX c NONSPECIFIC_CURRENT i }\nPARAMETER { gbar = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) a b }\nSTATE { m }\nBREAKPOINT { SOLVE s METHOD cnexp\n i = gbar*m*(v + 70) }\nDERIVATIVE s { rates(v)\n m' = a*(1 - m) - b*m }\nPROCEDURE rates(v (mV)) { LOCAL k\n${rates}\n b = 0.1 }`,
    }).channels[0]?.gates[0] as { alpha: RateLaw };
    return rateFunction(g.alpha);
  };
  /** NEURON's value of a (the if evaluated as C does), to compare at each V. */
  const check = (rates: string, reference: (v: number) => number) => {
    const f = alpha(rates);
    for (const v of [-90, -70, -60.5, -60, -59.5, -40, -30, 0, 25]) expect(f(v), `v = ${v}`).toBe(reference(v));
  };

  it("if/else, else if, && and || and ! are nested conditionals; the condition is read before the branches run", () => {
    check("if (v < -60) { a = 1 } else if (v <= -40) { a = 2 } else { a = 3 }", (v) => (v < -60 ? 1 : v <= -40 ? 2 : 3));
    check("if (v > -70 && v < -30) { a = 1 } else { a = 2 }", (v) => (v > -70 && v < -30 ? 1 : 2));
    check("if (v < -70 || v >= 0) { a = 1 } else { a = 2 }", (v) => (v < -70 || v >= 0 ? 1 : 2));
    check("if (!(v != -60)) { a = 1 } else { a = 2 }", (v) => (v === -60 ? 1 : 2));
    // v is changed inside the branch: the condition still reads the v before it
    check("k = v\n a = 5\n if (v < -60) { v = v + 100\n a = v } ", (v) => (v < -60 ? v + 100 : 5));
    check("if (v < -60) { k = 1 } else { k = 2 }\n a = k*exp(v/10)", (v) => (v < -60 ? 1 : 2) * Math.exp(v / 10));
  });

  it("a variable assigned in one branch only, and not before, is unassigned after the if (its use is refused)", () => {
    expect(() => alpha("if (v < -60) { k = 1 }\n a = k")).toThrow(/^c\.mod:\d+: k is used before it is assigned/);
  });
});
