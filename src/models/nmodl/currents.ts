import { type Expr, freeNames } from "../expr.js";
import { usesCelsius } from "./forms.js";
import { CELSIUS, sameTree, V } from "./symbolic.js";

/** True for a tree of v alone (numbers and functions of V), not a number. */
const isOfV = (e: Expr): boolean => {
  const names = freeNames(e);
  return names.size === 1 && names.has(V);
};

/** A current g·Π xᵖ·(v − e): its numeric coefficient (S/cm²), state powers and reversal potential (mV). */
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
  const shape = "must be of the form g*m^p*h^q*(v - e) (an ohmic current; GHK and other forms are not supported yet)";
  for (const f of factors) {
    if (f.type === "num") coefficient *= f.value;
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
  return { coefficient, powers, eRev, celsius, instantaneous };
}
