import { describe, expect, it } from "vitest";
import { actionPotentials } from "../src/analysis/features.js";
import { blockedChannels, blockedConductances, blockParameters, blocksLabel, parseBlock } from "../src/experiments/blockers.js";
import { readModelFile } from "../src/io/modelFile.js";
import { builtinModels, type NeuronModel } from "../src/models/index.js";
import { simulate } from "../src/simulate.js";

const lab = builtinModels.lab as NeuronModel;
const hh = builtinModels.hh1952 as NeuronModel;
const run = (model: string, parameters: Record<string, number>, amplitude = 10) =>
  simulate({
    model,
    parameters,
    stimulus: { amplitude_uA_per_cm2: amplitude, start_ms: 10, stop_ms: 40 },
    duration_ms: 50,
    dt_ms: 0.01,
    record: { variables: ["V"] },
  });

describe("channel blockers", () => {
  it("find the Na and delayed-rectifier K channels of every built-in model from its data", () => {
    const names = (m: string, b: "TTX" | "TEA") => blockedChannels(builtinModels[m] as NeuronModel, b).map((c) => c.name);
    for (const m of ["lab", "hh1952", "wang-buzsaki", "traub-miles", "connor-stevens"]) {
      expect(names(m, "TTX")).toEqual(["Na"]);
      expect(names(m, "TEA")).toEqual(["K"]);
    }
    // Morris–Lecar: Ca and K, no Na; the passive model: a leak only
    expect(names("morris-lecar", "TTX")).toEqual([]);
    expect(names("morris-lecar", "TEA")).toEqual(["K"]);
    expect(names("passive", "TEA")).toEqual([]);
  });

  it("TTX 100 % on the lab model: no spike at 10 µA/cm² (which fires without it)", () => {
    expect(run("lab", {}).spikes.t_ms.length).toBeGreaterThan(1);
    const p = blockParameters(lab, { TTX: 1 });
    expect(p).toEqual({ gNa: 0 });
    expect(run("lab", p).spikes.t_ms).toHaveLength(0);
  });

  it("a 50 % block is the conductance halved, bit for bit", () => {
    const p = blockParameters(lab, { TTX: 0.5 });
    expect(p.gNa).toBe(25);
    const a = run("lab", p).traces.V?.[0] as Float64Array;
    const b = run("lab", { gNa: 25 }).traces.V?.[0] as Float64Array;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    // a given conductance is the one blocked; other parameters pass through
    expect(blockParameters(lab, { TTX: 0.25, TEA: 0.5 }, { gNa: 100, Cm: 2 })).toEqual({ gNa: 75, gK: 5, Cm: 2 });
  });

  it("TEA on hh1952 lengthens the action potential (half-width and repolarisation)", () => {
    const width = (parameters: Record<string, number>) => {
      const r = run("hh1952", parameters, 10);
      const aps = actionPotentials(r.t_ms, r.traces.V?.[0] as Float64Array);
      return aps[0]?.half_width_ms as number;
    };
    const w0 = width({});
    const w50 = width(blockParameters(hh, { TEA: 0.5 }));
    const w90 = width(blockParameters(hh, { TEA: 0.9 }));
    expect(w0).toBeGreaterThan(0.5);
    expect(w50).toBeGreaterThan(w0 * 1.15);
    expect(w90).toBeGreaterThan(w50 * 1.3);
  });

  it("a model without the channel: one line naming the model and its channels", () => {
    expect(() => blockedConductances(builtinModels.passive as NeuronModel, { TEA: 1 })).toThrow(
      /^TEA blocks the delayed-rectifier K channel, which the model passive does not have \(its channels: L\)$/,
    );
    expect(() => blockParameters(builtinModels["morris-lecar"] as NeuronModel, { TTX: 0.5 })).toThrow(
      "TTX blocks the Na channel, which the model morris-lecar does not have (its channels: Ca, K, L)",
    );
    expect(() => blockParameters(lab, { TTX: 1.5 })).toThrow("the TTX block fraction must be a number in [0, 1]");
  });

  it("parses --block values and labels the legend", () => {
    expect(parseBlock("TTX=0.5")).toEqual(["TTX", 0.5]);
    expect(parseBlock("tea")).toEqual(["TEA", 1]);
    expect(() => parseBlock("4AP=1")).toThrow('--block must be BLOCKER=FRACTION with BLOCKER one of TTX, TEA (e.g. TTX=0.5); got "4AP=1"');
    expect(() => parseBlock("TTX=2")).toThrow('--block TTX must be a fraction in [0, 1] (1 blocks the whole conductance); got "2"');
    expect(() => parseBlock("TTX=")).toThrow('got ""');
    expect(blocksLabel({ TTX: 0.5, TEA: 1 })).toBe("TTX 50 %, TEA 100 %");
    expect(blocksLabel({ TTX: 0.07 })).toBe("TTX 7 %");
  });
});

describe("channel blockers on models with GHK channels", () => {
  const ghk = readModelFile(new URL("./fixtures/models/hh-ghk-calcium.json", import.meta.url).pathname);
  it("a GHK calcium channel is neither TTX's nor TEA's target: they block Na and K, and leave PCaT", () => {
    expect(blockedChannels(ghk, "TTX").map((c) => c.name)).toEqual(["Na"]);
    expect(blockedChannels(ghk, "TEA").map((c) => c.name)).toEqual(["K"]);
    expect(blockParameters(ghk, { TTX: 0.5, TEA: 1 })).toEqual({ gNa: 60, gK: 0 });
  });
  it("a Na channel with a GHK current is still TTX's: the block scales its permeability PNa (cm/s), as --param PNa does", () => {
    const na = ghk.channels[0] as NeuronModel["channels"][number];
    const { gMax_mS_per_cm2: _g, eRev_mV: _e, ...rest } = na;
    const model: NeuronModel = {
      ...ghk,
      name: "ghk-na",
      ions: { ...ghk.ions, na: { charge: 1, outside_mM: 140, inside_mM: 10 } },
      channels: [{ ...rest, ion: "na", ghk: { permeability_cm_per_s: 5e-3 } }, ...ghk.channels.slice(1)],
    };
    expect(blockedConductances(model, { TTX: 0.5 })).toEqual([{ blocker: "TTX", channel: "Na", parameter: "PNa", factor: 0.5 }]);
    expect(blockParameters(model, { TTX: 0.5 })).toEqual({ PNa: 2.5e-3 });
    expect(blockParameters(model, { TTX: 0.5 }, { PNa: 1e-2 })).toEqual({ PNa: 5e-3 });
    const at = (parameters: Record<string, number>) =>
      simulate({
        model,
        parameters,
        stimulus: { amplitude_uA_per_cm2: 10, start_ms: 10, stop_ms: 40 },
        duration_ms: 50,
        dt_ms: 0.01,
        record: { variables: ["V"] },
      }).traces.V?.[0] as Float64Array;
    const a = at(blockParameters(model, { TTX: 0.5 }));
    expect(Buffer.from(a.buffer).equals(Buffer.from(at({ PNa: 2.5e-3 }).buffer))).toBe(true);
  });
});
