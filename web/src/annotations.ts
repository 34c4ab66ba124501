/**
 * The annotation layer of the live trace: a function from a trace to marks, drawn over V(t)
 * and listed as text. The plot only knows `Mark`; what produces the marks is an `Annotator`.
 *
 * `localAnnotator` computes what the trace alone gives: the stimulus window, the detection
 * threshold, each spike's threshold crossing (the library's spike times) and its peak. The
 * library's analysis (AP threshold, onset, half-width, refractory bands) plugs in as another
 * Annotator returning the same marks (`band` with tone "absolute"/"relative", `segment` for a
 * half-width, `point` for an onset); nothing else in the app changes.
 */

/** A trace as the annotators see it (all in the library's units). */
export interface AnnotatedTrace {
  readonly t_ms: Float64Array;
  readonly V_mV: Float64Array;
  /** Upward threshold crossings (the library's spike times). */
  readonly spike_times_ms: ArrayLike<number>;
  readonly spike_threshold_mV: number;
  readonly stimulus?: { readonly start_ms: number; readonly stop_ms: number; readonly amplitude_uA_per_cm2: number };
}

export type Mark =
  /** A time window, e.g. the stimulus or a refractory period. */
  | { kind: "band"; tone: "stimulus" | "absolute" | "relative"; from_ms: number; to_ms: number; label: string }
  /** A horizontal level, e.g. the detection threshold. */
  | { kind: "level"; V_mV: number; label: string }
  /** An instant, e.g. a threshold crossing. */
  | { kind: "time"; t_ms: number; label: string }
  /** A point on the trace, e.g. an AP peak or onset. */
  | { kind: "point"; role: "peak" | "onset" | "threshold"; t_ms: number; V_mV: number; label: string }
  /** A horizontal segment, e.g. the half-width of an AP at half its height. */
  | { kind: "segment"; from_ms: number; to_ms: number; V_mV: number; label: string };

export type Annotator = (trace: AnnotatedTrace) => Mark[];

const ms = (t: number) => `${t.toFixed(3)} ms`;
const mV = (v: number) => `${v.toFixed(2)} mV`;

/** Index of the first sample at or after t (binary search; t_ms is increasing). */
function indexAt(t_ms: Float64Array, t: number): number {
  let lo = 0;
  let hi = t_ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t_ms[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The peak of each spike: the largest sampled V from its crossing until V falls back below
 * the threshold (or the next crossing, or the end of the trace).
 */
export function spikePeaks(trace: AnnotatedTrace): { t_ms: number; V_mV: number }[] {
  const { t_ms, V_mV, spike_times_ms: spikes, spike_threshold_mV: th } = trace;
  const peaks: { t_ms: number; V_mV: number }[] = [];
  for (let s = 0; s < spikes.length; s++) {
    const next = s + 1 < spikes.length ? indexAt(t_ms, spikes[s + 1] as number) : t_ms.length;
    let best = -1;
    for (let i = indexAt(t_ms, spikes[s] as number); i < next; i++) {
      const v = V_mV[i] as number;
      if (best >= 0 && v < th) break;
      if (best < 0 || v > (V_mV[best] as number)) best = i;
    }
    if (best >= 0) peaks.push({ t_ms: t_ms[best] as number, V_mV: V_mV[best] as number });
  }
  return peaks;
}

/** Marks computed from the trace and the library's spike times alone. */
export const localAnnotator: Annotator = (trace) => {
  const marks: Mark[] = [];
  const s = trace.stimulus;
  if (s && s.stop_ms > s.start_ms) {
    marks.push({
      kind: "band",
      tone: "stimulus",
      from_ms: s.start_ms,
      to_ms: s.stop_ms,
      label: `stimulus ${s.amplitude_uA_per_cm2} µA/cm² on [${s.start_ms}, ${s.stop_ms}) ms`,
    });
  }
  marks.push({ kind: "level", V_mV: trace.spike_threshold_mV, label: `spike detection threshold ${trace.spike_threshold_mV} mV` });
  const peaks = spikePeaks(trace);
  for (let k = 0; k < trace.spike_times_ms.length; k++) {
    const t = trace.spike_times_ms[k] as number;
    marks.push({ kind: "time", t_ms: t, label: `spike ${k + 1}: crossing at ${ms(t)}` });
    const p = peaks[k];
    if (p)
      marks.push({ kind: "point", role: "peak", t_ms: p.t_ms, V_mV: p.V_mV, label: `spike ${k + 1}: peak ${mV(p.V_mV)} at ${ms(p.t_ms)}` });
  }
  return marks;
};
