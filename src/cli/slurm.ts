import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { Command } from "commander";
import { parseDataText } from "../dataText.js";
import { SpikelabError } from "../errors.js";
import { builtFile } from "../io/dist.js";
import { ensureFolder, writeFileAtomic } from "../io/files.js";
import { readInputFile } from "../io/inputFile.js";
import { gridSize } from "../sweep/grid.js";
import { mergeRun, readRunSpec, runPaths } from "../sweep/merge.js";
import { readRows } from "../sweep/output.js";
import { shardPoints } from "../sweep/shard.js";
import { parseSweepSpec } from "../sweep/spec.js";
import { integerArg } from "./parse.js";

interface RunMeta {
  tasks: number;
  cpus: number;
  jobs: { id: string; array: string; submitted: string }[];
}

const readMeta = (run: string): RunMeta => {
  try {
    return JSON.parse(readFileSync(runPaths(run).meta, "utf8"));
  } catch {
    throw new SpikelabError(`${run} is not a spikelab run folder: ${runPaths(run).meta} cannot be read`);
  }
};

/** The sbatch job-array script: each array task computes one shard, resumably, into its own file. */
export function jobScript(run: string, o: { tasks: number; cpus: number; partition?: string; time?: string; name: string }): string {
  const abs = resolve(run);
  const cli = builtFile("cli/main.js", import.meta.url, "cli/slurm.ts");
  const lines = [
    "#!/bin/bash",
    `#SBATCH --job-name=spikelab-${o.name}`,
    `#SBATCH --output=${join(abs, "logs", "task-%a.out")}`,
    `#SBATCH --cpus-per-task=${o.cpus}`,
    "#SBATCH --ntasks=1",
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    `# written by spikelab slurm submit; run with: sbatch --array=0-${o.tasks - 1} ${join(abs, "job.sh")}`,
    "set -euo pipefail",
    `N=${o.tasks}`,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a template
    'I="${SLURM_ARRAY_TASK_ID:?this script runs as a SLURM array task}"',
    `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} sweep --spec ${JSON.stringify(join(abs, "spec.json"))} \\`,
    `  --shard "$I/$N" --out "${join(abs, "results")}/shard-$I-of-$N.csv" --resume --workers ${o.cpus}`,
    "",
  ];
  return lines.join("\n");
}

/** What to do where SLURM's sbatch cannot be run (one line). */
const NO_SBATCH =
  "this needs SLURM's sbatch, which cannot be run here; install SLURM's client where a cluster is (Debian: apt-get install -y slurm-client; a one-node cluster on this machine: scripts/slurm-local.sh install && scripts/slurm-local.sh start), or write the run folder only with --dry-run";

/** Checked before anything is written: a submit without sbatch leaves no run folder behind. */
function requireSbatch(): void {
  const r = spawnSync("sbatch", ["--version"], { encoding: "utf8" });
  if (r.error) throw new SpikelabError(`slurm: ${NO_SBATCH} (${(r.error as NodeJS.ErrnoException).code})`);
}

function sbatch(script: string, array: string, wait: boolean): string {
  const args = ["--parsable", `--array=${array}`, ...(wait ? ["--wait"] : []), script];
  const r = spawnSync("sbatch", args, { encoding: "utf8" });
  if (r.error) throw new SpikelabError(`slurm: ${NO_SBATCH} (${(r.error as NodeJS.ErrnoException).code})`);
  const id = r.stdout.trim().split(";")[0] ?? "";
  if (!id) throw new SpikelabError(`sbatch failed: ${r.stderr.trim() || `exit status ${r.status}`}`);
  if (wait && r.status !== 0)
    process.stderr.write(`spikelab: job ${id} finished with failed tasks (sbatch exit ${r.status}); see \`spikelab slurm status\`\n`);
  return id;
}

/** Array tasks of the run's jobs that SLURM still has queued or running: shard index → state. */
function queued(meta: RunMeta): Map<number, string> | undefined {
  const ids = meta.jobs.map((j) => j.id).join(",");
  if (!ids) return new Map();
  const r = spawnSync("squeue", ["-h", "-r", "-j", ids, "-o", "%K %T"], { encoding: "utf8" });
  if (r.error) return undefined;
  const out = new Map<number, string>();
  for (const line of r.stdout.split("\n")) {
    const [task, state] = line.trim().split(/\s+/);
    if (task && state && /^\d+$/.test(task)) out.set(Number(task), state.toLowerCase());
  }
  return out;
}

export interface ShardStatus {
  shard: number;
  state: "done" | "running" | "pending" | "failed" | "cancelled" | "not started" | string;
  points_done: number;
  points: number;
}

/** The state of each shard of a run, from its result files, squeue and its logs. */
export function runStatus(run: string): { shards: ShardStatus[]; squeue: boolean } {
  const meta = readMeta(run);
  const spec = readRunSpec(run);
  const total = gridSize(spec.axes);
  const q = queued(meta);
  const shards = Array.from({ length: meta.tasks }, (_, i): ShardStatus => {
    const points = shardPoints(total, { index: i, count: meta.tasks }).length;
    const file = runPaths(run).shard(i, meta.tasks);
    const done = existsSync(file) ? readRows(file).size : 0;
    if (done === points) return { shard: i, state: "done", points_done: done, points };
    const inQueue = q?.get(i);
    if (inQueue) return { shard: i, state: inQueue, points_done: done, points };
    const log = join(runPaths(run).logs, `task-${i}.out`);
    const text = existsSync(log) ? readFileSync(log, "utf8") : "";
    const state = /CANCELLED/.test(text) ? "cancelled" : existsSync(log) ? "failed" : "not started";
    return { shard: i, state, points_done: done, points };
  });
  return { shards, squeue: q !== undefined };
}

function submitCommand(): Command {
  return new Command("submit")
    .description("write a sweep spec and an sbatch job-array script into a run folder, and submit it (one array task per shard)")
    .argument("<spec>", "sweep spec (JSON), e.g. from `spikelab sweep … --print-spec`")
    .requiredOption("--tasks <count>", "number of array tasks (shards)", integerArg("--tasks", 1))
    .option("--cpus <count>", "CPUs per task (worker threads)", integerArg("--cpus", 1), 1)
    .option("--partition <name>", "SLURM partition")
    .option("--time <limit>", "time limit per task, SLURM format (e.g. 01:00:00)")
    .option("--run-dir <dir>", "run folder (default: runs/<spec name>-<time>)")
    .option("--dry-run", "only write the folder and the script; do not submit")
    .option("--wait", "wait until every task has finished (sbatch --wait)")
    .action(
      (
        specFile: string,
        o: { tasks: number; cpus: number; partition?: string; time?: string; runDir?: string; dryRun?: boolean; wait?: boolean },
      ) => {
        const input = parseDataText(readInputFile(specFile, "slurm submit SPEC"), "json", `slurm submit SPEC ${specFile}`);
        const spec = parseSweepSpec(input);
        if (!o.dryRun) requireSbatch();
        const name = basename(specFile).replace(/\.json$/, "");
        const run = o.runDir ?? join("runs", `${name}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
        if (existsSync(runPaths(run).meta))
          throw new SpikelabError(`--run-dir ${run} already holds a run; use \`spikelab slurm resubmit ${run}\` or another folder`);
        const paths = runPaths(run);
        ensureFolder(paths.results);
        ensureFolder(paths.logs);
        writeFileAtomic(paths.spec, `${JSON.stringify(spec, null, 1)}\n`);
        writeFileSync(paths.script, jobScript(run, { ...o, name }), { mode: 0o755 });
        const meta: RunMeta = { tasks: o.tasks, cpus: o.cpus, jobs: [] };
        writeFileAtomic(paths.meta, `${JSON.stringify(meta, null, 1)}\n`);
        const array = `0-${o.tasks - 1}`;
        if (o.dryRun) {
          console.log(`wrote ${paths.script}; submit with: sbatch --array=${array} ${paths.script}`);
          return;
        }
        const id = sbatch(paths.script, array, false);
        meta.jobs.push({ id, array, submitted: new Date().toISOString() });
        writeFileAtomic(paths.meta, `${JSON.stringify(meta, null, 1)}\n`);
        console.log(`submitted job ${id} (array ${array}, ${gridSize(spec.axes)} grid points) for run ${run}`);
        if (o.wait) waitFor(id);
      },
    );
}

/** Blocks until no task of the job is queued or running. */
function waitFor(id: string): void {
  for (;;) {
    const r = spawnSync("squeue", ["-h", "-j", id, "-o", "%i"], { encoding: "utf8" });
    if (r.error || r.stdout.trim() === "") return;
    execFileSync("sleep", ["0.5"]);
  }
}

function statusCommand(): Command {
  return new Command("status")
    .description("tasks done, running, failed: from the result files, squeue and the task logs")
    .argument("<run>", "run folder")
    .option("--json", "print the status as JSON")
    .action((run: string, o: { json?: boolean }) => {
      const s = runStatus(run);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(s)}\n`);
        return;
      }
      const count = (st: string) => s.shards.filter((x) => x.state === st).length;
      console.log(`run ${run}: ${count("done")}/${s.shards.length} shards done${s.squeue ? "" : " (squeue not available)"}`);
      for (const x of s.shards) console.log(`  shard ${x.shard}: ${x.state.padEnd(11)} ${x.points_done}/${x.points} points`);
    });
}

function resubmitCommand(): Command {
  return new Command("resubmit")
    .description("submit again only the shards that are neither done nor queued (failed, cancelled, not started)")
    .argument("<run>", "run folder")
    .option("--wait", "wait until every task has finished")
    .action((run: string, o: { wait?: boolean }) => {
      const s = runStatus(run);
      const todo = s.shards.filter((x) => ["failed", "cancelled", "not started"].includes(x.state)).map((x) => x.shard);
      if (!todo.length) {
        console.log(`run ${run}: nothing to resubmit (${s.shards.filter((x) => x.state === "done").length} done, the rest queued)`);
        return;
      }
      const meta = readMeta(run);
      const array = todo.join(",");
      const id = sbatch(runPaths(run).script, array, false);
      meta.jobs.push({ id, array, submitted: new Date().toISOString() });
      writeFileAtomic(runPaths(run).meta, `${JSON.stringify(meta, null, 1)}\n`);
      console.log(`resubmitted shards ${array} as job ${id}`);
      if (o.wait) waitFor(id);
    });
}

export function slurmCommand(): Command {
  return new Command("slurm")
    .description("run a sweep on a SLURM cluster as a job array (submit, status, resubmit); then `spikelab merge RUN`")
    .addCommand(submitCommand())
    .addCommand(statusCommand())
    .addCommand(resubmitCommand())
    .addHelpText(
      "after",
      `
Example:
  spikelab sweep --param gNa=40:80:5 --amplitude 0:10:0.2 --print-spec > grid.json
  spikelab slurm submit grid.json --tasks 16 --cpus 4 --time 00:30:00 --run-dir runs/grid
  spikelab slurm status runs/grid
  spikelab slurm resubmit runs/grid        # only the failed or cancelled shards
  spikelab merge runs/grid --out grid.csv`,
    );
}

export function mergeCommand(): Command {
  return new Command("merge")
    .description("merge the shard results of a run folder into one CSV/JSON; fails naming missing or duplicated grid points")
    .argument("<run>", "run folder (from `spikelab slurm submit`)")
    .option("--out <file>", "merged results (.csv or .json); default RUN/merged.csv")
    .action((run: string, o: { out?: string }) => {
      const out = o.out ?? join(run, "merged.csv");
      const r = mergeRun(run, out);
      console.log(`merged ${r.points} grid points from ${r.files} shard files into ${out}`);
    });
}
