/**
 * NeuroML's GHK densities (NeuroML2CoreTypes/Cells.xml, NeuroML/NeuroML2 @ ed6b8b7) on OSB's ghk-nernst test cells
 * (test/fixtures/neuroml/ghk-nernst, vendored unchanged): channelDensityGHK and channelDensityGHK2 import as spikelab GHK
 * channels whose current equals Cells.xml's iDensity (written out below in SI, as LEMS evaluates it) at every voltage.
 * The files' <pulseGenerator>, <inputList> and <network> are stripped in memory (stimuli are given to the run; the
 * network's 16.3 °C is passed as celsius), and of ghk2_na_k_ca.nml's two cells the GHK2 one is kept.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { neuromlToModel } from "../src/models/neuroml.js";
import type { NeuronModel } from "../src/models/types.js";
import { stepCurrent } from "../src/stimulus/step.js";
import { membraneSystem } from "../src/system/membrane.js";
import { fixturePath, runNeuronProtocol, spikeTimeError_ms, traceError_mV } from "./helpers/neuronFixture.js";

const text = (name: string) =>
  readFileSync(fixturePath(`neuroml/ghk-nernst/${name}`), "utf8")
    .replace(/<pulseGenerator[^>]*\/>/, "")
    .replace(/<network[\s\S]*?<\/network>/, "");
const CELSIUS = 16.3;
const T = CELSIUS + 273.15;
const VS = Array.from({ length: 81 }, (_, k) => -100.25 + 2 * k);

/** The GHK channel's current (µA/cm², outward) at each V with its gates open (fopen = 1) and the initial cai. */
function ghkCurrents(model: NeuronModel): number[] {
  const n = VS.length;
  const s = membraneSystem({ model, n, stimulus: stepCurrent({ amplitude: 0, start: 0, stop: 1 }, n) });
  const y = s.initialState();
  VS.forEach((v, i) => {
    y[i] = v;
  });
  const gate = s.names.indexOf("p");
  for (let i = 0; i < n; i++) y[gate * n + i] = 1;
  const out = new Float64Array(model.channels.length * n);
  s.channelCurrents(y, out);
  const c = model.channels.findIndex((x) => x.ghk);
  return VS.map((_, i) => out[c * n + i] as number);
}

describe("NeuroML GHK densities (OSB ghk-nernst)", () => {
  it("channelDensityGHK (2.5e-7 m_per_s) is Cells.xml's −P·z·F·K·v·(ci − co·e^(−Kv))/(1 − e^(−Kv)), K = zF/(RT)", () => {
    const model = neuromlToModel([{ name: "ghk_na_k_ca.nml", text: text("ghk_na_k_ca.nml") }], { celsius: CELSIUS });
    expect(model.channels.find((c) => c.ghk)?.ghk).toEqual({
      permeability_cm_per_s: 2.5e-5,
      faraday_C_per_mol: 96485.3,
      gas_constant_J_per_mol_K: 8.3144621,
    });
    const mine = ghkCurrents(model);
    // SI: P m/s, concentrations mol/m³ (= mM), v in V → A/m² (inward positive); 1 A/m² = 100 µA/cm², outward: × −100
    const [P, R, F, z, ci, co] = [2.5e-7, 8.3144621, 96485.3, 2, 5e-6, 2];
    const K = (z * F) / (R * T);
    VS.forEach((vmV, i) => {
      const v = vmV / 1000;
      const e = Math.exp(-K * v);
      const iDensity = (-1 * P * z * F * K * v * (ci - co * e)) / (1 - e);
      expect(Math.abs((mine[i] as number) - -100 * iDensity)).toBeLessThan(1e-12 * Math.abs(100 * iDensity));
    });
  });

  it("channelDensityGHK2 (0.00077 S_per_cm2) is Cells.xml's g·pOpen, tmp = 25·T/(293.15·2), as a GHK current at the import's temperature", () => {
    const two = text("ghk2_na_k_ca.nml").replace(/<cell id="na_k_ca_ghk">[\s\S]*?<\/cell>/, "");
    const model = neuromlToModel([{ name: "ghk2_na_k_ca.nml", text: two }], { celsius: CELSIUS });
    const mine = ghkCurrents(model);
    const sp = /<species[^>]*initialConcentration="([^"]+) mM"[^>]*initialExtConcentration="([^"]+) mM"/.exec(two);
    const ci = Number(sp?.[1]);
    const co = Number(sp?.[2]);
    const g = 0.77; // 0.00077 S/cm² in mS/cm²
    const tmp = (25 * T) / (293.15 * 2);
    VS.forEach((V, i) => {
      const x = V / tmp;
      const pOpen = tmp * 1e-3 * (1 - (ci / co) * Math.exp(x)) * (x / (Math.exp(x) - 1)); // V
      const iDensity = g * pOpen * 1000; // mS/cm² · mV = µA/cm², inward positive
      expect(Math.abs((mine[i] as number) - -iDensity)).toBeLessThan(1e-12 * Math.abs(iDensity));
    });
  });

  // ghk-neuron.json: OSB ghk-nernst's own NEURON version of this cell (its NEURON/*.mod, vendored unchanged) run by
  // make_ghk_neuron.py beside it (NEURON 8.2.2, CVODE atol 1e-10); the file's stimulus (0.005 nA on the 31.4 µm²
  // cylinder, 4–10 ms) given to the run as a density
  it("the GHK cell (channelDensityGHK, a fixedFactor pool) fires OSB's NEURON version's spikes, V and cai", () => {
    const ref = JSON.parse(readFileSync(fixturePath("neuroml/ghk-nernst/ghk-neuron.json"), "utf8"));
    const model = neuromlToModel([{ name: "ghk_na_k_ca.nml", text: text("ghk_na_k_ca.nml") }], { celsius: CELSIUS });
    const r = runNeuronProtocol(model, { protocol: ref.protocol, v_trace_dt_ms: ref.protocol.sample_ms }, { variables: ["V", "cai"] });
    expect(ref.spike_times_ms).toHaveLength(2);
    expect(spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms)).toBeLessThan(1e-5); // measured 1.7e-7 ms
    expect(traceError_mV(r.traces.V?.[0] as Float64Array, ref.v_trace_mV).rms).toBeLessThan(1e-4); // measured 8.7e-7 mV RMS (largest 1.2e-5 mV)
    const C = r.traces.cai?.[0] as Float64Array;
    const cai = Math.max(...ref.cai_trace_mM.map((c: number, k: number) => Math.abs((C[k] as number) - c) / c));
    expect(cai).toBeLessThan(1e-5); // measured 1.3e-7 relative
  });

  it("refuses a GHK density for an ion other than calcium (Cells.xml hard-codes z = 2)", () => {
    const na = text("ghk_na_k_ca.nml").replace('ionChannel="ca_chan" ion="ca"', 'ionChannel="ca_chan" ion="na"');
    expect(() => neuromlToModel([{ name: "ghk_na_k_ca.nml", text: na }], { celsius: CELSIUS })).toThrow(
      /channelDensityGHK.*for ion "na": NeuroML's GHK densities are hard-coded for calcium \(z = 2\)/,
    );
  });
});
