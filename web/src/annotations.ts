/**
 * The annotation layer of the live trace: the same measurements as the CLI's lab figure
 * (`spikelab analyze`, src/plot/labFigure.ts), made by the library's analysis.
 *
 * - `libraryAnnotator` (in the worker, per run): the stimulus window, the voltage threshold (the first
 *   action potential's onset, where dV/dt first exceeds 10 mV/ms: src/analysis/features.ts), every AP
 *   onset, and the first AP's peak, amplitude and half-width;
 * - `refractoryMarks` (on the page, when the paired-pulse protocol of src/experiments/refractory.ts has
 *   measured the model): the absolute and relative refractory periods as bands from the first spike.
 *
 * The plot only knows `Mark`; the marks' labels are also listed as text under the plot.
 */
import {
  type ActionPotential,
  actionPotentials,
  DEFAULT_ONSET_DVDT_MV_PER_MS,
  describePeriod,
  type PeriodStatus,
  stepInjection,
} from "./lib.js";

/** A trace as the annotators see it (all in the library's units). */
export interface AnnotatedTrace {
  readonly t_ms: Float64Array;
  readonly V_mV: Float64Array;
  readonly spike_threshold_mV: number;
  readonly stimulus?: { readonly start_ms: number; readonly stop_ms: number; readonly amplitude_uA_per_cm2: number };
  /** The membrane capacitance (µF/cm²): with the stimulus, the onset rule uses dV/dt − I_inj/Cm (as `spikelab analyze`). */
  readonly cm_uF_per_cm2?: number;
}

export type Mark =
  /** A time window: the stimulus, or a refractory period ("pending" while it is being measured). */
  | { kind: "band"; tone: "stimulus" | "absolute" | "relative" | "pending"; from_ms: number; to_ms: number; label: string; text?: string }
  /** A horizontal level: the voltage threshold. */
  | { kind: "level"; V_mV: number; label: string; text: string }
  /** A point on the trace: an AP onset or the first AP's peak. */
  | { kind: "point"; role: "peak" | "onset"; t_ms: number; V_mV: number; label: string; text?: string }
  /** A horizontal segment: the half-width, at half the amplitude. */
  | { kind: "segment"; from_ms: number; to_ms: number; V_mV: number; label: string; text: string }
  /** A vertical arrow: the amplitude, from the onset level to the peak. */
  | { kind: "arrow"; t_ms: number; from_mV: number; to_mV: number; label: string; text: string };

/** What a run's annotator returns: the marks and the measured action potentials (for the page's summary). */
export interface Annotation {
  readonly marks: Mark[];
  readonly aps: ActionPotential[];
  readonly onset_dVdt_mV_per_ms: number;
}

export type Annotator = (trace: AnnotatedTrace) => Annotation;

/** Printed precision of each quantity (as `spikelab analyze` prints them). */
export const show = {
  mV: (v: number) => `${v.toFixed(2)} mV`,
  ms: (t: number) => `${t.toFixed(3)} ms`,
} as const;

/** Marks of one run, measured by the library's action-potential analysis. */
export const libraryAnnotator: Annotator = (trace) => {
  const marks: Mark[] = [];
  const s = trace.stimulus;
  if (s && s.stop_ms > s.start_ms) {
    marks.push({
      kind: "band",
      tone: "stimulus",
      from_ms: s.start_ms,
      to_ms: s.stop_ms,
      label: `stimulus ${s.amplitude_uA_per_cm2} µA/cm² on [${s.start_ms}, ${s.stop_ms}) ms`,
      text: "stimulus on",
    });
  }
  const onset_dVdt_mV_per_ms = DEFAULT_ONSET_DVDT_MV_PER_MS;
  const injected =
    s && trace.cm_uF_per_cm2 !== undefined ? { I_uA_per_cm2: stepInjection(s), cm_uF_per_cm2: trace.cm_uF_per_cm2 } : undefined;
  const aps = trace.t_ms.length >= 2 ? actionPotentials(trace.t_ms, trace.V_mV, { threshold_mV: trace.spike_threshold_mV, injected }) : [];
  const first = aps[0];
  if (first?.onset_mV != null) {
    marks.push({
      kind: "level",
      V_mV: first.onset_mV,
      label: `threshold ${show.mV(first.onset_mV)} (the first action potential's onset: where dV/dt${injected ? " − I_inj/Cm" : ""} first exceeds ${onset_dVdt_mV_per_ms} mV/ms)`,
      text: `threshold ${first.onset_mV.toFixed(1)} mV`,
    });
  }
  aps.forEach((ap, k) => {
    if (ap.onset_ms !== null && ap.onset_mV !== null)
      marks.push({
        kind: "point",
        role: "onset",
        t_ms: ap.onset_ms,
        V_mV: ap.onset_mV,
        label: `action potential ${k + 1}: onset at ${show.ms(ap.onset_ms)}, ${show.mV(ap.onset_mV)}`,
      });
  });
  if (first) {
    marks.push({
      kind: "point",
      role: "peak",
      t_ms: first.peak_ms,
      V_mV: first.peak_mV,
      label: `action potential 1: peak ${show.mV(first.peak_mV)} at ${show.ms(first.peak_ms)}`,
      text: "action potential",
    });
    if (first.amplitude_mV !== null && first.onset_mV !== null)
      marks.push({
        kind: "arrow",
        t_ms: first.peak_ms,
        from_mV: first.onset_mV,
        to_mV: first.peak_mV,
        label: `amplitude ${show.mV(first.amplitude_mV)} (peak − onset)`,
        text: "amplitude",
      });
    if (first.half_width_ms !== null && first.half_rise_ms !== null && first.half_fall_ms !== null && first.amplitude_mV !== null)
      marks.push({
        kind: "segment",
        from_ms: first.half_rise_ms,
        to_ms: first.half_fall_ms,
        V_mV: (first.onset_mV as number) + first.amplitude_mV / 2,
        label: `half-width ${show.ms(first.half_width_ms)} (width at half amplitude)`,
        text: "half-width",
      });
  }
  return { marks, aps, onset_dVdt_mV_per_ms };
};

/** The refractory periods as the page holds them: being measured, measured, or not measurable (why). */
export type Refractory =
  | { state: "measuring" }
  | { state: "error"; message: string }
  | {
      state: "done";
      absolute_ms: number | null;
      absolute_status: PeriodStatus;
      relative_ms: number | null;
      relative_status: PeriodStatus;
      scanned_range_ms: [number, number];
      elapsed_ms: number;
    };

/** Each period in words, as the CLI prints it: "3.02 ms", or "not reached within the scanned range (up to 200 ms)". */
export const periodTexts = (r: Extract<Refractory, { state: "done" }>) => ({
  absolute: describePeriod(r.absolute_ms, r.absolute_status, r.scanned_range_ms),
  relative: describePeriod(r.relative_ms, r.relative_status, r.scanned_range_ms),
});

/**
 * The refractory bands from the first spike (its threshold crossing, as on the CLI figure): absolute
 * [s, s + absolute), relative [s + absolute, s + relative), clipped to the trace; a period that is not
 * reached runs to the trace end. While measuring, one grey band says so.
 */
export function refractoryMarks(aps: readonly ActionPotential[], r: Refractory, end_ms: number): Mark[] {
  const first = aps[0];
  if (!first) return [];
  const s = first.time_ms;
  if (r.state === "measuring")
    return [
      {
        kind: "band",
        tone: "pending",
        from_ms: s,
        to_ms: end_ms,
        label: "absolute refractory, relative refractory: measuring… (paired pulses)",
        text: "refractory periods: measuring…",
      },
    ];
  if (r.state === "error") return [];
  const words = periodTexts(r);
  const marks: Mark[] = [];
  const abs = r.absolute_status === "measured" ? (r.absolute_ms as number) : r.absolute_status === "not-reached" ? end_ms - s : 0;
  if (abs > 0)
    marks.push({
      kind: "band",
      tone: "absolute",
      from_ms: s,
      to_ms: Math.min(s + abs, end_ms),
      label: `absolute refractory ${words.absolute} (from the first spike at ${show.ms(s)})`,
      text: `absolute refractory ${words.absolute}`,
    });
  const relEnd = r.relative_status === "measured" ? s + (r.relative_ms as number) : end_ms;
  if (relEnd > s + abs && r.relative_status !== "below-scanned-range") {
    const past = relEnd > end_ms ? ` ▶ ends at ${(relEnd as number).toFixed(1)} ms, past this trace` : "";
    marks.push({
      kind: "band",
      tone: "relative",
      from_ms: s + abs,
      to_ms: Math.min(relEnd, end_ms),
      label: `relative refractory ${words.relative} (from the first spike at ${show.ms(s)})`,
      text: `relative refractory ${words.relative}${r.relative_status === "not-reached" ? " ▶" : past}`,
    });
  }
  return marks;
}

/** Colours of the marks and bands: the library's one palette (src/plot/palette.ts), as on the CLI's figures. */
export { BAND_OPACITY, MARK_COLORS } from "./lib.js";
