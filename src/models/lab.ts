import type { NeuronModel } from "./types.js";

/**
 * The lab notebook's model (Lab 3, "Hodgkin & Huxley"): Traub–Miles-type rate
 * functions with the notebook's parameters. Its rates, in the notebook's form:
 *
 *   αm = 0.32(V+54)/(1 − e^(−(V+54)/4))    βm = 0.28(V+27)/(e^((V+27)/5) − 1)
 *   αh = 0.128 e^(−(V+50)/18)              βh = 4/(1 + e^(−(V+27)/5))
 *   αn = 0.032(V+52)/(1 − e^(−(V+52)/5))   βn = 0.5 e^(−(V+57)/40)
 *
 * rewritten in the standard forms (the 0/0 at V = −54, −27, −52 mV is guarded by exprel).
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
      gates: [
        {
          name: "m",
          power: 3,
          alpha: { form: "expLinear", rate: 0.32 * 4, midpoint_mV: -54, scale_mV: 4 },
          beta: { form: "expLinear", rate: 0.28 * 5, midpoint_mV: -27, scale_mV: -5 },
        },
        {
          name: "h",
          power: 1,
          alpha: { form: "exp", rate: 0.128, midpoint_mV: -50, scale_mV: -18 },
          beta: { form: "sigmoid", rate: 4, midpoint_mV: -27, scale_mV: 5 },
        },
      ],
    },
    {
      name: "K",
      gMax_mS_per_cm2: 10,
      eRev_mV: -90,
      gates: [
        {
          name: "n",
          power: 4,
          alpha: { form: "expLinear", rate: 0.032 * 5, midpoint_mV: -52, scale_mV: 5 },
          beta: { form: "exp", rate: 0.5, midpoint_mV: -57, scale_mV: -40 },
        },
      ],
    },
    { name: "L", gMax_mS_per_cm2: 0.1, eRev_mV: -65, gates: [] },
  ],
};
