import type { MembraneSystem } from "../system/membrane.js";
import type { Stepper } from "./types.js";

/**
 * Exponential Euler (Rush–Larsen), first order. Over a step every equation is integrated exactly
 * with the other variables frozen at the start of the step:
 *
 * - each gate, dx/dt = α − (α+β)x with α, β at V(t): x ← x∞ + (x − x∞)·e^(−(α+β)dt)
 * - V, dV/dt = (ΣgE + I)/C − (Σg/C)·V with the gates at t: V ← V∞ + (V − V∞)·e^(−Σg·dt/C)
 *
 * This is Brian2's `exponential_euler` (it integrates every variable whose equation is linear in
 * itself, V included). Rush and Larsen (1978) used forward Euler for V; the exact step for V costs
 * nothing more and stays stable at any dt (V relaxes towards V∞ instead of overshooting it).
 * NEURON's fixed-step scheme is our `backward-euler`. Both updates are written through
 * φ₁(x) = (eˣ − 1)/x, finite when a rate or conductance is 0. I is sampled at t, as forward Euler
 * does. The recipe is src/program/methods.ts; this is its step program, run on the system.
 */
export function expEuler(system: MembraneSystem): Stepper {
  return system.stepper("exp-euler") as Stepper;
}
