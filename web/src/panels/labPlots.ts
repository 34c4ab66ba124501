/**
 * The live lab's three plots (membrane potential with its annotations, gating variables, currents), each
 * with PNG and SVG downloads, built for a model's variables; the measurements and the annotations in
 * words sit between the first two.
 */
import type { Mark } from "../annotations.js";
import { el } from "../controls.js";
import { download } from "../download.js";
import type { FigureSpec } from "../figure.js";
import { builtinModels, type NeuronModel, stateNames, variableColor } from "../lib.js";
import { modelOf } from "../models.js";
import { LivePlot } from "../plots.js";
import type { RunReply } from "../protocol.js";

export class LabPlots {
  private v: LivePlot | null = null;
  private gates: LivePlot | null = null;
  private gateNames: string[] = [];
  private currents: LivePlot | null = null;
  private currentNames: string[] = [];
  private currentsBox: HTMLElement | null = null;
  /** The model select's value the plots are built for (null: none yet). */
  model: string | null = null;

  /** `between`: what goes between the V plot and the gates (the measurements, the annotations in words). */
  constructor(
    private readonly box: HTMLElement,
    private readonly between: () => HTMLElement[],
  ) {}

  private plotBox(id: string, name: string, spec: FigureSpec, height: number): { box: HTMLElement; plot: LivePlot } {
    const png = el("button", { class: "small", type: "button", "aria-label": `Download ${name} as PNG` }, "PNG");
    const svg = el("button", { class: "small", type: "button", "aria-label": `Download ${name} as SVG` }, "SVG");
    const target = el("div");
    const box = el("div", { class: "plot", id }, el("div", { class: "plot-tools" }, png, svg), target);
    this.box.append(box);
    const plot = new LivePlot(target, spec, height, "lab");
    png.addEventListener("click", async () => download(`spikelab-${id}.png`, await plot.toPng()));
    svg.addEventListener("click", () => download(`spikelab-${id}.svg`, plot.toSvg(), "image/svg+xml"));
    return { box, plot };
  }

  /** Builds the plots for a model (a select value) unless they are built for it; true when it built them. */
  build(model: string, currentsShown: boolean): boolean {
    if (this.model === model) return false;
    for (const p of [this.v, this.gates, this.currents]) p?.destroy();
    this.box.replaceChildren();
    const m = modelOf(model) ?? (builtinModels.lab as NeuronModel);
    const gateNames = stateNames(m).slice(1);
    const currentNames = [...m.channels.map((c) => `I_${c.name}`), "I_inj"];
    const v = this.plotBox(
      "plot-v",
      "the membrane-potential plot",
      {
        title: "Membrane potential",
        xLabel: "t (ms)",
        yLabel: "V (mV)",
        series: [{ label: "V", unit: "mV", color: variableColor("V") }],
        // room below the trace for the refractory labels and above it for "action potential"
        yRangeOf: (min, max) => {
          const span = Math.max(max - min, 20);
          return [Math.floor((min - 0.3 * span) / 10) * 10, Math.ceil((max + 0.3 * span) / 10) * 10];
        },
      },
      300,
    );
    this.box.append(...this.between());
    const gates = gateNames.length
      ? this.plotBox(
          "plot-gates",
          "the gating-variable plot",
          {
            title: "Gating variables",
            xLabel: "t (ms)",
            yLabel: "open fraction (1)",
            yRange: [0, 1],
            series: gateNames.map((g, i) => ({ label: g, unit: "", color: variableColor(g, i), digits: 3 })),
          },
          200,
        )
      : null;
    const currents = this.plotBox(
      "plot-currents",
      "the current plot",
      {
        title: "Currents (ionic: outward positive; injected: inward positive)",
        xLabel: "t (ms)",
        yLabel: "I (µA/cm²)",
        series: currentNames.map((c, i) => ({
          label: c,
          unit: "µA/cm²",
          color: variableColor(c, i),
          ...(c === "I_inj" ? { dash: [6, 4] } : {}),
        })),
      },
      220,
    );
    this.model = model;
    this.v = v.plot;
    this.gates = gates?.plot ?? null;
    this.gateNames = gateNames;
    this.currents = currents.plot;
    this.currentNames = currentNames;
    this.currentsBox = currents.box;
    this.currentsBox.hidden = !currentsShown;
    return true;
  }

  /** Shows or hides the current plot. */
  showCurrents(on: boolean): void {
    if (this.currentsBox) this.currentsBox.hidden = !on;
  }

  /** Draws a run: V with its marks, the gates, and the currents when shown. */
  set(reply: RunReply, marks: Mark[], currents: boolean): void {
    const t = reply.t_ms;
    const none = new Float64Array(t.length).fill(Number.NaN);
    this.v?.set({ x: t, ys: [reply.traces.V ?? none], marks });
    this.gates?.set({ x: t, ys: this.gateNames.map((g) => reply.traces[g] ?? none) });
    if (currents) this.currents?.set({ x: t, ys: this.currentNames.map((c) => reply.traces[c] ?? none) });
  }
}
