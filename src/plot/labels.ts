/**
 * The one label-placement rule of every figure (the CLI's SVG/PNG figures and the browser lab's canvas and
 * SVG export): a label is a text box tied to an anchor point; it takes the first of its candidate positions
 * whose box stays inside the plot, overlaps no label placed before it, and is crossed by no data line and no
 * other obstacle. A label with no free position is left out (its words are listed beside the figure).
 * All coordinates are pixels of the figure, y downwards.
 */

export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Where a label may go, relative to its anchor: `dx`, `dy` move the box, `align` says which box edge sits there. */
export interface Candidate {
  readonly dx: number;
  readonly dy: number;
  /** start: the box begins at the anchor; end: it ends there; middle: centred. */
  readonly align: "start" | "middle" | "end";
}

export interface LabelRequest {
  readonly id: string;
  readonly x: number;
  /** The anchor's y (the box is centred on `y + dy`). */
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly candidates: readonly Candidate[];
}

export interface PlacedLabel {
  readonly id: string;
  readonly box: Box;
  /** Where to draw the text: x of its anchor edge (per `align`) and its baseline. */
  readonly textX: number;
  readonly baseline: number;
  readonly align: Candidate["align"];
}

/** A data line in pixels: x and y of its points (NaN breaks it). */
export interface Polyline {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

/** Around the ring of candidates: right, above, left, below of the anchor, then further out. */
export const AROUND: readonly Candidate[] = [
  { dx: 8, dy: -10, align: "start" },
  { dx: -8, dy: -10, align: "end" },
  { dx: 0, dy: -16, align: "middle" },
  { dx: 8, dy: 12, align: "start" },
  { dx: -8, dy: 12, align: "end" },
  { dx: 0, dy: 18, align: "middle" },
  { dx: 12, dy: -28, align: "start" },
  { dx: -12, dy: -28, align: "end" },
  { dx: 12, dy: 28, align: "start" },
  { dx: -12, dy: 28, align: "end" },
];

/** Widths of DejaVu Sans glyphs in em, rounded up (the bundled font; browsers' sans-serif fonts are narrower). */
const em = (ch: string): number => {
  if (ch === " " || ch === "." || ch === "," || ch === ":" || ch === ";" || ch === "'" || ch === "|" || ch === "i" || ch === "l")
    return 0.33;
  if (ch === "(" || ch === ")" || ch === "-" || ch === "f" || ch === "t" || ch === "j" || ch === "r") return 0.42;
  if (/[0-9]/.test(ch)) return 0.64;
  if (ch === "m" || ch === "w" || ch === "M" || ch === "W" || ch === "—" || ch === "µ") return 0.98;
  if (/[A-Z]/.test(ch)) return 0.78;
  return 0.64;
};

/** A width for `text` at `fontSize` px that is never less than DejaVu Sans draws it (bold: 10 % wider). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += em(ch);
  return w * fontSize * (bold ? 1.1 : 1);
}

/** Do two boxes overlap (touching edges do not)? */
export const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Does the segment (x1,y1)–(x2,y2) cross or enter the box? (Liang–Barsky clipping.) */
export function segmentHitsBox(x1: number, y1: number, x2: number, y2: number, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const edges: [number, number][] = [
    [-dx, x1 - b.x0],
    [dx, b.x1 - x1],
    [-dy, y1 - b.y0],
    [dy, b.y1 - y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return t0 <= t1;
}

/** Does any segment of the line cross the box? */
export function lineHitsBox(line: Polyline, b: Box): boolean {
  for (let i = 1; i < line.x.length; i++) {
    const xa = line.x[i - 1] as number;
    const xb = line.x[i] as number;
    if ((xa < b.x0 && xb < b.x0) || (xa > b.x1 && xb > b.x1)) continue;
    const ya = line.y[i - 1] as number;
    const yb = line.y[i] as number;
    if (!(Number.isFinite(ya) && Number.isFinite(yb))) continue;
    if (segmentHitsBox(xa, ya, xb, yb, b)) return true;
  }
  return false;
}

const boxAt = (l: LabelRequest, c: Candidate): Box => {
  const cx = l.x + c.dx;
  const x0 = c.align === "start" ? cx : c.align === "end" ? cx - l.width : cx - l.width / 2;
  const y0 = l.y + c.dy - l.height / 2;
  return { x0, y0, x1: x0 + l.width, y1: y0 + l.height };
};

/**
 * Places the labels in order (earlier ones are more important), each at its first free candidate: inside
 * `bounds`, clear of the labels already placed, of `lines` and of `boxes` (dots, legends), with `pad` px
 * around every box. Labels with no free candidate are left out.
 */
export function placeLabels(
  labels: readonly LabelRequest[],
  obstacles: { readonly bounds: Box; readonly lines?: readonly Polyline[]; readonly boxes?: readonly Box[]; readonly pad?: number },
): PlacedLabel[] {
  const pad = obstacles.pad ?? 2;
  const { bounds } = obstacles;
  const placed: PlacedLabel[] = [];
  const grow = (b: Box): Box => ({ x0: b.x0 - pad, y0: b.y0 - pad, x1: b.x1 + pad, y1: b.y1 + pad });
  for (const l of labels) {
    for (const c of l.candidates) {
      const box = boxAt(l, c);
      if (box.x0 < bounds.x0 || box.x1 > bounds.x1 || box.y0 < bounds.y0 || box.y1 > bounds.y1) continue;
      const g = grow(box);
      if (placed.some((p) => overlaps(g, p.box))) continue;
      if ((obstacles.boxes ?? []).some((b) => overlaps(g, b))) continue;
      if ((obstacles.lines ?? []).some((line) => lineHitsBox(line, g))) continue;
      const textX = c.align === "start" ? box.x0 : c.align === "end" ? box.x1 : (box.x0 + box.x1) / 2;
      placed.push({ id: l.id, box, textX, baseline: box.y1 - l.height * 0.22, align: c.align });
      break;
    }
  }
  return placed;
}

/** A box around a point (a dot of radius r). */
export const dotBox = (x: number, y: number, r: number): Box => ({ x0: x - r, y0: y - r, x1: x + r, y1: y + r });

/** Every pair of boxes that overlap, as index pairs (for tests and checks). */
export function overlappingPairs(boxes: readonly Box[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) if (overlaps(boxes[i] as Box, boxes[j] as Box)) out.push([i, j]);
  return out;
}
