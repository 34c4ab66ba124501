import { stateNames } from "../../src/models/index.js";
import type { NeuronModel } from "../../src/models/types.js";

/**
 * The state on the y axis of the Dynamics view's phase plane (the worker's and the equivalent command's): the
 * model's last gate, the slow one. A pool's concentration (mM, after the gates) is not taken: its range is not the
 * gates' [0, 1]; the plane sets it to C∞(V).
 */
export function planeY(model: NeuronModel | undefined): string {
  const names = model ? stateNames(model) : ["V", "n"];
  const pools = Object.values(model?.ions ?? {}).filter((i) => i.pool).length;
  const k = names.length - 1 - pools;
  return names[k > 0 ? k : names.length - 1] as string;
}
