/**
 * The two jobs of the worker pool, cut by the library's chunk rule (`planChunks`): an f–I sweep
 * (chunks of amplitudes of each curve, run by `fiCurve`) and a parameter map on the CPU (chunks of grid
 * points, each one batched `runBatch`).
 */
import { type FiOptions, type FiResult, planChunks, type SweepSpecInput } from "./lib.js";
import type { PoolProgress, PoolRequest, WorkerPool } from "./pool.js";

export interface SweepJob {
  /** One label per curve (e.g. "forward Euler, dt 0.025 ms", from curveLabel), each with its options. */
  curves: { label: string; options: FiOptions }[];
  onProgress(p: PoolProgress): void;
}

/**
 * Runs every curve of an f–I job; resolves with one FiResult per curve, in amplitude order. An error
 * names the curve it came from (`curve`); a newer job rejects this one ("Superseded").
 */
export async function fiSweep(pool: WorkerPool, job: SweepJob): Promise<FiResult[]> {
  const tasks: { curve: number; chunk: number }[] = [];
  const requests: PoolRequest[] = [];
  const parts: FiResult[][] = job.curves.map(() => []);
  job.curves.forEach((c, curve) => {
    const amps = Array.from(c.options.amplitudes);
    planChunks(amps.length, pool.size, { perWorker: 4 }).forEach(({ from, to }, chunk) => {
      tasks.push({ curve, chunk });
      requests.push({ kind: "fi", chunk, options: { ...c.options, amplitudes: amps.slice(from, to) } });
    });
  });
  try {
    await pool.run({
      what: "sweep",
      requests,
      onProgress: job.onProgress,
      onReply: (reply, index) => {
        const t = tasks[index] as { curve: number; chunk: number };
        if (reply.kind === "fi") (parts[t.curve] as FiResult[])[t.chunk] = reply.result;
      },
    });
  } catch (e) {
    const index = (e as { index?: number }).index;
    throw index === undefined ? e : Object.assign(e as Error, { curve: tasks[index]?.curve });
  }
  return parts.map(merge);
}

/** Chunks of one curve, in order, as one FiResult. */
const merge = (chunks: FiResult[]): FiResult => ({
  amplitudes_uA_per_cm2: chunks.flatMap((c) => c.amplitudes_uA_per_cm2),
  spike_counts: chunks.flatMap((c) => c.spike_counts),
  rates_Hz: chunks.flatMap((c) => c.rates_Hz),
});

/** Spike statistics of every point of a grid, in grid order (f64, from the CPU workers). */
export interface GridColumns {
  spike_count: Float64Array;
  rate_Hz: Float64Array;
  first_spike_latency_ms: Float64Array;
}

/**
 * The parameter map's CPU fallback: the `points` of a sweep spec in chunks, each one batched run of the
 * library's `runBatch` in a worker, with progress. A newer map rejects this one ("Superseded").
 */
export async function gridSweep(
  pool: WorkerPool,
  spec: SweepSpecInput,
  points: number,
  onProgress: (p: PoolProgress) => void,
): Promise<GridColumns> {
  const chunks = planChunks(points, pool.size, { perWorker: 8, min: 16, max: 4096 });
  const out: GridColumns = {
    spike_count: new Float64Array(points),
    rate_Hz: new Float64Array(points),
    first_spike_latency_ms: new Float64Array(points),
  };
  await pool.run({
    what: "map",
    requests: chunks.map(({ from, to }, chunk) => ({ kind: "batch", chunk, spec, from, to })),
    onProgress,
    onReply: (r, index) => {
      if (r.kind !== "batch") return;
      const from = (chunks[index] as { from: number }).from;
      out.spike_count.set(r.spike_count, from);
      out.rate_Hz.set(r.rate_Hz, from);
      out.first_spike_latency_ms.set(r.first_spike_latency_ms, from);
    },
  });
  return out;
}
