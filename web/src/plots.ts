/**
 * Live plots: a FigureSpec drawn by uPlot, with the annotation marks painted on its canvas,
 * resized with its container, exportable as PNG (the canvas, with title and legend) and SVG.
 */
import uPlot from "uplot";
import type { Mark } from "./annotations.js";
import { type FigureData, type FigureSpec, figureToSvg } from "./figure.js";

const AXIS = { stroke: "#3c434d", grid: { stroke: "#e4e7eb", width: 1 }, ticks: { stroke: "#c8ccd2", width: 1 } };
const FONT = "12px system-ui, 'DejaVu Sans', sans-serif";
const LABEL_FONT = "bold 12px system-ui, 'DejaVu Sans', sans-serif";

function drawBands(u: uPlot, marks: readonly Mark[]): void {
  const { ctx, bbox } = u;
  ctx.save();
  for (const m of marks) {
    if (m.kind !== "band") continue;
    const a = Math.max(u.valToPos(m.from_ms, "x", true), bbox.left);
    const b = Math.min(u.valToPos(m.to_ms, "x", true), bbox.left + bbox.width);
    if (b <= a) continue;
    ctx.fillStyle =
      m.tone === "stimulus" ? "rgba(242,193,78,0.20)" : m.tone === "absolute" ? "rgba(209,73,91,0.18)" : "rgba(237,174,73,0.16)";
    ctx.fillRect(a, bbox.top, b - a, bbox.height);
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

function drawMarks(u: uPlot, marks: readonly Mark[]): void {
  const { ctx, bbox } = u;
  const dpr = uPlot.pxRatio;
  ctx.save();
  ctx.beginPath();
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
  ctx.clip();
  ctx.lineWidth = dpr;
  for (const m of marks) {
    if (m.kind === "level") {
      const y = u.valToPos(m.V_mV, "y", true);
      ctx.strokeStyle = "#8a8f98";
      ctx.setLineDash([4 * dpr, 4 * dpr]);
      ctx.beginPath();
      ctx.moveTo(bbox.left, y);
      ctx.lineTo(bbox.left + bbox.width, y);
      ctx.stroke();
    } else if (m.kind === "time") {
      const x = u.valToPos(m.t_ms, "x", true);
      ctx.strokeStyle = "rgba(192,57,43,0.45)";
      ctx.setLineDash([2 * dpr, 3 * dpr]);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
    } else if (m.kind === "segment") {
      const y = u.valToPos(m.V_mV, "y", true);
      ctx.strokeStyle = "#6a4c93";
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash([]);
      ctx.beginPath();
      ctx.moveTo(u.valToPos(m.from_ms, "x", true), y);
      ctx.lineTo(u.valToPos(m.to_ms, "x", true), y);
      ctx.stroke();
      ctx.lineWidth = dpr;
    }
  }
  ctx.setLineDash([]);
  ctx.font = FONT.replace("12px", `${11 * dpr}px`);
  for (const m of marks) {
    if (m.kind !== "point") continue;
    const x = u.valToPos(m.t_ms, "x", true);
    const y = u.valToPos(m.V_mV, "y", true);
    ctx.fillStyle = "#fff";
    ctx.strokeStyle = "#c0392b";
    ctx.lineWidth = 1.5 * dpr;
    ctx.beginPath();
    ctx.arc(x, y, 4 * dpr, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    if (m.role === "peak") {
      ctx.fillStyle = "#7b241c";
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(`${m.V_mV.toFixed(1)} mV`, x + 6 * dpr, Math.max(y - 4 * dpr, bbox.top + 12 * dpr));
    }
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
  ) {
    const opts: uPlot.Options = {
      width: Math.max(320, root.clientWidth || 800),
      height,
      title: spec.title,
      pxAlign: 0,
      scales: {
        x: { time: false },
        y: spec.yRange ? { range: spec.yRange } : {},
        ...(spec.y2Label ? { y2: {} } : {}),
      },
      axes: [
        { ...AXIS, label: spec.xLabel, labelFont: LABEL_FONT, font: FONT },
        { ...AXIS, label: spec.yLabel, labelFont: LABEL_FONT, font: FONT, size: 60 },
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
            drawMarks(u, this.marks);
            drawXMarks(u, this.data.xMarks ?? []);
          },
        ],
      },
    };
    this.u = new uPlot(opts, [[], ...spec.series.map(() => [])], root);
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

  /** The plot as PNG: uPlot's canvas (curves, axes, marks) under the title, above a legend. */
  toPng(): Promise<Blob> {
    const src = this.u.ctx.canvas;
    const dpr = uPlot.pxRatio;
    const titleH = 30 * dpr;
    const legendH = 26 * dpr;
    const c = document.createElement("canvas");
    c.width = src.width;
    c.height = src.height + titleH + legendH;
    const ctx = c.getContext("2d") as CanvasRenderingContext2D;
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.fillStyle = "#1b1f24";
    ctx.font = `600 ${15 * dpr}px system-ui, 'DejaVu Sans', sans-serif`;
    ctx.fillText(this.spec.title, 12 * dpr, 21 * dpr);
    ctx.drawImage(src, 0, titleH);
    ctx.font = `${12 * dpr}px system-ui, 'DejaVu Sans', sans-serif`;
    let x = 70 * dpr;
    const y = c.height - 9 * dpr;
    for (const s of this.spec.series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 2 * dpr;
      ctx.setLineDash((s.dash ?? []).map((d) => d * dpr));
      ctx.beginPath();
      ctx.moveTo(x, y - 4 * dpr);
      ctx.lineTo(x + 18 * dpr, y - 4 * dpr);
      ctx.stroke();
      ctx.fillText(s.label, x + 24 * dpr, y);
      x += ctx.measureText(s.label).width + 44 * dpr;
    }
    return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  }

  destroy(): void {
    this.observer.disconnect();
    this.u.destroy();
  }
}
