/**
 * The rheobase the f–I panel (web/src/panels/fi.ts) marks on its plots. Pure: no page, no workers.
 *
 * The library's bisection (rheobase(), same step window) is the rheobase when it came back with a number. When
 * it came back with none (rheobase null and a note: the model does not fire action potentials, e.g. the lab
 * model with TTX, whose V crosses 0 mV gradedly), the sweep's smallest firing amplitude counts crossings that
 * are not action potentials and is not marked (up to the bisection's largest amplitude). While the bisection runs or when it failed, the sweep's estimate.
 */
import type { RheobaseState } from "./fiExport.js";
import type { FiResult } from "./lib.js";
import { sweepRheobase } from "./lib.js";

export interface RheobaseMark {
  x: number;
  label: string;
}

/**
 * True when the bisection came back with no rheobase (its note says why) up to an amplitude at or above
 * `amplitude_uA_per_cm2`: the sweep's firing there is not action potentials.
 */
export function bisectionSaysNone(b: RheobaseState, amplitude_uA_per_cm2: number): boolean {
  return b.state === "done" && b.result.rheobase_uA_per_cm2 === null && amplitude_uA_per_cm2 <= b.result.max_uA_per_cm2;
}

/** The vertical mark for the plots' x axis (µA/cm²), or null when there is none to draw. */
export function rheobaseMark(b: RheobaseState, sweep: FiResult): RheobaseMark | null {
  const unit = "µA/cm²";
  if (b.state === "done" && b.result.rheobase_uA_per_cm2 !== null) {
    const x = b.result.rheobase_uA_per_cm2;
    return { x, label: `rheobase ${x.toFixed(4)} ${unit}` };
  }
  const rb = sweepRheobase(sweep).amplitude_uA_per_cm2;
  return rb === null || bisectionSaysNone(b, rb) ? null : { x: rb, label: `rheobase ≈ ${rb} ${unit} (sweep)` };
}
