import { invalid } from "../errors.js";

/** Shard `index` of `count`: a deterministic slice of a sweep's grid. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * The grid points of a shard: every point i with i mod count = index. Striding (rather than
 * contiguous blocks) balances the cost across shards whatever axis the cost grows along (high
 * amplitudes spike more and cost an adaptive method more steps), and depends on nothing but
 * the grid size, so every machine computes the same slices.
 */
export function shardPoints(total: number, shard: Shard): number[] {
  const out: number[] = [];
  for (let i = shard.index; i < total; i += shard.count) out.push(i);
  return out;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses `--shard`: "I/N", "/N" (I from the environment) or "" (both from the environment).
 * The environment is SLURM's job arrays (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a
 * Kubernetes Indexed Job (JOB_COMPLETION_INDEX; give N explicitly there). Prefer "/N" in job
 * scripts: a resubmitted subset of an array has a smaller SLURM_ARRAY_TASK_COUNT.
 */
export function parseShard(raw: string, env: Env = process.env): Shard {
  const text = raw.trim();
  const [i, n] = text.includes("/") ? text.split("/", 2).map((s) => s.trim()) : ["", text];
  const fromEnv = env.SLURM_ARRAY_TASK_ID ?? env.JOB_COMPLETION_INDEX;
  const indexText = i || fromEnv;
  const countText = n || env.SLURM_ARRAY_TASK_COUNT;
  if (indexText === undefined || countText === undefined) {
    throw invalid(
      "--shard",
      raw,
      "I/N (e.g. 0/4), or /N or nothing inside a SLURM array task (SLURM_ARRAY_TASK_ID) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)",
    );
  }
  const index = Number(indexText);
  const count = Number(countText);
  if (!(Number.isInteger(count) && count >= 1)) throw invalid("--shard N (number of shards)", countText, "a whole number ≥ 1");
  if (!(Number.isInteger(index) && index >= 0 && index < count))
    throw invalid("--shard I (shard index)", indexText, `a whole number in [0, ${count - 1}]`);
  return { index, count };
}
