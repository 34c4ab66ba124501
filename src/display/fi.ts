/** An f–I curve as a notebook view: lab figure 2 (counts and rates, overlays, rheobase) and a summary with units. */
import { invalid } from "../errors.js";
import { type FiResult, sweepRheobase } from "../experiments/fi.js";
import { rheobase } from "../experiments/rheobase.js";
import { type ModelRef, resolveModel } from "../models/index.js";
import { countDifference, differenceSummary, type FiSeries, fiFigure } from "../plot/fiFigure.js";
import type { Ms, MV, UAPerCm2 } from "../units.js";
import { curveLabel } from "./curveLabel.js";
import { docOf, type ViewOptions } from "./document.js";
import { esc, heading, keyValues, num, table, textLines, withUnit } from "./html.js";
import { View } from "./protocol.js";

/** Another f–I result to overlay (e.g. a converged solver's), with its legend. */
export interface FiCompare {
  readonly label: string;
  readonly result: FiResult;
}

/**
 * How the curve was computed: the step window is needed (rates are counted in it); pass the same options
 * object that went to `fiCurve` to get method, dt and model in the legend.
 */
export interface FiViewOptions extends ViewOptions {
  /** The step window [start_ms, stop_ms) the rates were counted in. */
  readonly start_ms: Ms;
  readonly stop_ms: Ms;
  readonly method?: string;
  readonly dt_ms?: Ms;
  readonly rtol?: number;
  readonly atol?: number;
  /** The run's length (ms); with dt_ms, the rheobase of the step is measured for the figure unless given. */
  readonly duration_ms?: Ms;
  /** A built-in model's name or a model object, as given to `fiCurve`. */
  readonly model?: ModelRef;
  /** Model parameters, as given to `fiCurve` (one value each; with per-neuron arrays no rheobase is measured). */
  readonly parameters?: Readonly<Record<string, number | readonly number[]>>;
  readonly spike_threshold_mV?: MV;
  /** The legend of this curve (default: method and dt). */
  readonly label?: string;
  /** Curves to overlay; the figure then shows the count difference of the first two. */
  readonly compare?: readonly FiCompare[];
  /**
   * The rheobase to mark (µA/cm², e.g. from `rheobase()`); null: none. Left out, it is measured with
   * `rheobase()` for the same model, parameters, method, dt and step when duration_ms and dt_ms are given.
   */
  readonly rheobase_uA_per_cm2?: UAPerCm2 | null;
}

const labelOf = (o: FiViewOptions): string =>
  o.label ?? curveLabel({ method: o.method ?? "euler", dt_ms: o.dt_ms, rtol: o.rtol, atol: o.atol });

const series = (label: string, r: FiResult): FiSeries => ({
  label,
  amplitudes_uA_per_cm2: r.amplitudes_uA_per_cm2,
  spike_counts: r.spike_counts,
  rates_Hz: r.rates_Hz,
});

/** The smallest amplitude of the sweep with a spike in the step window (µA/cm²), or null. */
export const firstFiring = (r: FiResult): UAPerCm2 | null => sweepRheobase(r).amplitude_uA_per_cm2;

/** The rheobase of the curve's step, when the options say enough to measure it (else undefined). */
function measuredRheobase(o: FiViewOptions): UAPerCm2 | null | undefined {
  if (o.duration_ms === undefined || o.dt_ms === undefined) return undefined;
  const params = Object.entries(o.parameters ?? {});
  if (params.some(([, v]) => typeof v !== "number")) return undefined;
  return rheobase({
    model: o.model ?? "lab",
    parameters: Object.fromEntries(params) as Record<string, number>,
    dt_ms: o.dt_ms,
    method: o.method ?? "euler",
    spike_threshold_mV: o.spike_threshold_mV ?? 0,
    start_ms: o.start_ms,
    stop_ms: o.stop_ms,
    duration_ms: o.duration_ms,
  }).rheobase_uA_per_cm2;
}

/**
 * An f–I curve as a notebook view: spike count and rate against step amplitude (lab figure 2, with
 * overlaid curves and their count difference, and the rheobase when given), a summary with units and the
 * full table of amplitude (µA/cm²), count and rate (Hz) in a collapsed section.
 */
export function fiView(result: FiResult, options: FiViewOptions): View {
  if (!(Number.isFinite(options.start_ms) && Number.isFinite(options.stop_ms) && options.stop_ms > options.start_ms)) {
    throw invalid("stop_ms", options.stop_ms, `a time after start_ms (${options.start_ms} ms): the step window the rates were counted in`);
  }
  const label = labelOf(options);
  const all = [series(label, result), ...(options.compare ?? []).map((c) => series(c.label, c.result))];
  const modelName = options.model === undefined ? "lab" : resolveModel(options.model).name;
  const rb = options.rheobase_uA_per_cm2 !== undefined ? options.rheobase_uA_per_cm2 : measuredRheobase(options);
  const title = options.title ?? `f–I curve: ${modelName} model, steps on [${options.start_ms}, ${options.stop_ms}) ms`;
  const a = result.amplitudes_uA_per_cm2;
  const maxRate = result.rates_Hz.reduce((m, x) => Math.max(m, x), 0);
  const first = firstFiring(result);
  const diff = all.length >= 2 ? countDifference(all.slice(0, 2)) : null;
  const rows: [string, string][] = [
    ["curve", label + (result.precision === "f32" ? " (GPU, f32)" : "")],
    ["amplitudes", `${a.length}, ${num(a[0], 3)} … ${num(a[a.length - 1], 3)} µA/cm²`],
    [
      "spike counts (whole run)",
      `${result.spike_counts.reduce((m, x) => Math.min(m, x))} … ${result.spike_counts.reduce((m, x) => Math.max(m, x))}`,
    ],
    ["largest rate in the window", withUnit(maxRate, "Hz", 1)],
    ["first amplitude firing in the window", withUnit(first, "µA/cm²", 3)],
    ...(rb === undefined ? [] : ([["rheobase of the step", withUnit(rb, "µA/cm²", 4)]] as [string, string][])),
    ...(diff && all[1] ? ([["count difference", differenceSummary([all[0] as FiSeries, all[1]], diff)]] as [string, string][]) : []),
  ];
  const full = () => {
    const header = ["amplitude (µA/cm²)", ...all.flatMap((s) => [`count: ${s.label}`, `rate (Hz): ${s.label}`])];
    const body = a.map((x, i) => [num(x, 3), ...all.flatMap((s) => [`${s.spike_counts[i]}`, num(s.rates_Hz[i], 2)])]);
    return `<details><summary style="font-family:sans-serif;font-size:13px">${esc(`all ${a.length} amplitudes`)}</summary>${table(header, body)}</details>`;
  };
  return new View({
    text: () => [textLines(title, rows), ...all.map((c) => `  spike counts (${c.label}): [${c.spike_counts.join(", ")}]`)].join("\n"),
    summary: () => heading(title) + keyValues(rows) + full(),
    svg: () =>
      fiFigure(docOf(options), {
        series: all,
        rheobase_uA_per_cm2: rb ?? null,
        window_ms: [options.start_ms, options.stop_ms],
        title,
      }),
  });
}
