import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { SpikelabError } from "../errors.js";
import type { BatchResult } from "./batch.js";
import type { SweepSpecResolved } from "./spec.js";

/**
 * The compiled worker module. Workers always run the built JavaScript (dist/sweep/worker.js):
 * when this file runs from TypeScript sources (tests, tsx), it points at the build.
 */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith(".ts") ? new URL("../../dist/sweep/worker.js", here) : new URL("./worker.js", here);
  const path = fileURLToPath(url);
  if (!existsSync(path)) throw new SpikelabError(`the sweep worker ${path} is missing; run \`npm run build\` first`);
  return path;
}

/** A pool of worker threads that run sweep batches in parallel (piscina). */
export class BatchPool {
  private readonly pool: Piscina;

  constructor(readonly threads: number = Math.max(1, availableParallelism())) {
    this.pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  }

  run(spec: SweepSpecResolved, indices: Int32Array): Promise<BatchResult> {
    return this.pool.run({ spec, indices });
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
