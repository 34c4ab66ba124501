import { Command, Option } from "commander";
import { invalid } from "../errors.js";
import { type PairedPulseResult, pairedPulse } from "../experiments/pairedPulse.js";
import { DEFAULT_METHOD, methodNames } from "../integrators/registry.js";
import { toCsv } from "../io/columns.js";
import { writeFileAtomic } from "../io/files.js";
import { builtinModels, DEFAULT_MODEL, type NeuronModel } from "../models/index.js";
import { wrote } from "./output.js";
import { numberArg, paramArg, positiveArg } from "./parse.js";

interface PairedFlags {
  model: string | NeuronModel;
  method: string;
  dtMs: number;
  param: Record<string, number>;
  thresholdMv: number;
  intervalMs: number;
  amplitude: number;
  pulseMs: number;
  pulseStartMs: number;
  conditioningAmplitude?: number;
  observeMs: number;
  durationMs?: number;
  fromV0?: boolean;
  json?: boolean;
  csv?: string;
}

/** The trial as JSON with units in every name. */
export function pairedJson(r: PairedPulseResult, model: string, method: string, dt_ms: number) {
  return {
    model,
    method,
    dt_ms,
    initial_mV: r.initial_mV,
    pulse_ms: r.pulse_ms,
    first_pulse_start_ms: r.first_pulse_start_ms,
    conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2,
    single_pulse_threshold_uA_per_cm2: r.single_pulse_threshold_uA_per_cm2,
    first_spike_ms: r.first_spike_ms,
    interval_ms: r.interval_ms,
    second_pulse_start_ms: r.second_pulse_start_ms,
    amplitude_uA_per_cm2: r.amplitude_uA_per_cm2,
    observe_ms: r.observe_ms,
    fired: r.fired,
    second_spike_ms: r.second_spike_ms,
    duration_ms: r.duration_ms,
    spike_times_ms: r.spike_times_ms,
    t_ms: Array.from(r.t_ms),
    V_mV: Array.from(r.V_mV),
    I_inj_uA_per_cm2: Array.from(r.I_inj_uA_per_cm2),
  };
}

export function pairedCommand(): Command {
  const cmd = new Command("paired").description(
    "one paired-pulse trial: a conditioning pulse, then a second pulse Δ after its spike; does the second pulse fire? (the protocol of `analyze`'s refractory periods)",
  );
  cmd
    .addOption(new Option("--model <name|file>", "neuron model: a built-in (see `spikelab models`) or a model file").default(DEFAULT_MODEL))
    .addOption(new Option("--method <name>", `integration method (${methodNames().join(", ")})`).default(DEFAULT_METHOD))
    .option("--dt-ms <ms>", "time step (ms)", positiveArg("--dt-ms", "ms"), 0.025)
    .option("--param <name=value>", "override a model parameter, repeatable (e.g. gNa=60)", paramArg)
    .option("--threshold-mv <mV>", "spike threshold: upward crossing of this voltage (mV)", numberArg("--threshold-mv", "mV"), 0)
    .requiredOption(
      "--interval-ms <ms>",
      "interval Δ from the first spike to the second pulse's start (ms)",
      positiveArg("--interval-ms", "ms"),
    )
    .requiredOption("--amplitude <uA_per_cm2>", "amplitude of the second pulse (µA/cm²)", numberArg("--amplitude", "µA/cm²"))
    .option("--pulse-ms <ms>", "duration of each pulse (ms)", positiveArg("--pulse-ms", "ms"), 1)
    .option(
      "--pulse-start-ms <ms>",
      "start of the first pulse (ms)",
      numberArg("--pulse-start-ms", "ms", (x) => x >= 0, "a number ≥ 0"),
      10,
    )
    .option(
      "--conditioning-amplitude <uA_per_cm2>",
      "first pulse amplitude (µA/cm²); default 2 × the single-pulse threshold (measured)",
      positiveArg("--conditioning-amplitude", "µA/cm²"),
    )
    .option(
      "--observe-ms <ms>",
      "the second pulse fires if a spike follows its start within this time (ms)",
      positiveArg("--observe-ms", "ms"),
      50,
    )
    .option(
      "--duration-ms <ms>",
      "simulated time (ms); default the second pulse's start + --observe-ms",
      positiveArg("--duration-ms", "ms"),
    )
    .option("--from-v0", "start at the model's V0 instead of its resting potential")
    .option("--json", "print the trial (its settings, fired, the trace) as one JSON object")
    .option("--csv <file>", "write the trace (t_ms, V_mV, I_inj_uA_per_cm2) as CSV")
    .hook("preAction", async (c) => {
      if (c.getOptionValue("param") === undefined) c.setOptionValueWithSource("param", {}, "default");
      const method = c.getOptionValue("method") as string;
      if (!methodNames().includes(method)) throw invalid("--method", method, `one of ${methodNames().join(", ")}`);
      const raw = c.getOptionValue("model");
      if (typeof raw !== "string" || Object.hasOwn(builtinModels, raw)) return;
      const { modelFromArgument } = await import("../io/modelFile.js");
      c.setOptionValue("model", modelFromArgument(raw));
    })
    .addHelpText(
      "after",
      `
Examples:
  spikelab paired --interval-ms 2 --amplitude 15        inside the lab model's absolute refractory period: no second spike
  spikelab paired --interval-ms 20 --amplitude 6        in the relative period: fires (the threshold there is 5.1 µA/cm²)
  spikelab paired --model hh1952 --interval-ms 17 --amplitude 6   supernormal: fires below the single-pulse threshold (6.88)
  spikelab analyze --json                               the whole recovery curve and both periods, same protocol`,
    );
  return cmd.action((o: PairedFlags) => {
    const r = pairedPulse({
      model: o.model,
      parameters: o.param,
      dt_ms: o.dtMs,
      method: o.method,
      spike_threshold_mV: o.thresholdMv,
      interval_ms: o.intervalMs,
      amplitude_uA_per_cm2: o.amplitude,
      pulse_ms: o.pulseMs,
      first_pulse_start_ms: o.pulseStartMs,
      observe_ms: o.observeMs,
      start_at_rest: !o.fromV0,
      ...(o.conditioningAmplitude === undefined ? {} : { conditioning_amplitude_uA_per_cm2: o.conditioningAmplitude }),
      ...(o.durationMs === undefined ? {} : { duration_ms: o.durationMs }),
    });
    const name = typeof o.model === "string" ? o.model : o.model.name;
    if (o.csv) {
      writeFileAtomic(o.csv, toCsv({ t_ms: r.t_ms, V_mV: r.V_mV, I_inj_uA_per_cm2: r.I_inj_uA_per_cm2 }));
      wrote(o.csv);
    }
    if (o.json) {
      process.stdout.write(`${JSON.stringify(pairedJson(r, name, o.method, o.dtMs))}\n`);
      return;
    }
    const f3 = (x: number) => x.toFixed(3);
    console.log(`model ${name}, ${o.method}, dt ${o.dtMs} ms; every run from ${f3(r.initial_mV)} mV`);
    console.log(
      `pulse 1: ${f3(r.conditioning_amplitude_uA_per_cm2)} µA/cm² for ${r.pulse_ms} ms at ${r.first_pulse_start_ms} ms → spike at ${f3(r.first_spike_ms)} ms` +
        (r.single_pulse_threshold_uA_per_cm2 === null
          ? ""
          : ` (2 × the single-pulse threshold ${f3(r.single_pulse_threshold_uA_per_cm2)} µA/cm²)`),
    );
    console.log(
      `pulse 2: ${f3(r.amplitude_uA_per_cm2)} µA/cm² for ${r.pulse_ms} ms, Δ ${r.interval_ms} ms after that spike (at ${f3(r.second_pulse_start_ms)} ms)`,
    );
    console.log(
      r.fired
        ? `fired: spike at ${f3(r.second_spike_ms as number)} ms`
        : `did not fire: no spike within ${r.observe_ms} ms of the second pulse's start`,
    );
  });
}
