import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtinModels, fiCurve, linspace, membraneSystem, modelParameters, noStimulus, simulate, spikeTimesOf } from "../src/index.js";

/** Onset of repetitive firing: the first amplitude of a sweep that fires ≥ 2 spikes in a long window, and its rate. */
const onset = (model: string, from: number, to: number, steps: number, duration_ms: number, dt_ms: number) => {
  const f = fiCurve({ model, amplitudes: linspace(from, to, steps), start_ms: 0, stop_ms: duration_ms, duration_ms, dt_ms });
  const i = f.spike_counts.findIndex((c) => c >= 2);
  return { amplitude: f.amplitudes_uA_per_cm2[i] as number, rate_Hz: f.rates_Hz[i] as number, previous: f.spike_counts[i - 1] as number };
};

describe("the built-in library", () => {
  it("every built-in has provenance, a resting state that is a fixed point, and finite rates", () => {
    for (const [name, m] of Object.entries(builtinModels)) {
      expect(m.source.length, name).toBeGreaterThan(40);
      const s = membraneSystem({ model: m, n: 1, stimulus: noStimulus });
      const y = s.initialState();
      const dy = new Float64Array(y.length);
      s.derivatives(0, y, dy);
      if (m.v0_mV === "rest") expect(Math.abs(dy[0] as number), `${name} dV/dt at rest`).toBeLessThan(1e-9);
      for (const x of dy) expect(Number.isFinite(x), name).toBe(true);
    }
  });

  // Börgers (2017) ch. 5 gives the RTM neuron's threshold drive as I_c ≈ 0.12 µA/cm² (the number too).
  it("traub-miles starts firing near 0.12 µA/cm², at near-zero frequency (type I)", () => {
    const o = onset("traub-miles", 0.1, 0.14, 9, 2000, 0.02);
    expect(o.amplitude).toBeGreaterThanOrEqual(0.11); // measured: 0.12
    expect(o.amplitude).toBeLessThanOrEqual(0.13);
    expect(o.previous).toBeLessThanOrEqual(1);
    expect(o.rate_Hz).toBeLessThan(5); // measured: 1 Hz
  });

  // Peer: Brian2 2.5.1 running its own example's equations (test/fixtures/make-wang-buzsaki-brian2.py).
  // Forward Euler's ISI error is first order in dt (10.116, 9.968, 9.896, 9.853 ms at dt 0.01, 0.005, 0.0025,
  // 0.001 ms), so the test compares the Richardson extrapolation 2·ISI(dt/2) − ISI(dt) to dt → 0.
  it("wang-buzsaki at 2 µA/cm² fires with Brian2's steady interspike interval (9.825 ms) to 0.1 %", () => {
    const ref = JSON.parse(readFileSync(new URL("./fixtures/wang-buzsaki-brian2.json", import.meta.url), "utf8"));
    const isi = (dt_ms: number) => {
      const r = simulate({
        model: "wang-buzsaki",
        stimulus: { amplitude_uA_per_cm2: ref.amplitude_uA_per_cm2, start_ms: 0, stop_ms: 300 },
        duration_ms: 300,
        dt_ms,
        record: { variables: [] },
      });
      const t = Array.from(spikeTimesOf(r.spikes, 0));
      return (t.at(-1)! - t.at(-6)!) / 5;
    };
    const extrapolated = 2 * isi(0.001) - isi(0.002);
    expect(Math.abs(extrapolated - ref.steady_isi_ms) / ref.steady_isi_ms).toBeLessThan(0.001); // measured: 9.8244 ms, 0.006 %
  });

  // Peers: the initial state both davrot/pytutorial (V −68.0, a 0.540, b 0.289, n 0.156, m 0.010, h 0.966) and a
  // MATLAB course implementation (V −67.97) give for the Connor–Stevens resting state.
  it("connor-stevens rests at −67.98 mV with the A-current gates its peers start from", () => {
    const p = modelParameters(builtinModels["connor-stevens"]!);
    const s = membraneSystem({ model: builtinModels["connor-stevens"]!, n: 1, stimulus: noStimulus });
    const y = s.initialState();
    const at = (name: string) => y[s.names.indexOf(name)] as number;
    expect(p.find((x) => x.name === "V0")!.value).toBeCloseTo(-67.97, 1);
    expect(at("a")).toBeCloseTo(0.54, 2);
    expect(at("b")).toBeCloseTo(0.289, 3);
    expect(at("n")).toBeCloseTo(0.156, 3);
    expect(at("m")).toBeCloseTo(0.01, 3);
    expect(at("h")).toBeCloseTo(0.966, 3);
  });

  it("connor-stevens is type I: it fires at low rates just above its onset", () => {
    const o = onset("connor-stevens", 8, 9, 11, 2000, 0.02);
    expect(o.rate_Hz).toBeLessThan(12); // measured onset 8.5 µA/cm² at 9.5 Hz, vs ≈ 50 Hz for hh1952
  });

  // Ermentrout & Terman (2010) ch. 3: with the SNLC set, the saddle-node on the invariant circle is at I ≈ 40 µA/cm².
  it("morris-lecar-snlc starts firing near 40 µA/cm², at near-zero frequency (class I)", () => {
    const o = onset("morris-lecar-snlc", 38, 42, 17, 4000, 0.05);
    expect(o.amplitude).toBeGreaterThanOrEqual(39.5); // measured: 40.0
    expect(o.amplitude).toBeLessThanOrEqual(40.5);
    expect(o.rate_Hz).toBeLessThan(3);
  });

  it("morris-lecar (Hopf set) is class II: firing starts between 85 and 100 µA/cm² at a clearly non-zero rate", () => {
    const o = onset("morris-lecar", 80, 100, 21, 4000, 0.05);
    expect(o.amplitude).toBeGreaterThan(85); // measured: 89
    expect(o.amplitude).toBeLessThan(100);
    expect(o.rate_Hz).toBeGreaterThan(8); // measured ≈ 10 Hz
  });

  it("a model constant is a parameter: φ of morris-lecar speeds w (one value per run)", () => {
    const run = (phi: number) =>
      simulate({
        model: "morris-lecar",
        parameters: { phi },
        stimulus: { amplitude_uA_per_cm2: 100, start_ms: 0, stop_ms: 1000 },
        duration_ms: 1000,
        dt_ms: 0.05,
        record: { variables: [] },
      }).spikes.count[0] as number;
    expect(run(0.06)).toBeGreaterThan(run(0.04));
    expect(() =>
      simulate({ model: "morris-lecar", parameters: { phi: [0.04, 0.05] }, duration_ms: 1, dt_ms: 0.05, record: { variables: [] } }),
    ).toThrow("parameter phi (a model constant) must be one value for all neurons of a run");
  });

  it("instantaneous gates are not state variables; x∞/τ gates report α = x∞/τ and β = (1 − x∞)/τ", () => {
    const s = membraneSystem({ model: builtinModels["morris-lecar"]!, n: 1, stimulus: noStimulus });
    expect(s.names).toEqual(["V", "w"]);
    const y = Float64Array.of(-20, 0.3);
    const a = new Float64Array(1);
    const b = new Float64Array(1);
    s.gateRates(y, a, b);
    const winf = 0.5 * (1 + Math.tanh((-20 - 2) / 30));
    const tau = 1 / (0.04 * Math.cosh((-20 - 2) / 60));
    expect(a[0]).toBeCloseTo(winf / tau, 14);
    expect(b[0]).toBeCloseTo((1 - winf) / tau, 14);
    const dy = new Float64Array(2);
    s.derivatives(0, y, dy);
    expect(dy[1]).toBeCloseTo((a[0] as number) * (1 - 0.3) - (b[0] as number) * 0.3, 14);
  });

  it('"rest" follows the neuron\'s own parameters: each neuron of a gL batch starts at its own resting potential', () => {
    const s = membraneSystem({ model: builtinModels["traub-miles"]!, n: 2, stimulus: noStimulus, parameters: { gL: [0.1, 0.5] } });
    const y = s.initialState();
    const dy = new Float64Array(y.length);
    s.derivatives(0, y, dy);
    expect(y[0]).not.toBe(y[1]);
    expect(Math.abs(dy[0] as number)).toBeLessThan(1e-9);
    expect(Math.abs(dy[1] as number)).toBeLessThan(1e-9);
  });
});
