import type { MembraneSystem } from "../system/membrane.js";
import type { Stepper } from "./types.js";

/**
 * Backward Euler as NEURON's fixed-step default (`secondorder = 0`), first order, staggered:
 *
 * 1. V implicitly, with the gates (so Σg, ΣgE) at the start of the step and the injected current at
 *    t + dt/2 (NEURON evaluates currents at the half step): C(V′ − V)/dt = ΣgE + I − Σg·V′, i.e.
 *    V′ = (C·V/dt + ΣgE + I)/(C/dt + Σg). The ionic current is linear in V, so this is exact
 *    backward Euler, not a linearisation.
 * 2. Then each gate by its exact exponential for V frozen at the new V′ (NEURON's `cnexp`).
 *
 * Unconditionally stable in V. The recipe is src/program/methods.ts; this is its step program, run on the system.
 */
export function backwardEuler(system: MembraneSystem): Stepper {
  return system.stepper("backward-euler") as Stepper;
}
