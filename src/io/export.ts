import type { FiResult } from "../experiments/fi.js";
import { spikeTimesOf } from "../record/spikes.js";
import type { SimulationResult } from "../simulate.js";
import { columnName, concentrationNames, toCsv } from "./columns.js";

/** One neuron's run as unit-named columns: t_ms, V_mV, m, h, n, cai_mM, I_Na_uA_per_cm2, … */
export function traceColumns(r: SimulationResult, row = 0): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = { t_ms: r.t_ms };
  const concentrations = concentrationNames(r.model);
  for (const [v, rows] of Object.entries(r.traces)) out[columnName(v, concentrations)] = rows[row] as Float64Array;
  return out;
}

/** One neuron's run as a JSON-ready object with unit-named keys. */
export function runToJson(r: SimulationResult, row = 0) {
  const neuron = r.recordedNeurons[row] ?? 0;
  const times = spikeTimesOf(r.spikes, neuron);
  const columns = Object.fromEntries(Object.entries(traceColumns(r, row)).map(([k, v]) => [k, Array.from(v)]));
  return {
    model: r.model.name,
    method: r.spec.method,
    dt_ms: r.spec.dt_ms,
    duration_ms: r.spec.duration_ms,
    stimulus: r.spec.stimulus ?? null,
    parameters: r.spec.parameters,
    spike_threshold_mV: r.spec.spike_threshold_mV,
    ...columns,
    spike_times_ms: Array.from(times),
    spike_count: times.length,
  };
}

export const runToCsv = (r: SimulationResult, row = 0): string => toCsv(traceColumns(r, row));

export const fiToCsv = (f: FiResult): string =>
  toCsv({
    amplitude_uA_per_cm2: f.amplitudes_uA_per_cm2,
    spike_count: f.spike_counts,
    rate_Hz: f.rates_Hz,
    ...(f.precision ? { precision: f.spike_counts.map(() => f.precision as string) } : {}),
  });
