import type { NeuronModel } from "./types.js";

/**
 * The lab notebook's RC membrane (`RC_derivative`: dx/dt = −x/τ + I(t)) as a passive
 * membrane: Cm dV/dt = −gL(V − EL) + I, time constant τ = Cm/gL = 10 ms, leak only.
 */
export const passive: NeuronModel = {
  name: "passive",
  title: "Passive RC membrane (leak only, τ = Cm/gL = 10 ms)",
  source: "Lab 3 notebook, RC_derivative; Cm 1 µF/cm², gL 0.1 mS/cm², EL −65 mV as in the lab model.",
  cm_uF_per_cm2: 1,
  v0_mV: -65,
  channels: [{ name: "L", gMax_mS_per_cm2: 0.1, eRev_mV: -65, gates: [] }],
};
