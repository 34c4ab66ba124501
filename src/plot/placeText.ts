/**
 * The shared label rule (./labels.ts) applied to Observable Plot panels: a panel's scales in pixels, and
 * labels placed and appended to the panel's SVG (a variable such as I_Na drawn with its subscript).
 */
import { FONT, svgEl } from "./compose.js";
import { type Box, type Candidate, type Polyline, placeLabels, textWidth } from "./labels.js";
import { subscriptParts } from "./palette.js";

const FS = 12;
const LINE_H = FS * 1.3;

/** A label to place: its words (a variable name such as I_Na is drawn with its subscript), look and candidates. */
export interface LabelSpec {
  readonly id: string;
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly candidates: readonly Candidate[];
  readonly fill: string;
  readonly bold?: boolean;
  /** Draw `I_Na` as I with a subscript Na. */
  readonly subscript?: boolean;
}

/** A Plot panel's scales in pixels, and its frame. */
export const scalesOf = (panel: Element) => {
  const s = panel as unknown as { scale(name: "x" | "y"): { apply(v: number): number; range: [number, number] } };
  const x = s.scale("x");
  const y = s.scale("y");
  const [xa, xb] = x.range;
  const [ya, yb] = y.range;
  return {
    px: (v: number) => x.apply(v),
    py: (v: number) => y.apply(v),
    frame: { x0: Math.min(xa, xb), x1: Math.max(xa, xb), y0: Math.min(ya, yb), y1: Math.max(ya, yb) } as Box,
  };
};

/** Places the labels by the shared rule (./labels.ts) and appends the ones that fit to the panel's SVG. */
export function drawLabels(
  doc: Document,
  panel: Element,
  specs: readonly LabelSpec[],
  obstacles: { bounds: Box; lines?: readonly Polyline[]; boxes?: readonly Box[] },
): Box[] {
  const requests = specs.map((l) => {
    const [base, sub] = l.subscript ? subscriptParts(l.text) : [l.text, ""];
    const width = textWidth(base, FS, l.bold) + (sub ? textWidth(sub, FS * 0.78, l.bold) : 0);
    return { id: l.id, x: l.x, y: l.y, width, height: sub ? LINE_H + 3 : LINE_H, candidates: l.candidates };
  });
  const placed = placeLabels(requests, obstacles);
  for (const p of placed) {
    const l = specs.find((s) => s.id === p.id) as LabelSpec;
    const [base, sub] = l.subscript ? subscriptParts(l.text) : [l.text, ""];
    const el = svgEl(doc, "text", {
      class: "label",
      x: p.textX.toFixed(1),
      y: (p.baseline - (sub ? 3 : 0)).toFixed(1),
      "text-anchor": p.align,
      "font-size": FS,
      "font-family": FONT,
      fill: l.fill,
      ...(l.bold ? { "font-weight": "bold" } : {}),
    });
    el.appendChild(doc.createTextNode(base));
    if (sub) el.appendChild(svgEl(doc, "tspan", { dy: 4, "font-size": (FS * 0.78).toFixed(1) }, sub));
    panel.appendChild(el);
  }
  return placed.map((p) => p.box);
}

/** A line in the panel's pixels. */
export const pixels = (x: ArrayLike<number>, y: ArrayLike<number>, px: (v: number) => number, py: (v: number) => number): Polyline => ({
  x: Array.from(x, px),
  y: Array.from(y, py),
});
