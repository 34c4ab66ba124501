/**
 * Live plots: a FigureSpec drawn by uPlot, with the annotation marks painted on its canvas,
 * resized with its container, exportable as PNG (the canvas, with title and legend) and SVG.
 */
import uPlot from "uplot";
import { BAND_OPACITY, MARK_COLORS, type Mark } from "./annotations.js";
import { type FigureData, type FigureSpec, figureToSvg } from "./figure.js";
import { decimateMinMax, subscriptParts } from "./lib.js";
import { layoutMarkLabels, STRIP } from "./markLabels.js";
import { svgToPng } from "./svgPng.js";

const AXIS = { stroke: "#3c434d", grid: { stroke: "#e4e7eb", width: 1 }, ticks: { stroke: "#c8ccd2", width: 1 } };
/**
 * Tick labels: uPlot's own (3 decimals at most) unless the step is below 0.001, where those would all read 0
 * (a pool's cai, ~1e-4 mM): then up to 6 significant digits, as the SVG export writes them.
 */
const tickValues: uPlot.Axis.DynamicValues = (_u, splits, _i, _space, incr) =>
  splits.map((v) => (v == null ? "" : incr < 1e-3 ? String(Number(v.toPrecision(6))) : uPlot.fmtNum(v)));
/** The y axis's width: 60 px, wider where the tick labels are long (7.6 px a 12 px character) so none runs into its label. */
const yWidth = (values: readonly string[] | null | undefined): number =>
  Math.max(60, Math.ceil(7.6 * Math.max(0, ...(values ?? []).map((v) => String(v).length))) + 28);
const ySize: uPlot.Axis.Size = (_u, values) => yWidth(values);

/**
 * Plots stacked over one time axis (the lab's V, gates, pools' concentrations, currents): every y axis is as wide as
 * the widest any of them needs for its tick labels, so their plotting areas, and their time axes, start at the same x.
 * A plot whose need changes the widest width makes the others lay out their axes again.
 */
export class YAxisGroup {
  /** Each plot's own need (CSS px), from its last tick labels. */
  private readonly needs = new Map<uPlot, number>();
  /** Plots not on screen (a hidden current plot): their needs do not widen the others. */
  private readonly hidden = new Set<uPlot>();
  private width = 0;

  /** The y axes' `size`: records the plot's need and answers the group's width. */
  readonly size: uPlot.Axis.Size = (u, values) => {
    this.needs.set(u, yWidth(values));
    this.refresh(u);
    return this.width;
  };

  /** A plot that goes (destroyed): the others may narrow. */
  remove(u: uPlot): void {
    this.hidden.delete(u);
    if (this.needs.delete(u)) this.refresh(null);
  }

  /** A plot shown or hidden: a hidden one keeps its place but no longer counts. */
  show(u: uPlot, shown: boolean): void {
    if (shown) this.hidden.delete(u);
    else this.hidden.add(u);
    this.refresh(null);
  }

  private refresh(except: uPlot | null): void {
    const widest = Math.max(0, ...[...this.needs].filter(([u]) => !this.hidden.has(u)).map(([, need]) => need));
    if (widest === this.width) return;
    this.width = widest;
    // uPlot commits a redraw in a microtask: no plot lays out inside another's layout
    for (const u of this.needs.keys()) if (u !== except) u.redraw(false, true);
  }
}
const FONT = "12px system-ui, 'DejaVu Sans', sans-serif";
const LABEL_FONT = "bold 12px system-ui, 'DejaVu Sans', sans-serif";

const rgba = (hex: string, alpha: number) =>
  `rgba(${Number.parseInt(hex.slice(1, 3), 16)},${Number.parseInt(hex.slice(3, 5), 16)},${Number.parseInt(hex.slice(5, 7), 16)},${alpha})`;

function drawBands(u: uPlot, marks: readonly Mark[]): void {
  const { ctx, bbox } = u;
  ctx.save();
  for (const m of marks) {
    if (m.kind !== "band") continue;
    const a = Math.max(u.valToPos(m.from_ms, "x", true), bbox.left);
    const b = Math.min(u.valToPos(m.to_ms, "x", true), bbox.left + bbox.width);
    if (b <= a) continue;
    const strip = STRIP * 12 * uPlot.pxRatio;
    if (m.tone === "stimulus") {
      // a strip along the top: never blended with the refractory bands
      ctx.fillStyle = MARK_COLORS.stimulus;
      ctx.fillRect(a, bbox.top, b - a, strip);
    } else if (m.tone === "relative") {
      // a bar along the bottom: the relative period does not hide the spikes inside it
      ctx.fillStyle = MARK_COLORS.relative;
      ctx.fillRect(a, bbox.top + bbox.height - strip, b - a, strip);
    } else {
      ctx.fillStyle = rgba(MARK_COLORS[m.tone], BAND_OPACITY[m.tone]);
      ctx.fillRect(a, bbox.top, b - a, bbox.height);
    }
  }
  ctx.restore();
}

function drawXMarks(u: uPlot, marks: readonly { x: number; label: string }[]): void {
  const { ctx, bbox } = u;
  const dpr = uPlot.pxRatio;
  ctx.save();
  ctx.strokeStyle = "#6a4c93";
  ctx.fillStyle = "#6a4c93";
  ctx.lineWidth = dpr;
  ctx.setLineDash([5 * dpr, 4 * dpr]);
  ctx.font = FONT.replace("12px", `${12 * dpr}px`);
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  for (const m of marks) {
    const x = u.valToPos(m.x, "x", true);
    ctx.beginPath();
    ctx.moveTo(x, bbox.top);
    ctx.lineTo(x, bbox.top + bbox.height);
    ctx.stroke();
    ctx.fillText(m.label, x + 5 * dpr, bbox.top + 14 * dpr);
  }
  ctx.restore();
}

/** The annotations over the trace, drawn as the CLI's lab figure draws them. */
function drawMarks(u: uPlot, marks: readonly Mark[], data: FigureData): void {
  const { ctx, bbox } = u;
  const dpr = uPlot.pxRatio;
  const right = bbox.left + bbox.width;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.lineWidth = dpr;
  ctx.font = FONT.replace("12px", `${12 * dpr}px`);
  ctx.textBaseline = "alphabetic";
  const text = (t: string, x: number, y: number, color: string, align: CanvasTextAlign = "left", bold = false) => {
    ctx.font = (bold ? LABEL_FONT : FONT).replace("12px", `${12 * dpr}px`);
    ctx.textAlign = align;
    ctx.lineWidth = 3 * dpr;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    ctx.strokeText(t, x, y);
    ctx.fillStyle = color;
    ctx.fillText(t, x, y);
    ctx.lineWidth = dpr;
  };
  for (const m of marks) {
    if (m.kind === "level") {
      const y = u.valToPos(m.V_mV, "y", true);
      ctx.strokeStyle = MARK_COLORS.threshold;
      ctx.setLineDash([5 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(right, y);
      ctx.stroke();
      ctx.setLineDash([]);
    } else if (m.kind === "segment") {
      const y = u.valToPos(m.V_mV, "y", true);
      const a = u.valToPos(m.from_ms, "x", true);
      const b = u.valToPos(m.to_ms, "x", true);
      ctx.strokeStyle = MARK_COLORS.halfWidth;
      ctx.lineWidth = 2.5 * dpr;
      ctx.beginPath();
      ctx.moveTo(a, y);
      ctx.lineTo(b, y);
      for (const x of [a, b]) {
        ctx.moveTo(x, y - 4 * dpr);
        ctx.lineTo(x, y + 4 * dpr);
      }
      ctx.stroke();
      ctx.lineWidth = dpr;
    } else if (m.kind === "arrow") {
      const x = u.valToPos(m.t_ms, "x", true);
      const y0 = u.valToPos(m.from_mV, "y", true);
      const y1 = u.valToPos(m.to_mV, "y", true);
      ctx.strokeStyle = MARK_COLORS.peak;
      ctx.lineWidth = 1.5 * dpr;
      ctx.beginPath();
      ctx.moveTo(x, y0);
      ctx.lineTo(x, y1);
      ctx.moveTo(x - 4 * dpr, y1 + 7 * dpr);
      ctx.lineTo(x, y1);
      ctx.lineTo(x + 4 * dpr, y1 + 7 * dpr);
      ctx.stroke();
      ctx.lineWidth = dpr;
    }
  }
  for (const m of marks) {
    if (m.kind !== "point") continue;
    const x = u.valToPos(m.t_ms, "x", true);
    const y = u.valToPos(m.V_mV, "y", true);
    ctx.fillStyle = m.role === "peak" ? MARK_COLORS.peak : MARK_COLORS.onset;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 0.8 * dpr;
    ctx.beginPath();
    ctx.arc(x, y, 4 * dpr, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  const ys = data.ys[0];
  if (ys && marks.length) {
    const dec = decimateMinMax(data.x, ys, Math.max(1, Math.round(bbox.width / dpr)));
    const labels = layoutMarkLabels(marks, {
      px: (v) => u.valToPos(v, "x", true),
      py: (v) => u.valToPos(v, "y", true),
      frame: { x0: bbox.left, y0: bbox.top, x1: bbox.left + bbox.width, y1: bbox.top + bbox.height },
      trace: { x: dec.x.map((v) => u.valToPos(v, "x", true)), y: dec.y.map((v) => u.valToPos(v, "y", true)) },
      measure: (t, bold) => {
        ctx.font = (bold ? LABEL_FONT : FONT).replace("12px", `${12 * dpr}px`);
        return ctx.measureText(t).width;
      },
      fontSize: 12 * dpr,
    });
    for (const l of labels) text(l.text, l.x, l.baseline, l.color, l.align === "middle" ? "center" : l.align, l.bold);
    // the placed labels, in CSS pixels of the canvas, for the page's tests (overlap checks)
    u.root.dataset.labels = JSON.stringify(
      labels.map((l) => ({ text: l.text, x0: l.box.x0 / dpr, y0: l.box.y0 / dpr, x1: l.box.x1 / dpr, y1: l.box.y1 / dpr })),
    );
  }
  ctx.restore();
}

export class LivePlot {
  readonly u: uPlot;
  private marks: Mark[] = [];
  private data: FigureData = { x: [], ys: [] };
  private readonly observer: ResizeObserver;

  constructor(
    readonly root: HTMLElement,
    readonly spec: FigureSpec,
    height = 260,
    /** Plots with the same key share the cursor. */
    syncKey?: string,
    /** The width (CSS px) where the caller knows it: no layout is read (the root's width otherwise). */
    width?: number,
    /** Plots stacked over one time axis: their y axes share one width (their own otherwise). */
    private readonly yAxes?: YAxisGroup,
  ) {
    const opts: uPlot.Options = {
      width: Math.max(240, width ?? (root.clientWidth || 800)),
      height,
      title: spec.title,
      pxAlign: 0,
      scales: {
        x: { time: false },
        y: spec.yRange
          ? { range: spec.yRange }
          : spec.yRangeOf
            ? { range: (_u: uPlot, min: number, max: number) => (spec.yRangeOf as NonNullable<FigureSpec["yRangeOf"]>)(min, max) }
            : {},
        ...(spec.y2Label ? { y2: {} } : {}),
      },
      axes: [
        { ...AXIS, label: spec.xLabel, labelFont: LABEL_FONT, font: FONT },
        { ...AXIS, label: spec.yLabel, labelFont: LABEL_FONT, font: FONT, size: yAxes?.size ?? ySize, values: tickValues },
        ...(spec.y2Label
          ? [
              {
                ...AXIS,
                scale: "y2",
                side: 1 as const,
                label: spec.y2Label,
                labelFont: LABEL_FONT,
                font: FONT,
                grid: { show: false },
                size: 60,
              },
            ]
          : []),
      ],
      series: [
        { label: spec.xLabel },
        ...spec.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          scale: s.axis ?? "y",
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: s.points ?? false, size: 5, fill: s.color },
          value: (_u: uPlot, v: number | null) => (v == null ? "–" : `${v.toFixed(s.digits ?? 2)} ${s.unit}`.trim()),
        })),
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false }, ...(syncKey ? { sync: { key: syncKey } } : {}) },
      hooks: {
        drawClear: [(u) => drawBands(u, this.marks)],
        draw: [
          (u) => {
            drawMarks(u, this.marks, this.data);
            drawXMarks(u, this.data.xMarks ?? []);
          },
        ],
      },
    };
    this.u = new uPlot(opts, [[], ...spec.series.map(() => [])], root);
    // I_Na in the legend as I with a subscript Na
    for (const label of Array.from(root.querySelectorAll<HTMLElement>(".u-legend .u-label"))) {
      const [base, sub] = subscriptParts(label.textContent ?? "");
      if (sub) label.replaceChildren(base, Object.assign(document.createElement("sub"), { textContent: sub }));
    }
    this.observer = new ResizeObserver(() => {
      const w = root.clientWidth;
      if (w > 0 && Math.abs(w - this.u.width) > 1) this.u.setSize({ width: w, height: this.u.height });
    });
    this.observer.observe(root);
  }

  set(data: FigureData): void {
    this.data = data;
    this.marks = data.marks ?? [];
    this.u.setData([data.x as number[], ...(data.ys as number[][])]);
  }

  /** The plot as SVG, drawn from the same data. */
  toSvg(): string {
    return figureToSvg(this.spec, this.data, Math.max(640, this.u.width), this.u.height + 60);
  }

  /**
   * The plot as PNG: the SVG export (the same figure, labels placed by the same rule) drawn at twice its size,
   * or at the device pixel ratio where that is higher.
   */
  toPng(): Promise<Blob> {
    return svgToPng(this.toSvg());
  }

  destroy(): void {
    this.observer.disconnect();
    this.yAxes?.remove(this.u);
    this.u.destroy();
  }
}
