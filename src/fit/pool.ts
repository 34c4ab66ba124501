import { Piscina } from "piscina";
import { DivergenceError, InvalidArgumentError, ResourceLimitError, SpikelabError } from "../errors.js";
import { builtFile } from "../io/dist.js";
import type { GenerationEvaluator } from "./fit.js";
import type { FitProblem } from "./problem.js";

/** A SpikelabError sent back by a worker, as its own class again. */
function revive({ name, message }: { name: string; message: string }): SpikelabError {
  const Class = { InvalidArgumentError, ResourceLimitError, DivergenceError }[name] ?? SpikelabError;
  return new Class(message);
}

let fits = 0;

/**
 * Worker threads that evaluate a fit's generations: each generation is cut into `threads` contiguous
 * parts, each one batched run in its own worker (src/fit/worker.ts, run from dist/: `npm run build`).
 * A candidate's objective does not depend on its batch, so a fit gives the same numbers on any number of threads.
 */
export class FitPool {
  private readonly pool: Piscina;
  private readonly ids = new WeakMap<FitProblem, string>();

  constructor(readonly threads: number) {
    this.pool = new Piscina({
      filename: builtFile("fit/worker.js", import.meta.url, "fit/pool.ts"),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 1000,
    });
  }

  /** The evaluator for fitModelAsync. */
  readonly evaluate: GenerationEvaluator = async (problem, X) => {
    let id = this.ids.get(problem);
    if (!id) {
      id = `fit ${process.pid} ${++fits}`;
      this.ids.set(problem, id);
    }
    const parts = Math.min(this.threads, X.length);
    const size = Math.ceil(X.length / parts);
    const chunks = Array.from({ length: parts }, (_, k) => X.slice(k * size, (k + 1) * size)).filter((c) => c.length);
    const results = await Promise.all(
      chunks.map(async (chunk) => {
        const r: number[] | { spikelabError: { name: string; message: string } } = await this.pool.run({
          id,
          problem,
          X: chunk.map((x) => [...x]),
        });
        if (!Array.isArray(r)) throw revive(r.spikelabError);
        return r;
      }),
    );
    return results.flat();
  };

  /** Stops the worker threads. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}
