import type { FiResult } from "../experiments/fi.js";
import { spikeTimesOf } from "../record/spikes.js";
import type { SimulationResult } from "../simulate.js";
import { columnName, concentrationNames, toCsv } from "./columns.js";

/**
 * Per-variable traces as unit-named columns: t_ms first, then V_mV, m, h, n, cai_mM, I_Na_uA_per_cm2, …
 * (`concentrations`: the model's concentration variables, see `concentrationNames`).
 */
export function namedColumns<A extends ArrayLike<number>>(
  t_ms: A,
  traces: Readonly<Record<string, A>>,
  concentrations: ReadonlySet<string>,
): Record<string, A> {
  const out: Record<string, A> = { t_ms };
  for (const [v, trace] of Object.entries(traces)) out[columnName(v, concentrations)] = trace;
  return out;
}

/** One neuron's run as unit-named columns: t_ms, V_mV, m, h, n, cai_mM, I_Na_uA_per_cm2, … */
export function traceColumns(r: SimulationResult, row = 0): Record<string, Float64Array> {
  const traces = Object.fromEntries(Object.entries(r.traces).map(([v, rows]) => [v, rows[row] as Float64Array]));
  return namedColumns(r.t_ms, traces, concentrationNames(r.model));
}

/** How a run was made, as its JSON export says before the columns: model name, method, dt, duration, stimulus, parameters, threshold. */
export interface RunHeader {
  readonly model: string;
  readonly method: string;
  readonly dt_ms: number;
  readonly duration_ms: number;
  readonly stimulus: unknown;
  readonly parameters: Readonly<Record<string, number | number[]>>;
  readonly spike_threshold_mV: number;
}

/** The header of a run's JSON export (small: a worker sends it with the traces, and the page exports with `runJsonOf`). */
export function runHeader(r: SimulationResult): RunHeader {
  return {
    model: r.model.name,
    method: r.spec.method,
    dt_ms: r.spec.dt_ms,
    duration_ms: r.spec.duration_ms,
    stimulus: r.spec.stimulus ?? null,
    parameters: r.spec.parameters,
    spike_threshold_mV: r.spec.spike_threshold_mV,
  };
}

/** A run's JSON export from its header, unit-named columns and spike times: the object `runToJson` returns. */
export function runJsonOf(header: RunHeader, columns: Readonly<Record<string, ArrayLike<number>>>, spike_times_ms: ArrayLike<number>) {
  return {
    ...header,
    ...Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, Array.from(v)])),
    spike_times_ms: Array.from(spike_times_ms),
    spike_count: spike_times_ms.length,
  };
}

/** One neuron's run as a JSON-ready object with unit-named keys. */
export function runToJson(r: SimulationResult, row = 0) {
  const neuron = r.recordedNeurons[row] ?? 0;
  return runJsonOf(runHeader(r), traceColumns(r, row), spikeTimesOf(r.spikes, neuron));
}

export const runToCsv = (r: SimulationResult, row = 0): string => toCsv(traceColumns(r, row));

export const fiToCsv = (f: FiResult): string =>
  toCsv({
    amplitude_uA_per_cm2: f.amplitudes_uA_per_cm2,
    spike_count: f.spike_counts,
    rate_Hz: f.rates_Hz,
    ...(f.precision ? { precision: f.spike_counts.map(() => f.precision as string) } : {}),
  });
