/**
 * The live lab's plots (membrane potential with its annotations, gating variables, the pools' concentrations for
 * a model with a pool, currents), each with PNG and SVG downloads, built for a model's variables; the
 * measurements and the annotations in words sit between the first two.
 */
import type { Mark } from "../annotations.js";
import { el } from "../controls.js";
import { download } from "../download.js";
import type { FigureSpec } from "../figure.js";
import { builtinModels, type NeuronModel, poolNames, stateNames, variableColor } from "../lib.js";
import { modelOf } from "../models.js";
import { LivePlot, YAxisGroup } from "../plots.js";
import type { RunReply } from "../protocol.js";

export class LabPlots {
  private v: LivePlot | null = null;
  private gates: LivePlot | null = null;
  private gatesBox: HTMLElement | null = null;
  private gateNames: string[] = [];
  /** The pools' concentrations (mM, e.g. `cai`): their own plot, not the gates' 0–1 axis; none without a pool. */
  private pools: LivePlot | null = null;
  private poolsBox: HTMLElement | null = null;
  private poolNames: string[] = [];
  /** Made when first shown (the "Ionic currents" toggle): a model switch never builds a hidden plot. */
  private currents: LivePlot | null = null;
  private currentNames: string[] = [];
  private currentsBox: HTMLElement | null = null;
  /** The variables plotted (gate, pool and current names): models with the same ones share the plots. */
  private key = "";
  /** The plots' y axes share one width: their time axes line up, one under the other. */
  private readonly yAxes = new YAxisGroup();
  /** The model select's value the plots are built for (null: none yet). */
  model: string | null = null;

  /** `between`: what goes between the V plot and the gates (the measurements, the annotations in words). */
  constructor(
    private readonly box: HTMLElement,
    private readonly between: () => HTMLElement[],
  ) {}

  private plotBox(id: string, name: string, spec: FigureSpec, height: number, width?: number): { box: HTMLElement; plot: LivePlot } {
    const png = el("button", { class: "small", type: "button", "aria-label": `Download ${name} as PNG` }, "PNG");
    const svg = el("button", { class: "small", type: "button", "aria-label": `Download ${name} as SVG` }, "SVG");
    const target = el("div");
    const box = el("div", { class: "plot", id }, el("div", { class: "plot-tools" }, png, svg), target);
    this.box.append(box);
    const plot = new LivePlot(target, spec, height, "lab", width, this.yAxes);
    png.addEventListener("click", async () => download(`spikelab-${id}.png`, await plot.toPng()));
    svg.addEventListener("click", () => download(`spikelab-${id}.svg`, plot.toSvg(), "image/svg+xml"));
    return { box, plot };
  }

  /**
   * Makes the plots fit a model (a select value); true when the caller should redraw its last run of that model.
   * A model with the same variables (lab, hh1952, traub-miles) keeps the plots; with other variables the voltage
   * plot stays (the same for every model) and the gate plot is made anew, as wide as it (no layout is read while
   * the page changes); the current plot is made only when shown.
   */
  build(model: string, currentsShown: boolean): boolean {
    if (this.model === model) return false;
    const m = modelOf(model) ?? (builtinModels.lab as NeuronModel);
    const pools = poolNames(m);
    const gateNames = stateNames(m)
      .slice(1)
      .filter((s) => !pools.includes(s));
    const currentNames = [...m.channels.map((c) => `I_${c.name}`), "I_inj"];
    const key = JSON.stringify([gateNames, pools, currentNames]);
    this.model = model;
    if (this.v && this.key === key) return true;
    const width = this.v?.u.width;
    for (const p of [this.gates, this.pools, this.currents]) p?.destroy();
    this.gatesBox?.remove();
    this.poolsBox?.remove();
    this.currentsBox?.remove();
    this.currents = null;
    this.currentsBox = null;
    this.v ??= this.voltagePlot();
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
          width,
        )
      : null;
    this.key = key;
    this.gates = gates?.plot ?? null;
    this.gatesBox = gates?.box ?? null;
    this.gateNames = gateNames;
    const conc = pools.length ? this.poolsPlot(pools, width) : null;
    this.pools = conc?.plot ?? null;
    this.poolsBox = conc?.box ?? null;
    this.poolNames = pools;
    this.currentNames = currentNames;
    if (currentsShown) this.currentsPlot();
    return true;
  }

  /** The membrane-potential plot, with what goes between it and the gates. */
  private voltagePlot(): LivePlot {
    this.box.replaceChildren();
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
    return v.plot;
  }

  /** The concentration plot of a model's pools (mM), below the gates: one colour per pool after the gates'. */
  private poolsPlot(pools: string[], width: number | undefined): { box: HTMLElement; plot: LivePlot } {
    const offset = this.gateNames.length;
    return this.plotBox(
      "plot-pools",
      "the concentration plot",
      {
        title: "Inside concentration (pool)",
        xLabel: "t (ms)",
        yLabel: pools.length === 1 ? `${pools[0]} (mM)` : "concentration (mM)",
        series: pools.map((c, i) => ({ label: c, unit: "mM", color: variableColor(c, offset + i), digits: 6 })),
      },
      160,
      width,
    );
  }

  /** The ionic-current plot, made the first time it is shown for the model's variables. */
  private currentsPlot(): LivePlot {
    if (this.currents) return this.currents;
    const currents = this.plotBox(
      "plot-currents",
      "the current plot",
      {
        title: "Currents (ionic: outward positive; injected: inward positive)",
        xLabel: "t (ms)",
        yLabel: "I (µA/cm²)",
        series: this.currentNames.map((c, i) => ({
          label: c,
          unit: "µA/cm²",
          color: variableColor(c, i),
          ...(c === "I_inj" ? { dash: [6, 4] } : {}),
        })),
      },
      220,
      this.v?.u.width,
    );
    this.currents = currents.plot;
    this.currentsBox = currents.box;
    return currents.plot;
  }

  /** Shows or hides the current plot (made when first shown). */
  showCurrents(on: boolean): void {
    if (on) this.currentsPlot();
    if (this.currentsBox) this.currentsBox.hidden = !on;
    if (this.currents) this.yAxes.show(this.currents.u, on);
  }

  /** Draws a run: V with its marks, the gates, the pools' concentrations, and the currents when shown. */
  set(reply: RunReply, marks: Mark[], currents: boolean): void {
    const t = reply.t_ms;
    const none = new Float64Array(t.length).fill(Number.NaN);
    this.v?.set({ x: t, ys: [reply.traces.V ?? none], marks });
    this.gates?.set({ x: t, ys: this.gateNames.map((g) => reply.traces[g] ?? none) });
    this.pools?.set({ x: t, ys: this.poolNames.map((c) => reply.traces[c] ?? none) });
    if (currents) this.currentsPlot().set({ x: t, ys: this.currentNames.map((c) => reply.traces[c] ?? none) });
  }
}
