/**
 * Hay et al. 2011's soma with its calcium pool (CaDynamics_E2: decay 460 ms, gamma 0.000501, minCai 1e-4 mM), Nernst Ca
 * channels and SK_E2 gated by cai, from the NMODL fixtures (test/fixtures/nmodl/hay2011, imported from the .mod files):
 * the dynamics' rest state, cai a state of the field, is where a long simulation of the same model comes to rest.
 */
import { describe, expect, it } from "vitest";
import { equilibria } from "../src/dynamics/equilibria.js";
import { vectorField } from "../src/dynamics/field.js";
import { integrateField, orbitBySimulation } from "../src/dynamics/orbit.js";
import { simulate } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";
import { tightSpikeTimes } from "./helpers/tightRun.js";

const fixture = (name: string) => readModelFile(new URL(`./fixtures/nmodl/hay2011/${name}`, import.meta.url).pathname);

describe.each([
  ["soma-calcium.cell.json (no K_Pst)", "soma-calcium.cell.json"],
  ["soma-full.cell.json (all 11 mechanisms + pas)", "soma-full.cell.json"],
])("Hay et al. 2011 soma, %s", (_name, file) => {
  const model = fixture(file);
  it("the rest equilibrium (V and cai) equals the end of a 30 s simulation at 0 µA/cm²", () => {
    const field = vectorField(model, { I: 0 });
    expect(field.names[field.n - 1]).toBe("cai");
    const rest = equilibria(field)[0];
    expect(rest?.stable).toBe(true);
    const r = simulate({
      model,
      stimulus: { amplitude_uA_per_cm2: 0, start_ms: 0, stop_ms: 1 },
      duration_ms: 30_000,
      dt_ms: 10,
      method: "rk45",
      rtol: 1e-10,
      atol: 1e-12,
      record: { variables: ["V", "cai"] },
    });
    const V = r.traces.V?.[0] as Float64Array;
    const cai = r.traces.cai?.[0] as Float64Array;
    const state = rest?.state as Float64Array;
    // measured: |ΔV| 3.5e-12 and 1.0e-12 mV, cai relative 1.1e-13 and 1.4e-13 (the slowest eigenvalue −5.5e-4/ms: 30 s ≈ 17 τ)
    expect(Math.abs((state[0] as number) - (V[V.length - 1] as number))).toBeLessThan(1e-9);
    expect(Math.abs((state[field.n - 1] as number) / (cai[cai.length - 1] as number) - 1)).toBeLessThan(1e-10);
    // cai at rest is above minCai (1.00016e-4 mM: the window Ca current feeds the pool), so a held cai would fail the line above
    expect((state[field.n - 1] as number) / 1e-4 - 1).toBeGreaterThan(1e-5);
  }, 60_000);
});

describe("Hay et al. 2011 soma (soma.cell.json): a periodic orbit by simulation, through the stiff spike", () => {
  const model = fixture("soma.cell.json");
  const rest = equilibria(vectorField(model, { I: 0 }))[0]?.state as Float64Array;
  // the diagram's search point: 0.18 µA/cm² above the saddle-node at 3.189
  const I = 3.3702;
  const field = vectorField(model, { I });

  it("is stiff at the spike: fixed-step RK4 at dt 0.01 ms (|hλ| 3.77 > 2.785) gives NaN, at 0.005 ms it does not", () => {
    // the eigenvalue −377/ms at the peak is −Σg/Cm of the V equation (gNaTa_t 2.04 S/cm²), not a singular rate
    expect(integrateField(field, Float64Array.from(rest), 30, 0.01)[0]).toBeNaN();
    expect(integrateField(field, Float64Array.from(rest), 30, 0.005)[0]).toBeCloseTo(-82.8715, 3);
  });

  it("orbitBySimulation (adaptive rk45) finds tonic firing whose period is the simulator's interspike interval after the same 500 ms", () => {
    const o = orbitBySimulation(field, Float64Array.from(rest));
    expect(o?.spikes).toBe(1);
    const t = tightSpikeTimes(model, I, 540, rest[0] as number);
    const k = t.findIndex((x) => x > 500);
    // measured: 15.561604 ms, relative difference 5.7e-8
    expect(o?.period_ms).toBeCloseTo(15.5616, 3);
    expect(Math.abs(((t[k + 1] as number) - (t[k] as number)) / (o?.period_ms as number) - 1)).toBeLessThan(1e-6);
  }, 60_000);
});
