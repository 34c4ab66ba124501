import { DivergenceError } from "../errors.js";
import { type Axis, gridPoint } from "./grid.js";

/** An axis value as an error names it: the amplitude with its unit, a parameter by its name. */
const axisValue = (name: string, value: number): string =>
  name === "amplitude" ? `amplitude_uA_per_cm2 = ${value}` : `${name} = ${value}`;

/**
 * A divergence inside a sweep's batch, re-addressed to the sweep: the batch's "neuron i" becomes the grid
 * point's index and its axis values (what a user can find in the output and rerun), the rest of the message
 * (time, variable, value, method, dt, advice) unchanged. `details.neuron` becomes the grid index too.
 */
export function atSweepPoint(e: unknown, axes: readonly Axis[], indices: ArrayLike<number>): unknown {
  if (!(e instanceof DivergenceError) || !e.details) return e;
  const index = indices[e.details.neuron];
  if (index === undefined) return e;
  const point = gridPoint(axes, index);
  const where = `at sweep point ${index} (${axes.map((a, k) => axisValue(a.name, point[k] as number)).join(", ")})`;
  const message = e.message.replace(/ in neuron \d+:/, ` ${where}:`);
  return new DivergenceError(message === e.message ? `${where}: ${e.message}` : message, { ...e.details, neuron: index });
}
