import { availableParallelism } from "node:os";
import { type BatchResult, runBatch } from "./batch.js";
import { chunkSize } from "./chunks.js";
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

/**
 * The remaining grid points, cut into batches, guided: each batch is chunkSize of the points still
 * left (about 4 batches per worker, at most batch_size), but no shorter than an eighth of the first
 * (nor than 64 points, or the first); a short rest joins the last. Batches shrink towards the end, so
 * that no worker waits while another runs one last full batch (100,000 points on 2 workers: 41
 * batches of 2048, then shorter ones down to 256). Results do not depend on the batches.
 */
export function planBatches(spec: SweepSpecResolved, workers: number, done: ReadonlySet<number> = new Set(), shard?: Shard): Int32Array[] {
  const total = gridSize(spec.axes);
  const todo = shardPoints(total, shard ?? { index: 0, count: 1 }).filter((i) => !done.has(i));
  const first = chunkSize(todo.length, workers, { max: spec.batch_size });
  const min = Math.max(Math.ceil(first / 8), Math.min(first, 64));
  const batches: Int32Array[] = [];
  for (let from = 0; from < todo.length; ) {
    const size = chunkSize(todo.length - from, workers, { min, max: spec.batch_size });
    // a rest shorter than the shortest batch joins this one, where batch_size allows
    const rest = todo.length - from - size;
    const to = Math.min(todo.length, from + (rest < min && size + rest <= spec.batch_size ? size + rest : size));
    batches.push(Int32Array.from(todo.slice(from, to)));
    from = to;
  }
  return batches;
}

/**
 * Runs the points of a sweep that are not done yet, in batches, on a worker pool (or inline for
 * workers = 1). Each finished batch goes to `onBatch` at once. Results do not depend on the
 * batching or the number of workers: each neuron is integrated exactly as it would be alone.
 */
export function runSweepBatches(input: SweepSpecInput, options: SweepOptions = {}): Promise<void> {
  return runCheckedSweepBatches(parseSweepSpec(input), options);
}

/** runSweepBatches of a spec that parseSweepSpec returned (checked already: the CLI's), without checking it again. */
export async function runCheckedSweepBatches(spec: SweepSpecResolved, options: SweepOptions = {}): Promise<void> {
  const workers = checkWorkers(options.workers ?? availableParallelism());
  const total = gridSize(spec.axes);
  checkSweepSize(spec, options, options.shard ? Math.ceil((total - options.shard.index) / options.shard.count) : total);
  const batches = planBatches(spec, workers, options.done, options.shard);
  const emit = options.onBatch ?? (() => {});
  if (workers === 1 || batches.length <= 1) {
    for (const b of batches) emit(runBatch(spec, b));
    return;
  }
  const pool = new BatchPool(spec, workers);
  try {
    await Promise.all(batches.map((b) => pool.run(b).then(emit)));
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
