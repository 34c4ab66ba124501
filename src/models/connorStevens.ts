import type { NeuronModel } from "./types.js";

/**
 * The Connor–Stevens model with its transient A-type potassium current, as in Dayan & Abbott,
 * Theoretical Neuroscience (2001), ch. 6 (per-mm² values there ×100 give per-cm² values here).
 * The A-current (a³b, written as x∞/τ) lets it fire at arbitrarily low rates (type I).
 */
export const connorStevens: NeuronModel = {
  name: "connor-stevens",
  title: "Connor–Stevens model with A-current (Dayan & Abbott ch. 6); type I",
  source:
    "Connor JA, Walter D, McKown R (1977) Biophys J 18:81–102; as Dayan P, Abbott LF (2001) Theoretical Neuroscience, " +
    "MIT Press, ch. 6: Cm 1 µF/cm², gNa 120, gK 20, gA 47.7, gL 0.3 mS/cm², ENa 55, EK −72, EA −75, EL −17 mV. " +
    "Rest ≈ −68 mV with a∞ ≈ 0.540, b∞ ≈ 0.289 there (initial conditions of davrot/pytutorial connor_stevens). V0: rest.",
  cm_uF_per_cm2: 1,
  v0_mV: "rest",
  channels: [
    {
      name: "Na",
      gMax_mS_per_cm2: 120,
      eRev_mV: 55,
      gates: [
        {
          name: "m",
          power: 3,
          alpha: { form: "expr", expr: "0.38*(V+29.7)/(1-exp(-0.1*(V+29.7)))" },
          beta: { form: "expr", expr: "15.2*exp(-0.0556*(V+54.7))" },
        },
        {
          name: "h",
          power: 1,
          alpha: { form: "expr", expr: "0.266*exp(-0.05*(V+48))" },
          beta: { form: "expr", expr: "3.8/(1+exp(-0.1*(V+18)))" },
        },
      ],
    },
    {
      name: "K",
      gMax_mS_per_cm2: 20,
      eRev_mV: -72,
      gates: [
        {
          name: "n",
          power: 4,
          alpha: { form: "expr", expr: "0.02*(V+45.7)/(1-exp(-0.1*(V+45.7)))" },
          beta: { form: "expr", expr: "0.25*exp(-0.0125*(V+55.7))" },
        },
      ],
    },
    {
      name: "A",
      gMax_mS_per_cm2: 47.7,
      eRev_mV: -75,
      gates: [
        {
          name: "a",
          power: 3,
          inf: { form: "expr", expr: "(0.0761*exp(0.0314*(V+94.22))/(1+exp(0.0346*(V+1.17))))^(1/3)" },
          tau: { form: "expr", expr: "0.3632+1.158/(1+exp(0.0497*(V+55.96)))" },
        },
        {
          name: "b",
          power: 1,
          inf: { form: "expr", expr: "(1/(1+exp(0.0688*(V+53.3))))^4" },
          tau: { form: "expr", expr: "1.24+2.678/(1+exp(0.0624*(V+50)))" },
        },
      ],
    },
    { name: "L", gMax_mS_per_cm2: 0.3, eRev_mV: -17, gates: [] },
  ],
};
