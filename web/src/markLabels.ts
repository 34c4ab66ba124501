/**
 * Where the live trace's annotation labels go, by the library's one placement rule (src/plot/labels.ts, the
 * rule of the CLI's lab figure): each label at its first candidate position clear of the labels placed
 * before it, of the voltage trace and the threshold line, and of the dots and strips. Pure: the canvas
 * (plots.ts) and the SVG export (figure.ts) both draw what this returns, in their own pixels.
 */
import type { Mark } from "./annotations.js";
import { AROUND, type Box, type Candidate, dotBox, MARK_COLORS, type Polyline, placeLabels } from "./lib.js";

export interface LabelToDraw {
  readonly text: string;
  readonly x: number;
  readonly baseline: number;
  readonly align: "start" | "middle" | "end";
  readonly color: string;
  readonly bold: boolean;
  readonly box: Box;
}

export interface MarkGeometry {
  /** Data → pixels. */
  readonly px: (t_ms: number) => number;
  readonly py: (V_mV: number) => number;
  /** The plot frame in pixels. */
  readonly frame: Box;
  /** The voltage trace in pixels (decimated to the pixel columns). */
  readonly trace: Polyline;
  /** Text width in pixels (canvas: measureText; SVG: the library's DejaVu Sans bound). */
  readonly measure: (text: string, bold: boolean) => number;
  /** Font size in pixels (device pixels on a canvas). */
  readonly fontSize: number;
}

/** Height of the stimulus strip along the top of the frame, and of the relative-refractory bar at its bottom (× fontSize). */
export const STRIP = 0.6;

/** The labels of the marks that fit, in the order of importance: the AP, threshold, stimulus, half-width, amplitude, periods. */
export function layoutMarkLabels(marks: readonly Mark[], g: MarkGeometry): LabelToDraw[] {
  const { px, py, frame, fontSize: fs } = g;
  const s = fs / 12;
  const h = fs * 1.3;
  const lines: Polyline[] = [g.trace];
  const boxes: Box[] = [];
  type Req = { text: string; x: number; y: number; candidates: readonly Candidate[]; color: string; bold: boolean };
  const reqs: Req[] = [];
  const scaled = (c: readonly Candidate[]) => c.map((k) => ({ ...k, dx: k.dx * s, dy: k.dy * s }));
  const rows = [-1.5, -2.8, -4.1, -5.4].map((k) => k * fs);
  for (const m of marks) {
    if (m.kind === "point") boxes.push(dotBox(px(m.t_ms), py(m.V_mV), 5 * s));
    if (m.kind === "level") lines.push({ x: [frame.x0, frame.x1], y: [py(m.V_mV), py(m.V_mV)] });
    if (m.kind === "arrow") lines.push({ x: [px(m.t_ms), px(m.t_ms)], y: [py(m.from_mV), py(m.to_mV)] });
    if (m.kind === "segment") lines.push({ x: [px(m.from_ms), px(m.to_ms)], y: [py(m.V_mV), py(m.V_mV)] });
    if (m.kind === "band" && m.tone === "stimulus")
      boxes.push({ x0: Math.max(px(m.from_ms), frame.x0), y0: frame.y0, x1: Math.min(px(m.to_ms), frame.x1), y1: frame.y0 + STRIP * fs });
    if (m.kind === "band" && m.tone === "relative")
      boxes.push({ x0: Math.max(px(m.from_ms), frame.x0), y0: frame.y1 - STRIP * fs, x1: Math.min(px(m.to_ms), frame.x1), y1: frame.y1 });
  }
  for (const m of marks) {
    if (m.kind === "point" && m.text)
      reqs.push({
        text: m.text,
        x: px(m.t_ms),
        y: py(m.V_mV),
        candidates: scaled([{ dx: 0, dy: -14, align: "middle" }, ...AROUND]),
        color: "#1b1f24",
        bold: true,
      });
  }
  for (const m of marks) {
    if (m.kind === "level")
      reqs.push({
        text: m.text,
        x: frame.x1 - 4 * s,
        y: py(m.V_mV),
        candidates: [-10, 10, -24, 24].flatMap((dy) => [
          { dx: 0, dy: dy * s, align: "end" as const },
          { dx: frame.x0 - frame.x1 + 8 * s, dy: dy * s, align: "start" as const },
        ]),
        color: "#333333",
        bold: false,
      });
    else if (m.kind === "band" && m.tone === "stimulus" && m.text) {
      const a = Math.max(px(m.from_ms), frame.x0);
      const b = Math.min(px(m.to_ms), frame.x1);
      reqs.push({
        text: m.text,
        x: b,
        y: frame.y0 + STRIP * fs * 0.5,
        candidates: [0, 1.1 * fs].flatMap((dy) => [
          { dx: 4 * s, dy, align: "start" as const },
          { dx: a - b - 4 * s, dy, align: "end" as const },
          { dx: (a - b) / 2, dy: dy + 1.1 * fs, align: "middle" as const },
        ]),
        color: MARK_COLORS.stimulusText,
        bold: false,
      });
    } else if (m.kind === "segment")
      reqs.push({
        text: m.text,
        x: px(m.to_ms),
        y: py(m.V_mV),
        candidates: [0, 14, -14, 28, -28].flatMap((dy) => [
          { dx: 6 * s, dy: dy * s, align: "start" as const },
          { dx: px(m.from_ms) - px(m.to_ms) - 6 * s, dy: dy * s, align: "end" as const },
        ]),
        color: MARK_COLORS.halfWidthText,
        bold: false,
      });
    else if (m.kind === "arrow")
      reqs.push({
        text: m.text,
        x: px(m.t_ms),
        y: py(m.from_mV + (m.to_mV - m.from_mV) * 0.3),
        candidates: [0, -14, 14, -28, 28].flatMap((dy) =>
          [6, 24, 42].flatMap((dx) => [
            { dx: dx * s, dy: dy * s, align: "start" as const },
            { dx: -dx * s, dy: dy * s, align: "end" as const },
          ]),
        ),
        color: MARK_COLORS.peak,
        bold: false,
      });
  }
  for (const m of marks) {
    if (m.kind !== "band" || m.tone === "stimulus" || !m.text) continue;
    const a = Math.max(px(m.from_ms), frame.x0);
    const b = Math.min(px(m.to_ms), frame.x1);
    reqs.push({
      text: m.text,
      x: a,
      y: frame.y1,
      candidates: rows.flatMap((dy) => [
        { dx: 3 * s, dy, align: "start" as const },
        { dx: -3 * s, dy, align: "end" as const },
        { dx: b - a - 3 * s, dy, align: "end" as const },
      ]),
      color: m.tone === "absolute" ? MARK_COLORS.absoluteText : m.tone === "relative" ? MARK_COLORS.relativeText : "#5b6470",
      bold: true,
    });
  }
  const placed = placeLabels(
    reqs.map((r, i) => ({ id: String(i), x: r.x, y: r.y, width: g.measure(r.text, r.bold), height: h, candidates: r.candidates })),
    { bounds: frame, lines, boxes, pad: 2 * s },
  );
  return placed.map((p) => {
    const r = reqs[Number(p.id)] as Req;
    return { text: r.text, x: p.textX, baseline: p.baseline, align: p.align, color: r.color, bold: r.bold, box: p.box };
  });
}
