/**
 * `spikelab fit`: a model's parameters fitted to a recording (or to a simulated target) with IPOP-CMA-ES,
 * each generation one batched run (src/fit/). Loaded only when it runs.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Command, InvalidArgumentError as CommanderArgError, Option } from "commander";
import { InvalidArgumentError, invalid } from "../errors.js";
import { fitCheckpointFile } from "../fit/checkpointFile.js";
import { type FitHooks, type FitOptions, type FitResult, fitModel, fitModelAsync, type GenerationReport } from "../fit/fit.js";
import { baselineNoise_mV } from "../fit/noise.js";
import { DEFAULT_FIT_FEATURES, type FitSweep, featureTerms } from "../fit/objective.js";
import { FitPool } from "../fit/pool.js";
import { AREA_PARAMETER, type FitParameter, type FitProblem, fitProblem } from "../fit/problem.js";
import { simulatedTarget } from "../fit/synthetic.js";
import { writeFileAtomic } from "../io/files.js";
import { openRecording } from "../io/recordings/open.js";
import { maxWorkers } from "../sweep/pool.js";
import { modelName } from "./common.js";
import { boundedIntegerArg, integerArg, nameValueArg, numberArg, paramArg, positiveArg } from "./parse.js";

interface FitFlags {
  model: string;
  fit: FitParameter[];
  param: Record<string, number>;
  trace?: string;
  sweeps?: number[];
  amplitudes?: number[];
  trueParam: Record<string, number>;
  noiseMv: number;
  noiseSeed: number;
  startMs?: number;
  stopMs?: number;
  durationMs?: number;
  dtMs: number;
  method: string;
  areaUm2?: number;
  features: string[];
  spread: Record<string, number>;
  traceSpreadMv?: number;
  seed: number;
  popsize?: number;
  restarts: number;
  restartAbove?: number;
  refineRestarts: number;
  maxGenerations: number;
  maxEvaluations?: number;
  tolFun: number;
  tolX: number;
  checkpoint?: string;
  resume?: boolean;
  progress?: boolean;
  out?: string;
  json?: boolean;
  workers: number;
  backend: "cpu" | "gpu";
}

const boundsArg = (raw: string, previous: FitParameter[] = []): FitParameter[] => {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^:]+):(.+?)\s*$/.exec(raw);
  const lower = Number(m?.[2]);
  const upper = Number(m?.[3]);
  if (!m || !Number.isFinite(lower) || !Number.isFinite(upper))
    throw new CommanderArgError(`--fit must be NAME=LOWER:UPPER with finite bounds (e.g. gNa=25:100); got "${raw}"`);
  return [...previous, { name: m[1] as string, lower, upper }];
};
const listArg = (flag: string) => (raw: string) =>
  raw.split(",").map((x) => {
    const v = Number(x);
    if (x.trim() === "" || !Number.isFinite(v)) throw new CommanderArgError(`${flag} must be comma-separated numbers; got "${raw}"`);
    return v;
  });

export function fitCommand(): Command {
  const cmd = new Command("fit")
    .description("fit a model's parameters to a recording (or a simulated target) with CMA-ES; each generation one batched run")
    .addOption(new Option("--model <name|file>", "neuron model: a built-in or a model file").default("lab"))
    .option(
      "--fit <name=lower:upper>",
      "a parameter to fit and its bounds, repeatable (e.g. gNa=25:100; area_um2 for a recording in pA)",
      boundsArg,
    )
    .option("--param <name=value>", "hold a model parameter at this value, repeatable", paramArg)
    .option("--trace <file>", "the target: a recording (text, CSV, ABF, NWB) of current steps")
    .option("--sweeps <list>", "with --trace: the sweeps to fit (0-based, comma-separated; default all)", listArg("--sweeps"))
    .option(
      "--amplitudes <list>",
      "step amplitudes per sweep: µA/cm² for a simulated target; pA for a recording without a stimulus table",
      listArg("--amplitudes"),
    )
    .option(
      "--true-param <name=value>",
      "without --trace: the target is simulated with these parameters (repeatable)",
      nameValueArg("--true-param"),
    )
    .option(
      "--noise-mv <mV>",
      "without --trace: Gaussian recording noise added to the simulated target (mV)",
      numberArg("--noise-mv", "mV", (x) => x >= 0, "a number ≥ 0"),
      0.5,
    )
    .option("--noise-seed <n>", "seed of that noise", integerArg("--noise-seed", 0), 1)
    .option("--start-ms <ms>", "step start (ms; default the recording's stimulus, or 20)", numberArg("--start-ms", "ms"))
    .option("--stop-ms <ms>", "step stop (ms; default the recording's stimulus, or 120)", numberArg("--stop-ms", "ms"))
    .option("--duration-ms <ms>", "simulated time (ms; default the recording's length, or 150)", positiveArg("--duration-ms", "ms"))
    .option("--dt-ms <ms>", "time step (ms)", positiveArg("--dt-ms", "ms"), 0.025)
    .option("--method <name>", "integration method", "euler")
    .option(
      "--area-um2 <um2>",
      "a recording in pA: the cell's membrane area (µm²) when not fitted (--fit area_um2=LO:HI)",
      positiveArg("--area-um2", "µm²"),
    )
    .option(
      "--features <list>",
      `eFEL features per sweep (default ${DEFAULT_FIT_FEATURES.join(",")})`,
      (raw: string) => raw.split(",").map((s) => s.trim()),
      [...DEFAULT_FIT_FEATURES],
    )
    .option(
      "--spread <name=value>",
      "a feature's spread (its unit) that one z-score stands for, repeatable",
      nameValueArg("--spread", "Spikecount=1", "a feature"),
    )
    .option(
      "--trace-spread-mv <mV>",
      "refine with the trace distance (spread in mV) after the feature stage",
      positiveArg("--trace-spread-mv", "mV"),
    )
    .option("--seed <n>", "optimizer seed (same seed, same fit)", integerArg("--seed", 0), 1)
    .option("--popsize <n>", "population of the first CMA-ES run (default 4 + 3 ln n)", integerArg("--popsize", 2))
    .option("--restarts <n>", "IPOP restarts (population doubled each)", integerArg("--restarts", 0), 1)
    .option(
      "--refine-restarts <n>",
      "with --trace-spread-mv: restart the trace stage from the features' best (population doubled) while its objective is over twice what the recording's noise alone gives (noise from the baseline before the step)",
      integerArg("--refine-restarts", 0),
      0,
    )
    .option(
      "--restart-above <x>",
      "restart only while the best objective is above this (e.g. the number of feature terms: features × sweeps)",
      positiveArg("--restart-above", ""),
    )
    .option("--max-generations <n>", "stop after this many generations (per stage)", integerArg("--max-generations", 1), 300)
    .option("--max-evaluations <n>", "stop after this many model evaluations (per stage)", integerArg("--max-evaluations", 1))
    .option("--tol-fun <x>", "stop when the objective's recent range is below this", positiveArg("--tol-fun", ""), 1e-3)
    .option("--tol-x <x>", "stop when the step size is below this fraction of every bound's width", positiveArg("--tol-x", ""), 1e-5)
    .option("--checkpoint <file>", "save the optimizer's state here after every generation")
    .option("--resume", "with --checkpoint: continue from it (after a kill)")
    .option("--progress", "print progress on stderr even when it is not a terminal")
    .option("--out <dir>", "write fit.json, model.json (the fitted model) and fit.svg/fit.png into this folder")
    .option("--json", "print the result as one JSON object")
    .option(
      "--workers <count>",
      "worker threads each generation is split over (1: the main thread; the result does not depend on it)",
      boundedIntegerArg("--workers", maxWorkers(), `4 × this machine's ${maxWorkers() / 4} cores`),
      Math.max(1, availableParallelism()),
    )
    .addOption(
      new Option("--backend <name>", "cpu; gpu is refused for now (the GPU path returns spike statistics, not the traces a fit compares)")
        .choices(["cpu", "gpu"])
        .default("cpu"),
    )
    .addHelpText(
      "after",
      `
Examples:
  spikelab fit --model lab --true-param gNa=56 --true-param gK=8.5 --amplitudes=-2,3,8 --fit gNa=25:100 --fit gK=5:20 --out out/fit
  spikelab fit --model hh1952 --trace cell.abf --sweeps 3,6,8 --fit gNa=20:240 --fit gK=5:72 --fit gL=0.01:1 --fit EL=-90:-50 --fit area_um2=1000:60000
  spikelab fit ... --checkpoint fit.ckpt [--resume]`,
    );
  // repeatable flags have no default in the help text ({} and [] say nothing): filled in here
  return cmd.action(async (o: FitFlags) =>
    run({ ...o, fit: o.fit ?? [], param: o.param ?? {}, trueParam: o.trueParam ?? {}, spread: o.spread ?? {} }),
  );
}

async function targetOf(
  o: FitFlags,
): Promise<{ sweeps: FitSweep[]; start: number; stop: number; unit: "uA/cm2" | "pA"; labels: string[] }> {
  if (!o.trace) {
    if (!o.amplitudes)
      throw new InvalidArgumentError("--amplitudes must be given (µA/cm² per sweep) when the target is simulated (no --trace)");
    const start = o.startMs ?? 20;
    const stop = o.stopMs ?? 120;
    const sweeps = simulatedTarget({
      model: o.model,
      parameters: { ...o.param, ...o.trueParam },
      amplitudes_uA_per_cm2: o.amplitudes,
      start_ms: start,
      stop_ms: stop,
      duration_ms: o.durationMs ?? 150,
      dt_ms: o.dtMs,
      method: o.method,
      noise_mV: o.noiseMv,
      seed: o.noiseSeed,
    });
    return { sweeps, start, stop, unit: "uA/cm2", labels: o.amplitudes.map((a) => `${a} µA/cm²`) };
  }
  const rec = await openRecording(o.trace);
  const numbers = o.sweeps ?? rec.sweeps.map((_, i) => i);
  for (const k of numbers)
    if (!(Number.isInteger(k) && k >= 0 && k < rec.sweeps.length))
      throw invalid("--sweeps entry", k, `a sweep of ${o.trace} (0…${rec.sweeps.length - 1})`);
  const chosen = numbers.map((k) => rec.sweeps[k] as (typeof rec.sweeps)[number]);
  if (o.amplitudes && o.amplitudes.length !== chosen.length)
    throw invalid("--amplitudes", o.amplitudes.join(","), `${chosen.length} values, one per fitted sweep`);
  const first = chosen[0]?.stimulus;
  const start = o.startMs ?? first?.start_ms;
  const stop = o.stopMs ?? first?.stop_ms;
  if (start === undefined || stop === undefined)
    throw new InvalidArgumentError(`--start-ms and --stop-ms must be given: ${o.trace} has no stimulus table`);
  const sweeps = chosen.map((s, i) => {
    const st = s.stimulus;
    const pA = o.amplitudes?.[i] ?? (st ? st.amplitude * (st.unit === "nA" ? 1000 : 1) : undefined);
    if (pA === undefined) throw new InvalidArgumentError(`--amplitudes must be given (pA per sweep): ${o.trace} has no stimulus table`);
    return { t_ms: s.t_ms, V_mV: s.V_mV, amplitude: pA };
  });
  return { sweeps, start, stop, unit: "pA", labels: sweeps.map((s, i) => `sweep ${numbers[i]}: ${s.amplitude} pA`) };
}

async function run(o: FitFlags): Promise<void> {
  if (o.backend === "gpu")
    throw new InvalidArgumentError(
      "--backend gpu is not implemented for fit: the GPU path computes spike statistics, not the voltage traces a fit compares; use --backend cpu (--workers N splits each generation over N threads)",
    );
  if (o.resume && !o.checkpoint) throw new InvalidArgumentError("--resume needs --checkpoint FILE (the file to continue from)");
  if (!o.fit.length) throw new InvalidArgumentError('--fit must be given at least once (NAME=LOWER:UPPER, e.g. "gNa=25:100")');
  const t = await targetOf(o);
  const fixed = { ...o.param, ...(o.areaUm2 === undefined ? {} : { [AREA_PARAMETER]: o.areaUm2 }) };
  const features = featureTerms(o.features, o.spread);
  const base = {
    model: o.model,
    parameters: o.fit,
    fixed,
    target: t.sweeps,
    protocol: {
      start_ms: t.start,
      stop_ms: t.stop,
      dt_ms: o.dtMs,
      method: o.method,
      current_unit: t.unit,
      ...(o.durationMs ? { duration_ms: o.durationMs } : {}),
    },
  };
  const stage1 = fitProblem({ ...base, objective: { features } });
  const show_ = o.progress || process.stderr.isTTY;
  const cma = {
    seed: o.seed,
    restarts: o.restarts,
    maxGenerations: o.maxGenerations,
    tolFun: o.tolFun,
    tolX: o.tolX,
    ...(o.popsize ? { populationSize: o.popsize } : {}),
    ...(o.maxEvaluations ? { maxEvaluations: o.maxEvaluations } : {}),
    ...(o.restartAbove === undefined ? {} : { restartAbove: o.restartAbove }),
  };
  const hooks = (stage: string, file: string | undefined) => {
    const ck = file ? fitCheckpointFile(file) : null;
    return {
      ...(ck ? { save: ck.save, resume: o.resume ? ck.load() : null } : {}),
      onGeneration: (g: GenerationReport) => {
        if (!show_) return;
        const p = Object.entries(g.bestParameters)
          .map(([k, v]) => `${k} ${+v.toPrecision(5)}`)
          .join(", ");
        process.stderr.write(
          `${stage} gen ${g.generation} (λ ${g.populationSize}, restart ${g.restart}): best ${g.best.toPrecision(5)}; ${p}; ${g.seconds.toFixed(1)} s\n`,
        );
      },
    };
  };
  // the recording noise, from the baseline before the step (for --refine-restarts and the result)
  const noise = baselineNoise_mV(t.sweeps, t.start);
  const pool = o.workers > 1 ? new FitPool(o.workers) : null;
  const runFit = (problem: FitProblem, options: FitOptions, h: FitHooks) =>
    pool ? fitModelAsync(problem, options, h, pool.evaluate) : Promise.resolve(fitModel(problem, options, h));
  let r: FitResult;
  try {
    r = await runFit(stage1, cma, hooks("features", o.checkpoint));
    if (o.traceSpreadMv) {
      r = await refine(r);
    }
  } finally {
    await pool?.close();
  }
  async function refine(first: FitResult): Promise<FitResult> {
    const stage2 = fitProblem({ ...base, objective: { features, trace: { spread_mV: o.traceSpreadMv as number, weight: 1 } } });
    const r = await runFit(
      stage2,
      {
        ...cma,
        restarts: 0,
        sigma0: 0.03,
        start: first.parameters,
        ...(o.refineRestarts > 0 && Number.isFinite(noise)
          ? {
              restarts: o.refineRestarts,
              restartAt: "x0" as const,
              restartAbove: 2 * t.sweeps.length * (noise / (o.traceSpreadMv as number)) ** 2,
            }
          : {}),
      },
      hooks("trace", o.checkpoint && `${o.checkpoint}.refine`),
    );
    return {
      ...r,
      seconds: r.seconds + first.seconds,
      generations: r.generations + first.generations,
      evaluations: r.evaluations + first.evaluations,
    };
  }
  const summary = {
    model: modelName(o.model),
    parameters: r.parameters,
    spread: r.spread,
    objective: r.objective,
    parts_by_feature: r.parts_by_feature,
    parts: r.parts,
    generations: r.generations,
    evaluations: r.evaluations,
    stop: r.stop,
    runs: r.runs,
    seconds: r.seconds,
    amplitudes_uA_per_cm2: r.amplitudes_uA_per_cm2,
    window_ms: [t.start, t.stop],
    baseline_noise_mV: Number.isFinite(noise) ? noise : null,
  };
  if (o.out) {
    writeFileAtomic(join(o.out, "fit.json"), `${JSON.stringify(summary, null, 2)}\n`);
    writeFileAtomic(join(o.out, "model.json"), `${JSON.stringify(r.model, null, 2)}\n`);
    const { fitFigure } = await import("../plot/fitFigure.js");
    const { svgDocument, svgToPng } = await import("../plot/node.js");
    const svg = fitFigure(svgDocument(), {
      title: `spikelab fit: ${modelName(o.model)} to ${o.trace ?? "a simulated target"}`,
      window_ms: [t.start, t.stop],
      sweeps: t.sweeps.map((s, i) => ({ label: t.labels[i] as string, target: s, fit: { t_ms: r.t_ms, V_mV: r.V_mV[i] as Float64Array } })),
      lines: figureLines(r),
    });
    writeFileAtomic(join(o.out, "fit.svg"), svg);
    writeFileAtomic(join(o.out, "fit.png"), svgToPng(svg));
  }
  if (o.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  for (const line of figureLines(r)) console.log(typeof line === "string" ? line : `${line[0]} ${line[1]}`);
  if (o.out)
    console.log(
      `wrote ${join(o.out, "fit.json")}, model.json, fit.svg, fit.png (spikelab run --model ${join(o.out, "model.json")} reproduces the fit)`,
    );
}

const p5 = (x: number) => (Number.isFinite(x) ? String(+x.toPrecision(5)) : "—");

function figureLines(r: FitResult): (string | readonly [string, string])[] {
  const lines: (string | readonly [string, string])[] = [["fitted parameters", "± slice: Δobjective 1 (population sd)"]];
  for (const [k, v] of Object.entries(r.parameters))
    lines.push(`  ${k} = ${p5(v)} ± ${p5(r.spread[k]?.slice_width ?? Number.NaN)} (${p5(r.spread[k]?.population_sd ?? Number.NaN)})`);
  lines.push(["objective", `${p5(r.objective)} (Σ z²)`], "  per feature (Σ over sweeps of z²):");
  for (const [k, v] of Object.entries(r.parts_by_feature)) lines.push(`  ${k}: ${p5(v)}`);
  const worst = [...r.parts].sort((a, b) => Math.abs(b.z) - Math.abs(a.z)).slice(0, 6);
  lines.push(["largest parts", "(sweep: target → model, z)"]);
  for (const p of worst)
    lines.push(`  ${p.feature} [${p.sweep}]: ${p5(p.target ?? Number.NaN)} → ${p5(p.model ?? Number.NaN)}, z ${p5(p.z)}`);
  lines.push(["search", `${r.generations} generations, ${r.evaluations} evaluations, ${r.seconds.toFixed(1)} s; stop: ${r.stop}`]);
  lines.push(`  amplitudes: ${r.amplitudes_uA_per_cm2.map((a) => p5(a)).join(", ")} µA/cm²`);
  return lines;
}
