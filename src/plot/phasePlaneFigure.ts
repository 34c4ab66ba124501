import * as Plot from "@observablehq/plot";
import type { PhasePlane } from "../dynamics/phasePlane.js";
import { compose, FONT, fitWidth, type Placed, svgEl, wrapText } from "./compose.js";

export interface PhasePlaneFigureData {
  readonly plane: PhasePlane;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  /** A simulated trajectory of the full model projected on the plane. */
  readonly simulated?: { readonly label: string; readonly x: ArrayLike<number>; readonly y: ArrayLike<number> };
  readonly title: string;
  /** The width of the box it is shown in (px): the figure narrows to it (not below 320 px); default 820 px. */
  readonly width?: number;
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };
const segRows = (lines: readonly { x: number; y: number }[][]) => lines.flatMap((l, k) => l.map((p) => ({ ...p, k })));

/** Nullclines, vector field, fixed points with their type, separatrices and trajectories in one plane. */
export function phasePlaneFigure(doc: Document, d: PhasePlaneFigureData): string {
  const W = fitWidth(820, d.width);
  // the plot 560 px tall at its natural width, nearer square when narrowed
  const H = Math.min(560, Math.max(320, Math.round(W * 0.85)));
  const pl = d.plane;
  const wx = d.xRange[1] - d.xRange[0];
  const wy = d.yRange[1] - d.yRange[0];
  const arrows = pl.vectors.map((v) => {
    const ux = v.dx / wx;
    const uy = v.dy / wy;
    const n = Math.hypot(ux, uy) || 1;
    const len = 0.018;
    return { x1: v.x, y1: v.y, x2: v.x + (ux / n) * len * wx, y2: v.y + (uy / n) * len * wy };
  });
  const sim = d.simulated ? Array.from(d.simulated.x, (x, i) => ({ x, y: d.simulated?.y[i] as number })) : [];
  const fp = pl.fixedPoints.map((f) => ({ ...f, label: f.type }));
  const plot = Plot.plot({
    document: doc,
    width: W,
    height: H,
    marginLeft: 60,
    marginRight: 40,
    marginTop: 20,
    style,
    // narrowed, the x axis' name goes under the ticks, centred (at the right end it would cover the last tick)
    ...(W < 600 ? { marginBottom: 42 } : {}),
    x: {
      domain: d.xRange as [number, number],
      label: pl.x === "V" ? "V (mV)" : pl.x,
      grid: true,
      ...(W < 600 ? { labelAnchor: "center" as const } : {}),
    },
    y: { domain: d.yRange as [number, number], label: pl.y === "V" ? "V (mV)" : pl.y, grid: true },
    marks: [
      Plot.arrow(arrows, { x1: "x1", y1: "y1", x2: "x2", y2: "y2", stroke: "#aaa", strokeWidth: 0.8, headLength: 4 }),
      Plot.line(segRows(pl.xNullcline as { x: number; y: number }[][]), { x: "x", y: "y", z: "k", stroke: "#ff7f0e", strokeWidth: 2 }),
      Plot.line(segRows(pl.yNullcline as { x: number; y: number }[][]), { x: "x", y: "y", z: "k", stroke: "#2ca02c", strokeWidth: 2 }),
      Plot.line(segRows(pl.separatrices as { x: number; y: number }[][]), {
        x: "x",
        y: "y",
        z: "k",
        stroke: "black",
        strokeDasharray: "6,3",
        strokeWidth: 1.5,
      }),
      Plot.line(segRows(pl.trajectories as { x: number; y: number }[][]), { x: "x", y: "y", z: "k", stroke: "#9467bd", strokeWidth: 1.2 }),
      ...(sim.length ? [Plot.line(sim, { x: "x", y: "y", stroke: "#1f77b4", strokeWidth: 1.5 })] : []),
      Plot.dot(fp, {
        x: "x",
        y: "y",
        r: 5,
        fill: (f: { type: string }) => (f.type.startsWith("stable") ? "black" : "white"),
        stroke: "black",
      }),
      Plot.text(fp, { x: "x", y: "y", text: "label", dx: 8, dy: -10, textAnchor: "start", fontSize: 12 }),
    ],
  });
  const legend = [
    `orange: ${pl.x}-nullcline (d${pl.x}/dt = 0) · green: ${pl.y}-nullcline · grey arrows: direction of the flow`,
    "dashed: stable manifold of the saddle (the threshold, a separatrix) · filled dot: stable fixed point",
    `other states: ${pl.reduction}${d.simulated ? ` · blue: ${d.simulated.label}` : ""}`,
  ].flatMap((s) => wrapText(s, W - 30, 12));
  const items: Placed[] = [
    { el: svgEl(doc, "text", { x: 20, y: 22, "font-size": 15, "font-weight": "bold" }, d.title), x: 0, y: 0 },
    { el: plot as unknown as Element, x: 0, y: 32 },
  ];
  legend.forEach((s, k) => {
    items.push({ el: svgEl(doc, "text", { x: 20, y: H + 52 + 17 * k, "font-size": 12 }, s), x: 0, y: 0 });
  });
  return compose(doc, W, H + 52 + 17 * legend.length + 8, items, d.title);
}
