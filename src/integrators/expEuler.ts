import type { MembraneSystem } from "../system/membrane.js";
import { phi1 } from "./time.js";
import type { Stepper } from "./types.js";

/**
 * Every gate (y[n…]) by its exact exponential over dt, α and β frozen: x ← x + dt·(α − (α+β)x)·φ₁(−(α+β)dt),
 * i.e. x∞ + (x − x∞)e^(−(α+β)dt). Shared by exp-euler and backward-euler (NEURON's `cnexp`).
 */
export function gateExponentialStep(y: Float64Array, n: number, alpha: Float64Array, beta: Float64Array, dt: number): void {
  for (let j = 0; j < alpha.length; j++) {
    const a = alpha[j] as number;
    const s = a + (beta[j] as number);
    const x = y[n + j] as number;
    y[n + j] = x + dt * (a - s * x) * phi1(-s * dt);
  }
}

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
 * φ₁(x) = (eˣ − 1)/x, finite when a rate or conductance is 0. Uses only the public MembraneSystem
 * interface; I is sampled at t, as forward Euler does.
 */
export function expEuler(system: MembraneSystem): Stepper {
  const { n, gateCount: G, cm } = system;
  const alpha = new Float64Array(G * n);
  const beta = new Float64Array(G * n);
  const gTotal = new Float64Array(n);
  const gE = new Float64Array(n);
  const inj = new Float64Array(n);
  return {
    name: "exp-euler",
    step(t, dt, y) {
      system.gateRates(y, alpha, beta);
      system.conductance(y, gTotal, gE);
      system.injected(t, inj);
      for (let i = 0; i < n; i++) {
        const c = cm[i] as number;
        const b = (gTotal[i] as number) / c;
        const v = y[i] as number;
        const f = ((gE[i] as number) + (inj[i] as number)) / c - b * v;
        y[i] = v + dt * f * phi1(-b * dt);
      }
      gateExponentialStep(y, n, alpha, beta, dt);
    },
  };
}
