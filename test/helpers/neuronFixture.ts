/**
 * Comparing a run with a NEURON fixture: the reference runs written by scripts/nmodl-neuron.py (NEURON 8.2.2, CVODE
 * atol 1e-10, rtol 0; provenance inside each file), and test/fixtures/reference/hh1952-step10-neuron.json. One
 * protocol (a step from V0 at the fixture's V samples), one tight rk45 run, and the two measures every such test
 * states its tolerance for: the largest spike-time difference and the V difference over NEURON's samples. The tests
 * keep their own tolerances (each measured); the helpers assert only that the counts agree (spikes, samples).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { type SimulationResult, simulate } from "../../src/index.js";
import type { NeuronModel } from "../../src/models/types.js";
import { hh1952Reference } from "./reference.js";

/** A NEURON run of a one-compartment cell: a step from V0, spike times, and V every v_trace_dt_ms. */
export interface NeuronFixture {
  readonly protocol: {
    readonly V0_mV: number;
    readonly amplitude_uA_per_cm2: number;
    readonly start_ms: number;
    readonly stop_ms: number;
    readonly duration_ms: number;
  };
  readonly spike_times_ms: readonly number[];
  readonly v_trace_dt_ms: number;
  readonly v_trace_mV: readonly number[];
}

/** A file of test/fixtures (e.g. "nmodl/hay2011/soma-neuron.json") as an absolute path. */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** A NEURON fixture from test/fixtures. */
export const readNeuronFixture = (name: string): NeuronFixture => JSON.parse(readFileSync(fixturePath(name), "utf8"));

/**
 * The fixture's protocol on a model, as these tests compare it with NEURON: rk45 at rtol 1e-10 and atol 1e-12
 * (unless `tolerances` says otherwise), V0 from the protocol (and `parameters`), sampled every `dt_ms` (default the
 * fixture's V step).
 */
export function runNeuronProtocol(
  model: string | NeuronModel,
  ref: Pick<NeuronFixture, "protocol" | "v_trace_dt_ms">,
  o: { variables?: string[]; dt_ms?: number; tolerances?: { rtol?: number; atol?: number }; parameters?: Record<string, number> } = {},
): SimulationResult {
  const p = ref.protocol;
  return simulate({
    model,
    parameters: { V0: p.V0_mV, ...o.parameters },
    stimulus: { amplitude_uA_per_cm2: p.amplitude_uA_per_cm2, start_ms: p.start_ms, stop_ms: p.stop_ms },
    duration_ms: p.duration_ms,
    dt_ms: o.dt_ms ?? ref.v_trace_dt_ms,
    method: "rk45",
    rtol: 1e-10,
    atol: 1e-12,
    ...(o.tolerances ?? {}),
    record: { variables: o.variables ?? ["V"] },
  });
}

/** The largest |t − t_NEURON| (ms) over the spikes, after asserting that there are as many as NEURON's. */
export function spikeTimeError_ms(spikes_ms: ArrayLike<number>, ref_ms: readonly number[]): number {
  expect(Array.from(spikes_ms)).toHaveLength(ref_ms.length);
  return Math.max(...ref_ms.map((t, k) => Math.abs((spikes_ms[k] as number) - t)));
}

/** The RMS and the largest |V − V_NEURON| (mV) over NEURON's samples, after asserting that there are as many. */
export function traceError_mV(V: ArrayLike<number>, ref_mV: readonly number[]): { rms: number; max: number } {
  expect(V).toHaveLength(ref_mV.length);
  let ss = 0;
  let max = 0;
  for (let k = 0; k < V.length; k++) {
    const d = (V[k] as number) - (ref_mV[k] as number);
    ss += d * d;
    max = Math.max(max, Math.abs(d));
  }
  return { rms: Math.sqrt(ss / V.length), max };
}

/** test/fixtures/reference/hh1952-step10-neuron.json (NEURON's built-in hh, CVODE rtol 0 atol 1e-10) as a NeuronFixture. */
export function hh1952NeuronFixture(): NeuronFixture {
  const ref = hh1952Reference();
  const p = ref.protocol;
  return {
    ...ref,
    protocol: {
      V0_mV: p.V0_mV,
      amplitude_uA_per_cm2: p.step_amplitude_uA_per_cm2,
      start_ms: p.step_start_ms,
      stop_ms: p.step_stop_ms,
      duration_ms: p.duration_ms,
    },
  };
}
