import type { MembraneSystem } from "../system/membrane.js";
import { gateExponentialStep } from "./expEuler.js";
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
 * Unconditionally stable in V; uses only the public MembraneSystem interface.
 */
export function backwardEuler(system: MembraneSystem): Stepper {
  const { n, gateCount: G, cm } = system;
  const alpha = new Float64Array(G * n);
  const beta = new Float64Array(G * n);
  const gTotal = new Float64Array(n);
  const gE = new Float64Array(n);
  const inj = new Float64Array(n);
  return {
    name: "backward-euler",
    step(t, dt, y) {
      system.conductance(y, gTotal, gE);
      system.injected(t + dt / 2, inj);
      for (let i = 0; i < n; i++) {
        const c = (cm[i] as number) / dt;
        y[i] = (c * (y[i] as number) + (gE[i] as number) + (inj[i] as number)) / (c + (gTotal[i] as number));
      }
      system.gateRates(y, alpha, beta);
      gateExponentialStep(y, n, alpha, beta, dt);
    },
  };
}
