import * as Plot from "@observablehq/plot";
import { compose, FONT, type Placed, svgEl } from "./compose.js";
import { fmt } from "./format.js";

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

const COLORS = ["black", "#d62728", "#1f77b4", "#2ca02c"];
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
          Plot.ruleX([rb], { stroke: "#e45756", strokeWidth: 1.5, strokeDasharray: "5,3" }),
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
  items.push({ el: panel("rate", "firing rate (Hz)", "step current amplitude (µA/cm²)"), x: 0, y: 352 });
  // legend and notes
  const g = svgEl(doc, "g", { "font-size": 12.5 });
  d.series.forEach((s, k) => {
    const y = 20 + k * 22;
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
    g.appendChild(svgEl(doc, "text", { x: 32, y }, s.label));
  });
  const y0 = 20 + d.series.length * 22 + 14;
  const notes = [
    rb === null ? "rheobase: no spike in the range tried" : `rheobase ${fmt.current(rb)}:`,
    ...(rb === null ? [] : ["the smallest step that fires", "at least one spike (bisection)"]),
    "",
    "rate = spikes during the step",
    "÷ step duration",
  ];
  notes.forEach((line, i) => {
    g.appendChild(
      svgEl(doc, "text", { x: 0, y: y0 + i * 18, "font-weight": i === 0 ? "bold" : "normal", fill: i === 0 ? "#a32020" : "#222" }, line),
    );
  });
  items.push({ el: g, x: W - 215, y: 70 });
  return compose(doc, W, 352 + 290, items, d.title);
}
