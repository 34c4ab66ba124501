import { invalid, ResourceLimitError } from "./errors.js";

/**
 * The size limits every request is checked against before anything is allocated (README, "Input
 * limits"). Soft limits have a default and a field/flag to raise them deliberately; hard limits are
 * what the engine itself (V8) can hold.
 */

/**
 * Default largest number of neuron-steps (neurons × time steps) of one request: about 4 hours of one core
 * (forward Euler on the lab model runs ≈ 6.5 × 10⁶ neuron-steps/s per core), 1 s of an H200.
 */
export const DEFAULT_MAX_NEURON_STEPS = 1e11;

/** Default largest number of points of a sweep grid (the product of all its axes). */
export const DEFAULT_MAX_POINTS = 1e7;

/** Default largest file (MiB) a run may stream to disk (`run --csv`): 10 GiB. */
export const DEFAULT_MAX_OUTPUT_MIB = 10240;

/**
 * Largest f–I curve or sweep kept in memory and printed whole (without --out): one batched run of a
 * million neurons takes about 0.5 GB; more are streamed to a file in batches (--out FILE).
 */
export const MAX_POINTS_IN_MEMORY = 1e6;

/** Refuses more than MAX_POINTS_IN_MEMORY points kept in memory; `what` names the flags. */
export function checkPointsInMemory(points: number, what: string): void {
  if (points <= MAX_POINTS_IN_MEMORY) return;
  throw new ResourceLimitError(
    `${what} = ${count(points)} points, more than the ${count(MAX_POINTS_IN_MEMORY)} kept in memory and printed whole; stream them to a file in batches with --out FILE`,
  );
}

/** Hard: a sweep tracks its finished points in a JavaScript Set, which holds at most 2²⁴ values. */
export const MAX_POINTS = 2 ** 24;

/** Hard: V8's largest typed array (elements); a trace longer than this cannot be kept in memory. */
export const MAX_TRACE_SAMPLES = 2 ** 32;

/** Hard: V8's longest string (UTF-16 code units); JSON or CSV text built in memory must be shorter. */
export const MAX_TEXT_CHARS = 2 ** 29 - 24;

/** Characters of one number in CSV/JSON text, for estimates (e.g. "-65.12345678901234,"). */
export const CHARS_PER_NUMBER = 20;

/** A count for messages: 1e+11 → "1e11", 459 → "459". */
export const count = (x: number): string => {
  if (!(x >= 1e6) || !Number.isFinite(x)) return String(x);
  const e = Math.floor(Math.log10(x));
  return `${+(x / 10 ** e).toPrecision(4)}e${e}`;
};

/**
 * Refuses a request of more than `limit` neuron-steps. `what` names the fields and flags it comes from,
 * e.g. "duration_ms / dt_ms (--duration-ms / --dt-ms) × 1 neuron".
 */
export function checkNeuronSteps(neuronSteps: number, limit: number, what: string): void {
  if (neuronSteps <= limit) return;
  throw new ResourceLimitError(
    `${what} = ${count(neuronSteps)} neuron-steps, more than the limit of ${count(limit)} (about ${hours(limit)} of one core); ` +
      "shorten the run, use a larger dt or fewer neurons, or raise the limit (max_neuron_steps, --max-neuron-steps)",
  );
}

const hours = (neuronSteps: number) => {
  const h = neuronSteps / 6.5e6 / 3600;
  return h >= 1 ? `${+h.toPrecision(2)} h` : `${Math.ceil(h * 60)} min`;
};

/** Checks a limit a caller passes (a positive whole number), naming its field/flag. */
export function checkLimitValue(what: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!(Number.isFinite(value) && value >= 1 && value <= max)) throw invalid(what, value, `a number in [1, ${count(max)}]`);
  return value;
}

/** Refuses a sweep grid of more than `limit` points (and ever more than MAX_POINTS). */
export function checkGridPoints(points: number, limit: number, what: string): void {
  const cap = Math.min(limit, MAX_POINTS);
  if (points <= cap) return;
  const hard = limit >= MAX_POINTS;
  throw new ResourceLimitError(
    `${what} = ${count(points)} grid points, more than the limit of ${count(cap)}${hard ? " (the most a sweep can track)" : ""}; ` +
      `use coarser or fewer axis values${hard ? "" : ", or raise the limit (--max-points, up to 16777216)"}`,
  );
}

/** Refuses text of about `chars` characters that would be built in memory (V8's longest string). */
export function checkTextSize(chars: number, what: string, ways: string): void {
  if (chars <= MAX_TEXT_CHARS) return;
  throw new ResourceLimitError(
    `${what} would be about ${count(Math.round(chars))} characters of text, more than the longest string JavaScript can hold (${count(MAX_TEXT_CHARS)}); ${ways}`,
  );
}
