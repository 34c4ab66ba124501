import * as z from "zod/mini";
import { parseWith, recordKey } from "../validate.js";
import { checkModel, compileModel } from "./compile.js";
import type { RateLaw } from "./rates.js";
import type { ChannelGate, NeuronModel } from "./types.js";

// zod numbers are finite (NaN and ±Infinity are refused); bounds are zod checks, so JSON Schema shows them
const finite = (what: string) => z.number({ error: `must be ${what}` });

/** A standard rate law, or an expression of V (an object with form "expr", or just the string). */
export const RateLawSchema = z.union(
  [
    z.strictObject({
      form: z.enum(["exp", "sigmoid", "expLinear"]),
      rate: finite("a finite number (the law's unit: 1/ms for a rate, ms for τ, 1 for x∞)"),
      midpoint_mV: finite("a finite number of mV"),
      scale_mV: finite("a finite, non-zero number of mV").check(z.refine((x) => x !== 0, { message: "must be non-zero" })),
    }),
    z.strictObject({ form: z.literal("expr"), expr: z.string().check(z.minLength(1)) }),
    z.string().check(z.minLength(1)),
  ],
  { error: 'must be a rate law: {"form": "exp"|"sigmoid"|"expLinear", "rate", "midpoint_mV", "scale_mV"} or an expression of V' },
);

const Temperature = z.strictObject({
  q10: finite("a finite number > 0").check(z.gt(0, { error: "must be > 0" })),
  reference_celsius: finite("a finite temperature in °C"),
});

/** A sub-gate of a fractional gate: a state with α and β (1/ms), or x∞ and τ (ms), weighted by `fraction`. */
export const SubGateSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  fraction: finite("a finite fraction ≥ 0").check(z.gte(0, { error: "must be ≥ 0" })),
  alpha: z.optional(RateLawSchema),
  beta: z.optional(RateLawSchema),
  inf: z.optional(RateLawSchema),
  tau: z.optional(RateLawSchema),
});

/**
 * A gate: α and β (1/ms), or x∞ and τ (ms); `instantaneous` for x = x∞(V); or `subgates` for a
 * fractional gate, x = Σ fractionᵢ·qᵢ (each sub-gate a state with its own kinetics).
 */
export const GateSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  power: finite("a finite number > 0").check(z.gt(0, { error: "must be > 0" })),
  alpha: z.optional(RateLawSchema),
  beta: z.optional(RateLawSchema),
  inf: z.optional(RateLawSchema),
  tau: z.optional(RateLawSchema),
  instantaneous: z.optional(z.boolean()),
  temperature: z.optional(Temperature),
  rate_factor: z.optional(finite("a finite number > 0")),
  vShift_mV: z.optional(finite("a finite shift in mV")),
  subgates: z.optional(z.readonly(z.array(SubGateSchema))),
});

/** A Goldman–Hodgkin–Katz current's permeability (cm/s) and, optionally, the constants its author used. */
export const GhkSchema = z.strictObject({
  permeability_cm_per_s: finite("a finite permeability ≥ 0 (cm/s)").check(z.gte(0, { error: "must be ≥ 0 (cm/s)" })),
  faraday_C_per_mol: z.optional(finite("a finite number > 0 (C/mol)").check(z.gt(0, { error: "must be > 0 (C/mol)" }))),
  gas_constant_J_per_mol_K: z.optional(finite("a finite number > 0 (J/(mol·K))").check(z.gt(0, { error: "must be > 0 (J/(mol·K))" }))),
});

/** A channel: ohmic (gMax_mS_per_cm2 and eRev_mV), or a GHK current (`ghk`, with `ion`); checked by checkModel. */
export const ChannelSchema = z.strictObject({
  name: z.string().check(z.minLength(1)),
  gMax_mS_per_cm2: z.optional(finite("a finite conductance ≥ 0 (mS/cm²)").check(z.gte(0, { error: "must be ≥ 0 (mS/cm²)" }))),
  // "nernst" as a pattern, not a literal: a mistyped number ("-65") is then told both choices
  eRev_mV: z.optional(
    z.union([
      finite('a finite number of mV or "nernst"'),
      z.string().check(z.regex(/^nernst$/, { error: 'must be a finite number of mV or "nernst"' })),
    ]),
  ),
  ghk: z.optional(GhkSchema),
  /** The ion the channel carries (a key of the model's `ions`): its current drives that ion's pool. */
  ion: z.optional(z.string().check(z.minLength(1))),
  gates: z._default(z.readonly(z.array(GateSchema)), []),
});

const positiveNumber = (what: string) => finite(`a finite ${what} > 0`).check(z.gt(0, { error: `must be > 0 (${what})` }));

/** A concentration pool: dC/dt = −k·i_ion − (C − resting_mM)/decay_ms, k from a shell depth (and gamma) or given as rho. */
export const PoolSchema = z.strictObject({
  decay_ms: positiveNumber("time constant (ms)"),
  resting_mM: finite("a finite concentration ≥ 0 (mM)").check(z.gte(0, { error: "must be ≥ 0 (mM)" })),
  shell_depth_um: z.optional(positiveNumber("depth (µm)")),
  gamma: z.optional(finite("a finite fraction ≥ 0").check(z.gte(0, { error: "must be ≥ 0" }))),
  rho_mM_cm2_per_uA_ms: z.optional(finite("a finite number ≥ 0 (mM/ms per µA/cm²)").check(z.gte(0, { error: "must be ≥ 0" }))),
});

/** An ion species: valence, concentrations (mM), optional pool. */
export const IonSchema = z.strictObject({
  charge: z.int({ error: "must be a non-zero integer (2 for Ca²⁺)" }).check(z.refine((x) => x !== 0, { message: "must be non-zero" })),
  inside_mM: z.optional(positiveNumber("concentration (mM)")),
  outside_mM: z.optional(positiveNumber("concentration (mM)")),
  pool: z.optional(PoolSchema),
});

/**
 * A neuron model file (JSON or YAML): the same fields as the built-in models, so
 * `spikelab model show NAME` prints a file that loads back unchanged.
 */
export const ModelSchema = z.strictObject({
  $schema: z.optional(z.string()),
  name: z.string().check(z.minLength(1)),
  title: z._default(z.string(), ""),
  source: z._default(z.string(), ""),
  cm_uF_per_cm2: finite("a finite capacitance > 0 (µF/cm²)").check(z.gt(0, { error: "must be > 0 (µF/cm²)" })),
  v0_mV: z.union([finite("a finite number of mV"), z.literal("rest")], { error: 'must be a number of mV or "rest"' }),
  /** Temperature (°C) in the physiological range the `celsius` parameter allows. */
  celsius: z.optional(
    finite("a finite temperature in °C").check(
      z.gte(-40, { error: "must be a temperature in [-40, 60] °C" }),
      z.lte(60, { error: "must be a temperature in [-40, 60] °C" }),
    ),
  ),
  temperature: z.optional(Temperature),
  constants: z.optional(z.record(recordKey, finite("a finite number"))),
  ions: z.optional(z.record(recordKey, IonSchema)),
  channels: z.readonly(z.array(ChannelSchema).check(z.minLength(1))),
});

export type ModelInput = z.input<typeof ModelSchema>;

const law = (x: z.output<typeof RateLawSchema> | undefined): RateLaw | undefined =>
  x === undefined ? undefined : typeof x === "string" ? { form: "expr", expr: x } : x;

type Laws = {
  alpha?: z.output<typeof RateLawSchema>;
  beta?: z.output<typeof RateLawSchema>;
  inf?: z.output<typeof RateLawSchema>;
  tau?: z.output<typeof RateLawSchema>;
};

/** A gate's or sub-gate's fields with its rate laws in their object form (a string becomes {form: "expr"}). */
function laws<T extends Laws>(g: T): Record<string, unknown> {
  const { alpha, beta, inf, tau, ...rest } = g;
  const out: Record<string, unknown> = { ...rest };
  if (alpha !== undefined) out.alpha = law(alpha);
  if (beta !== undefined) out.beta = law(beta);
  if (inf !== undefined) out.inf = law(inf);
  if (tau !== undefined) out.tau = law(tau);
  return out;
}

/**
 * Validates a model object (parsed JSON or YAML) and returns the model: shape by the schema,
 * then meaning (kinetics of every gate, names in expressions, finite rates) with messages naming
 * the channel, gate and field.
 */
export function parseModel(input: unknown): NeuronModel {
  const m = parseWith(ModelSchema, input, "model");
  const channels = m.channels.map((c) => ({
    name: c.name,
    ...(c.gMax_mS_per_cm2 === undefined ? {} : { gMax_mS_per_cm2: c.gMax_mS_per_cm2 }),
    ...(c.eRev_mV === undefined ? {} : { eRev_mV: c.eRev_mV as number | "nernst" }),
    ...(c.ghk === undefined ? {} : { ghk: c.ghk }),
    ...(c.ion === undefined ? {} : { ion: c.ion }),
    gates: c.gates.map((g) => {
      const { subgates, ...rest } = g;
      const out = laws(rest);
      if (subgates !== undefined) out.subgates = subgates.map(laws);
      return out as unknown as ChannelGate;
    }),
  }));
  const { $schema: _, ...fields } = m;
  const model: NeuronModel = { ...fields, channels };
  checkModel(model);
  compileModel(model);
  return model;
}
