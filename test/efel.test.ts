import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dedupeTimes, EFEL_FEATURES, type EfelSettings, EfelTrace, efelFeatures } from "../src/analysis/index.js";
import { parseTextRecording } from "../src/io/recordings/text.js";

// eFEL's own test traces and expected values (test/fixtures/efel/README.md: eFEL 5.7.16, LGPL-3.0)
const dir = new URL("./fixtures/efel/", import.meta.url);
const load = (name: string) => {
  const s = parseTextRecording(readFileSync(new URL(name, dir), "utf8"), name, { time: "ms", voltage: "mV" }).sweeps[0]!;
  return { t: s.t_ms, v: s.V_mV };
};
const trace = (name: string, stim_start_ms: number, stim_end_ms: number, settings: Partial<EfelSettings> = {}) => {
  const { t, v } = load(name);
  return new EfelTrace(t, v, { stim_start_ms, stim_end_ms }, settings);
};
/** numpy.allclose / assert_allclose: |a − b| ≤ atol + rtol·|b|. */
const close = (a: number, b: number, rtol: number, atol = 0) => Math.abs(a - b) <= atol + rtol * Math.abs(b);

describe("eFEL-compatible features on eFEL's allfeatures trace (tests/test_allfeatures.py, expectedresults.json)", () => {
  const expected = JSON.parse(readFileSync(new URL("allfeatures/expectedresults.json", dir), "utf8")) as Record<string, number[] | null>;
  const f = efelFeatures(load("allfeatures/testdata.txt").t, load("allfeatures/testdata.txt").v, { stim_start_ms: 700, stim_end_ms: 2700 });
  // Spikecount is eFEL's deprecated alias of spike_count (the test drops it from the JSON)
  const names = EFEL_FEATURES.filter((n) => n !== "Spikecount");
  it.each(names)("%s equals eFEL's value within np.allclose (rtol 1e-5, atol 1e-8)", (name) => {
    expect(name in expected).toBe(true);
    const e = expected[name] ?? null;
    const got = f[name] ?? null;
    if (e === null) {
      expect(got).toBeNull();
      return;
    }
    expect(got).not.toBeNull();
    expect(got!.length).toBe(e.length);
    e.forEach((x, i) => {
      expect(close(got![i]!, x, 1e-5, 1e-8), `${name}[${i}]: ${got![i]} vs eFEL ${x}`).toBe(true);
    });
  });
});

describe("eFEL's test_basic.py assertions on its test traces", () => {
  it("test_setDerivativeThreshold: AP_begin_voltage[1] with DerivativeThreshold 5 is -51.6400489995987", () => {
    const orig = trace("basic/mean_frequency_1.txt", 500, 900).get("AP_begin_voltage")![1]!;
    const v = trace("basic/mean_frequency_1.txt", 500, 900, { DerivativeThreshold: 5 }).get("AP_begin_voltage")![1]!;
    expect(close(v, -51.6400489995987, 1e-7)).toBe(true);
    expect(v).not.toBe(orig);
  });

  it("test_derivwindow1: AP_begin_voltage[0] at interp_step 0.1, 0.01 and 0.01 with DerivativeWindow 30", () => {
    expect(close(trace("basic/derivwindow.txt", 100, 1000).get("AP_begin_voltage")![0]!, -45.03627393790836, 1e-7)).toBe(true);
    expect(close(trace("basic/derivwindow.txt", 100, 1000, { interp_step: 0.01 }).get("AP_begin_voltage")![0]!, -45.5055215, 1e-7)).toBe(
      true,
    );
    const w = trace("basic/derivwindow.txt", 100, 1000, { interp_step: 0.01, DerivativeWindow: 30 }).get("AP_begin_voltage")![0]!;
    expect(close(w, -45.505521563640386, 1e-7)).toBe(true);
  });

  it("test_AP_begin_indices_edge_case: without min_AHP_indices the AP begin is still found (index 9772)", () => {
    const { t, v } = load("basic/derivwindow.txt");
    const tr = new EfelTrace(t.subarray(0, t.length - 50), v.subarray(0, v.length - 50), { stim_start_ms: 100, stim_end_ms: 1000 });
    expect(tr.get("min_AHP_indices")).toBeNull();
    expect(tr.get("AP_begin_indices")![0]).toBe(9772);
  });

  it("test_peak_indices and test_min_AHP_indices: 5 of each in mean_frequency_1 (stimulus 650–900 ms)", () => {
    const tr = trace("basic/mean_frequency_1.txt", 650, 900);
    expect(tr.get("peak_indices")!.length).toBe(5);
    expect(tr.get("min_AHP_indices")!.length).toBe(5);
  });

  it("test_min_AHP_indices_strict: ahptest_1 has 17 AHPs, 16 with strict_stiminterval", () => {
    expect(trace("basic/ahptest_1.txt", 700, 2700).get("min_AHP_indices")!.length).toBe(17);
    expect(trace("basic/ahptest_1.txt", 700, 2700, { strict_stiminterval: true }).get("min_AHP_indices")!.length).toBe(16);
  });

  it("test_strict_stiminterval: 5 spikes in mean_frequency_1, 3 inside 600–750 ms when strict", () => {
    expect(trace("basic/mean_frequency_1.txt", 600, 750).get("spike_count")).toEqual([5]);
    const strict = trace("basic/mean_frequency_1.txt", 600, 750, { strict_stiminterval: true });
    expect(strict.get("spike_count")).toEqual([3]);
    expect(strict.get("peak_time")!.length).toBe(3);
  });

  it("test_min_AHP_indices_single_peak: one peak and no AHP before the trace ends", () => {
    const tr = trace("basic/min_AHP_values_single_peak.txt", 1950, 2050);
    expect(tr.get("peak_indices")!.length).toBe(1);
    expect(tr.get("min_AHP_indices")).toBeNull();
    expect(tr.get("min_AHP_values")).toBeNull();
  });

  it("test_ISI_values_noIgnore: ignore_first_ISI drops exactly the first interval", () => {
    const all = trace("basic/mean_frequency_1.txt", 500, 900, { ignore_first_ISI: false }).get("ISI_values")!;
    const skip = trace("basic/mean_frequency_1.txt", 500, 900).get("ISI_values")!;
    expect(skip.length + 1).toBe(all.length);
    expect(skip).toEqual(all.slice(1));
  });

  it("test_AP_begin_indices1: as many AP begins as amplitudes, peak times and half widths (a recording sampled at 0.1 ms)", () => {
    const v = Float64Array.from(
      readFileSync(new URL("basic/AP_begin_indices_95810005.abf.csv", dir), "utf8").trim().split(/\s+/).map(Number),
    );
    const t = v.map((_, i) => i * 0.1);
    const tr = new EfelTrace(t, v, { stim_start_ms: 31.2, stim_end_ms: 431.2 });
    const n = tr.get("AP_begin_indices")!.length;
    expect(n).toBeGreaterThan(0);
    expect(tr.get("AP_amplitude")!.length).toBe(n);
    expect(tr.get("peak_time")!.length).toBe(n);
    expect(tr.get("AP_duration_half_width")!.length).toBe(n);
  });

  it("test_mean_frequency1: spikes in the stimulus × 1000 / (last one − stim_start)", () => {
    const tr = trace("basic/mean_frequency_1.txt", 500, 900);
    const inStim = tr.get("peak_time")!.filter((x) => x >= 500 && x <= 900);
    expect(close(tr.get("mean_frequency")![0]!, (inStim.length * 1000) / (inStim.at(-1)! - 500), 1e-7)).toBe(true);
  });

  it("test_ap_amplitude_outside_stim and test_spike_count_stimint1: two spikes outside the stimulus are not measured", () => {
    const tr = trace("basic/spike_outside_stim.txt", 700, 2700);
    expect(tr.get("AP_amplitude")!.length + 2).toBe(tr.get("peak_time")!.length);
    expect(tr.get("spike_count")![0]).toBe(tr.get("spike_count_stimint")![0]! + 2);
    expect(tr.get("spike_count_stimint")![0]).toBe(tr.get("peak_time")!.filter((x) => x >= 700 && x <= 2700).length);
  });

  // eFEL's tests recompute these on numpy's grid: arange(t0, t_end + dt, dt) and numpy.interp
  const numpyGrid = (t: Float64Array, v: Float64Array, dt: number) => {
    const n = Math.ceil((t[t.length - 1]! + dt - t[0]!) / dt);
    const ti = new Float64Array(n);
    const vi = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < n; i++) {
      const x = t[0]! + i * dt;
      ti[i] = x;
      while (j + 1 < t.length - 1 && t[j + 1]! <= x) j++;
      vi[i] = x >= t[t.length - 1]! ? v[v.length - 1]! : v[j]! + ((v[j + 1]! - v[j]!) * (x - t[j]!)) / (t[j + 1]! - t[j]!);
    }
    return { t: ti, v: vi };
  };
  const meanWhere = (t: Float64Array, v: Float64Array, keep: (x: number) => boolean) => {
    let s = 0;
    let n = 0;
    t.forEach((x, i) => {
      if (keep(x)) {
        s += v[i]!;
        n++;
      }
    });
    return s / n;
  };

  it("test_voltagebase1: the mean of V over [0.9, 1] × stim_start (atol 1e-8)", () => {
    const { t, v } = load("basic/mean_frequency_1.txt");
    const g = numpyGrid(t, v, 0.1);
    const expected = meanWhere(g.t, g.v, (x) => x >= 450 && x <= 500);
    expect(close(trace("basic/mean_frequency_1.txt", 500, 900).get("voltage_base")![0]!, expected, 0, 1e-8)).toBe(true);
  });

  it("test_steady_state_voltage1: the mean of V after stim_end", () => {
    const { t, v } = load("basic/mean_frequency_1.txt");
    const g = numpyGrid(t, v, 0.1);
    const expected = meanWhere(g.t, g.v, (x) => x >= 900);
    expect(close(trace("basic/mean_frequency_1.txt", 500, 900).get("steady_state_voltage")![0]!, expected, 1e-7)).toBe(true);
  });

  it("test_decay_time_constant_after_stim1: a straight-line fit of log|V − V(stim_start)| over [stim_end + 1, stim_end + 10)", () => {
    const { t, v } = load("basic/mean_frequency_1.txt");
    const g = numpyGrid(t, v, 0.1);
    const ref = g.v[g.t.findIndex((x) => x >= 500)]!;
    const xs: number[] = [];
    const ys: number[] = [];
    g.t.forEach((x, i) => {
      if (x >= 901 && x < 910) {
        xs.push(x - 900);
        ys.push(Math.log(Math.abs(g.v[i]! - ref)));
      }
    });
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    expect(
      close(trace("basic/mean_frequency_1.txt", 500, 900).get("decay_time_constant_after_stim")![0]!, Math.abs(-1 / slope), 1e-7),
    ).toBe(true);
  });

  it("test_sag_amplitude: steady_state_voltage_stimend − minimum_voltage on a hyperpolarising step", () => {
    const tr = trace("basic/sagtrace_1.txt", 800, 3800);
    expect(tr.get("sag_amplitude")![0]).toBe(tr.get("steady_state_voltage_stimend")![0]! - tr.get("minimum_voltage")![0]!);
  });

  it("test_sag_amplitude_pos_deflect: no sag amplitude for a depolarising response", () => {
    expect(trace("basic/mean_frequency_1.txt", 500, 900).get("sag_amplitude")).toBeNull();
  });

  it("test_spontaneous_firing: eFEL's 17 AP_begin_indices and AP_end_indices exactly", () => {
    const tr = trace("basic/spontaneous.txt", 200, 400);
    expect(tr.get("AP_begin_indices")).toEqual([
      2018, 2156, 2291, 2426, 2561, 2695, 2830, 2965, 3100, 3235, 3369, 3504, 3639, 3774, 3908, 4564, 5352,
    ]);
    expect(tr.get("AP_end_indices")).toEqual([
      2052, 2188, 2323, 2458, 2593, 2728, 2863, 2997, 3132, 3267, 3402, 3536, 3671, 3806, 3941, 4596, 5384,
    ]);
  });

  it("test_unfinished_peak: a trace ending above threshold does not count its last (unfinished) spike", () => {
    const dt = 0.1;
    const v = new Float64Array(1000).fill(-70);
    for (const s of [20, 40, 60]) v.fill(20, s / dt, (s + 5) / dt);
    const t = v.map((_, i) => i * dt);
    const strict = { strict_stiminterval: true };
    expect(new EfelTrace(t, v, { stim_start_ms: 10, stim_end_ms: 70 }, strict).get("spike_count")).toEqual([3]);
    v.fill(-19, 80 / dt);
    expect(new EfelTrace(t, v, { stim_start_ms: 10, stim_end_ms: 70 }, strict).get("spike_count")).toEqual([3]);
  });

  it("test_spike_count2 and test_empty_trace: a flat trace has 0 spikes and no ISI features", () => {
    const t = Float64Array.from({ length: 10000 }, (_, i) => i * 0.1);
    const tr = new EfelTrace(t, new Float64Array(t.length).fill(-80), { stim_start_ms: 500, stim_end_ms: 900 });
    expect(tr.get("spike_count")).toEqual([0]);
    expect(tr.get("inv_first_ISI")).toBeNull();
    expect(tr.get("inv_last_ISI")).toBeNull();
  });
});

describe("recordings as they come", () => {
  it("a NEURON CVode record with repeated time stamps gives exactly the features of its de-duplicated trace", () => {
    const { t, v } = load("basic/mean_frequency_1.txt");
    const d = dedupeTimes(t, v);
    expect(d.removed).toBeGreaterThan(20000);
    const a = efelFeatures(t, v, { stim_start_ms: 500, stim_end_ms: 900 });
    const b = efelFeatures(d.t_ms, d.V_mV, { stim_start_ms: 500, stim_end_ms: 900 });
    expect(a.spike_count).toEqual([5]);
    expect(a).toEqual(b);
  });

  it("a trace that starts inside a spike is measured from its first complete AP", () => {
    const { t, v } = load("allfeatures/testdata.txt");
    const whole = efelFeatures(t, v, { stim_start_ms: 700, stim_end_ms: 2700 }, ["peak_time"]).peak_time!;
    // cut 0.2 ms after the first AP's upward threshold crossing: the cut trace starts above −20 mV
    const up = t.findIndex((x, i) => x > 700 && v[i]! > -20);
    const from = up + t.slice(up).findIndex((x) => x >= t[up]! + 0.2);
    expect(v[from]!).toBeGreaterThan(-20);
    const cut = efelFeatures(t.subarray(from), v.subarray(from), { stim_start_ms: 700, stim_end_ms: 2700 }, ["peak_time"]).peak_time!;
    expect(cut.length).toBe(whole.length - 1);
    cut.forEach((x, i) => {
      expect(Math.abs(x - whole[i + 1]!)).toBeLessThan(0.1 + 1e-9);
    });
  });
});
