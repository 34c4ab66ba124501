import { invalid } from "../errors.js";
import { windowRate_Hz } from "../record/window.js";
import type { Hz, Ms } from "../units.js";

/**
 * How a cell fires during a current step [start, stop): beyond the count and the mean rate, whether the
 * firing lasts (a transient burst is not repetitive firing) and at what rate it settles.
 */
export interface FiringPattern {
  /** Spikes with a time in [start, stop). */
  readonly spike_count: number;
  /** spike_count per second of window. */
  readonly mean_rate_Hz: Hz;
  /** 1000 / (first ISI in ms) in the window; null with fewer than 2 spikes. */
  readonly first_isi_rate_Hz: Hz | null;
  /**
   * 1000 / (mean of the last ≤ 3 ISIs) when the firing is sustained, 0 when it has stopped before the
   * step ends (the steady state of a transient burst is silence); null with fewer than 2 spikes.
   */
  readonly steady_state_rate_Hz: Hz | null;
  /**
   * The firing lasts to the end of the step: at least 2 spikes and the silence after the last one,
   * stop − t_last, is shorter than twice the mean of the last ≤ 3 ISIs (the next spike is not overdue).
   */
  readonly sustained: boolean;
}

/** The number of last ISIs averaged for the steady-state rate. */
export const STEADY_STATE_ISIS = 3;

/** The firing pattern of spike times (ms) in a step [start_ms, stop_ms). */
export function firingPattern(times_ms: readonly Ms[], start_ms: Ms, stop_ms: Ms): FiringPattern {
  if (!(stop_ms > start_ms)) throw invalid("step stop_ms", stop_ms, `a time after start_ms (${start_ms})`);
  const t = times_ms.filter((x) => x >= start_ms && x < stop_ms);
  const n = t.length;
  const mean_rate_Hz = windowRate_Hz(n, stop_ms - start_ms);
  if (n < 2) return { spike_count: n, mean_rate_Hz, first_isi_rate_Hz: null, steady_state_rate_Hz: null, sustained: false };
  const isi = t.slice(1).map((x, i) => x - (t[i] as number));
  const last = isi.slice(-STEADY_STATE_ISIS);
  const lateIsi = last.reduce((a, b) => a + b, 0) / last.length;
  const sustained = stop_ms - (t[n - 1] as number) < 2 * lateIsi;
  return {
    spike_count: n,
    mean_rate_Hz,
    first_isi_rate_Hz: 1000 / (isi[0] as number),
    steady_state_rate_Hz: sustained ? 1000 / lateIsi : 0,
    sustained,
  };
}
