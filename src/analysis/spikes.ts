import { invalid } from "../errors.js";
import { windowRate_Hz } from "../record/window.js";
import type { Hz, Ms, MV } from "../units.js";

/** Checks that a trace is two arrays of equal length ≥ 2 with increasing times (at the edge, not in loops). */
export function checkTrace(t_ms: ArrayLike<number>, V_mV: ArrayLike<number>): void {
  if (t_ms.length !== V_mV.length) throw invalid("V_mV (one value per time)", `${V_mV.length} values`, `${t_ms.length} values like t_ms`);
  if (t_ms.length < 2) throw invalid("t_ms", `${t_ms.length} samples`, "at least 2 samples");
}

/**
 * Spike times of a voltage trace: upward crossings of `threshold_mV`, V[k] < θ ≤ V[k+1], each time
 * interpolated linearly within its sample interval — the same rule and formula as the online
 * spike detector, so the two agree to rounding. A trace that starts above θ does not count the spike
 * it starts in (its upstroke is not in the trace); one that ends above θ counts the spike it ends in.
 */
export function spikeTimes(t_ms: ArrayLike<Ms>, V_mV: ArrayLike<MV>, threshold_mV: MV = 0): number[] {
  checkTrace(t_ms, V_mV);
  const out: number[] = [];
  for (let k = 0; k + 1 < V_mV.length; k++) {
    const a = V_mV[k] as number;
    const b = V_mV[k + 1] as number;
    if (a < threshold_mV && b >= threshold_mV) {
      const t0 = t_ms[k] as number;
      out.push(t0 + ((t_ms[k + 1] as number) - t0) * ((threshold_mV - a) / (b - a)));
    }
  }
  return out;
}

/** Intervals between successive spike times (ms); one fewer than the spikes. */
export const interSpikeIntervals = (times_ms: readonly Ms[]): number[] => times_ms.slice(1).map((t, i) => t - (times_ms[i] as number));

/** Spikes with a time in [start, stop), per second of window (Hz). */
export function firingRate(times_ms: readonly Ms[], start_ms: Ms, stop_ms: Ms): Hz {
  if (!(stop_ms > start_ms)) throw invalid("rate window stop_ms", stop_ms, `a time after start_ms (${start_ms})`);
  let c = 0;
  for (const t of times_ms) if (t >= start_ms && t < stop_ms) c++;
  return windowRate_Hz(c, stop_ms - start_ms);
}

export interface SpikeTrain {
  readonly spike_times_ms: number[];
  readonly spike_count: number;
  readonly isi_ms: number[];
  /** Spikes in [window_ms[0], window_ms[1]) per second of window. */
  readonly rate_Hz: Hz;
  readonly window_ms: [Ms, Ms];
}

/** Spike times, count, inter-spike intervals and rate of one trace; the rate window defaults to the whole trace. */
export function spikeTrain(
  t_ms: ArrayLike<Ms>,
  V_mV: ArrayLike<MV>,
  options: { threshold_mV?: MV; window_ms?: [Ms, Ms] } = {},
): SpikeTrain {
  const times = spikeTimes(t_ms, V_mV, options.threshold_mV ?? 0);
  const window: [Ms, Ms] = options.window_ms ?? [t_ms[0] as number, t_ms[t_ms.length - 1] as number];
  return {
    spike_times_ms: times,
    spike_count: times.length,
    isi_ms: interSpikeIntervals(times),
    rate_Hz: firingRate(times, window[0], window[1]),
    window_ms: window,
  };
}
