import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SpikelabError } from "../errors.js";
import { gridPoint, gridSize } from "./grid.js";
import { sweepHeader, writeSweepResults } from "./output.js";
import { checkRows } from "./rows.js";
import { axisColumns, parseSweepSpec, type SweepSpecResolved } from "./spec.js";

/** The layout of a sharded run folder: spec.json, job.sh, results/shard-I-of-N.csv, logs/. */
export const runPaths = (run: string) => ({
  spec: join(run, "spec.json"),
  meta: join(run, "run.json"),
  script: join(run, "job.sh"),
  results: join(run, "results"),
  logs: join(run, "logs"),
  shard: (i: number, n: number) => join(run, "results", `shard-${i}-of-${n}.csv`),
});

export const readRunSpec = (run: string): SweepSpecResolved => {
  const path = runPaths(run).spec;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new SpikelabError(`${run} is not a spikelab run folder: ${path} cannot be read`);
  }
  return parseSweepSpec(JSON.parse(text));
};

/** Names grid points for a message: "#3 (gNa_mS_per_cm2=40, amplitude_uA_per_cm2=0.75)", the first few and a count. */
export function describePoints(spec: SweepSpecResolved, points: readonly number[], max = 10): string {
  const names = axisColumns(spec);
  const shown = points.slice(0, max).map(
    (i) =>
      `#${i} (${gridPoint(spec.axes, i)
        .map((v, a) => `${names[a]}=${v}`)
        .join(", ")})`,
  );
  return shown.join(", ") + (points.length > max ? ` and ${points.length - max} more` : "");
}

/**
 * Merges the shard results of a run folder into one table: checks that every grid point is
 * present exactly once, naming missing and duplicated points, then writes `out` (CSV or JSON)
 * exactly as a local run of the same spec would.
 */
export function mergeRun(run: string, out: string): { points: number; files: number } {
  const spec = readRunSpec(run);
  const dir = runPaths(run).results;
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".csv"));
  } catch {
    // no results folder: every point is missing
  }
  const rows = new Map<number, string>();
  const duplicated = new Set<number>();
  const header = sweepHeader(spec);
  for (const f of files.sort()) {
    // every row checked (rows.ts): a cut line, a changed axis value or garbage is an error naming file and line
    const m = /^shard-(\d+)-of-(\d+)\.csv$/.exec(f);
    const shard = m ? { index: Number(m[1]), count: Number(m[2]) } : undefined;
    const { rows: found } = checkRows(join(dir, f), spec, header, shard && shard.index < shard.count ? { shard } : {});
    for (const [i, line] of found) {
      if (rows.has(i)) duplicated.add(i);
      rows.set(i, line);
    }
  }
  const total = gridSize(spec.axes);
  const missing: number[] = [];
  for (let i = 0; i < total; i++) if (!rows.has(i)) missing.push(i);
  const problems: string[] = [];
  if (missing.length) problems.push(`${missing.length} of ${total} grid points are missing: ${describePoints(spec, missing)}`);
  if (duplicated.size)
    problems.push(`${duplicated.size} grid points are in more than one result file: ${describePoints(spec, [...duplicated])}`);
  if (problems.length) throw new SpikelabError(`cannot merge ${run}: ${problems.join("; ")}`);
  writeSweepResults(out, spec, rows);
  return { points: total, files: files.length };
}
