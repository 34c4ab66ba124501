import { bindConstants, type Expr, exprToString, parseExpr } from "../expr.js";
import { type RateLaw, type StandardRateLaw, standardToExpr } from "../rates.js";
import type { ChannelGate, FractionalGateDefinition, SubGateDefinition, TemperatureDependence } from "../types.js";
import { checkAttrs, childrenOf, refuse, required } from "./element.js";
import { type Bindings, componentValue } from "./lems.js";
import { quantity } from "./units.js";
import type { El } from "./xml.js";

const FORMS: Record<string, StandardRateLaw["form"]> = {
  HHExpRate: "exp",
  HHSigmoidRate: "sigmoid",
  HHExpLinearRate: "expLinear",
  HHExpVariable: "exp",
  HHSigmoidVariable: "sigmoid",
  HHExpLinearVariable: "expLinear",
};

/** What a channel's import needs from its context: ComponentTypes by name, and the bound names (temperature, vShift). */
export interface ChannelContext {
  readonly types: ReadonlyMap<string, El>;
  /** Temperature in kelvin for LEMS expressions that require it (undefined: refused where needed). */
  readonly temperature_K?: number;
  /** The density's vShift (mV), for rates that require it; 0 under a plain channelDensity (NeuroML's default). */
  readonly vShift_mV: number;
  /** True when the cell has a calcium species: rates may read caConc (the model's `cai`, mM). */
  readonly caConc?: boolean;
}

/** An imported channel: its gates, and whether any rate read vShift. */
export interface ImportedChannel {
  readonly id: string;
  readonly species?: string;
  readonly gates: readonly ChannelGate[];
  readonly usesVShift: boolean;
  /** Whether a rate read the temperature (then its value is fixed at import). */
  readonly usesTemperature: boolean;
  /** q10ConductanceScaling, if any. */
  readonly conductanceQ10?: { readonly q10: number; readonly reference_celsius: number; readonly el: El };
}

const DIM = { rate: "per_time", time: "time", none: "none" } as const;

const toLaw = (e: Expr): RateLaw => ({ form: "expr", expr: exprToString(bindConstants(e, {})) });
const asTree = (law: RateLaw): Expr => parseExpr(law.form === "expr" ? law.expr : standardToExpr(law));

/**
 * A gate ComponentType of the documents that is an instantaneous x∞ gate (as Pospischil's IT_s_gate): it
 * extends a gate type, and its Dynamics are exactly inf = steadyState/x, q = inf, fcond = q^instances,
 * tau = 0, rateScale = 1 (no state variable).
 */
export function isInstantaneousGateType(ct: El): boolean {
  if (!["gateHHtauInf", "gateHHInstantaneous", "gateHHrates"].includes(ct.attrs.extends ?? "")) return false;
  const dyn = ct.children.filter((c) => c.tag === "Dynamics");
  if (dyn.length !== 1) return false;
  const want: Record<string, (d: El) => boolean> = {
    inf: (d) => d.attrs.select === "steadyState/x" && d.attrs.value === undefined,
    q: (d) => d.attrs.value?.trim() === "inf",
    fcond: (d) => /^\s*(q|inf)\s*\^\s*instances\s*$/.test(d.attrs.value ?? ""),
    tau: (d) => /^\s*0(\s*\*\s*\w+)?\s*$/.test(d.attrs.value ?? ""),
    rateScale: (d) => d.attrs.value?.trim() === "1",
  };
  const seen = new Set<string>();
  for (const d of (dyn[0] as El).children) {
    if (d.tag !== "DerivedVariable") return false;
    const name = d.attrs.name ?? "";
    const check = want[name];
    if (!check?.(d)) return false;
    seen.add(name);
  }
  return seen.has("inf") && seen.has("q") && seen.has("fcond");
}

/** A gate's q10Settings (at most one) as spikelab's temperature dependence or rate factor. */
function q10Of(kids: readonly El[]): { temperature?: TemperatureDependence; rate_factor?: number } {
  const q10s = kids.filter((k) => k.tag === "q10Settings");
  if (q10s.length > 1) throw refuse(q10s[1] as El, "a second q10Settings (NeuroML multiplies them) is not read; write one");
  const q10 = q10s[0];
  if (!q10) return {};
  if (q10.attrs.type === "q10ExpTemp") {
    checkAttrs(q10, ["type", "q10Factor", "experimentalTemp"]);
    return {
      temperature: {
        q10: quantity(q10.attrs.q10Factor, "none", `q10Factor at ${q10.file}, line ${q10.line}`),
        reference_celsius: quantity(q10.attrs.experimentalTemp, "temperature", `experimentalTemp at ${q10.file}, line ${q10.line}`),
      },
    };
  }
  if (q10.attrs.type === "q10Fixed") {
    // experimentalTemp is allowed on every q10Settings (the schema's Q10Settings); q10Fixed's LEMS Dynamics never read it
    checkAttrs(q10, ["type", "fixedQ10", "experimentalTemp"]);
    return { rate_factor: quantity(q10.attrs.fixedQ10, "none", `fixedQ10 at ${q10.file}, line ${q10.line}`) };
  }
  throw refuse(q10, `q10Settings type ${JSON.stringify(q10.attrs.type ?? "")}: supported q10ExpTemp, q10Fixed`);
}

type LawReader = (el: El | undefined, kind: "rate" | "time" | "none", parent: El, what: string) => RateLaw;

/**
 * NeuroML's gateFractional (NeuroML2CoreTypes/Channels.xml): q = Σ subGate fractionalConductance·q_sub, raised to
 * `instances`; each subGate a state dq/dt = (inf − q)/(τ/rateScale) from its steadyState and timeCourse, the
 * gate's q10Settings its rateScale. A spikelab fractional gate (subgates with fractions, x∞/τ kinetics).
 */
function fractionalGate(g: El, name: string, power: number, law: LawReader): FractionalGateDefinition {
  const kids = childrenOf(g, ["q10Settings", "subGate"], "a gateFractional has q10Settings and subGates");
  const subs = kids.filter((k) => k.tag === "subGate");
  if (subs.length === 0) throw refuse(g, "a gateFractional needs at least one subGate");
  const subgates = subs.map((sub): SubGateDefinition => {
    checkAttrs(sub, ["id", "fractionalConductance"]);
    const parts = childrenOf(sub, ["steadyState", "timeCourse"], "NeuroML's subGate has a steadyState and a timeCourse");
    const part = (tag: string) => parts.find((k) => k.tag === tag);
    return {
      name: required(sub, "id"),
      fraction: quantity(required(sub, "fractionalConductance"), "none", `fractionalConductance at ${sub.file}, line ${sub.line}`),
      inf: law(part("steadyState"), "none", sub, "steadyState"),
      tau: law(part("timeCourse"), "time", sub, "timeCourse"),
    };
  });
  return { name, power, ...q10Of(kids), subgates };
}

/** A channel element (ionChannel, ionChannelHH, ionChannelPassive) as spikelab gates. */
export function importChannel(ch: El, ctx: ChannelContext): ImportedChannel {
  checkAttrs(ch, ["id", "type", "species", "conductance"]);
  const id = required(ch, "id");
  const type = ch.attrs.type ?? ch.tag;
  if (!["ionChannel", "ionChannelHH", "ionChannelPassive"].includes(type)) {
    throw refuse(ch, `channel type ${JSON.stringify(type)} is not read (ionChannel, ionChannelHH, ionChannelPassive are)`);
  }
  let usesVShift = false;
  let usesTemperature = false;
  const bindings = (extra: Record<string, Expr> = {}): Bindings => ({
    v: { type: "name", name: "V" },
    ...(ctx.temperature_K !== undefined ? { temperature: { type: "num", value: ctx.temperature_K } } : {}),
    ...(ctx.caConc ? { caConc: { type: "name", name: "cai" } } : {}),
    ...extra,
  });
  /** A rate, time course or steady state: a standard form, a fixed time course, or a ComponentType of the file. */
  const law = (el: El | undefined, kind: "rate" | "time" | "none", parent: El, what: string, extra: Record<string, Expr> = {}): RateLaw => {
    if (!el) throw refuse(parent, `has no ${what}`);
    const t = required(el, "type");
    const form = FORMS[t];
    if (form) {
      checkAttrs(el, ["type", "rate", "midpoint", "scale"]);
      childrenOf(el, []);
      return {
        form,
        rate:
          el.attrs.rate === undefined && kind === "none"
            ? 1
            : quantity(el.attrs.rate, DIM[kind], `${what} rate at ${el.file}, line ${el.line}`),
        midpoint_mV: quantity(el.attrs.midpoint, "voltage", `${what} midpoint at ${el.file}, line ${el.line}`),
        scale_mV: quantity(el.attrs.scale, "voltage", `${what} scale at ${el.file}, line ${el.line}`),
      };
    }
    if (t === "fixedTimeCourse" && kind === "time") {
      checkAttrs(el, ["type", "tau"]);
      const tau = quantity(el.attrs.tau, "time", `fixedTimeCourse tau at ${el.file}, line ${el.line}`);
      if (!(tau > 0))
        throw refuse(el, `tau ${tau} ms: a time course must be > 0 (a gate with τ = 0 is instantaneous: use gateHHInstantaneous)`);
      return { form: "expr", expr: String(tau) };
    }
    const ct = ctx.types.get(t);
    if (!ct)
      throw refuse(
        el,
        `type ${JSON.stringify(t)} is neither a standard form (${Object.keys(FORMS).join(", ")}) nor a ComponentType defined in the documents`,
      );
    childrenOf(el, []);
    const shift: Record<string, Expr> = { vShift: { type: "num", value: ctx.vShift_mV } };
    const { expr, kind: k } = componentValue(ct, el, bindings({ ...shift, ...extra }));
    if (k !== kind)
      throw refuse(
        el,
        `ComponentType ${t} is a ${k === "none" ? "steady state" : k}, but a ${kind === "none" ? "steady state" : kind} is needed here`,
      );
    if (ct.children.some((c) => c.tag === "Requirement" && c.attrs.name === "vShift")) usesVShift = true;
    if (ct.children.some((c) => c.tag === "Requirement" && c.attrs.name === "temperature")) usesTemperature = true;
    return toLaw(expr);
  };

  const gates: ChannelGate[] = [];
  let conductanceQ10: ImportedChannel["conductanceQ10"];
  for (const g of childrenOf(ch, [
    "gate",
    "gateHHrates",
    "gateHHtauInf",
    "gateHHratesInf",
    "gateHHratesTau",
    "gateHHratesTauInf",
    "gateHHInstantaneous",
    "gateFractional",
    "gateKS",
    "q10ConductanceScaling",
  ])) {
    if (g.tag === "q10ConductanceScaling") {
      checkAttrs(g, ["q10Factor", "experimentalTemp"]);
      conductanceQ10 = {
        q10: quantity(g.attrs.q10Factor, "none", `q10Factor at ${g.file}, line ${g.line}`),
        reference_celsius: quantity(g.attrs.experimentalTemp, "temperature", `experimentalTemp at ${g.file}, line ${g.line}`),
        el: g,
      };
      continue;
    }
    const gtype = g.tag === "gate" ? required(g, "type") : g.tag === "gateHHrates" && g.attrs.type ? g.attrs.type : g.tag;
    if (gtype === "gateKS")
      throw refuse(g, "kinetic-scheme gates (gateKS) are not supported: spikelab's gates are two-state (α/β or x∞/τ)");
    checkAttrs(g, ["id", "type", "instances"]);
    const name = required(g, "id");
    const power = quantity(g.attrs.instances ?? "1", "none", `instances at ${g.file}, line ${g.line}`);
    if (gtype === "gateFractional") {
      gates.push(fractionalGate(g, name, power, law));
      continue;
    }
    const kids = childrenOf(g, ["q10Settings", "forwardRate", "reverseRate", "timeCourse", "steadyState"]);
    const child = (tag: string) => kids.find((k) => k.tag === tag);
    const extra = q10Of(kids);
    const allowed: Record<string, readonly string[]> = {
      gateHHrates: ["forwardRate", "reverseRate"],
      gateHHratesInstantaneous: ["forwardRate", "reverseRate"],
      gateHHtauInf: ["timeCourse", "steadyState"],
      gateHHratesInf: ["forwardRate", "reverseRate", "steadyState"],
      gateHHratesTau: ["forwardRate", "reverseRate", "timeCourse"],
      gateHHratesTauInf: ["forwardRate", "reverseRate", "timeCourse", "steadyState"],
      gateHHInstantaneous: ["steadyState"],
    };
    const custom = ctx.types.get(gtype);
    const instantaneousCustom = custom !== undefined && isInstantaneousGateType(custom);
    const parts = instantaneousCustom ? ["steadyState", "timeCourse"] : allowed[gtype];
    if (!parts) {
      const custom = ctx.types.has(gtype) ? ` (a ComponentType in the documents: spikelab does not read a gate's own Dynamics)` : "";
      throw refuse(
        g,
        `gate type ${JSON.stringify(gtype)} is not supported${custom}; supported: ${Object.keys(allowed).join(", ")}, and gate type= one of them`,
      );
    }
    for (const k of kids) if (k.tag !== "q10Settings" && !parts.includes(k.tag)) throw refuse(k, `a ${gtype} has no ${k.tag}`);
    const rates = () => {
      const alpha = law(child("forwardRate"), "rate", g, "forwardRate");
      const beta = law(child("reverseRate"), "rate", g, "reverseRate");
      return { alpha, beta, ab: { alpha: asTree(alpha), beta: asTree(beta) } };
    };
    const ratio = (a: RateLaw, b: RateLaw, top: "alpha" | "one"): RateLaw =>
      toLaw({
        type: "bin",
        op: "/",
        left: top === "alpha" ? asTree(a) : { type: "num", value: 1 },
        right: { type: "bin", op: "+", left: asTree(a), right: asTree(b) },
      });
    switch (gtype) {
      case "gateHHrates": {
        const { alpha, beta } = rates();
        gates.push({ name, power, alpha, beta, ...extra });
        break;
      }
      case "gateHHratesInstantaneous": {
        const { alpha, beta } = rates();
        gates.push({ name, power, alpha, beta, instantaneous: true });
        break;
      }
      case "gateHHtauInf":
        gates.push({
          name,
          power,
          inf: law(child("steadyState"), "none", g, "steadyState"),
          tau: law(child("timeCourse"), "time", g, "timeCourse"),
          ...extra,
        });
        break;
      case "gateHHratesInf": {
        // NeuroML: x∞ from steadyState, τ = 1/(α + β)
        const { alpha, beta, ab } = rates();
        gates.push({ name, power, inf: law(child("steadyState"), "none", g, "steadyState", ab), tau: ratio(alpha, beta, "one"), ...extra });
        break;
      }
      case "gateHHratesTau": {
        // NeuroML: x∞ = α/(α + β), τ from timeCourse
        const { alpha, beta, ab } = rates();
        gates.push({ name, power, inf: ratio(alpha, beta, "alpha"), tau: law(child("timeCourse"), "time", g, "timeCourse", ab), ...extra });
        break;
      }
      case "gateHHratesTauInf": {
        // NeuroML: x∞ and τ from their elements; α and β only as the Requirements those may read
        const { ab } = rates();
        gates.push({
          name,
          power,
          inf: law(child("steadyState"), "none", g, "steadyState", ab),
          tau: law(child("timeCourse"), "time", g, "timeCourse", ab),
          ...extra,
        });
        break;
      }
      case "gateHHInstantaneous":
        gates.push({ name, power, instantaneous: true, inf: law(child("steadyState"), "none", g, "steadyState") });
        break;
      default: // a custom gate type whose Dynamics are q = x∞ (isInstantaneousGateType); its timeCourse is not read by them
        gates.push({ name, power, instantaneous: true, inf: law(child("steadyState"), "none", g, "steadyState") });
    }
  }
  if (type === "ionChannelPassive" && gates.length > 0) throw refuse(ch, "an ionChannelPassive has no gates");
  const species = ch.attrs.species === undefined || ch.attrs.species === "" ? undefined : ch.attrs.species;
  return { id, ...(species ? { species } : {}), gates, usesVShift, usesTemperature, ...(conductanceQ10 ? { conductanceQ10 } : {}) };
}
