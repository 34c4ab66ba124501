import { describe, expect, it } from "vitest";
import { alignCurves, legendText, type Pin, pinsToCsv, pinsToJson, settingsOf, uniqueLabels } from "./compareText.js";
import { defaultState, fromQuery } from "./state.js";

describe("the legend of a pinned curve", () => {
  it("names each setting that differs from the lab's defaults, with its unit", () => {
    expect(legendText("trace", settingsOf("trace", fromQuery("p.gNa=40&amp=5")))).toBe("gNa 40 mS/cm², 5 µA/cm²");
    expect(legendText("trace", settingsOf("trace", fromQuery("method=rk4&dt=0.01&model=hh1952")))).toBe("hh1952, rk4, dt 0.01 ms");
  });
  it("says lab defaults when nothing differs", () => {
    expect(legendText("trace", settingsOf("trace", defaultState()))).toBe("lab defaults");
    expect(legendText("fi", settingsOf("fi", defaultState()))).toBe("lab defaults");
  });
  it("leaves the live lab's amplitude out of an f–I curve's legend (it is the x axis) but names its window", () => {
    expect(legendText("fi", settingsOf("fi", fromQuery("amp=7&fi.start=20&fi.stop=120&p.gK=20")))).toBe("gK 20 mS/cm², step [20, 120) ms");
  });
  it("numbers repeated labels so every legend entry is unique", () => {
    expect(uniqueLabels(["lab defaults", "gNa 40 mS/cm²", "lab defaults", "lab defaults"])).toEqual([
      "lab defaults",
      "gNa 40 mS/cm²",
      "lab defaults (2)",
      "lab defaults (3)",
    ]);
  });
});

describe("curves on one x grid", () => {
  it("keeps curves that share their x grid as they are", () => {
    const r = alignCurves([
      { x: [0, 1, 2], y: [1, 2, 3] },
      { x: [0, 1, 2], y: [4, 5, 6] },
    ]);
    expect(Array.from(r.x)).toEqual([0, 1, 2]);
    expect(r.ys.map((y) => Array.from(y))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
  it("puts different grids on their union, interpolating each curve on its own polyline and NaN outside its range", () => {
    const r = alignCurves([
      { x: [0, 2, 4], y: [0, 20, 40] },
      { x: [1, 2, 3], y: [5, 6, 7] },
    ]);
    expect(Array.from(r.x)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(r.ys[0] as Float64Array)).toEqual([0, 10, 20, 30, 40]);
    expect(Array.from(r.ys[1] as Float64Array)).toEqual([Number.NaN, 5, 6, 7, Number.NaN]);
  });
});

describe("the pinned set's exports", () => {
  const pin = (label: string, params: Record<string, number>, y: number[]): Pin => ({
    kind: "fi",
    settings: { ...settingsOf("fi", defaultState()), params },
    label,
    command: "spikelab fi",
    x: Float64Array.of(0, 5),
    y: Float64Array.from(y),
    rate: Float64Array.from(y.map((v) => v * 10)),
  });
  const pins = [pin("lab defaults", {}, [0, 23]), pin("gNa 40 mS/cm², x", { gNa: 40 }, [0, 20])];
  it("writes CSV rows with each curve's settings and quotes a legend holding a comma", () => {
    const lines = pinsToCsv("fi", pins).trim().split("\n");
    expect(lines[0]).toBe("curve,label,model,parameters,method,dt_ms,amplitude_uA_per_cm2,spike_count,rate_Hz");
    expect(lines[2]).toBe("1,lab defaults,lab,,euler,0.025,5,23,230");
    expect(lines[4]).toBe('2,"gNa 40 mS/cm², x",lab,gNa=40,euler,0.025,5,20,200');
  });
  it("writes JSON with each curve's settings, command and data", () => {
    const j = JSON.parse(pinsToJson("fi", pins));
    expect(j.curves[1]).toMatchObject({ label: "gNa 40 mS/cm², x", parameters: { gNa: 40 }, spike_counts: [0, 20], rates_Hz: [0, 200] });
    expect(j.curves[1].start_ms).toBe(50);
  });
});
