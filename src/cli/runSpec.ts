import { totalmem } from "node:os";
import { dirname, extname, resolve } from "node:path";
import type { Command } from "commander";
import { parseDataText } from "../dataText.js";
import { InvalidArgumentError } from "../errors.js";
import { blockParameters } from "../experiments/blockers.js";
import { readInputFile } from "../io/inputFile.js";
import { modelFromArgument } from "../io/modelFile.js";
import { DEFAULT_MAX_OUTPUT_MIB } from "../limits.js";
import { builtinModels, type ModelRef, recordableVariables, resolveModel } from "../models/index.js";
import { DEFAULT_MEMORY_LIMIT_MIB, type SimulationSpecInput } from "../spec.js";
import type { RunFlags } from "./common.js";
import { numberArg, positiveArg } from "./parse.js";

/** This machine's memory (MiB): a memory limit above it would only fail later, in the allocator. */
const totalMiB = Math.floor(totalmem() / 2 ** 20);

/** Flags of `spikelab run` that shape the spec beyond the common run flags. */
export interface RunSpecFlags {
  spec?: string;
  sampleMs?: number;
  record?: string[];
  memoryLimitMib?: number;
  maxOutputMib: number;
}

/** `--record V,m,I_Na` → the list; `none` (or an empty value) → spikes only. */
const recordArg = (raw: string): string[] => {
  const list = raw
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v.length);
  return list.length === 1 && list[0] === "none" ? [] : list;
};

/** Adds --spec, --sample-ms, --record and --memory-limit-mib. */
export function addRunSpecOptions(cmd: Command): Command {
  return cmd
    .option(
      "--spec <file>",
      "read the experiment from a spec file (.json, .yaml; schema: `spikelab schema spec`); flags given on the command line override its fields",
    )
    .option(
      "--sample-ms <ms>",
      "trace sample interval (ms), a whole multiple of --dt-ms (default: every step)",
      positiveArg("--sample-ms", "ms"),
    )
    .option(
      "--record <variables>",
      "variables to record, comma-separated (e.g. V,m,I_Na), or none for spikes only (default: all)",
      recordArg,
    )
    .option(
      "--memory-limit-mib <MiB>",
      `refuse, before it starts, a run whose traces and state need more memory than this (MiB; default ${DEFAULT_MEMORY_LIMIT_MIB}; at most this machine's memory)`,
      numberArg("--memory-limit-mib", "MiB", (x) => x > 0 && x <= totalMiB, `a positive number ≤ ${totalMiB}, this machine's memory`),
    )
    .option(
      "--max-output-mib <MiB>",
      "with --csv (streamed): refuse, before it starts, a file larger than this (MiB, estimated)",
      positiveArg("--max-output-mib", "MiB"),
      DEFAULT_MAX_OUTPUT_MIB,
    );
}

/**
 * Reads a spec file (JSON, or YAML for .yaml/.yml) as plain data, with one-line errors. A `model`
 * that names a file rather than a built-in is read from that file (relative to the spec file).
 */
export function readSpecFile(path: string, flag = "--spec"): Record<string, unknown> {
  const text = readInputFile(path, flag);
  const yaml = [".yaml", ".yml"].includes(extname(path).toLowerCase());
  const data = parseDataText(text, yaml ? "yaml" : "json", `${flag} ${path}`);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InvalidArgumentError(
      `${flag} ${path} must hold one object (a spec); got ${Array.isArray(data) ? "an array" : JSON.stringify(data)}`,
    );
  }
  const spec = data as Record<string, unknown>;
  if (typeof spec.model === "string" && !Object.hasOwn(builtinModels, spec.model) && extname(spec.model)) {
    return { ...spec, model: modelFromArgument(resolve(dirname(path), spec.model), `the model of ${flag} ${path}`) };
  }
  return spec;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === "object" && !Array.isArray(x);

/**
 * The spec of `spikelab run`. The rule, field by field: a flag given on the command line wins; else
 * the spec file's value (with --spec); else the flag's default. `--param` adds to (or replaces single
 * entries of) the file's parameters; --amplitude/--start-ms/--stop-ms set fields of a step stimulus
 * (an error when the file's stimulus is pulses). Without --record, every variable is recorded.
 */
export function runSpecFrom(o: RunFlags & RunSpecFlags, cmd: Command): SimulationSpecInput {
  const file = o.spec ? readSpecFile(o.spec) : {};
  const given = (key: string) => !o.spec || cmd.getOptionValueSource(key) === "cli";
  const pick = <T>(key: string, field: string, value: T): T | unknown => (given(key) || file[field] === undefined ? value : file[field]);
  const out: Record<string, unknown> = { ...file };
  out.model = pick("model", "model", o.model);
  out.method = pick("method", "method", o.method);
  out.dt_ms = pick("dtMs", "dt_ms", o.dtMs);
  out.duration_ms = pick("durationMs", "duration_ms", o.durationMs);
  out.spike_threshold_mV = pick("thresholdMv", "spike_threshold_mV", o.thresholdMv);
  if (o.rtol !== undefined) out.rtol = o.rtol;
  if (o.atol !== undefined) out.atol = o.atol;
  if (o.memoryLimitMib !== undefined) out.memory_limit_MiB = o.memoryLimitMib;
  out.max_neuron_steps = pick("maxNeuronSteps", "max_neuron_steps", o.maxNeuronSteps);
  if (given("param") && Object.keys(o.param).length) out.parameters = { ...(isObject(file.parameters) ? file.parameters : {}), ...o.param };
  // --block scales the conductances of the model and parameters the run ends up with (the file's, then the flags')
  if (o.spec && o.block)
    out.parameters = blockParameters(
      resolveModel(out.model as ModelRef),
      o.block,
      (isObject(out.parameters) ? out.parameters : {}) as Record<string, number>,
    );

  const stepFlags = ["amplitude", "startMs", "stopMs"].filter((k) => cmd.getOptionValueSource(k) === "cli");
  const fileStimulus = file.stimulus;
  if (isObject(fileStimulus) && fileStimulus.type === "pulses") {
    if (stepFlags.length) {
      const flags = stepFlags.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ");
      throw new InvalidArgumentError(`${flags} set a step stimulus, but the stimulus of ${o.spec} is pulses: edit the file instead`);
    }
  } else {
    const s = isObject(fileStimulus) ? fileStimulus : {};
    const field = (key: string, name: string, value: number) => (given(key) || s[name] === undefined ? value : s[name]);
    out.stimulus = {
      ...s,
      amplitude_uA_per_cm2: field("amplitude", "amplitude_uA_per_cm2", o.amplitude ?? 0),
      start_ms: field("startMs", "start_ms", o.startMs),
      stop_ms: field("stopMs", "stop_ms", o.stopMs),
    };
    // a step that runs past the end would be cut there, silently: say so instead
    const { start_ms: start, stop_ms: stop } = out.stimulus as Record<string, unknown>;
    const duration = out.duration_ms;
    // (a start after the end is the schema's to refuse, with its own message)
    if (typeof stop === "number" && typeof duration === "number" && stop > duration && !(typeof start === "number" && start > duration)) {
      const where = given("stopMs") ? "--stop-ms" : `stimulus.stop_ms of ${o.spec}`;
      const length = given("durationMs") ? "--duration-ms" : `duration_ms of ${o.spec}`;
      throw new InvalidArgumentError(`${where} must be ≤ ${length} (${duration} ms): the step would be cut at the run's end; got ${stop}`);
    }
  }

  const record = isObject(file.record) ? { ...file.record } : {};
  if (o.sampleMs !== undefined) record.sample_ms = o.sampleMs;
  if (o.record !== undefined) record.variables = o.record;
  else if (record.variables === undefined) record.variables = recordableVariables(out.model as Parameters<typeof recordableVariables>[0]);
  out.record = record;
  return out as SimulationSpecInput;
}
