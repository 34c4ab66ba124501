import { invalid } from "../errors.js";
import { builtinSet } from "./builtin.js";
import { stateGates } from "./compile.js";
import { connorStevens } from "./connorStevens.js";
import { hh1952 } from "./hh1952.js";
import { lab } from "./lab.js";
import { morrisLecar, morrisLecarSnlc } from "./morrisLecar.js";
import { passive } from "./passive.js";
import { type ModelInput, parseModel } from "./schema.js";
import { traubMiles } from "./traubMiles.js";
import type { NeuronModel } from "./types.js";
import { wangBuzsaki } from "./wangBuzsaki.js";

export * from "./compile.js";
export { connorStevens } from "./connorStevens.js";
export * from "./expr.js";
export { hh1952 } from "./hh1952.js";
export { lab } from "./lab.js";
export { morrisLecar, morrisLecarSnlc } from "./morrisLecar.js";
export * from "./parameters.js";
export { passive } from "./passive.js";
export * from "./rates.js";
export * from "./schema.js";
export { traubMiles } from "./traubMiles.js";
export type * from "./types.js";
export { wangBuzsaki } from "./wangBuzsaki.js";

/** The built-in models by name; `lab` is the default. */
export const builtinModels: Readonly<Record<string, NeuronModel>> = {
  lab,
  hh1952,
  passive,
  "traub-miles": traubMiles,
  "wang-buzsaki": wangBuzsaki,
  "connor-stevens": connorStevens,
  "morris-lecar": morrisLecar,
  "morris-lecar-snlc": morrisLecarSnlc,
};

for (const model of Object.values(builtinModels)) builtinSet.add(model);

export const DEFAULT_MODEL = "lab";

/** A built-in model by name, or a clear error listing the names. */
export function getModel(name: string): NeuronModel {
  const model = builtinModels[name];
  if (!model) throw invalid("model", name, `one of ${Object.keys(builtinModels).join(", ")}`);
  return model;
}

/** How a spec names its model: a built-in's name, or a model object (the model file format). */
export type ModelRef = string | ModelInput | NeuronModel;

/**
 * A model from a spec: a built-in by name, or a model object (validated, expressions checked).
 * Model objects are checked once and remembered, so a batch of runs re-uses the same model.
 */
export function resolveModel(model: ModelRef): NeuronModel {
  if (typeof model === "string") return getModel(model);
  if (Object.values(builtinModels).includes(model as NeuronModel)) return model as NeuronModel;
  const cached = resolved.get(model);
  if (cached) return cached;
  const parsed = parseModel(model);
  resolved.set(model, parsed);
  return parsed;
}
const resolved = new WeakMap<object, NeuronModel>();

/** The concentration states of a model (mM, not gates): the inside concentration `<ion>i` of each ion with a pool. */
export const poolNames = (model: NeuronModel): string[] =>
  Object.entries(model.ions ?? {}).flatMap(([name, ion]) => (ion.pool ? [`${name}i`] : []));

/**
 * State-variable names of a model: V, then each state gate (not the instantaneous ones) in channel order, then
 * the inside concentration of each ion with a pool (`cai`, mM), in ion order.
 */
export const stateNames = (model: NeuronModel): string[] => ["V", ...stateGates(model).map((g) => g.name), ...poolNames(model)];

/** Every variable a run of the model can record: the states, each channel's current `I_<name>`, and `I_inj`. */
export const recordableVariables = (model: ModelRef): string[] => {
  const m = resolveModel(model);
  return [...stateNames(m), ...m.channels.map((c) => `I_${c.name}`), "I_inj"];
};
