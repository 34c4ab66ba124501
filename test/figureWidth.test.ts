import { describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { resolveModel } from "../src/models/index.js";
import { bifurcationFigure } from "../src/plot/bifurcationFigure.js";
import { fitWidth, wrapText } from "../src/plot/compose.js";
import { textWidth } from "../src/plot/labels.js";
import { svgDocument } from "../src/plot/node.js";

describe("figures narrowed to the box they are shown in", () => {
  it("fitWidth keeps the natural width in a wide box, narrows to a small one, never below the minimum", () => {
    expect(fitWidth(920, 1400)).toBe(920);
    expect(fitWidth(920, 358)).toBe(358);
    expect(fitWidth(920, 200)).toBe(320);
    expect(fitWidth(920, 0)).toBe(920); // a hidden box measures 0: the natural width
    expect(fitWidth(920, undefined)).toBe(920);
  });
  it("wrapText breaks at spaces into lines no wider than asked, losing no word", () => {
    const text = "equilibria: stable solid, unstable dashed · cycles (max and min V, 1/period): stable blue, unstable red dashed";
    const lines = wrapText(text, 300, 12);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(textWidth(l, 12)).toBeLessThanOrEqual(300);
    expect(lines.join(" ")).toBe(text);
    expect(wrapText(text, 5000, 12)).toEqual([text]);
  });
  it("the bifurcation figure is as wide as asked, and its default stays 920 px", () => {
    const doc = svgDocument();
    const diagram = bifurcationDiagram(resolveModel("lab"), { from: 0, to: 20 });
    const width = (svg: string) => Number(/<svg[^>]*\swidth="(\d+)"/.exec(svg)?.[1]);
    expect(width(bifurcationFigure(doc, { diagram, title: "t" }))).toBe(920);
    expect(width(bifurcationFigure(doc, { diagram, title: "t", width: 358 }))).toBe(358);
  });
});
