import { hh1952 } from "../../src/models/hh1952.js";
import type { RateLaw } from "../../src/models/rates.js";
import type { NeuronModel } from "../../src/models/types.js";

/**
 * hh1952 with piecewise rates: a real piecewise αh (a different curve below −70 mV, as NMODL's if/else
 * writes τ), and branches that are non-finite or overflow exp where they are not selected (exp(V²) at
 * V ≈ −65 is exp(4225) = ∞; 1/(V − V) is ∞). Every comparison appears once.
 */
const law = (expr: string): RateLaw => ({ form: "expr", expr });
const piecewise = (betaM: string): NeuronModel => {
  const [na, k, leak] = hh1952.channels as [
    NeuronModel["channels"][number],
    NeuronModel["channels"][number],
    NeuronModel["channels"][number],
  ];
  const [m, h] = na.gates;
  const [n] = k.gates;
  return {
    ...hh1952,
    name: "hh1952-piecewise",
    channels: [
      {
        ...na,
        gates: [
          { ...m, beta: law(betaM) } as (typeof na.gates)[number],
          { ...h, alpha: law("V < -70 ? 0.07*exp(-(V+65)/20) : V == -1000 ? 0 : 0.075*exp(-(V+65)/20)") } as (typeof na.gates)[number],
        ],
      },
      {
        ...k,
        gates: [
          {
            ...n,
            beta: law("V <= -1000 ? 1/(V - V) : V != V ? 0 : V >= -50 ? 0.125*exp(-(V+65)/80) : 0.12*exp(-(V+65)/80)"),
          } as (typeof k.gates)[number],
        ],
      },
      leak,
    ],
  };
};
/** The branch not taken overflows (exp(V²)): masked, so the kernel keeps the batch. */
export const unselectedOverflow = piecewise("V > 2000 ? exp(V*V) : 4*exp(-(V+65)/18)");
/** The branch taken calls exp at an argument ≥ 700 (exp(−V²) = 0, which the inline exp does not reproduce): flagged. */
export const selectedOverflow = piecewise("V < 2000 ? 4*exp(-(V+65)/18) + exp(-V*V) : 1");
