import * as z from "zod/mini";
import { invalid } from "../errors.js";
import { methodNames } from "../integrators/registry.js";
import { checkGridPoints, MAX_POINTS } from "../limits.js";
import { resolveModel } from "../models/index.js";
import { modelParameters, resolveParameters } from "../models/parameters.js";
import { MIN_DT_MS, ModelRefSpec, parseWith } from "../spec.js";
import { recordKey } from "../validate.js";
import { gridSize } from "./grid.js";

// zod numbers are finite (NaN and ±Infinity are refused); bounds are zod checks, so JSON Schema shows them
const finite = z.number({ error: "must be a finite number" });

/**
 * A parameter sweep as plain JSON: a base experiment (one step current) and axes. Every grid
 * point is one neuron; points are numbered row-major (the last axis fastest). An axis named
 * `amplitude` sweeps the step amplitude (µA/cm²); any other name is a model parameter.
 */
export const SweepSpec = z.strictObject({
  /** The JSON Schema the file claims to follow (for editors; ignored). */
  $schema: z.optional(z.string()),
  /** A built-in model's name, or a model object (the model file format). */
  model: z._default(ModelRefSpec, "lab"),
  method: z._default(
    z
      .string({ error: "must be a method name" })
      .check(z.refine((m) => methodNames().includes(m), { error: () => `must be one of ${methodNames().join(", ")}` })),
    "euler",
  ),
  dt_ms: finite.check(
    z.gt(0, { error: "must be a positive number of ms" }),
    z.gte(MIN_DT_MS, { error: `must be ≥ ${MIN_DT_MS} ms (1 ns)` }),
  ),
  duration_ms: finite.check(z.gt(0, { error: "must be a positive number of ms" })),
  /** The step current's window [start_ms, stop_ms), inside the run (rates are counted over it). */
  start_ms: finite.check(z.gte(0, { error: "must be a finite number of ms ≥ 0" })),
  stop_ms: finite,
  amplitude_uA_per_cm2: z._default(finite, 0),
  parameters: z._default(z.record(recordKey, finite), {}),
  spike_threshold_mV: z._default(finite, 0),
  /** Fast-math arithmetic for forward Euler (see the simulation spec's fast_math). */
  fast_math: z._default(z.boolean({ error: "must be true or false" }), false),
  /** Tolerances of adaptive methods (rk45); defaults as for simulate(). */
  rtol: z.optional(finite.check(z.gt(0, { error: "must be a positive number" }))),
  atol: z.optional(finite.check(z.gt(0, { error: "must be a positive number" }))),
  axes: z
    .array(
      z.strictObject({
        name: z.string().check(z.minLength(1)),
        values: z.array(finite).check(z.minLength(1, { message: "must hold at least one value" })),
      }),
    )
    .check(z.minLength(1, { message: "must hold at least one axis" })),
  /** Arithmetic of the results: absent for the CPU's f64; "f32" when the GPU backend computed them (marked in every row). */
  precision: z.optional(z.enum(["f64", "f32"])),
  /** Neurons per batched run. */
  batch_size: z._default(z.number().check(z.int(), z.positive(), z.lte(1_000_000)), 2048),
});

export type SweepSpecInput = z.input<typeof SweepSpec>;
export type SweepSpecResolved = z.output<typeof SweepSpec>;

/** Validates a sweep spec (names, ranges, axes) and fills in defaults. */
export function parseSweepSpec(input: unknown): SweepSpecResolved {
  const spec = parseWith(SweepSpec, input, "sweep spec");
  const model = resolveModel(spec.model);
  const names = modelParameters(model).map((p) => p.name);
  // the hard limit (a sweep tracks its points in a Set of at most 2^24), before any point is made
  checkGridPoints(gridSize(spec.axes), MAX_POINTS, "the sweep's axes");
  const seen = new Set<string>();
  for (const a of spec.axes) {
    if (a.name !== "amplitude" && !names.includes(a.name)) {
      throw invalid(`sweep axis name for model "${model.name}"`, a.name, `"amplitude" or a parameter: ${names.join(", ")}`);
    }
    if (seen.has(a.name)) throw invalid("sweep axis name", a.name, "each name at most once");
    seen.add(a.name);
  }
  // parameter values in range, checked here rather than in a worker thread half-way through the sweep
  resolveParameters(model, spec.parameters, 1);
  for (const a of spec.axes) if (a.name !== "amplitude") resolveParameters(model, { [a.name]: a.values }, a.values.length);
  if (spec.stop_ms < spec.start_ms) throw invalid("stop_ms", spec.stop_ms, `≥ start_ms (${spec.start_ms})`);
  if (spec.stop_ms > spec.duration_ms) {
    throw invalid("stop_ms", spec.stop_ms, `≤ duration_ms (${spec.duration_ms} ms): rates are counted over [start_ms, stop_ms)`);
  }
  if (spec.dt_ms > spec.duration_ms) throw invalid("dt_ms", spec.dt_ms, `≤ duration_ms (${spec.duration_ms} ms)`);
  return spec;
}

const unitSlug = (unit: string) => unit.replace("/", "_per_").replace("degC", "degC");

/** The output column of each axis, with its unit: amplitude_uA_per_cm2, gNa_mS_per_cm2, celsius_degC … */
export function axisColumns(spec: SweepSpecResolved): string[] {
  const info = new Map(modelParameters(resolveModel(spec.model)).map((p) => [p.name, p.unit]));
  return spec.axes.map((a) => (a.name === "amplitude" ? "amplitude_uA_per_cm2" : `${a.name}_${unitSlug(info.get(a.name) ?? "")}`));
}
