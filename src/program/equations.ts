import { type CompiledGate, type CompiledModel, isRatesGate } from "../models/compile.js";
import { type Expr, VOLTAGE } from "../models/expr.js";
import { lawTree, type RateLaw } from "../models/rates.js";
import type { GateDefinition } from "../models/types.js";
import { add, div, type Lets, mul, neg, num, ref, sub, substitute } from "./tree.js";

/**
 * The membrane equations of a compiled model as expression trees: the one place that writes them.
 * A method's recipe (methods.ts) asks for the pieces it needs at the voltage, gates and current of
 * its stage; every intermediate value becomes a named `let` (prefixed by the stage).
 *
 *   C dV/dt = I − Σ_c g_c·Π_x x^p·(V − E_c)
 *   dx/dt   = −(1/τ)(x − x∞), τ = 1/(α+β), x∞ = α/(α+β)   (an α/β gate: the lab's form)
 *   dx/dt   = (x∞ − x)·φ/τ                                (an x∞/τ gate)
 *
 * α and β (1/τ) are multiplied by the gate's rate factor φ where it has one (temperature,
 * rate_factor). Instantaneous gates take x = x∞(V) and are no state variables.
 *
 * Names: state `V`, `x0`, `x1` … (state gates in channel order); parameters `Cm`, `V0`, `g<c>`,
 * `e<c>` (channel c), `phi<k>` (state gate k, only where `phi[k]`).
 */
export class Equations {
  /** State gates in channel order. */
  readonly gates: readonly CompiledGate[];
  readonly state: readonly string[];
  /** The parameters a step reads: Cm, g per channel, E per channel, the rate factors present. */
  readonly params: readonly string[];
  private readonly defs = new Map<string, GateDefinition>();

  constructor(
    readonly compiled: CompiledModel,
    /** Per state gate: whether it has a rate factor (else it is 1 for every neuron and left out). */
    readonly phi: readonly boolean[],
    /** The fast-math form of an α/β gate's derivative, α − (α+β)·x (equal in exact arithmetic). */
    readonly fast = false,
  ) {
    for (const c of compiled.model.channels) for (const g of c.gates) this.defs.set(g.name, g);
    this.gates = compiled.gates.filter((g) => !g.instantaneous);
    this.state = ["V", ...this.gates.map((_, k) => `x${k}`)];
    const C = compiled.channels.length;
    this.params = [
      "Cm",
      ...Array.from({ length: C }, (_, c) => `g${c}`),
      ...Array.from({ length: C }, (_, c) => `e${c}`),
      ...this.gates.flatMap((_, k) => (phi[k] ? [`phi${k}`] : [])),
    ];
  }

  /** A rate law of the model at voltage v. */
  law(l: RateLaw, v: Expr): Expr {
    return substitute(lawTree(l, this.compiled.constants), { [VOLTAGE]: v });
  }

  private def(gate: CompiledGate): GateDefinition {
    return this.defs.get(gate.name) as GateDefinition;
  }

  private factor(k: number): Expr | undefined {
    return this.phi[k] ? ref(`phi${k}`) : undefined;
  }

  /** dx/dt of state gate k at voltage v and gate value x. */
  gateDerivative(L: Lets, p: string, k: number, v: Expr, x: Expr): Expr {
    const def = this.def(this.gates[k] as CompiledGate);
    const f = this.factor(k);
    if (isRatesGate(def)) {
      const alpha = this.law(def.alpha, v);
      const beta = this.law(def.beta, v);
      const a = L.bind(`${p}a${k}`, f ? mul(alpha, f) : alpha);
      const b = L.bind(`${p}b${k}`, f ? mul(beta, f) : beta);
      const s = L.bind(`${p}s${k}`, add(a, b));
      // the lab's form: −(1/τ)(x − x∞) with τ = 1/(α+β), x∞ = α/(α+β); fast math: α − (α+β)·x
      if (this.fast) return L.bind(`${p}d${k}`, sub(a, mul(s, x)));
      return L.bind(`${p}d${k}`, mul(neg(div(num(1), div(num(1), s))), sub(x, div(a, s))));
    }
    const inf = this.law(def.inf, v);
    const tau = this.law(def.tau as RateLaw, v);
    const diff = sub(inf, x);
    return L.bind(`${p}d${k}`, div(f ? mul(diff, f) : diff, tau));
  }

  /** α and β (1/ms) of state gate k at voltage v, rate factor applied; an x∞/τ gate gives α = x∞·φ/τ, β = (1 − x∞)·φ/τ. */
  gateRates(L: Lets, p: string, k: number, v: Expr): { alpha: Expr; beta: Expr } {
    const def = this.def(this.gates[k] as CompiledGate);
    const f = this.factor(k);
    if (isRatesGate(def)) {
      const alpha = this.law(def.alpha, v);
      const beta = this.law(def.beta, v);
      return { alpha: L.bind(`${p}a${k}`, f ? mul(alpha, f) : alpha), beta: L.bind(`${p}b${k}`, f ? mul(beta, f) : beta) };
    }
    const inf = L.bind(`${p}i${k}`, this.law(def.inf, v));
    const rate = L.bind(`${p}r${k}`, div(f ?? num(1), this.law(def.tau as RateLaw, v)));
    return { alpha: L.bind(`${p}a${k}`, mul(inf, rate)), beta: L.bind(`${p}b${k}`, mul(sub(num(1), inf), rate)) };
  }

  /** The steady state of state gate k at voltage v (the initial state): α/(α+β) with the rate factor, or x∞. */
  gateSteady(L: Lets, p: string, k: number, v: Expr): Expr {
    const def = this.def(this.gates[k] as CompiledGate);
    if (!isRatesGate(def)) return L.bind(`${p}i${k}`, this.law(def.inf, v));
    const { alpha, beta } = this.gateRates(L, p, k, v);
    return L.bind(`${p}x${k}`, div(alpha, add(alpha, beta)));
  }

  /** The open fraction 1·Π x^p of channel c (instantaneous gates at their steady state at v). */
  open(L: Lets, p: string, c: number, v: Expr, xs: readonly Expr[]): Expr {
    const channel = this.compiled.channels[c] as CompiledModel["channels"][number];
    let open = num(1);
    channel.gates.forEach((gate, gi) => {
      let x: Expr;
      if (!gate.instantaneous) x = xs[this.gates.indexOf(gate)] as Expr;
      else {
        const def = this.def(gate);
        if (isRatesGate(def)) {
          const qa = L.bind(`${p}qa${c}_${gi}`, this.law(def.alpha, v));
          x = L.bind(`${p}q${c}_${gi}`, div(qa, add(qa, this.law(def.beta, v))));
        } else x = L.bind(`${p}q${c}_${gi}`, this.law(def.inf, v));
      }
      open = mul(open, power(x, gate.power));
    });
    return open;
  }

  /** dV/dt = (I − Σ g·open·(V − E))/Cm. */
  membraneDerivative(L: Lets, p: string, v: Expr, xs: readonly Expr[], current: Expr): Expr {
    let dv = current;
    this.compiled.channels.forEach((_, c) => {
      dv = L.bind(`${p}dv${c}`, sub(dv, mul(mul(ref(`g${c}`), this.open(L, p, c, v, xs)), sub(v, ref(`e${c}`)))));
    });
    return L.bind(`${p}dV`, div(dv, ref("Cm")));
  }

  /** f(y): dV/dt and every state gate's dx/dt, at the stage's V, gates and injected current. */
  derivatives(L: Lets, p: string, y: readonly Expr[], current: Expr): Expr[] {
    const v = y[0] as Expr;
    const xs = y.slice(1);
    const ds = this.gates.map((_, k) => this.gateDerivative(L, p, k, v, xs[k] as Expr));
    return [this.membraneDerivative(L, p, v, xs, current), ...ds];
  }

  /** Σ_c g_c·open_c (mS/cm²) and Σ_c g_c·open_c·E_c (µA/cm²), each summed from 0 in channel order. */
  conductance(L: Lets, p: string, v: Expr, xs: readonly Expr[]): { gTotal: Expr; gE: Expr } {
    let gTotal = num(0);
    let gE = num(0);
    this.compiled.channels.forEach((_, c) => {
      const g = L.bind(`${p}gc${c}`, mul(ref(`g${c}`), this.open(L, p, c, v, xs)));
      gTotal = L.bind(`${p}gT${c}`, add(gTotal, g));
      gE = L.bind(`${p}gE${c}`, add(gE, mul(g, ref(`e${c}`))));
    });
    return { gTotal, gE };
  }

  /** The ionic current of channel c (µA/cm², positive outward). */
  channelCurrent(L: Lets, p: string, c: number, v: Expr, xs: readonly Expr[]): Expr {
    return mul(mul(ref(`g${c}`), this.open(L, p, c, v, xs)), sub(v, ref(`e${c}`)));
  }
}

/** x^p with powers 1…4 unrolled as products (x·x·(x·x) for 4); others through ^. */
export function power(x: Expr, p: number): Expr {
  if (p === 1) return x;
  if (p === 2) return mul(x, x);
  if (p === 3) return mul(mul(x, x), x);
  if (p === 4) return mul(mul(x, x), mul(x, x));
  return { type: "bin", op: "^", left: x, right: num(p) };
}
