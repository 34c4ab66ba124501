import { describe, expect, it } from "vitest";
import { familyColor } from "./familyColor.js";

describe("familyColor: a viridis-like ramp over a family of traces", () => {
  it("starts dark blue, ends yellow-green, and passes the teal stop halfway", () => {
    expect(familyColor(0, 5)).toBe("rgb(68,1,84)");
    expect(familyColor(4, 5)).toBe("rgb(190,210,40)");
    expect(familyColor(2, 5)).toBe("rgb(33,145,140)");
    expect(familyColor(1, 3)).toBe("rgb(33,145,140)");
  });
  it("interpolates between stops and gives a lone trace the first colour", () => {
    // k 1 of 9: a quarter of the way is stop 1 (u = 0.5): halfway between stops 0 and 1
    expect(familyColor(1, 9)).toBe("rgb(64,42,112)");
    expect(familyColor(0, 1)).toBe("rgb(68,1,84)");
  });
});
