import { DivergenceError, invalid } from "../errors.js";
import type { ModelRef } from "../models/index.js";
import { simulate } from "../simulate.js";
import type { Ms, MV, UAPerCm2 } from "../units.js";
import { ALL_OR_NONE_MIN_RATIO, allOrNoneRatio } from "./allOrNone.js";
import { batchedBisection } from "./bisect.js";

/** The simulation settings every threshold search shares. */
export interface RunSettings {
  readonly model?: ModelRef;
  readonly parameters?: Readonly<Record<string, number>>;
  readonly dt_ms: Ms;
  readonly method?: string;
  /** Spike detection threshold (mV); default 0. */
  readonly spike_threshold_mV?: MV;
}

export const DEFAULT_TOLERANCE_UA_PER_CM2 = 0.001;

export interface ThresholdSearchResult {
  /** The smallest amplitude found to fire (µA/cm²), or null when none up to `max_uA_per_cm2` fires. */
  readonly threshold_uA_per_cm2: UAPerCm2 | null;
  /** A bracket [does not fire, fires] of width ≤ tolerance (null when not found). */
  readonly bracket_uA_per_cm2: [UAPerCm2, UAPerCm2] | null;
  readonly tolerance_uA_per_cm2: UAPerCm2;
  readonly max_uA_per_cm2: UAPerCm2;
  /** Batched simulation runs used. */
  readonly runs: number;
  /** Why there is no number, in words; null when there is one. */
  readonly note: string | null;
}

/**
 * The smallest current amplitude for which `fires` says a spike was evoked, for one stimulus shape.
 * Round 1 evaluates 0 and a doubling ladder up to `max` in one batch (finding the bracket); then a
 * batched bisection with `probes` points per round narrows it to `tolerance`.
 */
export function currentThreshold(
  fires: (amplitudes: Float64Array) => ArrayLike<boolean>,
  options: {
    tolerance_uA_per_cm2?: UAPerCm2;
    max_uA_per_cm2?: UAPerCm2;
    probes?: number;
    /** A bracket [does not fire, fires] already known (e.g. from an f–I run of the same protocol): no ladder round. */
    bracket_uA_per_cm2?: readonly [UAPerCm2, UAPerCm2];
  } = {},
): ThresholdSearchResult {
  const tol = options.tolerance_uA_per_cm2 ?? DEFAULT_TOLERANCE_UA_PER_CM2;
  const max = options.max_uA_per_cm2 ?? 1000;
  if (!(Number.isFinite(tol) && tol > 0)) throw invalid("tolerance (µA/cm²)", tol, "a positive number");
  if (!(Number.isFinite(max) && max > 0)) throw invalid("largest amplitude tried (µA/cm²)", max, "a positive number");
  const known = options.bracket_uA_per_cm2;
  if (known) {
    const [lo, hi] = known;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi))
      throw invalid("bracket (µA/cm²)", `[${lo}, ${hi}]`, "[lo, hi] with lo < hi");
    const b = batchedBisection([lo], [hi], tol, (x) => fires(x), options.probes ?? 7);
    return {
      tolerance_uA_per_cm2: tol,
      max_uA_per_cm2: max,
      threshold_uA_per_cm2: b.hi[0] as number,
      bracket_uA_per_cm2: [b.lo[0] as number, b.hi[0] as number],
      runs: b.runs,
      note: null,
    };
  }
  const ladder = [0];
  for (let a = max; a > tol; a /= 2) ladder.push(a);
  ladder.sort((a, b) => a - b);
  const fired = fires(Float64Array.from(ladder));
  const base = { tolerance_uA_per_cm2: tol, max_uA_per_cm2: max };
  if (fired[0]) return { ...base, threshold_uA_per_cm2: 0, bracket_uA_per_cm2: [0, 0], runs: 1, note: "fires without any current" };
  const k = ladder.findIndex((_, i) => fired[i]);
  if (k < 0) return { ...base, threshold_uA_per_cm2: null, bracket_uA_per_cm2: null, runs: 1, note: `no spike up to ${max} µA/cm²` };
  const b = batchedBisection([ladder[k - 1] as number], [ladder[k] as number], tol, (x) => fires(x), options.probes ?? 7);
  return {
    ...base,
    threshold_uA_per_cm2: b.hi[0] as number,
    bracket_uA_per_cm2: [b.lo[0] as number, b.hi[0] as number],
    runs: 1 + b.runs,
    note: null,
  };
}

export interface RheobaseOptions extends RunSettings {
  /** The step current's window [start_ms, stop_ms). */
  readonly start_ms: Ms;
  readonly stop_ms: Ms;
  /** Simulated time; a spike anywhere in [0, duration_ms] counts. */
  readonly duration_ms: Ms;
  readonly tolerance_uA_per_cm2?: UAPerCm2;
  readonly max_uA_per_cm2?: UAPerCm2;
  /** [does not fire, fires] when already known from a run of the same protocol (skips the ladder round). */
  readonly bracket_uA_per_cm2?: readonly [UAPerCm2, UAPerCm2];
}

export interface RheobaseResult extends ThresholdSearchResult {
  readonly rheobase_uA_per_cm2: UAPerCm2 | null;
  readonly step_ms: Ms;
}

/** One batched spikes-only run of the search's step protocol, a neuron per amplitude (µA/cm²). */
export function stepBatch(o: RheobaseOptions, amplitudes: ArrayLike<number>) {
  return simulate({
    model: o.model ?? "lab",
    parameters: o.parameters ?? {},
    stimulus: { type: "step", amplitude_uA_per_cm2: Array.from(amplitudes), start_ms: o.start_ms, stop_ms: o.stop_ms },
    duration_ms: o.duration_ms,
    dt_ms: o.dt_ms,
    method: o.method ?? "euler",
    spike_threshold_mV: o.spike_threshold_mV ?? 0,
    record: { variables: [] },
  }).spikes;
}

/**
 * The rheobase for a step of the given duration: the smallest amplitude whose step evokes at least one
 * spike within the run, by batched bisection to `tolerance_uA_per_cm2` (default 0.001 µA/cm²).
 *
 * A rheobase is the smallest current that elicits an action potential, so every threshold crossing the search
 * finds is checked to be all-or-none (./allOrNone.ts, on the step's bracket: one more two-neuron run). A graded
 * crossing (the passive membrane, the lab model with TTX) means the model does not fire action potentials:
 * rheobase null and a note saying so. A membrane without action potentials may also have V grow with the
 * current until a large step drives it past the simulator's bounds (|V| ≥ 1000 mV: a DivergenceError). When the
 * search's ladder diverges, the search is made again up to the largest ladder amplitude below the one that
 * diverged; if a graded crossing is found there, the result is the same null with `max_uA_per_cm2` the largest
 * amplitude that ran. Any other divergence (at 0 µA/cm², in the bisection, no crossing below it, or a model
 * whose crossing is an action potential) is thrown as it was.
 */
export function rheobase(o: RheobaseOptions): RheobaseResult {
  // the amplitudes of the search's latest batched run and how many runs it has made
  let batch: ArrayLike<number> = [];
  let runs = 0;
  const fires = (amplitudes: Float64Array) => {
    batch = amplitudes;
    runs++;
    return Array.from(stepBatch(o, amplitudes).count, (c) => c > 0);
  };
  const search = (max?: UAPerCm2) => {
    runs = 0;
    const r = currentThreshold(fires, {
      tolerance_uA_per_cm2: o.tolerance_uA_per_cm2,
      max_uA_per_cm2: max,
      bracket_uA_per_cm2: o.bracket_uA_per_cm2,
    });
    return { ...r, rheobase_uA_per_cm2: r.threshold_uA_per_cm2, step_ms: o.stop_ms - o.start_ms };
  };
  /** The amplitude (> 0) whose step diverged in the ladder (a search's first run), else undefined. */
  const divergedAt = (e: unknown): UAPerCm2 | undefined => {
    if (!(e instanceof DivergenceError && e.details && runs === 1 && !o.bracket_uA_per_cm2)) return undefined;
    const a = batch[e.details.neuron];
    return a !== undefined && a > 0 ? a : undefined;
  };
  /** A search up to `max`, or the DivergenceError of a ladder step above 0 µA/cm² (any other error is thrown). */
  const attempt = (max?: UAPerCm2): RheobaseResult | DivergenceError => {
    try {
      return search(max);
    } catch (e) {
      if (divergedAt(e) === undefined) throw e;
      return e as DivergenceError;
    }
  };
  const found = attempt(o.max_uA_per_cm2);
  if (!(found instanceof DivergenceError)) return allOrNoneChecked(o, found).result;
  // the ladder is 0 and max / 2^k, and the largest step diverges first: search again up to the step below it
  const first = found;
  const tol = o.tolerance_uA_per_cm2 ?? DEFAULT_TOLERANCE_UA_PER_CM2;
  let diverged = divergedAt(first) as number;
  for (;;) {
    const max = diverged / 2;
    if (!(max > tol)) throw first;
    const r = attempt(max);
    if (r instanceof DivergenceError) {
      diverged = divergedAt(r) as number;
      continue;
    }
    const checked = allOrNoneChecked(o, r, diverged);
    return checked.graded ? checked.result : throwing(first);
  }
}

const throwing = (e: Error): never => {
  throw e;
};

/**
 * The search's result checked for the all-or-none law: when the search found a threshold crossing above
 * 0 µA/cm², one two-neuron run of the step's bracket measures its all-or-none ratio (counted in `runs`). A
 * graded crossing (ratio < ALL_OR_NONE_MIN_RATIO) is not an action potential: the result is then the model's
 * "does not fire action potentials" (rheobase null, with a note) and `graded` true. No crossing, one at
 * 0 µA/cm² (nothing to compare with) or an action potential: the search's result (graded false). `diverged`: the
 * amplitude whose step drove V past the simulator's bounds, when the search was made again below it.
 */
function allOrNoneChecked(
  o: RheobaseOptions,
  r: RheobaseResult,
  diverged?: UAPerCm2,
): { readonly result: RheobaseResult; readonly graded: boolean } {
  if (r.bracket_uA_per_cm2 === null || r.threshold_uA_per_cm2 === null || !(r.bracket_uA_per_cm2[0] > 0))
    return { result: r, graded: false };
  const bracket = r.bracket_uA_per_cm2;
  const run = simulate({
    model: o.model ?? "lab",
    parameters: o.parameters ?? {},
    stimulus: { type: "step", amplitude_uA_per_cm2: [...bracket], start_ms: o.start_ms, stop_ms: o.stop_ms },
    duration_ms: o.duration_ms,
    dt_ms: o.dt_ms,
    method: o.method ?? "euler",
    spike_threshold_mV: o.spike_threshold_mV ?? 0,
    record: { variables: ["V"] },
  });
  const V = (i: number) => run.traces.V?.[i] ?? new Float64Array([Number.NaN]);
  const peak = (i: number) => V(i).reduce((m, v) => Math.max(m, v), Number.NEGATIVE_INFINITY);
  const ratio = allOrNoneRatio(bracket, [peak(0), peak(1)], V(0)[0] as number);
  if (!(ratio < ALL_OR_NONE_MIN_RATIO)) return { result: { ...r, runs: r.runs + 1 }, graded: false };
  const model = typeof o.model === "object" ? o.model.name : (o.model ?? "lab");
  const step = o.stop_ms - o.start_ms;
  const result: RheobaseResult = {
    ...r,
    threshold_uA_per_cm2: null,
    rheobase_uA_per_cm2: null,
    bracket_uA_per_cm2: null,
    runs: r.runs + 1,
    note: `model ${JSON.stringify(model)} does not fire action potentials up to ${r.max_uA_per_cm2} µA/cm² (its response to a ${step} ms step is graded, not all-or-none: where it first crosses ${o.spike_threshold_mV ?? 0} mV, at ${r.threshold_uA_per_cm2.toPrecision(6)} µA/cm², a little more current raises the peak ${ratio.toPrecision(3)}× as much as it would a linear membrane's, an action potential's ≥ ${ALL_OR_NONE_MIN_RATIO}×${diverged === undefined ? "" : `; a ${diverged} µA/cm² step drives V past the simulator's bounds`})`,
  };
  return { result, graded: true };
}
