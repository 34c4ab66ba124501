import * as Plot from "@observablehq/plot";
import type { ActionPotential } from "../analysis/features.js";
import { compose, FONT, type Placed, svgEl, textBlock } from "./compose.js";
import { decimateMinMax } from "./decimate.js";
import { fmt } from "./format.js";

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
const COLORS: Record<string, string> = { m: "#d62728", h: "#1f77b4", n: "#2ca02c", Na: "#d62728", K: "#1f77b4", L: "#7f7f7f" };
const STIM = "#9ecae1";
const ABS = "#e45756";
const REL = "#f2a541";
/** Label positions at least `gap` apart (in data units), keeping their order. */
function spread<T extends { y: number }>(labels: T[], gap: number): T[] {
  const out = labels.map((l) => ({ ...l })).sort((a, b) => a.y - b.y);
  for (let i = 1; i < out.length; i++) {
    const prev = out[i - 1] as T;
    const cur = out[i] as T;
    if (cur.y - prev.y < gap) cur.y = prev.y + gap;
  }
  return out;
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };

/**
 * Lab figure 1: the membrane potential with the measured threshold, AP onsets, the first action
 * potential's peak, amplitude and half-width (zoomed beside it), the refractory periods as bands from
 * the first spike, the gates m, h, n, and the currents. Returns a standalone SVG string.
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
    win ? [Plot.rect([{ x1: win[0], x2: win[1], y1, y2 }], { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: STIM, fillOpacity: 0.3 })] : [];
  const xAxis = { domain: [t0, tEnd], label: null as string | null };
  const marginLeft = 70;
  const marginRight = 40;
  const items: Placed[] = [];
  let y = 46;

  // Panel A: the membrane potential
  const yDom: [number, number] = [-110, 75];
  const bands: Plot.Markish[] = [];
  const r = d.refractory;
  if (r && first) {
    const s = first.time_ms;
    if (r.absolute_ms !== null) {
      bands.push(
        Plot.rect([{ x1: s, x2: Math.min(s + r.absolute_ms, tEnd), y1: yDom[0], y2: yDom[1] }], {
          x1: "x1",
          x2: "x2",
          y1: "y1",
          y2: "y2",
          fill: ABS,
          fillOpacity: 0.28,
        }),
      );
      bands.push(
        Plot.text([{ x: s, y: -90 }], {
          x: "x",
          y: "y",
          text: [`absolute refractory ${r.absolute_text}`],
          textAnchor: "start",
          fill: "#a32020",
          fontWeight: "bold",
          fontSize: 12,
          dx: 2,
        }),
      );
    }
    const relStart = s + (r.absolute_ms ?? 0);
    const relEnd = r.relative_ms !== null ? s + r.relative_ms : tEnd;
    if (relEnd > relStart) {
      bands.push(
        Plot.rect([{ x1: relStart, x2: Math.min(relEnd, tEnd), y1: yDom[0], y2: yDom[1] }], {
          x1: "x1",
          x2: "x2",
          y1: "y1",
          y2: "y2",
          fill: REL,
          fillOpacity: 0.16,
        }),
      );
      const beyond =
        relEnd > tEnd
          ? ` (ends ${r.relative_ms !== null ? `${(s + r.relative_ms).toFixed(1)} ms, past this trace` : "beyond the scan"}) ▶`
          : "";
      bands.push(
        Plot.text([{ x: relStart, y: -103 }], {
          x: "x",
          y: "y",
          text: [`relative refractory ${r.relative_text}${beyond}`],
          textAnchor: "start",
          fill: "#8a5300",
          fontWeight: "bold",
          fontSize: 12,
          dx: 2,
        }),
      );
    }
  }
  const onsets = d.aps.filter((a) => a.onset_ms !== null).map((a) => ({ x: a.onset_ms as number, y: a.onset_mV as number }));
  const panelA = Plot.plot({
    document: doc,
    width: LEFT_W,
    height: 340,
    marginLeft,
    marginRight,
    marginTop: 16,
    style,
    x: xAxis,
    y: { domain: yDom, label: "membrane potential V (mV)", grid: true },
    marks: [
      ...stimRect(yDom[0], yDom[1]),
      ...(win
        ? [Plot.text([{ x: (win[0] + win[1]) / 2, y: 70 }], { x: "x", y: "y", text: ["stimulus on"], fill: "#3a78a8", fontSize: 12 })]
        : []),
      ...bands,
      ...(threshold !== null
        ? [
            Plot.ruleY([threshold], { stroke: "#555", strokeDasharray: "5,4" }),
            Plot.text([{ x: tEnd, y: threshold }], {
              x: "x",
              y: "y",
              text: [`threshold ${fmt.mV(threshold)}`],
              textAnchor: "end",
              dy: -7,
              fill: "#333",
              fontSize: 12,
            }),
          ]
        : []),
      Plot.line(pts(V.x, V.y), { x: "x", y: "y", stroke: "black", strokeWidth: 1.5 }),
      Plot.dot(onsets, { x: "x", y: "y", r: 4, fill: "#ff7f0e", stroke: "black", strokeWidth: 0.8 }),
      ...(first
        ? [
            Plot.text([{ x: first.peak_ms, y: first.peak_mV }], {
              x: "x",
              y: "y",
              text: ["action potential"],
              dy: -10,
              textAnchor: "middle",
              fontWeight: "bold",
              fontSize: 13,
            }),
          ]
        : []),
    ],
  });
  items.push({ el: panelA, x: 0, y });

  // Panel A′: the first action potential, zoomed
  if (first && first.onset_ms !== null && first.onset_mV !== null && first.amplitude_mV !== null) {
    const z0 = first.onset_ms - 1.5;
    const z1 = (first.half_fall_ms ?? first.peak_ms) + 3;
    const zoom: { x: number; y: number }[] = [];
    let lo = Infinity;
    for (let k = 0; k < t.length; k++) {
      const tk = t[k] as number;
      if (tk >= z0 && tk <= z1) {
        zoom.push({ x: tk, y: d.V_mV[k] as number });
        lo = Math.min(lo, d.V_mV[k] as number);
      }
    }
    const half = first.onset_mV + first.amplitude_mV / 2;
    const marks: Plot.Markish[] = [
      Plot.ruleY([first.onset_mV], { stroke: "#555", strokeDasharray: "5,4" }),
      Plot.line(zoom, { x: "x", y: "y", stroke: "black", strokeWidth: 1.8 }),
      Plot.arrow([{ x1: first.peak_ms, y1: first.onset_mV, x2: first.peak_ms, y2: first.peak_mV }], {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: "#6a3d9a",
        strokeWidth: 1.5,
        headLength: 8,
      }),
      Plot.text([{ x: first.peak_ms, y: first.onset_mV + first.amplitude_mV * 0.72 }], {
        x: "x",
        y: "y",
        text: [`amplitude ${fmt.mV(first.amplitude_mV)}`],
        textAnchor: "start",
        dx: 6,
        fill: "#6a3d9a",
        fontSize: 12,
      }),
      Plot.dot([{ x: first.peak_ms, y: first.peak_mV }], { x: "x", y: "y", r: 4, fill: "#6a3d9a" }),
      Plot.text([{ x: first.peak_ms, y: first.peak_mV }], {
        x: "x",
        y: "y",
        text: [`peak ${fmt.mV(first.peak_mV)}`],
        textAnchor: "start",
        dx: 8,
        dy: -2,
        fontSize: 12,
      }),
      Plot.dot([{ x: first.onset_ms, y: first.onset_mV }], { x: "x", y: "y", r: 5, fill: "#ff7f0e", stroke: "black", strokeWidth: 0.8 }),
      Plot.text([{ x: first.onset_ms, y: first.onset_mV }], {
        x: "x",
        y: "y",
        text: [`onset = threshold ${fmt.mV(first.onset_mV)}`],
        textAnchor: "start",
        dx: 4,
        dy: 16,
        fontSize: 12,
      }),
    ];
    if (first.half_width_ms !== null && first.half_rise_ms !== null && first.half_fall_ms !== null) {
      marks.push(
        Plot.link([{ x1: first.half_rise_ms, x2: first.half_fall_ms, y: half }], {
          x1: "x1",
          x2: "x2",
          y1: "y",
          y2: "y",
          stroke: "#1b9e77",
          strokeWidth: 2.5,
          markerStart: "tick",
          markerEnd: "tick",
        }),
        Plot.text([{ x: first.half_fall_ms, y: half }], {
          x: "x",
          y: "y",
          text: [`half-width ${fmt.ms(first.half_width_ms)}`],
          textAnchor: "start",
          dx: 6,
          fill: "#137a5b",
          fontSize: 12,
        }),
      );
    }
    const panelZ = Plot.plot({
      document: doc,
      width: W - LEFT_W - 10,
      height: 340,
      marginLeft: 50,
      marginRight: 50,
      marginTop: 16,
      style,
      x: { domain: [z0, z1], label: "time (ms)" },
      y: { domain: [Math.min(lo, first.onset_mV) - 8, first.peak_mV + 10], label: "V (mV)", grid: true },
      marks,
    });
    items.push({ el: panelZ, x: LEFT_W + 10, y });
    items.push({
      el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold", "text-anchor": "start" }, "the first action potential, zoomed in"),
      x: LEFT_W + 60,
      y: y - 6,
    });
  }
  items.push({ el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold" }, "A  membrane potential"), x: 10, y: y - 6 });
  y += 340 + 28;

  // Panel B: the gates
  const gateMarks: Plot.Markish[] = [...stimRect(0, 1)];
  for (const [name, values] of Object.entries(d.gates)) {
    const g = decimateMinMax(t, values, cols);
    gateMarks.push(Plot.line(pts(g.x, g.y), { x: "x", y: "y", stroke: COLORS[name] ?? "black", strokeWidth: 1.6 }));
  }
  const gateLabels = spread(
    Object.entries(d.gates).map(([name, v]) => ({ name, y: v[v.length - 1] as number })),
    0.12,
  );
  gateMarks.push(
    Plot.text(gateLabels, {
      x: () => tEnd,
      y: "y",
      text: "name",
      textAnchor: "start",
      dx: 5,
      fill: (l: { name: string }) => COLORS[l.name] ?? "black",
      fontWeight: "bold",
      fontSize: 13,
    }),
  );
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
  items.push({
    el: Plot.plot({
      document: doc,
      width: LEFT_W,
      height: 170,
      marginLeft,
      marginRight,
      marginTop: 22,
      style,
      x: xAxis,
      y: { domain: [0, 1], label: "open fraction", grid: true },
      marks: gateMarks,
    }),
    x: 0,
    y,
  });
  y += 170 + 28;

  // Panel C: currents
  const I = decimateMinMax(t, d.I_inj_uA_per_cm2, cols);
  let iMax = 0;
  for (const v of I.y) iMax = Math.max(iMax, Math.abs(v));
  const iDom: [number, number] = [Math.min(0, ...I.y) - 0.1 * (iMax || 1), 1.15 * (iMax || 1)];
  items.push({ el: svgEl(doc, "text", { "font-size": 13, "font-weight": "bold" }, "C  injected current (the stimulus)"), x: 10, y: y - 6 });
  const lastPanel = !d.ionic_uA_per_cm2;
  items.push({
    el: Plot.plot({
      document: doc,
      width: LEFT_W,
      height: lastPanel ? 140 : 120,
      marginLeft,
      marginRight,
      marginTop: 22,
      style,
      x: { ...xAxis, label: lastPanel ? "time (ms)" : null },
      y: { domain: iDom, label: "I (µA/cm²)", grid: true },
      marks: [
        ...stimRect(iDom[0], iDom[1]),
        Plot.ruleY([0], { stroke: "#999" }),
        Plot.line(pts(I.x, I.y), { x: "x", y: "y", stroke: "#3a78a8", strokeWidth: 2 }),
      ],
    }),
    x: 0,
    y,
  });
  y += (lastPanel ? 140 : 120) + 28;
  if (d.ionic_uA_per_cm2) {
    const ionic = Object.entries(d.ionic_uA_per_cm2).map(([name, values]) => ({ name, ...decimateMinMax(t, values, cols) }));
    let lo = 0;
    let hi = 0;
    for (const c of ionic) for (const v of c.y) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    const pad = 0.05 * (hi - lo || 1);
    const ionDom: [number, number] = [lo - pad, hi + pad];
    const marks: Plot.Markish[] = [...stimRect(ionDom[0], ionDom[1]), Plot.ruleY([0], { stroke: "#999" })];
    const labels = spread(
      ionic.map((c) => ({ name: c.name, y: c.y[c.y.length - 1] as number })),
      0.1 * (hi - lo || 1),
    );
    for (const g of ionic) {
      const name = g.name;
      marks.push(Plot.line(pts(g.x, g.y), { x: "x", y: "y", stroke: COLORS[name] ?? "black", strokeWidth: 1.4 }));
    }
    marks.push(
      Plot.text(labels, {
        x: () => tEnd,
        y: "y",
        text: (l: { name: string }) => `I_${l.name}`,
        textAnchor: "start",
        dx: 5,
        fill: (l: { name: string }) => COLORS[l.name] ?? "black",
        fontWeight: "bold",
        fontSize: 12,
      }),
    );
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
    items.push({
      el: Plot.plot({
        document: doc,
        width: LEFT_W,
        height: 190,
        marginLeft,
        marginRight,
        marginTop: 22,
        style,
        x: { ...xAxis, label: "time (ms)" },
        y: { label: "I (µA/cm²)", grid: true },
        marks,
      }),
      x: 0,
      y,
    });
    y += 190 + 10;
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
