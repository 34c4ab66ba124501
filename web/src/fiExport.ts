/**
 * The f–I panel's exports (web/src/panels/fi.ts): the shown sweep as CSV and JSON, with the curves' method
 * and dt and the rheobase. Pure: no page, no workers.
 */
import { type Blocks, type FiOptions, type FiResult, type RheobaseResult, sweepRheobase, toCsv } from "./lib.js";

/** One curve of a sweep: its legend (curveLabel) and how it was computed. */
export interface Curve {
  label: string;
  method: string;
  dt_ms: number;
}

export interface SweepShown {
  options: FiOptions;
  /** The model's name (a built-in, or "file:NAME"). */
  model: string;
  /** The parameter overrides and channel blocks asked for (options.parameters holds the blocked conductances). */
  lab: { params: Record<string, number>; block: Blocks };
  /** The library's rheobase bisection for the sweep's step window, when it has come back. */
  rheobase: RheobaseState;
  curves: Curve[];
  results: FiResult[];
  elapsed_ms: number;
}

export type RheobaseState =
  | { state: "measuring" }
  | { state: "done"; result: RheobaseResult; elapsed_ms: number }
  | { state: "error"; message: string };

/** The shown sweep as CSV: amplitude, count and rate columns (and the comparison curve's, when there is one). */
export function fiCsv(sw: SweepShown): string {
  const r0 = sw.results[0] as FiResult;
  const cols: Record<string, ArrayLike<number>> = {
    amplitude_uA_per_cm2: r0.amplitudes_uA_per_cm2,
    spike_count: r0.spike_counts,
    rate_Hz: r0.rates_Hz,
  };
  const r1 = sw.results[1];
  if (r1) {
    cols.compare_spike_count = r1.spike_counts;
    cols.compare_rate_Hz = r1.rates_Hz;
  }
  return toCsv(cols);
}

/** The shown sweep as JSON: protocol, both curves with method and dt, the sweep's and the bisected rheobase. */
export function fiJson(sw: SweepShown): string {
  const o = sw.options;
  const curve = (c: Curve, r: FiResult) => ({ method: c.method, dt_ms: c.dt_ms, spike_counts: r.spike_counts, rates_Hz: r.rates_Hz });
  const r0 = sw.results[0] as FiResult;
  return `${JSON.stringify(
    {
      model: sw.model,
      parameters: o.parameters,
      start_ms: o.start_ms,
      stop_ms: o.stop_ms,
      duration_ms: o.duration_ms,
      amplitudes_uA_per_cm2: r0.amplitudes_uA_per_cm2,
      ...curve(sw.curves[0] as Curve, r0),
      rheobase_estimate_uA_per_cm2: sweepRheobase(r0).amplitude_uA_per_cm2,
      rheobase_uA_per_cm2: sw.rheobase.state === "done" ? sw.rheobase.result.rheobase_uA_per_cm2 : null,
      rheobase_note: sw.rheobase.state === "done" ? sw.rheobase.result.note : null,
      ...(sw.results[1] ? { compare: curve(sw.curves[1] as Curve, sw.results[1]) } : {}),
    },
    null,
    1,
  )}\n`;
}
