/**
 * How a batched job is cut for a pool of workers: the one chunk rule of the CLI's sweep engine
 * (`planBatches`) and the web app's worker pools (f–I chunks of amplitudes, parameter-map chunks of grid
 * points). Browser-safe.
 */

/** Bounds of `chunkSize`: about `perWorker` chunks per worker, each of `min`…`max` items. */
export interface ChunkRule {
  /** Chunks per worker, so that a slow chunk does not leave the others idle at the end (default 4). */
  readonly perWorker?: number;
  /** The fewest items in a chunk (default 1). */
  readonly min?: number;
  /** The most items in a chunk (default: no limit), e.g. a sweep's batch_size. */
  readonly max?: number;
}

/** Items per chunk when `count` items are shared by `workers` workers: ⌈count / (workers·perWorker)⌉ within [min, max]. */
export function chunkSize(count: number, workers: number, rule: ChunkRule = {}): number {
  const { perWorker = 4, min = 1, max = Number.POSITIVE_INFINITY } = rule;
  return Math.max(min, Math.min(max, Math.ceil(count / (Math.max(1, workers) * perWorker))));
}

/** `count` items as contiguous chunks [from, to), in order, each `chunkSize` long (the last may be shorter). */
export function planChunks(count: number, workers: number, rule: ChunkRule = {}): { from: number; to: number }[] {
  const size = chunkSize(count, workers, rule);
  const out: { from: number; to: number }[] = [];
  for (let from = 0; from < count; from += size) out.push({ from, to: Math.min(count, from + size) });
  return out;
}
