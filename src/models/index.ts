import { invalid } from "../errors.js";
import { hh1952 } from "./hh1952.js";
import { lab } from "./lab.js";
import { passive } from "./passive.js";
import type { NeuronModel } from "./types.js";

export * from "./compile.js";
export * from "./expr.js";
export { hh1952 } from "./hh1952.js";
export { lab } from "./lab.js";
export * from "./parameters.js";
export { passive } from "./passive.js";
export * from "./rates.js";
export type * from "./types.js";

/** The built-in models by name; `lab` is the default. */
export const builtinModels: Readonly<Record<string, NeuronModel>> = { lab, hh1952, passive };

export const DEFAULT_MODEL = "lab";

/** A built-in model by name, or a clear error listing the names. */
export function getModel(name: string): NeuronModel {
  const model = builtinModels[name];
  if (!model) throw invalid("model", name, `one of ${Object.keys(builtinModels).join(", ")}`);
  return model;
}

/** State-variable names of a model: V, then each state gate (not the instantaneous ones) in channel order. */
export const stateNames = (model: NeuronModel): string[] => [
  "V",
  ...model.channels.flatMap((c) => c.gates.filter((g) => !g.instantaneous).map((g) => g.name)),
];
