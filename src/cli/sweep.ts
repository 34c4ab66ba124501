import { extname } from "node:path";
import { Command, Option } from "commander";
import { parseDataText } from "../dataText.js";
import { SpikelabError } from "../errors.js";
import { type Blocks, blockGrid } from "../experiments/blockers.js";
import { runGpuSweepBatches } from "../gpu/sweep.js";
import { toCsv } from "../io/columns.js";
import { checkFreeSpace } from "../io/files.js";
import { readInputFile } from "../io/inputFile.js";
import { CHARS_PER_NUMBER, checkGridPoints, checkPointsInMemory, count } from "../limits.js";
import { type ModelRef, resolveModel } from "../models/index.js";
import type { NeuronModel } from "../models/types.js";
import type { BatchResult } from "../sweep/batch.js";
import { runCheckedSweepBatches } from "../sweep/engine.js";
import { type Axis, gridSize, parseRange, rangeLength } from "../sweep/grid.js";
import { SweepOutput, sweepHeader } from "../sweep/output.js";
import { sweepTable } from "../sweep/run.js";
import { parseShard } from "../sweep/shard.js";
import { checkSweepSize } from "../sweep/size.js";
import { parseSweepSpec, type SweepSpecInput, type SweepSpecResolved } from "../sweep/spec.js";
import { FORBIDDEN_KEYS } from "../validate.js";
import { openBackend } from "./backend.js";
import { BLOCK_HELP, blockArg } from "./block.js";
import { addSimulationOptions } from "./common.js";
import { integerArg } from "./parse.js";
import { progressBar } from "./progress.js";
import { addSweepOutputOptions, type SweepOutputFlags } from "./sweepOptions.js";

export { addSweepOutputOptions, type SweepOutputFlags };

/** Runs a sweep spec: streams to --out (resumable) or prints the table; a progress bar on a terminal. */
export async function runSweepCommand(input: SweepSpecInput, flags: SweepOutputFlags): Promise<void> {
  const parsed = parseSweepSpec(input);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard === true ? "" : String(flags.shard));
  const grid = gridSize(parsed.axes);
  const total = shard ? Math.max(0, Math.ceil((grid - shard.index) / shard.count)) : grid;
  checkSweepSize(parsed, { maxPoints: flags.maxPoints, maxNeuronSteps: flags.maxNeuronSteps }, total);
  if (!flags.out) checkPointsInMemory(total, "the sweep without --out");
  const steps = Math.round(parsed.duration_ms / parsed.dt_ms);
  const device = await openBackend(flags.backend ?? "cpu", { method: parsed.method, neuronSteps: total * steps });
  // GPU results are f32 and say so: in the spec beside the results, and a `precision` column in every row
  const spec: SweepSpecResolved = device ? { ...parsed, precision: "f32" } : parsed;
  if (flags.resume && !flags.out) throw new SpikelabError("--resume needs --out FILE (the results to continue)");
  if (flags.out) {
    // the streamed file: index, axes, three statistics (and precision), about 20 characters each
    checkFreeSpace(
      flags.out,
      total * (parsed.axes.length + 5) * CHARS_PER_NUMBER,
      `--out ${flags.out} (${count(total)} points)`,
      "write to a folder with more room, or sweep fewer points",
    );
  }
  const output = flags.out ? new SweepOutput(flags.out, spec, { resume: flags.resume, overwrite: flags.overwrite, shard }) : undefined;
  if (output?.droppedLine !== undefined) {
    process.stderr.write(
      `spikelab: ${flags.out}: dropped line ${output.droppedLine}, cut by an interruption; its points are computed again\n`,
    );
  }
  const batches: BatchResult[] = [];
  const bar = await progressBar(flags.label ?? "sweep", "points");
  const already = output?.done.size ?? 0;
  bar?.start(total, already);
  const onBatch = (b: BatchResult) => {
    if (output) output.append(b);
    else batches.push(b);
    bar?.increment(b.index.length);
  };
  try {
    if (device) await runGpuSweepBatches(device, spec, { done: output?.done, shard, onBatch });
    else
      await runCheckedSweepBatches(spec, {
        workers: flags.workers,
        done: output?.done,
        shard,
        onBatch,
        maxPoints: flags.maxPoints,
        maxNeuronSteps: flags.maxNeuronSteps,
      });
  } catch (e) {
    output?.close(); // the partial file stays for --resume; the lock goes
    throw e;
  } finally {
    bar?.stop();
    device?.destroy();
  }
  if (output) {
    output.finish();
    process.stderr.write(`wrote ${flags.out}: ${total} points (${total - already} computed now, ${already} resumed)\n`);
    return;
  }
  const table = sweepTable(spec, batches, shard);
  if (flags.json) {
    const cols = Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, Array.from(v, (x) => (Number.isNaN(x) ? null : x))]));
    process.stdout.write(`${JSON.stringify({ spec, ...(device ? { precision: "f32" } : {}), ...cols })}\n`);
  } else {
    const columns: Record<string, ArrayLike<number | string>> = { ...table.columns, precision: new Array(table.rows).fill("f32") };
    const header = sweepHeader(spec);
    process.stdout.write(toCsv(Object.fromEntries(header.map((h) => [h, columns[h] as ArrayLike<number | string>]))).replaceAll("NaN", ""));
  }
}

interface SweepFlags extends SweepOutputFlags {
  model: string | NeuronModel;
  method: string;
  dtMs: number;
  durationMs: number;
  startMs: number;
  stopMs: number;
  thresholdMv: number;
  rtol?: number;
  atol?: number;
  amplitude: string;
  param?: string[];
  block?: Blocks;
  batchSize: number;
  spec?: string;
  printSpec?: boolean;
}

/** The sweep spec that `spikelab sweep` flags describe: parameters with one value are fixed, ranges are axes. */
export function sweepSpecFromFlags(o: SweepFlags): SweepSpecInput {
  const axes: Axis[] = [];
  const parameters: Record<string, number> = {};
  const ranges = (o.param ?? []).map((raw) => {
    const eq = raw.indexOf("=");
    if (eq < 1) throw new SpikelabError(`--param must be NAME=RANGE (e.g. gNa=40:80:5 or gNa=40,60); got "${raw}"`);
    const name = raw.slice(0, eq).trim();
    if (FORBIDDEN_KEYS.has(name))
      throw new SpikelabError(`--param name must be a model parameter (__proto__, constructor and prototype are refused); got "${name}"`);
    const flag = `--param ${name}`;
    return { flag, name, raw: raw.slice(eq + 1), length: rangeLength(flag, raw.slice(eq + 1)) };
  });
  // the grid's size (the product of all axes), checked before any axis's values are made
  const lengths = [...ranges, { flag: "--amplitude", length: rangeLength("--amplitude", o.amplitude) }].filter((r) => r.length > 1);
  checkGridPoints(
    lengths.reduce((n, r) => n * r.length, 1),
    o.maxPoints,
    lengths.map((r) => `${r.flag} (${count(r.length)} values)`).join(" × ") || "the grid",
  );
  for (const { flag, name, raw } of ranges) {
    const values = parseRange(flag, raw);
    if (values.length === 1) parameters[name] = values[0] as number;
    else axes.push({ name, values });
  }
  axes.push({ name: "amplitude", values: parseRange("--amplitude", o.amplitude) });
  const grid = o.block ? blockGrid(resolveModel(o.model as ModelRef), o.block, parameters, axes) : { parameters, axes };
  return {
    model: o.model,
    method: o.method,
    dt_ms: o.dtMs,
    duration_ms: o.durationMs,
    start_ms: o.startMs,
    stop_ms: o.stopMs,
    spike_threshold_mV: o.thresholdMv,
    ...(o.rtol === undefined ? {} : { rtol: o.rtol }),
    ...(o.atol === undefined ? {} : { atol: o.atol }),
    parameters: grid.parameters,
    axes: grid.axes,
    batch_size: o.batchSize,
    ...(o.fastMath ? { fast_math: true } : {}),
  };
}

/**
 * The flags that describe what a sweep computes (everything a sweep spec holds): the simulation flags, the grid
 * and the arithmetic. With `--spec FILE` the file is the whole sweep, so they are refused; the flags that say
 * where and how to run it (--out, --resume, --workers, --backend, --json, …) stay allowed.
 */
const specFlags = (): ReadonlySet<string> =>
  new Set([
    ...addSimulationOptions(new Command(), { durationMs: 0, amplitude: 0, startMs: 0, stopMs: 0 })
      .options.map((o) => o.attributeName())
      // a limit is how far to let it run, not part of the sweep: allowed with --spec
      .filter((name) => name !== "maxNeuronSteps"),
    "amplitude",
    "param",
    "block",
    "batchSize",
    "fastMath",
  ]);

export function sweepCommand(): Command {
  const cmd = new Command("sweep").description(
    "a grid over step amplitudes and any model parameters; records spike statistics (count, rate, first-spike latency) per point",
  );
  addSimulationOptions(cmd, { durationMs: 200, amplitude: 0, startMs: 50, stopMs: 200 })
    .option("--amplitude <range>", "step amplitudes (µA/cm²): FROM:TO:STEP, A,B,C or one value", "0:10:0.2")
    .option(
      "--param <name=range>",
      "a model parameter: one value fixes it, a range FROM:TO:STEP or list A,B makes it an axis (repeatable)",
      (v: string, p: string[] = []) => [...p, v],
    )
    .option("--block <blocker=fraction>", `${BLOCK_HELP}; a blocked conductance that is an axis has its values scaled`, blockArg)
    .option("--batch-size <count>", "neurons per batched run", integerArg("--batch-size", 1), 2048)
    .addOption(new Option("--spec <file>", "read the whole sweep spec from a JSON file (other sweep flags are then not allowed)"))
    .option("--print-spec", "print the sweep spec the flags describe, as JSON, and exit");
  addSweepOutputOptions(cmd)
    .option("--json", "print the results as one JSON object (when no --out)")
    .addHelpText(
      "after",
      `
Examples:
  spikelab sweep --param gNa=40:80:5 --amplitude 0:10:0.2 --out grid.csv      459 neurons, 9 gNa × 51 amplitudes
  spikelab sweep --param gNa=40:80:5 --amplitude 0:10:0.2 --out grid.csv --resume   continue after an interruption
  spikelab sweep --model hh1952 --param celsius=6.3,16.3 --amplitude 0:20:1 --json
  spikelab sweep --param gK=5:20:1 --print-spec > sweep.json && spikelab sweep --spec sweep.json --out gk.csv`,
    );
  return cmd.action(async (o: SweepFlags, c: Command) => {
    let spec: SweepSpecInput;
    if (o.spec) {
      // the file is the whole sweep: a flag that would change it is an error, never silently ignored
      const defining = specFlags();
      const clash = c.options
        .filter((opt) => defining.has(opt.attributeName()) && c.getOptionValueSource(opt.attributeName()) === "cli")
        .map((opt) => opt.long as string);
      if (clash.length) {
        const allowed = c.options.filter((opt) => !defining.has(opt.attributeName()) && opt.long !== "--spec").map((opt) => opt.long);
        throw new SpikelabError(
          `--spec ${o.spec} describes the whole sweep, so ${clash.join(", ")} cannot be given with it; edit the file or drop --spec (allowed with --spec: ${allowed.join(", ")})`,
        );
      }
      const yaml = [".yaml", ".yml"].includes(extname(o.spec).toLowerCase());
      spec = parseDataText(readInputFile(o.spec, "--spec"), yaml ? "yaml" : "json", `--spec ${o.spec}`) as SweepSpecInput;
    } else spec = sweepSpecFromFlags(o);
    const resolved: SweepSpecResolved = parseSweepSpec(spec);
    if (o.printSpec) {
      process.stdout.write(`${JSON.stringify(resolved, null, 1)}\n`);
      return;
    }
    await runSweepCommand(resolved, o);
  });
}
