import { windowSpikes } from "../record/window.js";
import { simulate } from "../simulate.js";
import { atSweepPoint } from "./diverged.js";
import { type Axis, gridPoint } from "./grid.js";
import type { SweepSpecResolved } from "./spec.js";

/** Spike statistics of a batch of grid points, column by column (NaN latency: no spike in the window). */
export interface BatchResult {
  readonly index: Int32Array;
  readonly spike_count: Float64Array;
  readonly rate_Hz: Float64Array;
  readonly first_spike_latency_ms: Float64Array;
}

/**
 * Runs the grid points `indices` of a sweep as ONE batched simulation (one neuron per point) that
 * records spikes only. Spike counts cover the whole run (as the lab counts); rates count the
 * spikes in the window [start, stop) per second; latency is the first spike in the window − start.
 */
export function runBatch(spec: SweepSpecResolved, indices: ArrayLike<number>): BatchResult {
  const n = indices.length;
  const axes = spec.axes as Axis[];
  const columns = axes.map(() => new Array<number>(n));
  for (let i = 0; i < n; i++) {
    const point = gridPoint(axes, indices[i] as number);
    for (let a = 0; a < axes.length; a++) (columns[a] as number[])[i] = point[a] as number;
  }
  const parameters: Record<string, number | number[]> = { ...spec.parameters };
  let amplitude: number | number[] = spec.amplitude_uA_per_cm2;
  axes.forEach((axis, a) => {
    if (axis.name === "amplitude") amplitude = columns[a] as number[];
    else parameters[axis.name] = columns[a] as number[];
  });
  const run = () =>
    simulate({
      model: spec.model,
      method: spec.method,
      dt_ms: spec.dt_ms,
      duration_ms: spec.duration_ms,
      parameters,
      stimulus: { type: "step", amplitude_uA_per_cm2: amplitude, start_ms: spec.start_ms, stop_ms: spec.stop_ms },
      spike_threshold_mV: spec.spike_threshold_mV,
      fast_math: spec.fast_math,
      ...(spec.rtol === undefined ? {} : { rtol: spec.rtol }),
      ...(spec.atol === undefined ? {} : { atol: spec.atol }),
      record: { variables: [] },
    });
  let r: ReturnType<typeof run>;
  try {
    r = run();
  } catch (e) {
    throw atSweepPoint(e, axes, indices);
  }
  const w = windowSpikes(r.spikes, n, spec.start_ms, spec.stop_ms);
  return {
    index: Int32Array.from(indices),
    spike_count: Float64Array.from(r.spikes.count),
    rate_Hz: w.rate_Hz,
    first_spike_latency_ms: w.first_spike_latency_ms,
  };
}
