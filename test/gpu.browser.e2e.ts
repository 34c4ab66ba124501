/**
 * The WebGPU backend in headless Debian Chromium on SwiftShader (a CPU implementation of WebGPU: no
 * GPU needed; the WGSL is the same a real GPU runs). Chromium is launched here, not skipped when
 * missing: the test fails with the install command.
 *
 * Agreement tolerances below were measured on SwiftShader (Chromium 156) and are stated per test.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DivergenceError, parseSweepSpec, runBatch, simulate } from "../src/index.js";
import { gridSize } from "../src/sweep/grid.js";
import type { SweepSpecInput } from "../src/sweep/spec.js";
import { type GpuPage, openGpuPage } from "./helpers/chromium.js";
import { unselectedOverflow } from "./helpers/piecewise.js";
import { labReference } from "./helpers/reference.js";

const hhKv2like = JSON.parse(readFileSync(new URL("./fixtures/models/hh-kv2like.json", import.meta.url), "utf8"));

let gpu: GpuPage;
beforeAll(async () => {
  gpu = await openGpuPage();
}, 60_000);
afterAll(async () => {
  await gpu?.close();
});

interface Columns {
  precision: string;
  spike_count: number[];
  rate_Hz: number[];
  first_spike_latency_ms: number[];
}

/** gpuRunBatch in the page, typed arrays back as plain arrays. */
const gpuBatch = (spec: SweepSpecInput, indices: number[]): Promise<Columns> =>
  gpu.page.evaluate(
    async ({ spec, indices }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the test page's global
      const s = (globalThis as any).spikelab;
      const b = await s.gpuRunBatch(await s.getDevice(), spec, indices);
      return {
        precision: b.precision,
        spike_count: Array.from(b.spike_count as Float64Array),
        rate_Hz: Array.from(b.rate_Hz as Float64Array),
        first_spike_latency_ms: Array.from(b.first_spike_latency_ms as Float64Array),
      };
    },
    { spec, indices },
  );

/** gpuSimulate in the page (a GpuJob with plain arrays). */
const gpuJob = (job: object) =>
  gpu.page.evaluate(async (job) => {
    // biome-ignore lint/suspicious/noExplicitAny: the test page's global
    const s = (globalThis as any).spikelab;
    try {
      const r = await s.gpuSimulate(await s.getDevice(), job);
      return {
        spike_count: Array.from(r.spike_count as Uint32Array),
        latency: Array.from(r.first_spike_latency_ms as Float32Array),
        dispatches: r.dispatches as number,
        slices: r.slices as number,
      };
    } catch (e) {
      return { error: (e as Error).name, message: (e as Error).message };
    }
  }, job);

const range = (from: number, to: number, step: number) =>
  Array.from({ length: Math.round((to - from) / step) + 1 }, (_, i) => from + i * step);
const all = (spec: SweepSpecInput) => range(0, gridSize(parseSweepSpec(spec).axes) - 1, 1);
const labFi = (method: string): SweepSpecInput => ({
  model: "lab",
  method,
  dt_ms: 0.025,
  duration_ms: 200,
  start_ms: 50,
  stop_ms: 200,
  axes: [{ name: "amplitude", values: Array.from({ length: 51 }, (_, i) => (i === 50 ? 10 : i * 0.2)) }],
});

/** How a GPU batch compares with the CPU's: count differences, and the largest latency difference where counts agree. */
function compare(g: Columns, c: ReturnType<typeof runBatch>) {
  let countsDiffer = 0;
  let maxCountDiff = 0;
  let ratesDiffer = 0;
  let maxLatencyDiff = 0;
  for (let i = 0; i < c.spike_count.length; i++) {
    const d = Math.abs((g.spike_count[i] as number) - (c.spike_count[i] as number));
    if (d) countsDiffer++;
    maxCountDiff = Math.max(maxCountDiff, d);
    if (g.rate_Hz[i] !== c.rate_Hz[i]) ratesDiffer++;
    const lc = c.first_spike_latency_ms[i] as number;
    const lg = g.first_spike_latency_ms[i] as number;
    if (Number.isNaN(lc) !== Number.isNaN(lg)) maxLatencyDiff = Number.POSITIVE_INFINITY;
    else if (!Number.isNaN(lc)) maxLatencyDiff = Math.max(maxLatencyDiff, Math.abs(lg - lc));
  }
  return { countsDiffer, maxCountDiff, ratesDiffer, maxLatencyDiff };
}

describe("the WebGPU backend on SwiftShader (headless Chromium)", () => {
  it("runs on a SwiftShader adapter", async () => {
    const info = await gpu.page.evaluate(() =>
      (globalThis as unknown as { spikelab: { adapterInfo(): Promise<string> } }).spikelab.adapterInfo(),
    );
    expect(info).toContain("swiftshader");
  });

  it("gives the lab sweep's 51 reference counts (lab model, Euler, dt 0.025 ms, f32)", async () => {
    const g = await gpuBatch(labFi("euler"), range(0, 50, 1));
    expect(g.precision).toBe("f32");
    expect(g.spike_count).toEqual(labReference().experiment_2_fi.spike_counts);
  });

  // measured: counts and rates equal at all 51 amplitudes; latencies within 3e-4 ms (euler) and 1.5e-4 ms (exp-euler)
  it.each([
    ["euler", 1e-3],
    ["exp-euler", 1e-3],
  ])("matches the CPU sweep engine on the lab sweep with %s: equal counts and rates, latencies within %s ms", async (method, tol) => {
    const spec = labFi(method);
    const g = await gpuBatch(spec, range(0, 50, 1));
    const c = runBatch(parseSweepSpec(spec), range(0, 50, 1));
    const d = compare(g, c);
    expect(d.countsDiffer).toBe(0);
    expect(d.ratesDiffer).toBe(0);
    expect(d.maxLatencyDiff).toBeLessThan(tol);
  });

  // measured: 0 of 369 counts differ for both methods; latencies within 0.004 ms (euler), 0.0095 ms (exp-euler)
  it.each([
    ["euler", 0.01],
    ["exp-euler", 0.02],
  ])("matches the CPU sweep engine on a gNa × amplitude grid of the lab model with %s (369 points, counts equal)", async (method, tol) => {
    const spec: SweepSpecInput = {
      ...labFi(method),
      axes: [
        { name: "gNa", values: range(30, 70, 5) },
        { name: "amplitude", values: range(0, 10, 0.25) },
      ],
    };
    const g = await gpuBatch(spec, all(spec));
    const c = runBatch(parseSweepSpec(spec), all(spec));
    const d = compare(g, c);
    expect(d.countsDiffer, `${d.countsDiffer} of ${c.spike_count.length} counts differ`).toBe(0);
    expect(d.ratesDiffer).toBe(0);
    expect(d.maxLatencyDiff).toBeLessThan(tol);
  });

  // measured: 0 of 378 counts differ; latencies within 0.0025 ms (euler), 0.0002 ms (exp-euler)
  it.each([
    ["euler", 0.005],
    ["exp-euler", 0.001],
  ])("matches the CPU on hh1952 with temperature and per-neuron gNa (celsius × gNa × amplitude, %s)", async (method, tol) => {
    const spec: SweepSpecInput = {
      model: "hh1952",
      method,
      dt_ms: 0.025,
      duration_ms: 100,
      start_ms: 10,
      stop_ms: 90,
      axes: [
        { name: "celsius", values: [6.3, 16.3] },
        { name: "gNa", values: range(80, 160, 10) },
        { name: "amplitude", values: range(0, 30, 1.5) },
      ],
    };
    const g = await gpuBatch(spec, all(spec));
    const c = runBatch(parseSweepSpec(spec), all(spec));
    const d = compare(g, c);
    expect(d.countsDiffer, `${d.countsDiffer} of ${c.spike_count.length} counts differ`).toBe(0);
    expect(d.maxLatencyDiff).toBeLessThan(tol);
  });

  /**
   * Every built-in model, both methods: a small amplitude sweep (16 amplitudes over each model's
   * own range, dt 0.02 ms), GPU in f32 against the CPU sweep engine in f64. Measured on SwiftShader:
   * all counts equal for every model and method (16 × 16); latencies within 7.5e-5 ms
   * (morris-lecar-snlc, exp-euler), most within 3e-5 ms.
   */
  const MODEL_SWEEPS: [string, number, number][] = [
    ["lab", 10, 200],
    ["hh1952", 30, 100],
    ["passive", 30, 100],
    ["traub-miles", 30, 100],
    ["wang-buzsaki", 30, 100],
    ["connor-stevens", 30, 100],
    ["morris-lecar", 150, 300],
    ["morris-lecar-snlc", 150, 300],
  ];
  it.each(
    MODEL_SWEEPS.flatMap(([model, top, duration]) => ["euler", "exp-euler"].map((method) => [model, method, top, duration] as const)),
  )("%s with %s: the GPU's counts equal the CPU's over 16 amplitudes, latencies within 1e-3 ms", async (model, method, top, duration) => {
    const spec: SweepSpecInput = {
      model,
      method,
      dt_ms: 0.02,
      duration_ms: duration,
      start_ms: 10,
      stop_ms: duration - 10,
      axes: [{ name: "amplitude", values: range(0, top, top / 15) }],
    };
    const g = await gpuBatch(spec, all(spec));
    const c = runBatch(parseSweepSpec(spec), all(spec));
    const d = compare(g, c);
    console.log(`gpu vs cpu: ${model} ${method}: ${d.countsDiffer} of 16 counts differ, latency ≤ ${d.maxLatencyDiff.toExponential(2)} ms`);
    expect(
      c.spike_count.some((x) => x > 0),
      "the sweep reaches firing",
    ).toBe(true);
    expect(d.countsDiffer, `counts ${g.spike_count} vs ${Array.from(c.spike_count)}`).toBe(0);
    expect(d.maxLatencyDiff).toBeLessThan(1e-3);
  });

  /**
   * Fractional gates (NeuroML's gateFractional): hh1952 with the Allen Kv2like channel, h = 0.5·h1 + 0.5·h2
   * (test/fixtures/models/hh-kv2like.json) at 21 °C, every method, 16 amplitudes, dt 0.02 ms, 150 ms. Measured on
   * SwiftShader: all counts equal; latencies within 9.9e-6 ms (backward-euler), 3.1e-6 (euler), 2.7e-6 (rk4), 9.9e-7 (exp-euler).
   */
  it.each(["euler", "exp-euler", "backward-euler", "rk4"])(
    "a model with a fractional gate with %s: the GPU's counts equal the CPU's over 16 amplitudes",
    async (method) => {
      const spec: SweepSpecInput = {
        model: hhKv2like,
        method,
        dt_ms: 0.02,
        duration_ms: 150,
        start_ms: 10,
        stop_ms: 140,
        parameters: { celsius: 21 },
        axes: [{ name: "amplitude", values: range(0, 45, 3) }],
      };
      const g = await gpuBatch(spec, all(spec));
      const c = runBatch(parseSweepSpec(spec), all(spec));
      const d = compare(g, c);
      console.log(
        `gpu vs cpu: fractional ${method}: ${d.countsDiffer} of 16 counts differ, latency ≤ ${d.maxLatencyDiff.toExponential(2)} ms`,
      );
      expect(c.spike_count.filter((x) => x > 1).length, "the sweep reaches repetitive firing").toBeGreaterThan(4);
      expect(d.countsDiffer, `counts ${g.spike_count} vs ${Array.from(c.spike_count)}`).toBe(0);
      expect(d.maxLatencyDiff).toBeLessThan(1e-3);
    },
  );

  /**
   * Conditionals (`x < y ? a : b`, WGSL `select`): hh1952 with piecewise rates whose unselected branches
   * overflow (exp(V²)) or divide by zero (test/helpers/piecewise.ts), every method, 16 amplitudes, dt 0.02 ms.
   * Measured on SwiftShader: all counts equal; latencies within 2.8e-5 ms (backward-euler), 1.1e-6 ms (euler).
   */
  it.each(["euler", "exp-euler", "backward-euler", "rk4"])(
    "a model with piecewise rates (select) with %s: the GPU's counts equal the CPU's over 16 amplitudes",
    async (method) => {
      const spec: SweepSpecInput = {
        model: unselectedOverflow,
        method,
        dt_ms: 0.02,
        duration_ms: 100,
        start_ms: 10,
        stop_ms: 90,
        axes: [{ name: "amplitude", values: range(0, 30, 2) }],
      };
      const g = await gpuBatch(spec, all(spec));
      const c = runBatch(parseSweepSpec(spec), all(spec));
      const d = compare(g, c);
      console.log(
        `gpu vs cpu: piecewise ${method}: ${d.countsDiffer} of 16 counts differ, latency ≤ ${d.maxLatencyDiff.toExponential(2)} ms`,
      );
      expect(c.spike_count.some((x) => x > 0)).toBe(true);
      expect(d.countsDiffer, `counts ${g.spike_count} vs ${Array.from(c.spike_count)}`).toBe(0);
      expect(d.maxLatencyDiff).toBeLessThan(2e-3);
    },
  );

  /**
   * The methods the step program brought to the GPU (issue #17), as above: every built-in model, 16
   * amplitudes, dt 0.02 ms, f32 against the CPU's f64. Measured on SwiftShader: all counts equal;
   * latencies within 8.0e-5 ms (rk4, connor-stevens) and 9.1e-4 ms (backward-euler, lab; the others ≤ 1.4e-4 ms).
   */
  it.each(
    MODEL_SWEEPS.flatMap(([model, top, duration]) => ["backward-euler", "rk4"].map((method) => [model, method, top, duration] as const)),
  )("%s with %s: the GPU's counts equal the CPU's over 16 amplitudes, latencies within 2e-3 ms", async (model, method, top, duration) => {
    const spec: SweepSpecInput = {
      model,
      method,
      dt_ms: 0.02,
      duration_ms: duration,
      start_ms: 10,
      stop_ms: duration - 10,
      axes: [{ name: "amplitude", values: range(0, top, top / 15) }],
    };
    const g = await gpuBatch(spec, all(spec));
    const c = runBatch(parseSweepSpec(spec), all(spec));
    const d = compare(g, c);
    console.log(`gpu vs cpu: ${model} ${method}: ${d.countsDiffer} of 16 counts differ, latency ≤ ${d.maxLatencyDiff.toExponential(2)} ms`);
    expect(c.spike_count.some((x) => x > 0)).toBe(true);
    expect(d.countsDiffer, `counts ${g.spike_count} vs ${Array.from(c.spike_count)}`).toBe(0);
    expect(d.maxLatencyDiff).toBeLessThan(method === "rk4" ? 1e-3 : 2e-3);
  });

  it.each(["backward-euler", "rk4"])(
    "samples the currents of %s (at t + dt/2, just before t + dt) as the CPU, windows on and off the grid",
    async (method) => {
      const start_ms = [10, 10.05, 9.999999, 10.3, 0.30000000000000004, 0.3, 10.04, 10.06];
      const stop_ms = [30, 30.05, 30.000001, 10.7, 20.3, 20.3, 30.04, 30.06];
      const amplitude = 6;
      const dt_ms = method === "rk4" ? 0.02 : 0.1;
      const g = await gpuJob({ method, dt_ms, duration_ms: 40, stimulus: { amplitude_uA_per_cm2: amplitude, start_ms, stop_ms } });
      for (let i = 0; i < start_ms.length; i++) {
        const c = simulate({
          model: "lab",
          method,
          dt_ms,
          duration_ms: 40,
          stimulus: { type: "step", amplitude_uA_per_cm2: amplitude, start_ms: start_ms[i] as number, stop_ms: stop_ms[i] as number },
          record: { variables: [] },
        });
        expect((g as { spike_count: number[] }).spike_count[i], `neuron ${i}: [${start_ms[i]}, ${stop_ms[i]})`).toBe(c.spikes.count[0]);
      }
    },
  );

  // measured: 0 of 40 counts differ per method; latencies within 9.3e-5 ms (morris-lecar, euler)
  it.each(["euler", "exp-euler"])(
    "per-neuron V0 at rest, rate factors and a model constant: wang-buzsaki gNa × amplitude, morris-lecar with phi 0.08 (%s)",
    async (method) => {
      const wb: SweepSpecInput = {
        model: "wang-buzsaki",
        method,
        dt_ms: 0.02,
        duration_ms: 100,
        start_ms: 10,
        stop_ms: 90,
        axes: [
          { name: "gNa", values: [20, 35, 50] },
          { name: "amplitude", values: range(0, 14, 2) },
        ],
      };
      const ml: SweepSpecInput = {
        model: "morris-lecar",
        method,
        dt_ms: 0.02,
        duration_ms: 300,
        start_ms: 10,
        stop_ms: 290,
        parameters: { phi: 0.08 },
        axes: [
          { name: "gCa", values: [4, 5.5] },
          { name: "amplitude", values: range(60, 130, 10) },
        ],
      };
      for (const spec of [wb, ml]) {
        const g = await gpuBatch(spec, all(spec));
        const c = runBatch(parseSweepSpec(spec), all(spec));
        const d = compare(g, c);
        console.log(
          `gpu vs cpu: ${spec.model} grid ${method}: ${d.countsDiffer} of ${c.spike_count.length} differ, latency ≤ ${d.maxLatencyDiff.toExponential(2)} ms`,
        );
        expect(new Set(c.spike_count).size, "the grid spans several counts").toBeGreaterThan(3);
        expect(d.countsDiffer, `${spec.model}: ${g.spike_count} vs ${Array.from(c.spike_count)}`).toBe(0);
        expect(d.maxLatencyDiff).toBeLessThan(1e-3);
      }
    },
  );

  // measured: 0 of 2,000 amplitudes differ; over 100,000 (bench/gpu-f32-agreement.ts) 1 differs, by one spike
  it("gives the same counts as the CPU over 1,000 amplitudes of the lab f–I protocol (f32 vs f64)", async () => {
    const spec: SweepSpecInput = { ...labFi("euler"), axes: [{ name: "amplitude", values: range(0, 9.99, 0.01) }] };
    const g = await gpuBatch(spec, all(spec));
    const c = runBatch(parseSweepSpec(spec), all(spec));
    expect(compare(g, c).countsDiffer).toBe(0);
  });

  it("gives the same result however the run is cut into dispatches and slices (bit for bit)", async () => {
    const job = {
      dt_ms: 0.025,
      duration_ms: 200,
      parameters: { gK: [8, 10, 12, 9, 11, 10, 10, 10, 10, 10, 10] },
      stimulus: { amplitude_uA_per_cm2: [0, 0.3, 1, 2, 3, 4, 5, 6, 7, 8, 10], start_ms: 50, stop_ms: 200 },
    };
    const one = await gpuJob(job);
    // the first dispatch (4,000 steps) takes longer than the target, so the following ones shrink (to 250 steps)
    const tiny = await gpuJob({ ...job, dispatchTarget_ms: 1e-3, maxNeuronStepsPerDispatch: 11 * 4000 });
    const fixed = await gpuJob({ ...job, maxNeuronStepsPerDispatch: 11 * 97, maxNeuronsPerSlice: 4 });
    expect("dispatches" in tiny && tiny.dispatches).toBeGreaterThan(10);
    expect("slices" in fixed && fixed.slices).toBe(3);
    expect(tiny).toMatchObject({ spike_count: (one as { spike_count: number[] }).spike_count });
    expect({ ...fixed, dispatches: 0, slices: 0 }).toEqual({ ...one, dispatches: 0, slices: 0 });
    expect({ ...tiny, dispatches: 0, slices: 0 }).toEqual({ ...one, dispatches: 0, slices: 0 });
  });

  it("samples per-neuron stimulus windows at t_k = k·dt exactly as the CPU, on and off the grid", async () => {
    // windows whose edges fall on, just before and just after grid points (dt 0.1 ms is not exact in binary)
    const start_ms = [10, 10.05, 9.999999, 10.3, 0.30000000000000004, 0.3];
    const stop_ms = [30, 30.05, 30.000001, 10.7, 20.3, 20.3];
    const amplitude = 6;
    const n = start_ms.length;
    const method = "exp-euler"; // stable at dt 0.1 ms
    const g = await gpuJob({ method, dt_ms: 0.1, duration_ms: 40, stimulus: { amplitude_uA_per_cm2: amplitude, start_ms, stop_ms } });
    for (let i = 0; i < n; i++) {
      const c = simulate({
        model: "lab",
        method,
        dt_ms: 0.1,
        duration_ms: 40,
        stimulus: { type: "step", amplitude_uA_per_cm2: amplitude, start_ms: start_ms[i] as number, stop_ms: stop_ms[i] as number },
        record: { variables: [] },
      });
      expect((g as { spike_count: number[] }).spike_count[i], `neuron ${i}: [${start_ms[i]}, ${stop_ms[i]})`).toBe(c.spikes.count[0]);
    }
  });

  it("stops a diverging run with a DivergenceError naming the neuron and step, as the CPU does", async () => {
    // neurons 2, 3: a membrane time constant (Cm/g ≈ 0.02/10 ms) far below dt, so forward Euler explodes
    const Cm = [1, 1, 0.02, 0.02];
    const stimulus = { amplitude_uA_per_cm2: 10, start_ms: 1, stop_ms: 20 };
    const g = (await gpuJob({ dt_ms: 0.025, duration_ms: 20, parameters: { Cm }, stimulus })) as { error?: string; message?: string };
    let cpu: DivergenceError | undefined;
    try {
      simulate({ dt_ms: 0.025, duration_ms: 20, parameters: { Cm }, stimulus: { type: "step", ...stimulus }, record: { variables: [] } });
    } catch (e) {
      cpu = e as DivergenceError;
    }
    expect(cpu).toBeInstanceOf(DivergenceError);
    expect(g.error).toBe("DivergenceError");
    const where = (m: string) => /diverged at t = (\S+) ms in neuron (\d+)/.exec(m)?.slice(1).map(Number);
    expect(where(g.message as string)).toEqual([cpu?.details?.t_ms, cpu?.details?.neuron]);
    expect(g.message).toMatch(/\(GPU, f32; method euler, dt 0.025 ms\); use a smaller dt/);
  });

  it("gpuSweep returns rates in grid order as Float32Array, as a parameter map needs", async () => {
    const spec: SweepSpecInput = {
      ...labFi("euler"),
      axes: [
        { name: "gK", values: [5, 10, 20] },
        { name: "amplitude", values: [2, 6, 10] },
      ],
    };
    const r = await gpu.page.evaluate(async (spec) => {
      // biome-ignore lint/suspicious/noExplicitAny: the test page's global
      const s = (globalThis as any).spikelab;
      const m = await s.gpuSweep(await s.getDevice(), spec);
      return { kind: m.rate_Hz.constructor.name, precision: m.precision, rate: Array.from(m.rate_Hz as Float32Array) };
    }, spec);
    const c = runBatch(parseSweepSpec(spec), range(0, 8, 1));
    expect(r.kind).toBe("Float32Array");
    expect(r.precision).toBe("f32");
    expect(r.rate).toEqual(Array.from(c.rate_Hz, Math.fround));
  });
});
