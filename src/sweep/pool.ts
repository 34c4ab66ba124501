import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { builtFile } from "../io/dist.js";
import type { BatchResult } from "./batch.js";
import type { SweepSpecResolved } from "./spec.js";

/** A pool of worker threads that run sweep batches in parallel (piscina). */
export class BatchPool {
  private readonly pool: Piscina;

  constructor(readonly threads: number = Math.max(1, availableParallelism())) {
    this.pool = new Piscina({
      filename: builtFile("sweep/worker.js", import.meta.url, "sweep/pool.ts"),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 1000,
      // a batch needs a few MB; a small old generation makes V8 collect early and keeps RSS flat
      resourceLimits: { maxOldGenerationSizeMb: 96 },
    });
  }

  run(spec: SweepSpecResolved, indices: Int32Array): Promise<BatchResult> {
    return this.pool.run({ spec, indices });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
