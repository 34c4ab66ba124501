/**
 * The lab notebook's protocols, defined once: experiment 1 (one neuron, one step current), experiment 2
 * (the f–I sweep) and the converged reference of the sweep. The CLI's defaults, the report, the web
 * app's defaults and the benchmarks all read them from here.
 */
import type { SimulationSpecInput } from "../spec.js";
import { type FiOptions, linspace } from "./fi.js";

/** The lab's experiment 1: the lab model, 3 µA/cm² on [10, 20) ms, 50 ms, forward Euler, dt 0.025 ms, spikes at 0 mV. */
export const LAB_EXPERIMENT_1 = {
  model: "lab",
  method: "euler",
  dt_ms: 0.025,
  duration_ms: 50,
  amplitude_uA_per_cm2: 3,
  start_ms: 10,
  stop_ms: 20,
  spike_threshold_mV: 0,
} as const;

/** The lab's experiment 2 as defaults: 0…10 µA/cm² in 51 steps on [50, 200) ms, 200 ms, Euler, dt 0.025 ms. */
export const LAB_FI = {
  model: "lab",
  method: "euler",
  from: 0,
  to: 10,
  steps: 51,
  start_ms: 50,
  stop_ms: 200,
  duration_ms: 200,
  dt_ms: 0.025,
} as const;

/** The converged reference of the lab's f–I curve: rk45 at the tolerances of test/fixtures/lab-fi-converged.json. */
export const LAB_FI_CONVERGED = { method: "rk45", rtol: 1e-10, atol: 1e-12 } as const;

/**
 * The simulation spec of the lab's experiment 1, recording `variables` (default: V only, as the
 * simulation spec's own default).
 */
export function labExperiment1Spec(variables?: readonly string[]): SimulationSpecInput {
  const e = LAB_EXPERIMENT_1;
  return {
    model: e.model,
    method: e.method,
    dt_ms: e.dt_ms,
    duration_ms: e.duration_ms,
    parameters: {},
    stimulus: { type: "step", amplitude_uA_per_cm2: e.amplitude_uA_per_cm2, start_ms: e.start_ms, stop_ms: e.stop_ms },
    spike_threshold_mV: e.spike_threshold_mV,
    ...(variables ? { record: { variables: [...variables] } } : {}),
  };
}

/** The options of `fiCurve` for the lab's experiment 2 (the 51 amplitudes, the window, Euler at dt 0.025 ms). */
export function labFiOptions(): FiOptions {
  const { from, to, steps, ...protocol } = LAB_FI;
  return { ...protocol, amplitudes: linspace(from, to, steps) };
}

/** Experiment 1's stimulus in words: "3 µA/cm² on [10, 20) ms, 50 ms". */
export function describeLabExperiment1(): string {
  const e = LAB_EXPERIMENT_1;
  return `${e.amplitude_uA_per_cm2} µA/cm² on [${e.start_ms}, ${e.stop_ms}) ms, ${e.duration_ms} ms`;
}

/** Experiment 2's sweep in words: "0…10 µA/cm² in 51 steps on [50, 200) ms". */
export function describeLabFi(): string {
  const f = LAB_FI;
  return `${f.from}…${f.to} µA/cm² in ${f.steps} steps on [${f.start_ms}, ${f.stop_ms}) ms`;
}
