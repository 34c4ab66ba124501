import { type Expr, freeNames } from "../expr.js";
import { usesCelsius } from "./forms.js";
import { CELSIUS, sameTree, V } from "./symbolic.js";

/** True for a tree of v alone (numbers and functions of V), not a number. */
const isOfV = (e: Expr): boolean => {
  const names = freeNames(e);
  return names.size === 1 && names.has(V);
};

/** The terms c·s of a sum Σ cᵢ·sᵢ of states weighted by numbers (Kv2like's 0.5*h1 + 0.5*h2), or undefined. */
function weightedSum(e: Expr, isState: (name: string) => boolean): { state: string; fraction: number }[] | undefined {
  if (e.type === "bin" && e.op === "+") {
    const l = weightedSum(e.left, isState);
    const r = weightedSum(e.right, isState);
    return l && r ? [...l, ...r] : undefined;
  }
  if (e.type === "name" && isState(e.name)) return [{ state: e.name, fraction: 1 }];
  if (e.type === "bin" && e.op === "*") {
    if (e.left.type === "num" && e.right.type === "name" && isState(e.right.name)) return [{ state: e.right.name, fraction: e.left.value }];
    if (e.right.type === "num" && e.left.type === "name" && isState(e.left.name)) return [{ state: e.left.name, fraction: e.right.value }];
  }
  return undefined;
}

/**
 * A current g·Π xᵖ·(Σ cᵢ·sᵢ)^q·(v − e): its numeric coefficient (S/cm²), state powers, weighted sums of states
 * (fractional gates, at least two terms), and reversal potential (mV).
 */
export function ohmic(
  tree: Expr,
  reversals: ReadonlyMap<string, number | undefined>,
  fail: (m: string) => Error,
): {
  coefficient: number;
  powers: Map<string, number>;
  eRev: number;
  celsius: boolean;
  instantaneous: { tree: Expr; power: number }[];
  fractional: { terms: { state: string; fraction: number }[]; power: number }[];
} {
  const factors: Expr[] = [];
  const flatten = (e: Expr) => {
    if (e.type === "bin" && e.op === "*") {
      flatten(e.left);
      flatten(e.right);
    } else factors.push(e);
  };
  flatten(tree);
  let coefficient = 1;
  let eRev: number | undefined;
  let celsius = false;
  const powers = new Map<string, number>();
  const instantaneous: { tree: Expr; power: number }[] = [];
  const fractional: { terms: { state: string; fraction: number }[]; power: number }[] = [];
  const isState = (n: string) => n !== V && n !== CELSIUS && !reversals.has(n);
  const sumOf = (f: Expr) => {
    const [base, power] = f.type === "bin" && f.op === "^" && f.right.type === "num" ? [f.left, f.right.value] : [f, 1];
    const terms = weightedSum(base, isState);
    return terms && terms.length > 1 ? { terms, power } : undefined;
  };
  const shape =
    "must be of the form g*m^p*h^q*(v - e), where a factor may be a weighted sum of states (0.5*h1 + 0.5*h2) (an ohmic current; GHK and other forms are not supported yet)";
  for (const f of factors) {
    const sum = sumOf(f);
    if (sum) fractional.push(sum);
    else if (f.type === "num") coefficient *= f.value;
    else if (f.type === "name" && f.name !== V && f.name !== CELSIUS && !reversals.has(f.name))
      powers.set(f.name, (powers.get(f.name) ?? 0) + 1);
    else if (f.type === "bin" && f.op === "^" && f.left.type === "name" && f.right.type === "num")
      powers.set(f.left.name, (powers.get(f.left.name) ?? 0) + f.right.value);
    else if (
      f.type === "bin" &&
      f.op === "+" &&
      f.left.type === "name" &&
      f.left.name === V &&
      f.right.type === "num" &&
      eRev === undefined
    )
      eRev = -f.right.value; // v + 70 = v − (−70)
    else if (f.type === "bin" && f.op === "-" && f.left.type === "name" && f.left.name === V && eRev === undefined) {
      const e = f.right;
      if (e.type === "num") eRev = e.value;
      else if (e.type === "name" && reversals.has(e.name)) {
        const value = reversals.get(e.name);
        if (value === undefined) {
          const ion = e.name.slice(1);
          throw fail(
            `uses ${e.name}, the reversal potential of ion ${ion}, which has no default; give ${e.name} (mV) in a cell file's parameters`,
          );
        }
        eRev = value;
      } else throw fail(`${shape}; its reversal potential is not a number or an ion's e<ion>`);
    } else if (usesCelsius(f)) {
      celsius = true;
    } else if (isOfV(f)) {
      // an instantaneous gate: a factor of v alone (Allen's Nap: g = gbar*mInf*h), x^p counted as p factors
      const [base, p] = f.type === "bin" && f.op === "^" && f.right.type === "num" ? [f.left, f.right.value] : [f, 1];
      const known = instantaneous.find((x) => sameTree(x.tree, base));
      if (known) known.power += p;
      else instantaneous.push({ tree: base, power: p });
    } else throw fail(shape);
  }
  if (eRev === undefined) throw fail(`${shape}; no (v - e) factor found`);
  return { coefficient, powers, eRev, celsius, instantaneous, fractional };
}
