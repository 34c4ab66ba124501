import { describe, expect, it } from "vitest";
import { readModelFile } from "../src/io/modelFile.js";
import { fixturePath, readNeuronFixture, runNeuronProtocol, spikeTimeError_ms, traceError_mV } from "./helpers/neuronFixture.js";

// test/fixtures/nmodl/hay2011/soma-neuron.json: written by scripts/nmodl-neuron.py (NEURON 8.2.2, CVODE atol 1e-10,
// rtol 0) from the same cell file and the same, unchanged .mod files; its provenance is inside it.
const hay = (name: string) => `nmodl/hay2011/${name}`;

describe("Hay et al. 2011 somatic channels (8 .mod files + pas, 34 °C; K_Pst's piecewise τ as a conditional) against NEURON over 1 s", () => {
  const ref = readNeuronFixture(hay("soma-neuron.json"));
  const r = runNeuronProtocol(readModelFile(fixturePath(hay("soma.cell.json"))), ref);

  it("fires NEURON's spikes at NEURON's times within 0.01 ms (rk45 at rtol 1e-10 against CVODE at atol 1e-10)", () => {
    expect(ref.spike_times_ms.length).toBeGreaterThan(40);
    const worst = spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms);
    expect(worst).toBeLessThan(1e-4); // measured 6.3e-6 ms (the issue asks for 0.01 ms); 53 spikes
  });

  it("follows NEURON's V trace (every 1 ms) within 2e-3 mV RMS", () => {
    const e = traceError_mV(r.traces.V?.[0] as Float64Array, ref.v_trace_mV);
    expect(e.rms).toBeLessThan(2e-3); // measured 5.0e-4 mV RMS (largest sample 1.1e-2 mV, at a spike)
  });
});

// soma-calcium-neuron.json: the same script, the cell with CaDynamics_E2 (cai as a pool), SK_E2 (a cai-gated gate) and
// Nernst eca (NEURON computes it once cai is written), 10 µA/cm²; its provenance is inside it.
describe("Hay et al. 2011 somatic channels with the calcium pool and SK_E2 (9 .mod files + pas, 34 °C) against NEURON over 1 s", () => {
  const ref = readNeuronFixture(hay("soma-calcium-neuron.json"));
  const model = readModelFile(fixturePath(hay("soma-calcium.cell.json")));
  const r = runNeuronProtocol(model, ref, { variables: ["V", "cai"] });

  it("imports cai as a pool, the Ca channels with Nernst E", () => {
    expect(model.ions?.ca?.pool?.decay_ms).toBe(460);
    expect(model.channels.filter((c) => c.eRev_mV === "nernst").map((c) => c.name)).toEqual(["Ca_HVA", "Ca_LVAst"]);
  });

  it("fires NEURON's spikes at NEURON's times within 0.01 ms, calcium entering with each", () => {
    expect(ref.spike_times_ms.length).toBe(6);
    const worst = spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms);
    expect(worst).toBeLessThan(1e-4); // measured 5.5e-7 ms
    const cai = r.traces.cai?.[0] as Float64Array;
    expect(cai[0]).toBe(5e-5);
    expect(Math.max(...cai)).toBeGreaterThan(1.5e-4); // measured 1.71e-4 mM (sampled every 1 ms)
  });

  it("follows NEURON's V trace (every 1 ms) within 2e-3 mV RMS", () => {
    const e = traceError_mV(r.traces.V?.[0] as Float64Array, ref.v_trace_mV);
    expect(e.rms).toBeLessThan(2e-3); // measured 2.4e-5 mV RMS (largest sample 7.5e-4 mV)
  });
});

// soma-full-neuron.json: the same script, every somatic mechanism of L5PCbiophys3.hoc: the calcium cell above plus
// K_Pst (its piecewise τ a conditional), 10 µA/cm²; its provenance is inside it.
describe("Hay et al. 2011, every somatic mechanism (10 .mod files + pas, 34 °C; K_Pst and calcium) against NEURON over 1 s", () => {
  const ref = readNeuronFixture(hay("soma-full-neuron.json"));
  const model = readModelFile(fixturePath(hay("soma-full.cell.json")));
  const r = runNeuronProtocol(model, ref);

  it("fires NEURON's spikes at NEURON's times within 0.01 ms", () => {
    expect(model.channels.map((c) => c.name)).toContain("K_Pst");
    expect(ref.spike_times_ms.length).toBe(6);
    const worst = spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms);
    expect(worst).toBeLessThan(1e-4); // measured 3.2e-7 ms
  });

  it("follows NEURON's V trace (every 1 ms) within 2e-3 mV RMS", () => {
    const e = traceError_mV(r.traces.V?.[0] as Float64Array, ref.v_trace_mV);
    expect(e.rms).toBeLessThan(2e-3); // measured 6.4e-7 mV RMS (largest sample 1.3e-5 mV)
    expect(e.max).toBeLessThan(0.01);
  });
});
