import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  baselineNoise_mV,
  evaluateCandidates,
  type FitCheckpoint,
  featureTerms,
  fitModel,
  fitModelAsync,
  fitProblem,
  InvalidArgumentError,
  parseModel,
  prepareProblemTarget,
  simulate,
  simulateCandidates,
  simulatedTarget,
} from "../src/index.js";
import { FitPool } from "../src/node.js";

// a small, fast configuration: the lab model, 2 sweeps of 60 ms, gK and EL fitted (bench/fit-recovery.ts runs the full one)
const truth = { gK: 11, EL: -66 };
const targetSpec = {
  model: "lab",
  parameters: truth,
  amplitudes_uA_per_cm2: [-2, 6],
  start_ms: 10,
  stop_ms: 50,
  duration_ms: 60,
  noise_mV: 0.5,
  seed: 3,
};
const target = simulatedTarget(targetSpec);
const problem = {
  model: "lab",
  parameters: [
    { name: "gK", lower: 5, upper: 20 },
    { name: "EL", lower: -75, upper: -55 },
  ],
  target,
  protocol: { start_ms: 10, stop_ms: 50, duration_ms: 60 },
  objective: { features: featureTerms(["Spikecount", "voltage_base"]), trace: { spread_mV: 2, weight: 1 } },
};
const options = { seed: 5, restarts: 0, maxGenerations: 150, tolFun: 1e-4, tolX: 1e-5 };

describe("fit (library)", () => {
  const r = fitModel(problem, options);

  it("recovers gK and EL within 1 % from noisy simulated data", () => {
    expect(Math.abs(((r.parameters.gK as number) - truth.gK) / truth.gK)).toBeLessThan(0.01);
    expect(Math.abs(((r.parameters.EL as number) - truth.EL) / truth.EL)).toBeLessThan(0.01);
    // at the optimum the trace term is the noise: RMS ≈ 0.5 mV per sweep
    const rms = r.parts.filter((p) => p.feature === "trace_rms_mV").map((p) => p.model as number);
    for (const x of rms) expect(x).toBeCloseTo(0.5, 1);
  });

  it("split over worker threads (FitPool, fitModelAsync) gives the same fit, generation for generation", async () => {
    const pool = new FitPool(2);
    try {
      const bests: number[][] = [[], []];
      const short = { ...options, maxGenerations: 25 };
      const serial = fitModel(problem, short, { onGeneration: (g) => bests[0]?.push(g.best) });
      const parallel = await fitModelAsync(problem, short, { onGeneration: (g) => bests[1]?.push(g.best) }, pool.evaluate);
      expect(bests[1]).toEqual(bests[0]);
      expect(parallel.parameters).toEqual(serial.parameters);
      expect(parallel.objective).toBe(serial.objective);
    } finally {
      await pool.close();
    }
  });

  it("estimates the recording noise from the baseline before the step (0.5 mV added; 200 differences: within 15 %)", () => {
    expect(Math.abs(baselineNoise_mV(target, 10) - 0.5) / 0.5).toBeLessThan(0.15);
    const clean = simulatedTarget({ ...targetSpec, noise_mV: 0 });
    expect(baselineNoise_mV(clean, 10)).toBeLessThan(1e-3);
    expect(baselineNoise_mV(target, 0)).toBeNaN();
  });

  it("gives each parameter's slice width: moving it alone by that much raises the objective by about 1", () => {
    const p = fitProblem(problem);
    const { target: pt } = prepareProblemTarget(p);
    const best = [r.parameters.gK as number, r.parameters.EL as number];
    ["gK", "EL"].forEach((k, i) => {
      const w = r.spread[k]?.slice_width as number;
      expect(w).toBeGreaterThan(0);
      const moved = best.map((x, j) => (j === i ? x + w : x));
      const [e] = evaluateCandidates(p, pt, [moved]);
      // a parabola fitted over ±0.5 %: the rise at ±w is 1 to within the objective's curvature changes (measured 0.95 for gK, 1.25 for EL)
      expect((e?.total as number) - r.objective).toBeGreaterThan(0.7);
      expect((e?.total as number) - r.objective).toBeLessThan(1.4);
    });
  });

  it("reports the objective's parts per feature and sweep, summing to the total", () => {
    expect(Object.keys(r.parts_by_feature).sort()).toEqual(["Spikecount", "trace_rms_mV", "voltage_base"]);
    const sum = Object.values(r.parts_by_feature).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(r.objective, 10);
    expect(r.parts.filter((p) => p.feature === "Spikecount").map((p) => p.sweep)).toEqual([0, 1]);
  });

  it("a candidate inside the generation's batch has the traces of a run of its own", () => {
    const p = fitProblem(problem);
    const X = [
      [9, -64],
      [12, -67],
    ];
    const batch = simulateCandidates(p, X);
    const alone = simulate({
      model: p.model,
      parameters: { gK: 12, EL: -67 },
      stimulus: { type: "step", amplitude_uA_per_cm2: 6, start_ms: 10, stop_ms: 50 },
      duration_ms: 60,
      dt_ms: 0.025,
      record: { variables: ["V"], sample_ms: 0.1 },
    });
    expect(batch.V[1]?.[1]).toEqual(alone.traces.V?.[0]);
  });

  it("the fitted model file reproduces the fitted trace", () => {
    const m = parseModel(JSON.parse(JSON.stringify(r.model)));
    const again = simulate({
      model: m,
      stimulus: { type: "step", amplitude_uA_per_cm2: r.amplitudes_uA_per_cm2[1] as number, start_ms: 10, stop_ms: 50 },
      duration_ms: 60,
      dt_ms: 0.025,
      record: { variables: ["V"], sample_ms: 0.1 },
    });
    expect(again.traces.V?.[0]).toEqual(r.V_mV[1]);
  });

  it("the same seed gives the same fit; a fit resumed from a checkpoint ends where an uninterrupted one does", () => {
    const saved: FitCheckpoint[] = [];
    // the checkpoint a file holds after generation 20 (what a kill at that moment leaves)
    fitModel(problem, options, {
      save: (c) => {
        if (c.cmaes.generations === 20) saved.push(JSON.parse(JSON.stringify(c)));
      },
    });
    const resumedState = saved[0] as FitCheckpoint;
    expect(resumedState.cmaes.stopped).toBeNull();
    const resumed = fitModel(problem, options, { resume: resumedState });
    expect(resumed.parameters).toEqual(r.parameters);
    expect(fitModel(problem, options).parameters).toEqual(r.parameters);
  });

  it("fits a gate shift held in a model constant (Morris–Lecar's V3, half-activation of w): one run per candidate", () => {
    const ml = simulatedTarget({
      model: "morris-lecar",
      parameters: { V3: 4 },
      amplitudes_uA_per_cm2: [20, 100],
      start_ms: 20,
      stop_ms: 180,
      duration_ms: 200,
      noise_mV: 0.5,
      seed: 2,
    });
    const fit = fitModel(
      {
        model: "morris-lecar",
        parameters: [{ name: "V3", lower: -5, upper: 10 }],
        target: ml,
        protocol: { start_ms: 20, stop_ms: 180, duration_ms: 200 },
        objective: { features: featureTerms(["Spikecount"]), trace: { spread_mV: 2, weight: 1 } },
      },
      { seed: 1, restarts: 0, maxGenerations: 40, tolFun: 1e-4 },
    );
    expect(
      fitProblem({
        model: "morris-lecar",
        parameters: [{ name: "V3", lower: -5, upper: 10 }],
        target: ml,
        protocol: { start_ms: 20, stop_ms: 180 },
      }).perRun,
    ).toEqual(["V3"]);
    expect(Math.abs((fit.parameters.V3 as number) - 4)).toBeLessThan(0.08); // 2 %
  });

  it.each([
    [{ parameters: [{ name: "gCa", lower: 0, upper: 1 }] }, /fit parameter name for model "lab" must be one of Cm, gNa, ENa.*; got "gCa"/],
    [
      { parameters: [{ name: "gK", lower: 12, upper: 20 }] },
      /bounds of gK must be an interval that contains the model's default gK = 10; got "12:20"/,
    ],
    [
      {
        target: simulatedTarget({
          model: "lab",
          parameters: {},
          amplitudes_uA_per_cm2: [0],
          start_ms: 10,
          stop_ms: 50,
          duration_ms: 60,
          noise_mV: 0,
          seed: 1,
        }),
        objective: { features: featureTerms(["AP_amplitude"]) },
      },
      /target must be a trace with spikes when spike features are fitted \(AP_amplitude\)/,
    ],
  ])("refuses bad input in one line (%#)", (change, message) => {
    const bad = { ...problem, ...change };
    expect(() => fitModel(bad as typeof problem, options)).toThrow(InvalidArgumentError);
    expect(() => fitModel(bad as typeof problem, options)).toThrow(message);
  });
});

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, "fit", ...args], { encoding: "utf8" });

describe("spikelab fit (CLI)", () => {
  it.each([
    [["--amplitudes=-2,6", "--fit", "gCa=0:1"], 'fit parameter name for model "lab" must be one of'],
    [["--amplitudes=-2,6", "--fit", "gK=12:20"], "bounds of gK must be an interval that contains the model's default gK = 10"],
    [
      ["--amplitudes=0", "--fit", "gK=5:20", "--features", "AP_amplitude"],
      "target must be a trace with spikes when spike features are fitted",
    ],
    [["--amplitudes=-2,6", "--fit", "gK=5"], "--fit must be NAME=LOWER:UPPER"],
    [
      ["--amplitudes=-2,6", "--fit", "gK=5:20", "--spread", "Spikecount"],
      '--spread must be NAME=VALUE (e.g. Spikecount=1); got "Spikecount"',
    ],
    [["--amplitudes=-2,6", "--fit", "gK=5:20", "--true-param", "gK"], '--true-param must be NAME=VALUE (e.g. gNa=60); got "gK"'],
    [["--amplitudes=-2,6", "--fit", "gK=5:20", "--backend", "gpu"], "--backend gpu is not implemented for fit"],
    [["--amplitudes=-2,6", "--fit", "vShift_m=-120:10"], "bounds of vShift_m (mV) must be inside the parameter's range [-100, 100]"],
  ])("`fit %s` exits 2 with one line", (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it("fits, writes the result, the model file and the figure, and `run --model` reproduces the fitted trace", () => {
    const out = mkdtempSync(join(tmpdir(), "spikelab-fit-"));
    const args = ["--true-param", "gK=11", "--amplitudes=-2,6", "--start-ms", "10", "--stop-ms", "50", "--duration-ms", "60"];
    const r = cli(
      ...args,
      "--fit",
      "gK=5:20",
      "--features",
      "Spikecount,voltage_base",
      "--trace-spread-mv",
      "2",
      "--max-generations",
      "60",
      "--out",
      out,
      "--json",
    );
    expect(r.status).toBe(0);
    const res = JSON.parse(r.stdout);
    expect(Math.abs(res.parameters.gK - 11) / 11).toBeLessThan(0.02);
    expect(readFileSync(join(out, "fit.png")).subarray(1, 4).toString()).toBe("PNG");
    const run = spawnSync(
      process.execPath,
      [
        bin,
        "run",
        "--model",
        join(out, "model.json"),
        "--amplitude",
        "6",
        "--start-ms",
        "10",
        "--stop-ms",
        "50",
        "--duration-ms",
        "60",
        "--json",
      ],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(0);
    const fitted = JSON.parse(readFileSync(join(out, "fit.json"), "utf8"));
    expect(fitted.parameters.gK).toBe(res.parameters.gK);
    expect(JSON.parse(run.stdout).spike_count).toBeGreaterThan(0);
  });

  it("with --workers 2 (a generation split over two threads) gives the same fit as --workers 1, a gate shift among the parameters", () => {
    const args = [
      "--true-param",
      "gK=11",
      "--true-param",
      "vShift_m=-3",
      "--amplitudes=-2,6",
      "--start-ms",
      "10",
      "--stop-ms",
      "50",
      "--duration-ms",
      "60",
      "--fit",
      "gK=5:20",
      "--fit",
      "vShift_m=-10:10",
      "--features",
      "Spikecount,time_to_first_spike,voltage_base",
      "--max-generations",
      "15",
      "--json",
    ];
    const one = cli(...args, "--workers", "1");
    const two = cli(...args, "--workers", "2");
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    const a = JSON.parse(one.stdout);
    const b = JSON.parse(two.stdout);
    expect(b.parameters).toEqual(a.parameters);
    expect(b.objective).toBe(a.objective);
    expect(a.generations).toBe(15);
    expect(Object.keys(a.parameters)).toEqual(["gK", "vShift_m"]);
  });
});
