import { z } from "zod";
import { DEFAULT_ATOL, DEFAULT_RTOL } from "./integrators/rk45.js";
import { ModelSchema } from "./models/schema.js";
import { parseWith } from "./validate.js";

export { parseWith };

const finite = (what: string) => z.number({ error: `must be ${what}` }).refine(Number.isFinite, { message: `must be ${what}` });
const positive = (what: string) => finite(what).refine((x) => x > 0, { message: `must be ${what}` });
const perNeuron = (what: string) =>
  z.union([finite(what), z.array(finite(what)).min(1)], { error: `must be ${what} or a non-empty array of them` });

/** A step current on [start_ms, stop_ms); the amplitude may be one value or one per neuron. */
export const StepStimulusSpec = z
  .object({
    type: z.literal("step").default("step"),
    amplitude_uA_per_cm2: perNeuron("a finite number of µA/cm²"),
    start_ms: finite("a finite number of ms"),
    stop_ms: finite("a finite number of ms"),
  })
  .refine((s) => s.stop_ms >= s.start_ms, { message: "must be ≥ start_ms", path: ["stop_ms"] });

/** One rectangular pulse on [start_ms, start_ms + duration_ms); start and amplitude may be one value or one per neuron. */
export const PulseSpec = z.object({
  start_ms: perNeuron("a finite number of ms"),
  duration_ms: finite("a finite number of ms").refine((x) => x >= 0, { message: "must be a finite number of ms ≥ 0" }),
  amplitude_uA_per_cm2: perNeuron("a finite number of µA/cm²"),
});

/** A train of pulses that add where they overlap: a paired-pulse protocol over many intervals is one batch. */
export const PulsesStimulusSpec = z.object({
  type: z.literal("pulses"),
  pulses: z.array(PulseSpec),
});

/** Any stimulus: a step (the default when `type` is left out) or a train of pulses. */
export const StimulusSpec = z.union([StepStimulusSpec, PulsesStimulusSpec]);

/** What to record. Spikes are always recorded; traces only of the listed variables and neurons. */
export const RecordSpec = z.object({
  /** State names (V, m, h, n…), channel currents I_Na, I_K, I_L…, or I_inj. Empty: spikes only. */
  variables: z.array(z.string()).optional(),
  /** Sample interval (ms), a whole multiple of dt; default every step. */
  sample_ms: positive("a positive number of ms").optional(),
  /** Neuron indices to record; default all. */
  neurons: z.array(z.number().int().nonnegative()).optional(),
});

/**
 * One simulation, as plain JSON: the same object the library, the CLI and the web app use.
 * Arrays in `parameters` or the stimulus amplitude make it a batch (one neuron per element).
 */
export const SimulationSpec = z.object({
  /** A built-in model's name, or a model object (the model file format, see models/schema.ts). */
  model: z.union([z.string(), ModelSchema], { error: "must be a model name or a model object" }).default("lab"),
  parameters: z.record(z.string(), perNeuron("a finite number")).default({}),
  stimulus: StimulusSpec.optional(),
  duration_ms: positive("a positive number of ms"),
  /** The step of fixed-step methods; for adaptive ones (rk45) the interval at which traces are sampled. */
  dt_ms: positive("a positive number of ms"),
  method: z.string().default("euler"),
  /** Relative tolerance of adaptive methods (rk45); ignored by fixed-step ones. */
  rtol: positive("a positive number")
    .refine((x) => x >= 1e-13 && x < 1, { message: "must be in [1e-13, 1)" })
    .default(DEFAULT_RTOL),
  /** Absolute tolerance of adaptive methods (rk45), in the units of each state variable (mV for V). */
  atol: positive("a positive number")
    .refine((x) => x >= 1e-16 && x < 1, { message: "must be in [1e-16, 1)" })
    .default(DEFAULT_ATOL),
  /** Largest step of adaptive methods (ms); default unlimited. */
  max_step_ms: positive("a positive number of ms").optional(),
  record: RecordSpec.default({}),
  spike_threshold_mV: finite("a finite number of mV").default(0),
});

export type SimulationSpecInput = z.input<typeof SimulationSpec>;
export type SimulationSpecResolved = z.output<typeof SimulationSpec>;

/** Validates a simulation spec and fills in defaults. */
export const parseSimulationSpec = (input: unknown): SimulationSpecResolved => parseWith(SimulationSpec, input);
