import { DivergenceError } from "../errors.js";
import { simulate } from "../simulate.js";
import { type ObjectivePart, type PreparedTarget, prepareTarget, scoreCandidate } from "./objective.js";
import { AREA_PARAMETER, type FitProblem } from "./problem.js";

/**
 * Simulates candidates: all candidates × all protocol sweeps as the neurons of ONE batched simulate call
 * (neuron c·S + s is candidate c on sweep s), V recorded every sample_ms. Fitted model constants (one value
 * per run) make one call per candidate instead. A candidate whose neuron diverges gets no traces (null)
 * and the rest are run again without it.
 */
export function simulateCandidates(
  problem: FitProblem,
  X: readonly (readonly number[])[],
): { t_ms: Float64Array; V: (Float64Array[] | null)[] } {
  const out: (Float64Array[] | null)[] = X.map(() => null);
  let t_ms: Float64Array = new Float64Array(0);
  const groups = problem.perRun.length ? X.map((_, c) => [c]) : [X.map((_, c) => c)];
  for (const group of groups) {
    let alive = group;
    while (alive.length) {
      try {
        const r = runGroup(
          problem,
          alive.map((c) => X[c] as readonly number[]),
        );
        t_ms = r.t_ms;
        alive.forEach((c, k) => {
          out[c] = r.V.slice(k * problem.target.length, (k + 1) * problem.target.length);
        });
        break;
      } catch (e) {
        if (!(e instanceof DivergenceError) || e.details === undefined) throw e;
        const bad = alive[Math.floor(e.details.neuron / problem.target.length)];
        alive = alive.filter((c) => c !== bad);
      }
    }
  }
  return { t_ms, V: out };
}

function runGroup(problem: FitProblem, X: readonly (readonly number[])[]): { t_ms: Float64Array; V: Float64Array[] } {
  const S = problem.target.length;
  const n = X.length * S;
  const p = problem.protocol;
  const parameters: Record<string, number | number[]> = { ...problem.fixed };
  delete parameters[AREA_PARAMETER];
  const area = problem.parameters.findIndex((q) => q.name === AREA_PARAMETER);
  problem.parameters.forEach((q, j) => {
    if (q.name === AREA_PARAMETER) return;
    if (problem.perRun.includes(q.name)) parameters[q.name] = (X[0] as readonly number[])[j] as number;
    else parameters[q.name] = Array.from({ length: n }, (_, i) => (X[Math.floor(i / S)] as readonly number[])[j] as number);
  });
  const amplitudes = Array.from({ length: n }, (_, i) => {
    const a = (problem.target[i % S] as { amplitude: number }).amplitude;
    if (p.current_unit === "uA/cm2") return a;
    const um2 = area >= 0 ? ((X[Math.floor(i / S)] as readonly number[])[area] as number) : (problem.fixed[AREA_PARAMETER] as number);
    return (a * 100) / um2;
  });
  const r = simulate({
    model: problem.model,
    method: p.method,
    dt_ms: p.dt_ms,
    duration_ms: p.duration_ms,
    parameters,
    stimulus: { type: "step", amplitude_uA_per_cm2: amplitudes, start_ms: p.start_ms, stop_ms: p.stop_ms },
    record: { variables: ["V"], sample_ms: p.sample_ms },
  });
  return { t_ms: r.t_ms, V: r.traces.V as Float64Array[] };
}

/** A candidate's objective: the total (NaN when its simulation diverged) and the parts. */
export interface Evaluation {
  readonly total: number;
  readonly parts: readonly ObjectivePart[];
}

/** Prepares the target on the model's sample times (one small run gives them). */
export function prepareProblemTarget(problem: FitProblem): { target: PreparedTarget; t_ms: Float64Array } {
  const p = problem.protocol;
  const steps = Math.round(p.duration_ms / p.sample_ms);
  const t_ms = Float64Array.from({ length: steps + 1 }, (_, k) => k * p.sample_ms);
  return { target: prepareTarget(problem.target, p, problem.objective, t_ms), t_ms };
}

/** Evaluates a generation as one batched run. */
export function evaluateCandidates(problem: FitProblem, target: PreparedTarget, X: readonly (readonly number[])[]): Evaluation[] {
  const { t_ms, V } = simulateCandidates(problem, X);
  return V.map((v) => (v ? scoreCandidate(t_ms, v, target, problem.protocol, problem.objective) : { total: Number.NaN, parts: [] }));
}
