import { describe, expect, it } from "vitest";
import { equilibria } from "../src/dynamics/equilibria.js";
import { vectorField } from "../src/dynamics/field.js";
import { phasePlane } from "../src/dynamics/phasePlane.js";
import { hh1952, morrisLecarSnlc } from "../src/index.js";

describe("phase plane of Morris–Lecar (SNLC set) at 30 µA/cm²", () => {
  const field = vectorField(morrisLecarSnlc, { I: 30 });
  const plane = phasePlane(field, { xRange: [-80, 60], yRange: [-0.05, 0.6] });

  it("has the model's three equilibria as fixed points: stable node, saddle, unstable focus", () => {
    const eq = equilibria(field);
    expect(plane.fixedPoints.map((f) => f.type)).toEqual(["stable node", "saddle", "unstable focus"]);
    plane.fixedPoints.forEach((f, k) => {
      expect(f.x).toBeCloseTo(eq[k]?.V_mV as number, 6);
      expect(f.y).toBeCloseTo(eq[k]?.state[1] as number, 8);
    });
  });
  it("lies on the nullclines: dV/dt = 0 on the V-nullcline and dw/dt = 0 on the w-nullcline (to 1e-9 of the field's scale)", () => {
    const f = new Float64Array(2);
    for (const seg of plane.xNullcline)
      for (const p of seg) {
        field.rhs([p.x, p.y], f);
        expect(Math.abs(f[0] as number)).toBeLessThan(1e-9);
      }
    for (const seg of plane.yNullcline)
      for (const p of seg) {
        field.rhs([p.x, p.y], f);
        expect(Math.abs(f[1] as number)).toBeLessThan(1e-9);
      }
  });
  it("separates: a state just right of the saddle's stable manifold fires, just left of it returns to rest", () => {
    const sep = plane.separatrices[0] ?? [];
    const p = sep[Math.min(20, sep.length - 1)] as { x: number; y: number };
    const fate = (dv: number) => {
      const r = phasePlane(field, {
        xRange: [-80, 60],
        yRange: [-0.05, 0.6],
        trajectories: [[p.x + dv, p.y]],
        trajectory_ms: 200,
        grid: 10,
      });
      return Math.max(...(r.trajectories[0] ?? []).map((q) => q.x));
    };
    expect(fate(0.5)).toBeGreaterThan(0);
    expect(fate(-0.5)).toBeLessThan(p.x);
  });
});

describe("a 2-D reduction of hh1952 (V, n; m = m∞(V), h frozen)", () => {
  it("states how the other variables are set, and finds the resting point as a stable fixed point", () => {
    const field = vectorField(hh1952, { I: 0 });
    const plane = phasePlane(field, { x: "V", y: "n", xRange: [-90, 40], yRange: [0, 1], frozen: { h: 0.596 } });
    expect(plane.reduction).toBe("m = m∞(V), h = 0.596 (frozen)");
    const rest = plane.fixedPoints[0];
    expect(rest?.type.startsWith("stable")).toBe(true);
    expect(rest?.x).toBeCloseTo(-65, 0);
  });
  it("rejects an unknown state with the allowed names", () => {
    expect(() => phasePlane(vectorField(hh1952), { y: "q", xRange: [-90, 40], yRange: [0, 1] })).toThrow(
      /y must be another state variable of "hh1952" \(V, m, h, n\); got "q"/,
    );
  });
});
