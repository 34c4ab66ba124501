import { describe, expect, it } from "vitest";
import { voltageClamp } from "../../src/experiments/voltageClamp.js";
import { clampCall, testPotentials } from "./clampText.js";

describe("the voltage-clamp panel's helpers", () => {
  it("lists the test potentials as an index times the step, both ends included", () => {
    expect(testPotentials(-60, 60, 20)).toEqual([-60, -40, -20, 0, 20, 40, 60]);
    expect(testPotentials(-0.3, 0.3, 0.1)).toEqual([-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3]);
    expect(testPotentials(10, 0, 5)).toEqual([]);
    expect(testPotentials(-100, 100, 1)).toEqual([]);
  });
  it("writes the library call that gives the panel's numbers", () => {
    const call = clampCall("hh1952", -70, [-20, 0], { gNa: 0 });
    expect(call).toBe('voltageClamp({ model: "hh1952", holding_mV: -70, steps_mV: [-20, 0], parameters: {"gNa":0} })');
    const r = voltageClamp({ model: "hh1952", holding_mV: -70, steps_mV: [-20, 0], parameters: { gNa: 0 } });
    expect(r.peak_uA_per_cm2.Na).toEqual([0, 0]);
  });
});
