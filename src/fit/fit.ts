import { invalid } from "../errors.js";
import { shiftParameter } from "../models/compile.js";
import type { NeuronModel } from "../models/types.js";
import { CmaEs, type CmaEsOptions, type CmaEsState, type StopReason } from "./cmaes.js";
import { evaluateCandidates, prepareProblemTarget, simulateCandidates } from "./evaluate.js";
import { type ObjectivePart, type PreparedTarget, partsByFeature } from "./objective.js";
import { AREA_PARAMETER, type FitProblem, type FitProblemInput, fitProblem } from "./problem.js";

/** The optimizer's settings (CMA-ES, cmaes.ts); bounds and start point come from the problem. */
export type FitOptions = Omit<CmaEsOptions, "lower" | "upper" | "x0"> & {
  /** Start point by parameter name (default each parameter's model default, or its bounds' centre). */
  readonly start?: Readonly<Record<string, number>>;
};

/** What each generation reports (progress). */
export interface GenerationReport {
  readonly generation: number;
  readonly evaluations: number;
  readonly restart: number;
  readonly populationSize: number;
  readonly best: number;
  readonly bestParameters: Readonly<Record<string, number>>;
  readonly generationBest: number;
  readonly seconds: number;
}

/** A checkpoint: the optimizer's whole state, saved after each generation, and what it belongs to. */
export interface FitCheckpoint {
  readonly kind: "spikelab-fit-checkpoint";
  readonly problem: string;
  readonly cmaes: CmaEsState;
  readonly seconds: number;
}

export interface FitHooks {
  /** Called after each generation (progress: generation, best objective, its parameters, seconds). */
  onGeneration?(report: GenerationReport): void;
  /** Called after each generation with the state to save (a file: fitCheckpointFile in checkpointFile.ts). */
  save?(checkpoint: FitCheckpoint): void;
  /** A saved checkpoint to continue from. */
  resume?: FitCheckpoint | null;
}

export interface FitResult {
  readonly parameters: Readonly<Record<string, number>>;
  readonly objective: number;
  /** The best candidate's parts, each feature per sweep, and summed per feature. */
  readonly parts: readonly ObjectivePart[];
  readonly parts_by_feature: Readonly<Record<string, number>>;
  /**
   * Uncertainty: the standard deviation of each parameter over the best half of the final generation, and
   * the search distribution's own standard deviation σ·√C_ii at the end (in the parameter's unit); and
   * slice_width, the change of that parameter alone (the others at the best) that raises the objective by 1
   * (one z²), from a parabola through the best and ±0.5 % (null where the slice is not convex). With the trace
   * spread set to the recording's noise this is the data's 1-σ; with a larger spread, scale it by noise/spread.
   */
  readonly spread: Readonly<Record<string, { population_sd: number; search_sd: number; slice_width: number | null }>>;
  readonly generations: number;
  readonly evaluations: number;
  readonly stop: StopReason;
  readonly runs: CmaEsState["runs"];
  readonly seconds: number;
  /** The fitted model's V on each sweep (t_ms shared), for the figure. */
  readonly t_ms: Float64Array;
  readonly V_mV: readonly Float64Array[];
  /** The fitted model as a model file (V0 at rest); area_um2 is not part of it (see `amplitudes_uA_per_cm2`). */
  readonly model: NeuronModel;
  /** The sweeps' step amplitudes in the model's unit, for `spikelab run --amplitude`. */
  readonly amplitudes_uA_per_cm2: readonly number[];
}

/** A fingerprint of what a checkpoint belongs to (parameters, bounds, target size, protocol, objective). */
const fingerprint = (p: FitProblem, o: FitOptions) =>
  JSON.stringify({
    model: p.model.name,
    parameters: p.parameters,
    fixed: p.fixed,
    sweeps: p.target.map((s) => [s.amplitude, s.t_ms.length]),
    protocol: p.protocol,
    objective: p.objective,
    seed: o.seed ?? 1,
  });

/** Evaluates a generation: each candidate's objective (NaN where its simulation diverged), in order. */
export type GenerationEvaluator = (problem: FitProblem, X: readonly (readonly number[])[]) => Promise<number[]>;

/**
 * Fits the problem's parameters with IPOP-CMA-ES, each generation one batched run (evaluate.ts).
 * Deterministic for a seed; resumes from a checkpoint exactly where it stopped.
 */
export function fitModel(input: FitProblemInput | FitProblem, options: FitOptions = {}, hooks: FitHooks = {}): FitResult {
  const run = new FitRun(input, options, hooks);
  while (!run.done) run.tell(run.target.evaluate(run.ask()));
  return run.result();
}

/**
 * fitModel with each generation evaluated by `evaluate` (e.g. split over worker threads, pool.ts's FitPool).
 * Each candidate's objective does not depend on which batch it ran in, so the result equals fitModel's.
 */
export async function fitModelAsync(
  input: FitProblemInput | FitProblem,
  options: FitOptions,
  hooks: FitHooks,
  evaluate: GenerationEvaluator,
): Promise<FitResult> {
  const run = new FitRun(input, options, hooks);
  while (!run.done) run.tell(await evaluate(run.problem, run.ask()));
  return run.result();
}

/** One fit, a generation at a time: ask for candidates, tell their objectives, then the result. */
class FitRun {
  readonly problem: FitProblem;
  readonly target: { readonly prepared: PreparedTarget; evaluate(X: readonly (readonly number[])[]): number[] };
  private readonly names: string[];
  private readonly lower: number[];
  private readonly upper: number[];
  private readonly x0: number[];
  private readonly print: string;
  private readonly es: CmaEs;
  private readonly before: number;
  private readonly t0 = performance.now();
  private X: number[][] = [];

  constructor(
    input: FitProblemInput | FitProblem,
    options: FitOptions,
    private readonly hooks: FitHooks,
  ) {
    const problem = "perRun" in input ? input : fitProblem(input);
    this.problem = problem;
    const { target } = prepareProblemTarget(problem);
    this.target = { prepared: target, evaluate: (X) => evaluateCandidates(problem, target, X).map((e) => e.total) };
    const names = problem.parameters.map((p) => p.name);
    const lower = problem.parameters.map((p) => p.lower);
    const upper = problem.parameters.map((p) => p.upper);
    this.names = names;
    this.lower = lower;
    this.upper = upper;
    this.x0 = problem.defaults.map((d, i) =>
      Math.min(
        upper[i] as number,
        Math.max(
          lower[i] as number,
          options.start?.[names[i] as string] ?? (Number.isFinite(d) ? d : ((lower[i] as number) + (upper[i] as number)) / 2),
        ),
      ),
    );
    this.print = fingerprint(problem, options);
    if (hooks.resume) {
      if (hooks.resume.kind !== "spikelab-fit-checkpoint" || hooks.resume.problem !== this.print)
        throw invalid(
          "checkpoint",
          "a different fit",
          "the checkpoint of this same fit (model, parameters, bounds, target, protocol, objective, seed)",
        );
      this.es = new CmaEs({ state: hooks.resume.cmaes });
      this.before = hooks.resume.seconds;
    } else {
      const { start: _, ...cma } = options;
      this.es = new CmaEs({ ...cma, lower, upper, x0: this.x0 });
      this.before = 0;
    }
  }

  get done(): boolean {
    return this.es.state.stopped !== null;
  }

  private seconds(): number {
    return this.before + (performance.now() - this.t0) / 1000;
  }

  private named(x: readonly number[]): Record<string, number> {
    return Object.fromEntries(this.names.map((n, i) => [n, x[i] as number]));
  }

  ask(): number[][] {
    this.X = this.es.ask();
    return this.X;
  }

  tell(values: readonly number[]): void {
    this.es.tell(values as number[]);
    const s = this.es.state;
    this.hooks.save?.({ kind: "spikelab-fit-checkpoint", problem: this.print, cmaes: s, seconds: this.seconds() });
    this.hooks.onGeneration?.({
      generation: s.generations,
      evaluations: s.evaluations,
      restart: s.restart,
      populationSize: this.X.length,
      best: s.best?.value ?? Number.NaN,
      bestParameters: this.named(s.best?.x ?? []),
      generationBest: Math.min(...values.filter(Number.isFinite)),
      seconds: this.seconds(),
    });
  }

  result(): FitResult {
    const { problem, names, lower, upper } = this;
    const target = this.target.prepared;
    const s = this.es.state;
    const best = s.best?.x ?? this.x0;
    const final = evaluateCandidates(problem, target, [best])[0];
    const { t_ms, V } = simulateCandidates(problem, [best]);
    const top = s.lastPopulation.slice(0, Math.max(2, Math.floor(s.lastPopulation.length / 2)));
    const n = names.length;
    const slices = sliceWidths(problem, target, best, final?.total ?? Number.NaN, lower, upper);
    const spread = Object.fromEntries(
      names.map((name, i) => {
        const xs = top.map((c) => c.x[i] as number);
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
        const width = (upper[i] as number) - (lower[i] as number);
        return [
          name,
          { population_sd: sd, search_sd: s.sigma * Math.sqrt(s.C[i * n + i] as number) * width, slice_width: slices[i] ?? null },
        ];
      }),
    );
    const parameters = this.named(best);
    return {
      parameters,
      objective: final?.total ?? Number.NaN,
      parts: final?.parts ?? [],
      parts_by_feature: partsByFeature(final?.parts ?? [], problem.objective),
      spread,
      generations: s.generations,
      evaluations: s.evaluations,
      stop: s.stopped as StopReason,
      runs: s.runs,
      seconds: this.seconds(),
      t_ms,
      V_mV: V[0] ?? [],
      model: fittedModel(problem, parameters),
      amplitudes_uA_per_cm2: problem.target.map((sw) =>
        problem.protocol.current_unit === "uA/cm2"
          ? sw.amplitude
          : (sw.amplitude * 100) / (parameters[AREA_PARAMETER] ?? (problem.fixed[AREA_PARAMETER] as number)),
      ),
    };
  }
}

/**
 * For each parameter, the change alone that raises the objective by 1, from the parabola through f(best) and
 * f(best ± h), h = 0.5 % of the value (or of the bounds' width at 0), evaluated as one batched run of 2n candidates.
 */
function sliceWidths(
  problem: FitProblem,
  target: ReturnType<typeof prepareProblemTarget>["target"],
  best: readonly number[],
  f0: number,
  lower: readonly number[],
  upper: readonly number[],
): (number | null)[] {
  const h = best.map((x, i) => 0.005 * (Math.abs(x) || (upper[i] as number) - (lower[i] as number)));
  const X: number[][] = [];
  best.forEach((_, i) => {
    for (const sign of [1, -1]) X.push(best.map((x, j) => (j === i ? x + sign * (h[i] as number) : x)));
  });
  let f: number[];
  try {
    f = evaluateCandidates(problem, target, X).map((e) => e.total);
  } catch {
    f = X.map(() => Number.NaN); // a step out of a parameter's valid range (a value at 0): no slice
  }
  return best.map((_, i) => {
    const curvature = ((f[2 * i] as number) + (f[2 * i + 1] as number) - 2 * f0) / (h[i] as number) ** 2;
    return curvature > 0 && Number.isFinite(curvature) ? Math.sqrt(2 / curvature) : null;
  });
}

/** The model with the fitted (and fixed) values written into it: Cm, celsius, channels' g and E, gate shifts, constants; V0 at rest. */
export function fittedModel(problem: FitProblem, values: Readonly<Record<string, number>>): NeuronModel {
  const all = { ...problem.fixed, ...values };
  const m = problem.model;
  const constants = m.constants ? Object.fromEntries(Object.entries(m.constants).map(([k, v]) => [k, all[k] ?? v])) : undefined;
  return {
    ...m,
    name: `${m.name}-fit`,
    title: `${m.title} (fitted by spikelab fit: ${Object.entries(values)
      .map(([k, v]) => `${k} ${+v.toPrecision(6)}`)
      .join(", ")})`,
    cm_uF_per_cm2: all.Cm ?? m.cm_uF_per_cm2,
    v0_mV: all.V0 ?? "rest",
    ...(all.celsius === undefined ? {} : { celsius: all.celsius }),
    ...(constants ? { constants } : {}),
    channels: m.channels.map((c) => ({
      ...c,
      ...(c.ghk
        ? { ghk: { ...c.ghk, permeability_cm_per_s: all[`P${c.name}`] ?? c.ghk.permeability_cm_per_s } }
        : { gMax_mS_per_cm2: all[`g${c.name}`] ?? c.gMax_mS_per_cm2, eRev_mV: all[`E${c.name}`] ?? c.eRev_mV }),
      gates: c.gates.map((g) => {
        const shift = all[shiftParameter(g.name)];
        return shift === undefined ? g : { ...g, vShift_mV: shift };
      }),
    })),
  };
}
