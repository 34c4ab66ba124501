import type { BatchResult } from "./batch.js";
import { runCheckedSweepBatches, type SweepOptions } from "./engine.js";
import { gridPoint, gridSize } from "./grid.js";
import { type Shard, shardPoints } from "./shard.js";
import { axisColumns, parseSweepSpec, type SweepSpecInput } from "./spec.js";

export { planBatches, type SweepOptions } from "./engine.js";

/**
 * Runs the points of a sweep that are not done yet, in batches, on a worker pool (or inline for
 * workers = 1). Each finished batch goes to `onBatch` at once. Results do not depend on the
 * batching or the number of workers: each neuron is integrated exactly as it would be alone.
 */
export function runSweepBatches(input: SweepSpecInput, options: SweepOptions = {}): Promise<void> {
  return runCheckedSweepBatches(parseSweepSpec(input), options);
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
