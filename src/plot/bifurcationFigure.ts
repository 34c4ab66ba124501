import * as Plot from "@observablehq/plot";
import type { BifurcationDiagram } from "../dynamics/diagram.js";
import { compose, FONT, fitWidth, type Placed, svgEl, wrapText } from "./compose.js";

/** Simulated firing rates to overlay on the f–I panel (spikelab's own f–I run). */
export interface SimulatedRates {
  readonly label: string;
  readonly amplitudes_uA_per_cm2: readonly number[];
  readonly rates_Hz: readonly number[];
}

export interface BifurcationFigureData {
  readonly diagram: BifurcationDiagram;
  readonly simulated?: SimulatedRates;
  /** The rheobase for the simulated step (µA/cm²), to mark; null: none. */
  readonly rheobase_uA_per_cm2?: number | null;
  readonly title: string;
  /** The width of the box it is shown in (px): the figure narrows to it (not below 320 px); default 920 px. */
  readonly width?: number;
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };
const EQ = "black";
const STABLE = "#1f77b4";
const UNSTABLE = "#d62728";

/** Rows split into runs of equal stability (a boundary point belongs to both), numbered for Plot's z. */
function segments<T extends { stable: boolean }>(rows: readonly T[], offset: number): (T & { seg: number })[] {
  const out: (T & { seg: number })[] = [];
  let seg = offset;
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    if (prev && prev.stable !== r.stable) {
      seg++;
      out.push({ ...prev, stable: r.stable, seg });
    }
    out.push({ ...r, seg });
  });
  return out;
}

/**
 * The bifurcation diagram (V against the parameter: equilibria stable solid, unstable dashed; cycle min/max
 * stable blue, unstable red) and under it the frequency of the cycles (1/period) with the simulated f–I curve
 * on top, the bifurcation points, the rheobase and the onset of sustained firing marked and named.
 */
export function bifurcationFigure(doc: Document, d: BifurcationFigureData): string {
  const dia = d.diagram;
  const W = fitWidth(920, d.width);
  const [lo, hi] = [Math.min(...dia.range), Math.max(...dia.range)];
  const inRange = (p: number) => p >= lo && p <= hi;
  const eq = segments(
    dia.equilibria.points.filter((q) => inRange(q.p)).map((q) => ({ p: q.p, V: q.V_mV, stable: q.stable })),
    0,
  );
  const cyc = dia.cycles.flatMap((c, k) =>
    segments(
      c.points
        .filter((q) => inRange(q.p))
        .map((q) => ({ p: q.p, max: q.Vmax_mV, min: q.Vmin_mV, f: 1000 / q.period_ms, stable: q.stable })),
      1000 * (k + 1),
    ),
  );
  const points = dia.points.filter((q) => inRange(q.p));
  const xDomain: [number, number] = [lo, hi];
  const anchorOf = (p: number) => (p < lo + (hi - lo) / 4 ? "start" : p > hi - (hi - lo) / 4 ? "end" : "middle");
  // narrowed, the axis names go under the ticks, centred (at the right end they would cover the last tick)
  const narrow = W < 600;
  const xAxis = narrow ? { labelAnchor: "center" as const } : {};
  const marginBottom = narrow ? 42 : 30;
  const label = (q: { name: string; p: number }) =>
    `${q.name.replace(" (subcritical)", " sub").replace(" (supercritical)", " super")} ${q.p.toPrecision(4)}`;
  const top = Plot.plot({
    document: doc,
    width: W,
    height: 340,
    marginLeft: 60,
    marginRight: 40,
    marginTop: 30,
    style,
    x: { domain: xDomain, label: null, grid: true },
    y: { label: "V (mV)", grid: true },
    marks: [
      Plot.line(
        eq.filter((r) => r.stable),
        { x: "p", y: "V", z: "seg", stroke: EQ, strokeWidth: 2 },
      ),
      Plot.line(
        eq.filter((r) => !r.stable),
        { x: "p", y: "V", z: "seg", stroke: EQ, strokeWidth: 1.2, strokeDasharray: "5,4" },
      ),
      ...(["max", "min"] as const).flatMap((key) => [
        Plot.line(
          cyc.filter((r) => r.stable),
          { x: "p", y: key, z: "seg", stroke: STABLE, strokeWidth: 2 },
        ),
        Plot.line(
          cyc.filter((r) => !r.stable),
          { x: "p", y: key, z: "seg", stroke: UNSTABLE, strokeWidth: 1.2, strokeDasharray: "3,3" },
        ),
      ]),
      Plot.dot(points, { x: "p", y: "V_mV", fill: "white", stroke: "black", r: 4.5, strokeWidth: 1.5 }),
      // a point's name runs away from the nearer side (no name over the V axis' ticks or past the right edge)
      ...(["start", "middle", "end"] as const).map((anchor) =>
        Plot.text(
          points.filter((q) => anchorOf(q.p) === anchor),
          { x: "p", y: "V_mV", text: label, dy: -12, fontSize: 11, fill: "#333", textAnchor: anchor },
        ),
      ),
    ],
  });
  const fRows = cyc.map((r) => ({ ...r }));
  const sim = d.simulated;
  const simRows = sim ? sim.amplitudes_uA_per_cm2.map((a, i) => ({ a, r: sim.rates_Hz[i] as number })) : [];
  let fTop = 10;
  for (const r of fRows) fTop = Math.max(fTop, r.f);
  for (const r of simRows) fTop = Math.max(fTop, r.r);
  const ex = dia.excitability;
  const rules: { x: number; text: string; color: string }[] = [];
  if (ex.sustainedFiringThreshold)
    rules.push({
      x: ex.sustainedFiringThreshold.p,
      text: `sustained firing ${ex.sustainedFiringThreshold.p.toPrecision(4)}`,
      color: STABLE,
    });
  if (ex.restLosesStability && ex.restLosesStability.p !== ex.sustainedFiringThreshold?.p)
    rules.push({ x: ex.restLosesStability.p, text: `rest unstable ${ex.restLosesStability.p.toPrecision(4)}`, color: "black" });
  if (d.rheobase_uA_per_cm2 !== undefined && d.rheobase_uA_per_cm2 !== null)
    rules.push({ x: d.rheobase_uA_per_cm2, text: `rheobase ${d.rheobase_uA_per_cm2.toPrecision(4)}`, color: "#e45756" });
  const bottom = Plot.plot({
    document: doc,
    width: W,
    height: 260,
    marginLeft: 60,
    marginRight: 40,
    marginTop: 28, // room for the y axis name above a tick at the very top
    style,
    marginBottom,
    x: { domain: xDomain, label: `${dia.parameter}${dia.parameter === "I" ? " (µA/cm²)" : ""}`, grid: true, ...xAxis },
    y: { domain: [0, fTop * 1.15], label: "frequency (Hz)", grid: true },
    marks: [
      ...rules.map((r) => Plot.ruleX([r.x], { stroke: r.color, strokeDasharray: "4,3", strokeWidth: 1.2 })),
      Plot.text(rules, {
        x: "x",
        y: (_: unknown, k: number) => fTop * (1.1 - 0.09 * k),
        text: "text",
        textAnchor: "start",
        dx: 4,
        fontSize: 11,
        fill: "color",
      }),
      Plot.line(
        fRows.filter((r) => r.stable),
        { x: "p", y: "f", z: "seg", stroke: STABLE, strokeWidth: 2 },
      ),
      Plot.line(
        fRows.filter((r) => !r.stable),
        { x: "p", y: "f", z: "seg", stroke: UNSTABLE, strokeWidth: 1.2, strokeDasharray: "3,3" },
      ),
      ...(sim ? [Plot.dot(simRows, { x: "a", y: "r", r: 2.5, fill: "black" })] : []),
    ],
  });
  const legend = [
    "equilibria: stable solid, unstable dashed · cycles (max and min V, 1/period): stable blue, unstable red dashed",
    sim ? `dots: ${sim.label}` : "",
    ...`${ex.class}: ${ex.summary}`.split("; "),
  ]
    .filter((s) => s)
    .flatMap((s) => wrapText(s, W - 30, 12));
  const items: Placed[] = [
    { el: svgEl(doc, "text", { x: 20, y: 22, "font-size": 15, "font-weight": "bold" }, d.title), x: 0, y: 0 },
    { el: top as unknown as Element, x: 0, y: 34 },
    { el: bottom as unknown as Element, x: 0, y: 374 },
  ];
  legend.forEach((s, k) => {
    items.push({ el: svgEl(doc, "text", { x: 20, y: 652 + 17 * k, "font-size": 12 }, s), x: 0, y: 0 });
  });
  return compose(doc, W, 652 + 17 * legend.length + 10, items, d.title);
}
