import { traubMilesPotassiumGates, traubMilesSodiumGates } from "./traubMilesRates.js";
import type { NeuronModel } from "./types.js";

/**
 * The lab notebook's model (Lab 3, "Hodgkin & Huxley"): Traub–Miles-type rate
 * functions (traubMilesRates.ts) with the notebook's parameters.
 */
export const lab: NeuronModel = {
  name: "lab",
  title: "The lab notebook's HH neuron (Traub–Miles-type rates; gNa 50, gK 10, gL 0.1)",
  source:
    "Lab 3 'Hodgkin & Huxley' notebook (Neural Information Processing, 2025): Traub–Miles-type rates " +
    "(Traub & Miles 1991, as in Ermentrout & Kopell 1998); Cm 1 µF/cm², gNa 50, gK 10, gL 0.1 mS/cm², " +
    "ENa 50, EK −90, EL −65 mV; V0 −65 mV with gates at steady state.",
  cm_uF_per_cm2: 1,
  v0_mV: -65,
  channels: [
    {
      name: "Na",
      gMax_mS_per_cm2: 50,
      eRev_mV: 50,
      gates: traubMilesSodiumGates,
    },
    {
      name: "K",
      gMax_mS_per_cm2: 10,
      eRev_mV: -90,
      gates: traubMilesPotassiumGates,
    },
    { name: "L", gMax_mS_per_cm2: 0.1, eRev_mV: -65, gates: [] },
  ],
};
