import { bindConstants, type Expr, evaluate, freeNames } from "../expr.js";
import type { ConcentrationPool } from "../types.js";
import { checkAttrs, childrenOf, refuse, required } from "./element.js";
import { lemsExpr } from "./lems.js";
import { quantity } from "./units.js";
import type { El } from "./xml.js";

/** A quantity of a custom pool's ComponentType in SI (the LEMS expression is dimensionally consistent in SI). */
function si(raw: string, dimension: string, what: string, at: El): number {
  switch (dimension) {
    case "none":
      return quantity(raw, "none", what);
    case "concentration":
      return quantity(raw, "concentration", what); // mM = mol/m³
    case "time":
      return quantity(raw, "time", what) / 1000; // ms → s
    case "length":
      return quantity(raw, "length", what) * 1e-6; // µm → m
    case "charge_per_mole": {
      const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*C_per_mol\s*$/.exec(raw);
      if (!m) throw refuse(at, `${what} must be a number of C_per_mol; got ${JSON.stringify(raw)}`);
      return Number(m[1]);
    }
    default:
      throw refuse(
        at,
        `${what}: dimension ${JSON.stringify(dimension)} is not read in a concentration model (none, concentration, time, length, charge_per_mole)`,
      );
  }
}

/**
 * A custom LEMS concentration model (a ComponentType extending concentrationModel, as Hay's
 * concentrationModelHayEtAl or Pospischil's decayingPoolConcentrationModelPosp) as a spikelab pool: its
 * TimeDerivative of `concentration` is evaluated in SI with iCa = J·surfaceArea (J the inward calcium current
 * density, A/m²) and must be linear in J and the concentration, independent of the area:
 * dC/dt = a·J + b·C + c (mol/(m³·s)) gives k = a·10⁻⁵ mM/ms per µA/cm², τ = −1000/b ms, resting = −c/b mM.
 * Returns the pool and the initial concentration when OnStart sets it to a parameter (else undefined:
 * the species' initialConcentration).
 */
export function customPool(component: El, ct: El): { pool: ConcentrationPool; initial_mM?: number } {
  const values = new Map<string, number>();
  const derived = new Map<string, El>();
  let derivative: El | undefined;
  let onStart: El | undefined;
  for (const c of childrenOf(ct, ["Parameter", "Constant", "Requirement", "Exposure", "Dynamics", "Text", "Child"])) {
    if (c.tag === "Parameter" || c.tag === "Constant") {
      const name = required(c, "name");
      const raw = c.tag === "Constant" ? required(c, "value") : component.attrs[name];
      if (raw === undefined) throw refuse(component, `gives no value for Parameter ${name} of ComponentType ${ct.attrs.name}`);
      values.set(name, si(raw, required(c, "dimension"), `${c.tag} ${name} of ${ct.attrs.name}`, c));
    } else if (c.tag === "Dynamics") {
      for (const d of childrenOf(c, ["StateVariable", "DerivedVariable", "TimeDerivative", "OnStart"])) {
        if (d.tag === "DerivedVariable") derived.set(required(d, "name"), d);
        else if (d.tag === "TimeDerivative" && d.attrs.variable === "concentration") derivative = d;
        else if (d.tag === "TimeDerivative") throw refuse(d, "a concentration model's only TimeDerivative must be of concentration");
        else if (d.tag === "OnStart") onStart = d;
      }
    }
  }
  if (!derivative) throw refuse(ct, "has no TimeDerivative of concentration");
  const td = derivative;
  const f = (J: number, C: number, area: number): number => {
    const env = new Map<string, number>([...values, ["iCa", J * area], ["surfaceArea", area], ["concentration", C]]);
    const visiting = new Set<string>();
    const value = (el: El, text: string): number => {
      const e: Expr = lemsExpr(el, text);
      const bound: Record<string, number> = {};
      for (const n of freeNames(e)) bound[n] = lookup(n, el);
      return evaluate(bindConstants(e, bound), 0);
    };
    const lookup = (name: string, from: El): number => {
      const known = env.get(name);
      if (known !== undefined) return known;
      const d = derived.get(name);
      if (!d || visiting.has(name))
        throw refuse(
          from,
          `unknown name ${JSON.stringify(name)} in a concentration model (iCa, surfaceArea, concentration, its Parameters, Constants and DerivedVariables)`,
        );
      visiting.add(name);
      checkAttrs(d, ["name", "dimension", "exposure", "value"]);
      const x = value(d, required(d, "value"));
      visiting.delete(name);
      env.set(name, x);
      return x;
    };
    return value(td, required(td, "value"));
  };
  const c0 = f(0, 0, 1);
  const a = f(1, 0, 1) - c0;
  const b = f(0, 1, 1) - c0;
  const scale = Math.abs(a) + Math.abs(b) + Math.abs(c0);
  const probe = f(-3, 2e-3, 2.5);
  if (!(Math.abs(probe - (c0 - 3 * a + 2e-3 * b)) <= 1e-9 * scale) || !(b < 0) || !(a >= 0)) {
    throw refuse(
      td,
      "the concentration's derivative must be a·(iCa/surfaceArea) + b·concentration + c with a ≥ 0 and b < 0 (a pool fed by the inward calcium current, decaying)",
    );
  }
  let initial_mM: number | undefined;
  const start = onStart ? childrenOf(onStart, ["StateAssignment"]).find((s) => s.attrs.variable === "concentration") : undefined;
  if (start && start.attrs.value !== "initialConcentration") {
    const name = (start.attrs.value ?? "").trim();
    const v = values.get(name);
    if (v === undefined) throw refuse(start, "OnStart must set concentration to initialConcentration or a Parameter");
    initial_mM = v;
  }
  return {
    pool: { decay_ms: -1000 / b, resting_mM: -c0 / b, rho_mM_cm2_per_uA_ms: a * 1e-5 },
    ...(initial_mM === undefined ? {} : { initial_mM }),
  };
}
