import { availableParallelism } from "node:os";
import { type BatchResult, runBatch } from "./batch.js";
import { chunkSize } from "./chunks.js";
import { gridSize } from "./grid.js";
import { BatchPool, checkWorkers } from "./pool.js";
import { type Shard, shardPoints } from "./shard.js";
import { checkSweepSize, type SweepLimits } from "./size.js";
import type { SweepSpecResolved } from "./spec.js";

/*
 * The sweep engine behind runSweepBatches (run.ts), for a spec that parseSweepSpec has checked: the
 * CLI, which has checked it already, calls it directly. Not part of the library's exports (an
 * unchecked spec must go through runSweepBatches).
 */

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

/** runSweepBatches (run.ts) of a spec that parseSweepSpec returned (checked already: the CLI's), without checking it again. */
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
