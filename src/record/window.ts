/**
 * The stimulus-window statistics every f–I curve and sweep reports: spikes whose crossing time lies in
 * [start, stop), their rate per second of window, and the first one's latency from start. The CPU
 * sweep (`runBatch`), `fiCurve` and the GPU runner (whose kernel counts the window's spikes itself)
 * all turn counts into rates here.
 */
import type { Hz, Ms } from "../units.js";
import type { SpikeRecord } from "./spikes.js";

/** `count` spikes per second of a window `window_ms` long; 0 for an empty (or reversed) window. */
export const windowRate_Hz = (count: number, window_ms: Ms): Hz => {
  const window_s = window_ms / 1000;
  return window_s > 0 ? count / window_s : 0;
};

/** Per neuron: spikes in [start_ms, stop_ms), their rate (Hz), and the first one's time − start (ms; NaN: none). */
export interface WindowSpikes {
  readonly count: Float64Array;
  readonly rate_Hz: Float64Array;
  readonly first_spike_latency_ms: Float64Array;
}

/** The window statistics of `n` neurons' spikes (spike records in time order per neuron, as a run gives them). */
export function windowSpikes(spikes: Pick<SpikeRecord, "neuron" | "t_ms">, n: number, start_ms: Ms, stop_ms: Ms): WindowSpikes {
  const count = new Float64Array(n);
  const latency = new Float64Array(n).fill(Number.NaN);
  const { neuron, t_ms } = spikes;
  for (let j = 0; j < neuron.length; j++) {
    const i = neuron[j] as number;
    const t = t_ms[j] as number;
    if (t >= start_ms && t < stop_ms) {
      if ((count[i] as number) === 0) latency[i] = t - start_ms;
      count[i] = (count[i] as number) + 1;
    }
  }
  const window_ms = stop_ms - start_ms;
  return { count, rate_Hz: count.map((c) => windowRate_Hz(c, window_ms)), first_spike_latency_ms: latency };
}
