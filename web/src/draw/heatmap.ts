/**
 * The parameter map drawn on a canvas: one cell per grid point (viridis), axes with round ticks (the
 * library's `niceTicks`) and titles with units, a colour legend of the rate, and the cursor's cell. Pure
 * drawing: the panel owns the data and the cursor.
 */
import { niceTicks } from "../lib.js";

/** The canvas size in CSS pixels and the margins around the cells. */
export const W = 860;
export const H = 560;
export const M = { left: 78, right: 124, top: 40, bottom: 62 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

/** What one heatmap shows: the grid (row-major, x fastest), the rate per point, titles and the cursor. */
export interface HeatmapView {
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  readonly rate: ArrayLike<number>;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly title: string;
  readonly cursor: { readonly x: number; readonly y: number };
}

/** Numbers on the map and in its readout: 6 significant digits. */
export const fmt = (v: number) => String(Number(v.toPrecision(6)));

/** Viridis, 11 stops: perceptually uniform and readable in grey and with colour-vision deficiencies. */
const VIRIDIS = [
  "#440154",
  "#482475",
  "#414487",
  "#355f8d",
  "#2a788e",
  "#21918c",
  "#22a884",
  "#44bf70",
  "#7ad151",
  "#bddf26",
  "#fde725",
].map((h) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number]);

/** The viridis colour of t ∈ [0, 1] (clamped; not finite: 0). */
export function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i] as [number, number, number];
  const b = VIRIDIS[i + 1] as [number, number, number];
  return [0, 1, 2].map((k) => Math.round((a[k] as number) + f * ((b[k] as number) - (a[k] as number)))) as [number, number, number];
}

/** The top of the colour scale: the largest rate rounded up to the legend's next tick (1 when nothing fires). */
export function vmaxOf(rate: ArrayLike<number> | undefined): number {
  let max = 0;
  if (rate) for (let i = 0; i < rate.length; i++) max = Math.max(max, (rate[i] as number) || 0);
  if (max <= 0) return 1;
  const ticks = niceTicks(0, max, 5);
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : max;
  return Math.ceil(max / step - 1e-9) * step;
}

/** The grid cell (ix, iy) under a point in CSS pixels of the canvas, or null outside the cells. */
export function cellAt(px: number, py: number, nx: number, ny: number): { x: number; y: number } | null {
  if (px < M.left || px >= M.left + PW || py < M.top || py >= M.top + PH) return null;
  return { x: Math.floor(((px - M.left) / PW) * nx), y: ny - 1 - Math.floor(((py - M.top) / PH) * ny) };
}

/** Clears the canvas and says that the map appears once computed. */
export function drawEmpty(ctx: CanvasRenderingContext2D): void {
  ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, W, H);
  ctx.font = "13px system-ui, 'DejaVu Sans', sans-serif";
  ctx.fillStyle = "#5b6470";
  ctx.fillText("The map appears here once computed.", M.left + 20, M.top + 30);
}

/** Draws the map; returns the top of its colour scale (Hz). */
export function drawHeatmap(ctx: CanvasRenderingContext2D, v: HeatmapView): number {
  ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, W, H);
  const pw = PW;
  const ph = PH;
  ctx.font = "13px system-ui, 'DejaVu Sans', sans-serif";
  ctx.fillStyle = "#1b1f24";
  const nx = v.xs.length;
  const ny = v.ys.length;
  const vmax = vmaxOf(v.rate);
  // the cells: one pixel per grid point, scaled up without smoothing
  const img = new ImageData(nx, ny);
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const [r, g, b] = colour(((v.rate[iy * nx + ix] as number) || 0) / vmax);
      const o = 4 * ((ny - 1 - iy) * nx + ix); // higher y drawn higher
      img.data[o] = r;
      img.data[o + 1] = g;
      img.data[o + 2] = b;
      img.data[o + 3] = 255;
    }
  }
  const off = document.createElement("canvas");
  off.width = nx;
  off.height = ny;
  off.getContext("2d")?.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, M.left, M.top, pw, ph);
  ctx.strokeStyle = "#1b1f24";
  ctx.lineWidth = 1;
  ctx.strokeRect(M.left - 0.5, M.top - 0.5, pw + 1, ph + 1);

  // axes: ticks at values, centred on the cells
  const x0 = v.xs[0] as number;
  const x1 = v.xs[nx - 1] as number;
  const y0 = v.ys[0] as number;
  const y1 = v.ys[ny - 1] as number;
  const xAt = (x: number) => M.left + (nx > 1 ? ((x - x0) / (x1 - x0)) * (pw - pw / nx) + pw / nx / 2 : pw / 2);
  const yAt = (y: number) => M.top + ph - (ny > 1 ? ((y - y0) / (y1 - y0)) * (ph - ph / ny) + ph / ny / 2 : ph / 2);
  ctx.fillStyle = "#1b1f24";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const t of niceTicks(x0, x1, 7)) {
    const x = xAt(t);
    ctx.beginPath();
    ctx.moveTo(x, M.top + ph);
    ctx.lineTo(x, M.top + ph + 5);
    ctx.stroke();
    ctx.fillText(fmt(t), x, M.top + ph + 8);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const t of niceTicks(y0, y1, 6)) {
    const y = yAt(t);
    ctx.beginPath();
    ctx.moveTo(M.left - 5, y);
    ctx.lineTo(M.left, y);
    ctx.stroke();
    ctx.fillText(fmt(t), M.left - 8, y);
  }
  ctx.font = "600 13px system-ui, 'DejaVu Sans', sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "alphabetic";
  ctx.fillText(v.xTitle, M.left + pw / 2, H - 14);
  ctx.save();
  ctx.translate(18, M.top + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(v.yTitle, 0, 0);
  ctx.restore();
  ctx.textAlign = "left";
  ctx.font = "600 14px system-ui, 'DejaVu Sans', sans-serif";
  ctx.fillText(v.title, M.left, M.top - 14);

  // the legend: a vertical colour bar with rate ticks
  const lx = W - M.right + 28;
  const lw = 16;
  for (let k = 0; k < ph; k++) {
    const [r, g, b] = colour(1 - k / (ph - 1));
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(lx, M.top + k, lw, 1);
  }
  ctx.strokeStyle = "#1b1f24";
  ctx.strokeRect(lx - 0.5, M.top - 0.5, lw + 1, ph + 1);
  ctx.font = "13px system-ui, 'DejaVu Sans', sans-serif";
  ctx.fillStyle = "#1b1f24";
  ctx.textBaseline = "middle";
  for (const t of niceTicks(0, vmax, 5)) {
    const y = M.top + ph - (t / vmax) * ph;
    ctx.beginPath();
    ctx.moveTo(lx + lw, y);
    ctx.lineTo(lx + lw + 4, y);
    ctx.stroke();
    ctx.fillText(fmt(t), lx + lw + 7, y);
  }
  ctx.save();
  ctx.translate(W - 12, M.top + ph / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.font = "600 13px system-ui, 'DejaVu Sans', sans-serif";
  ctx.fillText("rate (Hz)", 0, 0);
  ctx.restore();

  // the cursor's cell
  const cw = pw / nx;
  const ch = ph / ny;
  const cx = M.left + v.cursor.x * cw;
  const cy = M.top + (ny - 1 - v.cursor.y) * ch;
  const pad = Math.max(0, (6 - Math.min(cw, ch)) / 2);
  ctx.lineWidth = 2;
  ctx.strokeStyle = "#fff";
  ctx.strokeRect(cx - pad, cy - pad, cw + 2 * pad, ch + 2 * pad);
  ctx.lineWidth = 1;
  ctx.strokeStyle = "#1b1f24";
  ctx.strokeRect(cx - pad - 1.5, cy - pad - 1.5, cw + 2 * pad + 3, ch + 2 * pad + 3);
  return vmax;
}
