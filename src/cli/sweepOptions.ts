import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { type Backend, backendOption } from "./backend.js";
import { integerArg } from "./parse.js";

// The flags apart from the sweep engine (worker pool, progress bar, output files), so that a command can
// offer them without loading the engine until a sweep runs.

export interface SweepOutputFlags {
  shard?: string | boolean;
  out?: string;
  resume?: boolean;
  overwrite?: boolean;
  workers: number;
  json?: boolean;
  backend?: Backend;
  fastMath?: boolean;
}

/** Adds the flags of every command that runs a sweep: output file, resume, workers. */
export function addSweepOutputOptions(cmd: Command): Command {
  return cmd
    .option("--out <file>", "write results to FILE (.csv or .json) as batches finish; final file sorted and written atomically")
    .option("--resume", "continue the sweep in --out FILE: finished points are kept, the rest computed")
    .option("--overwrite", "start --out FILE again even if it exists")
    .option(
      "--shard [I/N]",
      "compute only shard I of N (points i with i mod N = I); I/N from SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX when omitted",
    )
    .option("--workers <count>", "worker threads", integerArg("--workers", 1), Math.max(1, availableParallelism()))
    .option(
      "--fast-math",
      "fixed-step methods on the CPU: fast-math arithmetic (polynomial exp, reciprocals), ≈1.6× faster, not bit-identical (see README)",
    )
    .addOption(backendOption());
}
