import type { NeuronModel } from "./types.js";

const mlSource =
  "Morris C, Lecar H (1981) Biophys J 35:193–213; parameter sets of Rinzel J, Ermentrout GB (1989) in Koch & Segev, " +
  "Methods in Neuronal Modeling, and Ermentrout GB, Terman DH (2010) Mathematical Foundations of Neuroscience, Table 3.1: " +
  "Cm 20 µF/cm², gK 8, gL 2 mS/cm², ECa 120, EK −84, EL −60 mV, V1 −1.2, V2 18 mV";

/** Morris–Lecar channels with the calcium conductance and the w kinetics given by named constants. */
const channels = (gCa: number): NeuronModel["channels"] => [
  {
    name: "Ca",
    gMax_mS_per_cm2: gCa,
    eRev_mV: 120,
    gates: [{ name: "m", power: 1, instantaneous: true, inf: { form: "expr", expr: "0.5*(1 + tanh((V - V1)/V2))" } }],
  },
  {
    name: "K",
    gMax_mS_per_cm2: 8,
    eRev_mV: -84,
    gates: [
      {
        name: "w",
        power: 1,
        inf: { form: "expr", expr: "0.5*(1 + tanh((V - V3)/V4))" },
        tau: { form: "expr", expr: "1/(phi*cosh((V - V3)/(2*V4)))" },
      },
    ],
  },
  { name: "L", gMax_mS_per_cm2: 2, eRev_mV: -60, gates: [] },
];

/**
 * Morris–Lecar, the 2-D barnacle-muscle model (V and w; calcium activation instantaneous), with
 * the Hopf parameter set: class II, repetitive firing starts at a non-zero frequency.
 */
export const morrisLecar: NeuronModel = {
  name: "morris-lecar",
  title: "Morris–Lecar 2-D model, Hopf set (class II; gCa 4.4, φ 0.04)",
  source: `${mlSource}; Hopf set gCa 4.4, V3 2, V4 30 mV, φ 0.04. V0: rest.`,
  cm_uF_per_cm2: 20,
  v0_mV: "rest",
  constants: { V1: -1.2, V2: 18, V3: 2, V4: 30, phi: 0.04 },
  channels: channels(4.4),
};

/** Morris–Lecar with the saddle-node-on-invariant-circle set: class I, onset near 40 µA/cm² at zero frequency. */
export const morrisLecarSnlc: NeuronModel = {
  name: "morris-lecar-snlc",
  title: "Morris–Lecar 2-D model, SNLC set (class I; gCa 4, φ 1/15); onset near 40 µA/cm²",
  source: `${mlSource}; SNLC set gCa 4, V3 12, V4 17.4 mV, φ 1/15 (0.0667); onset of firing I ≈ 40 µA/cm². V0: rest.`,
  cm_uF_per_cm2: 20,
  v0_mV: "rest",
  constants: { V1: -1.2, V2: 18, V3: 12, V4: 17.4, phi: 1 / 15 },
  channels: channels(4),
};
