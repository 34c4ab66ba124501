import type { NeuronModel } from "./types.js";

/**
 * The fast-spiking hippocampal interneuron of Wang & Buzsáki (1996), written with expressions
 * exactly as Brian2's example `frompapers/Wang_Buszaki_1996.py` writes them. m is instantaneous
 * (m = αm/(αm + βm)); h and n have the factor φ = 5.
 */
export const wangBuzsaki: NeuronModel = {
  name: "wang-buzsaki",
  title: "Wang–Buzsáki fast-spiking interneuron (1996): instantaneous m, φ = 5",
  source:
    "Wang X-J, Buzsáki G (1996) J Neurosci 16:6402–6413; equations and parameters as Brian2's example " +
    "frompapers/Wang_Buszaki_1996.py: Cm 1 µF/cm², gNa 35, gK 9, gL 0.1 mS/cm², ENa 55, EK −90, EL −65 mV, " +
    "m = m∞(V), φ = 5 on h and n. V0: rest.",
  cm_uF_per_cm2: 1,
  v0_mV: "rest",
  channels: [
    {
      name: "Na",
      gMax_mS_per_cm2: 35,
      eRev_mV: 55,
      gates: [
        {
          name: "m",
          power: 3,
          instantaneous: true,
          alpha: { form: "expr", expr: "-0.1*(V+35)/(exp(-0.1*(V+35))-1)" },
          beta: { form: "expr", expr: "4*exp(-(V+60)/18)" },
        },
        {
          name: "h",
          power: 1,
          rate_factor: 5,
          alpha: { form: "expr", expr: "0.07*exp(-(V+58)/20)" },
          beta: { form: "expr", expr: "1/(exp(-0.1*(V+28))+1)" },
        },
      ],
    },
    {
      name: "K",
      gMax_mS_per_cm2: 9,
      eRev_mV: -90,
      gates: [
        {
          name: "n",
          power: 4,
          rate_factor: 5,
          alpha: { form: "expr", expr: "-0.01*(V+34)/(exp(-0.1*(V+34))-1)" },
          beta: { form: "expr", expr: "0.125*exp(-(V+44)/80)" },
        },
      ],
    },
    { name: "L", gMax_mS_per_cm2: 0.1, eRev_mV: -65, gates: [] },
  ],
};
