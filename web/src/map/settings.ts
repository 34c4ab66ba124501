/**
 * The parameter map's settings as data: which axes a model offers (amplitude and its per-neuron
 * parameters), their units and default ranges, the axes kept when the model changes, the sweep spec a
 * grid asks for (checked by the library), and which field a library message names.
 */
import { activeBlocks, blockedGrid } from "../blockState.js";
import { prettyUnit } from "../controls.js";
import { blockedConductances, blocksLabel, linspace, modelParameters, parseSweepSpec, type SweepSpecInput } from "../lib.js";
import { modelOf, modelRef } from "../models.js";
import type { LabState, MapSettings } from "../state.js";

/** Amplitude and every model parameter that may vary per neuron (constants are one value per run). */
export function axisOptions(model: string): { value: string; label: string }[] {
  const m = modelOf(model);
  const params = m ? modelParameters(m).filter((p) => !Object.hasOwn(m.constants ?? {}, p.name)) : [];
  return [
    { value: "amplitude", label: "amplitude (µA/cm²)" },
    ...params.map((p) => ({ value: p.name, label: `${p.name} (${prettyUnit(p.unit)})` })),
  ];
}

/** The unit of an axis as shown ("µA/cm²", "mS/cm²", …; "" when it has none). */
export function unitOf(model: string, axis: string): string {
  if (axis === "amplitude") return "µA/cm²";
  const m = modelOf(model);
  const p = m ? modelParameters(m).find((q) => q.name === axis) : undefined;
  return p ? prettyUnit(p.unit) : "";
}

/**
 * An axis's title on the map: "step amplitude (µA/cm²)", "gNa (mS/cm²)"; a conductance a blocker scales is named
 * as what the neurons ran with: "effective gNa with TTX 50 % (mS/cm²)".
 */
export function axisTitle(model: string, axis: string, blockedBy = ""): string {
  const unit = unitOf(model, axis);
  const name = axis === "amplitude" ? "step amplitude" : blockedBy ? `effective ${axis} with ${blockedBy}` : axis;
  return `${name}${unit ? ` (${unit})` : ""}`;
}

/** A range that suits an axis: amplitude 0–15 µA/cm²; a conductance 0 to 2× its default (Cm ¼ to 2×); a potential ±30 mV; … */
export function axisRange(model: string, axis: string): [number, number] {
  if (axis === "amplitude") return [0, 15];
  const m = modelOf(model);
  const p = m ? modelParameters(m).find((q) => q.name === axis) : undefined;
  if (!p) return [0, 1];
  const r = (x: number) => Number(x.toPrecision(6));
  if (p.unit === "mV") return [r(p.value - 30), r(p.value + 30)];
  if (p.unit === "degC") return [0, 40];
  if (p.unit === "uF/cm2") return [r(p.value / 4), r(p.value * 2)];
  if (p.value > 0) return [0, r(p.value * 2)];
  return [0, 1];
}

/**
 * The model changed: keep the axes it still has, otherwise amplitude × its first conductance (each
 * replaced axis gets its default range). Changes `m` in place; returns the axes it replaced.
 */
export function keepAxes(model: string, m: MapSettings): ("x" | "y")[] {
  const opts = axisOptions(model);
  const has = (v: string) => opts.some((o) => o.value === v);
  const replaced: ("x" | "y")[] = [];
  for (const a of ["x", "y"] as const) {
    if (has(m[a]) && m[a] !== (a === "x" ? m.y : m.x)) continue;
    const other = a === "x" ? m.y : m.x;
    m[a] =
      a === "x" && other !== "amplitude"
        ? "amplitude"
        : (opts.find((o) => o.value !== other && o.value.startsWith("g"))?.value ?? (opts.find((o) => o.value !== other)?.value as string));
    [m[`${a}From`], m[`${a}To`]] = axisRange(model, m[a]);
    replaced.push(a);
  }
  return replaced;
}

/**
 * The grid of the map's settings and its sweep spec, checked by the library (its own messages) before any work.
 * `xs`, `ys` are the values asked for (the From/To fields, as `spikelab sweep --param` takes them); `ranXs`, `ranYs`
 * the values the neurons ran with (a conductance blocked by TTX/TEA scaled: what the axes, readout and CSV show);
 * `blockedBy` names the block of each axis it scales ("TTX 50 %"; "" for none).
 */
export function mapGrid(s: LabState): {
  xs: Float64Array;
  ys: Float64Array;
  ranXs: Float64Array;
  ranYs: Float64Array;
  blockedBy: { x: string; y: string };
  spec: SweepSpecInput;
} {
  const m = s.map;
  const xs = linspace(m.xFrom, m.xTo, m.xCount);
  const ys = linspace(m.yFrom, m.yTo, m.yCount);
  if (m.x === m.y) throw new Error(`the two axes must differ; both are "${m.x}"`);
  const grid = blockedGrid(s, Object.fromEntries(Object.entries(s.params).filter(([k]) => k !== m.x && k !== m.y)), [
    // row-major, the last axis fastest: point iy·nx + ix
    { name: m.y, values: Array.from(ys) },
    { name: m.x, values: Array.from(xs) },
  ]);
  const spec: SweepSpecInput = {
    model: modelRef(s.model),
    method: s.method,
    dt_ms: s.dt,
    duration_ms: m.duration,
    start_ms: m.start,
    stop_ms: m.stop,
    // the blocked conductances (TTX, TEA) scaled, an axis over one has its values scaled
    ...grid,
  };
  parseSweepSpec(spec);
  const blocks = activeBlocks(s);
  const model = modelOf(s.model);
  const scaled = model && Object.keys(blocks).length ? blockedConductances(model, blocks) : [];
  const by = (axis: string) =>
    blocksLabel(Object.fromEntries(scaled.filter((b) => b.parameter === axis).map((b) => [b.blocker, blocks[b.blocker]])));
  return {
    xs,
    ys,
    ranXs: Float64Array.from(grid.axes[1]?.values ?? xs),
    ranYs: Float64Array.from(grid.axes[0]?.values ?? ys),
    blockedBy: { x: by(m.x), y: by(m.y) },
    spec,
  };
}

/** The map field a library message names by its first word (stop_ms, stimulus.start_ms, duration_ms), or null. */
export function fieldOfMessage(message: string): "start" | "stop" | "duration" | null {
  const head = message.split(" ")[0] ?? "";
  return /stop_ms$/.test(head) ? "stop" : /start_ms$/.test(head) ? "start" : /duration_ms$/.test(head) ? "duration" : null;
}
