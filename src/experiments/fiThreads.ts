import { availableParallelism } from "node:os";
import { invalid } from "../errors.js";
import { pairHelpers, THREADS_MIN_NEURON_STEPS } from "../wasm/pairs.js";
import { KernelThreads } from "../wasm/threads.js";
import { type FiOptions, type FiResult, fiCurve } from "./fi.js";

// Node only (worker threads): exported from src/node.ts, never from the browser-safe index.

/** The helper threads of this thread's f–I curves, by count: kept between curves, so later ones find them started. */
const helpers = new Map<number, KernelThreads>();

/** The helper threads that `fiCurveOnThreads(…, workers)` uses (started on first use), or undefined for one thread. */
export function fiThreads(workers: number): KernelThreads | undefined {
  const max = 4 * Math.max(1, availableParallelism());
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= max)) {
    throw invalid("workers", workers, `a whole number in [1, ${max}] (4 × this machine's ${max / 4} cores)`);
  }
  if (workers === 1) return undefined;
  let t = helpers.get(workers);
  if (!t) {
    t = new KernelThreads(workers - 1);
    helpers.set(workers, t);
  }
  return t;
}

/**
 * `fiCurve` on `workers` threads (this one and workers − 1 helpers; default: the machine's cores):
 * where the WebAssembly kernel runs the curve and its shared part (after the quiet prefix) has at
 * least THREADS_MIN_NEURON_STEPS neuron-steps, its neuron pairs are shared out in chunks; smaller
 * curves run on this thread alone. The result is the same bit for bit as fiCurve's (each neuron is
 * integrated as if alone). Like fiCurve it returns when done (this thread waits for the helpers).
 */
export function fiCurveOnThreads(o: FiOptions, workers: number = availableParallelism()): FiResult {
  const threads = fiThreads(workers);
  // a curve large enough to share: the helpers boot now, while this thread compiles the kernel
  if (threads && o.amplitudes.length * Math.round(o.duration_ms / o.dt_ms) >= threads.minNeuronSteps) threads.start();
  const previous = pairHelpers.current;
  pairHelpers.current = threads;
  try {
    return fiCurve(o);
  } finally {
    pairHelpers.current = previous;
  }
}

export { THREADS_MIN_NEURON_STEPS };
