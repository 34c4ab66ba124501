/** A neuron model as a notebook view: its channels and gates, and the steady states x∞(V) and time constants τ(V). */
import * as Plot from "@observablehq/plot";
import { restingPotentialOf } from "../experiments/rest.js";
import { type CompiledGate, compileModel, isFractionalGate, subgateDefinition } from "../models/compile.js";
import { type ModelRef, resolveModel } from "../models/index.js";
import type { RateLaw } from "../models/rates.js";
import type { GateDefinition, NeuronModel } from "../models/types.js";
import { compose, FONT, svgEl, textBlock } from "../plot/compose.js";
import type { MV } from "../units.js";
import { docOf, type ViewOptions } from "./document.js";
import { heading, keyValues, num, table, textLines, withUnit } from "./html.js";
import { View } from "./protocol.js";

/** A rate law in words: an expression as written, a standard form with its constants. */
export function describeLaw(law: RateLaw): string {
  if (law.form === "expr") return law.expr;
  const n = (x: number) => `${+x.toPrecision(12)}`;
  return `${law.form}(rate ${n(law.rate)}, midpoint ${n(law.midpoint_mV)} mV, scale ${n(law.scale_mV)} mV)`;
}

const kinetics = (g: GateDefinition): string =>
  "alpha" in g
    ? `α = ${describeLaw(g.alpha)} (1/ms); β = ${describeLaw(g.beta)} (1/ms)`
    : `x∞ = ${describeLaw(g.inf)}${g.tau ? `; τ = ${describeLaw(g.tau)} (ms)` : ""}`;

/** The temperature and rate factor of a gate at the model's own temperature (1 without temperature dependence). */
function factorOf(model: NeuronModel, g: CompiledGate): number {
  const temp = g.temperature ?? model.temperature;
  const q = temp && model.celsius !== undefined ? temp.q10 ** ((model.celsius - temp.reference_celsius) / 10) : 1;
  return g.rateFactor * q;
}

/** τ(V) of a gate (ms) at the model's temperature; null for an instantaneous gate. */
function tauOf(model: NeuronModel, g: CompiledGate, v: MV): number | null {
  if (g.instantaneous) return null;
  const phi = factorOf(model, g);
  if (g.alpha && g.beta) return 1 / ((g.alpha(v) + g.beta(v)) * phi);
  return g.tau ? g.tau(v) / phi : null;
}

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };
const COLORS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

/** The model figure: x∞(V) and τ(V) of every gate over [−100, 60] mV, the resting potential marked. */
function modelFigure(doc: Document, model: NeuronModel, rest: MV | null, title: string): string {
  const compiled = compileModel(model);
  const vs = Array.from({ length: 321 }, (_, i) => -100 + i * 0.5);
  const gates = compiled.gates;
  const color = { domain: gates.map((g) => g.name), range: gates.map((_, i) => COLORS[i % COLORS.length] as string) };
  const inf = gates.flatMap((g) => vs.map((v) => ({ V: v, x: g.steady(v), gate: g.name })));
  const tau = gates.flatMap((g) =>
    vs.flatMap((v) => (tauOf(model, g, v) === null ? [] : [{ V: v, tau: tauOf(model, g, v) as number, gate: g.name }])),
  );
  const restMark = rest === null ? [] : [Plot.ruleX([rest], { stroke: "#999", strokeDasharray: "4,3" })];
  const panel = (marks: Plot.Markish[], y: Plot.ScaleOptions) =>
    Plot.plot({
      document: doc,
      width: 440,
      height: 290,
      marginLeft: 50,
      marginRight: 20,
      style,
      x: { label: "V (mV)", domain: [-100, 60] },
      y: { ...y, grid: true },
      color,
      marks: [...restMark, ...marks],
    }) as Element;
  const a = panel([Plot.line(inf, { x: "V", y: "x", stroke: "gate" })], { label: "steady state x∞", domain: [0, 1] });
  const b = panel([Plot.line(tau, { x: "V", y: "tau", stroke: "gate" })], { label: "time constant τ (ms)", type: "log", tickFormat: "~g" });
  const legend = svgEl(doc, "g", { "font-size": 13 });
  gates.forEach((g, i) => {
    legend.appendChild(svgEl(doc, "rect", { x: i * 90, y: 0, width: 14, height: 4, fill: color.range[i] as string }));
    legend.appendChild(svgEl(doc, "text", { x: i * 90 + 20, y: 6, fill: "#222" }, `${g.name} (${g.channel})`));
  });
  const sub = (s: string) => textBlock(doc, [s], 13);
  const temp = model.celsius !== undefined ? ` at ${model.celsius} °C` : "";
  const items = [
    { el: textBlock(doc, [title], 15), x: 10, y: 0 },
    { el: legend, x: 20, y: 34 },
    { el: sub(`A  steady states x∞(V)${rest === null ? "" : `; dashed: rest ${rest.toFixed(2)} mV`}`), x: 10, y: 44 },
    { el: sub(`B  time constants τ(V)${temp}`), x: 460, y: 44 },
    { el: a, x: 0, y: 70 },
    { el: b, x: 450, y: 70 },
  ];
  return compose(doc, 900, 370, items, `${title}: steady states and time constants of the gates`);
}

/**
 * A model (a built-in's name, a model object or file contents parsed by `parseModel`) as a notebook view:
 * membrane, channels (mS/cm², mV) and gates with their kinetics, the resting potential, and a figure of
 * every gate's x∞(V) and τ(V).
 */
export function modelView(ref: ModelRef, options: ViewOptions = {}): View {
  const model = resolveModel(ref);
  const title = options.title ?? `${model.name}: ${model.title}`;
  const rest = restingPotentialOf(model);
  const rows: [string, string][] = [
    ["source", model.source],
    ["membrane capacitance Cm", withUnit(model.cm_uF_per_cm2, "µF/cm²", 2)],
    ["initial potential V0", model.v0_mV === "rest" ? "the resting potential" : withUnit(model.v0_mV, "mV", 2)],
    ["resting potential", withUnit(rest, "mV", 2)],
    ...(model.celsius === undefined ? [] : ([["temperature", `${model.celsius} °C`]] as [string, string][])),
  ];
  const channels = model.channels.map((c) => [
    c.name,
    c.ghk ? `P ${num(c.ghk.permeability_cm_per_s, 3)} cm/s` : num(c.gMax_mS_per_cm2, 3),
    c.ghk ? `GHK (${c.ion})` : c.eRev_mV === "nernst" ? `Nernst (${c.ion})` : num(c.eRev_mV, 1),
    c.gates.length === 0 ? "leak" : c.gates.map((g) => `${g.name}${g.power === 1 ? "" : `^${g.power}`}`).join("·"),
  ]);
  const gates = model.channels.flatMap((c) =>
    c.gates.flatMap((g) =>
      isFractionalGate(g)
        ? [
            [g.name, c.name, `${g.power}`, "fractional", g.subgates.map((s) => `${+s.fraction.toPrecision(6)}·${s.name}`).join(" + ")],
            ...g.subgates.map((s) => [s.name, c.name, "", `sub-gate of ${g.name}`, kinetics(subgateDefinition(g, s))]),
          ]
        : [[g.name, c.name, `${g.power}`, g.instantaneous ? "instantaneous" : "state", kinetics(g)]],
    ),
  );
  return new View({
    text: () =>
      [
        textLines(title, rows),
        ...model.channels.map(
          (c) =>
            `  channel ${c.name}: ${c.ghk ? `GHK (${c.ion}), P ${num(c.ghk.permeability_cm_per_s, 3)} cm/s` : `g ${num(c.gMax_mS_per_cm2, 3)} mS/cm², E ${c.eRev_mV === "nernst" ? `Nernst (${c.ion})` : `${num(c.eRev_mV, 1)} mV`}`}${c.gates.length ? `, gates ${c.gates.map((g) => `${g.name}^${g.power}`).join(" ")}` : ", leak"}`,
        ),
      ].join("\n"),
    summary: () =>
      heading(title) +
      keyValues(rows) +
      table(["channel", "g (mS/cm²)", "E (mV)", "open fraction"], channels, "channels: I = g · open fraction · (V − E)") +
      (gates.length ? table(["gate", "channel", "power", "kind", "kinetics (V in mV)"], gates, "gates") : ""),
    svg: () => (model.channels.some((c) => c.gates.length > 0) ? modelFigure(docOf(options), model, rest, title) : null),
  });
}
