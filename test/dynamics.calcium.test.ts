/**
 * Ion concentrations in the dynamics: a model with a calcium pool, a cai-gated channel and (in a variant) a Nernst
 * channel. The dynamics hold each concentration at its initial value (field.ts) and say so (`held`, the diagram's
 * assumptions, the phase plane's reduction); with the pool at that value the field is the simulator's right-hand side.
 */
import { describe, expect, it } from "vitest";
import { bifurcationDiagram } from "../src/dynamics/diagram.js";
import { vectorField } from "../src/dynamics/field.js";
import { phasePlane } from "../src/dynamics/phasePlane.js";
import { membraneSystem, stepCurrent } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";
import type { NeuronModel } from "../src/models/types.js";

const sk = readModelFile(new URL("./fixtures/models/calcium-sk.json", import.meta.url).pathname);
const nernst: NeuronModel = {
  ...sk,
  name: "calcium-sk-nernst",
  channels: sk.channels.map((c) => (c.name === "CaHVA" ? { ...c, eRev_mV: "nernst" as const } : c)),
};
const HELD = "cai held at 0.00005 mM (its pool's initial value: the pool is not a state here)";

describe.each([
  ["calcium-sk (cai-gated SK, a cai pool)", sk],
  ["its variant with a Nernst calcium channel", nernst],
])("%s", (_name, model) => {
  it("the field is the simulator's right-hand side with the pool at its initial concentration, at 20 states", () => {
    const I = 2.5;
    const field = vectorField(model, { I });
    const sys = membraneSystem({ model, n: 1, stimulus: stepCurrent({ amplitude: I, start: 0, stop: 1e9 }, 1) });
    expect(sys.names.slice(0, field.n)).toEqual(field.names);
    expect(sys.names[field.n]).toBe("cai");
    const a = new Float64Array(field.n);
    const b = new Float64Array(field.n + 1);
    for (let k = 0; k < 20; k++) {
      const x = Float64Array.from({ length: field.n }, (_, i) => (i === 0 ? -90 + 7 * k : (0.05 * (k + i)) % 1));
      field.rhs(x, a);
      sys.derivatives(1, Float64Array.from([...x, 5e-5]), b);
      for (let i = 0; i < field.n; i++) expect(a[i]).toBeCloseTo(b[i] as number, 10);
    }
  });
  it("its Jacobian (the cai-gated gate's dz∞/dV is 0 at held cai) equals central differences of the field to 1e-6", () => {
    const field = vectorField(model, { I: 1 });
    const n = field.n;
    const x = field.steadyState(-40);
    const J = new Float64Array(n * n);
    field.jacobian(x, J);
    const fp = new Float64Array(n);
    const fm = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const h = j === 0 ? 1e-4 : 1e-6;
      const xp = x.slice();
      const xm = x.slice();
      xp[j] = (xp[j] as number) + h;
      xm[j] = (xm[j] as number) - h;
      field.rhs(xp, fp);
      field.rhs(xm, fm);
      for (let i = 0; i < n; i++) {
        const fd = ((fp[i] as number) - (fm[i] as number)) / (2 * h);
        expect(Math.abs(fd - (J[i * n + j] as number))).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
      }
    }
  });
  it("the diagram and the phase plane state that cai is held", () => {
    const field = vectorField(model, { I: 1 });
    expect(field.held).toEqual([HELD]);
    const d = bifurcationDiagram(model, { from: 0, to: 5 });
    expect(d.assumptions).toEqual([HELD]);
    expect(d.equilibria.points.length).toBeGreaterThan(2);
    const p = phasePlane(field, { x: "V", y: "n", xRange: [-90, 40], yRange: [0, 1], grid: 40, arrows: 5 });
    expect(p.reduction).toContain(HELD);
  }, 60_000);
});
