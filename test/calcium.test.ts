/**
 * Ions in the model format: a concentration pool as state in the step program, rate laws of cai,
 * Nernst reversal potentials. A hand-written model (test/fixtures/models/calcium-sk.json: Na, K,
 * high-voltage Ca into a CaDynamics_E2-type pool, an SK-type cai-gated K channel) must step the same
 * on the reference evaluator, the printed JavaScript and the WebAssembly kernel, bit for bit; the
 * pool must follow its analytic solution under a constant current; E must be Nernst's.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FARADAY, GAS_CONSTANT, nernst_mV } from "../src/models/ions.js";
import { parseModel } from "../src/models/schema.js";
import type { NeuronModel } from "../src/models/types.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { type MembraneSystem, membraneSystem } from "../src/system/membrane.js";
import { fusedRunner, wasmSimdAvailable } from "../src/wasm/run.js";
import { fusedRun, stepwise } from "./helpers/stepwise.js";

const calciumSk = parseModel(JSON.parse(readFileSync(new URL("fixtures/models/calcium-sk.json", import.meta.url), "utf8")));
const METHODS = ["euler", "exp-euler", "backward-euler", "rk4"] as const;
const dt = 0.02;
const steps = 6000; // 120 ms
const amps = [0, 2, 6];

const system = (model: NeuronModel, kernel: "compiled" | "declarative", parameters = {}) =>
  membraneSystem({
    model,
    n: amps.length,
    stimulus: stepCurrent({ amplitude: amps, start: 5.01, stop: 110.01 }, amps.length),
    kernel,
    parameters,
  });

describe("a model with a calcium channel, a cai pool and a cai-gated K channel", () => {
  it("has cai as a state variable after the gates, starting at inside_mM; the SK gate at its steady state there", () => {
    const s = system(calciumSk, "compiled");
    expect(s.names).toEqual(["V", "m", "h", "n", "mca", "hca", "z", "cai"]);
    const y = s.initialState();
    const n = s.n;
    expect(y[7 * n]).toBe(5e-5);
    const kd = 0.00043;
    // z∞ = cai⁴/(cai⁴ + Kd⁴) at cai = 5e-5 mM
    expect(y[6 * n]).toBeCloseTo(5e-5 ** 4 / (5e-5 ** 4 + kd ** 4), 15);
  });

  const reference = new Map(METHODS.map((m) => [m, stepwise(system(calciumSk, "declarative"), m, steps, dt)]));

  it.each(METHODS)("%s: the printed JavaScript equals the reference evaluator bit for bit (state, cai and spikes)", (method) => {
    const ref = reference.get(method);
    expect(ref?.t.length, "the protocol reaches firing").toBeGreaterThan(10);
    // calcium entered with the spikes: cai of the firing neuron is far above its start
    expect(ref?.y[7 * 3 + 2]).toBeGreaterThan(1e-3);
    expect(stepwise(system(calciumSk, "compiled"), method, steps, dt)).toEqual(ref);
  });

  it.runIf(wasmSimdAvailable).each(METHODS)("%s: the WebAssembly kernel equals the reference evaluator bit for bit", (method) => {
    const { ok, result } = fusedRun(system(calciumSk, "compiled"), method, steps, dt);
    expect(ok).toBe(true);
    expect(result).toEqual(reference.get(method));
  });

  it("SK adapts the firing: with gSK = 0 the 6 µA/cm² neuron fires more spikes in the step", () => {
    const count = (gSK: number) =>
      stepwise(system(calciumSk, "compiled", { gSK }), "exp-euler", steps, dt).neuron.filter((i) => i === 2).length;
    // measured: 45 spikes with gSK = 0, 34 with the model's 0.3 mS/cm² (exp-euler, dt 0.02 ms)
    expect(count(0)).toBeGreaterThan(count(0.3));
  });
});

/** One gateless Ca channel into a pool; V held at V0 by an injected current that cancels the channel's. */
const poolOnly = (eRev_mV: number | "nernst"): NeuronModel =>
  parseModel({
    name: "pool-only",
    cm_uF_per_cm2: 1,
    v0_mV: -65,
    ions: { ca: { charge: 2, inside_mM: 5e-5, outside_mM: 2, pool: { decay_ms: 50, resting_mM: 1e-4, shell_depth_um: 0.1, gamma: 0.05 } } },
    channels: [{ name: "Ca", ion: "ca", gMax_mS_per_cm2: 0.01, eRev_mV }],
  });

describe("the pool under a constant calcium current approaches its analytic steady state exponentially", () => {
  const g = 0.01;
  const ica_uA = g * (-65 - 120); // −1.85 µA/cm², inward
  // NEURON's CaDynamics_E2: drive = −10000·ica·gamma/(2·FARADAY·depth), ica in mA/cm², depth in µm → mM/ms
  const drive = (-10000 * (ica_uA / 1000) * 0.05) / (2 * FARADAY * 0.1);
  const cInf = 1e-4 + drive * 50;
  const exact = (t: number) => cInf + (5e-5 - cInf) * Math.exp(-t / 50);
  // measured largest relative errors at t = 50, 100, 150, 200 ms (dt 0.025 ms): exp-euler and backward-euler
  // 2.1e-15 (exact for a constant current but for rounding), rk4 1.9e-15, euler 1.4e-4 (first order)
  const TOL: Record<string, number> = { euler: 2e-4, "exp-euler": 1e-13, "backward-euler": 1e-13, rk4: 1e-13 };
  it.each(METHODS)("%s", (method) => {
    const s = membraneSystem({ model: poolOnly(120), n: 1, stimulus: stepCurrent({ amplitude: ica_uA, start: 0, stop: 1e9 }, 1) });
    const y = s.initialState();
    const stepper = s.stepper(method);
    const h = 0.025;
    const errors: number[] = [];
    for (let k = 0; k < 8000; k++) {
      stepper?.step(k * h, h, y);
      if ((k + 1) % 2000 === 0) errors.push(Math.abs((y[1] as number) - exact((k + 1) * h)) / exact((k + 1) * h));
    }
    expect(Math.max(...errors)).toBeLessThan(TOL[method] as number);
    expect(cInf).toBeGreaterThan(1e-3); // the pool rose: a real test of the influx term
  });
});

describe("a Nernst reversal potential", () => {
  it("is (R·T/(z·F))·ln(c_out/c_in): E_K at 37 °C for 140 mM inside, 5.4 mM outside is −87.0 mV", () => {
    // RT/F at 310.15 K = 26.726 mV; ln(5.4/140) = −3.2552
    expect(nernst_mV(140, 5.4, 37, 1)).toBeCloseTo(-87.0, 1);
    expect(nernst_mV(140, 5.4, 37, 1)).toBe(((1000 * GAS_CONSTANT * 310.15) / FARADAY) * Math.log(5.4 / 140));
  });

  it("the channel current of a Nernst channel uses E at the pool's concentration and the run's celsius", () => {
    const model = poolOnly("nernst");
    for (const celsius of [6.3, 34]) {
      const s = membraneSystem({ model, n: 1, stimulus: stepCurrent({ amplitude: 0, start: 0, stop: 1 }, 1), parameters: { celsius } });
      const y = s.initialState();
      y[0] = 0; // V = 0: I = g·(0 − E)
      y[1] = 1e-4;
      const out = new Float64Array(1);
      s.channelCurrents(y, out);
      const e = -(out[0] as number) / 0.01;
      // Ca²⁺ at 2 mM outside, 0.1 µM inside: 34 °C → 13.23 mV·ln(20000) ≈ 131.0 mV
      expect(e).toBeCloseTo(nernst_mV(1e-4, 2, celsius, 2), 10);
      if (celsius === 34) expect(e).toBeCloseTo(131.0, 0);
    }
  });

  it("steps the same on the evaluator and the JavaScript printer; the WebAssembly kernel declines it (no log) and the run falls back", () => {
    const model = poolOnly("nernst");
    const make = (kernel: "compiled" | "declarative") =>
      membraneSystem({ model, n: 2, stimulus: stepCurrent({ amplitude: [0, -2], start: 1, stop: 50 }, 2), kernel });
    for (const method of METHODS) {
      const run = (s: MembraneSystem) => {
        const y = s.initialState();
        for (let k = 0; k < 2000; k++) s.stepper(method)?.step(k * 0.025, 0.025, y);
        return Array.from(y);
      };
      expect(run(make("compiled"))).toEqual(run(make("declarative")));
      expect(fusedRunner(make("compiled"), method, false, 2000)).toBeUndefined();
    }
  });
});

describe("errors in ions name the field", () => {
  const base = { name: "x", cm_uF_per_cm2: 1, v0_mV: -65 };
  it.each([
    [{ channels: [{ name: "Ca", gMax_mS_per_cm2: 1, eRev_mV: "nernst" }] }, /channel Ca, eRev_mV "nernst" needs the channel's ion/],
    [
      { channels: [{ name: "Ca", ion: "ca", gMax_mS_per_cm2: 1, eRev_mV: 120 }] },
      /channel Ca, ion must be one of the model's ions \(none declared\); got "ca"/,
    ],
    [
      { ions: { ca: { charge: 2, pool: { decay_ms: 80, resting_mM: 1e-4 } } }, channels: [{ name: "L", gMax_mS_per_cm2: 1, eRev_mV: 0 }] },
      /ion ca, pool: give exactly one of shell_depth_um \(with gamma\) and rho_mM_cm2_per_uA_ms/,
    ],
    [
      {
        ions: { ca: { charge: 2 } },
        channels: [{ name: "L", gMax_mS_per_cm2: 1, eRev_mV: 0, gates: [{ name: "z", power: 1, inf: "cai/(cai + 1)", tau: "1" }] }],
      },
      /channel L, gate z, inf reads cai, whose ion has neither a pool nor inside_mM/,
    ],
  ])("%#", (fields, message) => {
    expect(() => parseModel({ ...base, ...fields })).toThrow(message);
  });
});

it("the GPU backend refuses a model with ions, naming it and where it runs instead", async () => {
  const { generateKernel } = await import("../src/gpu/wgsl.js");
  expect(() => generateKernel({ model: calciumSk, method: "euler", perNeuron: new Set() })).toThrow(
    /the GPU backend does not run ions yet \(model "calcium-sk" declares ca: .*run it on the CPU/,
  );
});

it("a model file with ions round-trips through the schema and simulate records cai", async () => {
  const { simulate } = await import("../src/index.js");
  expect(parseModel(JSON.parse(JSON.stringify(calciumSk)))).toEqual(calciumSk);
  const r = simulate({
    model: calciumSk,
    stimulus: { amplitude_uA_per_cm2: 6, start_ms: 5, stop_ms: 45 },
    duration_ms: 50,
    dt_ms: 0.025,
    method: "exp-euler",
    record: { variables: ["V", "cai"] },
  });
  const cai = r.traces.cai?.[0] as Float64Array;
  expect(cai[0]).toBe(5e-5);
  expect(Math.max(...cai)).toBeGreaterThan(1e-3);
  // exported with its unit, as V_mV
  const { traceColumns } = await import("../src/io/export.js");
  expect(Object.keys(traceColumns(r))).toEqual(["t_ms", "V_mV", "cai_mM"]);
  // the web app's path (worker → page: header, traces by variable, the model's concentrations) exports the same JSON
  const { namedColumns, runHeader, runJsonOf, runToJson } = await import("../src/io/export.js");
  const { concentrationNames } = await import("../src/io/columns.js");
  const { spikeTimesOf } = await import("../src/record/spikes.js");
  const traces = { V: r.traces.V?.[0] as Float64Array, cai };
  const page = runJsonOf(runHeader(r), namedColumns(r.t_ms, traces, new Set(concentrationNames(r.model))), spikeTimesOf(r.spikes, 0));
  expect(page).toEqual(runToJson(r));
  expect(page.spike_threshold_mV).toBe(r.spec.spike_threshold_mV);
  expect(Object.keys(page)).toContain("cai_mM");
});
