import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { DivergenceError, InvalidArgumentError, invalid, ResourceLimitError, SpikelabError } from "../errors.js";
import { builtFile } from "../io/dist.js";
import type { BatchResult } from "./batch.js";
import type { SweepSpecResolved } from "./spec.js";

/** Worker threads per core that a sweep may start: more only cost memory (each holds its own heap). */
export const WORKERS_PER_CORE = 4;

/** The most worker threads a sweep may start on this machine: 4 × its available cores. */
export const maxWorkers = (): number => WORKERS_PER_CORE * Math.max(1, availableParallelism());

/** Checks a worker count against what the machine can run, naming the field/flag. */
export function checkWorkers(workers: number, what = "workers (--workers)"): number {
  const max = maxWorkers();
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= max)) {
    throw invalid(what, workers, `a whole number in [1, ${max}] (${WORKERS_PER_CORE} × this machine's ${max / WORKERS_PER_CORE} cores)`);
  }
  return workers;
}

/** A SpikelabError sent back by a worker, as its own class again (the message says where and what). */
function revive({ name, message }: { name: string; message: string }): SpikelabError {
  const Class = { InvalidArgumentError, ResourceLimitError, DivergenceError }[name] ?? SpikelabError;
  return new Class(message);
}

/** The worker entry: the bundled one (scripts/bundle-cli.mjs, loads faster) when built, else tsc's. */
function workerFile(): string {
  try {
    return builtFile("cli/sweep-worker.js", import.meta.url, "sweep/pool.ts");
  } catch {
    return builtFile("sweep/worker.js", import.meta.url, "sweep/pool.ts");
  }
}

/**
 * A pool of worker threads that run the batches of ONE sweep in parallel (piscina). Each worker gets
 * the spec once, when it starts (piscina's workerData), and checks it once; a task carries only its
 * grid points, so a batch costs no copy of the axes (which may hold 10⁵ values) and no re-validation.
 */
export class BatchPool {
  private readonly pool: Piscina;

  constructor(
    spec: SweepSpecResolved,
    readonly threads: number = Math.max(1, availableParallelism()),
  ) {
    this.pool = new Piscina({
      filename: workerFile(),
      workerData: spec,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 1000,
      // batches in the order given (planBatches' shortest last): by default piscina sends a task that
      // finds no free worker to the back of its queue, so that a full batch could run last, alone
      stricterFIFO: true,
      // a batch needs a few MB; a small old generation makes V8 collect early and keeps RSS flat
      resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
    });
  }

  /** Runs the grid points `indices` of the sweep in a worker; a worker's error is thrown again here, as its own class. */
  async run(indices: Int32Array): Promise<BatchResult> {
    const r: BatchResult | { spikelabError: { name: string; message: string } } = await this.pool.run(indices);
    if ("spikelabError" in r) throw revive(r.spikelabError);
    return r;
  }

  /** Stops the worker threads. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}
