/** A voltage trace (recorded or simulated) as a notebook view: V(t) with its spikes and onsets, the APs overlaid, their features. */
import * as Plot from "@observablehq/plot";
import { type ActionPotential, actionPotentials, DEFAULT_ONSET_DVDT_MV_PER_MS } from "../analysis/features.js";
import { firingRate, interSpikeIntervals } from "../analysis/spikes.js";
import { compose, FONT, textBlock } from "../plot/compose.js";
import { decimateMinMax } from "../plot/decimate.js";
import type { Ms, MV } from "../units.js";
import { docOf, type ViewOptions } from "./document.js";
import { heading, keyValues, num, table, textLines, withUnit } from "./html.js";
import { View } from "./protocol.js";

export interface TraceViewOptions extends ViewOptions {
  /** The stimulus window [start, stop) (ms), shaded and used for the rate. */
  readonly stimulus_window_ms?: readonly [Ms, Ms];
  /** Spike detection threshold (mV); default 0. */
  readonly threshold_mV?: MV;
  /** Onset criterion (mV/ms); default 10. */
  readonly onset_dVdt_mV_per_ms?: number;
  /** Time shown before and after each AP's peak in the overlay (ms); default [3, 8]. */
  readonly window_ms?: readonly [Ms, Ms];
}

/** The first index whose time is ≥ `at` (times ascending), by bisection. */
function firstAtOrAfter(t: ArrayLike<number>, at: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };
const STIM = "#9ecae1";

function traceFigure(
  doc: Document,
  t: ArrayLike<number>,
  V: ArrayLike<number>,
  aps: readonly ActionPotential[],
  o: TraceViewOptions,
  title: string,
): string {
  const d = decimateMinMax(t, V, 700);
  const line = d.x.map((x, i) => ({ t: x, V: d.y[i] as number }));
  const win = o.stimulus_window_ms;
  const onsets = aps.filter((a) => a.onset_ms !== null).map((a) => ({ t: a.onset_ms as number, V: a.onset_mV as number }));
  const threshold = aps[0]?.onset_mV ?? null;
  const full = Plot.plot({
    document: doc,
    width: 880,
    height: 300,
    marginLeft: 60,
    marginRight: 30,
    style,
    x: { label: "time (ms)" },
    y: { label: "membrane potential V (mV)", grid: true },
    marks: [
      ...(win ? [Plot.rectX([{ x1: win[0], x2: win[1] }], { x1: "x1", x2: "x2", fill: STIM, fillOpacity: 0.3 })] : []),
      ...(threshold === null ? [] : [Plot.ruleY([threshold], { stroke: "#777", strokeDasharray: "5,4" })]),
      Plot.line(line, { x: "t", y: "V", stroke: "black", strokeWidth: 1 }),
      Plot.dot(onsets, { x: "t", y: "V", r: 3.5, fill: "#ff7f0e", stroke: "#333" }),
    ],
  }) as Element;
  // every AP, aligned at its peak
  const [before, after] = o.window_ms ?? [3, 8];
  const overlay: { s: number; V: number; k: number }[] = [];
  aps.forEach((a, k) => {
    for (let i = firstAtOrAfter(t, a.peak_ms - before); i < t.length && (t[i] as number) <= a.peak_ms + after; i++) {
      overlay.push({ s: (t[i] as number) - a.peak_ms, V: V[i] as number, k });
    }
  });
  const zoom = Plot.plot({
    document: doc,
    width: 440,
    height: 300,
    marginLeft: 60,
    marginRight: 30,
    style,
    x: { label: "time from the peak (ms)", domain: [-before, after] },
    y: { label: "V (mV)", grid: true },
    color: { type: "linear", scheme: "viridis" },
    marks: [Plot.line(overlay, { x: "s", y: "V", z: "k", stroke: "k", strokeWidth: 1.2 })],
  }) as Element;
  const isi = interSpikeIntervals(aps.map((a) => a.time_ms));
  const isiPlot = Plot.plot({
    document: doc,
    width: 440,
    height: 300,
    marginLeft: 60,
    marginRight: 30,
    style,
    x: { label: "interval number", tickFormat: "d" },
    y: { label: "inter-spike interval (ms)", grid: true, zero: true },
    marks: [
      Plot.line(
        isi.map((v, i) => ({ i: i + 1, v })),
        { x: "i", y: "v" },
      ),
      Plot.dot(
        isi.map((v, i) => ({ i: i + 1, v })),
        { x: "i", y: "v", r: 3 },
      ),
    ],
  }) as Element;
  return compose(
    doc,
    900,
    720,
    [
      { el: textBlock(doc, [title], 15), x: 10, y: 0 },
      {
        el: textBlock(
          doc,
          [
            `A  V(t); dots: AP onsets (dV/dt ≥ ${o.onset_dVdt_mV_per_ms ?? DEFAULT_ONSET_DVDT_MV_PER_MS} mV/ms)${threshold === null ? "" : `; dashed: threshold ${threshold.toFixed(1)} mV`}${win ? "; shaded: stimulus" : ""}`,
          ],
          13,
        ),
        x: 10,
        y: 24,
      },
      { el: full, x: 0, y: 52 },
      { el: textBlock(doc, [`B  the ${aps.length} APs aligned at their peaks (colour: order)`], 13), x: 10, y: 368 },
      { el: zoom, x: 0, y: 396 },
      { el: textBlock(doc, ["C  inter-spike intervals"], 13), x: 460, y: 368 },
      { el: isiPlot, x: 450, y: 396 },
    ],
    title,
  );
}

/**
 * A voltage trace (a recording read from a file, or any simulated trace) as a notebook view: V(t) with
 * AP onsets and the threshold, every AP aligned at its peak, the inter-spike intervals; a summary (spikes,
 * rate in the stimulus window, threshold, mean AP features, ISIs) and the per-AP feature table.
 */
export function traceView(t_ms: ArrayLike<Ms>, V_mV: ArrayLike<MV>, options: TraceViewOptions = {}): View {
  const aps = actionPotentials(t_ms, V_mV, {
    threshold_mV: options.threshold_mV ?? 0,
    onset_dVdt_mV_per_ms: options.onset_dVdt_mV_per_ms ?? DEFAULT_ONSET_DVDT_MV_PER_MS,
  });
  const n = Math.min(t_ms.length, V_mV.length);
  const title = options.title ?? `voltage trace, ${n} samples over ${num((t_ms[n - 1] as number) - (t_ms[0] as number), 1)} ms`;
  const times = aps.map((a) => a.time_ms);
  const isi = interSpikeIntervals(times);
  const mean = (xs: (number | null)[]) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const win = options.stimulus_window_ms;
  const rows: [string, string][] = [
    ["samples", `${n}, ${num(t_ms[0], 2)} … ${num(t_ms[n - 1], 2)} ms`],
    ["spikes", `${aps.length} (upward crossings of ${num(options.threshold_mV ?? 0, 1)} mV)`],
    ...(win
      ? ([["rate in the stimulus window", `${withUnit(firingRate(times, win[0], win[1]), "Hz", 2)} on [${win[0]}, ${win[1]}) ms`]] as [
          string,
          string,
        ][])
      : []),
    ["threshold (first AP onset)", withUnit(aps[0]?.onset_mV, "mV")],
    ["mean AP peak", withUnit(mean(aps.map((a) => a.peak_mV)), "mV")],
    ["mean AP amplitude", withUnit(mean(aps.map((a) => a.amplitude_mV)), "mV")],
    ["mean AP half-width", withUnit(mean(aps.map((a) => a.half_width_ms)), "ms", 3)],
    ["inter-spike intervals", isi.length ? `${isi.map((x) => num(x, 1)).join(", ")} ms` : "—"],
  ];
  const header = ["spike (ms)", "threshold (mV)", "peak (mV)", "amplitude (mV)", "half-width (ms)", "AHP (mV)"];
  const body = aps.map((a) => [
    num(a.time_ms, 2),
    num(a.onset_mV, 2),
    num(a.peak_mV, 2),
    num(a.amplitude_mV, 2),
    num(a.half_width_ms, 3),
    num(a.ahp_mV, 2),
  ]);
  return new View({
    text: () => textLines(title, rows),
    summary: () => heading(title) + keyValues(rows) + table(header, body, "every action potential"),
    svg: () => (n < 2 ? null : traceFigure(docOf(options), t_ms, V_mV, aps, options, title)),
  });
}
