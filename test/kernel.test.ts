import { describe, expect, it } from "vitest";
import { builtinModels, membraneSystem, modelParameters, type NeuronModel, simulate, spikeTimesOf, stepCurrent } from "../src/index.js";

// The generated kernel (the step program printed as JavaScript, src/program/js.ts) must compute exactly what the declarative path (the reference evaluator) computes.
const n = 64;
const randomState = (names: readonly string[], seed: number) => {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const y = new Float64Array(names.length * n);
  for (let i = 0; i < n; i++) {
    y[i] = -100 + 160 * rand(); // V over the physiological range, including the singular voltages
    for (let k = 1; k < names.length; k++) y[k * n + i] = rand();
  }
  // exactly at the removable singularities of the lab and hh1952 rates
  [-54, -52, -27, -40, -55].forEach((v, i) => {
    y[i] = v;
  });
  return y;
};

describe.each(Object.values(builtinModels).map((m) => [m.name, m] as const))("the compiled kernel of %s", (_name, model: NeuronModel) => {
  const temperature = modelParameters(model).some((p) => p.name === "celsius");
  const parameters: Record<string, number[]> = temperature ? { celsius: Array.from({ length: n }, (_, i) => 6 + i / 4) } : {};
  const make = (kernel: "compiled" | "declarative") =>
    membraneSystem({
      model,
      n,
      stimulus: stepCurrent({ amplitude: Array.from({ length: n }, (_, i) => i / 8), start: 0, stop: 10 }, n),
      parameters,
      kernel,
    });

  it("gives the declarative derivatives bit for bit at random states", () => {
    const fast = make("compiled");
    const ref = make("declarative");
    for (let seed = 1; seed <= 5; seed++) {
      const y = randomState(fast.names, seed);
      const a = new Float64Array(y.length);
      const b = new Float64Array(y.length);
      fast.derivatives(1, y, a);
      ref.derivatives(1, y, b);
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it("takes a fused Euler step equal to derivative + update", () => {
    const fast = make("compiled");
    const y = randomState(fast.names, 7);
    const viaDerivative = Float64Array.from(y);
    const d = new Float64Array(y.length);
    fast.derivatives(2, viaDerivative, d);
    for (let j = 0; j < y.length; j++) viaDerivative[j] = (viaDerivative[j] as number) + 0.01 * (d[j] as number);
    fast.eulerStep?.(2, 0.01, y);
    expect(Array.from(y)).toEqual(Array.from(viaDerivative));
  });
});

it("the lab's f–I batch fires the same spikes with the compiled kernel as with the declarative path", () => {
  const amplitudes = Array.from({ length: 51 }, (_, i) => i / 5);
  const spec = { model: "lab", stimulus: { amplitude_uA_per_cm2: amplitudes, start_ms: 50, stop_ms: 200 }, duration_ms: 200, dt_ms: 0.025 };
  const fast = simulate({ ...spec, record: { variables: [] } });
  const ref = membraneSystem({
    model: builtinModels.lab!,
    n: 51,
    stimulus: stepCurrent({ amplitude: amplitudes, start: 50, stop: 200 }, 51),
    kernel: "declarative",
  });
  const y = ref.initialState();
  const d = new Float64Array(y.length);
  const counts = new Array(51).fill(0);
  for (let k = 0; k < 8000; k++) {
    const before = y.slice(0, 51);
    ref.derivatives(k * 0.025, y, d);
    for (let j = 0; j < y.length; j++) y[j] = (y[j] as number) + 0.025 * (d[j] as number);
    for (let i = 0; i < 51; i++) if ((before[i] as number) < 0 && (y[i] as number) >= 0) counts[i]++;
  }
  expect(Array.from(fast.spikes.count)).toEqual(counts);
  expect(spikeTimesOf(fast.spikes, 50).length).toBe(counts[50]);
});
