/**
 * The voltage-clamp panel: the experiment of Hodgkin and Huxley on the chosen model. Hold, step to a family of
 * test potentials and back; the clamp current separated into I_Na, I_K and the rest (one plot per channel, one
 * trace per test potential), and the I–V curves (peak and steady-state current of each channel). The TTX and TEA
 * switches here are views of the lab's one block state (the sidebar's "Blockers and temperature", fractions
 * included): turning one here turns it there and in the URL, and the clamp runs the blocked conductances once.
 * Runs the library's `voltageClamp` in the page; shows the equivalent library call.
 */

import { blockApplies, blockedParams, blockKey, blockNote } from "../blockState.js";
import { clampCall, testPotentials } from "../clampText.js";
import { el, type NumberField, numberField } from "../controls.js";
import { familyColor } from "../familyColor.js";
import type { FigureSpec } from "../figure.js";
import { BLOCKERS, type BlockerName, variableColor, voltageClamp } from "../lib.js";
import { modelOf, modelRef } from "../models.js";
import { LivePlot } from "../plots.js";
import type { LabState } from "../state.js";

interface Settings {
  holding: number;
  from: number;
  to: number;
  by: number;
}

interface Hooks {
  /** A blocker was switched here: the lab's block state changed (the sidebar, the URL and every view follow). */
  blockChanged(): void;
}

export class ClampPanel {
  readonly s: Settings = { holding: -70, from: -60, to: 60, by: 20 };
  private readonly fields = new Map<keyof Settings, NumberField>();
  private readonly switches = new Map<BlockerName, { box: HTMLInputElement; note: HTMLElement }>();
  private readonly call = el("code", { id: "clamp-call" });
  private readonly note = el("p", { class: "meta", id: "clamp-note", "aria-live": "polite" });
  private readonly plotsBox = el("div", { class: "fi-plots", id: "clamp-plots" });
  private plots: LivePlot[] = [];
  private plotKey = "";
  private timer = 0;

  constructor(
    readonly root: HTMLElement,
    readonly state: LabState,
    private readonly hooks: Hooks,
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
    const blockers = BLOCKERS.map((b) => {
      const key = blockKey(b);
      const box = el("input", { type: "checkbox", id: `clamp-${key}`, "aria-describedby": `clamp-${key}-note` });
      const note = el("span", { class: "desc", id: `clamp-${key}-note` });
      box.addEventListener("change", () => {
        this.state.block[b].on = box.checked;
        this.hooks.blockChanged();
      });
      this.switches.set(b, { box, note });
      return el("div", { class: "blocker" }, el("label", { class: "check", for: `clamp-${key}` }, box, b), " ", note);
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
          { class: "clamp-blockers", role: "group", "aria-labelledby": "clamp-blockers-h" },
          el(
            "p",
            { class: "meta", id: "clamp-blockers-h" },
            "Blockers (the same switches as in the settings' Blockers and temperature, where the fraction blocked is set):",
          ),
          ...blockers,
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

  /** The blocker switches show the lab's block state (the sidebar may have changed it). */
  private syncBlockers(): void {
    const m = modelOf(this.state.model);
    for (const [b, { box, note }] of this.switches) {
      box.checked = this.state.block[b].on;
      box.disabled = !blockApplies(m, b);
      note.textContent = blockNote(this.state, b);
    }
  }

  private run(): void {
    this.syncBlockers();
    if (this.root.hidden) return;
    const st = this.state;
    const steps = testPotentials(this.s.from, this.s.to, this.s.by);
    if (!steps.length) {
      this.note.textContent = "Choose test potentials from ≤ to, every > 0 mV, at most 41 of them.";
      this.root.dataset.clampState = "error";
      return;
    }
    // the one block state: the blocked conductances scaled once, as every view runs them
    const parameters: Record<string, number> = blockedParams(st, st.params);
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
