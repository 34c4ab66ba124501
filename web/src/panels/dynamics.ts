/**
 * The Dynamics view: the bifurcation diagram of the live lab's model and parameters in the injected current
 * (equilibria, Hopf and saddle-node points, periodic orbits and their folds, the excitability class) and the
 * phase plane at the lab's amplitude, both drawn by the library's own figure functions (src/plot), computed
 * in a worker; the live lab's run is drawn in the phase plane as it runs (dynamicsLive.ts); export as SVG, PNG
 * and JSON.
 */
import type { BifurcationDiagram } from "../../../src/dynamics/diagram.js";
import type { PhasePlane } from "../../../src/dynamics/phasePlane.js";
import { blockedParams } from "../blockState.js";
import { el, numberField } from "../controls.js";
import { download } from "../download.js";
import type { DynamicsRequest } from "../dynamics.worker.js";
import { type LiveTrajectory, liveTrajectory } from "../dynamicsLive.js";
import { modelRef } from "../models.js";
import type { RunReply } from "../protocol.js";
import type { LabState } from "../state.js";
import { svgToPng } from "../svgPng.js";

interface Hooks {
  saveUrl(): void;
  setStatus(text: string, bad?: boolean): void;
}

type Reply =
  | { id: number; what: "diagram"; diagram: BifurcationDiagram; error?: undefined }
  | {
      id: number;
      what: "plane";
      plane: PhasePlane;
      ranges: { xRange: [number, number]; yRange: [number, number] };
      elapsed_ms: number;
      error?: undefined;
    }
  | { id: number; what: "diagram" | "plane"; error: string };

export class DynamicsPanel {
  private readonly worker = new Worker(new URL("../dynamics.worker.ts", import.meta.url), { type: "module" });
  private readonly diagramBox = el("div", { class: "dyn-figure", id: "dyn-diagram", role: "img", "aria-label": "bifurcation diagram" });
  private readonly planeBox = el("div", { class: "dyn-figure", id: "dyn-plane", role: "img", "aria-label": "phase plane" });
  private readonly note = el("p", { class: "meta", id: "dyn-note", "aria-live": "polite" }, "");
  private readonly banner = el("p", { class: "banner", id: "dyn-error", role: "alert", hidden: "" });
  private svgs: { diagram?: string; plane?: string } = {};
  private data: { diagram?: BifurcationDiagram; plane?: PhasePlane } = {};
  private id = 0;
  private visible = false;
  /** The last phase plane the worker sent, redrawn with each new live run. */
  private plane?: Extract<Reply, { what: "plane"; error?: undefined }>;
  /** The live lab's last run (drawn in the plane when it traced the plane's states). */
  private run?: RunReply;
  private runModel?: LabState["model"];
  private live?: LiveTrajectory;
  private key = "";

  constructor(
    private readonly root: HTMLElement,
    private readonly state: LabState,
    private readonly hooks: Hooks,
  ) {
    const from = numberField({
      id: "dyn-from",
      label: "I from",
      unit: "µA/cm²",
      value: state.dyn.from,
      onInput: (v) => {
        if (v === null) return;
        state.dyn.from = v;
        this.changed();
      },
    });
    const to = numberField({
      id: "dyn-to",
      label: "I to",
      unit: "µA/cm²",
      value: state.dyn.to,
      onInput: (v) => {
        if (v === null) return;
        state.dyn.to = v;
        this.changed();
      },
    });
    const button = (id: string, text: string, act: () => void) => {
      const b = el("button", { type: "button", id }, text);
      b.addEventListener("click", act);
      return b;
    };
    const exports = el(
      "div",
      { class: "exports" },
      button("dyn-svg", "Export SVG", () => this.exportSvg()),
      button("dyn-png", "Export PNG", () => void this.exportPng()),
      button("dyn-json", "Export JSON", () => this.exportJson()),
    );
    root.append(el("div", { class: "dyn-controls" }, from.root, to.root, exports), this.banner, this.note, this.diagramBox, this.planeBox);
    this.worker.onmessage = (e: MessageEvent<Reply>) => void this.reply(e.data);
  }

  show(): void {
    this.visible = true;
    this.changed();
  }
  hide(): void {
    this.visible = false;
  }
  /** The lab's model, parameters or amplitude changed. */
  changed(): void {
    this.hooks.saveUrl();
    if (!this.visible) return;
    const s = this.state;
    const params = blockedParams(s, s.params);
    const key = JSON.stringify([s.model, params, s.dyn]);
    const base = { model: modelRef(s.model), params, from: s.dyn.from, to: s.dyn.to, amplitude: s.amplitude };
    if (key !== this.key) {
      this.key = key;
      this.note.textContent = "computing the bifurcation diagram…";
      this.worker.postMessage({ ...base, id: ++this.id, what: "diagram" } satisfies DynamicsRequest);
    }
    this.worker.postMessage({ ...base, id: ++this.id, what: "plane" } satisfies DynamicsRequest);
  }

  private async reply(r: Reply): Promise<void> {
    if (r.error !== undefined) {
      this.banner.textContent = r.error;
      this.banner.hidden = false;
      return;
    }
    this.banner.hidden = true;
    if (r.what === "diagram") {
      const { bifurcationFigure } = await import("../../../src/plot/bifurcationFigure.js");
      this.data.diagram = r.diagram;
      this.svgs.diagram = bifurcationFigure(document, {
        diagram: r.diagram,
        title: `${r.diagram.model}: bifurcation diagram in I`,
        width: this.diagramBox.clientWidth,
      });
      this.diagramBox.innerHTML = this.svgs.diagram;
      const held = r.diagram.assumptions.length ? `; ${r.diagram.assumptions.join("; ")}` : "";
      this.note.textContent = `${r.diagram.excitability.class}: ${r.diagram.excitability.summary} (computed in ${(r.diagram.elapsed_ms / 1000).toFixed(2)} s)${held}`;
    } else {
      this.plane = r;
      this.data.plane = r.plane;
      await this.drawPlane();
    }
  }

  /** The live lab ran (any view): its trajectory goes into the phase plane, now if the plane is shown. */
  liveRun(reply: RunReply): void {
    this.run = reply;
    this.runModel = this.state.model;
    if (this.visible && this.plane) void this.drawPlane();
  }

  private async drawPlane(): Promise<void> {
    const r = this.plane;
    if (!r) return;
    const { phasePlaneFigure } = await import("../../../src/plot/phasePlaneFigure.js");
    const s = this.state;
    // a run of another model (the lab has not yet re-run the one chosen now) is not drawn
    this.live = this.run && this.runModel === s.model ? liveTrajectory(this.run, r.plane.x, r.plane.y, s) : undefined;
    this.svgs.plane = phasePlaneFigure(document, {
      plane: r.plane,
      xRange: r.ranges.xRange,
      yRange: r.ranges.yRange,
      ...(this.live ? { simulated: this.live } : {}),
      title: `phase plane at I = ${s.amplitude} µA/cm² (${r.elapsed_ms.toFixed(0)} ms)`,
      width: this.planeBox.clientWidth,
    });
    this.planeBox.innerHTML = this.svgs.plane;
    this.planeBox.dataset.liveRun = this.live ? String(this.live.id) : "";
    this.planeBox.dataset.livePoints = this.live ? String(this.live.x.length) : "0";
  }

  private exportSvg(): void {
    if (this.svgs.diagram) download("spikelab-bifurcation.svg", this.svgs.diagram, "image/svg+xml");
    if (this.svgs.plane) download("spikelab-phase-plane.svg", this.svgs.plane, "image/svg+xml");
  }
  private async exportPng(): Promise<void> {
    const svg = this.svgs.diagram;
    if (svg) download("spikelab-bifurcation.png", await svgToPng(svg));
  }
  private exportJson(): void {
    const d = this.data.diagram;
    if (!d) return;
    const live = this.live;
    const json = {
      model: d.model,
      parameter: d.parameter,
      range: d.range,
      excitability: d.excitability,
      bifurcations: d.points.map((q) => ({ name: q.name, I_uA_per_cm2: q.p, V_mV: q.V_mV, frequency_Hz: q.frequency_Hz ?? null })),
      equilibria: d.equilibria.points.map((q) => ({ I_uA_per_cm2: q.p, V_mV: q.V_mV, stable: q.stable, type: q.type })),
      cycles: d.cycles.map((c) => ({
        origin: c.origin,
        stop: c.stop,
        points: c.points.map((q) => ({
          I_uA_per_cm2: q.p,
          period_ms: q.period_ms,
          Vmin_mV: q.Vmin_mV,
          Vmax_mV: q.Vmax_mV,
          stable: q.stable,
        })),
      })),
      ...(live
        ? {
            live_run: {
              label: live.label,
              x: this.data.plane?.x,
              y: this.data.plane?.y,
              x_values: Array.from(live.x),
              y_values: Array.from(live.y),
            },
          }
        : {}),
    };
    download("spikelab-bifurcation.json", `${JSON.stringify(json, null, 1)}\n`, "application/json");
  }
}
