import { invalid } from "../errors.js";
import type { MembraneSystem } from "../system/membrane.js";
import { backwardEuler } from "./backwardEuler.js";
import { euler } from "./euler.js";
import { expEuler } from "./expEuler.js";
import { rk4 } from "./rk4.js";
import { rk45, rk45Stepper } from "./rk45.js";
import type { AdaptiveStepper, OdeSystem, Stepper, Tolerances } from "./types.js";

/** A named integration method, as chosen by `method: "…"` in a spec or `--method` on the CLI. */
export interface MethodInfo {
  readonly name: string;
  readonly description: string;
  /** Order of accuracy (global error ∝ dtᵖ). */
  readonly order: number;
  /** True when the method needs the membrane structure (gate rates, conductances), not only f(t, y). */
  readonly membraneOnly: boolean;
  /**
   * A stepper that advances from t to t + dt. Adaptive methods integrate each such interval to their
   * tolerances (default ones unless given).
   */
  create(system: OdeSystem | MembraneSystem, tolerances?: Tolerances): Stepper;
  /** Present for adaptive methods: the step-by-step stepper with dense output that `simulate` drives. */
  readonly createAdaptive?: (system: OdeSystem, tolerances: Tolerances) => AdaptiveStepper;
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

registerMethod({
  name: "exp-euler",
  description: "exponential Euler / Rush–Larsen: gates and V exact for frozen other variables (first order, stable)",
  order: 1,
  membraneOnly: true,
  create: (s) => expEuler(s as MembraneSystem),
});

registerMethod({
  name: "backward-euler",
  description: "NEURON's fixed-step default: V implicit, then gates exponential at the new V (first order, stable)",
  order: 1,
  membraneOnly: true,
  create: (s) => backwardEuler(s as MembraneSystem),
});

/** A membrane system steps through its compiled step program (the same numbers as the generic stepper). */
const isMembrane = (s: OdeSystem | MembraneSystem): s is MembraneSystem => typeof (s as Partial<MembraneSystem>).stepper === "function";

registerMethod({
  name: "rk4",
  description: "classical Runge–Kutta (fourth order, explicit)",
  order: 4,
  membraneOnly: false,
  create: (s) => (isMembrane(s) ? (s.stepper("rk4") ?? rk4(s)) : rk4(s)),
});

registerMethod({
  name: "rk45",
  description: "adaptive Dormand–Prince 5(4) with rtol/atol, dense output, exact stimulus breakpoints",
  order: 5,
  membraneOnly: false,
  create: (s, tol) => rk45Stepper(s, tol),
  createAdaptive: rk45,
});

/** The names of the integration methods (`euler`, `exp-euler`, `backward-euler`, `rk4`, `rk45`), for `method` and `--method`. */
export const methodNames = (): string[] => [...methods.keys()];

export const DEFAULT_METHOD = "euler";

/** A method by name, or a clear error listing the names. */
export function getMethod(name: string): MethodInfo {
  const m = methods.get(name);
  if (!m) throw invalid("method", name, `one of ${methodNames().join(", ")}`);
  return m;
}
