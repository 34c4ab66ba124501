import { invalid } from "../errors.js";
import type { CompiledModel } from "../models/compile.js";
import type { Expr } from "../models/expr.js";
import { BOUNDS } from "./bounds.js";
import { Equations } from "./equations.js";
import { RECIPES, stepBlock } from "./methods.js";
import { Lets, ref } from "./tree.js";
import { type Block, DT, type StepProgram } from "./types.js";

export interface ProgramOptions {
  /** Per state gate: whether it has a rate factor (default: none has). */
  readonly phi?: readonly boolean[];
  /** The fast-math form of the gate derivative (a WebAssembly fast-math kernel's; not bit-identical). */
  readonly fast?: boolean;
}

/** The methods a step program exists for ("derivatives": f(y) itself). */
export const PROGRAM_METHODS = Object.keys(RECIPES);

const reserved = (eq: Equations, currents: readonly string[]) => [...eq.state, ...eq.params, "V0", DT, ...currents];

/**
 * The step program of a compiled model under a method: the state layout, its per-neuron
 * parameters and inputs, one step as named intermediate expressions and state updates, the
 * initial state and the divergence bounds. Every backend lowers this and nothing else.
 */
export function stepProgram(compiled: CompiledModel, method: string, options: ProgramOptions = {}): StepProgram {
  const recipe = RECIPES[method];
  if (!recipe) throw invalid("method (step program)", method, `one of ${PROGRAM_METHODS.join(", ")}`);
  const eq = new Equations(compiled, options.phi ?? compiled.gates.filter((g) => !g.instantaneous).map(() => false), options.fast);
  const currents = recipe.currents.map((c) => c.name);
  const step = stepBlock(eq, recipe, new Lets(reserved(eq, currents)));
  return { method, state: eq.state, params: eq.params, currents: recipe.currents, step, init: initBlock(eq), bounds: BOUNDS };
}

/** The initial state: V0, every state gate at its steady state there (rate factor applied). */
function initBlock(eq: Equations): Block {
  const L = new Lets(reserved(eq, []));
  const v0 = ref("V0");
  const out: Expr[] = [v0, ...eq.gates.map((_, k) => eq.gateSteady(L, "", k, v0))];
  return { lets: L.list, out };
}

/** α of every state gate, then β of every one (1/ms, rate factor applied), at the state's V. */
export function ratesBlock(compiled: CompiledModel, phi: readonly boolean[]): Block {
  const eq = new Equations(compiled, phi);
  const L = new Lets(reserved(eq, []));
  const rates = eq.gates.map((_, k) => eq.gateRates(L, "", k, ref("V")));
  return { lets: L.list, out: [...rates.map((r) => r.alpha), ...rates.map((r) => r.beta)] };
}

/** Σg (mS/cm²) and ΣgE (µA/cm²) at the state. */
export function conductanceBlock(compiled: CompiledModel, phi: readonly boolean[]): Block {
  const eq = new Equations(compiled, phi);
  const L = new Lets(reserved(eq, []));
  const { gTotal, gE } = eq.conductance(
    L,
    "",
    ref("V"),
    eq.state.slice(1).map((s) => ref(s)),
  );
  return { lets: L.list, out: [gTotal, gE] };
}

/** The ionic current of each channel (µA/cm², positive outward) at the state. */
export function currentsBlock(compiled: CompiledModel, phi: readonly boolean[]): Block {
  const eq = new Equations(compiled, phi);
  const L = new Lets(reserved(eq, []));
  const xs = eq.state.slice(1).map((s) => ref(s));
  const out = compiled.channels.map((_, c) => eq.channelCurrent(L, "", c, ref("V"), xs));
  return { lets: L.list, out };
}
