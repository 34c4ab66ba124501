import { type CompiledGate, type CompiledModel, gateVariables, isRatesGate } from "../models/compile.js";
import { type Expr, VOLTAGE } from "../models/expr.js";
import { lawTree, type RateLaw } from "../models/rates.js";
import type { GateDefinition } from "../models/types.js";
import { add, call, div, type Lets, mul, neg, num, ref, sub, substitute } from "./tree.js";

/** exprel′(x) as a tree: the Taylor series 1/2 + x/3 + x²/8 + x³/30 for |x| < 10⁻³, else (x·eˣ − (eˣ − 1))/x² (as exprDerivative's dexprel). */
export function dexprelTree(x: Expr): Expr {
  const series = add(num(0.5), mul(x, add(num(1 / 3), mul(x, add(num(1 / 8), div(x, num(30)))))));
  const exact = div(sub(mul(x, call("exp", x)), call("expm1", x)), mul(x, x));
  return { type: "select", op: "<", left: call("abs", x), right: num(1e-3), ifTrue: series, ifFalse: exact };
}

/**
 * The membrane equations of a compiled model as expression trees: the one place that writes them.
 * A method's recipe (methods.ts) asks for the pieces it needs at the voltage, gates and current of
 * its stage; every intermediate value becomes a named `let` (prefixed by the stage).
 *
 *   C dV/dt = I − Σ_c g_c·Π_x x^p·(V − E_c)
 *   dx/dt   = −(1/τ)(x − x∞), τ = 1/(α+β), x∞ = α/(α+β)   (an α/β gate: the lab's form)
 *   dx/dt   = (x∞ − x)·φ/τ                                (an x∞/τ gate)
 *   x       = f₀·q₀ + f₁·q₁ + …                            (a fractional gate; each sub-gate qᵢ a state gate)
 *
 *   dC/dt   = −k·Σ_{c carries the ion} I_c − (C − C_rest)/τ      (a concentration pool, mM/ms)
 *   E_c     = e_c, or en_c·ln(C_out/C) for a Nernst channel (en_c = R·T/(z·F) in mV)
 *
 * A GHK channel's current is g_c·Π_x x^p·z·F·(C/exprel(−u) − C_out/exprel(u)), u = V/e_c, with g_c its
 * permeability (cm/s) and e_c its voltage scale R·T/(z·F) (mV) (models/ghk.ts); where a method needs a
 * conductance (exp-euler, backward-euler) it is linearized at the stage's V as NEURON does with di/dv:
 * G = g_c·open·dGHK/dV (exact, through exprel′), and G·V − I in place of g·E.
 *
 * α and β (1/τ) are multiplied by the gate's rate factor φ where it has one (temperature,
 * rate_factor). A gate's rate laws are evaluated at V − s, its voltage shift: the parameter `sh<j>`
 * (gate j of all gates, in channel order) where `shift[j]`, else the model's vShift_mV as a number (left
 * out at 0). Instantaneous gates take x = x∞(V) and are no state variables. Rate laws may read
 * an ion's inside concentration (`cai` …): a pool's state, or the ion's fixed inside_mM.
 *
 * Names: state `V`, `x0`, `x1` … (state gates in channel order), `c0`, `c1` … (pools in ion order);
 * parameters `Cm`, `V0`, `g<c>`, `e<c>` (channel c with a fixed E), `en<c>` (a Nernst channel c),
 * `phi<k>` (state gate k, only where `phi[k]`), `sh<j>` (gate j, only where `shift[j]`). Pool constants
 * are numbers in the program.
 */
export class Equations {
  /** State gates in channel order. */
  readonly gates: readonly CompiledGate[];
  readonly state: readonly string[];
  /** The parameters a step reads: Cm, g per channel, E per channel, the rate factors present. */
  readonly params: readonly string[];
  /** The number of state gates and of pools: state is V, the gates, then the pools. */
  readonly gateCount: number;
  private readonly defs = new Map<string, GateDefinition>();
  /** Per gate (all gates, in channel order): its shift parameter's name or its shift (mV). */
  private readonly shifts = new Map<string, string | number>();
  /** Per ion (index in compiled.ions): its pool's index among the pools, or −1. */
  private readonly poolOf: readonly number[];

  constructor(
    readonly compiled: CompiledModel,
    /** Per state gate: whether it has a rate factor (else it is 1 for every neuron and left out). */
    readonly phi: readonly boolean[],
    /** The fast-math form of an α/β gate's derivative, α − (α+β)·x (equal in exact arithmetic). */
    readonly fast = false,
    /** Per gate (all gates, in channel order): whether its voltage shift is a per-neuron parameter. */
    readonly shift: readonly boolean[] = compiled.gates.map(() => false),
  ) {
    for (const g of gateVariables(compiled.model)) this.defs.set(g.name, g);
    compiled.gates.forEach((g, j) => {
      this.shifts.set(g.name, shift[j] ? `sh${j}` : g.vShift);
    });
    this.gates = compiled.gates.filter((g) => !g.instantaneous);
    this.gateCount = this.gates.length;
    this.poolOf = compiled.ions.map((ion) => compiled.pools.indexOf(ion));
    this.state = ["V", ...this.gates.map((_, k) => `x${k}`), ...compiled.pools.map((_, j) => `c${j}`)];
    const C = compiled.channels.length;
    const channels = Array.from({ length: C }, (_, c) => c);
    this.params = [
      "Cm",
      ...channels.map((c) => `g${c}`),
      ...channels.flatMap((c) => (compiled.channels[c]?.nernst ? [] : [`e${c}`])),
      ...channels.flatMap((c) => (compiled.channels[c]?.nernst ? [`en${c}`] : [])),
      ...this.gates.flatMap((_, k) => (phi[k] ? [`phi${k}`] : [])),
      ...compiled.gates.flatMap((_, j) => (shift[j] ? [`sh${j}`] : [])),
    ];
  }

  /** The state vector split into V, the state gates and the pools. */
  split(y: readonly Expr[]): { v: Expr; xs: readonly Expr[]; cs: readonly Expr[] } {
    return { v: y[0] as Expr, xs: y.slice(1, 1 + this.gateCount), cs: y.slice(1 + this.gateCount) };
  }

  /** A rate law of the model at voltage v and pool concentrations cs (fixed concentrations as numbers). */
  law(l: RateLaw, v: Expr, cs: readonly Expr[] = []): Expr {
    const names: Record<string, Expr> = { [VOLTAGE]: v };
    this.compiled.ions.forEach((ion, i) => {
      const j = this.poolOf[i] as number;
      if (j >= 0) names[ion.concentration] = cs[j] as Expr;
      else if (Number.isFinite(ion.inside)) names[ion.concentration] = num(ion.inside);
    });
    return substitute(lawTree(l, this.compiled.constants), names);
  }

  /** A rate law of gate `gate` at voltage v − its shift. */
  private gateLaw(gate: CompiledGate, l: RateLaw, v: Expr, cs: readonly Expr[]): Expr {
    const s = this.shifts.get(gate.name) as string | number;
    return this.law(l, typeof s === "string" ? sub(v, ref(s)) : s === 0 ? v : sub(v, num(s)), cs);
  }

  /** The pool index of the ion channel c carries, or −1. */
  private channelPool(c: number): number {
    const ion = this.compiled.channels[c]?.ion;
    return ion === undefined ? -1 : (this.poolOf[ion] as number);
  }

  /** The reversal potential of channel c: the parameter e<c>, or en<c>·ln(C_out/C_in) (Nernst). */
  reversal(L: Lets, p: string, c: number, cs: readonly Expr[]): Expr {
    const channel = this.compiled.channels[c] as CompiledModel["channels"][number];
    if (!channel.nernst) return ref(`e${c}`);
    const ion = this.compiled.ions[channel.ion as number] as CompiledModel["ions"][number];
    const j = this.poolOf[channel.ion as number] as number;
    const inside = j >= 0 ? (cs[j] as Expr) : num(ion.inside);
    return L.bind(`${p}E${c}`, mul(ref(`en${c}`), call("log", div(num(ion.outside as number), inside))));
  }

  /** The inside concentration of channel c's ion: its pool's state or the fixed inside_mM. */
  private inside(c: number, cs: readonly Expr[]): Expr {
    const channel = this.compiled.channels[c] as CompiledModel["channels"][number];
    const j = this.poolOf[channel.ion as number] as number;
    return j >= 0 ? (cs[j] as Expr) : num((this.compiled.ions[channel.ion as number] as CompiledModel["ions"][number]).inside);
  }

  /** u = V/e_c of GHK channel c. */
  private ghkU(L: Lets, p: string, c: number, v: Expr): Expr {
    return L.bind(`${p}u${c}`, div(v, ref(`e${c}`)));
  }

  /** A GHK channel's driving factor z·F·(C_in/exprel(−u) − C_out/exprel(u)) (µA/cm² per cm/s). */
  ghkDrive(L: Lets, p: string, c: number, v: Expr, cs: readonly Expr[]): Expr {
    const ghk = this.compiled.channels[c]?.ghk as NonNullable<CompiledModel["channels"][number]["ghk"]>;
    const u = this.ghkU(L, p, c, v);
    const terms = sub(div(this.inside(c, cs), call("exprel", neg(u))), div(num(ghk.outside), call("exprel", u)));
    return L.bind(`${p}D${c}`, mul(num(ghk.charge * ghk.faraday), terms));
  }

  /** dGHK/dV of channel c: (z·F/e_c)·(C_in·exprel′(−u)/exprel(−u)² + C_out·exprel′(u)/exprel(u)²). */
  ghkSlope(L: Lets, p: string, c: number, v: Expr, cs: readonly Expr[]): Expr {
    const ghk = this.compiled.channels[c]?.ghk as NonNullable<CompiledModel["channels"][number]["ghk"]>;
    const u = this.ghkU(L, p, c, v);
    const mu = L.bind(`${p}mu${c}`, neg(u));
    const a = L.bind(`${p}ea${c}`, call("exprel", mu));
    const b = L.bind(`${p}eb${c}`, call("exprel", u));
    const terms = add(div(mul(this.inside(c, cs), dexprelTree(mu)), mul(a, a)), div(mul(num(ghk.outside), dexprelTree(u)), mul(b, b)));
    return L.bind(`${p}S${c}`, mul(div(num(ghk.charge * ghk.faraday), ref(`e${c}`)), terms));
  }

  /** g·open·(V − E) of channel c, or g·open·GHK(V) for a GHK channel. */
  private current(L: Lets, p: string, c: number, v: Expr, xs: readonly Expr[], cs: readonly Expr[]): Expr {
    const gOpen = mul(ref(`g${c}`), this.open(L, p, c, v, xs, cs));
    if (this.compiled.channels[c]?.ghk) return mul(gOpen, this.ghkDrive(L, p, c, v, cs));
    return mul(gOpen, sub(v, this.reversal(L, p, c, cs)));
  }

  private def(gate: CompiledGate): GateDefinition {
    return this.defs.get(gate.name) as GateDefinition;
  }

  private factor(k: number): Expr | undefined {
    return this.phi[k] ? ref(`phi${k}`) : undefined;
  }

  /** dx/dt of state gate k at voltage v, gate value x and pool concentrations cs. */
  gateDerivative(L: Lets, p: string, k: number, v: Expr, x: Expr, cs: readonly Expr[] = []): Expr {
    const gate = this.gates[k] as CompiledGate;
    const def = this.def(gate);
    const f = this.factor(k);
    if (isRatesGate(def)) {
      const { alpha: a, beta: b } = this.gateRates(L, p, k, v, cs);
      const s = L.bind(`${p}s${k}`, add(a, b));
      // the lab's form: −(1/τ)(x − x∞) with τ = 1/(α+β), x∞ = α/(α+β); fast math: α − (α+β)·x
      if (this.fast) return L.bind(`${p}d${k}`, sub(a, mul(s, x)));
      return L.bind(`${p}d${k}`, mul(neg(div(num(1), div(num(1), s))), sub(x, div(a, s))));
    }
    const inf = this.gateLaw(gate, def.inf, v, cs);
    const tau = this.gateLaw(gate, def.tau as RateLaw, v, cs);
    const diff = sub(inf, x);
    return L.bind(`${p}d${k}`, div(f ? mul(diff, f) : diff, tau));
  }

  /** α and β (1/ms) of state gate k at voltage v, rate factor applied; an x∞/τ gate gives α = x∞·φ/τ, β = (1 − x∞)·φ/τ. */
  gateRates(L: Lets, p: string, k: number, v: Expr, cs: readonly Expr[] = []): { alpha: Expr; beta: Expr } {
    const gate = this.gates[k] as CompiledGate;
    const def = this.def(gate);
    const f = this.factor(k);
    if (isRatesGate(def)) {
      const alpha = this.gateLaw(gate, def.alpha, v, cs);
      const beta = this.gateLaw(gate, def.beta, v, cs);
      return { alpha: L.bind(`${p}a${k}`, f ? mul(alpha, f) : alpha), beta: L.bind(`${p}b${k}`, f ? mul(beta, f) : beta) };
    }
    const inf = L.bind(`${p}i${k}`, this.gateLaw(gate, def.inf, v, cs));
    const rate = L.bind(`${p}r${k}`, div(f ?? num(1), this.gateLaw(gate, def.tau as RateLaw, v, cs)));
    return { alpha: L.bind(`${p}a${k}`, mul(inf, rate)), beta: L.bind(`${p}b${k}`, mul(sub(num(1), inf), rate)) };
  }

  /** The steady state of state gate k at voltage v and concentrations cs (the initial state): α/(α+β) with the rate factor, or x∞. */
  gateSteady(L: Lets, p: string, k: number, v: Expr, cs: readonly Expr[] = []): Expr {
    const gate = this.gates[k] as CompiledGate;
    const def = this.def(gate);
    if (!isRatesGate(def)) return L.bind(`${p}i${k}`, this.gateLaw(gate, def.inf, v, cs));
    const { alpha, beta } = this.gateRates(L, p, k, v, cs);
    return L.bind(`${p}x${k}`, div(alpha, add(alpha, beta)));
  }

  /** The open fraction 1·Π x^p of channel c (instantaneous gates at their steady state at v; a fractional gate's x = Σ fᵢ·qᵢ). */
  open(L: Lets, p: string, c: number, v: Expr, xs: readonly Expr[], cs: readonly Expr[] = []): Expr {
    const channel = this.compiled.channels[c] as CompiledModel["channels"][number];
    let open = num(1);
    channel.gates.forEach((gate, gi) => {
      let x: Expr;
      if (gate.subgates) {
        x = num(0);
        gate.subgates.forEach((s, i) => {
          const term = mul(num(s.fraction as number), xs[this.gates.indexOf(s)] as Expr);
          x = i === 0 ? term : add(x, term);
        });
        x = L.bind(`${p}f${c}_${gi}`, x);
      } else if (!gate.instantaneous) x = xs[this.gates.indexOf(gate)] as Expr;
      else {
        const def = this.def(gate);
        if (isRatesGate(def)) {
          const qa = L.bind(`${p}qa${c}_${gi}`, this.gateLaw(gate, def.alpha, v, cs));
          x = L.bind(`${p}q${c}_${gi}`, div(qa, add(qa, this.gateLaw(gate, def.beta, v, cs))));
        } else x = L.bind(`${p}q${c}_${gi}`, this.gateLaw(gate, def.inf, v, cs));
      }
      open = mul(open, power(x, gate.power));
    });
    return open;
  }

  /**
   * dV/dt = (I − Σ g·open·(V − E))/Cm. The current of a channel whose ion has a pool becomes a let
   * of its own, put into `ionic` (by channel) for the pools' derivatives.
   */
  membraneDerivative(
    L: Lets,
    p: string,
    v: Expr,
    xs: readonly Expr[],
    cs: readonly Expr[],
    current: Expr,
    ionic?: Map<number, Expr>,
  ): Expr {
    let dv = current;
    this.compiled.channels.forEach((_, c) => {
      let i = this.current(L, p, c, v, xs, cs);
      if (this.channelPool(c) >= 0) {
        i = L.bind(`${p}ic${c}`, i);
        ionic?.set(c, i);
      }
      dv = L.bind(`${p}dv${c}`, sub(dv, i));
    });
    return L.bind(`${p}dV`, div(dv, ref("Cm")));
  }

  /** The current (µA/cm², outward) into pool j: the sum of its ion's channels' currents, from `ionic` or computed. */
  poolCurrent(L: Lets, p: string, j: number, v: Expr, xs: readonly Expr[], cs: readonly Expr[], ionic?: ReadonlyMap<number, Expr>): Expr {
    let i = num(0);
    this.compiled.channels.forEach((_, c) => {
      if (this.channelPool(c) !== j) return;
      i = add(i, ionic?.get(c) ?? this.channelCurrent(L, p, c, v, xs, cs));
    });
    return L.bind(`${p}ii${j}`, i);
  }

  /** dC/dt of pool j = −k·i_ion − (C − C_rest)/τ (mM/ms). */
  poolDerivative(L: Lets, p: string, j: number, c: Expr, ionCurrent: Expr): Expr {
    const pool = this.compiled.pools[j]?.pool as NonNullable<CompiledModel["pools"][number]["pool"]>;
    return L.bind(`${p}dc${j}`, sub(mul(num(-pool.k), ionCurrent), div(sub(c, num(pool.resting)), num(pool.tau))));
  }

  /** The decay time constant of pool j (ms). */
  poolTau(j: number): number {
    return this.compiled.pools[j]?.pool?.tau as number;
  }

  /** f(y): dV/dt, every state gate's dx/dt and every pool's dC/dt, at the stage's state and injected current. */
  derivatives(L: Lets, p: string, y: readonly Expr[], current: Expr): Expr[] {
    const { v, xs, cs } = this.split(y);
    const ds = this.gates.map((_, k) => this.gateDerivative(L, p, k, v, xs[k] as Expr, cs));
    const ionic = new Map<number, Expr>();
    const dV = this.membraneDerivative(L, p, v, xs, cs, current, ionic);
    const dc = cs.map((c, j) => this.poolDerivative(L, p, j, c, this.poolCurrent(L, p, j, v, xs, cs, ionic)));
    return [dV, ...ds, ...dc];
  }

  /** Σ_c g_c·open_c (mS/cm²) and Σ_c g_c·open_c·E_c (µA/cm²), each summed from 0 in channel order. */
  conductance(L: Lets, p: string, v: Expr, xs: readonly Expr[], cs: readonly Expr[] = []): { gTotal: Expr; gE: Expr } {
    let gTotal = num(0);
    let gE = num(0);
    this.compiled.channels.forEach((channel, c) => {
      if (channel.ghk) {
        // linearized at v: I(V′) ≈ G·V′ − (G·v − I(v)), G = P·open·dGHK/dV
        const po = L.bind(`${p}po${c}`, mul(ref(`g${c}`), this.open(L, p, c, v, xs, cs)));
        const g = L.bind(`${p}gc${c}`, mul(po, this.ghkSlope(L, p, c, v, cs)));
        gTotal = L.bind(`${p}gT${c}`, add(gTotal, g));
        gE = L.bind(`${p}gE${c}`, add(gE, sub(mul(g, v), mul(po, this.ghkDrive(L, p, c, v, cs)))));
        return;
      }
      const g = L.bind(`${p}gc${c}`, mul(ref(`g${c}`), this.open(L, p, c, v, xs, cs)));
      gTotal = L.bind(`${p}gT${c}`, add(gTotal, g));
      gE = L.bind(`${p}gE${c}`, add(gE, mul(g, this.reversal(L, p, c, cs))));
    });
    return { gTotal, gE };
  }

  /** The ionic current of channel c (µA/cm², positive outward). */
  channelCurrent(L: Lets, p: string, c: number, v: Expr, xs: readonly Expr[], cs: readonly Expr[] = []): Expr {
    return this.current(L, p, c, v, xs, cs);
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
