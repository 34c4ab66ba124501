import { invalid } from "../errors.js";
import type { MembraneSystem } from "../system/membrane.js";
import { euler } from "./euler.js";
import type { OdeSystem, Stepper } from "./types.js";

/** A named integration method, as chosen by `method: "…"` in a spec or `--method` on the CLI. */
export interface MethodInfo {
  readonly name: string;
  readonly description: string;
  /** Order of accuracy (global error ∝ dtᵖ). */
  readonly order: number;
  /** True when the method needs the membrane structure (gate rates, conductances), not only f(t, y). */
  readonly membraneOnly: boolean;
  create(system: OdeSystem | MembraneSystem): Stepper;
}

const methods = new Map<string, MethodInfo>();

/** Adds a method to the registry (used by the built-in methods and open to extensions). */
export function registerMethod(info: MethodInfo): void {
  methods.set(info.name, info);
}

registerMethod({
  name: "euler",
  description: "forward Euler, the lab's method (first order, explicit)",
  order: 1,
  membraneOnly: false,
  create: euler,
});

export const methodNames = (): string[] => [...methods.keys()];

export const DEFAULT_METHOD = "euler";

/** A method by name, or a clear error listing the names. */
export function getMethod(name: string): MethodInfo {
  const m = methods.get(name);
  if (!m) throw invalid("method", name, `one of ${methodNames().join(", ")}`);
  return m;
}
