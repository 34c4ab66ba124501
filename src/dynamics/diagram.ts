/**
 * The whole one-parameter bifurcation diagram of a model: the branch of equilibria, the branch of periodic
 * orbits from every Hopf point (and, for a type-I model without one, from a simulated orbit), and what
 * they say about excitability: where the rest state loses stability, where repetitive firing starts and how.
 */
import type { NeuronModel } from "../models/types.js";
import { type CycleBranch, type CyclePoint, cyclesFromHopf, cyclesFromOrbit } from "./cycles.js";
import { type EquilibriumBranch, equilibriumBranch, family } from "./equilibriumBranch.js";
import { CURRENT } from "./field.js";
import { orbitBySimulation } from "./orbit.js";

export interface NamedPoint {
  /** "Hopf (subcritical)", "saddle-node", "fold of cycles", "SNIC", "homoclinic". */
  readonly name: string;
  readonly p: number;
  readonly V_mV: number;
  /** Frequency (Hz) of the orbit there, where one is born or folds (Hopf: ω/2π; fold of cycles: 1/T). */
  readonly frequency_Hz?: number;
}

export interface Excitability {
  /** "class 1 (SNIC)", "class 2 (subcritical Hopf)", "class 2 (supercritical Hopf)", or "undetermined". */
  readonly class: string;
  /** Where the rest state (the lowest equilibrium) stops being stable. */
  readonly restLosesStability?: NamedPoint;
  /** The smallest parameter value with a stable periodic orbit: the onset of sustained (repetitive) firing. */
  readonly sustainedFiringThreshold?: NamedPoint;
  /** The frequency (Hz) at that onset (0 at a SNIC). */
  readonly onsetFrequency_Hz?: number;
  /** In words. */
  readonly summary: string;
}

/**
 * Bursting found by simulation where a cycle branch would start: the return map of the spikes (the state at each
 * upward crossing of −20 mV) comes back after several spikes, so the stable periodic orbit is a burst. The cycle
 * continuation follows orbits with one spike per period; a burst's branch is not continued.
 */
export interface Burst {
  readonly p: number;
  /** The burst's period: from a spike to the same spike of the next burst (ms). */
  readonly period_ms: number;
  readonly spikes_per_burst: number;
  /** The state at the burst's first crossing. */
  readonly state: Float64Array;
}

export interface BifurcationDiagram {
  readonly model: string;
  readonly parameter: string;
  readonly range: readonly [number, number];
  readonly parameters: Readonly<Record<string, number>>;
  readonly equilibria: EquilibriumBranch;
  readonly cycles: readonly CycleBranch[];
  /** Bursting found where a cycle branch was sought (then that branch is not computed; see Burst). */
  readonly bursts: readonly Burst[];
  readonly points: readonly NamedPoint[];
  readonly excitability: Excitability;
  /** Notes on what could not be computed (kept, with what was). */
  readonly notes: readonly string[];
  /** What the computation approximates of the model, in words (field.ts `held`): none today, concentration pools are states. */
  readonly assumptions: readonly string[];
  readonly elapsed_ms: number;
}

export interface DiagramOptions {
  readonly parameter?: string;
  readonly from: number;
  readonly to: number;
  readonly parameters?: Readonly<Record<string, number>>;
  /** Segments of each orbit (default 30, cycles.ts SEGMENTS). */
  readonly segments?: number;
  /** Largest period before an orbit's branch is called homoclinic/SNIC (ms; default 300). */
  readonly maxPeriod_ms?: number;
}

const cycleV = (c: CyclePoint) => c.Vmax_mV;

/**
 * The bifurcation diagram of a model in one parameter (the injected current in µA/cm² by default): the branch of
 * equilibria with stability, saddle-node and Hopf points (with the first Lyapunov coefficient), the periodic orbits
 * from each Hopf point (period in ms, V extrema in mV, Floquet multipliers, folds), and the excitability class.
 */
export function bifurcationDiagram(model: NeuronModel, o: DiagramOptions): BifurcationDiagram {
  const t0 = performance.now();
  const parameter = o.parameter ?? CURRENT;
  const parameters = o.parameters ?? {};
  const eq = equilibriumBranch(model, { parameter, from: o.from, to: o.to, parameters });
  const fam = family(model, parameter, parameters);
  const lo = Math.min(o.from, o.to);
  const hi = Math.max(o.from, o.to);
  const span = hi - lo;
  const saddleNodes = eq.bifurcations.filter((b) => b.kind === "fold").map((b) => b.point.p);
  const range: [number, number] = [lo - span, hi];
  const copts = { range, saddleNodes, segments: o.segments, maxPeriod_ms: o.maxPeriod_ms ?? 300 };
  const cycles: CycleBranch[] = [];
  const bursts: Burst[] = [];
  const notes: string[] = [];
  if (!eq.complete) notes.push(`equilibria: ${eq.stop}`);
  for (const b of eq.bifurcations) {
    if (b.kind !== "hopf") continue;
    // a branch already ended at this Hopf point (it is the same branch)
    if (cycles.some((c) => c.end.kind === "hopf" && Math.abs(c.end.p - b.point.p) < 0.1 * span)) continue;
    const c = cyclesFromHopf(fam, { ...b.point, omega_per_ms: b.omega_per_ms }, copts);
    cycles.push(c);
  }
  // a saddle-node of the rest state with no cycle branch ending there: look for a SNIC from a simulated orbit
  const rest = eq.points[0];
  const firstSn = saddleNodes.filter((p) => p >= lo).sort((a, b) => a - b)[0];
  if (firstSn !== undefined && rest && !cycles.some((c) => c.end.kind === "snic")) {
    const p1 = firstSn + Math.min(0.1 * (hi - firstSn), Math.max(0.05, 20 * Math.abs(firstSn) * 1e-2));
    const field = fam.at(p1);
    const orbit = orbitBySimulation(field, Float64Array.from(rest.state));
    if (orbit && orbit.spikes > 1) bursts.push({ p: p1, period_ms: orbit.period_ms, spikes_per_burst: orbit.spikes, state: orbit.state });
    else if (orbit) {
      for (const dir of [-1, 1] as const) {
        const c = cyclesFromOrbit(fam, { ...orbit, p: p1 }, dir, copts);
        if (typeof c === "string") notes.push(c);
        else cycles.push(c);
      }
    } else notes.push(`no regular firing found by simulation at ${parameter} = ${p1.toPrecision(5)} (above the saddle-node)`);
  }

  // a Hopf point where no orbit could be started is not a gap when another branch ends there (the same branch,
  // computed from its other end, e.g. from a SNIC); otherwise say so
  const unreached = (c: CycleBranch) =>
    c.end.kind === "failed" &&
    c.points.length === 0 &&
    cycles.some((o) => o !== c && o.end.kind === "hopf" && Math.abs(o.end.p - c.end.p) < 0.1 * span);
  const gaps = cycles.filter((c) => c.end.kind === "failed" && !unreached(c) && c.origin.startsWith("Hopf"));
  notes.splice(eq.complete ? 0 : 1, 0, ...gaps.map((c) => `cycles from the ${c.origin}: ${c.stop}`));
  cycles.splice(0, cycles.length, ...cycles.filter((c) => !unreached(c)));
  const points: NamedPoint[] = [];
  for (const b of eq.bifurcations) {
    if (b.kind === "fold") points.push({ name: "saddle-node", p: b.point.p, V_mV: b.point.V_mV });
    else
      points.push({
        name: `Hopf${b.criticality ? ` (${b.criticality})` : ""}`,
        p: b.point.p,
        V_mV: b.point.V_mV,
        frequency_Hz: b.frequency_Hz,
      });
  }
  for (const c of cycles) {
    for (const f of c.folds) points.push({ name: "fold of cycles", p: f.p, V_mV: cycleV(f), frequency_Hz: 1000 / f.period_ms });
    if (c.end.kind === "snic" || c.end.kind === "homoclinic") {
      const last = c.points[c.points.length - 1];
      points.push({
        name: c.end.kind === "snic" ? "SNIC" : "homoclinic",
        p: c.end.p,
        V_mV: last ? last.Vmin_mV : Number.NaN,
        frequency_Hz: 0,
      });
    }
  }
  // dedupe points found twice (two branches through the same fold)
  const unique = points.filter(
    (q, i) => points.findIndex((r) => r.name === q.name && Math.abs(r.p - q.p) < 1e-6 * Math.max(1, Math.abs(q.p))) === i,
  );
  unique.sort((a, b) => a.p - b.p);

  // excitability: the first loss of stability of the rest state, and the lowest stable cycle
  let restLoses: NamedPoint | undefined;
  for (let i = 1; i < eq.points.length; i++) {
    const a = eq.points[i - 1];
    const b = eq.points[i];
    if (a?.stable && b && !b.stable) {
      restLoses = unique.filter((q) => q.name !== "fold of cycles").sort((x, y) => Math.abs(x.p - a.p) - Math.abs(y.p - a.p))[0];
      break;
    }
  }
  let onset: CyclePoint | undefined;
  for (const c of cycles) for (const q of c.points) if (q.stable && q.p >= lo && (!onset || q.p < onset.p)) onset = q;
  const onsetPoint = onset
    ? (unique.find((q) => (q.name === "fold of cycles" || q.name === "SNIC") && Math.abs(q.p - (onset as CyclePoint).p) < 0.02 * span) ?? {
        name: "lowest stable cycle computed",
        p: onset.p,
        V_mV: onset.Vmax_mV,
        frequency_Hz: 1000 / onset.period_ms,
      })
    : undefined;
  let cls = "undetermined";
  let summary = "no stable periodic orbit was found in the range";
  if (onsetPoint?.name === "SNIC") {
    cls = "class 1 (SNIC)";
    summary = `firing starts at zero frequency at a saddle-node on an invariant circle, ${parameter} = ${onsetPoint.p.toPrecision(6)}`;
  } else if (restLoses?.name.startsWith("Hopf")) {
    cls = `class 2 (${restLoses.name.includes("subcritical") ? "subcritical" : "supercritical"} Hopf)`;
    summary =
      onsetPoint !== undefined
        ? `the rest state loses stability at a ${restLoses.name} at ${parameter} = ${restLoses.p.toPrecision(6)}; sustained firing starts at ${onsetPoint.name} ${parameter} = ${onsetPoint.p.toPrecision(6)} at ${(onsetPoint.frequency_Hz ?? 0).toFixed(1)} Hz (non-zero)${onsetPoint.p < restLoses.p ? ", bistable between them" : ""}`
        : `the rest state loses stability at a ${restLoses.name} at ${parameter} = ${restLoses.p.toPrecision(6)}`;
  } else if (onsetPoint) {
    summary = `sustained firing starts at ${onsetPoint.name} ${parameter} = ${onsetPoint.p.toPrecision(6)}`;
  } else if (bursts.length > 0) {
    const b = bursts[0] as Burst;
    cls = "bursting";
    summary = `${restLoses ? `the rest state loses stability at a ${restLoses.name} at ${parameter} = ${restLoses.p.toPrecision(6)}; ` : ""}at ${parameter} = ${b.p.toPrecision(6)} the model bursts: ${b.spikes_per_burst} spikes every ${b.period_ms.toFixed(1)} ms (by simulation: the spikes' return map comes back after ${b.spikes_per_burst} spikes). The periodic branch there is a burst, which the cycle continuation (multiple shooting, one spike per period) does not follow: no cycle branch is drawn`;
  }
  return {
    model: model.name,
    parameter,
    range: [o.from, o.to],
    parameters,
    equilibria: eq,
    cycles,
    bursts,
    points: unique,
    excitability: {
      class: cls,
      ...(restLoses ? { restLosesStability: restLoses } : {}),
      ...(onsetPoint
        ? { sustainedFiringThreshold: onsetPoint, onsetFrequency_Hz: onsetPoint.name === "SNIC" ? 0 : onsetPoint.frequency_Hz }
        : {}),
      summary,
    },
    notes,
    assumptions: fam.at(lo).held,
    elapsed_ms: performance.now() - t0,
  };
}
