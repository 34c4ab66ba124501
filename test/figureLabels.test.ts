import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { refractoryPeriods } from "../src/index.js";
import { refractoryFigure } from "../src/plot/index.js";
import { type Box, lineHitsBox, overlappingPairs, type Polyline, placeLabels, segmentHitsBox, textWidth } from "../src/plot/labels.js";
import { fontFiles, svgDocument } from "../src/plot/node.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "spikelab-labels-"));
const font = { fontFiles: fontFiles(), loadSystemFonts: false, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" };

/** The ink box of an SVG as resvg draws it with the bundled font (what the CLI's PNG shows). */
const inkBox = (svg: string): Box | null => {
  const b = new Resvg(svg, { font }).getBBox();
  return b ? { x0: b.x, y0: b.y, x1: b.x + b.width, y1: b.y + b.height } : null;
};

interface MeasuredText {
  readonly text: string;
  readonly isLabel: boolean;
  readonly box: Box;
}

/**
 * Every <text> of a figure with its box measured by resvg: all drawing but the texts is removed, then each
 * text is rendered alone (the others hidden), so transforms, nested panels and the font are resvg's own.
 */
function measureTexts(svg: string): MeasuredText[] {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`);
  const root = document.querySelector("svg") as unknown as Element;
  for (const el of Array.from(root.querySelectorAll("path, line, rect, circle, polyline, style, title"))) el.remove();
  const texts = Array.from(root.querySelectorAll("text"));
  const out: MeasuredText[] = [];
  texts.forEach((el, i) => {
    for (const [j, other] of texts.entries()) other.setAttribute("display", i === j ? "inline" : "none");
    const box = inkBox(root.outerHTML);
    if (box) out.push({ text: el.textContent ?? "", isLabel: el.getAttribute("class") === "label", box });
  });
  return out;
}

/** The data lines (Plot's line paths) of every panel, in figure pixels. */
function dataLines(svg: string): Polyline[] {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`);
  const lines: Polyline[] = [];
  for (const panel of Array.from(document.querySelectorAll("svg svg"))) {
    const ox = Number(panel.getAttribute("x") ?? 0);
    const oy = Number(panel.getAttribute("y") ?? 0);
    for (const g of Array.from(panel.querySelectorAll('g[aria-label="line"] path'))) {
      const nums = (g.getAttribute("d") ?? "").match(/-?[0-9.]+(e-?[0-9]+)?/g)?.map(Number) ?? [];
      const x: number[] = [];
      const y: number[] = [];
      for (let k = 0; k + 1 < nums.length; k += 2) {
        x.push((nums[k] as number) + ox);
        y.push((nums[k + 1] as number) + oy);
      }
      lines.push({ x, y });
    }
  }
  return lines;
}

/** The data points (Plot's circles) of every panel, as boxes in figure pixels. */
function dataDots(svg: string): Box[] {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${svg}</body></html>`);
  const out: Box[] = [];
  for (const panel of Array.from(document.querySelectorAll("svg svg"))) {
    const ox = Number(panel.getAttribute("x") ?? 0);
    const oy = Number(panel.getAttribute("y") ?? 0);
    for (const c of Array.from(panel.querySelectorAll("circle"))) {
      const [x, y, rr] = ["cx", "cy", "r"].map((a) => Number(c.getAttribute(a))) as [number, number, number];
      out.push({ x0: x + ox - rr, y0: y + oy - rr, x1: x + ox + rr, y1: y + oy + rr });
    }
  }
  return out;
}

describe("the shared label-placement rule", () => {
  it("a label moves off a line that runs through its first choice", () => {
    const line: Polyline = { x: [0, 200], y: [50, 50] };
    const [p] = placeLabels(
      [
        {
          id: "a",
          x: 100,
          y: 50,
          width: 40,
          height: 14,
          candidates: [
            { dx: 0, dy: 0, align: "middle" },
            { dx: 0, dy: -12, align: "middle" },
          ],
        },
      ],
      { bounds: { x0: 0, y0: 0, x1: 200, y1: 100 }, lines: [line] },
    );
    expect(p?.box.y1).toBeLessThanOrEqual(50 - 2);
  });
  it("a second label with the same anchor takes another place, and one with no room is left out", () => {
    const req = { x: 50, y: 50, width: 40, height: 14, candidates: [{ dx: 0, dy: 0, align: "middle" as const }] };
    const placed = placeLabels(
      [
        { ...req, id: "a" },
        { ...req, id: "b", candidates: [...req.candidates, { dx: 0, dy: 20, align: "middle" as const }] },
        { ...req, id: "c" },
      ],
      { bounds: { x0: 0, y0: 0, x1: 100, y1: 100 } },
    );
    expect(placed.map((p) => p.id)).toEqual(["a", "b"]);
    expect(overlappingPairs(placed.map((p) => p.box))).toEqual([]);
  });
  it("a segment crossing a box is seen; one passing beside it is not", () => {
    const b = { x0: 10, y0: 10, x1: 20, y1: 20 };
    expect(segmentHitsBox(0, 0, 30, 30, b)).toBe(true);
    expect(segmentHitsBox(0, 25, 30, 25, b)).toBe(false);
    expect(lineHitsBox({ x: [0, 15, 30], y: [0, 30, 0] }, b)).toBe(true);
  });
  it.each([
    ["threshold -60.4 mV", false],
    ["relative refractory ▶ continues past this trace (105.38 ms)", true],
    ["amplitude 108.9 mV", false],
    ["half-width 0.58 ms", false],
    ["WWMM mmww 0123456789", true],
  ])("the width estimate of %j is at least resvg's DejaVu Sans width", (text, bold) => {
    const b = inkBox(
      `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="40"><text x="0" y="20" font-size="12" font-family="DejaVu Sans"${bold ? ' font-weight="bold"' : ""}>${text}</text></svg>`,
    ) as Box;
    expect(textWidth(text, 12, bold)).toBeGreaterThanOrEqual(b.x1);
  });
});

describe("the text measurement", () => {
  it("sees two texts drawn on each other inside a nested panel, and not two apart", () => {
    const svg = (dy: number) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><svg x="20" y="10"><text x="10" y="30" font-size="12">stimulus on</text><text x="40" y="${30 + dy}" font-size="12">action potential</text></svg></svg>`;
    expect(overlappingPairs(measureTexts(svg(4)).map((t) => t.box))).toEqual([[0, 1]]);
    expect(overlappingPairs(measureTexts(svg(16)).map((t) => t.box))).toEqual([]);
  });
});

describe.each([
  ["the lab's default settings", []],
  ["10 µA/cm²", ["--amplitude", "10"]],
])("the CLI's lab figure at %s", (name, args) => {
  const file = join(dir, `${name.replace(/[^a-z0-9]/gi, "")}.svg`);
  execFileSync(process.execPath, [bin, "analyze", "--svg", file, ...args], { encoding: "utf8" });
  const svg = readFileSync(file, "utf8");
  const texts = measureTexts(svg);
  it("measures every text of the figure", () => expect(texts.length).toBeGreaterThan(60));

  it("has its annotation labels", () => {
    const words = texts.filter((t) => t.isLabel).map((t) => t.text);
    for (const w of ["action potential", "threshold", "peak", "amplitude", "half-width", "absolute refractory", "relative refractory"])
      expect(
        words.some((x) => x.startsWith(w)),
        w,
      ).toBe(true);
  });
  it("no two text boxes overlap (measured by resvg with the bundled font)", () => {
    const pairs = overlappingPairs(texts.map((t) => t.box)).map(([i, j]) => `${texts[i]?.text} × ${texts[j]?.text}`);
    expect(pairs).toEqual([]);
  });
  it("no annotation label lies on a data line", () => {
    const lines = dataLines(svg);
    expect(lines.length).toBeGreaterThanOrEqual(5);
    const hit = texts.filter((t) => t.isLabel && lines.some((l) => lineHitsBox(l, t.box))).map((t) => t.text);
    expect(hit).toEqual([]);
  });
  it("labels every panel's time axis", () => {
    expect(texts.filter((t) => t.text.startsWith("time (ms)")).length).toBeGreaterThanOrEqual(5);
  });
});

describe("the refractory figure (the lab model, dt 0.025 ms, 40 intervals up to 200 ms)", () => {
  const r = refractoryPeriods({ model: "lab", dt_ms: 0.025 });
  const svg = refractoryFigure(svgDocument(), r, "Refractory periods of the lab model");
  const texts = measureTexts(svg);
  it("labels both periods, the cap, the single-pulse threshold and the +5 % criterion", () => {
    const words = texts.filter((t) => t.isLabel).map((t) => t.text);
    for (const w of ["absolute", "relative refractory", "cap", "single pulse from rest", "+5 %"])
      expect(
        words.some((x) => x.startsWith(w)),
        w,
      ).toBe(true);
  });
  it("no two text boxes overlap and no label lies on the curve or a data point", () => {
    expect(overlappingPairs(texts.map((t) => t.box)).map(([i, j]) => `${texts[i]?.text} × ${texts[j]?.text}`)).toEqual([]);
    const lines = dataLines(svg);
    expect(texts.filter((t) => t.isLabel && lines.some((l) => lineHitsBox(l, t.box))).map((t) => t.text)).toEqual([]);
    const dots = dataDots(svg);
    expect(dots.length).toBe(r.intervals_ms.filter((_, i) => r.thresholds_uA_per_cm2[i] !== null).length);
    expect(texts.filter((t) => t.isLabel && dots.some((d) => overlappingPairs([d, t.box]).length)).map((t) => t.text)).toEqual([]);
  });
});
