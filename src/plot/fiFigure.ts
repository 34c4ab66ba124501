import * as Plot from "@observablehq/plot";
import { compose, FONT, type Placed, svgEl } from "./compose.js";
import { fmt } from "./format.js";
import { MARK_COLORS, SERIES_COLORS } from "./palette.js";

/** One f–I series; several overlay (e.g. forward Euler at the lab's dt and a converged solver). */
export interface FiSeries {
  /** Legend text, e.g. "forward Euler, dt 0.025 ms". */
  readonly label: string;
  readonly amplitudes_uA_per_cm2: readonly number[];
  readonly spike_counts: readonly number[];
  readonly rates_Hz: readonly number[];
}

export interface FiFigureData {
  readonly series: readonly FiSeries[];
  /** The rheobase to mark (µA/cm²), from `rheobase()`; null: none found. */
  readonly rheobase_uA_per_cm2: number | null;
  /** The stimulus window, for the axis labels. */
  readonly window_ms: readonly [number, number];
  readonly title: string;
}

const COLORS = SERIES_COLORS;
const style = { fontFamily: FONT, fontSize: "12px", background: "white" };

/** Lab figure 2: spike count and firing rate against step amplitude, the rheobase marked; series overlay. */
export function fiFigure(doc: Document, d: FiFigureData): string {
  const W = 900;
  const items: Placed[] = [];
  const rows = d.series.flatMap((s, k) =>
    s.amplitudes_uA_per_cm2.map((a, i) => ({ a, count: s.spike_counts[i] as number, rate: s.rates_Hz[i] as number, k, label: s.label })),
  );
  const rb = d.rheobase_uA_per_cm2;
  const rheoMarks = (yTop: number) =>
    rb === null
      ? []
      : [
          Plot.ruleX([rb], { stroke: MARK_COLORS.absolute, strokeWidth: 1.5, strokeDasharray: "5,3" }),
          Plot.text([{ x: rb, y: yTop }], {
            x: "x",
            y: "y",
            text: [`rheobase ${fmt.current(rb)}`],
            textAnchor: "start",
            dx: 6,
            dy: 4,
            fill: "#a32020",
            fontWeight: "bold",
            fontSize: 12,
          }),
        ];
  const panel = (key: "count" | "rate", label: string, xLabel: string | null) => {
    let top = 1;
    for (const r of rows) top = Math.max(top, r[key]);
    return Plot.plot({
      document: doc,
      width: W - 230,
      height: 260,
      marginLeft: 70,
      marginRight: 30,
      marginTop: 22,
      style,
      x: { label: xLabel, grid: true },
      y: { domain: [0, top * 1.12], label, grid: true },
      marks: [
        ...rheoMarks(top * 1.08),
        ...d.series.map((_, k) =>
          Plot.line(
            rows.filter((r) => r.k === k),
            {
              x: "a",
              y: key,
              stroke: COLORS[k % COLORS.length],
              strokeWidth: k ? 1.5 : 1.8,
              curve: "step-after",
              strokeDasharray: k ? "6,3" : undefined,
            },
          ),
        ),
        ...d.series.map((_, k) =>
          Plot.dot(
            rows.filter((r) => r.k === k),
            { x: "a", y: key, r: k ? 2 : 2.5, fill: COLORS[k % COLORS.length] },
          ),
        ),
      ],
    });
  };
  const [w0, w1] = d.window_ms;
  items.push({ el: svgEl(doc, "text", { "font-size": 17, "font-weight": "bold" }, d.title), x: 10, y: 24 });
  items.push({ el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold" }, "A  spikes in the whole run"), x: 10, y: 52 });
  items.push({ el: panel("count", "spike count", null), x: 0, y: 58 });
  items.push({
    el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold" }, `B  firing rate during the step [${w0}, ${w1}) ms`),
    x: 10,
    y: 346,
  });
  const diff = countDifference(d.series);
  items.push({ el: panel("rate", "firing rate (Hz)", diff ? null : "step current amplitude (µA/cm²)"), x: 0, y: 352 });
  let height = 352 + 290;
  if (diff) {
    // Panel C: how many spikes the first curve fires more (+) or fewer (−) than the second, per amplitude
    const [a, b] = d.series as [FiSeries, FiSeries];
    const lo = Math.min(-1, ...diff.map((r) => r.d));
    const hi = Math.max(1, ...diff.map((r) => r.d));
    items.push({
      el: svgEl(
        doc,
        "text",
        { "font-size": 13, "font-weight": "bold" },
        `C  spike count difference: ${short(a.label)} − ${short(b.label)}`,
      ),
      x: 10,
      y: 640,
    });
    items.push({
      el: Plot.plot({
        document: doc,
        width: W - 230,
        height: 150,
        marginLeft: 70,
        marginRight: 30,
        marginTop: 14,
        style,
        x: { label: "step current amplitude (µA/cm²)", grid: true },
        y: {
          domain: [lo - 0.5, hi + 0.5],
          ticks: range(lo, hi),
          tickFormat: (v: number) => (v > 0 ? `+${v}` : v < 0 ? `−${-v}` : "0"),
          label: "Δ count",
          grid: true,
        },
        marks: [
          Plot.ruleY([0], { stroke: "#777" }),
          Plot.ruleX(
            diff.filter((r) => r.d !== 0),
            { x: "a", y1: 0, y2: "d", stroke: COLORS[1], strokeWidth: 2 },
          ),
          Plot.dot(diff, { x: "a", y: "d", r: 2.5, fill: (r: { d: number }) => (r.d === 0 ? "#999" : COLORS[1]) }),
        ],
      }),
      x: 0,
      y: 646,
    });
    height = 646 + 160;
  }
  // legend and notes
  const g = svgEl(doc, "g", { "font-size": 12.5 });
  let y = 20;
  d.series.forEach((s, k) => {
    g.appendChild(
      svgEl(doc, "line", {
        x1: 0,
        x2: 26,
        y1: y - 4,
        y2: y - 4,
        stroke: COLORS[k % COLORS.length] as string,
        "stroke-width": 2,
        "stroke-dasharray": k ? "6,3" : "none",
      }),
    );
    for (const line of wrap(s.label, 27)) {
      g.appendChild(svgEl(doc, "text", { x: 32, y }, line));
      y += 17;
    }
    y += 5;
  });
  const notes = [
    rb === null ? "rheobase: no spike in the range tried" : `rheobase ${fmt.current(rb)}:`,
    ...(rb === null ? [] : ["the smallest step that fires", "at least one spike (bisection)"]),
    "",
    "rate = spikes during the step",
    "÷ step duration",
  ];
  y += 14;
  notes.forEach((line, i) => {
    g.appendChild(
      svgEl(doc, "text", { x: 0, y: y + i * 18, "font-weight": i === 0 ? "bold" : "normal", fill: i === 0 ? "#a32020" : "#222" }, line),
    );
  });
  y += notes.length * 18;
  if (diff) {
    const lines = [...wrap(differenceSummary(d.series as [FiSeries, FiSeries], diff), 30)];
    y += 14;
    lines.forEach((line, i) => {
      g.appendChild(
        svgEl(doc, "text", { x: 0, y: y + i * 18, fill: COLORS[1] as string, "font-weight": i === 0 ? "bold" : "normal" }, line),
      );
    });
  }
  items.push({ el: g, x: W - 215, y: 70 });
  return compose(doc, W, height, items, d.title);
}

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);

/** A legend label without its tolerance/dt details, for the panel title ("forward Euler", "RK45"). */
const short = (label: string) => label.split(",")[0] as string;

/** Lines of at most about `width` characters, broken at spaces. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Per-amplitude count differences of the first two series (null unless both exist on the same amplitudes). */
export function countDifference(series: readonly FiSeries[]): { a: number; d: number }[] | null {
  const [s, t] = series;
  if (!s || !t || s.amplitudes_uA_per_cm2.length !== t.amplitudes_uA_per_cm2.length) return null;
  if (s.amplitudes_uA_per_cm2.some((a, i) => a !== t.amplitudes_uA_per_cm2[i])) return null;
  return s.amplitudes_uA_per_cm2.map((a, i) => ({ a, d: (s.spike_counts[i] as number) - (t.spike_counts[i] as number) }));
}

/** In words: "forward Euler fires 1 spike fewer than rk45 at 24 of 51 amplitudes". */
export function differenceSummary([s, t]: readonly [FiSeries, FiSeries], diff: readonly { d: number }[]): string {
  const n = diff.length;
  const by = new Map<number, number>();
  for (const r of diff) if (r.d !== 0) by.set(r.d, (by.get(r.d) ?? 0) + 1);
  if (by.size === 0) return `${short(s.label)} and ${short(t.label)} fire the same number of spikes at all ${n} amplitudes`;
  const entries = [...by.entries()].sort((x, y) => y[1] - x[1]);
  if (entries.length === 1) {
    const [d, c] = entries[0] as [number, number];
    const k = Math.abs(d);
    return `${short(s.label)} fires ${k} spike${k === 1 ? "" : "s"} ${d < 0 ? "fewer" : "more"} than ${short(t.label)} at ${c} of ${n} amplitudes`;
  }
  return `${short(s.label)} − ${short(t.label)}: ${entries.map(([d, c]) => `${d > 0 ? "+" : ""}${d} at ${c}`).join(", ")} of ${n} amplitudes`;
}
