/** The parameter map as CSV (one row per grid point, the sweep engine's column names) and its file name. */
import { axisColumns, parseSweepSpec, type SweepSpecInput, shortestF32, toCsv } from "../lib.js";

/** A computed map: its grid, values, settings and precision. */
export interface MapTable {
  readonly model: string;
  readonly method: string;
  readonly settings: { readonly x: string; readonly y: string };
  readonly spec: SweepSpecInput;
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  readonly count: ArrayLike<number>;
  readonly rate: ArrayLike<number>;
  readonly latency: ArrayLike<number>;
  readonly precision: "f32" | "f64";
}

/** The download's name without extension: spikelab-map-MODEL-Y-X-METHOD-PRECISION. */
export const mapFileName = (t: MapTable): string =>
  `spikelab-map-${t.model.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${t.settings.y}-${t.settings.x}-${t.method}-${t.precision}`;

/** The CSV of a map: index, the two axes, spike_count, rate_Hz, first_spike_latency_ms, precision (f32 values as their shortest decimals). */
export function mapCsv(t: MapTable): string {
  const nx = t.xs.length;
  const n = nx * t.ys.length;
  const spec = parseSweepSpec(t.spec);
  const [yCol, xCol] = axisColumns(spec) as [string, string];
  // the values the neurons ran with: the spec's axes (a conductance blocked by TTX/TEA is scaled there), as the
  // figure's axes show them and `spikelab sweep --block` writes them
  const ys = spec.axes[0]?.values ?? t.ys;
  const xs = spec.axes[1]?.values ?? t.xs;
  const f32 = t.precision === "f32";
  const num = (v: number) => (Number.isNaN(v) ? "" : f32 ? String(shortestF32(v)) : String(v));
  const cols: Record<string, (number | string)[]> = {
    index: [],
    [yCol]: [],
    [xCol]: [],
    spike_count: [],
    rate_Hz: [],
    first_spike_latency_ms: [],
    precision: [],
  };
  for (let i = 0; i < n; i++) {
    cols.index?.push(i);
    cols[yCol]?.push(ys[Math.floor(i / nx)] as number);
    cols[xCol]?.push(xs[i % nx] as number);
    cols.spike_count?.push(t.count[i] as number);
    cols.rate_Hz?.push(num(t.rate[i] as number));
    cols.first_spike_latency_ms?.push(num(t.latency[i] as number));
    cols.precision?.push(t.precision);
  }
  return toCsv(cols);
}
