import { bindConstants, type Expr, evaluate } from "../expr.js";
import { ghkFactor } from "../ghk.js";
import { FARADAY, ZERO_CELSIUS_K } from "../ions.js";
import type { NExpr, NmodlFile } from "./ast.js";
import { CELSIUS, type Evaluator, V } from "./symbolic.js";

/**
 * A GHK current in NMODL: `ica = P*m*m*h*ghk(v, cai, cao)` where the file defines FUNCTION ghk (NEURON's cal.mod,
 * cachan.mod: ghk = (.001)·z·F·(ci·efun(−u) − co·efun(u)), efun(u) = u/(eᵘ − 1), u = z·F·v/(R·T), in mA/cm² per cm/s).
 * The call is read by its expression (a file FUNCTION of v, <ion>i, <ion>o) and stands in the current's tree as the
 * name `ghk_<ion>`; the function itself is then checked by evaluation against the built-in GHK current (models/ghk.ts).
 */

/** NEURON's valences of its predefined ions (a USEION without VALENCE). */
const VALENCE: Readonly<Record<string, number>> = { ca: 2, na: 1, k: 1 };

export interface GhkCall {
  readonly fn: string;
  readonly ion: string;
  readonly charge: number | undefined;
  readonly line: number;
}

/** The placeholder name of the GHK call of an ion in a current's tree. */
export const ghkName = (ion: string): string => `ghk_${ion}`;

/** Reads calls f(v, <ion>i, <ion>o) of a file FUNCTION, for an ion whose current the file writes, as ghk_<ion>. */
export function ghkIntercept(mod: NmodlFile, calls: Map<string, GhkCall>) {
  return (name: string, args: readonly NExpr[], line: number): Expr | undefined => {
    if (!mod.functions.has(name) || args.length !== 3) return undefined;
    const [a, b, c] = args as [NExpr, NExpr, NExpr];
    if (a.type !== "name" || a.name !== "v" || b.type !== "name" || c.type !== "name") return undefined;
    const u = mod.ions.find((x) => b.name === `${x.ion}i` && c.name === `${x.ion}o` && x.write.includes(`i${x.ion}`));
    if (!u) return undefined;
    calls.set(ghkName(u.ion), { fn: name, ion: u.ion, charge: u.valence ?? VALENCE[u.ion], line });
    return { type: "name", name: ghkName(u.ion) };
  };
}

/** The voltages (mV) the check evaluates at: −120 … 80 mV off the grid of round numbers, and near 0 on both sides. */
const CHECK_V = [...Array.from({ length: 287 }, (_, k) => -120.3 + 0.7 * k), ...[-1, -0.1, -0.02, 0.02, 0.1, 1].map((x) => x * 1.37)];
/** Inside and outside concentrations (mM) the check evaluates at. */
const CHECK_C: readonly [number, number][] = [
  [5e-5, 2],
  [1e-3, 1.5],
  [0.3, 0.05],
];
/** The largest relative difference between the file's function and the built-in GHK current that is read as equal. */
export const GHK_MATCH = 1e-12;

/**
 * The constants with which the file's FUNCTION equals the built-in GHK current z·F·(ci/exprel(−v/k) − co/exprel(v/k))
 * (×10⁻³: NEURON's mA/cm² per cm/s) at the cell's temperature, or an error saying why it does not: F from its value at
 * v = 0 (ci = 1, co = 0: z·F·10⁻³), k = R·T/(z·F) from its slope where ci = co (z·F·v/k·10⁻³, exactly linear in v), then
 * every voltage of CHECK_V × CHECK_C within GHK_MATCH (relative). R follows with T = celsius + 273.15 K.
 */
export function ghkConstantsOf(
  ev: Evaluator,
  call: GhkCall,
  celsius: number,
  fail: (m: string) => Error,
): { faraday: number; gas: number } {
  const z = call.charge;
  if (z === undefined) throw fail(`${call.fn}(v, ${call.ion}i, ${call.ion}o): the ion ${call.ion} needs a VALENCE for a GHK current`);
  const at = (v: number, ci: number, co: number) => {
    const tree = ev.inline(
      call.fn,
      [
        { type: "name", name: V },
        { type: "num", value: ci },
        { type: "num", value: co },
      ],
      call.line,
    );
    return evaluate(bindConstants(tree, { [CELSIUS]: celsius }), v);
  };
  const faraday = at(0, 1, 0) / (1e-3 * z);
  const k = (1e-3 * z * faraday * 10) / at(10, 1, 1);
  const shape = `FUNCTION ${call.fn}(v, ${call.ion}i, ${call.ion}o) is not read as the GHK current (.001)·z·F·(ci·efun(−u) − co·efun(u)), u = z·F·v/(R·T), in mA/cm² per cm/s`;
  if (!(Math.abs(faraday / FARADAY - 1) < 0.01 && k > 0 && Number.isFinite(k))) {
    throw fail(`${shape}: its value at v = 0 mV (ci = 1 mM, co = 0) gives F = ${faraday} C/mol, not within 1 % of ${FARADAY}`);
  }
  for (const [ci, co] of CHECK_C) {
    for (const v of CHECK_V) {
      const mine = at(v, ci, co);
      const built = 1e-3 * ghkFactor(v, k, z, faraday, ci, co);
      const rel = Math.abs(mine - built) / Math.abs(built);
      if (!(rel <= GHK_MATCH)) {
        throw fail(
          `${shape}: at v = ${v} mV, ci = ${ci} mM, co = ${co} mM it gives ${mine}, the GHK current ${built} (relative difference ${rel.toExponential(2)} > ${GHK_MATCH})`,
        );
      }
    }
  }
  return { faraday, gas: (k * z * faraday) / (1000 * (celsius + ZERO_CELSIUS_K)) };
}
