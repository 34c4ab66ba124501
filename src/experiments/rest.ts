import { type ModelRef, resolveModel } from "../models/index.js";
import { noStimulus } from "../stimulus/step.js";
import { membraneSystem } from "../system/membrane.js";
import type { MV } from "../units.js";

/**
 * The resting potential of a model with the given parameters: the V where the membrane, every gate
 * at its steady state, carries no net current and the current rises through zero (a stable rest).
 * A model's V0 need not be at rest: the lab model starts at −65 mV and drifts to its rest over ~100 ms.
 * The search is the one the models use for `v0_mV: "rest"`. Null if the model has no such point.
 */
export function restingPotentialOf(model: ModelRef = "lab", parameters: Readonly<Record<string, number>> = {}): MV | null {
  const { V0: _ignored, ...rest } = parameters;
  try {
    const s = membraneSystem({ model: { ...resolveModel(model), v0_mV: "rest" }, n: 1, stimulus: noStimulus, parameters: rest });
    return s.initialState()[0] as number;
  } catch {
    return null;
  }
}
