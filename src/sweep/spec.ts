import { z } from "zod";
import { invalid } from "../errors.js";
import { resolveModel } from "../models/index.js";
import { modelParameters } from "../models/parameters.js";
import { ModelSchema } from "../models/schema.js";
import { parseWith } from "../spec.js";

const finite = z.number().refine(Number.isFinite, { message: "must be a finite number" });

/**
 * A parameter sweep as plain JSON: a base experiment (one step current) and axes. Every grid
 * point is one neuron; points are numbered row-major (the last axis fastest). An axis named
 * `amplitude` sweeps the step amplitude (µA/cm²); any other name is a model parameter.
 */
export const SweepSpec = z.object({
  /** A built-in model's name, or a model object (the model file format). */
  model: z.union([z.string(), ModelSchema], { error: "must be a model name or a model object" }).default("lab"),
  method: z.string().default("euler"),
  dt_ms: finite.refine((x) => x > 0, { message: "must be a positive number of ms" }),
  duration_ms: finite.refine((x) => x > 0, { message: "must be a positive number of ms" }),
  start_ms: finite,
  stop_ms: finite,
  amplitude_uA_per_cm2: finite.default(0),
  parameters: z.record(z.string(), finite).default({}),
  spike_threshold_mV: finite.default(0),
  /** Tolerances of adaptive methods (rk45); defaults as for simulate(). */
  rtol: finite.refine((x) => x > 0, { message: "must be a positive number" }).optional(),
  atol: finite.refine((x) => x > 0, { message: "must be a positive number" }).optional(),
  axes: z
    .array(z.object({ name: z.string().min(1), values: z.array(finite).min(1, { message: "must hold at least one value" }) }))
    .min(1, { message: "must hold at least one axis" }),
  /** Arithmetic of the results: absent for the CPU's f64; "f32" when the GPU backend computed them (marked in every row). */
  precision: z.enum(["f64", "f32"]).optional(),
  /** Neurons per batched run. */
  batch_size: z.number().int().positive().max(1_000_000).default(2048),
});

export type SweepSpecInput = z.input<typeof SweepSpec>;
export type SweepSpecResolved = z.output<typeof SweepSpec>;

/** Validates a sweep spec (names, ranges, axes) and fills in defaults. */
export function parseSweepSpec(input: unknown): SweepSpecResolved {
  const spec = parseWith(SweepSpec, input, "sweep spec");
  const model = resolveModel(spec.model);
  const names = modelParameters(model).map((p) => p.name);
  const seen = new Set<string>();
  for (const a of spec.axes) {
    if (a.name !== "amplitude" && !names.includes(a.name)) {
      throw invalid(`sweep axis name for model "${model.name}"`, a.name, `"amplitude" or a parameter: ${names.join(", ")}`);
    }
    if (seen.has(a.name)) throw invalid("sweep axis name", a.name, "each name at most once");
    seen.add(a.name);
  }
  if (spec.stop_ms < spec.start_ms) throw invalid("stop_ms", spec.stop_ms, `≥ start_ms (${spec.start_ms})`);
  return spec;
}

const unitSlug = (unit: string) => unit.replace("/", "_per_").replace("degC", "degC");

/** The output column of each axis, with its unit: amplitude_uA_per_cm2, gNa_mS_per_cm2, celsius_degC … */
export function axisColumns(spec: SweepSpecResolved): string[] {
  const info = new Map(modelParameters(resolveModel(spec.model)).map((p) => [p.name, p.unit]));
  return spec.axes.map((a) => (a.name === "amplitude" ? "amplitude_uA_per_cm2" : `${a.name}_${unitSlug(info.get(a.name) ?? "")}`));
}
