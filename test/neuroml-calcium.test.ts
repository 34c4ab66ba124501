/**
 * NeuroML calcium: a one-segment cell whose <species ion="ca"> has NeuroML's standard pool
 * (decayingPoolConcentrationModel or fixedFactorConcentrationModel) imports as a spikelab ion pool; its
 * channelDensityNernst becomes a Nernst channel of that pool. The cell is Pospischil et al.'s IT test cell
 * (test/fixtures/neuroml/PospischilEtAl2008, vendored) with its custom pool replaced by a standard one.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { neuromlToModel } from "../src/models/neuroml.js";
import { simulate } from "../src/simulate.js";

const path = (name: string) => fileURLToPath(new URL(`./fixtures/neuroml/${name}`, import.meta.url));
const doc = (name: string) => ({ name, text: readFileSync(path(name), "utf8") });
const CELL = "PospischilEtAl2008/channels/IT/IT.nernstCa.test.cell.nml";
const pool = (element: string) => ({
  name: "pool.nml",
  text: `<neuroml xmlns="http://www.neuroml.org/schema/neuroml2" id="pool">${element}</neuroml>`,
});
const cell = () => {
  const d = doc(CELL);
  return { ...d, text: d.text.replace('concentrationModel="CaPoolModel"', 'concentrationModel="CaStd"') };
};

describe("a NeuroML cell with a standard calcium pool", () => {
  it("decayingPoolConcentrationModel: k from the shell of shellThickness under a sphere of the segment's area (Cells.xml)", () => {
    const model = neuromlToModel([
      doc("PospischilEtAl2008/channels/IT/IT.channel.nml"),
      pool('<decayingPoolConcentrationModel id="CaStd" restingConc="2.4e-4 mM" decayConstant="5 ms" ion="ca" shellThickness="1 um"/>'),
      cell(),
    ]);
    const ca = model.ions?.ca;
    expect(ca).toMatchObject({ charge: 2, inside_mM: 2.4e-4, outside_mM: 2 });
    expect(ca?.pool).toMatchObject({ decay_ms: 5, resting_mM: 2.4e-4 });
    // Cells.xml, in SI: A = 4·r²·3.14159265 (the 96 µm sphere), R = √(A/(4·3.14159)), V = 4·3.14159/3·(R³ − (R − d)³),
    // dC/dt = iCa/(2·F·V) with F = 96485.3: per µA/cm² (10⁻² A/m²) and per ms (10⁻³ s) of inward current density
    const r = 48e-6;
    const A = 4 * r * r * 3.14159265;
    const R = Math.sqrt(A / (4 * 3.14159));
    const V = (4 * 3.14159 * (R ** 3 - (R - 1e-6) ** 3)) / 3;
    const k = ((A / V) * 1e-2 * 1e-3) / (2 * 96485.3);
    expect(ca?.pool?.rho_mM_cm2_per_uA_ms).toBeCloseTo(k, 15);
    // a thin shell: k ≈ 10/(2·F·d_µm), here 2.1 % more (d/R = 1/48)
    expect((ca?.pool?.rho_mM_cm2_per_uA_ms as number) / (10 / (2 * 96485.3 * 1))).toBeCloseTo(1.021, 3);
    expect(model.channels.map((c) => [c.name, c.eRev_mV, c.ion])).toEqual([["Ca", "nernst", "ca"]]);
  });

  it("fixedFactorConcentrationModel: rho in mol/(m·A·s) becomes mM/ms per µA/cm² (× 1e-5)", () => {
    const model = neuromlToModel([
      doc("PospischilEtAl2008/channels/IT/IT.channel.nml"),
      pool(
        '<fixedFactorConcentrationModel id="CaStd" restingConc="2.4e-4 mM" decayConstant="5 ms" ion="ca" rho="0.052 mol_per_m_per_A_per_s"/>',
      ),
      cell(),
    ]);
    expect(model.ions?.ca?.pool?.rho_mM_cm2_per_uA_ms).toBe(5.2e-7);
  });

  it("runs: the T current's calcium fills the pool on a rebound from hyperpolarisation", () => {
    const model = neuromlToModel([
      doc("PospischilEtAl2008/channels/IT/IT.channel.nml"),
      pool('<decayingPoolConcentrationModel id="CaStd" restingConc="2.4e-4 mM" decayConstant="5 ms" ion="ca" shellThickness="1 um"/>'),
      cell(),
    ]);
    const r = simulate({
      model,
      stimulus: { amplitude_uA_per_cm2: 0.5, start_ms: 10, stop_ms: 60 },
      duration_ms: 80,
      dt_ms: 0.025,
      method: "exp-euler",
      record: { variables: ["V", "cai"] },
    });
    const cai = r.traces.cai?.[0] as Float64Array;
    expect(cai[0]).toBe(2.4e-4);
    expect(Math.max(...cai)).toBeGreaterThan(2 * 2.4e-4);
  });

  it("a custom LEMS pool (Pospischil's decayingPoolConcentrationModelPosp) is read from its TimeDerivative: k = 10/(2·F·depth_µm)", () => {
    const model = neuromlToModel([
      doc("PospischilEtAl2008/channels/IT/IT.channel.nml"),
      doc("PospischilEtAl2008/channels/Ca/Ca.nml"),
      doc(CELL),
    ]);
    const ca = model.ions?.ca;
    // (iCa/surfaceArea)/(2·FARADAY·depth) + (restingConc − C)/decayConstant, FARADAY 96485.3, depth 1 µm; OnStart: C = restingConc
    expect(ca?.pool?.rho_mM_cm2_per_uA_ms).toBeCloseTo(10 / (2 * 96485.3 * 1), 15);
    expect(ca?.pool?.decay_ms).toBeCloseTo(5, 12);
    expect(ca?.pool?.resting_mM).toBeCloseTo(2.4e-4, 15);
    expect(ca?.inside_mM).toBe(2.4e-4);
  });
});
