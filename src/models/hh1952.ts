import type { NeuronModel } from "./types.js";

/**
 * The classic squid giant axon model (Hodgkin & Huxley 1952), exactly as NEURON's
 * built-in `hh.mod` writes it (membrane potential shifted so rest is near −65 mV):
 *
 *   αm = 0.1·vtrap(−(V+40), 10)   βm = 4 e^(−(V+65)/18)
 *   αh = 0.07 e^(−(V+65)/20)      βh = 1/(e^(−(V+35)/10) + 1)
 *   αn = 0.01·vtrap(−(V+55), 10)  βn = 0.125 e^(−(V+65)/80)
 *
 * with vtrap(x, y) = x/(eˣᐟʸ − 1), and all rates times q10 = 3^((celsius − 6.3)/10).
 */
export const hh1952: NeuronModel = {
  name: "hh1952",
  title: "Classic Hodgkin–Huxley squid axon (1952), as NEURON's hh.mod, with temperature",
  source:
    "Hodgkin AL, Huxley AF (1952) J Physiol 117:500–544; parameters and rate forms of NEURON 8.2 hh.mod " +
    "(gNa 0.12, gK 0.036, gL 0.0003 S/cm², ENa 50, EK −77, EL −54.3 mV, Cm 1 µF/cm², q10 3 from 6.3 °C).",
  cm_uF_per_cm2: 1,
  v0_mV: -65,
  celsius: 6.3,
  temperature: { q10: 3, reference_celsius: 6.3 },
  channels: [
    {
      name: "Na",
      gMax_mS_per_cm2: 120,
      eRev_mV: 50,
      gates: [
        {
          name: "m",
          power: 3,
          alpha: { form: "expLinear", rate: 0.1 * 10, midpoint_mV: -40, scale_mV: 10 },
          beta: { form: "exp", rate: 4, midpoint_mV: -65, scale_mV: -18 },
        },
        {
          name: "h",
          power: 1,
          alpha: { form: "exp", rate: 0.07, midpoint_mV: -65, scale_mV: -20 },
          beta: { form: "sigmoid", rate: 1, midpoint_mV: -35, scale_mV: 10 },
        },
      ],
    },
    {
      name: "K",
      gMax_mS_per_cm2: 36,
      eRev_mV: -77,
      gates: [
        {
          name: "n",
          power: 4,
          alpha: { form: "expLinear", rate: 0.01 * 10, midpoint_mV: -55, scale_mV: 10 },
          beta: { form: "exp", rate: 0.125, midpoint_mV: -65, scale_mV: -80 },
        },
      ],
    },
    { name: "L", gMax_mS_per_cm2: 0.3, eRev_mV: -54.3, gates: [] },
  ],
};
