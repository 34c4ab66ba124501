import * as Plot from "@observablehq/plot";
import { compose, FONT, type Placed, svgEl, textBlock } from "./compose.js";
import { decimateMinMax } from "./decimate.js";

/** What the fit figure draws: each target sweep with the fitted model's trace over it, and the numbers. */
export interface FitFigureData {
  readonly title: string;
  readonly sweeps: readonly {
    readonly label: string;
    readonly target: { readonly t_ms: ArrayLike<number>; readonly V_mV: ArrayLike<number> };
    readonly fit: { readonly t_ms: ArrayLike<number>; readonly V_mV: ArrayLike<number> };
  }[];
  readonly window_ms: readonly [number, number];
  /** Lines of text beside the panels (parameters, objective parts). */
  readonly lines: readonly (string | readonly [string, string])[];
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };
const PANEL_H = 200;

/** The target sweeps (grey) with the fitted model's traces (red) over them, one panel a sweep, and a text column. */
export function fitFigure(doc: Document, d: FitFigureData): string {
  const items: Placed[] = [
    { el: svgEl(doc, "text", { x: 20, y: 28, "font-size": 17, "font-weight": "bold" }, d.title), x: 0, y: 0 },
    {
      el: svgEl(doc, "text", { x: 20, y: 46, "font-size": 12, fill: "#444" }, "grey: target; red: fitted model; dashed: the step window"),
      x: 0,
      y: 0,
    },
  ];
  d.sweeps.forEach((s, k) => {
    const tgt = decimateMinMax(s.target.t_ms, s.target.V_mV, 800);
    const fit = decimateMinMax(s.fit.t_ms, s.fit.V_mV, 800);
    const data = [
      ...tgt.x.map((x, i) => ({ x, y: tgt.y[i] as number, who: "target" })),
      ...fit.x.map((x, i) => ({ x, y: fit.y[i] as number, who: "fitted model" })),
    ];
    const panel = Plot.plot({
      document: doc,
      width: 720,
      height: PANEL_H,
      marginLeft: 60,
      marginRight: 30,
      style,
      x: { label: k === d.sweeps.length - 1 ? "time (ms)" : null },
      y: { label: "V (mV)", grid: true },
      color: { domain: ["target", "fitted model"], range: ["#9a9a9a", "#d62728"] },
      marks: [
        Plot.ruleX(d.window_ms, { stroke: "#9ecae1", strokeDasharray: "4,3" }),
        Plot.line(data.slice(0, tgt.x.length), { x: "x", y: "y", stroke: "who", strokeWidth: 2.6 }),
        Plot.line(data.slice(tgt.x.length), { x: "x", y: "y", stroke: "who", strokeWidth: 1 }),
        Plot.text([s.label], { frameAnchor: "top-right", dx: -6, dy: 6, fontSize: 12 }),
      ],
    }) as unknown as Element;
    items.push({ el: panel, x: 10, y: 54 + k * (PANEL_H + 10) });
  });
  items.push({ el: textBlock(doc, d.lines, 12, 17), x: 750, y: 50 });
  const height = Math.max(54 + d.sweeps.length * (PANEL_H + 10) + 10, 70 + d.lines.length * 17);
  return compose(doc, 1260, height, items, d.title);
}
