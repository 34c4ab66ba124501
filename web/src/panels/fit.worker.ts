/**
 * The Fit view's worker: `fitModel` (src/fit: IPOP-CMA-ES, each generation one batched run) off the page's
 * thread, a progress message after every generation. Cancel terminates the worker (the page starts a new one).
 */
import { type FitResult, fitModel } from "../../../src/fit/fit.js";
import { type FitSweep, featureTerms } from "../../../src/fit/objective.js";
import { AREA_PARAMETER, type FitParameter, fitProblem } from "../../../src/fit/problem.js";
import { simulatedTarget } from "../../../src/fit/synthetic.js";
import { resolveModel } from "../../../src/models/index.js";
import type { NeuronModel } from "../../../src/models/types.js";

export type FitTarget =
  | {
      readonly kind: "simulated";
      /** The parameters the target is simulated with (the live lab's). */
      readonly truth: Readonly<Record<string, number>>;
      readonly amplitudes_uA_per_cm2: readonly number[];
      readonly noise_mV: number;
      readonly seed: number;
    }
  | { readonly kind: "recording"; readonly sweeps: readonly FitSweep[]; readonly area_um2: number };

export interface FitRequest {
  readonly model: string | NeuronModel;
  readonly parameters: readonly FitParameter[];
  /** Parameters held at a value other than the model's. */
  readonly fixed: Readonly<Record<string, number>>;
  readonly target: FitTarget;
  readonly start_ms: number;
  readonly stop_ms: number;
  readonly duration_ms: number;
  readonly features: readonly string[];
  /** Stage 2: the same features plus the trace distance with this spread (mV), from stage 1's best; 0: none. */
  readonly traceSpread_mV: number;
  readonly seed: number;
  readonly maxGenerations: number;
}

export type FitReply =
  | {
      readonly kind: "progress";
      readonly stage: 1 | 2;
      readonly generation: number;
      readonly populationSize: number;
      readonly best: number;
      readonly bestParameters: Readonly<Record<string, number>>;
      readonly seconds: number;
    }
  | {
      readonly kind: "done";
      readonly result: Omit<FitResult, "t_ms" | "V_mV"> & { t_ms: Float64Array; V_mV: Float64Array[] };
      readonly target: readonly FitSweep[];
      readonly unit: "uA/cm2" | "pA";
    }
  | { readonly kind: "error"; readonly message: string };

const post = (r: FitReply) => self.postMessage(r);

self.onmessage = (e: MessageEvent<FitRequest>) => {
  const r = e.data;
  try {
    const model = resolveModel(r.model);
    const t = r.target;
    const target =
      t.kind === "simulated"
        ? simulatedTarget({
            model,
            parameters: t.truth,
            amplitudes_uA_per_cm2: t.amplitudes_uA_per_cm2,
            start_ms: r.start_ms,
            stop_ms: r.stop_ms,
            duration_ms: r.duration_ms,
            noise_mV: t.noise_mV,
            seed: t.seed,
          })
        : t.sweeps;
    const unit = t.kind === "simulated" ? "uA/cm2" : "pA";
    const fixed = t.kind === "recording" ? { ...r.fixed, [AREA_PARAMETER]: t.area_um2 } : r.fixed;
    const features = featureTerms(r.features);
    const base = {
      model,
      parameters: r.parameters,
      fixed,
      target,
      protocol: { start_ms: r.start_ms, stop_ms: r.stop_ms, duration_ms: r.duration_ms, current_unit: unit },
    } as const;
    const progress = (stage: 1 | 2) => ({
      onGeneration: (g: {
        generation: number;
        populationSize: number;
        best: number;
        bestParameters: Record<string, number>;
        seconds: number;
      }) => post({ kind: "progress", stage, ...g, bestParameters: { ...g.bestParameters } }),
    });
    const cma = { seed: r.seed, restarts: 0, maxGenerations: r.maxGenerations, tolFun: 1e-3, tolX: 1e-5 };
    let result = fitModel(fitProblem({ ...base, objective: { features } }), cma, progress(1));
    if (r.traceSpread_mV > 0) {
      const first = result;
      result = fitModel(
        fitProblem({ ...base, objective: { features, trace: { spread_mV: r.traceSpread_mV, weight: 1 } } }),
        { ...cma, sigma0: 0.03, start: first.parameters },
        progress(2),
      );
      result = {
        ...result,
        generations: first.generations + result.generations,
        evaluations: first.evaluations + result.evaluations,
        seconds: first.seconds + result.seconds,
      };
    }
    post({
      kind: "done",
      result: { ...result, t_ms: result.t_ms, V_mV: [...result.V_mV] },
      target: [...target],
      unit,
    });
  } catch (err) {
    post({ kind: "error", message: (err as Error).message });
  }
};
