import { checkGridPoints, checkNeuronSteps, count, DEFAULT_MAX_NEURON_STEPS, DEFAULT_MAX_POINTS } from "../limits.js";
import { gridSize } from "./grid.js";
import type { SweepSpecResolved } from "./spec.js";

/** Limits of a sweep request (README, "Input limits"). */
export interface SweepLimits {
  /** Most grid points (the product of all axes); default 1e7, never more than 2^24. */
  readonly maxPoints?: number;
  /** Most neuron-steps (grid points × duration / dt); default 1e11. */
  readonly maxNeuronSteps?: number;
}

/**
 * Refuses, before anything is allocated, a sweep whose grid (the product of all its axes) or whose
 * neuron-steps exceed the limits; `points` is the number it will compute (a shard's, or the grid's).
 */
export function checkSweepSize(spec: SweepSpecResolved, limits: SweepLimits = {}, points = gridSize(spec.axes)): void {
  const axes = spec.axes.map((a) => `${a.name} (${count(a.values.length)} values)`).join(" × ");
  checkGridPoints(gridSize(spec.axes), limits.maxPoints ?? DEFAULT_MAX_POINTS, `the grid ${axes}`);
  const steps = Math.round(spec.duration_ms / spec.dt_ms);
  checkNeuronSteps(
    points * steps,
    limits.maxNeuronSteps ?? DEFAULT_MAX_NEURON_STEPS,
    `${count(points)} grid points × ${count(steps)} steps (--duration-ms ${spec.duration_ms} / --dt-ms ${spec.dt_ms})`,
  );
}
