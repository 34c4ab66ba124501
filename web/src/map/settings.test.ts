import { describe, expect, it } from "vitest";
import { cellAt, colour, H, M, vmaxOf, W } from "../draw/heatmap.js";
import { defaultState, fromQuery } from "../state.js";
import { axisRange, axisTitle, fieldOfMessage, keepAxes, mapGrid } from "./settings.js";

describe("the parameter map's settings", () => {
  it("ranges suit the axis: amplitude 0–15, a conductance 0 to 2×, a potential ±30 mV, Cm ¼ to 2×", () => {
    expect(axisRange("lab", "amplitude")).toEqual([0, 15]);
    expect(axisRange("lab", "gNa")).toEqual([0, 100]);
    expect(axisRange("lab", "ENa")).toEqual([20, 80]);
    expect(axisRange("lab", "Cm")).toEqual([0.25, 2]);
    expect(axisTitle("lab", "gNa")).toBe("gNa (mS/cm²)");
    expect(axisTitle("lab", "amplitude")).toBe("step amplitude (µA/cm²)");
  });

  it("with TTX 50 %, the gNa axis is the conductance the neurons ran with, named as such; the asked values are kept", () => {
    const s = fromQuery("map.x=amplitude&map.x0=0&map.x1=15&map.xn=4&map.y=gNa&map.y0=40&map.y1=120&map.yn=3&ttx=1&ttx.f=0.5");
    const g = mapGrid(s);
    expect(Array.from(g.ys)).toEqual([40, 80, 120]);
    expect(Array.from(g.ranYs)).toEqual([20, 40, 60]);
    expect(g.spec.axes?.[0]?.values).toEqual(Array.from(g.ranYs));
    expect(Array.from(g.ranXs)).toEqual(Array.from(g.xs));
    expect(g.blockedBy).toEqual({ x: "", y: "TTX 50 %" });
    expect(axisTitle("lab", "gNa", g.blockedBy.y)).toBe("effective gNa with TTX 50 % (mS/cm²)");
    // a block on another conductance leaves the axes as asked
    const tea = mapGrid(fromQuery("map.xn=2&map.yn=2&tea=1"));
    expect(tea.blockedBy).toEqual({ x: "", y: "" });
    expect(Array.from(tea.ranYs)).toEqual(Array.from(tea.ys));
  });

  it("a model without the axis gets amplitude × its first conductance, with default ranges", () => {
    const m = { ...defaultState().map, x: "amplitude", y: "gXyz" };
    expect(keepAxes("lab", m)).toEqual(["y"]);
    expect([m.y, m.yFrom, m.yTo]).toEqual(["gNa", 0, 100]);
  });

  it("the grid is the library's sweep spec, checked by the library", () => {
    const s = defaultState();
    s.map = { ...s.map, xCount: 3, yCount: 2 };
    const g = mapGrid(s);
    expect(g.spec.axes?.map((a) => [a.name, a.values.length])).toEqual([
      ["gNa", 2],
      ["amplitude", 3],
    ]);
    s.map.stop = 500;
    expect(() => mapGrid(s)).toThrow(/stop_ms/);
  });

  it("a library message goes to the field it names", () => {
    expect(fieldOfMessage("stimulus.stop_ms must be ≤ duration_ms")).toBe("stop");
    expect(fieldOfMessage("duration_ms must be positive")).toBe("duration");
    expect(fieldOfMessage("dt_ms must be positive")).toBeNull();
  });
});

describe("the heatmap's geometry and colours", () => {
  it("finds the cell under a point (higher y drawn higher) and nothing in the margins", () => {
    expect(cellAt(M.left + 0.5, H - M.bottom - 0.5, 10, 4)).toEqual({ x: 0, y: 0 });
    expect(cellAt(W - M.right - 0.5, M.top + 0.5, 10, 4)).toEqual({ x: 9, y: 3 });
    expect(cellAt(M.left - 1, M.top + 1, 10, 4)).toBeNull();
  });

  it("the colour scale ends at the legend's next round tick; viridis from purple to yellow", () => {
    expect(vmaxOf([0, 37, 12])).toBe(40);
    expect(vmaxOf([0, 0])).toBe(1);
    expect(colour(0)).toEqual([0x44, 0x01, 0x54]);
    expect(colour(1)).toEqual([0xfd, 0xe7, 0x25]);
  });
});
