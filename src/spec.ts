import * as z from "zod/mini";
import { methodNames } from "./integrators/registry.js";
import { DEFAULT_ATOL, DEFAULT_RTOL } from "./integrators/rk45.js";
import { DEFAULT_MAX_NEURON_STEPS } from "./limits.js";
import { builtinModels } from "./models/index.js";
import { ModelSchema } from "./models/schema.js";
import { parseWith, recordKey } from "./validate.js";

export { parseWith };

// zod numbers are finite (NaN and ±Infinity are refused); bounds are zod checks, so JSON Schema shows them
const finite = (what: string) => z.number({ error: `must be ${what}` });
const positive = (what: string) => finite(what).check(z.gt(0, { error: `must be ${what}` }));
const nonNegative = (what: string) => finite(what).check(z.gte(0, { error: `must be ${what}` }));
const perNeuron = (one: z.ZodMiniType<number>, what: string) =>
  z.union([one, z.array(one).check(z.minLength(1))], { error: `must be ${what} or a non-empty array of them` });
/** A tolerance of adaptive methods: a number in [min, 1), `fallback` when left out. */
const tolerance = (min: number, fallback: number, description: string) =>
  z
    ._default(
      finite(`a number in [${min}, 1)`).check(
        z.gte(min, { error: `must be in [${min}, 1)` }),
        z.lt(1, { error: `must be in [${min}, 1)` }),
      ),
      fallback,
    )
    .register(z.globalRegistry, { description });

/** The smallest time step (ms) a spec may ask for: 1 ns. Below it a run is round-off, not simulation. */
export const MIN_DT_MS = 1e-6;

/** The default memory limit of a run (MiB): traces, state and scratch must fit, else the run is refused before it starts. */
export const DEFAULT_MEMORY_LIMIT_MIB = 1024;

/** A known integration method's name (the registry is open: methods registered later are known too). */
const MethodName = z
  .string({ error: "must be a method name" })
  .check(z.refine((m) => methodNames().includes(m), { error: () => `must be one of ${methodNames().join(", ")}` }));

/** A built-in model's name, or a model object (the model file format, see models/schema.ts). */
export const ModelRefSpec = z.union(
  [
    z
      .string()
      .check(z.refine((m) => Object.hasOwn(builtinModels, m), { error: () => `must be one of ${Object.keys(builtinModels).join(", ")}` })),
    ModelSchema,
  ],
  { error: "must be a built-in model's name or a model object" },
);

/** A step current on [start_ms, stop_ms), starting inside the run (it may stay on past the end); the amplitude may be one value or one per neuron. */
export const StepStimulusSpec = z
  .strictObject({
    type: z._default(z.literal("step"), "step"),
    amplitude_uA_per_cm2: perNeuron(finite("a finite number of µA/cm²"), "a finite number of µA/cm²"),
    start_ms: nonNegative("a finite number of ms ≥ 0"),
    stop_ms: nonNegative("a finite number of ms ≥ 0"),
  })
  .check(z.refine((s) => s.stop_ms >= s.start_ms, { message: "must be ≥ start_ms", path: ["stop_ms"] }));

/** One rectangular pulse on [start_ms, start_ms + duration_ms); start and amplitude may be one value or one per neuron. */
export const PulseSpec = z.strictObject({
  start_ms: perNeuron(nonNegative("a finite number of ms ≥ 0"), "a finite number of ms ≥ 0"),
  duration_ms: nonNegative("a finite number of ms ≥ 0"),
  amplitude_uA_per_cm2: perNeuron(finite("a finite number of µA/cm²"), "a finite number of µA/cm²"),
});

/** A train of pulses that add where they overlap: a paired-pulse protocol over many intervals is one batch. */
export const PulsesStimulusSpec = z.strictObject({
  type: z.literal("pulses"),
  pulses: z.array(PulseSpec),
});

/** Any stimulus: a step (the default when `type` is left out) or a train of pulses. */
export const StimulusSpec = z.union([StepStimulusSpec, PulsesStimulusSpec], {
  error: 'must be a step {"amplitude_uA_per_cm2", "start_ms", "stop_ms"} or pulses {"type": "pulses", "pulses": [...]}',
});

/** What to record. Spikes are always recorded; traces only of the listed variables and neurons. */
export const RecordSpec = z.strictObject({
  /** State names (V, m, h, n…), channel currents I_Na, I_K, I_L…, or I_inj. Empty: spikes only. Default: the states. */
  variables: z.optional(z.array(z.string({ error: "must be a variable name" }))),
  /** Sample interval (ms), a whole multiple of dt; default every step. */
  sample_ms: z
    .optional(positive("a positive number of ms"))
    .register(z.globalRegistry, { description: "trace sample interval (ms), a whole multiple of dt_ms" }),
  /** Neuron indices to record; default all. */
  neurons: z.optional(
    z.array(z.number({ error: "must be a neuron index" }).check(z.int({ error: "must be a whole number ≥ 0" }), z.nonnegative())),
  ),
});

/**
 * One simulation, as plain JSON: the same object the library, the CLI (`spikelab run --spec FILE`)
 * and the web app use. Arrays in `parameters` or the stimulus amplitude make it a batch (one neuron
 * per element). Unknown fields are refused (a misspelt name is an error, not silently ignored).
 */
export const SimulationSpec = z
  .strictObject({
    /** The JSON Schema the file claims to follow (for editors; ignored). */
    $schema: z.optional(z.string()),
    /** A built-in model's name, or a model object (the model file format, see models/schema.ts). */
    model: z._default(ModelRefSpec, "lab"),
    /** Model parameter overrides (names and ranges: `spikelab model show NAME`); one value, or one per neuron. */
    parameters: z._default(z.record(recordKey, perNeuron(finite("a finite number"), "a finite number")), {}),
    stimulus: z.optional(StimulusSpec),
    duration_ms: positive("a positive number of ms").register(z.globalRegistry, { description: "simulated time (ms)" }),
    /** The step of fixed-step methods; for adaptive ones (rk45) the interval at which traces are sampled. */
    dt_ms: positive("a positive number of ms")
      .check(z.gte(MIN_DT_MS, { error: `must be ≥ ${MIN_DT_MS} ms (1 ns)` }))
      .register(z.globalRegistry, {
        description: "time step (ms): the step of fixed-step methods, the sample interval of adaptive ones; ≤ duration_ms",
      }),
    method: z._default(MethodName, "euler"),
    /** Relative tolerance of adaptive methods (rk45); ignored by fixed-step ones. */
    rtol: tolerance(1e-13, DEFAULT_RTOL, "relative tolerance of adaptive methods (rk45)"),
    /** Absolute tolerance of adaptive methods (rk45), in the units of each state variable (mV for V). */
    atol: tolerance(1e-16, DEFAULT_ATOL, "absolute tolerance of adaptive methods (rk45), in state units (mV for V)"),
    /** Largest step of adaptive methods (ms); default unlimited. */
    max_step_ms: z.optional(positive("a positive number of ms")),
    record: z._default(RecordSpec, {}),
    spike_threshold_mV: z
      ._default(finite("a finite number of mV"), 0)
      .register(z.globalRegistry, { description: "spike: an upward crossing of this voltage (mV)" }),
    /**
     * Let a spikes-only fixed-step run use fast-math arithmetic (polynomial exp, reciprocal
     * multiplication): faster, within a stated tolerance instead of bit-identical. Like Brian2's
     * default C++ flags (-ffast-math). Other runs are unaffected.
     */
    fast_math: z._default(z.boolean({ error: "must be true or false" }), false).register(z.globalRegistry, {
      description: "spikes-only fixed-step runs: fast-math arithmetic (faster; not bit-identical, within a stated tolerance)",
    }),
    /** The most memory (MiB) a run may take for its traces, state and scratch; more is refused before anything is allocated. */
    memory_limit_MiB: z._default(positive("a positive number of MiB"), DEFAULT_MEMORY_LIMIT_MIB).register(z.globalRegistry, {
      description: "refuse, before it starts, a run whose traces, state and scratch need more memory (MiB)",
    }),
    /** The most neuron-steps (neurons × duration_ms / dt_ms) a run may ask for; more is refused before it starts. */
    max_neuron_steps: z
      ._default(positive("a positive number"), DEFAULT_MAX_NEURON_STEPS)
      .register(z.globalRegistry, { description: "refuse, before it starts, a run of more neuron-steps (neurons × duration_ms / dt_ms)" }),
  })
  .check(
    z.superRefine((s, ctx) => {
      const T = s.duration_ms;
      const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });
      if (s.dt_ms > T) issue(["dt_ms"], `must be ≤ duration_ms (${T} ms)`);
      if (s.record.sample_ms !== undefined && s.record.sample_ms > T) issue(["record", "sample_ms"], `must be ≤ duration_ms (${T} ms)`);
      const st = s.stimulus;
      const inside = `a time within the run [0, ${T}] ms`;
      if (st?.type === "step") {
        // stop_ms may lie beyond the run: the step then stays on to the end
        if (st.start_ms > T) issue(["stimulus", "start_ms"], `must be ${inside}`);
      } else if (st?.type === "pulses") {
        st.pulses.forEach((p, k) => {
          const starts = Array.isArray(p.start_ms) ? p.start_ms : [p.start_ms];
          if (starts.some((t) => t > T)) issue(["stimulus", "pulses", k, "start_ms"], `must be ${inside}`);
        });
      }
    }),
  );

export type SimulationSpecInput = z.input<typeof SimulationSpec>;
export type SimulationSpecResolved = z.output<typeof SimulationSpec>;

/** Validates a simulation spec and fills in defaults. */
export const parseSimulationSpec = (input: unknown): SimulationSpecResolved => parseWith(SimulationSpec, input);
