import { describe, expect, it } from "vitest";
import { isRatesGate } from "./compile.js";
import { hh1952 } from "./hh1952.js";
import { lab } from "./lab.js";
import { exprel, rateFunction } from "./rates.js";
import type { NeuronModel } from "./types.js";

/** The rate formulas exactly as the lab notebook and NEURON's hh.mod write them (unguarded). */
const notebook: Record<string, (V: number) => number> = {
  "lab.m.alpha": (V) => (0.32 * (V + 54)) / (1 - Math.exp(-(V + 54) / 4)),
  "lab.m.beta": (V) => (0.28 * (V + 27)) / (Math.exp((V + 27) / 5) - 1),
  "lab.h.alpha": (V) => 0.128 * Math.exp(-(V + 50) / 18),
  "lab.h.beta": (V) => 4 / (1 + Math.exp(-(V + 27) / 5)),
  "lab.n.alpha": (V) => (0.032 * (V + 52)) / (1 - Math.exp(-(V + 52) / 5)),
  "lab.n.beta": (V) => 0.5 * Math.exp(-(V + 57) / 40),
  "hh1952.m.alpha": (V) => (0.1 * -(V + 40)) / (Math.exp(-(V + 40) / 10) - 1),
  "hh1952.m.beta": (V) => 4 * Math.exp(-(V + 65) / 18),
  "hh1952.h.alpha": (V) => 0.07 * Math.exp(-(V + 65) / 20),
  "hh1952.h.beta": (V) => 1 / (Math.exp(-(V + 35) / 10) + 1),
  "hh1952.n.alpha": (V) => (0.01 * -(V + 55)) / (Math.exp(-(V + 55) / 10) - 1),
  "hh1952.n.beta": (V) => 0.125 * Math.exp(-(V + 65) / 80),
};

const rates = (model: NeuronModel) =>
  model.channels.flatMap((c) =>
    c.gates
      .filter(isRatesGate)
      .flatMap((g) => [[`${model.name}.${g.name}.alpha`, g.alpha] as const, [`${model.name}.${g.name}.beta`, g.beta] as const]),
  );

const singular: Record<string, number[]> = { lab: [-54, -52, -27], hh1952: [-40, -55] };

describe.each([lab, hh1952])("the guarded rates of $name", (model) => {
  it.each(rates(model))("%s equals the textbook formula to 1e-12 relative away from its singular voltage", (name, law) => {
    const f = rateFunction(law);
    const g = notebook[name]!;
    for (let V = -120; V <= 60; V += 0.37) {
      if (law.form === "expLinear" && Math.abs(V - law.midpoint_mV) < 0.01) continue;
      expect(Math.abs(f(V) - g(V)) / Math.abs(g(V)), `${name} at V = ${V} mV`).toBeLessThan(1e-12);
    }
  });

  it.each(rates(model))("%s is finite and positive at the singular voltages, and continuous there", (_name, law) => {
    const f = rateFunction(law);
    for (const V of singular[model.name]!) {
      expect(Number.isFinite(f(V)) && f(V) > 0).toBe(true);
      expect(Math.abs(f(V + 1e-7) - f(V)) / f(V)).toBeLessThan(1e-6);
    }
  });
});

describe("exprel", () => {
  it("is 1 at 0 and matches (eˣ − 1)/x to 1e-15 relative across the switch point", () => {
    expect(exprel(0)).toBe(1);
    for (const x of [-1e-3, -2e-6, -9e-7, 5e-7, 1.5e-6, 1e-3]) {
      expect(Math.abs(exprel(x) - Math.expm1(x) / x) / exprel(x)).toBeLessThan(1e-15);
    }
  });
});
