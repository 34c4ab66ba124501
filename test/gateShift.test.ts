/**
 * A gate's voltage shift (`vShift_mV` in the model, the per-neuron parameter `vShift_<gate>`): every rate
 * law of the gate read at V − shift. Checked against the definition (a model whose expressions read
 * (V − s) for V), between the two ways of giving it (model field, per-neuron parameter), and on every CPU
 * backend bit for bit (reference evaluator, printed JavaScript, WebAssembly kernel); the GPU printer reads
 * it as an input only where a run sets it.
 */
import { describe, expect, it } from "vitest";
import { vectorField } from "../src/dynamics/field.js";
import { generateKernel } from "../src/gpu/index.js";
import { packJob } from "../src/gpu/job.js";
import { compileModel } from "../src/models/compile.js";
import { builtinModels } from "../src/models/index.js";
import { modelParameters } from "../src/models/parameters.js";
import type { ChannelGate, GateDefinition, NeuronModel } from "../src/models/types.js";
import { SpikeDetector } from "../src/record/spikes.js";
import { simulate } from "../src/simulate.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";
import { fusedRunner, wasmSimdAvailable } from "../src/wasm/run.js";

const model = (name: string) => builtinModels[name] as NeuronModel;
/** The model with gate `gate`'s vShift_mV set. */
const withShift = (m: NeuronModel, shifts: Record<string, number>): NeuronModel => ({
  ...m,
  channels: m.channels.map((c) => ({
    ...c,
    gates: c.gates.map((g) => (shifts[g.name] === undefined ? g : ({ ...g, vShift_mV: shifts[g.name] } as GateDefinition))),
  })),
});

describe("a gate's voltage shift", () => {
  it("is a parameter per gate, vShift_<gate> (mV), default the model's vShift_mV or 0", () => {
    const names = modelParameters(model("hh1952")).filter((p) => p.name.startsWith("vShift_"));
    expect(names.map((p) => [p.name, p.value, p.unit])).toEqual([
      ["vShift_m", 0, "mV"],
      ["vShift_h", 0, "mV"],
      ["vShift_n", 0, "mV"],
    ]);
    expect(modelParameters(withShift(model("lab"), { n: -4 })).find((p) => p.name === "vShift_n")?.value).toBe(-4);
  });

  it("moves every rate law of the gate: α(V) of the shifted gate is α(V − s) of the model's", () => {
    const plain = compileModel(model("hh1952"));
    const shifted = compileModel(withShift(model("hh1952"), { m: 7.5 }));
    for (const v of [-80, -40.25, 0, 30]) {
      expect(shifted.gates[0]?.alpha?.(v)).toBe(plain.gates[0]?.alpha?.(v - 7.5));
      expect(shifted.gates[0]?.beta?.(v)).toBe(plain.gates[0]?.beta?.(v - 7.5));
      expect(shifted.gates[1]?.alpha?.(v)).toBe(plain.gates[1]?.alpha?.(v));
    }
  });

  it("equals the model whose rate expressions read (V - s) for V, bit for bit (Morris–Lecar: x∞/τ and an instantaneous gate)", () => {
    const ml = model("morris-lecar");
    // the definition: V replaced by (V - s) in the gate's expressions
    const rewrite = (g: ChannelGate, s: number): ChannelGate =>
      JSON.parse(JSON.stringify(g).replace(/"expr":"([^"]*)"/g, (_, e: string) => `"expr":"${e.replace(/\bV\b/g, `(V - ${s})`)}"`));
    const byText: NeuronModel = {
      ...ml,
      channels: ml.channels.map((c) => ({ ...c, gates: c.gates.map((g) => rewrite(g, g.instantaneous ? 3 : -6)) })),
    };
    const instantaneous = ml.channels.flatMap((c) => c.gates).find((g) => g.instantaneous)?.name as string;
    const state = ml.channels.flatMap((c) => c.gates).find((g) => !g.instantaneous)?.name as string;
    const run = (m: NeuronModel, parameters: Record<string, number[]> = {}) =>
      simulate({
        model: m,
        duration_ms: 100,
        dt_ms: 0.05,
        parameters: { V0: [-60, -60], ...parameters },
        stimulus: { type: "step", amplitude_uA_per_cm2: [0, 100], start_ms: 10, stop_ms: 90 },
        record: { variables: ["V"], sample_ms: 0.5 },
      }).traces.V as Float64Array[];
    const text = run(byText);
    const param = run(ml, { [`vShift_${instantaneous}`]: [3, 3], [`vShift_${state}`]: [-6, -6] });
    const field = run(withShift(ml, { [instantaneous]: 3, [state]: -6 }));
    expect(Math.max(...(text[1] as Float64Array)), "the shifted model fires").toBeGreaterThan(0);
    expect(param.map((v) => Array.from(v))).toEqual(text.map((v) => Array.from(v)));
    expect(field.map((v) => Array.from(v))).toEqual(text.map((v) => Array.from(v)));
  });

  it("per neuron: each neuron runs as the model with its own shift (V0 at that model's resting potential)", () => {
    const shifts = [0, 4, -3];
    const lab: NeuronModel = { ...model("lab"), v0_mV: "rest" };
    const run = (m: NeuronModel, n: number, parameters: Record<string, number[]> = {}) =>
      simulate({
        model: m,
        duration_ms: 60,
        dt_ms: 0.025,
        parameters,
        stimulus: { type: "step", amplitude_uA_per_cm2: Array(n).fill(8), start_ms: 10, stop_ms: 50 },
        record: { variables: ["V", "m"], sample_ms: 0.1 },
      });
    const batch = run(lab, 3, { vShift_m: shifts });
    shifts.forEach((s, i) => {
      const one = run(withShift(lab, { m: s }), 1);
      expect(Array.from(batch.traces.V?.[i] as Float64Array)).toEqual(Array.from(one.traces.V?.[0] as Float64Array));
      expect(Array.from(batch.traces.m?.[i] as Float64Array)).toEqual(Array.from(one.traces.m?.[0] as Float64Array));
    });
    // a shift moves the resting potential (the run starts there)
    const v0 = (batch.traces.V ?? []).map((v) => v[0] as number);
    expect(new Set(v0).size).toBe(3);
    expect(Array.from(run(lab, 1).traces.V?.[0] as Float64Array)).toEqual(Array.from(batch.traces.V?.[0] as Float64Array));
  });

  const METHODS = ["euler", "exp-euler", "backward-euler", "rk4"] as const;
  describe.each(["lab", "hh1952", "wang-buzsaki"])("%s with per-neuron shifts on every CPU backend", (name) => {
    const m = model(name);
    const gates = m.channels.flatMap((c) => c.gates.map((g) => g.name));
    const n = 3;
    const parameters = Object.fromEntries(gates.map((g, j) => [`vShift_${g}`, [0, 2.5 + j, -1.5 * (j + 1)]]));
    const dt = 0.02;
    const steps = 3000;
    const system = (kernel: "compiled" | "declarative") =>
      membraneSystem({ model: m, n, parameters, stimulus: stepCurrent({ amplitude: [6, 12, 20], start: 5.01, stop: 49.99 }, n), kernel });
    const stepwise = (kernel: "compiled" | "declarative", method: string) => {
      const s = system(kernel);
      const stepper = s.stepper(method);
      const y = s.initialState();
      const spikes = new SpikeDetector(n, 0);
      for (let k = 0; k < steps; k++) {
        spikes.before(y);
        stepper?.step(k * dt, dt, y);
        spikes.after(k * dt, dt, y);
      }
      const r = spikes.result();
      return { y: Array.from(y), neuron: Array.from(r.neuron), t: Array.from(r.t_ms) };
    };
    it.each(METHODS)("%s: printed JavaScript and WebAssembly equal the reference evaluator bit for bit", (method) => {
      const ref = stepwise("declarative", method);
      expect(ref.t.length).toBeGreaterThan(3);
      expect(new Set(ref.neuron).size).toBe(3);
      expect(stepwise("compiled", method)).toEqual(ref);
      if (!wasmSimdAvailable) return;
      const s = system("compiled");
      const y = s.initialState();
      const neuron: number[] = [];
      const t: number[] = [];
      const fused = fusedRunner(s, method, false, steps);
      expect(fused).toBeDefined();
      expect(
        fused?.run(y, steps, dt, 0, (i, ti) => {
          neuron.push(i);
          t.push(ti);
        }),
      ).toBe(true);
      expect({ y: Array.from(y), neuron, t }).toEqual(ref);
    });
  });

  it("the GPU kernel reads vShift_<gate> where a run sets it, and is unchanged where none does", () => {
    const base = { dt_ms: 0.025, duration_ms: 10, stimulus: { amplitude_uA_per_cm2: [0, 5], start_ms: 1, stop_ms: 9 } };
    const plain = packJob({ model: "lab", ...base });
    expect([...plain.shifted]).toEqual([]);
    const rest: NeuronModel = { ...model("lab"), v0_mV: "rest" };
    const job = packJob({ model: rest, ...base, parameters: { vShift_m: [0, 3], vShift_n: 2 } });
    expect([...job.shifted]).toEqual(["m", "n"]);
    expect([...job.perNeuron]).toContain("vShift_m");
    const code = (j: typeof job) =>
      generateKernel({ model: j.model, method: "euler", perNeuron: j.perNeuron, constants: j.constants, shifted: j.shifted }).code;
    expect(code(job)).toContain("(V - p_vShift_m)");
    expect(code(job)).toContain("(V - p_vShift_n)");
    expect(code(job)).not.toContain("(V - p_vShift_h)");
    expect(code(plain)).not.toContain("(V - p_vShift");
    // the resting potential (V0) of each neuron follows its shift, as on the CPU
    const cpu = membraneSystem({
      model: rest,
      n: 2,
      parameters: { vShift_m: [0, 3], vShift_n: 2 },
      stimulus: stepCurrent({ amplitude: [0, 5], start: 1, stop: 9 }, 2),
    });
    expect(new Set(Array.from(job.columns.get("V0") as ArrayLike<number>)).size).toBe(2);
    expect(Array.from(job.columns.get("V0") as ArrayLike<number>)).toEqual(Array.from(cpu.parameters.get("V0") as Float64Array));
  });

  it("the phase-plane field reads it too: the shifted field equals the shifted model's", () => {
    const lab = model("lab");
    const a = vectorField(lab, { vShift_h: -5, I: 3 });
    const b = vectorField(withShift(lab, { h: -5 }), { I: 3 });
    for (const v of [-70, -55, -20]) expect(Array.from(a.steadyState(v))).toEqual(Array.from(b.steadyState(v)));
    const x = a.steadyState(-60);
    const f = new Float64Array(x.length);
    const g = new Float64Array(x.length);
    a.rhs(x, f);
    b.rhs(x, g);
    expect(Array.from(f)).toEqual(Array.from(g));
    expect(a.steadyCurrent(-60)).not.toBe(vectorField(lab, { I: 3 }).steadyCurrent(-60));
  });

  it("refuses a shift outside ±100 mV, in a run and in a model file, naming it", () => {
    expect(() =>
      simulate({ model: "lab", duration_ms: 1, dt_ms: 0.025, parameters: { vShift_m: 150 }, record: { variables: [] } }),
    ).toThrow(/parameter vShift_m \(mV\) must be a finite number in \[-100, 100\]/);
    expect(() => compileModel(withShift(model("lab"), { h: Number.NaN }))).toThrow(/channel Na, gate h, vShift_mV/);
  });
});
