import { setFlagsFromString } from "node:v8";
import { SpikelabError } from "../errors.js";
import { enableRelaxedSimd } from "../wasm/nodeFlags.js";
import { evaluateCandidates, prepareProblemTarget } from "./evaluate.js";
import type { PreparedTarget } from "./objective.js";
import type { FitProblem } from "./problem.js";

// long runs of the same kernels: compile WebAssembly with the optimizing tier at once (as the sweep's workers)
setFlagsFromString("--no-liftoff");
enableRelaxedSimd(); // fused multiply–adds for fast math on Node 20 (wasm/nodeFlags.ts)

/** The last problem's prepared target, by the problem's id (a worker serves one fit at a time). */
let cached: { id: string; target: PreparedTarget } | undefined;

/**
 * A piscina task: some candidates of a generation, evaluated as one batched run (evaluate.ts); their
 * objectives (NaN where a simulation diverged). A SpikelabError comes back as data (pool.ts throws it again).
 */
export default function task({ id, problem, X }: { id: string; problem: FitProblem; X: number[][] }) {
  try {
    if (cached?.id !== id) cached = { id, target: prepareProblemTarget(problem).target };
    return evaluateCandidates(problem, cached.target, X).map((e) => e.total);
  } catch (e) {
    if (e instanceof SpikelabError) return { spikelabError: { name: e.name, message: e.message } };
    throw e;
  }
}
