import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulate } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";

// test/fixtures/nmodl/hay2011/soma-neuron.json: written by scripts/nmodl-neuron.py (NEURON 8.2.2, CVODE atol 1e-10,
// rtol 0) from the same cell file and the same, unchanged .mod files; its provenance is inside it.
const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/nmodl/hay2011/${path}`, import.meta.url));
const ref = JSON.parse(readFileSync(fixture("soma-neuron.json"), "utf8"));
const model = readModelFile(fixture("soma.cell.json"));
const p = ref.protocol;

describe("Hay et al. 2011 somatic channels (8 .mod files + pas, 34 °C; K_Pst's piecewise τ as a conditional) against NEURON over 1 s", () => {
  const r = simulate({
    model,
    parameters: { V0: p.V0_mV },
    stimulus: { amplitude_uA_per_cm2: p.amplitude_uA_per_cm2, start_ms: p.start_ms, stop_ms: p.stop_ms },
    duration_ms: p.duration_ms,
    dt_ms: ref.v_trace_dt_ms,
    method: "rk45",
    rtol: 1e-10,
    atol: 1e-12,
    record: { variables: ["V"] },
  });

  it("fires NEURON's spikes at NEURON's times within 0.01 ms (rk45 at rtol 1e-10 against CVODE at atol 1e-10)", () => {
    expect(ref.spike_times_ms.length).toBeGreaterThan(40);
    expect(r.spikes.t_ms).toHaveLength(ref.spike_times_ms.length);
    const worst = Math.max(...ref.spike_times_ms.map((t: number, k: number) => Math.abs((r.spikes.t_ms[k] as number) - t)));
    expect(worst).toBeLessThan(1e-4); // measured 6.3e-6 ms (the issue asks for 0.01 ms); 53 spikes
  });

  it("follows NEURON's V trace (every 1 ms) within 2e-3 mV RMS", () => {
    const V = r.traces.V?.[0] as Float64Array;
    expect(V).toHaveLength(ref.v_trace_mV.length);
    let ss = 0;
    for (let k = 0; k < V.length; k++) ss += ((V[k] as number) - (ref.v_trace_mV[k] as number)) ** 2;
    expect(Math.sqrt(ss / V.length)).toBeLessThan(2e-3); // measured 5.0e-4 mV RMS (largest sample 1.1e-2 mV, at a spike)
  });
});

// soma-calcium-neuron.json: the same script, the cell with CaDynamics_E2 (cai as a pool), SK_E2 (a cai-gated gate) and
// Nernst eca (NEURON computes it once cai is written), 10 µA/cm²; its provenance is inside it.
describe("Hay et al. 2011 somatic channels with the calcium pool and SK_E2 (9 .mod files + pas, 34 °C) against NEURON over 1 s", () => {
  const ref = JSON.parse(readFileSync(fixture("soma-calcium-neuron.json"), "utf8"));
  const model = readModelFile(fixture("soma-calcium.cell.json"));
  const p = ref.protocol;
  const r = simulate({
    model,
    parameters: { V0: p.V0_mV },
    stimulus: { amplitude_uA_per_cm2: p.amplitude_uA_per_cm2, start_ms: p.start_ms, stop_ms: p.stop_ms },
    duration_ms: p.duration_ms,
    dt_ms: ref.v_trace_dt_ms,
    method: "rk45",
    rtol: 1e-10,
    atol: 1e-12,
    record: { variables: ["V", "cai"] },
  });

  it("imports cai as a pool, the Ca channels with Nernst E", () => {
    expect(model.ions?.ca?.pool?.decay_ms).toBe(460);
    expect(model.channels.filter((c) => c.eRev_mV === "nernst").map((c) => c.name)).toEqual(["Ca_HVA", "Ca_LVAst"]);
  });

  it("fires NEURON's spikes at NEURON's times within 0.01 ms, calcium entering with each", () => {
    expect(ref.spike_times_ms.length).toBe(6);
    expect(r.spikes.t_ms).toHaveLength(ref.spike_times_ms.length);
    const worst = Math.max(...ref.spike_times_ms.map((t: number, k: number) => Math.abs((r.spikes.t_ms[k] as number) - t)));
    expect(worst).toBeLessThan(1e-4); // measured 5.5e-7 ms
    const cai = r.traces.cai?.[0] as Float64Array;
    expect(cai[0]).toBe(5e-5);
    expect(Math.max(...cai)).toBeGreaterThan(1.5e-4); // measured 1.71e-4 mM (sampled every 1 ms)
  });

  it("follows NEURON's V trace (every 1 ms) within 2e-3 mV RMS", () => {
    const V = r.traces.V?.[0] as Float64Array;
    expect(V).toHaveLength(ref.v_trace_mV.length);
    let ss = 0;
    for (let k = 0; k < V.length; k++) ss += ((V[k] as number) - (ref.v_trace_mV[k] as number)) ** 2;
    expect(Math.sqrt(ss / V.length)).toBeLessThan(2e-3); // measured 2.4e-5 mV RMS (largest sample 7.5e-4 mV)
  });
});

// soma-full-neuron.json: the same script, every somatic mechanism of L5PCbiophys3.hoc: the calcium cell above plus
// K_Pst (its piecewise τ a conditional), 10 µA/cm²; its provenance is inside it.
describe("Hay et al. 2011, every somatic mechanism (10 .mod files + pas, 34 °C; K_Pst and calcium) against NEURON over 1 s", () => {
  const ref = JSON.parse(readFileSync(fixture("soma-full-neuron.json"), "utf8"));
  const model = readModelFile(fixture("soma-full.cell.json"));
  const p = ref.protocol;
  const r = simulate({
    model,
    parameters: { V0: p.V0_mV },
    stimulus: { amplitude_uA_per_cm2: p.amplitude_uA_per_cm2, start_ms: p.start_ms, stop_ms: p.stop_ms },
    duration_ms: p.duration_ms,
    dt_ms: ref.v_trace_dt_ms,
    method: "rk45",
    rtol: 1e-10,
    atol: 1e-12,
    record: { variables: ["V"] },
  });

  it("fires NEURON's spikes at NEURON's times within 0.01 ms", () => {
    expect(model.channels.map((c) => c.name)).toContain("K_Pst");
    expect(ref.spike_times_ms.length).toBe(6);
    expect(r.spikes.t_ms).toHaveLength(ref.spike_times_ms.length);
    const worst = Math.max(...ref.spike_times_ms.map((t: number, k: number) => Math.abs((r.spikes.t_ms[k] as number) - t)));
    expect(worst).toBeLessThan(1e-4); // measured 3.2e-7 ms
  });

  it("follows NEURON's V trace (every 1 ms) within 2e-3 mV RMS", () => {
    const V = r.traces.V?.[0] as Float64Array;
    expect(V).toHaveLength(ref.v_trace_mV.length);
    let ss = 0;
    let most = 0;
    for (let k = 0; k < V.length; k++) {
      const d = (V[k] as number) - (ref.v_trace_mV[k] as number);
      ss += d * d;
      most = Math.max(most, Math.abs(d));
    }
    expect(Math.sqrt(ss / V.length)).toBeLessThan(2e-3); // measured 6.4e-7 mV RMS (largest sample 1.3e-5 mV)
    expect(most).toBeLessThan(0.01);
  });
});
