import { describe, expect, it } from "vitest";
import { figureToSvg } from "./figure.js";

describe("figures as SVG", () => {
  it("an SVG carries the title, axis labels with units, the legend and the peak of a spike in a long trace", () => {
    const n = 100_000;
    const x = Float64Array.from({ length: n }, (_, i) => i * 0.01);
    const y = new Float64Array(n).fill(-65);
    y[54_321] = 48; // one sample: min/max decimation must keep it
    const svg = figureToSvg(
      { title: "Membrane potential", xLabel: "t (ms)", yLabel: "V (mV)", series: [{ label: "V", unit: "mV", color: "#1f5fbf" }] },
      { x, ys: [y] },
      800,
      300,
    );
    for (const text of ["Membrane potential", "t (ms)", "V (mV)", ">V<"]) expect(svg).toContain(text);
    const path = /<path d="([^"]+)"/.exec(svg)?.[1] ?? "";
    const ys = [...path.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    // the 48 mV sample survives: it is the highest point, 5 % of the padded range (−70.65…53.65 mV) below the top (y = 40, height 186)
    expect(Math.min(...ys)).toBeCloseTo(40 + (186 * 0.05) / 1.1, 0);
    expect(path.length).toBeLessThan(60_000); // decimated to a few points per pixel column, not 100,000
    expect(svg).not.toContain("NaN");
  });
});
