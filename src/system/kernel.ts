import { type CompiledModel, isRatesGate } from "../models/compile.js";
import { exprel } from "../models/exprel.js";
import { jsLiteral } from "../models/literal.js";
import { rateJs } from "../models/rates.js";
import type { GateDefinition } from "../models/types.js";

/**
 * A model's right-hand side compiled to one straight-line JavaScript loop over the neurons of a
 * batch: every rate law inlined (no closure calls), gate powers unrolled, the channel sum written
 * out. It performs exactly the floating-point operations of the declarative path in membrane.ts
 * (tested bit for bit), so the declarative model stays the source of truth.
 *
 * The source is generated from the checked model (numbers, V and the expression language's
 * functions only), never from user text.
 */
export interface Kernel {
  /** dydt ← f(y) for all neurons, given the injected current per neuron. */
  derivatives(y: Float64Array, dydt: Float64Array, current: Float64Array): void;
  /** One forward Euler step in place: y ← y + dt·f(y) (the derivative of every neuron from its old state). */
  eulerStep(y: Float64Array, dt: number, current: Float64Array): void;
  /** The generated source, for inspection and tests. */
  readonly source: string;
}

export interface KernelInputs {
  readonly n: number;
  readonly cm: Float64Array;
  /** Per channel, in channel order. */
  readonly g: readonly Float64Array[];
  readonly e: readonly Float64Array[];
  /** Per state gate, its rate factor per neuron; null where it is 1 for every neuron (then omitted: x·1 = x exactly). */
  readonly phi: readonly (Float64Array | null)[];
}

const power = (x: string, p: number): string =>
  p === 1
    ? x
    : p === 2
      ? `${x} * ${x}`
      : p === 3
        ? `${x} * ${x} * ${x}`
        : p === 4
          ? `${x} * ${x} * (${x} * ${x})`
          : `${x} ** ${jsLiteral(p, "a gate's power")}`;

type Factory = (...args: unknown[]) => Omit<Kernel, "source">;
const factories = new Map<string, Factory>();

/** Compiles the derivative (and a fused Euler step) of a compiled model for n neurons. */
export function compileKernel(compiled: CompiledModel, inputs: KernelInputs): Kernel {
  const constants = compiled.constants;
  const defs = new Map<string, GateDefinition>();
  for (const c of compiled.model.channels) for (const g of c.gates) defs.set(g.name, g);
  const stateGates = compiled.gates.filter((g) => !g.instantaneous);
  const lines: string[] = [];
  // gates: the local x_k, its derivative d_k
  stateGates.forEach((gate, k) => {
    const def = defs.get(gate.name) as GateDefinition;
    const j = `${k + 1} * n + i`;
    lines.push(`const x${k} = y[${j}];`);
    const f = inputs.phi[k] ? `phi${k}[i]` : null;
    if (isRatesGate(def)) {
      const a = rateJs(def.alpha, constants);
      const b = rateJs(def.beta, constants);
      lines.push(`const a${k} = ${f ? `${a} * ${f}` : a};`, `const b${k} = ${f ? `${b} * ${f}` : b};`);
      lines.push(`const s${k} = a${k} + b${k};`, `const d${k} = -(1 / (1 / s${k})) * (x${k} - a${k} / s${k});`);
    } else {
      const inf = rateJs(def.inf, constants);
      const tau = rateJs(def.tau as NonNullable<typeof def.tau>, constants);
      lines.push(`const d${k} = ((${inf} - x${k}) * ${f ?? "1"}) / ${tau};`);
    }
  });
  // the membrane equation: I_inj − Σ g·Π x^p·(V − E), over Cm
  lines.push("let dv = current[i];");
  compiled.channels.forEach((c, ci) => {
    const factors = c.gates.map((gate, gi) => {
      if (!gate.instantaneous) return `(${power(`x${stateGates.indexOf(gate)}`, gate.power)})`;
      // an instantaneous gate: its steady state at V, computed once, as the declarative path does
      const def = defs.get(gate.name) as GateDefinition;
      const q = `q${ci}_${gi}`;
      if (isRatesGate(def)) {
        lines.push(`const qa${ci}_${gi} = ${rateJs(def.alpha, constants)};`);
        lines.push(`const ${q} = qa${ci}_${gi} / (qa${ci}_${gi} + ${rateJs(def.beta, constants)});`);
      } else lines.push(`const ${q} = ${rateJs(def.inf, constants)};`);
      return `(${power(q, gate.power)})`;
    });
    const open = ["1", ...factors].join(" * ");
    lines.push(`dv -= g${ci}[i] * (${open}) * (V - e${ci}[i]);`);
  });
  lines.push("const dV = dv / cm[i];");
  const body = lines.map((l) => `    ${l}`).join("\n");
  const params = [
    "n",
    "cm",
    "exprel",
    ...inputs.g.map((_, c) => `g${c}`),
    ...inputs.e.map((_, c) => `e${c}`),
    ...stateGates.map((_, k) => `phi${k}`),
  ];
  const writeDerivatives = [`    dydt[i] = dV;`, ...stateGates.map((_, k) => `    dydt[${k + 1} * n + i] = d${k};`)].join("\n");
  const writeEuler = [`    y[i] = V + dt * dV;`, ...stateGates.map((_, k) => `    y[${k + 1} * n + i] = x${k} + dt * d${k};`)].join("\n");
  const source = `"use strict";
return {
  derivatives(y, dydt, current) {
    for (let i = 0; i < n; i++) {
    const V = y[i];
${body}
${writeDerivatives}
    }
  },
  eulerStep(y, dt, current) {
    for (let i = 0; i < n; i++) {
    const V = y[i];
${body}
${writeEuler}
    }
  },
};`;
  // one compiled factory per distinct source: every batch of a sweep re-uses the same machine code
  let make = factories.get(source);
  if (!make) {
    make = new Function(...params, source) as Factory;
    factories.set(source, make);
  }
  const fns = make(inputs.n, inputs.cm, exprel, ...inputs.g, ...inputs.e, ...inputs.phi);
  return { ...fns, source };
}
