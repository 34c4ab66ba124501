import { traubMilesPotassiumGates, traubMilesSodiumGates } from "./traubMilesRates.js";
import type { NeuronModel } from "./types.js";

/**
 * The reduced Traub–Miles pyramidal cell of Ermentrout & Kopell (1998), as taught in Börgers,
 * "An Introduction to Modeling Neuronal Dynamics" (2017, ch. 5, the "RTM neuron"): the lab's
 * Traub–Miles rates with gNa 100, gK 80, gL 0.1 mS/cm², ENa 50, EK −100, EL −67 mV, Cm 1 µF/cm².
 *
 *   αm = 0.32(V+54)/(1 − e^(−(V+54)/4))    βm = 0.28(V+27)/(e^((V+27)/5) − 1)
 *   αh = 0.128 e^(−(V+50)/18)              βh = 4/(1 + e^(−(V+27)/5))
 *   αn = 0.032(V+52)/(1 − e^(−(V+52)/5))   βn = 0.5 e^(−(V+57)/40)
 *
 * Type I: repetitive firing starts at arbitrarily low frequency near I ≈ 0.12 µA/cm².
 */
export const traubMiles: NeuronModel = {
  name: "traub-miles",
  title: "Reduced Traub–Miles pyramidal cell (Ermentrout & Kopell 1998); type I, onset near 0.12 µA/cm²",
  source:
    "Ermentrout GB, Kopell N (1998) PNAS 95:1259–1264; parameters as Börgers C (2017) An Introduction to Modeling " +
    "Neuronal Dynamics, Springer, ch. 5 (RTM neuron) and its Python port mndynamics RTM_Base.py: gNa 100, gK 80, " +
    "gL 0.1 mS/cm², ENa 50, EK −100, EL −67 mV, Cm 1 µF/cm²; threshold drive I_c ≈ 0.12 µA/cm² (Börgers). V0: rest.",
  cm_uF_per_cm2: 1,
  v0_mV: "rest",
  channels: [
    {
      name: "Na",
      gMax_mS_per_cm2: 100,
      eRev_mV: 50,
      gates: traubMilesSodiumGates,
    },
    {
      name: "K",
      gMax_mS_per_cm2: 80,
      eRev_mV: -100,
      gates: traubMilesPotassiumGates,
    },
    { name: "L", gMax_mS_per_cm2: 0.1, eRev_mV: -67, gates: [] },
  ],
};
