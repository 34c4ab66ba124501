import { textWidth } from "./labels.js";

const SVG_NS = "http://www.w3.org/2000/svg";

/** The font every figure asks for; PNG rendering bundles DejaVu Sans, browsers fall back to their sans-serif. */
export const FONT = "DejaVu Sans, sans-serif";

export interface Placed {
  readonly el: Element;
  readonly x: number;
  readonly y: number;
}

/** An SVG element in `doc`, with attributes. */
export function svgEl(doc: Document, tag: string, attrs: Record<string, string | number> = {}, text?: string): Element {
  const el = doc.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Places panels (each an <svg> from Plot, or any element) into one standalone SVG document string. */
export function compose(doc: Document, width: number, height: number, items: readonly Placed[], label: string): string {
  const root = svgEl(doc, "svg", {
    xmlns: SVG_NS,
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    "font-family": FONT,
    role: "img",
    "aria-label": label,
  });
  root.appendChild(svgEl(doc, "rect", { width, height, fill: "white" }));
  for (const { el, x, y } of items) {
    if (el.tagName.toLowerCase() === "svg") {
      el.setAttribute("x", String(x));
      el.setAttribute("y", String(y));
      root.appendChild(el);
    } else {
      const g = svgEl(doc, "g", { transform: `translate(${x},${y})` });
      g.appendChild(el);
      root.appendChild(g);
    }
  }
  return root.outerHTML;
}

/** A block of text lines as an SVG group; a line is plain text or [bold label, rest]. */
export function textBlock(doc: Document, lines: readonly (string | readonly [string, string])[], size = 13, lineHeight = 19): Element {
  const g = svgEl(doc, "g", { "font-size": size, fill: "#222" });
  lines.forEach((line, i) => {
    const t = svgEl(doc, "text", { x: 0, y: (i + 1) * lineHeight });
    if (typeof line === "string") t.textContent = line;
    else {
      t.appendChild(svgEl(doc, "tspan", { "font-weight": "bold" }, line[0]));
      t.appendChild(svgEl(doc, "tspan", {}, ` ${line[1]}`));
    }
    g.appendChild(t);
  });
  return g;
}

/**
 * Words of `text` in lines no wider than `width_px` at `fontSize` (estimated with `textWidth`); a single
 * word wider than that stays on its own line.
 */
export function wrapText(text: string, width_px: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, fontSize) > width_px) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** A figure's width (px) for a box `available_px` wide: its natural width, narrowed to the box, never below `min_px`. */
export const fitWidth = (natural_px: number, available_px: number | undefined, min_px = 320): number =>
  available_px === undefined || !(available_px > 0) ? natural_px : Math.round(Math.max(min_px, Math.min(natural_px, available_px)));
