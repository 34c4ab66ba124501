import * as Plot from "@observablehq/plot";
import { fiOfSweeps, type SweepAnalysis } from "../analysis/sweep.js";
import { compose, FONT, type Placed, svgEl, textBlock } from "./compose.js";
import { decimateMinMax } from "./decimate.js";
import { MARK_COLORS } from "./palette.js";

/** Everything the recording figure draws, all of it measured by the library. */
export interface TraceFigureData {
  readonly t_ms: ArrayLike<number>;
  readonly V_mV: ArrayLike<number>;
  readonly sweep: SweepAnalysis;
  readonly title: string;
  /** f–I points of a multi-sweep step protocol, if any. */
  readonly fi: {
    readonly unit: string;
    readonly amplitudes: readonly number[];
    readonly rates_Hz: readonly number[];
    readonly first_isi_rates_Hz: readonly (number | null)[];
    readonly steady_state_rates_Hz: readonly (number | null)[];
  } | null;
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };
const KEYS = ["mean rate in the step", "first-ISI rate", "steady-state rate (last ISIs)"];
const W = 1120;

/**
 * A recorded sweep annotated with the library's measurements: the stimulus window, the threshold (first AP
 * onset), every onset, peak and AHP, the first AP zoomed with amplitude and half-width, and (for a step
 * protocol) the cell's f–I curve: mean, first-ISI and steady-state rates per sweep. A standalone SVG string.
 */
export function traceFigure(doc: Document, d: TraceFigureData): string {
  const s = d.sweep;
  const t = d.t_ms;
  const t0 = t[0] as number;
  const tEnd = t[t.length - 1] as number;
  const V = decimateMinMax(t, d.V_mV, 700);
  const line = V.x.map((x, i) => ({ x, y: V.y[i] as number }));
  const items: Placed[] = [];
  const title = svgEl(doc, "text", { x: 20, y: 28, "font-size": 17, "font-weight": "bold" }, d.title);
  items.push({ el: title, x: 0, y: 0 });
  const aps = s.spikes;
  const first = aps.find((a) => a.onset_ms !== null && a.amplitude_mV !== null) ?? null;
  const pad = Math.max(5, (s.V_range_mV[1] - s.V_range_mV[0]) * 0.08);
  const yDom: [number, number] = [s.V_range_mV[0] - pad, s.V_range_mV[1] + pad];
  const [w0, w1] = s.stim_window_ms;
  const onsets = aps.filter((a) => a.onset_ms !== null).map((a) => ({ x: a.onset_ms as number, y: a.onset_mV as number }));
  const peaks = aps.map((a) => ({ x: a.peak_ms, y: a.peak_mV }));
  const ahps = aps.filter((a) => a.ahp_ms !== null).map((a) => ({ x: a.ahp_ms as number, y: a.ahp_mV as number }));
  const panelA = Plot.plot({
    document: doc,
    width: 760,
    height: 330,
    marginLeft: 60,
    marginRight: 30,
    style,
    x: { domain: [t0, tEnd], label: "time (ms)" },
    y: { domain: yDom, label: "membrane potential V (mV)", grid: true },
    marks: [
      ...(s.stim_window_source !== "whole trace"
        ? [
            Plot.rect([{ x1: w0, x2: w1, y1: yDom[0], y2: yDom[1] }], {
              x1: "x1",
              x2: "x2",
              y1: "y1",
              y2: "y2",
              fill: "#9ecae1",
              fillOpacity: 0.3,
            }),
          ]
        : []),
      ...(s.threshold_mV !== null
        ? [
            Plot.ruleY([s.threshold_mV], { stroke: MARK_COLORS.threshold, strokeDasharray: "5,4" }),
            Plot.text([{ x: tEnd, y: s.threshold_mV }], {
              x: "x",
              y: "y",
              text: [`threshold ${s.threshold_mV.toFixed(1)} mV`],
              textAnchor: "end",
              dy: -7,
              fontSize: 12,
            }),
          ]
        : []),
      Plot.line(line, { x: "x", y: "y", stroke: "black", strokeWidth: 1.1 }),
      Plot.dot(onsets, { x: "x", y: "y", r: 3.5, fill: MARK_COLORS.onset, stroke: "black", strokeWidth: 0.6 }),
      Plot.dot(peaks, { x: "x", y: "y", r: 3, fill: MARK_COLORS.peak }),
      Plot.dot(ahps, { x: "x", y: "y", r: 3, fill: "#1f77b4" }),
    ],
  });
  items.push({ el: panelA, x: 0, y: 44 });

  if (first) {
    const z0 = (first.onset_ms as number) - 1.5;
    const z1 = (first.half_fall_ms ?? first.peak_ms) + 4;
    const zoom: { x: number; y: number }[] = [];
    for (let k = 0; k < t.length; k++) {
      const tk = t[k] as number;
      if (tk >= z0 && tk <= z1) zoom.push({ x: tk, y: d.V_mV[k] as number });
    }
    const half = (first.onset_mV as number) + (first.amplitude_mV as number) / 2;
    const marks: Plot.Markish[] = [
      Plot.ruleY([first.onset_mV as number], { stroke: MARK_COLORS.threshold, strokeDasharray: "5,4" }),
      Plot.line(zoom, { x: "x", y: "y", stroke: "black", strokeWidth: 1.6 }),
      Plot.arrow([{ x1: first.peak_ms, y1: first.onset_mV as number, x2: first.peak_ms, y2: first.peak_mV }], {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: MARK_COLORS.peak,
        headLength: 7,
      }),
      Plot.dot([{ x: first.onset_ms as number, y: first.onset_mV as number }], {
        x: "x",
        y: "y",
        r: 5,
        fill: MARK_COLORS.onset,
        stroke: "black",
      }),
      Plot.dot([{ x: first.peak_ms, y: first.peak_mV }], { x: "x", y: "y", r: 4, fill: MARK_COLORS.peak }),
    ];
    if (first.half_rise_ms !== null && first.half_fall_ms !== null)
      marks.push(
        Plot.link([{ x1: first.half_rise_ms, x2: first.half_fall_ms, y: half }], {
          x1: "x1",
          x2: "x2",
          y1: "y",
          y2: "y",
          stroke: MARK_COLORS.halfWidth,
          strokeWidth: 2.5,
        }),
      );
    const panelB = Plot.plot({
      document: doc,
      width: 340,
      height: 330,
      marginLeft: 50,
      marginRight: 20,
      style,
      x: { label: "time (ms)", ticks: 4 },
      y: { label: "first complete AP (mV)", grid: true },
      marks,
    });
    items.push({ el: panelB, x: 770, y: 44 });
  }

  const lines: (string | [string, string])[] = [];
  const f = s.firing;
  lines.push([
    "spikes",
    `${aps.length} (in the stimulus window ${f.spike_count}, ${f.mean_rate_Hz.toFixed(1)} Hz; ${f.sustained ? "sustained" : f.spike_count >= 2 ? "stops before the step ends" : "no repetitive firing"})`,
  ]);
  if (first)
    lines.push([
      "first AP",
      `onset (threshold, dV/dt > criterion) ${(first.onset_mV as number).toFixed(1)} mV at ${(first.onset_ms as number).toFixed(2)} ms; peak ${first.peak_mV.toFixed(1)} mV; amplitude ${(first.amplitude_mV as number).toFixed(1)} mV; half-width ${first.half_width_ms === null ? "—" : `${first.half_width_ms.toFixed(2)} ms`}`,
    ]);
  lines.push(["marks", "orange: AP onsets; purple: peaks; blue: AHP minima; shaded: stimulus window; dashed: threshold"]);
  for (const n of s.notes.slice(0, 4)) lines.push(["note", n]);
  items.push({ el: textBlock(doc, lines, 12, 18), x: 30, y: 385 });
  let height = 390 + lines.length * 18 + 20;

  if (d.fi) {
    const rows = d.fi.amplitudes.flatMap((a, i) => [
      { a, r: d.fi?.rates_Hz[i] as number, k: KEYS[0] },
      ...(d.fi?.first_isi_rates_Hz[i] != null ? [{ a, r: d.fi.first_isi_rates_Hz[i] as number, k: KEYS[1] }] : []),
      ...(d.fi?.steady_state_rates_Hz[i] != null ? [{ a, r: d.fi.steady_state_rates_Hz[i] as number, k: KEYS[2] }] : []),
    ]);
    const panelC = Plot.plot({
      document: doc,
      width: 760,
      height: 280,
      marginLeft: 60,
      marginRight: 30,
      style,
      color: { domain: KEYS, range: ["black", "#d62728", "#1f77b4"] },
      x: { label: `step amplitude (${d.fi.unit}), one point per sweep` },
      y: { label: "firing rate (Hz)", grid: true },
      marks: [Plot.line(rows, { x: "a", y: "r", stroke: "k" }), Plot.dot(rows, { x: "a", y: "r", fill: "k", r: 3.5 })],
    });
    items.push({ el: panelC, x: 0, y: height });
    const legend = KEYS.map((k, i) => [["black", "#d62728", "#1f77b4"][i] as string, k] as const);
    legend.forEach(([color, k], i) => {
      items.push({ el: svgEl(doc, "circle", { cx: 0, cy: 0, r: 5, fill: color }), x: 790, y: height + 40 + i * 22 });
      items.push({ el: svgEl(doc, "text", { x: 0, y: 4, "font-size": 12 }, k), x: 802, y: height + 40 + i * 22 });
    });
    height += 300;
  }
  return compose(doc, W, height, items, d.title);
}

/**
 * The figure's data for measured sweeps: the first sweep with a measured AP onset (else the first), drawn from
 * its raw samples, and the f–I points when the sweeps form a step protocol.
 */
export function traceFigureInput(
  file: string,
  sweeps: readonly SweepAnalysis[],
  raw: readonly { readonly t_ms: Float64Array; readonly V_mV: Float64Array }[],
  numbers: readonly number[],
): TraceFigureData {
  const i = Math.max(
    0,
    sweeps.findIndex((s) => s.spikes.some((a) => a.onset_ms !== null)),
  );
  const s = sweeps[i] as SweepAnalysis;
  const r = raw[i] as (typeof raw)[number];
  const fi = fiOfSweeps(sweeps, numbers);
  return {
    t_ms: r.t_ms,
    V_mV: r.V_mV,
    sweep: s,
    title: `${file} — sweep ${numbers[i]}${s.stimulus ? ` (step ${s.stimulus.amplitude.toFixed(1)} ${s.stimulus.unit})` : ""}`,
    fi: fi
      ? {
          unit: fi.unit,
          amplitudes: fi.amplitudes,
          rates_Hz: fi.rates_Hz,
          first_isi_rates_Hz: fi.first_isi_rates_Hz,
          steady_state_rates_Hz: fi.steady_state_rates_Hz,
        }
      : null,
  };
}
