/**
 * Every built-in model × every method with a step program, on every CPU backend: the reference
 * evaluator (src/program/evaluate.ts, the definition), the JavaScript printer (program/js.ts) and
 * the WebAssembly SIMD kernel (wasm/kernel.ts). All three perform the same f64 operations, so
 * states and spikes must agree bit for bit. The WGSL printer is checked the same way, in f32 on a
 * CPU WebGPU (SwiftShader), in test/gpu.browser.test.ts.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readModelFile } from "../src/io/modelFile.js";
import { builtinModels } from "../src/models/index.js";
import type { NeuronModel } from "../src/models/types.js";
import { SpikeDetector } from "../src/record/spikes.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";
import { fusedRunner, WASM_METHODS, wasmSimdAvailable } from "../src/wasm/run.js";
import { fusedRun, stepwise } from "./helpers/stepwise.js";

const METHODS = ["euler", "exp-euler", "backward-euler", "rk4"] as const;
/** Each model's amplitudes (µA/cm²) from rest to firing, and its duration (ms). */
const PROTOCOL: Record<string, [number[], number]> = {
  lab: [[0, 3, 8], 60],
  hh1952: [[0, 8, 20], 60],
  passive: [[0, 5, 30], 60],
  "traub-miles": [[0, 2, 10], 60],
  "wang-buzsaki": [[0, 2, 10], 60],
  "connor-stevens": [[0, 10, 30], 60],
  "morris-lecar": [[0, 90, 120], 150],
  "morris-lecar-snlc": [[0, 40, 100], 150],
  // a GHK calcium current (P·m²·h·GHK, its exact dI/dV in exp-euler and backward-euler) feeding a calcium pool
  "hh-ghk-calcium": [[0, 3, 20], 60],
};
/** The built-in models and the test models of fixtures/models (by name). */
const MODELS: Record<string, NeuronModel | undefined> = {
  ...builtinModels,
  "hh-ghk-calcium": readModelFile(fileURLToPath(new URL("./fixtures/models/hh-ghk-calcium.json", import.meta.url))),
};
const dt = 0.02;
// a window whose edges fall inside a step: the currents at t, t + dt/2 and just before t + dt differ there
const start = 5.01;

const system = (model: string, kernel: "compiled" | "declarative") => {
  const [amps, duration] = PROTOCOL[model] as [number[], number];
  return membraneSystem({
    model: MODELS[model] as NonNullable<(typeof builtinModels)[string]>,
    n: amps.length,
    stimulus: stepCurrent({ amplitude: amps, start, stop: duration - 10.01 }, amps.length),
    kernel,
  });
};

describe.each(Object.keys(PROTOCOL))("%s", (model) => {
  const steps = Math.round((PROTOCOL[model] as [number[], number])[1] / dt);
  const reference = new Map(METHODS.map((m) => [m, stepwise(system(model, "declarative"), m, steps, dt)]));

  it.each(METHODS)("%s: the printed JavaScript equals the reference evaluator bit for bit (state and spikes)", (method) => {
    const ref = reference.get(method);
    expect(ref?.t.length, "the protocol reaches firing").toBeGreaterThan(model === "passive" ? -1 : 0);
    expect(stepwise(system(model, "compiled"), method, steps, dt)).toEqual(ref);
  });

  // the kernel declines models that call functions it does not have (tanh, cosh): they step in JavaScript
  const declined = ["connor-stevens", "morris-lecar", "morris-lecar-snlc"].includes(model);
  it.runIf(wasmSimdAvailable).each(METHODS)(
    `%s: the WebAssembly kernel ${declined ? "is declined (a function it lacks)" : "equals the reference evaluator bit for bit"}`,
    (method) => {
      const s = system(model, "compiled");
      const fused = fusedRunner(s, method, false, steps);
      if (declined) {
        expect(fused).toBeUndefined();
        return;
      }
      expect(fused).toBeDefined();
      const y = s.initialState();
      const neuron: number[] = [];
      const t: number[] = [];
      expect(
        fused?.run(y, steps, dt, 0, (i, ti) => {
          neuron.push(i);
          t.push(ti);
        }),
      ).toBe(true);
      expect({ y: Array.from(y), neuron, t }).toEqual(reference.get(method));
    },
  );
});

// The kernel reads the arrays that hold one value for the whole batch once a call (and computes what depends
// only on them once a call or a step): a batch with one amplitude and gNa per neuron (no shared quiet prefix),
// and one where every neuron is alike, against the reference evaluator of the same batch.
describe.runIf(wasmSimdAvailable).each([
  ["one amplitude, gNa per neuron", 8, { gNa: [100, 110, 120, 130] }],
  ["every neuron alike", 8, {}],
] as const)("lab, %s", (_, amplitude, parameters) => {
  const steps = 2500;
  const batch = (kernel: "compiled" | "declarative") =>
    membraneSystem({
      model: builtinModels.lab as NonNullable<(typeof builtinModels)[string]>,
      n: 4,
      stimulus: stepCurrent({ amplitude, start, stop: 40 }, 4),
      parameters,
      kernel,
    });
  it.each(METHODS)("%s: the WebAssembly kernel equals the reference evaluator bit for bit", (method) => {
    const reference = stepwise(batch("declarative"), method, steps, dt);
    expect(reference.t.length).toBeGreaterThan(4);
    const { ok, result } = fusedRun(batch("compiled"), method, steps, dt);
    expect(ok).toBe(true);
    expect(result).toEqual(reference);
  });
});

/**
 * Fast math (`fast_math: true`): polynomial exp/expm1, reciprocal multiplication and α − (α+β)·x for
 * the gates, for every method. Not bit-identical: the same spike counts as the exact kernel, spike
 * times within 1e-9 ms (measured: at most 2.7e-11 ms (lab, backward-euler), most within 3e-12 ms; 200 ms, 101 neurons).
 */
describe.runIf(wasmSimdAvailable).each(["lab", "hh1952", "traub-miles", "wang-buzsaki"])("%s, fast math", (model) => {
  it.each(METHODS)("%s: the same spike counts as the exact kernel, spike times within 1e-9 ms", (method) => {
    const n = 101;
    const m = builtinModels[model] as NonNullable<(typeof builtinModels)[string]>;
    const top = model === "hh1952" ? 30 : 15;
    const stimulus = stepCurrent({ amplitude: Array.from({ length: n }, (_, i) => (top * i) / (n - 1)), start: 20, stop: 180 }, n);
    const run = (fast: boolean) => {
      const s = membraneSystem({ model: m, n, stimulus });
      const y = s.initialState();
      const spikes = new SpikeDetector(n, 0);
      expect(fusedRunner(s, method, fast, 8000)?.run(y, 8000, 0.025, 0, (i, t) => spikes.record(i, t))).toBe(true);
      return spikes.result();
    };
    const exact = run(false);
    const fast = run(true);
    expect(Array.from(fast.count)).toEqual(Array.from(exact.count));
    expect(Array.from(fast.neuron)).toEqual(Array.from(exact.neuron));
    let worst = 0;
    exact.t_ms.forEach((t, j) => {
      worst = Math.max(worst, Math.abs(t - (fast.t_ms[j] as number)));
    });
    console.log(`fast math: ${model} ${method}: ${exact.t_ms.length} spikes, times within ${worst.toExponential(2)} ms`);
    expect(exact.t_ms.length).toBeGreaterThan(50);
    expect(worst).toBeLessThan(1e-9);
  });
});

it("every method with a step program has a WebAssembly kernel", () => {
  expect([...WASM_METHODS].sort()).toEqual([...METHODS].sort());
});
