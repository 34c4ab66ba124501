import { invalid } from "../errors.js";
import { getMethod } from "../integrators/registry.js";
import { type SpikeRecord, spikeTimesOf } from "../record/spikes.js";
import { simulate } from "../simulate.js";
import { parseSimulationSpec, type SimulationSpecInput } from "../spec.js";
import type { Ms } from "../units.js";
import { type FiOptions, fiSpec } from "./fi.js";

/** Default: spike times may move by less than this between the run and its refinement (ms). */
export const DEFAULT_CONVERGENCE_TOLERANCE_MS = 0.1;

export interface NeuronConvergence {
  readonly neuron: number;
  readonly spike_count: number;
  /** Spike count of the refined run (dt/2, or rtol and atol / 10 for an adaptive method). */
  readonly refined_spike_count: number;
  /** Largest change of a spike time between the two runs, over the spikes both have (ms; 0 when none). */
  readonly max_shift_ms: Ms;
  readonly converged: boolean;
}

export interface ConvergenceReport {
  /** True when no neuron's spike count changed and no spike time moved by tolerance_ms or more. */
  readonly converged: boolean;
  readonly method: string;
  readonly tolerance_ms: Ms;
  /** What the run was compared with. */
  readonly refined: { readonly dt_ms: Ms; readonly rtol?: number; readonly atol?: number };
  readonly neurons: readonly NeuronConvergence[];
  /** Indices of the neurons that are not converged. */
  readonly not_converged: readonly number[];
}

export interface ConvergenceOptions {
  readonly tolerance_ms?: Ms;
  /** The spikes of the run itself, when already computed (saves one run). */
  readonly spikes?: SpikeRecord;
}

/**
 * Checks whether a run's spikes are converged in the time step: reruns it at dt/2 (for an adaptive
 * method: at rtol/10 and atol/10, same sample interval) and compares every neuron's spike count and
 * spike times. A neuron is converged when its count is unchanged and no spike moved by tolerance_ms or more.
 */
export function checkConvergence(input: SimulationSpecInput, options: ConvergenceOptions = {}): ConvergenceReport {
  const tolerance = options.tolerance_ms ?? DEFAULT_CONVERGENCE_TOLERANCE_MS;
  if (!(Number.isFinite(tolerance) && tolerance > 0))
    throw invalid("tolerance_ms (convergence check)", tolerance, "a positive number of ms");
  const spec = parseSimulationSpec(input);
  const adaptive = getMethod(spec.method).createAdaptive !== undefined;
  const spikesOnly = { ...spec, record: { variables: [] } };
  const refinedSpec = adaptive
    ? { ...spikesOnly, rtol: Math.max(spec.rtol / 10, 1e-13), atol: Math.max(spec.atol / 10, 1e-16) }
    : { ...spikesOnly, dt_ms: spec.dt_ms / 2 };
  const a = options.spikes ?? simulate(spikesOnly).spikes;
  const b = simulate(refinedSpec).spikes;
  const neurons: NeuronConvergence[] = [];
  for (let i = 0; i < a.count.length; i++) {
    const ta = spikeTimesOf(a, i);
    const tb = spikeTimesOf(b, i);
    let shift = 0;
    for (let k = 0; k < Math.min(ta.length, tb.length); k++) shift = Math.max(shift, Math.abs((ta[k] as number) - (tb[k] as number)));
    neurons.push({
      neuron: i,
      spike_count: ta.length,
      refined_spike_count: tb.length,
      max_shift_ms: shift,
      converged: ta.length === tb.length && shift < tolerance,
    });
  }
  const not_converged = neurons.filter((x) => !x.converged).map((x) => x.neuron);
  return {
    converged: not_converged.length === 0,
    method: spec.method,
    tolerance_ms: tolerance,
    refined: adaptive ? { dt_ms: spec.dt_ms, rtol: refinedSpec.rtol, atol: refinedSpec.atol } : { dt_ms: refinedSpec.dt_ms },
    neurons,
    not_converged,
  };
}

export interface FiConvergenceReport extends ConvergenceReport {
  /** Amplitudes (µA/cm²) whose spikes are not converged. */
  readonly not_converged_amplitudes_uA_per_cm2: readonly number[];
}

/** The convergence check of an f–I sweep: which amplitudes' spike counts or times change at dt/2. */
export function checkFiConvergence(o: FiOptions, options: ConvergenceOptions = {}): FiConvergenceReport {
  const amplitudes = Array.from(o.amplitudes);
  const report = checkConvergence(fiSpec(o), options);
  return { ...report, not_converged_amplitudes_uA_per_cm2: report.not_converged.map((i) => amplitudes[i] as number) };
}

/** A one-line warning for a report that is not converged (for stderr), or undefined when it is. */
export function convergenceWarning(r: ConvergenceReport, label = (i: number) => `neuron ${i}`): string | undefined {
  if (r.converged) return undefined;
  const refined = r.refined.rtol !== undefined ? `rtol ${r.refined.rtol}, atol ${r.refined.atol}` : `dt ${r.refined.dt_ms} ms`;
  const worst = r.neurons.reduce((w, x) => (x.max_shift_ms > w.max_shift_ms ? x : w));
  const counts = r.neurons.filter((x) => x.spike_count !== x.refined_spike_count).length;
  return (
    `warning: not converged (${r.method}): at ${refined} the spikes of ${r.not_converged.length} of ${r.neurons.length} ` +
    `run(s) change (${r.not_converged.map(label).join(", ")}); ${counts} spike count(s) differ, spike times move by up to ` +
    `${worst.max_shift_ms.toFixed(3)} ms (tolerance ${r.tolerance_ms} ms). ${r.refined.rtol !== undefined ? "Tighten --rtol/--atol." : "Use a smaller --dt-ms, or --method rk45."}`
  );
}
