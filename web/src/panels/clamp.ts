/**
 * The voltage-clamp panel: the experiment of Hodgkin and Huxley on the chosen model. Hold, step to a family of
 * test potentials and back; the clamp current separated into I_Na, I_K and the rest (one plot per channel, one
 * trace per test potential), and the I–V curves (peak and steady-state current of each channel). TTX and TEA
 * set gNa and gK to 0. Runs the library's `voltageClamp` in the page; shows the equivalent library call.
 */

import { blockedParams } from "../blockState.js";
import { clampCall, testPotentials } from "../clampText.js";
import { el, type NumberField, numberField } from "../controls.js";
import { familyColor } from "../familyColor.js";
import type { FigureSpec } from "../figure.js";
import { modelParameters, variableColor, voltageClamp } from "../lib.js";
import { modelOf, modelRef } from "../models.js";
import { LivePlot } from "../plots.js";
import type { LabState } from "../state.js";

interface Settings {
  holding: number;
  from: number;
  to: number;
  by: number;
  ttx: boolean;
  tea: boolean;
}

export class ClampPanel {
  readonly s: Settings = { holding: -70, from: -60, to: 60, by: 20, ttx: false, tea: false };
  private readonly fields = new Map<keyof Settings, NumberField>();
  private readonly ttx = el("input", { type: "checkbox", id: "clamp-ttx" });
  private readonly tea = el("input", { type: "checkbox", id: "clamp-tea" });
  private readonly call = el("code", { id: "clamp-call" });
  private readonly note = el("p", { class: "meta", id: "clamp-note", "aria-live": "polite" });
  private readonly plotsBox = el("div", { class: "fi-plots", id: "clamp-plots" });
  private plots: LivePlot[] = [];
  private plotKey = "";
  private timer = 0;

  constructor(
    readonly root: HTMLElement,
    readonly state: LabState,
  ) {
    const num = (key: "holding" | "from" | "to" | "by", label: string) => {
      const f = numberField({
        id: `clamp-${key}`,
        label,
        unit: "mV",
        value: this.s[key],
        onInput: (v, problem) => {
          f.setError(v === null ? (problem ?? "not a number") : null);
          if (v !== null) {
            this.s[key] = v;
            this.schedule();
          }
        },
      });
      this.fields.set(key, f);
      return f.root;
    };
    for (const [box, key] of [
      [this.ttx, "ttx"],
      [this.tea, "tea"],
    ] as const)
      box.addEventListener("change", () => {
        this.s[key] = box.checked;
        this.schedule();
      });
    root.append(
      el(
        "div",
        { class: "panel" },
        el("h2", {}, "Voltage clamp"),
        el(
          "p",
          { class: "meta" },
          "Hold the membrane at one potential, step it to each test potential for 20 ms and back: the current the clamp supplies is the sum of the ionic currents, shown here channel by channel.",
        ),
        el(
          "div",
          { class: "fi-grid" },
          num("holding", "Holding potential"),
          num("from", "Steps from"),
          num("to", "Steps to"),
          num("by", "Every"),
        ),
        el(
          "div",
          { class: "toolbar" },
          el("label", { class: "check", for: "clamp-ttx" }, this.ttx, "TTX (gNa = 0)"),
          el("label", { class: "check", for: "clamp-tea" }, this.tea, "TEA (gK = 0)"),
        ),
        this.note,
        this.plotsBox,
        el("p", { class: "meta" }, "The library call: ", this.call),
      ),
    );
  }

  /** Called when the view is shown or the model, parameters or settings change. */
  shown(): void {
    this.schedule(0);
  }

  private schedule(delay = 80): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.run(), delay);
  }

  private run(): void {
    if (this.root.hidden) return;
    const st = this.state;
    const steps = testPotentials(this.s.from, this.s.to, this.s.by);
    if (!steps.length) {
      this.note.textContent = "Choose test potentials from ≤ to, every > 0 mV, at most 41 of them.";
      this.root.dataset.clampState = "error";
      return;
    }
    const model = modelOf(st.model);
    const names = new Set(model ? modelParameters(model).map((p) => p.name) : []);
    const parameters: Record<string, number> = blockedParams(st, st.params);
    if (this.s.ttx && names.has("gNa")) parameters.gNa = 0;
    if (this.s.tea && names.has("gK")) parameters.gK = 0;
    this.ttx.disabled = !names.has("gNa");
    this.tea.disabled = !names.has("gK");
    const t0 = performance.now();
    let r: ReturnType<typeof voltageClamp>;
    try {
      r = voltageClamp({ model: modelRef(st.model), parameters, holding_mV: this.s.holding, steps_mV: steps });
    } catch (e) {
      this.note.textContent = (e as Error).message;
      this.root.dataset.clampState = "error";
      return;
    }
    const ms = performance.now() - t0;
    const key = `${st.model}|${steps.join(",")}|${r.channels.join(",")}`;
    if (key !== this.plotKey) {
      for (const p of this.plots) p.destroy();
      this.plotsBox.replaceChildren();
      this.plots = [];
      this.plotKey = key;
      const stepSeries = steps.map((v, i) => ({
        label: `${v} mV`,
        unit: "µA/cm²",
        color: familyColor(i, steps.length),
      }));
      for (const c of r.channels) {
        const spec: FigureSpec = {
          title: `${c} current at each test potential`,
          xLabel: "t (ms)",
          yLabel: "I (µA/cm²)",
          series: stepSeries,
        };
        this.plots.push(this.addPlot(`clamp-${c}`, spec));
      }
      this.plots.push(
        this.addPlot("clamp-iv", {
          title: "I–V: peak and steady-state current of each channel",
          xLabel: "test potential (mV)",
          yLabel: "I (µA/cm²)",
          series: r.channels.flatMap((c, i) => [
            { label: `peak I_${c}`, unit: "µA/cm²", color: variableColor(c, i), points: true },
            { label: `steady I_${c}`, unit: "µA/cm²", color: variableColor(c, i), dash: [5, 4], points: true },
          ]),
        }),
      );
    }
    r.channels.forEach((c, k) => {
      this.plots[k]?.set({ x: r.t_ms, ys: r.currents_uA_per_cm2[c] as Float64Array[] });
    });
    this.plots[r.channels.length]?.set({
      x: steps,
      ys: r.channels.flatMap((c) => [r.peak_uA_per_cm2[c] as number[], r.steady_uA_per_cm2[c] as number[]]),
    });
    this.call.textContent = clampCall(st.model, this.s.holding, steps, parameters);
    this.note.textContent = `${steps.length} test potentials from a holding potential of ${this.s.holding} mV, computed in ${ms.toFixed(0)} ms.`;
    this.root.dataset.clampState = "done";
  }

  private addPlot(id: string, spec: FigureSpec): LivePlot {
    const target = el("div");
    this.plotsBox.append(el("div", { class: "plot", id }, target));
    return new LivePlot(target, spec, 240);
  }
}
