/** A sweep table as a notebook view: the rate over its axes (a curve for one axis, a heatmap for two) and the table. */
import * as Plot from "@observablehq/plot";
import { compose, FONT, textBlock } from "../plot/compose.js";
import type { SweepTable } from "../sweep/run.js";
import { docOf, type ViewOptions } from "./document.js";
import { esc, heading, keyValues, num, table, textLines, withUnit } from "./html.js";
import { View } from "./protocol.js";

const STATS = new Set(["index", "spike_count", "rate_Hz", "first_spike_latency_ms", "precision"]);

/** The axis columns of a sweep table (every column that is not a statistic), in grid order. */
export const sweepAxes = (t: SweepTable): string[] => Object.keys(t.columns).filter((c) => !STATS.has(c));

/** A column name with its unit spelled for an axis label ("amplitude_uA_per_cm2" → "amplitude (µA/cm²)"). */
export function axisLabel(column: string): string {
  const units: [string, string][] = [
    ["_uA_per_cm2", "µA/cm²"],
    ["_mS_per_cm2", "mS/cm²"],
    ["_uF_per_cm2", "µF/cm²"],
    ["_mV", "mV"],
    ["_ms", "ms"],
    ["_Hz", "Hz"],
    ["_degC", "°C"],
  ];
  for (const [suffix, unit] of units) if (column.endsWith(suffix)) return `${column.slice(0, -suffix.length)} (${unit})`;
  return column;
}

/** Smallest and largest finite value (no spread: tables may hold millions of rows). */
function extent(v: ArrayLike<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

/** At most this many distinct values per axis are drawn; a denser grid is thinned to every k-th value. */
const MAX_CELLS_PER_AXIS = 200;

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };

function sweepFigure(doc: Document, t: SweepTable, title: string): string | null {
  const axes = sweepAxes(t);
  const col = (name: string) => t.columns[name] as Float64Array;
  const rate = col("rate_Hz");
  if (axes.length === 1) {
    const x = col(axes[0] as string);
    const data = Array.from(x, (xi, i) => ({ x: xi, y: rate[i] as number }));
    const plot = Plot.plot({
      document: doc,
      width: 720,
      height: 340,
      marginRight: 30,
      style,
      x: { label: axisLabel(axes[0] as string) },
      y: { label: "rate in the step window (Hz)", grid: true },
      marks: [Plot.line(data, { x: "x", y: "y" }), Plot.dot(data, { x: "x", y: "y", r: 2 })],
    }) as Element;
    return compose(
      doc,
      720,
      370,
      [
        { el: textBlock(doc, [title], 14), x: 10, y: 0 },
        { el: plot, x: 0, y: 30 },
      ],
      title,
    );
  }
  if (axes.length === 2) {
    const [ya, xa] = axes as [string, string];
    // a dense grid is thinned to every k-th value along each axis, so the SVG stays small
    const keep = (v: Float64Array) => {
      const d = [...new Set(v)].sort((p, q) => p - q);
      const k = Math.ceil(d.length / MAX_CELLS_PER_AXIS);
      return { kept: new Set(d.filter((_, i) => i % k === 0)), k };
    };
    const kx = keep(col(xa));
    const ky = keep(col(ya));
    const rows = Array.from({ length: t.rows }, (_, i) => i).filter(
      (i) => kx.kept.has(col(xa)[i] as number) && ky.kept.has(col(ya)[i] as number),
    );
    const x = Float64Array.from(rows, (i) => col(xa)[i] as number);
    const y = Float64Array.from(rows, (i) => col(ya)[i] as number);
    const rate = Float64Array.from(rows, (i) => col("rate_Hz")[i] as number);
    const thinned = [
      kx.k > 1 ? `1 in ${kx.k} values of ${axisLabel(xa)}` : "",
      ky.k > 1 ? `1 in ${ky.k} values of ${axisLabel(ya)}` : "",
    ].filter(Boolean);
    const shown = thinned.length ? ` (${thinned.join(", ")} drawn)` : "";
    const half = (v: Float64Array) => {
      const d = [...new Set(v)].sort((p, q) => p - q);
      return d.length > 1 ? ((d[d.length - 1] as number) - (d[0] as number)) / (d.length - 1) / 2 : 0.5;
    };
    const hx = half(x);
    const hy = half(y);
    const data = Array.from(x, (xi, i) => ({
      x1: xi - hx,
      x2: xi + hx,
      y1: (y[i] as number) - hy,
      y2: (y[i] as number) + hy,
      r: rate[i] as number,
    }));
    const maxRate = Math.max(1e-9, extent(rate)[1]);
    const color = { type: "linear" as const, scheme: "viridis" as const, domain: [0, maxRate] };
    const map = Plot.plot({
      document: doc,
      width: 720,
      height: 420,
      marginRight: 30,
      style,
      x: { label: axisLabel(xa) },
      y: { label: axisLabel(ya) },
      color,
      marks: [Plot.rect(data, { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: "r" })],
    }) as Element;
    // the colour legend as a strip of its own (Plot's ramp legend needs a canvas)
    const steps = Array.from({ length: 64 }, (_, i) => ({ x1: (i / 64) * maxRate, x2: ((i + 1) / 64) * maxRate }));
    const legend = Plot.plot({
      document: doc,
      width: 360,
      height: 56,
      marginLeft: 20,
      marginRight: 30,
      style,
      x: { label: "rate in the step window (Hz)", domain: [0, maxRate] },
      y: { axis: null },
      color,
      marks: [Plot.rectY(steps, { x1: "x1", x2: "x2", y: 1, fill: (d: { x1: number; x2: number }) => (d.x1 + d.x2) / 2 })],
    }) as Element;
    return compose(
      doc,
      720,
      510,
      [
        { el: textBlock(doc, [title + shown], 14), x: 10, y: 0 },
        { el: legend, x: 40, y: 26 },
        { el: map, x: 0, y: 90 },
      ],
      title,
    );
  }
  return null;
}

/**
 * A sweep table (from `sweepTable`) as a notebook view: rate against the axis (one axis) or a rate heatmap
 * (two axes; more are tabulated only), a summary, and the first rows of the table with unit-named columns.
 */
export function sweepView(t: SweepTable, options: ViewOptions & { readonly rows?: number } = {}): View {
  const axes = sweepAxes(t);
  const title = options.title ?? `sweep: ${t.rows} points over ${axes.map(axisLabel).join(" × ")}`;
  const rate = t.columns.rate_Hz ?? new Float64Array(0);
  const count = t.columns.spike_count ?? new Float64Array(0);
  const firing = Array.from(rate).filter((r) => r > 0).length;
  const rows: [string, string][] = [
    ["points", `${t.rows}`],
    ...axes.map((a): [string, string] => {
      const v = t.columns[a] as Float64Array;
      const [lo, hi] = extent(v);
      return [axisLabel(a), `${new Set(v).size} values, ${num(lo, 3)} … ${num(hi, 3)}`];
    }),
    ["points firing in the window", `${firing} of ${t.rows}`],
    ["largest rate", withUnit(rate.length ? extent(rate)[1] : null, "Hz", 1)],
    ["largest spike count", count.length ? `${extent(count)[1]}` : "—"],
  ];
  const shown = Math.min(t.rows, options.rows ?? 20);
  const cols = [...axes, "spike_count", "rate_Hz", "first_spike_latency_ms"].filter((c) => c in t.columns);
  const body = Array.from({ length: shown }, (_, i) => cols.map((c) => num(t.columns[c]?.[i], c === "spike_count" ? 0 : 3)));
  return new View({
    text: () => textLines(title, rows),
    summary: () =>
      heading(title) +
      keyValues(rows) +
      `<details><summary style="font-family:sans-serif;font-size:13px">${esc(`first ${shown} of ${t.rows} rows`)}</summary>${table(cols, body)}</details>`,
    svg: () => sweepFigure(docOf(options), t, title),
  });
}
