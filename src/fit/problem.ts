import { invalid } from "../errors.js";
import { type ModelRef, resolveModel } from "../models/index.js";
import { modelParameters } from "../models/parameters.js";
import type { NeuronModel } from "../models/types.js";
import type { Ms } from "../units.js";
import { DEFAULT_FIT_FEATURES, type FitSweep, featureTerms, type ObjectiveSpec } from "./objective.js";

/**
 * A fit problem: a model, the parameters to fit with their bounds, the target sweeps and the protocol
 * (a current step per sweep on one window), and the objective.
 */

/** The stimulus scale of a recorded cell: I (pA) becomes I·100/area_um2 µA/cm² (1 µm² = 1e-8 cm²). */
export const AREA_PARAMETER = "area_um2";

export interface FitParameter {
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
}

export interface FitProtocol {
  readonly start_ms: Ms;
  readonly stop_ms: Ms;
  /** Simulated time; default the target's length, cut to whole steps. */
  readonly duration_ms?: Ms;
  readonly dt_ms?: Ms;
  readonly method?: string;
  /** The model's V is recorded (and compared) every sample_ms. Default 0.1 (eFEL's interp_step). */
  readonly sample_ms?: Ms;
  /** The unit of the sweeps' amplitudes: µA/cm² (a model's own unit) or pA (a recorded cell; needs area_um2). */
  readonly current_unit?: "uA/cm2" | "pA";
}

export interface FitProblemInput {
  readonly model: ModelRef;
  readonly parameters: readonly FitParameter[];
  /** Parameters held at a value other than the model's (e.g. area_um2 when it is assumed, not fitted). */
  readonly fixed?: Readonly<Record<string, number>>;
  readonly target: readonly FitSweep[];
  readonly protocol: FitProtocol;
  readonly objective?: ObjectiveSpec;
}

export interface FitProblem {
  /** The model as simulated: V0 at each neuron's own resting potential ("rest"). */
  readonly model: NeuronModel;
  readonly parameters: readonly FitParameter[];
  readonly fixed: Readonly<Record<string, number>>;
  readonly target: readonly FitSweep[];
  readonly protocol: Required<FitProtocol>;
  readonly objective: ObjectiveSpec;
  /** The fitted parameters that are model constants (one value per run: those candidates run one at a time). */
  readonly perRun: readonly string[];
  /** Each fitted parameter's model default (NaN for area_um2). */
  readonly defaults: readonly number[];
}

/** Checks a fit problem and fills in its defaults; every error is one line naming the argument. */
export function fitProblem(input: FitProblemInput): FitProblem {
  const base = resolveModel(input.model);
  const model: NeuronModel = { ...base, v0_mV: "rest" };
  const info = modelParameters(base);
  const known = new Map(info.map((p) => [p.name, p]));
  const constants = new Set(Object.keys(base.constants ?? {}));
  const unit = input.protocol.current_unit ?? "uA/cm2";
  const names = [...known.keys()].filter((n) => n !== "V0");
  const fixed = { ...(input.fixed ?? {}) };
  if (!input.parameters.length) throw invalid("fit parameters", "none", `at least one of ${names.join(", ")}`);
  const seen = new Set<string>();
  const defaults = input.parameters.map((p) => {
    if (seen.has(p.name)) throw invalid("fit parameter", p.name, "each parameter once");
    seen.add(p.name);
    if (p.name === AREA_PARAMETER) {
      if (unit !== "pA") throw invalid("fit parameter", p.name, `a model parameter (${names.join(", ")}); area_um2 scales a current in pA`);
    } else if (!known.has(p.name) || p.name === "V0")
      throw invalid(
        `fit parameter name for model "${base.name}"`,
        p.name,
        `one of ${names.join(", ")}${unit === "pA" ? `, ${AREA_PARAMETER}` : ""}`,
      );
    if (!(Number.isFinite(p.lower) && Number.isFinite(p.upper) && p.lower < p.upper))
      throw invalid(`bounds of ${p.name}`, `${p.lower}:${p.upper}`, "finite numbers with lower < upper");
    const info = known.get(p.name);
    if (info && (p.lower < info.min || p.upper > info.max))
      throw invalid(
        `bounds of ${p.name} (${info.unit})`,
        `${p.lower}:${p.upper}`,
        `inside the parameter's range [${info.min}, ${info.max}]`,
      );
    const def = fixed[p.name] ?? info?.value ?? Number.NaN;
    if (Number.isFinite(def) && !(def >= p.lower && def <= p.upper))
      throw invalid(`bounds of ${p.name}`, `${p.lower}:${p.upper}`, `an interval that contains the model's default ${p.name} = ${def}`);
    delete fixed[p.name];
    return def;
  });
  for (const k of Object.keys(fixed))
    if (!known.has(k) && k !== AREA_PARAMETER)
      throw invalid(`fixed parameter name for model "${base.name}"`, k, `one of ${names.join(", ")}`);
  if (unit === "pA" && !seen.has(AREA_PARAMETER) && fixed[AREA_PARAMETER] === undefined)
    throw invalid("area_um2", "missing", "fitted or fixed when the target's currents are in pA");
  if (!input.target.length) throw invalid("target", "no sweeps", "one or more sweeps");
  const p = input.protocol;
  if (!(Number.isFinite(p.start_ms) && p.stop_ms > p.start_ms))
    throw invalid("protocol stop_ms", p.stop_ms, `a time after start_ms (${p.start_ms})`);
  const dt = p.dt_ms ?? 0.025;
  const sample = p.sample_ms ?? Math.max(dt, 0.1);
  const shortest = Math.min(...input.target.map((s) => s.t_ms[s.t_ms.length - 1] ?? 0));
  const duration = p.duration_ms ?? Math.floor(shortest / sample + 1e-9) * sample;
  if (!(duration > p.stop_ms)) throw invalid("protocol duration_ms", duration, `longer than the step (stop_ms ${p.stop_ms})`);
  return {
    model,
    parameters: input.parameters,
    fixed,
    target: input.target,
    protocol: {
      start_ms: p.start_ms,
      stop_ms: p.stop_ms,
      duration_ms: duration,
      dt_ms: dt,
      method: p.method ?? "euler",
      sample_ms: sample,
      current_unit: unit,
    },
    objective: input.objective ?? { features: featureTerms(DEFAULT_FIT_FEATURES) },
    perRun: input.parameters.map((q) => q.name).filter((n) => constants.has(n)),
    defaults,
  };
}
