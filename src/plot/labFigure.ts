import * as Plot from "@observablehq/plot";
import type { ActionPotential } from "../analysis/features.js";
import { compose, FONT, type Placed, svgEl, textBlock } from "./compose.js";
import { decimateMinMax } from "./decimate.js";
import { fmt } from "./format.js";
import { AROUND, type Box, type Candidate, dotBox, type Polyline, placeLabels, textWidth } from "./labels.js";
import { BAND_OPACITY, MARK_COLORS, VARIABLE_COLORS, variableColor } from "./palette.js";
import { drawLabels, type LabelSpec, pixels, scalesOf } from "./placeText.js";

/** Refractory periods to draw as bands from the first spike, with their words when not measured. */
export interface RefractoryBands {
  readonly absolute_ms: number | null;
  readonly relative_ms: number | null;
  /** e.g. "3.02 ms" or "not reached within the scanned range (up to 200 ms)". */
  readonly absolute_text: string;
  readonly relative_text: string;
  /** How they were measured, one line. */
  readonly method: string;
}

/** Everything lab figure 1 draws; all of it measured, nothing drawn by hand. */
export interface LabFigureData {
  readonly t_ms: ArrayLike<number>;
  readonly V_mV: ArrayLike<number>;
  /** Gate open fractions by name (m, h, n). */
  readonly gates: Readonly<Record<string, ArrayLike<number>>>;
  readonly I_inj_uA_per_cm2: ArrayLike<number>;
  /** Optional ionic currents by channel name (Na, K, L), µA/cm², outward positive. */
  readonly ionic_uA_per_cm2?: Readonly<Record<string, ArrayLike<number>>>;
  /** The stimulus window [start, stop) to shade. */
  readonly stimulus_window_ms?: readonly [number, number];
  readonly aps: readonly ActionPotential[];
  readonly onset_dVdt_mV_per_ms: number;
  readonly refractory?: RefractoryBands;
  readonly title: string;
  /** Lines on the run's convergence (e.g. Euler's spike times beside converged ones), listed with the numbers. */
  readonly convergence?: readonly (string | readonly [string, string])[];
}

const W = 1120;
const LEFT_W = 740;
/** Words for the classic HH gate names; other models' gates are shown by name. */
const GATE_WORDS: Record<string, string> = { m: "Na activation m", h: "Na inactivation h", n: "K activation n" };
const style = { fontFamily: FONT, fontSize: "12px", background: "white" };

/** Candidates beside a right-hand line end: level, then alternately above and below. */
const END_SLOTS: readonly Candidate[] = [0, -14, 14, -28, 28, -42, 42].map((dy) => ({ dx: 6, dy, align: "start" as const }));

/**
 * Lab figure 1: the membrane potential with the measured threshold, AP onsets, the first action
 * potential's peak, amplitude and half-width (zoomed beside it), the refractory periods from the first
 * spike (only the part inside the trace), the gates, and the currents. Every label is placed by the shared
 * rule of ./labels.ts: none overlaps another or the data lines. Returns a standalone SVG string.
 * `doc` is any DOM document (the browser's, or linkedom's in Node).
 */
export function labFigure(doc: Document, d: LabFigureData): string {
  const t = d.t_ms;
  const t0 = t[0] as number;
  const tEnd = t[t.length - 1] as number;
  const cols = LEFT_W - 110;
  const V = decimateMinMax(t, d.V_mV, cols);
  const pts = (x: number[], y: number[]) => x.map((xi, i) => ({ x: xi, y: y[i] as number }));
  const first = d.aps[0];
  const threshold = first?.onset_mV ?? null;
  const win = d.stimulus_window_ms;
  const stimRect = (y1: number, y2: number) =>
    win
      ? [
          Plot.rect([{ x1: win[0], x2: win[1], y1, y2 }], {
            x1: "x1",
            x2: "x2",
            y1: "y1",
            y2: "y2",
            fill: MARK_COLORS.stimulus,
            fillOpacity: BAND_OPACITY.stimulus,
          }),
        ]
      : [];
  const xAxis = { domain: [t0, tEnd], label: "time (ms)" };
  const marginLeft = 70;
  const marginRight = 48;
  const items: Placed[] = [];
  let y = 46;

  // Panel A: the membrane potential; the stimulus as a strip above the frame, the absolute refractory period
  // as a band, the relative one as a bar along the bottom (only the part inside the trace)
  const yDom: [number, number] = [-110, 75];
  const bands: Plot.Markish[] = [];
  const r = d.refractory;
  const absEnd = r && first && r.absolute_ms !== null ? Math.min(first.time_ms + r.absolute_ms, tEnd) : null;
  if (first && absEnd !== null)
    bands.push(
      Plot.rect([{ x1: first.time_ms, x2: absEnd, y1: yDom[0], y2: yDom[1] }], {
        x1: "x1",
        x2: "x2",
        y1: "y1",
        y2: "y2",
        fill: MARK_COLORS.absolute,
        fillOpacity: BAND_OPACITY.absolute,
      }),
    );
  const relStart = r && first ? first.time_ms + (r.absolute_ms ?? 0) : null;
  const relEndFull = r && first ? (r.relative_ms !== null ? first.time_ms + r.relative_ms : Number.POSITIVE_INFINITY) : null;
  const relBar = relStart !== null && relEndFull !== null && relEndFull > relStart && relStart < tEnd;
  if (relBar) {
    const yBar = yDom[0] + 4;
    bands.push(
      Plot.link([{ x1: relStart, x2: Math.min(relEndFull, tEnd), y: yBar }], {
        x1: "x1",
        x2: "x2",
        y1: "y",
        y2: "y",
        stroke: MARK_COLORS.relative,
        strokeWidth: 6,
      }),
    );
  }
  const onsets = d.aps.filter((a) => a.onset_ms !== null).map((a) => ({ x: a.onset_ms as number, y: a.onset_mV as number }));
  const panelA = Plot.plot({
    document: doc,
    width: LEFT_W,
    height: 340,
    marginLeft,
    marginRight,
    marginTop: 26,
    marginBottom: 36,
    style,
    x: xAxis,
    y: { domain: yDom, label: "membrane potential V (mV)", labelAnchor: "center", grid: true },
    marks: [
      ...bands,
      ...(threshold !== null ? [Plot.ruleY([threshold], { stroke: MARK_COLORS.threshold, strokeDasharray: "5,4" })] : []),
      Plot.line(pts(V.x, V.y), { x: "x", y: "y", stroke: VARIABLE_COLORS.V, strokeWidth: 1.5 }),
      Plot.dot(onsets, { x: "x", y: "y", r: 4, fill: MARK_COLORS.onset, stroke: "black", strokeWidth: 0.8 }),
      ...(first ? [Plot.dot([{ x: first.peak_ms, y: first.peak_mV }], { x: "x", y: "y", r: 3, fill: MARK_COLORS.peak })] : []),
    ],
  });
  {
    const { px, py, frame } = scalesOf(panelA);
    const vLine = pixels(V.x, V.y, px, py);
    const lines: Polyline[] = [vLine];
    const boxes: Box[] = onsets.map((o) => dotBox(px(o.x), py(o.y), 5));
    const labels: LabelSpec[] = [];
    if (win) {
      const [a, b] = [px(Math.max(win[0], t0)), px(Math.min(win[1], tEnd))];
      panelA.appendChild(
        svgEl(doc, "rect", { x: a, y: 8, width: Math.max(0, b - a), height: 8, fill: MARK_COLORS.stimulus, class: "stimulus-strip" }),
      );
      boxes.push({ x0: a, y0: 8, x1: b, y1: 16 });
      labels.push({
        id: "stimulus",
        text: "stimulus on",
        x: b,
        y: 12,
        candidates: [
          { dx: 6, dy: 0, align: "start" },
          { dx: a - b - 6, dy: 0, align: "end" },
        ],
        fill: MARK_COLORS.stimulusText,
      });
    }
    if (first)
      labels.push({
        id: "ap",
        text: "action potential",
        x: px(first.peak_ms),
        y: py(first.peak_mV),
        candidates: [{ dx: 0, dy: -12, align: "middle" }, ...AROUND],
        fill: "#1b1f24",
        bold: true,
      });
    if (threshold !== null)
      labels.push({
        id: "threshold",
        text: `threshold ${fmt.mV(threshold)}`,
        x: frame.x1 - 4,
        y: py(threshold),
        candidates: [-10, 10, -24, 24].flatMap((dy) => [
          { dx: 0, dy, align: "end" as const },
          { dx: frame.x0 - frame.x1 + 8, dy, align: "start" as const },
        ]),
        fill: "#333",
      });
    const rows = [-18, -34, -50, -66];
    if (r && first && absEnd !== null)
      labels.push({
        id: "absolute",
        text: `absolute refractory ${r.absolute_text}`,
        x: px(first.time_ms),
        y: frame.y1,
        candidates: rows.flatMap((dy) => [
          { dx: 2, dy, align: "start" as const },
          { dx: -2, dy, align: "end" as const },
        ]),
        fill: MARK_COLORS.absoluteText,
        bold: true,
      });
    if (relBar && r && relStart !== null && relEndFull !== null) {
      const inside = relEndFull <= tEnd;
      const x1 = px(Math.min(relEndFull, tEnd));
      boxes.push({ x0: px(relStart), y0: py(yDom[0] + 4) - 3, x1, y1: py(yDom[0] + 4) + 3 });
      labels.push({
        id: "relative",
        text: inside ? `relative refractory ${r.relative_text}` : `relative refractory ${r.relative_text} ▶`,
        x: px(relStart),
        y: frame.y1,
        candidates: rows.flatMap((dy) => [
          { dx: 2, dy, align: "start" as const },
          { dx: x1 - px(relStart) - 2, dy, align: "end" as const },
        ]),
        fill: MARK_COLORS.relativeText,
        bold: true,
      });
    }
    if (threshold !== null) lines.push({ x: [frame.x0, frame.x1], y: [py(threshold), py(threshold)] });
    if (first) boxes.push(dotBox(px(first.peak_ms), py(first.peak_mV), 4));
    // the threshold's own label may sit on its line; the others may not
    const taken = drawLabels(
      doc,
      panelA,
      labels.filter((l) => l.id !== "threshold"),
      { bounds: { ...frame, y0: 0 }, lines, boxes },
    );
    drawLabels(
      doc,
      panelA,
      labels.filter((l) => l.id === "threshold"),
      { bounds: frame, lines: [vLine], boxes: [...boxes, ...taken] },
    );
  }
  items.push({ el: panelA, x: 0, y });

  // Panel A′: the first action potential, zoomed
  if (first && first.onset_ms !== null && first.onset_mV !== null && first.amplitude_mV !== null) {
    const z0 = first.onset_ms - 1.5;
    const z1 = (first.half_fall_ms ?? first.peak_ms) + 3;
    const zx: number[] = [];
    const zy: number[] = [];
    let lo = Infinity;
    for (let k = 0; k < t.length; k++) {
      const tk = t[k] as number;
      if (tk >= z0 && tk <= z1) {
        zx.push(tk);
        zy.push(d.V_mV[k] as number);
        lo = Math.min(lo, d.V_mV[k] as number);
      }
    }
    const half = first.onset_mV + first.amplitude_mV / 2;
    const hw = first.half_width_ms !== null && first.half_rise_ms !== null && first.half_fall_ms !== null;
    const marks: Plot.Markish[] = [
      Plot.ruleY([first.onset_mV], { stroke: MARK_COLORS.threshold, strokeDasharray: "5,4" }),
      Plot.line(pts(zx, zy), { x: "x", y: "y", stroke: VARIABLE_COLORS.V, strokeWidth: 1.8 }),
      Plot.arrow([{ x1: first.peak_ms, y1: first.onset_mV, x2: first.peak_ms, y2: first.peak_mV }], {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: MARK_COLORS.peak,
        strokeWidth: 1.5,
        headLength: 8,
      }),
      Plot.dot([{ x: first.peak_ms, y: first.peak_mV }], { x: "x", y: "y", r: 4, fill: MARK_COLORS.peak }),
      Plot.dot([{ x: first.onset_ms, y: first.onset_mV }], {
        x: "x",
        y: "y",
        r: 5,
        fill: MARK_COLORS.onset,
        stroke: "black",
        strokeWidth: 0.8,
      }),
    ];
    if (hw)
      marks.push(
        Plot.link([{ x1: first.half_rise_ms, x2: first.half_fall_ms, y: half }], {
          x1: "x1",
          x2: "x2",
          y1: "y",
          y2: "y",
          stroke: MARK_COLORS.halfWidth,
          strokeWidth: 2.5,
          markerStart: "tick",
          markerEnd: "tick",
        }),
      );
    const panelZ = Plot.plot({
      document: doc,
      width: W - LEFT_W - 10,
      height: 340,
      marginLeft: 50,
      marginRight: 20,
      marginTop: 26,
      marginBottom: 36,
      style,
      x: { domain: [z0, z1], label: "time (ms)" },
      y: { domain: [Math.min(lo, first.onset_mV) - 14, first.peak_mV + 16], label: "V (mV)", labelAnchor: "center", grid: true },
      marks,
    });
    const { px, py, frame } = scalesOf(panelZ);
    const xP = px(first.peak_ms);
    const lines: Polyline[] = [
      pixels(zx, zy, px, py),
      { x: [xP, xP], y: [py(first.onset_mV), py(first.peak_mV)] },
      { x: [frame.x0, frame.x1], y: [py(first.onset_mV), py(first.onset_mV)] },
    ];
    if (hw) lines.push({ x: [px(first.half_rise_ms as number), px(first.half_fall_ms as number)], y: [py(half), py(half)] });
    const boxes = [dotBox(xP, py(first.peak_mV), 5), dotBox(px(first.onset_ms), py(first.onset_mV), 6)];
    const labels: LabelSpec[] = [
      {
        id: "peak",
        text: `peak ${fmt.mV(first.peak_mV)}`,
        x: xP,
        y: py(first.peak_mV),
        candidates: AROUND,
        fill: "#1b1f24",
      },
      {
        id: "amplitude",
        text: `amplitude ${fmt.mV(first.amplitude_mV)}`,
        x: xP,
        y: py(first.onset_mV + first.amplitude_mV * 0.72),
        candidates: [0, 14, -14, 28, -28, 42].flatMap((dy) =>
          [6, 24, 42, 60].flatMap((dx) => [
            { dx, dy, align: "start" as const },
            { dx: -dx, dy, align: "end" as const },
          ]),
        ),
        fill: MARK_COLORS.peak,
      },
    ];
    if (hw)
      labels.push({
        id: "half-width",
        text: `half-width ${fmt.ms(first.half_width_ms as number)}`,
        x: px(first.half_fall_ms as number),
        y: py(half),
        candidates: [0, 14, -14, 28, -28].flatMap((dy) => [
          { dx: 6, dy, align: "start" as const },
          { dx: px(first.half_rise_ms as number) - px(first.half_fall_ms as number) - 6, dy, align: "end" as const },
        ]),
        fill: MARK_COLORS.halfWidthText,
      });
    labels.push({
      id: "onset",
      text: `onset = threshold ${fmt.mV(first.onset_mV)}`,
      x: px(first.onset_ms),
      y: py(first.onset_mV),
      candidates: [14, 28, 42, 56, 70, -14, -28].flatMap((dy) => [
        { dx: 4, dy, align: "start" as const },
        { dx: -4, dy, align: "end" as const },
        { dx: 0, dy, align: "middle" as const },
      ]),
      fill: "#1b1f24",
    });
    drawLabels(doc, panelZ, labels, { bounds: frame, lines, boxes });
    items.push({ el: panelZ, x: LEFT_W + 10, y });
    items.push({
      el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold", "text-anchor": "start" }, "the first action potential, zoomed in"),
      x: LEFT_W + 60,
      y: y - 6,
    });
  }
  items.push({ el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold" }, "A  membrane potential"), x: 10, y: y - 6 });
  y += 340 + 28;

  /** A panel of named lines with their labels at the line ends (placed apart by the shared rule). */
  const namedLines = (
    series: { name: string; x: number[]; y: number[] }[],
    height: number,
    yOpt: Plot.ScaleOptions,
    extra: Plot.Markish[],
  ) => {
    const marks: Plot.Markish[] = [...extra];
    series.forEach((s, i) => {
      marks.push(Plot.line(pts(s.x, s.y), { x: "x", y: "y", stroke: variableColor(s.name, i), strokeWidth: 1.5 }));
    });
    const panel = Plot.plot({
      document: doc,
      width: LEFT_W,
      height,
      marginLeft,
      marginRight,
      marginTop: 12,
      marginBottom: 36,
      style,
      x: xAxis,
      y: { ...yOpt, labelAnchor: "center", grid: true },
      marks,
    });
    const { px, py, frame } = scalesOf(panel);
    drawLabels(
      doc,
      panel,
      series.map((s, i) => ({
        id: s.name,
        text: s.name,
        x: frame.x1,
        y: py(s.y[s.y.length - 1] as number),
        candidates: END_SLOTS,
        fill: variableColor(s.name, i),
        bold: true,
        subscript: true,
      })),
      { bounds: { x0: frame.x0, x1: LEFT_W, y0: 0, y1: frame.y1 + 4 }, lines: series.map((s) => pixels(s.x, s.y, px, py)) },
    );
    return panel;
  };

  // Panel B: the gates
  const gates = Object.entries(d.gates).map(([name, values]) => ({ name, ...decimateMinMax(t, values, cols) }));
  items.push({
    el: svgEl(
      doc,
      "text",
      { "font-size": 13, "font-weight": "bold" },
      `B  gates: ${Object.keys(d.gates)
        .map((g) => GATE_WORDS[g] ?? g)
        .join(", ")}`,
    ),
    x: 10,
    y: y - 6,
  });
  items.push({ el: namedLines(gates, 190, { domain: [0, 1], label: "open fraction" }, []), x: 0, y });
  y += 190 + 28;

  // Panel C: the injected current
  const I = decimateMinMax(t, d.I_inj_uA_per_cm2, cols);
  let iMax = 0;
  for (const v of I.y) iMax = Math.max(iMax, Math.abs(v));
  const iDom: [number, number] = [Math.min(0, ...I.y) - 0.1 * (iMax || 1), 1.15 * (iMax || 1)];
  items.push({ el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold" }, "C  injected current (the stimulus)"), x: 10, y: y - 6 });
  items.push({
    el: Plot.plot({
      document: doc,
      width: LEFT_W,
      height: 150,
      marginLeft,
      marginRight,
      marginTop: 12,
      marginBottom: 36,
      style,
      x: xAxis,
      y: { domain: iDom, label: "I (µA/cm²)", labelAnchor: "center", grid: true },
      marks: [
        ...stimRect(iDom[0], iDom[1]),
        Plot.ruleY([0], { stroke: "#999" }),
        Plot.line(pts(I.x, I.y), { x: "x", y: "y", stroke: VARIABLE_COLORS.inj, strokeWidth: 2 }),
      ],
    }),
    x: 0,
    y,
  });
  y += 150 + 28;
  if (d.ionic_uA_per_cm2) {
    const ionic = Object.entries(d.ionic_uA_per_cm2).map(([name, values]) => ({ name: `I_${name}`, ...decimateMinMax(t, values, cols) }));
    items.push({
      el: svgEl(
        doc,
        "text",
        { "font-size": 13, "font-weight": "bold" },
        `D  ionic currents (outward positive)${"Na" in d.ionic_uA_per_cm2 && "K" in d.ionic_uA_per_cm2 ? ": Na in, K out" : ""}`,
      ),
      x: 10,
      y: y - 6,
    });
    items.push({ el: namedLines(ionic, 200, { label: "I (µA/cm²)" }, [Plot.ruleY([0], { stroke: "#999" })]), x: 0, y });
    y += 200 + 10;
  }

  // The measured numbers, in words, beside panels B–D
  const lines: (string | readonly [string, string])[] = [];
  if (first) {
    if (first.onset_mV !== null) {
      lines.push(["threshold", `${fmt.mV(first.onset_mV)} (the AP onset: where`]);
      lines.push(`    dV/dt − I_inj/Cm first exceeds ${d.onset_dVdt_mV_per_ms} mV/ms)`);
    }
    lines.push(["peak", `${fmt.mV(first.peak_mV)} at ${fmt.ms(first.peak_ms)}`]);
    if (first.amplitude_mV !== null) lines.push(["amplitude", `${fmt.mV(first.amplitude_mV)} (peak − onset)`]);
    if (first.half_width_ms !== null) lines.push(["half-width", `${fmt.ms(first.half_width_ms)} (width at half amplitude)`]);
    if (first.ahp_mV !== null && first.ahp_ms !== null)
      lines.push(["after-hyperpolarisation", `${fmt.mV(first.ahp_mV)} at ${fmt.ms(first.ahp_ms)}`]);
  }
  lines.push(["spikes", `${d.aps.length}${d.aps.length ? ` at ${d.aps.map((a) => a.time_ms.toFixed(2)).join(", ")} ms` : ""}`]);
  for (const l of d.convergence ?? []) lines.push(l);
  if (r) {
    lines.push("");
    lines.push(["absolute refractory", r.absolute_text]);
    lines.push(["relative refractory", r.relative_text]);
    lines.push("both from the first spike; measured with");
    for (const part of r.method.split("\n")) lines.push(part);
  }
  items.push({ el: textBlock(doc, lines, 12.5, 19), x: LEFT_W + 20, y: 46 + 340 + 20 });
  items.push({ el: svgEl(doc, "text", { "font-size": 17, "font-weight": "bold" }, d.title), x: 10, y: 24 });
  return compose(doc, W, y + 10, items, d.title);
}
