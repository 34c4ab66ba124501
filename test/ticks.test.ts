import { describe, expect, it } from "vitest";
import { niceTicks } from "../src/plot/ticks.js";

describe("niceTicks (the web app's one tick rule)", () => {
  it("ticks are round numbers covering the range", () => {
    expect(niceTicks(0, 50)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(niceTicks(-80, 50, 5)).toEqual([-80, -60, -40, -20, 0, 20, 40]);
    expect(niceTicks(0.001, 0.0095, 4)).toEqual([0.002, 0.004, 0.006, 0.008]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("each tick is k·step, not a running sum: a long axis of 0.1 steps ends on 10 exactly", () => {
    const t = niceTicks(0, 10, 100);
    expect(t.length).toBe(101);
    expect(t[3]).toBe(0.3);
    expect(t[t.length - 1]).toBe(10);
  });

  it("an empty or non-finite range has one tick or none", () => {
    expect(niceTicks(2, 2)).toEqual([2]);
    expect(niceTicks(0, Number.NaN)).toEqual([]);
  });
});
