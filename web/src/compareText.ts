/**
 * Pure helpers of the Compare panels (./panels/compare.ts): the settings of a pinned trace or f–I curve, its
 * legend text (what differs from the lab's defaults, with units), curves on different x grids brought onto one,
 * and the pinned set as CSV and JSON.
 */

import { activeBlocks } from "./blockState.js";
import { prettyUnit } from "./controls.js";
import { type Blocks, blocksLabel, modelParameters } from "./lib.js";
import { modelOf } from "./models.js";
import { defaultState, type LabState } from "./state.js";

export type PinKind = "trace" | "fi";

/** What a pinned curve was computed with (the parts of the state that matter for its kind). */
export interface PinSettings {
  model: string;
  params: Record<string, number>;
  /** The channel blocks (TTX 0.5 …) on top of `params`; none when absent. */
  block?: Blocks;
  method: string;
  dt_ms: number;
  /** The step current: the live lab's (trace) or the f–I sweep's window (fi; amplitude is the x axis). */
  amplitude_uA_per_cm2?: number;
  start_ms: number;
  stop_ms: number;
  duration_ms: number;
}

export interface Pin {
  kind: PinKind;
  settings: PinSettings;
  /** The legend text (settings that differ from the defaults), unique within the set. */
  label: string;
  /** The `spikelab` command that computes it. */
  command: string;
  x: Float64Array;
  /** V (mV) of a trace; spike counts of an f–I curve. */
  y: Float64Array;
  /** Firing rate (Hz) of an f–I curve. */
  rate?: Float64Array;
}

/** What a view shows now: its settings and its curve. */
export interface Current {
  settings: PinSettings;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  rate?: ArrayLike<number>;
}

/** The settings of what a view shows now. */
export function settingsOf(kind: PinKind, s: LabState): PinSettings {
  const common = { model: s.model, params: { ...s.params }, block: activeBlocks(s), method: s.method, dt_ms: s.dt };
  return kind === "trace"
    ? { ...common, amplitude_uA_per_cm2: s.amplitude, start_ms: s.start, stop_ms: s.stop, duration_ms: s.duration }
    : { ...common, start_ms: s.fi.start, stop_ms: s.fi.stop, duration_ms: s.fi.duration };
}

const show = (v: number) => String(Number(v.toPrecision(6)));

/**
 * The legend text of a curve: each setting that differs from the lab's defaults, with its unit
 * ("gNa 40 mS/cm², 5 µA/cm²"); "lab defaults" when none does.
 */
export function legendText(kind: PinKind, p: PinSettings): string {
  const d = settingsOf(kind, defaultState());
  const parts: string[] = [];
  if (p.model !== d.model) parts.push(p.model.replace(/^file:/, ""));
  const m = modelOf(p.model);
  const info = new Map((m ? modelParameters(m) : []).map((q) => [q.name, q]));
  for (const [name, v] of Object.entries(p.params)) {
    const q = info.get(name);
    if (q && q.value === v) continue;
    parts.push(`${name} ${show(v)}${q?.unit ? ` ${prettyUnit(q.unit)}` : ""}`);
  }
  if (p.block && blocksLabel(p.block)) parts.push(blocksLabel(p.block));
  if (p.amplitude_uA_per_cm2 !== undefined && p.amplitude_uA_per_cm2 !== d.amplitude_uA_per_cm2)
    parts.push(`${show(p.amplitude_uA_per_cm2)} µA/cm²`);
  if (p.start_ms !== d.start_ms || p.stop_ms !== d.stop_ms) parts.push(`step [${show(p.start_ms)}, ${show(p.stop_ms)}) ms`);
  if (p.duration_ms !== d.duration_ms) parts.push(`${show(p.duration_ms)} ms run`);
  if (p.method !== d.method) parts.push(p.method);
  if (p.dt_ms !== d.dt_ms) parts.push(`dt ${show(p.dt_ms)} ms`);
  return parts.length ? parts.join(", ") : "lab defaults";
}

/** Legend texts made unique within a set: a repeated one gets " (2)", " (3)", … */
export function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const k = (seen.get(l) ?? 0) + 1;
    seen.set(l, k);
    return k === 1 ? l : `${l} (${k})`;
  });
}

/** Most points of the common x grid; above it the grid is uniform over the whole span. */
export const MAX_ALIGNED = 40_000;

/**
 * Curves with their own x grids on one grid (for a plot with a shared x axis): the sorted union of their x values
 * (or, above MAX_ALIGNED points, a uniform grid), each curve interpolated linearly between its own points (so it
 * draws the same polyline) and NaN outside its own range.
 */
export function alignCurves(curves: readonly { x: ArrayLike<number>; y: ArrayLike<number> }[]): { x: Float64Array; ys: Float64Array[] } {
  const same = curves.every(
    (c) => c.x.length === (curves[0]?.x.length ?? 0) && Array.prototype.every.call(c.x, (v: number, i: number) => v === curves[0]?.x[i]),
  );
  if (same) return { x: Float64Array.from(curves[0]?.x ?? []), ys: curves.map((c) => Float64Array.from(c.y)) };
  const all = new Set<number>();
  for (const c of curves) for (let i = 0; i < c.x.length; i++) all.add(c.x[i] as number);
  let x = Float64Array.from([...all].sort((a, b) => a - b));
  if (x.length > MAX_ALIGNED) {
    const lo = x[0] as number;
    const hi = x[x.length - 1] as number;
    x = Float64Array.from({ length: MAX_ALIGNED }, (_, k) => lo + ((hi - lo) * k) / (MAX_ALIGNED - 1));
  }
  const ys = curves.map((c) => {
    const out = new Float64Array(x.length).fill(Number.NaN);
    let j = 0;
    for (let i = 0; i < x.length; i++) {
      const t = x[i] as number;
      while (j + 1 < c.x.length && (c.x[j + 1] as number) < t) j++;
      const x0 = c.x[j] as number;
      const x1 = c.x[j + 1] as number;
      if (t === x0) out[i] = c.y[j] as number;
      else if (j + 1 < c.x.length && t >= x0 && t <= x1)
        out[i] = (c.y[j] as number) + (((c.y[j + 1] as number) - (c.y[j] as number)) * (t - x0)) / (x1 - x0);
    }
    return out;
  });
  return { x, ys };
}

const pinJson = (p: Pin) => {
  const { amplitude_uA_per_cm2, ...rest } = p.settings;
  return {
    label: p.label,
    command: p.command,
    model: rest.model,
    parameters: rest.params,
    ...(rest.block && Object.keys(rest.block).length ? { block: rest.block } : {}),
    method: rest.method,
    dt_ms: rest.dt_ms,
    ...(amplitude_uA_per_cm2 !== undefined ? { amplitude_uA_per_cm2 } : {}),
    start_ms: rest.start_ms,
    stop_ms: rest.stop_ms,
    duration_ms: rest.duration_ms,
    ...(p.kind === "trace"
      ? { t_ms: Array.from(p.x), V_mV: Array.from(p.y) }
      : { amplitudes_uA_per_cm2: Array.from(p.x), spike_counts: Array.from(p.y), rates_Hz: Array.from(p.rate ?? []) }),
  };
};

/** The pinned set as JSON: each curve with its settings, its command and its data (unit-named keys). */
export const pinsToJson = (kind: PinKind, pins: readonly Pin[]): string =>
  `${JSON.stringify({ kind: kind === "trace" ? "membrane potential traces" : "f–I curves", curves: pins.map(pinJson) }, null, 1)}\n`;

/**
 * The pinned set as one CSV, long format: a row per sample with the curve's number and legend, then its
 * settings as columns (so a spreadsheet can filter by them), then the data.
 */
export function pinsToCsv(kind: PinKind, pins: readonly Pin[]): string {
  const n = pins.reduce((a, p) => a + p.x.length, 0);
  const cols: Record<string, (string | number)[] | Float64Array> = {};
  const curve: number[] = [];
  const label: string[] = [];
  const model: string[] = [];
  const params: string[] = [];
  const method: string[] = [];
  const dt = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const rate = new Float64Array(n);
  let k = 0;
  for (const [i, p] of pins.entries())
    for (let j = 0; j < p.x.length; j++, k++) {
      curve.push(i + 1);
      label.push(p.label);
      model.push(p.settings.model);
      params.push(
        [
          ...Object.entries(p.settings.params).map(([a, v]) => `${a}=${v}`),
          ...Object.entries(p.settings.block ?? {}).map(([b, f]) => `${b}=${f}`),
        ].join(" "),
      );
      method.push(p.settings.method);
      dt[k] = p.settings.dt_ms;
      x[k] = p.x[j] as number;
      y[k] = p.y[j] as number;
      rate[k] = p.rate?.[j] ?? Number.NaN;
    }
  Object.assign(cols, { curve, label, model, parameters: params, method, dt_ms: dt });
  if (kind === "trace") Object.assign(cols, { t_ms: x, V_mV: y });
  else Object.assign(cols, { amplitude_uA_per_cm2: x, spike_count: y, rate_Hz: rate });
  return toCsvMixed(cols, n);
}

/** CSV of columns of numbers or strings (strings quoted where they hold a comma, quote or newline). */
function toCsvMixed(cols: Record<string, ArrayLike<string | number>>, n: number): string {
  const names = Object.keys(cols);
  const cell = (v: string | number) =>
    typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  const rows = [names.join(",")];
  for (let i = 0; i < n; i++) rows.push(names.map((c) => cell((cols[c] as ArrayLike<string | number>)[i] as string | number)).join(","));
  return `${rows.join("\n")}\n`;
}
