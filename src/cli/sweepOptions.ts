import { availableParallelism } from "node:os";
import { type Command, Option } from "commander";
import { DEFAULT_MAX_POINTS, MAX_POINTS } from "../limits.js";
import { type Backend, backendOption } from "./backend.js";
import { boundedIntegerArg } from "./parse.js";

/** 4 × the cores (sweep/pool.ts's bound, repeated here so the flags load without the engine). */
const maxWorkers = 4 * Math.max(1, availableParallelism());

// The flags apart from the sweep engine (worker pool, progress bar, output files), so that a command can
// offer them without loading the engine until a sweep runs.

export interface SweepOutputFlags {
  shard?: string | boolean;
  out?: string;
  resume?: boolean;
  overwrite?: boolean;
  workers: number;
  maxPoints: number;
  maxNeuronSteps?: number;
  json?: boolean;
  backend?: Backend;
  fastMath?: boolean;
  /** The progress bar's label (default "sweep"). */
  label?: string;
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
    .option(
      "--workers <count>",
      "worker threads",
      boundedIntegerArg("--workers", maxWorkers, `4 × this machine's ${maxWorkers / 4} cores`),
      Math.max(1, availableParallelism()),
    )
    .addOption(
      new Option("--max-points <count>", `refuse a sweep of more grid points (the product of all axes; at most ${MAX_POINTS})`)
        .argParser(boundedIntegerArg("--max-points", MAX_POINTS, "the most a sweep can track"))
        .default(DEFAULT_MAX_POINTS, "1e7"),
    )
    .option(
      "--fast-math",
      "fixed-step methods on the CPU: fast-math arithmetic (polynomial exp, reciprocals), ≈1.6× faster, not bit-identical (see README)",
    )
    .addOption(backendOption());
}
