import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  builtinModels,
  fiCurve,
  hh1952,
  LAB_FI,
  lab,
  linspace,
  methodNames,
  type NeuronModel,
  parseModel,
  parseModelText,
  simulate,
  standardToExpr,
} from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";
import { labReference } from "./helpers/reference.js";

/** A model as `spikelab model show` prints it, read back as a user's file would be. */
const roundTrip = (m: NeuronModel): NeuronModel => parseModelText(JSON.stringify(m, null, 2));
const amplitudes = linspace(LAB_FI.from, LAB_FI.to, LAB_FI.steps);
const labFi = (model: string | NeuronModel, parameters = {}) => fiCurve({ ...LAB_FI, model, parameters, amplitudes }).spike_counts;

describe("model files", () => {
  it("the lab model read back from its file gives exactly the lab's 51 spike counts", () => {
    expect(labFi(roundTrip(lab))).toEqual(labReference().experiment_2_fi.spike_counts);
  });

  it("a file with gNa edited to 60 gives what --param gNa=60 gives on the built-in", () => {
    const edited = JSON.parse(JSON.stringify(lab));
    edited.channels[0].gMax_mS_per_cm2 = 60;
    const fromFile = labFi(parseModel(edited));
    expect(fromFile).toEqual(labFi("lab", { gNa: 60 }));
    expect(fromFile).not.toEqual(labFi("lab"));
  });

  it.each(Object.keys(builtinModels))("the %s built-in printed as a file loads back to the same model", (name) => {
    expect(roundTrip(builtinModels[name]!)).toEqual(builtinModels[name]);
  });

  it("YAML files load to the same model as JSON files", () => {
    expect(parseModelText(stringify(hh1952), "yaml")).toEqual(roundTrip(hh1952));
  });

  // Every registered method (euler now; exp-euler, backward-euler, rk45… as they are added):
  // the hh1952 file and the built-in give the same spike times.
  it.each(methodNames())("hh1952 from its file fires at the built-in's spike times with method %s", (method) => {
    const run = (model: string | NeuronModel) =>
      simulate({
        model,
        method,
        stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 60 },
        duration_ms: 60,
        dt_ms: 0.01,
        record: { variables: [] },
      }).spikes;
    const builtin = run("hh1952");
    expect(builtin.count[0]).toBeGreaterThan(2);
    expect(Array.from(run(roundTrip(hh1952)).t_ms)).toEqual(Array.from(builtin.t_ms));
  });

  it("a spec may carry the model object itself", () => {
    const r = simulate({ model: lab, stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 }, duration_ms: 50, dt_ms: 0.025 });
    expect(r.spikes.count[0]).toBe(labReference().experiment_1.spike_count);
  });

  it("the lab written entirely as expressions gives the lab's 51 spike counts", () => {
    const asExpr = JSON.parse(JSON.stringify(lab));
    for (const c of asExpr.channels) for (const g of c.gates) for (const k of ["alpha", "beta"]) g[k] = standardToExpr(g[k]);
    expect(labFi(parseModel(asExpr))).toEqual(labReference().experiment_2_fi.spike_counts);
  });

  it("takes textbook expressions with removable singularities (the notebook's own rate formulas)", () => {
    // test/fixtures/lab-textbook.json: the lab model with the notebook's rate formulas verbatim, as expressions;
    // the guard rewrites each 0/0 form to the standard expLinear form, so the counts are the lab's exactly
    const textbook = readModelFile(new URL("./fixtures/lab-textbook.json", import.meta.url).pathname);
    expect(labFi(textbook)).toEqual(labReference().experiment_2_fi.spike_counts);
  });
});

type Editable = { channels: { gMax_mS_per_cm2: number; gates: Record<string, unknown>[] }[] };

describe("model file errors name the channel, gate and field", () => {
  const base = (): Editable => JSON.parse(JSON.stringify(lab));
  it.each([
    [
      "an unknown symbol in an expression",
      (m: Editable) => {
        m.channels[0]!.gates[0]!.alpha = "0.32*(Vm+54)";
      },
      'channel Na, gate m, alpha: unknown name "Vm" in "0.32*(Vm+54)"; allowed: V and the functions',
    ],
    [
      "a gate without kinetics",
      (m: Editable) => {
        m.channels[1]!.gates[0] = { name: "n", power: 4 };
      },
      "channel K, gate n has no kinetics: give alpha and beta (1/ms), or inf and tau (ms), or inf with instantaneous: true",
    ],
    [
      "a gate with alpha but no beta",
      (m: Editable) => {
        delete m.channels[1]!.gates[0]!.beta;
      },
      "channel K, gate n, beta is missing",
    ],
    [
      "a non-finite rate (an unguarded pole at rest)",
      (m: Editable) => {
        m.channels[0]!.gates[1]!.alpha = "0.128/(V+65)";
      },
      "channel Na, gate h, alpha must be a finite rate ≥ 0 (1/ms) at every V; at V = -65 mV got Infinity",
    ],
    [
      "a negative conductance",
      (m: Editable) => {
        m.channels[2]!.gMax_mS_per_cm2 = -0.1;
      },
      "channels.2.gMax_mS_per_cm2 must be ≥ 0 (mS/cm²); got -0.1",
    ],
    [
      "an x∞/τ gate without τ",
      (m: Editable) => {
        m.channels[1]!.gates[0] = { name: "n", power: 4, inf: "1/(1+exp(-(V+50)/5))" };
      },
      "channel K, gate n, tau is missing",
    ],
    [
      "a syntax error",
      (m: Editable) => {
        m.channels[0]!.gates[0]!.beta = "4*exp(-(V+65)/18";
      },
      'channel Na, gate m, beta: expected ")" at character 17 of "4*exp(-(V+65)/18"',
    ],
    [
      "two gates with one name",
      (m: Editable) => {
        m.channels[1]!.gates[0]!.name = "m";
      },
      'channel K, gate name must be unique within the model (gates are state variables); got "m"',
    ],
  ])("%s", (_what, edit, message) => {
    const m = base();
    edit(m);
    expect(() => parseModel(m)).toThrow(message);
  });
});

describe("the README's example file", () => {
  it("loads, starts at rest, and fires repetitively for a 5 µA/cm² step", async () => {
    const m = readModelFile(new URL("./fixtures/my-neuron.json", import.meta.url).pathname);
    const r = simulate({ model: m, stimulus: { amplitude_uA_per_cm2: 5, start_ms: 0, stop_ms: 100 }, duration_ms: 100, dt_ms: 0.025 });
    expect(r.traces.V![0]![0]).toBeCloseTo(-64.09, 2);
    expect(r.spikes.count[0]).toBeGreaterThan(5);
  });
});
