import { availableParallelism } from "node:os";
import { type BatchResult, runBatch } from "./batch.js";
import { planChunks } from "./chunks.js";
import { gridPoint, gridSize } from "./grid.js";
import { BatchPool, checkWorkers } from "./pool.js";
import { type Shard, shardPoints } from "./shard.js";
import { checkSweepSize, type SweepLimits } from "./size.js";
import { axisColumns, parseSweepSpec, type SweepSpecInput, type SweepSpecResolved } from "./spec.js";

export interface SweepOptions extends SweepLimits {
  /** Worker threads; 1 runs in this thread. Default: the machine's cores. */
  readonly workers?: number;
  /** Grid points already computed (e.g. read back from a file being resumed): skipped. */
  readonly done?: ReadonlySet<number>;
  /** Called with each batch as it finishes (in completion order), e.g. to append it to a file. */
  readonly onBatch?: (batch: BatchResult) => void;
  /** Only this shard's points (see shardPoints). */
  readonly shard?: Shard;
}

/** The remaining grid points, cut into batches (small enough that every worker gets several). */
export function planBatches(spec: SweepSpecResolved, workers: number, done: ReadonlySet<number> = new Set(), shard?: Shard): Int32Array[] {
  const total = gridSize(spec.axes);
  const todo = shardPoints(total, shard ?? { index: 0, count: 1 }).filter((i) => !done.has(i));
  return planChunks(todo.length, workers, { max: spec.batch_size }).map(({ from, to }) => Int32Array.from(todo.slice(from, to)));
}

/**
 * Runs the points of a sweep that are not done yet, in batches, on a worker pool (or inline for
 * workers = 1). Each finished batch goes to `onBatch` at once. Results do not depend on the
 * batching or the number of workers: each neuron is integrated exactly as it would be alone.
 */
export async function runSweepBatches(input: SweepSpecInput, options: SweepOptions = {}): Promise<void> {
  const spec = parseSweepSpec(input);
  const workers = checkWorkers(options.workers ?? availableParallelism());
  const total = gridSize(spec.axes);
  checkSweepSize(spec, options, options.shard ? Math.ceil((total - options.shard.index) / options.shard.count) : total);
  const batches = planBatches(spec, workers, options.done, options.shard);
  const emit = options.onBatch ?? (() => {});
  if (workers === 1 || batches.length <= 1) {
    for (const b of batches) emit(runBatch(spec, b));
    return;
  }
  const pool = new BatchPool(workers);
  try {
    await Promise.all(batches.map((b) => pool.run(spec, b).then(emit)));
  } finally {
    await pool.close();
  }
}

/** A finished sweep: one row per grid point, in grid order, with unit-named columns. */
export interface SweepTable {
  readonly columns: Record<string, Float64Array>;
  readonly rows: number;
}

/** Assembles batch results (any order, no duplicates) into a table in grid order, of all points or a shard's. */
export function sweepTable(input: SweepSpecInput, batches: readonly BatchResult[], shard?: Shard): SweepTable {
  const spec = parseSweepSpec(input);
  const points = shardPoints(gridSize(spec.axes), shard ?? { index: 0, count: 1 });
  const total = points.length;
  const row = new Map(points.map((p, r) => [p, r]));
  const names = axisColumns(spec);
  const columns: Record<string, Float64Array> = { index: new Float64Array(total) };
  for (const name of names) columns[name] = new Float64Array(total);
  const stats = ["spike_count", "rate_Hz", "first_spike_latency_ms"] as const;
  for (const s of stats) columns[s] = new Float64Array(total).fill(Number.NaN);
  points.forEach((p, r) => {
    columns.index![r] = p;
    gridPoint(spec.axes, p).forEach((v, a) => {
      columns[names[a] as string]![r] = v;
    });
  });
  for (const b of batches) {
    for (let k = 0; k < b.index.length; k++) {
      const r = row.get(b.index[k] as number) as number;
      for (const s of stats) columns[s]![r] = b[s][k] as number;
    }
  }
  return { columns, rows: total };
}

/** Runs a whole sweep and returns its table (for sweeps that fit in memory; the CLI streams to a file). */
export async function sweep(input: SweepSpecInput, options: Omit<SweepOptions, "done"> = {}): Promise<SweepTable> {
  const batches: BatchResult[] = [];
  await runSweepBatches(input, { ...options, onBatch: (b) => batches.push(b) });
  return sweepTable(input, batches);
}
