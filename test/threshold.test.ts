import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { actionPotentials, firingPattern } from "../src/analysis/index.js";
import { fiCurve } from "../src/experiments/fi.js";
import { rheobase } from "../src/experiments/rheobase.js";
import { builtinModels, recordableVariables } from "../src/models/index.js";
import { simulate } from "../src/simulate.js";

/** One run with every variable recorded, its APs measured with and without removing I_inj/Cm from the onset rule. */
const measured = (
  model: string,
  amplitude: number,
  o: { method: string; dt_ms: number; start_ms: number; stop_ms: number; duration_ms: number },
  onset_dVdt_mV_per_ms = 10,
) => {
  const run = simulate({
    model,
    stimulus: { type: "step", amplitude_uA_per_cm2: amplitude, start_ms: o.start_ms, stop_ms: o.stop_ms },
    duration_ms: o.duration_ms,
    dt_ms: o.dt_ms,
    method: o.method,
    record: { variables: recordableVariables(model) },
  });
  const V = run.traces.V?.[0] as Float64Array;
  const I = run.traces.I_inj?.[0] as Float64Array;
  const cm = run.model.cm_uF_per_cm2;
  return {
    run,
    corrected: actionPotentials(run.t_ms, V, { onset_dVdt_mV_per_ms, injected: { I_uA_per_cm2: I, cm_uF_per_cm2: cm } }),
    naive: actionPotentials(run.t_ms, V, { onset_dVdt_mV_per_ms }),
    /** Σ I_ion (outward positive, µA/cm²) at the sample nearest to t. */
    ionicAt: (t: number) => {
      const k = Math.round((t - (run.t_ms[0] as number)) / o.dt_ms);
      return run.model.channels.reduce((s, c) => s + (run.traces[`I_${c.name}`]?.[0]?.[k] as number), 0);
    },
  };
};

describe("the AP onset (threshold) is not fooled by the injected current", () => {
  const step = { method: "rk4", dt_ms: 0.01, start_ms: 10, stop_ms: 110, duration_ms: 120 };
  const models = Object.keys(builtinModels).filter((m) => m !== "passive");
  it.each(models)(
    "%s: from 0.5× to 5× rheobase the onset lies on the regenerative upstroke, never on the step's charging ramp",
    (model) => {
      const rb = rheobase({ model, ...step, tolerance_uA_per_cm2: 0.01 }).rheobase_uA_per_cm2 as number;
      expect(rb).toBeGreaterThan(0);
      // Morris–Lecar (Cm 20 µF/cm², calcium spikes) never depolarises at 10 mV/ms: its onsets need a 1 mV/ms criterion
      const criterion = model.startsWith("morris-lecar") ? 1 : 10;
      expect(measured(model, 0.5 * rb, step, criterion).corrected).toEqual([]);
      let measuredAny = 0;
      for (const factor of [1.5, 2, 3, 5]) {
        const m = measured(model, factor * rb, step, criterion);
        const first = m.corrected.find((a) => a.onset_ms !== null);
        if (!first) continue; // depolarisation block at a large step: nothing to measure
        measuredAny++;
        // after the step starts, and where the membrane's own current is inward (−ΣI_ion/Cm = dV/dt − I/Cm > 0):
        // on a passive charging ramp above rest ΣI_ion is outward
        expect(first.onset_ms as number, `${model} × ${factor}`).toBeGreaterThan(step.start_ms + step.dt_ms);
        expect(m.ionicAt(first.onset_ms as number), `${model} × ${factor}: ΣI_ion at the onset`).toBeLessThan(0);
      }
      expect(measuredAny).toBeGreaterThanOrEqual(3);
    },
  );

  it("the lab model's threshold at 3, 5 and 10 µA/cm² (its experiment 1 settings) lies within 3 mV, while dV/dt alone is fooled at 12", () => {
    const lab = { method: "euler", dt_ms: 0.025, start_ms: 10, stop_ms: 20, duration_ms: 50 };
    const th = [3, 5, 10].map((a) => measured("lab", a, lab).corrected[0]?.onset_mV as number);
    expect(Math.max(...th) - Math.min(...th)).toBeLessThan(3);
    const at12 = measured("lab", 12, lab);
    // the naive rule puts the "threshold" on the first sample interval of the step, near rest (−64.5 mV)
    expect(at12.naive[0]?.onset_ms as number).toBeLessThan(10.05);
    expect(at12.naive[0]?.onset_mV as number).toBeLessThan(-64);
    expect(at12.corrected[0]?.onset_ms as number).toBeGreaterThan(10.5);
    expect(Math.abs((at12.corrected[0]?.onset_mV as number) - (th[0] as number))).toBeLessThan(3);
  });
});

describe("firing that lasts, and firing that stops", () => {
  it("a steady train is sustained at its late rate; a burst that stops has a steady-state rate of 0", () => {
    const train = Array.from({ length: 50 }, (_, i) => 10 + 20 * i); // 50 Hz to the end of [0, 1000)
    expect(firingPattern(train, 0, 1000)).toEqual({
      spike_count: 50,
      mean_rate_Hz: 50,
      first_isi_rate_Hz: 50,
      steady_state_rate_Hz: 50,
      sustained: true,
    });
    const burst = [5, 10, 16, 23, 31];
    const p = firingPattern(burst, 0, 1000);
    expect(p.sustained).toBe(false);
    expect(p.steady_state_rate_Hz).toBe(0);
    expect(p.first_isi_rate_Hz).toBe(200);
    expect(firingPattern([500], 0, 1000)).toMatchObject({
      spike_count: 1,
      first_isi_rate_Hz: null,
      steady_state_rate_Hz: null,
      sustained: false,
    });
  });

  it("classic HH on a 1 s step: 6.23 µA/cm² is a transient burst (12 spikes), 6.3 fires to the end", () => {
    const f = fiCurve({
      model: "hh1952",
      amplitudes: [6.23, 6.3],
      start_ms: 10,
      stop_ms: 1010,
      duration_ms: 1010,
      dt_ms: 0.025,
      method: "rk4",
    });
    expect(f.spike_counts[0]).toBe(12);
    expect(f.sustained).toEqual([false, true]);
    expect(f.steady_state_rates_Hz?.[0]).toBe(0);
    expect(f.steady_state_rates_Hz?.[1]).toBeGreaterThan(50);
    expect(f.first_isi_rates_Hz?.[1]).toBeGreaterThan(40);
  });
});

describe("`spikelab fi --json` reports how the firing lasts", () => {
  it("first-ISI and steady-state rates and the sustained flag, one per amplitude, equal to the library's", () => {
    const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
    const r = spawnSync(process.execPath, [bin, "fi", "--json"], { encoding: "utf8" });
    const j = JSON.parse(r.stdout);
    const lib = fiCurve({
      amplitudes: j.amplitudes_uA_per_cm2,
      start_ms: 50,
      stop_ms: 200,
      duration_ms: 200,
      dt_ms: 0.025,
      method: "euler",
    });
    expect(j.sustained).toEqual(lib.sustained);
    expect(j.first_isi_rates_Hz).toEqual(lib.first_isi_rates_Hz);
    expect(j.steady_state_rates_Hz).toEqual(lib.steady_state_rates_Hz);
    expect(j.sustained).toHaveLength(51);
    // the lab model fires repetitively from a small current on: the last amplitudes are sustained
    expect(j.sustained.at(-1)).toBe(true);
  });
});

describe("`spikelab analyze` on classic HH with 1 s steps", () => {
  it("finds the rheobase (2.24 ± 0.005) and the sustained-firing threshold (6.24 ± 0.01 µA/cm²) in one command, with rk4 by default", () => {
    const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
    const r = spawnSync(
      process.execPath,
      [bin, "analyze", "--model", "hh1952", "--start-ms", "10", "--stop-ms", "1010", "--duration-ms", "1010", "--no-refractory", "--json"],
      { encoding: "utf8" },
    );
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.search_method).toBe("rk4");
    expect(Math.abs(j.rheobase_uA_per_cm2 - 2.24)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(j.sustained_threshold_uA_per_cm2 - 6.24)).toBeLessThanOrEqual(0.01);
    expect(r.stderr).toBe("");
  });

  it("says so on stderr when the searches are asked to use forward Euler", () => {
    const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
    const r = spawnSync(process.execPath, [bin, "analyze", "--no-refractory", "--search-method", "euler", "--json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: the rheobase and sustained-firing searches use forward Euler/);
  });
});

describe("experiment 1's report says when the lab's Euler run is not converged", () => {
  it("at dt/2 its second spike moves by more than 3 ms; the converged spike times stand beside the lab's", async () => {
    const { experiment1Convergence } = await import("../src/cli/labReport.js");
    const run = simulate({
      model: "lab",
      stimulus: { type: "step", amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
      duration_ms: 50,
      dt_ms: 0.025,
      method: "euler",
    });
    const c = experiment1Convergence(run);
    expect(c.json.converged).toBe(false);
    expect(c.json.max_shift_ms).toBeGreaterThan(3);
    expect(c.json.spike_times_ms[1]).toBeCloseTo(32.16, 1);
    // rk4 at a 40× smaller step agrees with the converged (rk45) times
    const fine = simulate({ ...run.spec, method: "rk4", dt_ms: 0.000625, record: { variables: [] } });
    expect(c.json.converged_spike_times_ms).toHaveLength(2);
    c.json.converged_spike_times_ms.forEach((t: number, i: number) => {
      expect(Math.abs(t - (fine.spikes.t_ms[i] as number))).toBeLessThan(1e-3);
    });
    expect(c.sentence).toMatch(/^NOT converged in dt: .* converged \(rk45, rtol 1e-10\) 13\.09, 26\.66 ms$/);
  });
});

describe("`spikelab analyze --efel` on a simulated run", () => {
  it("adds eFEL's features of the run's V on the step window, with eFEL's settings", () => {
    const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
    const r = spawnSync(process.execPath, [bin, "analyze", "--no-refractory", "--efel", "--json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.efel_settings.Threshold).toBe(-20);
    expect(j.efel_window_ms).toEqual([10, 20]);
    // the lab's experiment 1: both spikes peak above −20 mV; eFEL counts the peaks
    expect(j.efel.spike_count).toEqual([2]);
    expect(Math.abs(j.efel.peak_voltage[0] - j.spikes[0].peak_mV)).toBeLessThan(0.5);
  });
});

describe("a rheobase search inside a bracket already known (as `spikelab dynamics bifurcation` takes it from its f–I run)", () => {
  const protocol = { model: "hh1952" as const, dt_ms: 0.025, method: "rk4", start_ms: 10, stop_ms: 210, duration_ms: 210 };
  it("finds the same rheobase as the search from scratch, in fewer runs", () => {
    const full = rheobase(protocol);
    const r = full.rheobase_uA_per_cm2 as number;
    const inside = rheobase({ ...protocol, bracket_uA_per_cm2: [r - 0.3, r + 0.2] });
    expect(inside.rheobase_uA_per_cm2).not.toBeNull();
    expect(Math.abs((inside.rheobase_uA_per_cm2 as number) - (full.rheobase_uA_per_cm2 as number))).toBeLessThanOrEqual(0.001);
    expect(inside.bracket_uA_per_cm2?.[1]).toBe(inside.rheobase_uA_per_cm2);
    expect((inside.bracket_uA_per_cm2?.[1] as number) - (inside.bracket_uA_per_cm2?.[0] as number)).toBeLessThanOrEqual(0.001);
    expect(inside.runs).toBeLessThan(full.runs);
  });
  it("rejects a bracket that is not [lo, hi] with lo < hi", () => {
    expect(() => rheobase({ ...protocol, bracket_uA_per_cm2: [5, 1] })).toThrow(
      'bracket (µA/cm²) must be [lo, hi] with lo < hi; got "[5, 1]"',
    );
  });
});
