import { getModel } from "../models/index.js";
import { noStimulus } from "../stimulus/step.js";
import { membraneSystem } from "../system/membrane.js";
import type { MV } from "../units.js";

/**
 * The resting potential: the V near the model's V0 where the membrane, with every gate at its steady
 * state for that V, carries no net current (dV/dt = 0) and dV/dt falls through zero (a stable rest).
 * A model's V0 need not be at rest: the lab model starts at −65 mV and drifts to its rest over ~100 ms.
 * Scans V0 ± 40 mV in 0.1 mV steps, then bisects to 1e-9 mV. Null if there is no such point.
 */
export function restingPotential(model = "lab", parameters: Readonly<Record<string, number>> = {}): MV | null {
  const m = getModel(model);
  const around = parameters.V0 ?? m.v0_mV;
  const rate = (vs: number[]) => {
    const s = membraneSystem({ model: m, n: vs.length, stimulus: noStimulus, parameters: { ...parameters, V0: vs } });
    const y = s.initialState();
    const dy = new Float64Array(y.length);
    s.derivatives(0, y, dy);
    return Array.from(dy.subarray(0, vs.length));
  };
  const grid = Array.from({ length: 801 }, (_, i) => around - 40 + i * 0.1);
  const f = rate(grid);
  let best: [number, number] | null = null;
  for (let i = 0; i + 1 < grid.length; i++) {
    if ((f[i] as number) >= 0 && (f[i + 1] as number) < 0) {
      const g = grid[i] as number;
      if (!best || Math.abs(g - around) < Math.abs(best[0] - around)) best = [g, grid[i + 1] as number];
    }
  }
  if (!best) return null;
  let [lo, hi] = best;
  while (hi - lo > 1e-9) {
    const mid = (lo + hi) / 2;
    if ((rate([mid])[0] as number) >= 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
