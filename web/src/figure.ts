/**
 * A figure as data (axes, labelled series, marks), drawn live by uPlot (plots.ts) and written
 * as a standalone SVG string here, so the exported SVG shows the same curves, labels and units.
 */
import { BAND_OPACITY, MARK_COLORS, type Mark } from "./annotations.js";
import { decimateMinMax, niceTicks, subscriptParts, textWidth } from "./lib.js";
import { layoutMarkLabels, STRIP } from "./markLabels.js";

export interface SeriesSpec {
  label: string;
  /** Unit shown in the legend value, e.g. "mV". */
  unit: string;
  color: string;
  dash?: number[];
  /** Which y axis: "y" (left, default) or "y2" (right). */
  axis?: "y" | "y2";
  /** Draw points as well as the line (sparse data such as an f–I curve). */
  points?: boolean;
  /** Decimals in the legend value. */
  digits?: number;
}

export interface FigureSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  /** Fixed y range, e.g. [0, 1] for gates. */
  yRange?: [number, number];
  /** The y range from the data's [min, max] (e.g. room for the annotations below and above a trace). */
  yRangeOf?: (min: number, max: number) => [number, number];
  series: SeriesSpec[];
}

export interface FigureData {
  x: ArrayLike<number>;
  ys: ArrayLike<number>[];
  marks?: Mark[];
  /** Vertical reference lines in x units, e.g. the rheobase on an f–I curve. */
  xMarks?: { x: number; label: string }[];
}

/** [min, max] of the finite values, widened by `pad` of the span (a flat or empty series gets ±1). */
const extent = (arrays: ArrayLike<number>[], pad = 0.05): [number, number] => {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo - (hi - lo) * pad, hi + (hi - lo) * pad];
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (v: number) => String(Number(v.toPrecision(6)));

/**
 * Points of one series in pixels, decimated to the min and max per pixel column so that
 * spike peaks survive on long traces.
 */
function pathOf(x: ArrayLike<number>, y: ArrayLike<number>, px: (v: number) => number, py: (v: number) => number): string {
  const parts: string[] = [];
  let col = Number.NaN;
  let lo = 0;
  let hi = 0;
  let first = 0;
  let last = 0;
  const flush = () => {
    if (Number.isNaN(col)) return;
    const pts = [first, ...(lo < hi ? [lo, hi] : lo > hi ? [hi, lo] : [lo]), last];
    for (const v of pts) parts.push(`${parts.length ? "L" : "M"}${col.toFixed(1)},${py(v).toFixed(1)}`);
  };
  for (let i = 0; i < x.length; i++) {
    const v = y[i] as number;
    if (!Number.isFinite(v)) continue;
    const c = Math.round(px(x[i] as number) * 2) / 2;
    if (c !== col) {
      flush();
      col = c;
      lo = hi = first = v;
    } else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    last = v;
  }
  flush();
  return parts.join("");
}

/** The figure as a standalone SVG document (white background, system sans-serif font). */
export function figureToSvg(spec: FigureSpec, data: FigureData, width = 900, plotHeight = 360): string {
  const m = { top: 40, right: spec.y2Label ? 70 : 24, bottom: 52, left: 70 };
  const legendH = 22;
  // the legend in rows that fit the width (long labels, e.g. the settings of pinned traces, never run off or overlap)
  const legend: { x: number; row: number }[] = [];
  {
    let lx = m.left;
    let row = 0;
    for (const s of spec.series) {
      const [base, sub] = subscriptParts(s.label);
      const wItem = 40 + textWidth(base, 12) + textWidth(sub, 9.5);
      if (lx > m.left && lx + wItem - 16 > width - m.right) {
        lx = m.left;
        row++;
      }
      legend.push({ x: lx, row });
      lx += wItem;
    }
  }
  const legendRows = (legend[legend.length - 1]?.row ?? 0) + 1;
  const height = plotHeight + (legendRows - 1) * 18;
  const w = width - m.left - m.right;
  const h = plotHeight - m.top - m.bottom - legendH;
  const xr = extent([data.x], spec.series.some((s) => s.points) ? 0.02 : 0);
  const ysOn = (axis: "y" | "y2") => data.ys.filter((_, i) => (spec.series[i]?.axis ?? "y") === axis);
  const yr = spec.yRange ?? (spec.yRangeOf ? spec.yRangeOf(...extent(ysOn("y"))) : extent(ysOn("y")));
  const y2r = extent(ysOn("y2"));
  const px = (v: number) => m.left + ((v - xr[0]) / (xr[1] - xr[0] || 1)) * w;
  const pyOf = (r: [number, number]) => (v: number) => m.top + h - ((v - r[0]) / (r[1] - r[0] || 1)) * h;
  const py = pyOf(yr);
  const py2 = pyOf(y2r);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, 'DejaVu Sans', sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${m.left}" y="22" font-size="15" font-weight="600" fill="#1b1f24">${esc(spec.title)}</text>`,
    `<defs><clipPath id="plot"><rect x="${m.left}" y="${m.top}" width="${w}" height="${h}"/></clipPath></defs>`,
  );
  // marks under the curves: bands (stimulus, refractory periods) and the threshold level
  for (const mark of data.marks ?? []) {
    if (mark.kind === "band") {
      const a = Math.max(px(mark.from_ms), m.left);
      const b = Math.min(px(mark.to_ms), m.left + w);
      const strip = STRIP * 12;
      const [y0, hh, op] =
        mark.tone === "stimulus"
          ? [m.top, strip, 1]
          : mark.tone === "relative"
            ? [m.top + h - strip, strip, 1]
            : [m.top, h, BAND_OPACITY[mark.tone]];
      out.push(
        `<rect x="${a}" y="${y0}" width="${Math.max(0, b - a)}" height="${hh}" fill="${MARK_COLORS[mark.tone]}" fill-opacity="${op}"><title>${esc(mark.label)}</title></rect>`,
      );
    } else if (mark.kind === "level" && mark.V_mV >= yr[0] && mark.V_mV <= yr[1]) {
      out.push(
        `<line x1="${m.left}" x2="${m.left + w}" y1="${py(mark.V_mV)}" y2="${py(mark.V_mV)}" stroke="${MARK_COLORS.threshold}" stroke-dasharray="5 4"><title>${esc(mark.label)}</title></line>`,
      );
    }
  }
  for (const mark of data.xMarks ?? []) {
    const x = px(mark.x);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${m.top}" y2="${m.top + h}" stroke="#6a4c93" stroke-dasharray="5 4"/>`,
      `<text x="${x + 5}" y="${m.top + 14}" fill="#6a4c93">${esc(mark.label)}</text>`,
    );
  }
  // axes and grid
  out.push(`<g stroke="#e4e7eb">`);
  for (const t of niceTicks(xr[0], xr[1])) out.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${m.top}" y2="${m.top + h}"/>`);
  for (const t of niceTicks(yr[0], yr[1], 5)) out.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${py(t)}" y2="${py(t)}"/>`);
  out.push(`</g><g fill="#3c434d">`);
  for (const t of niceTicks(xr[0], xr[1])) out.push(`<text x="${px(t)}" y="${m.top + h + 18}" text-anchor="middle">${fmt(t)}</text>`);
  for (const t of niceTicks(yr[0], yr[1], 5)) out.push(`<text x="${m.left - 8}" y="${py(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  if (spec.y2Label)
    for (const t of niceTicks(y2r[0], y2r[1], 5)) out.push(`<text x="${m.left + w + 8}" y="${py2(t) + 4}">${fmt(t)}</text>`);
  out.push(
    `<text x="${m.left + w / 2}" y="${m.top + h + 40}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
    `<text transform="translate(18 ${m.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
  );
  if (spec.y2Label) {
    out.push(`<text transform="translate(${width - 16} ${m.top + h / 2}) rotate(90)" text-anchor="middle">${esc(spec.y2Label)}</text>`);
  }
  out.push(`</g><rect x="${m.left}" y="${m.top}" width="${w}" height="${h}" fill="none" stroke="#9aa1ab"/>`);
  // curves
  out.push(`<g clip-path="url(#plot)" fill="none" stroke-width="1.5" stroke-linejoin="round">`);
  spec.series.forEach((s, i) => {
    const y = data.ys[i];
    if (!y) return;
    const pyS = (s.axis ?? "y") === "y2" ? py2 : py;
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(" ")}"` : "";
    out.push(`<path d="${pathOf(data.x, y, px, pyS)}" stroke="${s.color}"${dash}/>`);
    if (s.points) {
      for (let k = 0; k < data.x.length; k++) {
        const v = y[k] as number;
        if (Number.isFinite(v))
          out.push(
            `<circle cx="${px(data.x[k] as number).toFixed(1)}" cy="${pyS(v).toFixed(1)}" r="2.2" fill="${s.color}" stroke="none"/>`,
          );
      }
    }
  });
  out.push(`</g>`);
  // marks over the curves: the first AP's half-width and amplitude, AP onsets and the first peak, band labels
  for (const mark of data.marks ?? []) {
    const title = `<title>${esc(mark.label)}</title>`;
    if (mark.kind === "segment") {
      const y = py(mark.V_mV);
      out.push(
        `<line x1="${px(mark.from_ms)}" x2="${px(mark.to_ms)}" y1="${y}" y2="${y}" stroke="${MARK_COLORS.halfWidth}" stroke-width="2.5">${title}</line>`,
      );
    } else if (mark.kind === "arrow") {
      out.push(
        `<line x1="${px(mark.t_ms)}" x2="${px(mark.t_ms)}" y1="${py(mark.from_mV)}" y2="${py(mark.to_mV)}" stroke="${MARK_COLORS.peak}" stroke-width="1.5">${title}</line>`,
      );
    } else if (mark.kind === "point") {
      const color = mark.role === "peak" ? MARK_COLORS.peak : MARK_COLORS.onset;
      out.push(
        `<circle cx="${px(mark.t_ms)}" cy="${py(mark.V_mV)}" r="4" fill="${color}" stroke="#000" stroke-width="0.8">${title}</circle>`,
      );
    }
  }
  const v = data.ys[0];
  if (v && data.marks?.length) {
    const dec = decimateMinMax(data.x, v, Math.max(1, Math.round(w)));
    const labels = layoutMarkLabels(data.marks, {
      px,
      py,
      frame: { x0: m.left, y0: m.top, x1: m.left + w, y1: m.top + h },
      trace: { x: dec.x.map(px), y: dec.y.map(py) },
      measure: (t, bold) => textWidth(t, 12, bold),
      fontSize: 12,
    });
    for (const l of labels)
      out.push(
        `<text class="label" x="${l.x.toFixed(1)}" y="${l.baseline.toFixed(1)}" text-anchor="${l.align}" fill="${l.color}"${l.bold ? ' font-weight="bold"' : ""}>${esc(l.text)}</text>`,
      );
  }
  // legend
  for (const [i, s] of spec.series.entries()) {
    const { x: lx, row } = legend[i] as { x: number; row: number };
    const ly = plotHeight - 10 + row * 18;
    const dash = s.dash ? ` stroke-dasharray="${s.dash.join(" ")}"` : "";
    out.push(`<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    const [base, sub] = subscriptParts(s.label);
    const subEl = sub ? `<tspan dy="3" font-size="9.5">${esc(sub)}</tspan>` : "";
    out.push(`<text x="${lx + 24}" y="${ly}" fill="#1b1f24">${esc(base)}${subEl}</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}
