import { bindConstants, type Expr, evaluate, freeNames, guardSingularities } from "../expr.js";
import type {
  ChannelDefinition,
  ChannelGate,
  ConcentrationPool,
  GateDefinition,
  SubGateDefinition,
  TemperatureDependence,
} from "../types.js";
import type { NmodlFile } from "./ast.js";
import { ohmic } from "./currents.js";
import { usesCelsius } from "./forms.js";
import { gate, lawOf } from "./gates.js";
import { type GhkCall, ghkConstantsOf, ghkIntercept } from "./ghk.js";
import { nmodlError } from "./lexer.js";
import { CELSIUS, type EvalContext, Evaluator, type Guard, sameTree, V } from "./symbolic.js";

/**
 * A density mechanism translated into spikelab's channels (the intermediate form between NMODL and a model):
 * each current the mechanism writes becomes one channel I = g·Π xᵖ·(V − E), each STATE a gate in α/β or
 * x∞/τ form. Units as NEURON's: a current of the form written in mA/cm² with v in mV gives its coefficient
 * in S/cm², × 1000 → mS/cm² (exactly, on the decimal digits); rates in 1/ms, τ in ms.
 *
 * An ion's inside concentration as state (USEION ca READ ica WRITE cai with STATE cai, CaDynamics_E2) becomes
 * a concentration pool when its derivative is linear in ica and cai: cai' = A·ica + B·cai + C gives
 * k = −A/1000 (ica in mA/cm², spikelab's currents in µA/cm²), τ = −1/B, resting = C·τ. Rates may read an
 * inside concentration (SK_E2's cai). Refused, each with its line: outside concentrations, GHK currents,
 * general conditionals (Evaluator.conditional), KINETIC schemes (the parser).
 */
export interface TranslatedMechanism {
  readonly suffix: string;
  readonly file: string;
  readonly channels: readonly ChannelDefinition[];
  /** Concentration pools the mechanism defines, by ion (CaDynamics_E2: ca). */
  readonly pools: Readonly<Record<string, ConcentrationPool>>;
  /** Ions whose inside concentration the mechanism reads (USEION ca READ cai: SK_E2). */
  readonly readsInside: readonly string[];
  /** True when celsius had to be bound to a number (used other than as q10^((celsius − T0)/10) on rates). */
  readonly celsiusBound: boolean;
  readonly notes: readonly string[];
}

export interface TranslateOptions {
  /** PARAMETER values by their name in the file (overriding the file's). */
  readonly parameters?: Readonly<Record<string, number>>;
  /** Reversal potentials (mV) by their NMODL name: ena, ek, eca … */
  readonly reversals?: Readonly<Record<string, number>>;
  /** Temperature (°C) for celsius where it cannot stay a parameter; NEURON's default 6.3. */
  readonly celsius?: number;
  /** Name channels and gates with the suffix (NEURON's m_NaTa_t), for cells of several mechanisms. */
  readonly qualify?: boolean;
}

/** NEURON's default reversal potentials (mV) of its predefined ions (hoc: ena, ek, eca at 6.3 °C). */
export const NEURON_REVERSALS: Readonly<Record<string, number>> = { ena: 50, ek: -77, eca: 132.4579341637009 };

/** A number scaled by 10^k on its shortest decimal digits: 0.12 × 10³ = 120 exactly (not 0.12·1000). */
export function scaleDecimal(x: number, k: number): number {
  const [mantissa, exponent = "0"] = x.toExponential().split("e");
  return Number(`${mantissa}e${Number(exponent) + k}`);
}

/** Names NEURON gives values to: v, celsius, ions' reversal potentials and concentrations, currents, t, dt. */
const SPECIAL = /^(v|celsius|t|dt|e[a-z][a-z0-9]*|i[a-z][a-z0-9]*|[a-z][a-z0-9]*[io])$/;

const CONDUCTANCE_METHODS = new Set(["cnexp", "derivimplicit", "euler"]);

export function translateMechanism(mod: NmodlFile, options: TranslateOptions = {}): TranslatedMechanism {
  const first = translateOnce(mod, options, false);
  return first.celsiusLeft ? translateOnce(mod, options, true) : first;
}

function translateOnce(mod: NmodlFile, options: TranslateOptions, bindCelsius: boolean): TranslatedMechanism & { celsiusLeft: boolean } {
  const file = mod.file;
  const fail = (line: number, message: string) => nmodlError(file, line, message);
  if (!mod.suffix) throw fail(1, "no SUFFIX in a NEURON block: spikelab reads density mechanisms (NEURON { SUFFIX name … })");
  const suffix = mod.suffix.name;
  const notes: string[] = [];
  const celsius = options.celsius ?? 6.3;

  // ions: reversal potentials are read; an inside concentration may be read (rates), or written as a STATE (a pool)
  const reversals = new Map<string, number | undefined>();
  const concentrations = new Set<string>();
  const readable = new Set<string>();
  const currents = new Map<string, number>();
  /** Ions whose inside concentration this mechanism writes (a pool), with the USEION line. */
  const pooled = new Map<string, number>();
  for (const u of mod.ions) {
    for (const w of u.write) {
      if (w === `i${u.ion}`) currents.set(w, u.line);
      else if (w === `${u.ion}i`) pooled.set(u.ion, u.line);
      else
        throw fail(
          u.line,
          `USEION ${u.ion} WRITE ${w}: allowed WRITE i${u.ion} (a current) or ${u.ion}i (a concentration pool, its STATE); outside concentrations and reversal potentials are not written by spikelab's models`,
        );
    }
    if (pooled.has(u.ion)) readable.add(`i${u.ion}`);
    for (const r of u.read) {
      if (r === `e${u.ion}`) {
        const value = options.reversals?.[r] ?? NEURON_REVERSALS[r];
        reversals.set(r, value);
      } else if (r === `${u.ion}i`) {
        concentrations.add(r);
        readable.add(r);
      } else if (r === `${u.ion}o`) concentrations.add(r);
      else if (r === `i${u.ion}`) concentrations.add(r);
      else throw fail(u.line, `USEION ${u.ion} READ ${r}: allowed e${u.ion}, ${u.ion}i, ${u.ion}o`);
    }
  }
  for (const n of mod.nonspecific) currents.set(n.name, n.line);
  for (const d of mod.assigned) {
    const unit = d.unit?.replace(/\s/g, "");
    if (currents.has(d.name) && unit !== undefined && unit !== "mA/cm2" && unit !== "milliamp/cm2") {
      throw fail(d.line, `the current ${d.name} is declared in (${d.unit}); a density mechanism's currents are in (mA/cm2)`);
    }
  }
  const poolStates = new Set([...pooled.keys()].map((ion) => `${ion}i`));
  for (const s of mod.states) {
    if (poolStates.has(s.name)) continue;
    if (
      concentrations.has(s.name) ||
      (/^[a-z]+[io]$/.test(s.name) && mod.ions.some((u) => s.name === `${u.ion}i` || s.name === `${u.ion}o`))
    )
      throw fail(
        s.line,
        `STATE ${s.name}: an ion concentration as state needs USEION … WRITE ${s.name} (a pool); outside concentrations are fixed`,
      );
  }
  for (const [ion, line] of pooled) {
    if (!mod.states.some((s) => s.name === `${ion}i`)) throw fail(line, `USEION ${ion} WRITE ${ion}i: ${ion}i must be a STATE (a pool)`);
  }

  // the global scope: v, celsius, parameters (numbers), states, reversal potentials
  const globals = new Map<string, Expr | undefined>();
  const numbers = new Map<string, number>();
  for (const [name, c] of mod.unitConstants) numbers.set(name, c.value);
  for (const d of [...mod.constants, ...mod.parameters]) {
    const given = options.parameters?.[d.name];
    if (given !== undefined) numbers.set(d.name, given);
    else if (d.value) numbers.set(d.name, d.value.value);
    else if (!SPECIAL.test(d.name)) numbers.set(d.name, 0); // NEURON's value of a PARAMETER declared without one
  }
  for (const name of Object.keys(options.parameters ?? {})) {
    if (!mod.parameters.some((d) => d.name === name) && !mod.constants.some((d) => d.name === name)) {
      throw fail(
        mod.suffix.line,
        `${name} is not a PARAMETER of ${suffix}; its PARAMETERs: ${mod.parameters.map((d) => d.name).join(", ") || "none"}`,
      );
    }
  }
  const declared = [...mod.parameters, ...mod.constants, ...mod.assigned];
  for (const d of declared) globals.set(d.name, undefined);
  for (const [name, value] of numbers) globals.set(name, { type: "num", value });
  for (const s of mod.states) globals.set(s.name, { type: "name", name: s.name });
  globals.set("v", { type: "name", name: V });
  globals.set(CELSIUS, bindCelsius ? { type: "num", value: celsius } : { type: "name", name: CELSIUS });
  for (const r of reversals.keys()) globals.set(r, { type: "name", name: r });
  for (const c of concentrations) globals.delete(c);
  for (const [name] of currents) if (!globals.has(name)) globals.set(name, undefined);

  const guards: Guard[] = [];
  const ghkCalls = new Map<string, GhkCall>();
  const ctx: EvalContext = {
    mod,
    concentrations,
    readable,
    guards,
    celsiusForChecks: celsius,
    notes,
    intercept: ghkIntercept(mod, ghkCalls),
  };
  if (!mod.breakpoint) throw fail(1, "no BREAKPOINT block: a density mechanism computes its currents there");
  // INITIAL first: what it assigns to ASSIGNED variables (Migliore's phim = qm^((celsius - 24)/10)) holds in the
  // other blocks; the states and v go back to symbols afterwards (gates start at their steady state in spikelab)
  if (mod.initial) {
    new Evaluator(ctx, globals).block(mod.initial.body);
    for (const s of mod.states) globals.set(s.name, { type: "name", name: s.name });
    globals.set("v", { type: "name", name: V });
  }
  // SOLVE first (as NEURON does: the states' block runs, then the BREAKPOINT's assignments)
  const solves = mod.breakpoint.body.filter((s) => s.type === "solve");
  if (solves.length > 1) throw fail(solves[1]?.line ?? 1, "more than one SOLVE in BREAKPOINT is not supported");
  const solve = solves[0] as Extract<(typeof solves)[number], { type: "solve" }> | undefined;
  const derivs = new Map<string, { value: Expr; line: number }>();
  if (solve) {
    if (solve.method !== undefined && !CONDUCTANCE_METHODS.has(solve.method))
      throw fail(solve.line, `SOLVE ${solve.name} METHOD ${solve.method} is not supported; allowed: cnexp, derivimplicit, euler`);
    const d = mod.derivatives.get(solve.name);
    if (!d) {
      throw fail(solve.line, `SOLVE ${solve.name}: no DERIVATIVE ${solve.name} block (KINETIC and other blocks are not supported)`);
    }
    notes.push(`SOLVE ${solve.name} METHOD ${solve.method ?? "(none)"} read as its ODEs; spikelab integrates them with the run's --method`);
    const evd = new Evaluator(ctx, globals);
    evd.block(d.body);
    for (const [k, v] of evd.derivatives) derivs.set(k, v);
  }
  // NEURON sets v from the node before the currents: a PROCEDURE that shifted v (Hay's v = v + 10) does not leak here
  globals.set("v", { type: "name", name: V });
  const ev = new Evaluator(ctx, globals);
  ev.block(mod.breakpoint.body);
  const currentTrees = new Map<string, { tree: Expr; line: number }>();
  for (const [name, line] of currents) {
    const tree = globals.get(name);
    if (tree === undefined) throw fail(line, `${suffix} declares the current ${name} but BREAKPOINT never assigns it`);
    currentTrees.set(name, { tree, line: ev.assignedAt.get(name) ?? line });
  }
  for (const s of mod.states) {
    if (!derivs.has(s.name)) throw fail(s.line, `STATE ${s.name} has no derivative (${s.name}' = …) in the SOLVEd DERIVATIVE block`);
  }
  const pools: Record<string, ConcentrationPool> = {};
  for (const ion of pooled.keys()) {
    const d = derivs.get(`${ion}i`) as { value: Expr; line: number };
    derivs.delete(`${ion}i`);
    pools[ion] = linearPool(ion, d.value, (m) => fail(d.line, m));
    notes.push(`${ion}i' read as a concentration pool: ${ion}i' = −k·i${ion} − (${ion}i − resting)/τ`);
  }
  if (mod.tables.length > 0)
    notes.push(`TABLE (line ${mod.tables.join(", ")}) not used: spikelab computes the rates exactly at every step`);

  // gates
  let celsiusLeft = false;
  const gateOf = new Map<string, Omit<GateDefinition, "power" | "name"> & { temperature?: TemperatureDependence }>();
  for (const [state, d] of derivs) {
    const g = gate(state, d.value, (m) => fail(d.line, m));
    for (const law of Object.values(g.laws)) if (law && usesCelsius(law)) celsiusLeft = true;
    gateOf.set(state, g.definition);
    for (const guard of guards) {
      for (const [what, law] of Object.entries(g.laws)) {
        if (!law || usesCelsius(law)) continue;
        const x = evaluate(guardSingularities(bindConstants(law, {})), guard.at_mV);
        if (!Number.isFinite(x)) {
          throw fail(
            guard.line,
            `${state}: ${what} is ${x} at v = ${guard.at_mV} mV, the point this if guards, even with its 0/0 rewritten through exprel`,
          );
        }
      }
    }
  }
  if (guards.length > 0) {
    notes.push(
      `singularity guards (line ${[...new Set(guards.map((g) => g.line))].join(", ")}) read as the exact formula away from the guarded point, its 0/0 rewritten through exprel`,
    );
  }

  // channels from currents
  const usedStates = new Set<string>();
  const channels: ChannelDefinition[] = [];
  const several = currentTrees.size > 1;
  for (const [name, { tree: written, line }] of currentTrees) {
    // a GHK call: its placeholder read as the factor (v − 0) of an ohmic current, the permeability its coefficient
    const ghkNames = [...freeNames(written)].filter((n) => ghkCalls.has(n));
    const call = ghkCalls.get(ghkNames[0] as string);
    if (ghkNames.length > 1 || (call && `i${call.ion}` !== name))
      throw fail(line, `the current ${name} calls ${ghkNames.map((n) => ghkCalls.get(n)?.fn).join(", ")} of another ion's concentrations`);
    const tree = call
      ? substituteName(written, ghkNames[0] as string, {
          type: "bin",
          op: "-",
          left: { type: "name", name: V },
          right: { type: "num", value: 0 },
        })
      : written;
    const parts = ohmic(tree, reversals, (m) => fail(line, `the current ${name} ${m}`));
    if (parts.celsius) celsiusLeft = true;
    const ion = mod.ions.find((u) => `i${u.ion}` === name)?.ion;
    const channelName = several ? `${suffix}_${ion ?? name}` : suffix;
    const gates: ChannelGate[] = [];
    for (const [state, power] of parts.powers) {
      if (usedStates.has(state)) throw fail(line, `the state ${state} gates two currents; a gate shared by two channels is not supported`);
      usedStates.add(state);
      const def = gateOf.get(state) as object;
      gates.push({ name: options.qualify ? `${state}_${suffix}` : state, power, ...def } as GateDefinition);
    }
    parts.fractional.forEach((f, k) => {
      // a weighted sum of states (Kv2like's 0.5*h1 + 0.5*h2): a fractional gate whose sub-gates are the states
      const defs = f.terms.map(({ state }) => {
        if (usedStates.has(state)) throw fail(line, `the state ${state} appears twice in the current; each state may gate it once`);
        usedStates.add(state);
        const def = gateOf.get(state) as { temperature?: TemperatureDependence; rate_factor?: number; instantaneous?: boolean };
        if (def === undefined) throw fail(line, `${state} in the current's sum is not a STATE with a derivative`);
        return def;
      });
      const temperature = JSON.stringify(defs[0]?.temperature);
      if (defs.some((d) => JSON.stringify(d.temperature) !== temperature || d.rate_factor !== defs[0]?.rate_factor || d.instantaneous)) {
        throw fail(
          line,
          `the states ${f.terms.map((t) => t.state).join(", ")} of a sum in the current need one temperature factor (a fractional gate's sub-gates share theirs)`,
        );
      }
      const base = `frac${k + 1}`;
      gates.push({
        name: options.qualify ? `${base}_${suffix}` : base,
        power: f.power,
        ...(defs[0]?.temperature === undefined ? {} : { temperature: defs[0].temperature }),
        ...(defs[0]?.rate_factor === undefined ? {} : { rate_factor: defs[0].rate_factor }),
        subgates: f.terms.map(({ state, fraction }, i) => {
          const { temperature: _t, rate_factor: _r, ...kinetics } = defs[i] as Record<string, unknown>;
          return { name: options.qualify ? `${state}_${suffix}` : state, fraction, ...kinetics } as unknown as SubGateDefinition;
        }),
      });
    });
    parts.instantaneous.forEach((x, k) => {
      // named after the ASSIGNED variable that holds the factor (mInf), else inst<k>
      const holder = mod.assigned.find((d) => {
        const value = globals.get(d.name);
        return value !== undefined && sameTree(value, x.tree);
      })?.name;
      const base = holder ?? `inst${k + 1}`;
      const name = options.qualify ? `${base}_${suffix}` : base;
      if (x.tree.type !== "num" && usesCelsius(x.tree)) celsiusLeft = true;
      gates.push({
        name,
        power: x.power,
        instantaneous: true,
        inf: lawOf(x.tree, `the instantaneous factor ${base}`, (m) => fail(line, m)),
      });
    });
    if (call) {
      // the coefficient of ghk() (mA/cm² per cm/s) is the permeability in cm/s: spikelab's P·z·F·(…) is 1000·ghk() µA/cm²
      const k = ghkConstantsOf(new Evaluator(ctx, globals), call, celsius, (m) => fail(call.line, m));
      notes.push(
        `${name} = P·gates·${call.fn}(v, ${call.ion}i, ${call.ion}o) read as a GHK current (the function matches the built-in GHK current within 1e-12 at ${celsius} °C; F = ${k.faraday} C/mol, R = ${k.gas} J/(mol·K) as the file computes them)`,
      );
      channels.push({
        name: channelName,
        ion: call.ion,
        ghk: { permeability_cm_per_s: parts.coefficient, faraday_C_per_mol: k.faraday, gas_constant_J_per_mol_K: k.gas },
        gates,
      });
      continue;
    }
    channels.push({
      name: channelName,
      gMax_mS_per_cm2: scaleDecimal(parts.coefficient, 3),
      eRev_mV: parts.eRev,
      ...(ion === undefined ? {} : { ion }),
      gates,
    });
  }
  for (const s of mod.states) {
    if (!usedStates.has(s.name) && !poolStates.has(s.name))
      throw fail(s.line, `STATE ${s.name} gates no current; states other than gates are not supported yet`);
  }

  if (bindCelsius) notes.push(`celsius bound to ${celsius} °C at import (it enters more than a q10 factor on the rates)`);
  const readsInside = mod.ions.filter((u) => u.read.includes(`${u.ion}i`)).map((u) => u.ion);
  return { suffix, file, channels, pools, readsInside, celsiusBound: bindCelsius, notes, celsiusLeft };
}

/** e with every name `name` replaced by `by`. */
function substituteName(e: Expr, name: string, by: Expr): Expr {
  switch (e.type) {
    case "num":
      return e;
    case "name":
      return e.name === name ? by : e;
    case "neg":
      return { type: "neg", arg: substituteName(e.arg, name, by) };
    case "bin":
      return { ...e, left: substituteName(e.left, name, by), right: substituteName(e.right, name, by) };
    case "call":
      return { ...e, args: e.args.map((a) => substituteName(a, name, by)) };
    case "select":
      return {
        ...e,
        left: substituteName(e.left, name, by),
        right: substituteName(e.right, name, by),
        ifTrue: substituteName(e.ifTrue, name, by),
        ifFalse: substituteName(e.ifFalse, name, by),
      };
  }
}

/**
 * A pool from ci' = A·i + B·ci + C (i the ion current in mA/cm², ci in mM, per ms): checked linear by its
 * values at four points; k = −A/1000 (mM/ms per µA/cm²), τ = −1/B (ms), resting = C·τ (mM).
 */
function linearPool(ion: string, d: Expr, fail: (m: string) => Error): ConcentrationPool {
  const ci = `${ion}i`;
  const current = `i${ion}`;
  const others = [...freeNames(d)].filter((n) => n !== ci && n !== current);
  if (others.length > 0) throw fail(`${ci}' depends on ${others.join(", ")}; a pool's derivative may depend on ${current} and ${ci} only`);
  const f = (i: number, c: number) => evaluate(bindConstants(d, { [current]: i, [ci]: c }), 0);
  const C = f(0, 0);
  const A = f(1, 0) - C;
  const B = f(0, 1) - C;
  const probe = f(-3e-3, 2e-3);
  const linear = C - 3e-3 * A + 2e-3 * B;
  if (!(Math.abs(probe - linear) <= 1e-9 * (Math.abs(C) + Math.abs(A) + Math.abs(B))) || !(B < 0)) {
    throw fail(`${ci}' must be linear in ${current} and ${ci}, decaying (a − b·${ci} with b > 0): ${ci}' = A·${current} + B·${ci} + C`);
  }
  const tau = -1 / B;
  return { decay_ms: tau, resting_mM: C * tau, rho_mM_cm2_per_uA_ms: -A / 1000 };
}
