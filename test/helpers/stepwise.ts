/**
 * Running a membrane system's step program by hand, for the bit-for-bit comparisons of its backends (the reference
 * evaluator, the printed JavaScript, the WebAssembly kernel): the final state and the spikes (upward crossings of
 * 0 mV) after `steps` steps of `dt_ms` from the initial state.
 */
import { expect } from "vitest";
import { SpikeDetector } from "../../src/record/spikes.js";
import type { MembraneSystem } from "../../src/system/membrane.js";
import { fusedRunner } from "../../src/wasm/run.js";

/** The final state and every spike (neuron, time in ms) of a run. */
export interface SteppedRun {
  readonly y: number[];
  readonly neuron: number[];
  readonly t: number[];
}

/** The step-by-step loop through `s.stepper(method)` (throws when the system has no step program for the method). */
export function stepwise(s: MembraneSystem, method: string, steps: number, dt_ms: number): SteppedRun {
  const stepper = s.stepper(method);
  if (!stepper) throw new Error(`no step program for ${method}`);
  const y = s.initialState();
  const spikes = new SpikeDetector(s.n, 0);
  for (let k = 0; k < steps; k++) {
    spikes.before(y);
    stepper.step(k * dt_ms, dt_ms, y);
    spikes.after(k * dt_ms, dt_ms, y);
  }
  const r = spikes.result();
  return { y: Array.from(y), neuron: Array.from(r.neuron), t: Array.from(r.t_ms) };
}

/**
 * The same run on the fused WebAssembly kernel (exact arithmetic), after asserting that there is one for the method:
 * `ok` is whether the kernel kept the batch (false: a lane was flagged and the batch declined), `result` the run.
 */
export function fusedRun(s: MembraneSystem, method: string, steps: number, dt_ms: number): { ok: boolean | undefined; result: SteppedRun } {
  const run = fusedRunner(s, method, false, steps);
  expect(run).toBeDefined();
  const y = s.initialState();
  const neuron: number[] = [];
  const t: number[] = [];
  const ok = run?.run(y, steps, dt_ms, 0, (i, ti) => {
    neuron.push(i);
    t.push(ti);
  });
  return { ok, result: { y: Array.from(y), neuron, t } };
}
