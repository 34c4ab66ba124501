import type { GateDefinition } from "./types.js";

/**
 * The Traub–Miles-type rate functions (Traub & Miles 1991, as in Ermentrout & Kopell 1998) that the
 * lab notebook's model and the reduced Traub–Miles cell share, in the notebook's form:
 *
 *   αm = 0.32(V+54)/(1 − e^(−(V+54)/4))    βm = 0.28(V+27)/(e^((V+27)/5) − 1)
 *   αh = 0.128 e^(−(V+50)/18)              βh = 4/(1 + e^(−(V+27)/5))
 *   αn = 0.032(V+52)/(1 − e^(−(V+52)/5))   βn = 0.5 e^(−(V+57)/40)
 *
 * rewritten in the standard forms (the 0/0 at V = −54, −27, −52 mV is guarded by exprel).
 */
export const traubMilesSodiumGates: readonly GateDefinition[] = [
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
];

/** The potassium activation n of the Traub–Miles-type rates. */
export const traubMilesPotassiumGates: readonly GateDefinition[] = [
  {
    name: "n",
    power: 4,
    alpha: { form: "expLinear", rate: 0.032 * 5, midpoint_mV: -52, scale_mV: 5 },
    beta: { form: "exp", rate: 0.5, midpoint_mV: -57, scale_mV: -40 },
  },
];
