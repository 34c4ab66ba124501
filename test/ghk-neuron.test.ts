import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simulate } from "../src/index.js";
import { readModelFile } from "../src/io/modelFile.js";
import { fixturePath, runNeuronProtocol, spikeTimeError_ms, traceError_mV } from "./helpers/neuronFixture.js";

// test/fixtures/nmodl/ghk/hh-cachan-neuron.json: written by make_cachan_neuron.py beside it (NEURON 8.2.2, CVODE atol
// 1e-10, rtol 0) from the same cell file and the same, unchanged .mod files; its provenance is inside it.
const fixture = (path: string) => fixturePath(`nmodl/ghk/${path}`);
const ref = JSON.parse(readFileSync(fixture("hh-cachan-neuron.json"), "utf8"));
const model = readModelFile(fixture("hh-cachan.cell.json"));
const p = ref.protocol;

describe("NEURON's hh + cachan.mod (a GHK calcium current, P·oca²·ghk(v, cai, cao)) against NEURON over 200 ms", () => {
  // the fixture samples V every protocol.sample_ms
  const protocol = { protocol: p, v_trace_dt_ms: p.sample_ms };
  const r = runNeuronProtocol(model, protocol);

  it("reads cachan as a GHK channel with the file's permeability and NEURON's ion concentrations", () => {
    const c = model.channels.find((x) => x.ghk);
    expect(c?.ghk?.permeability_cm_per_s).toBe(2e-5);
    expect(model.ions?.ca).toMatchObject({ charge: 2, inside_mM: ref.cai_mM, outside_mM: ref.cao_mM });
  });

  it("fires NEURON's spikes at NEURON's times (rk45 at rtol 1e-10 against CVODE at atol 1e-10)", () => {
    expect(ref.spike_times_ms.length).toBeGreaterThan(5);
    const worst = spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms);
    console.log(`GHK vs NEURON: ${ref.spike_times_ms.length} spikes, worst time difference ${worst.toExponential(2)} ms`);
    expect(worst).toBeLessThan(1e-5); // measured 4.0e-7 ms, 11 spikes
  });

  it("needs the GHK current to match: without it (Pcachan = 0) the spikes move by more than 0.1 ms", () => {
    const off = runNeuronProtocol(model, protocol, { parameters: { Pcachan: 0 } });
    const n = Math.min(off.spikes.t_ms.length, ref.spike_times_ms.length);
    const moved = Math.max(...Array.from({ length: n }, (_, k) => Math.abs((off.spikes.t_ms[k] as number) - ref.spike_times_ms[k])));
    console.log(`without the GHK current: ${off.spikes.t_ms.length} spikes, moved by up to ${moved.toFixed(3)} ms`);
    expect(moved).toBeGreaterThan(0.1);
  });

  // the fixed-step methods whose V step linearizes the GHK current (its exact dI/dV) converge to NEURON at first order:
  // measured at dt 0.01/0.005 ms, worst spike-time error 0.265/0.132 ms (backward-euler), 0.753/0.377 ms (exp-euler)
  it.each(["backward-euler", "exp-euler"])("%s (GHK linearized by dI/dV) converges to NEURON's spike times at first order", (method) => {
    const worst = (dt: number) => {
      const r = simulate({
        model,
        parameters: { V0: p.V0_mV },
        stimulus: { amplitude_uA_per_cm2: p.amplitude_uA_per_cm2, start_ms: p.start_ms, stop_ms: p.stop_ms },
        duration_ms: p.duration_ms,
        dt_ms: dt,
        method,
      });
      return spikeTimeError_ms(r.spikes.t_ms, ref.spike_times_ms);
    };
    const e1 = worst(0.01);
    const e2 = worst(0.005);
    expect(e1).toBeLessThan(1);
    expect(e2 / e1).toBeGreaterThan(0.45);
    expect(e2 / e1).toBeLessThan(0.55);
  });

  it("follows NEURON's V trace (every 0.5 ms)", () => {
    const { rms, max: big } = traceError_mV(r.traces.V?.[0] as Float64Array, ref.v_trace_mV);
    console.log(`GHK vs NEURON: V RMS ${rms.toExponential(2)} mV, largest ${big.toExponential(2)} mV`);
    expect(rms).toBeLessThan(1e-4); // measured 1.2e-6 mV RMS (largest sample 1.1e-5 mV)
  });
});
