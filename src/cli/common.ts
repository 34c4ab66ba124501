import { type Command, Option } from "commander";
import { invalid } from "../errors.js";
import type { Blocks } from "../experiments/blockers.js";
import { DEFAULT_CONVERGENCE_TOLERANCE_MS } from "../experiments/convergence.js";
import { LAB_EXPERIMENT_1 } from "../experiments/labProtocols.js";
import { DEFAULT_METHOD, methodNames } from "../integrators/registry.js";
import { DEFAULT_MAX_NEURON_STEPS } from "../limits.js";
import { builtinModels, DEFAULT_MODEL, type NeuronModel } from "../models/index.js";
import { addBlockOption } from "./block.js";
import { countArg, numberArg, paramArg, positiveArg } from "./parse.js";

/** The name of a --model value. */
export const modelName = (model: string | NeuronModel): string => (typeof model === "string" ? model : model.name);

/** Options shared by every command that runs a simulation. */
export interface RunFlags {
  /** A built-in model's name, or the model read from a file. */
  model: string | NeuronModel;
  method: string;
  dtMs: number;
  durationMs: number;
  amplitude?: number;
  startMs: number;
  stopMs: number;
  param: Record<string, number>;
  /** `--block TTX=0.5`: the channel blocks, already written into `param` (except with `run --spec`). */
  block?: Blocks;
  thresholdMv: number;
  maxNeuronSteps?: number;
  json?: boolean;
  csv?: string;
  rtol?: number;
  atol?: number;
  checkDt?: boolean;
  checkDtToleranceMs: number;
  svg?: string;
  png?: string;
}

export interface RunDefaults {
  durationMs: number;
  /** The default of --amplitude; without one the command has no --amplitude flag (e.g. `fi`, which sweeps it). */
  amplitude?: number;
  startMs: number;
  stopMs: number;
}

/** Adds the model, method, time and stimulus flags, each with its unit. */
export function addRunOptions(cmd: Command, d: RunDefaults, has: { csv?: boolean; checkDt?: boolean } = {}): Command {
  addSimulationOptions(cmd, d);
  if (d.amplitude !== undefined) {
    cmd.option("--amplitude <uA_per_cm2>", "step current amplitude (µA/cm²)", numberArg("--amplitude", "µA/cm²"), d.amplitude);
  }
  cmd
    // no default shown: none means the model's own values
    .option("--param <name=value>", "override a model parameter, repeatable (e.g. gNa=60, celsius=10)", paramArg)
    .hook("preAction", (c) => {
      if (c.getOptionValue("param") === undefined) c.setOptionValueWithSource("param", {}, "default");
    });
  addBlockOption(cmd);
  if (has.checkDt !== false) {
    cmd
      .option("--check-dt", "rerun at dt/2 (rk45: tolerances / 10) and warn on stderr if spike counts or times change")
      .option(
        "--check-dt-tolerance-ms <ms>",
        "with --check-dt: largest allowed change of a spike time (ms)",
        positiveArg("--check-dt-tolerance-ms", "ms"),
        DEFAULT_CONVERGENCE_TOLERANCE_MS,
      );
  }
  cmd.option("--json", "print the result as one JSON object");
  if (has.csv !== false) cmd.option("--csv <file>", "write the result as CSV");
  return cmd
    .option("--svg <file>", "draw the result as an SVG figure")
    .option("--png <file>", "draw the result as a PNG figure (bundled font: the same on every machine)");
}

/** A model made by the NMODL import (its source says so). */
const isNmodl = (m: { source: string }) => m.source.includes("Imported from NEURON NMODL");

/** Adds the model, method, time, stimulus-window and threshold flags (not amplitude or parameters). */
export function addSimulationOptions(cmd: Command, d: RunDefaults): Command {
  return (
    cmd
      .addOption(
        new Option(
          "--model <name|file>",
          "neuron model: a built-in (see `spikelab models`) or a model file (.json, .yaml, .nml, .mod)",
        ).default(DEFAULT_MODEL),
      )
      // a model file is read before the action runs; its errors are spikelab's one-line errors (exit 2)
      .hook("preAction", async (c) => {
        const raw = c.getOptionValue("model");
        // a built-in name stays a name; the model-file readers (YAML, NeuroML) load only for a file
        if (typeof raw !== "string" || Object.hasOwn(builtinModels, raw)) return;
        const { modelFromArgument } = await import("../io/modelFile.js");
        // keep the value's source: `run --spec` lets a --model given on the command line override the file
        // --param celsius reaches an NMODL import, where celsius may have to be bound (Mainen's tadj); a model
        // that then has no celsius parameter has used it up
        const params = c.getOptionValue("param") as Record<string, unknown> | undefined;
        const celsius = typeof params?.celsius === "number" ? params.celsius : undefined;
        const model = modelFromArgument(raw, "--model", celsius === undefined ? {} : { celsius });
        if (typeof model === "object" && model.source.includes("(defaulted: no network temperature")) {
          process.stderr.write(
            `spikelab: note: ${raw} gives no temperature; the model runs at ${model.celsius} °C (set --param celsius)\n`,
          );
        }
        c.setOptionValueWithSource("model", model, c.getOptionValueSource("model"));
        if (celsius !== undefined && typeof model !== "string" && model.celsius === undefined && /\.(mod|json|ya?ml)$/i.test(raw)) {
          const { celsius: _used, ...rest } = params as Record<string, unknown>;
          if (isNmodl(model)) c.setOptionValueWithSource("param", rest, c.getOptionValueSource("param"));
        }
      })
      .addOption(new Option("--method <name>", `integration method (${methodNames().join(", ")})`).default(DEFAULT_METHOD))
      .option("--dt-ms <ms>", "time step (ms)", positiveArg("--dt-ms", "ms"), LAB_EXPERIMENT_1.dt_ms)
      .option("--duration-ms <ms>", "simulated time (ms)", positiveArg("--duration-ms", "ms"), d.durationMs)
      .option("--start-ms <ms>", "step current start (ms, inclusive)", numberArg("--start-ms", "ms"), d.startMs)
      .option("--stop-ms <ms>", "step current stop (ms, exclusive)", numberArg("--stop-ms", "ms"), d.stopMs)
      .option("--threshold-mv <mV>", "spike threshold: upward crossing of this voltage (mV)", numberArg("--threshold-mv", "mV"), 0)
      .option("--rtol <x>", "relative tolerance of adaptive methods (rk45; default 1e-6)", positiveArg("--rtol", ""))
      .option("--atol <x>", "absolute tolerance of adaptive methods (rk45, state units: mV for V; default 1e-8)", positiveArg("--atol", ""))
      .addOption(
        new Option("--max-neuron-steps <count>", "refuse, before it starts, a request of more neuron-steps (neurons × duration / dt)")
          .argParser(countArg("--max-neuron-steps"))
          .default(DEFAULT_MAX_NEURON_STEPS, "1e11"),
      )
  );
}

/** A step that would run past the end of the run is an error (it would be cut there, silently). */
export function checkStepWindow(o: { startMs: number; stopMs: number; durationMs: number }): void {
  if (o.stopMs > o.durationMs && o.startMs <= o.durationMs) {
    throw invalid("--stop-ms", o.stopMs, `≤ --duration-ms (${o.durationMs} ms): the step would be cut at the run's end`);
  }
}

/** The lab's experiment 1 (the library's LAB_EXPERIMENT_1) as flag defaults: 3 µA/cm² on [10, 20) ms, 50 ms. */
export const LAB_RUN = {
  durationMs: LAB_EXPERIMENT_1.duration_ms,
  amplitude: LAB_EXPERIMENT_1.amplitude_uA_per_cm2,
  startMs: LAB_EXPERIMENT_1.start_ms,
  stopMs: LAB_EXPERIMENT_1.stop_ms,
};

/** The simulation spec that run flags describe (one step current). */
export const specOf = (o: RunFlags) => ({
  model: o.model,
  method: o.method,
  dt_ms: o.dtMs,
  duration_ms: o.durationMs,
  parameters: o.param,
  stimulus: { type: "step" as const, amplitude_uA_per_cm2: o.amplitude ?? 0, start_ms: o.startMs, stop_ms: o.stopMs },
  spike_threshold_mV: o.thresholdMv,
  ...(o.maxNeuronSteps === undefined ? {} : { max_neuron_steps: o.maxNeuronSteps }),
  ...(o.rtol === undefined ? {} : { rtol: o.rtol }),
  ...(o.atol === undefined ? {} : { atol: o.atol }),
});
