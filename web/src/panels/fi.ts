/**
 * The f–I panel: a sweep of step amplitudes, split across a pool of workers with a progress
 * bar; spike count and rate against amplitude, the rheobase estimate, an optional second curve
 * with another method or dt, a table of the values, and CSV/JSON/PNG/SVG export.
 * Model, parameters, method and dt come from the settings panel; the sweep has its own window.
 */

import { activeBlocks, blockedParams } from "../blockState.js";
import type { Current } from "../compareText.js";
import { el, type Field, type NumberField, numberField, type SelectField, selectField } from "../controls.js";
import { download } from "../download.js";
import { errorField } from "../errors.js";
import { type Curve, fiCsv, fiJson, type SweepShown } from "../fiExport.js";
import type { FigureSpec } from "../figure.js";
import { bisectionSaysNone, rheobaseMark } from "../fiRheobase.js";
import { curveLabels, type FiOptions, type FiResult, linspace, SERIES_COLORS, sweepRheobase } from "../lib.js";
import { modelRef } from "../models.js";
import { LivePlot } from "../plots.js";
import { WorkerPool } from "../pool.js";
import { fiSweep } from "../poolJobs.js";
import type { FiSettings, LabState } from "../state.js";
import { MeasureRunner } from "../workers.js";

interface Hooks {
  saveUrl(): void;
  setStatus(text: string, bad?: boolean): void;
  methods(): { value: string; label: string }[];
}

/** The sweep's own curve, then the comparison curve (dashed). */

export class FiPanel {
  private readonly pool = new WorkerPool();
  private readonly measurer = new MeasureRunner();
  private readonly fields = new Map<string, Field>();
  private readonly local = new Map<string, string>();
  private readonly progress = el("progress", { id: "fi-progress", max: "1", value: "0", "aria-label": "Sweep progress" });
  private readonly progressText = el("span", { class: "meta", id: "fi-progress-text" });
  private readonly runButton = el("button", { class: "primary", type: "button", id: "fi-run" }, "Run sweep");
  private readonly cancelButton = el("button", { type: "button", id: "fi-cancel", hidden: "" }, "Cancel");
  private readonly rheobase = el("p", { class: "rheobase", id: "fi-rheobase", "aria-live": "polite" });
  private readonly banner = el("p", { class: "banner", id: "fi-error", role: "alert", hidden: "" });
  private readonly stale = el("p", { class: "meta", id: "fi-stale", hidden: "" }, "Settings changed since this sweep: run it again.");
  private readonly table = el("table", { class: "values", id: "fi-table" });
  private readonly tableSummary = el("summary", {}, "Values");
  private readonly ovMethod: SelectField;
  private readonly ovDt: NumberField;
  private plots: { count: LivePlot; rate: LivePlot } | null = null;
  private plotKey = "";
  private readonly countHost = el("div");
  private readonly rateHost = el("div");
  private shownSweep: SweepShown | null = null;
  private ranOnce = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly state: LabState,
    private readonly hooks: Hooks,
  ) {
    const fi = state.fi;
    const num = (
      key: keyof FiSettings & ("from" | "to" | "count" | "start" | "stop" | "duration" | "overlayDt"),
      label: string,
      unit: string,
    ) => {
      const f = numberField({
        id: `fi-${key}`,
        label,
        unit,
        value: fi[key],
        onInput: (v, problem) => {
          if (v === null) {
            this.local.set(key, problem ?? "not a number");
            f.setError(problem ?? "not a number");
          } else {
            this.local.delete(key);
            f.setError(null);
            fi[key] = v;
          }
          this.settingsChanged();
          hooks.saveUrl();
        },
      });
      this.fields.set(key, f);
      return f;
    };
    const overlay = selectField({
      id: "fi-overlay",
      label: "Compare with",
      options: [
        { value: "none", label: "nothing" },
        { value: "method", label: "another method" },
        { value: "dt", label: "another dt" },
      ],
      value: fi.overlay,
      onChange: (v) => {
        fi.overlay = v as FiSettings["overlay"];
        this.syncOverlay();
        this.settingsChanged();
        hooks.saveUrl();
      },
    });
    this.ovMethod = selectField({
      id: "fi-overlay-method",
      label: "Second method",
      options: hooks.methods(),
      value: fi.overlayMethod,
      onChange: (v) => {
        fi.overlayMethod = v;
        this.settingsChanged();
        hooks.saveUrl();
      },
    });
    this.fields.set("overlayMethod", this.ovMethod);
    this.ovDt = num("overlayDt", "Second dt", "ms");
    this.runButton.addEventListener("click", () => void this.run());
    this.cancelButton.addEventListener("click", () => this.pool.cancel());
    root.append(
      el(
        "div",
        { class: "panel" },
        el("h2", {}, "Sweep"),
        el(
          "div",
          { class: "fi-grid" },
          num("from", "From amplitude", "uA/cm2").root,
          num("to", "To amplitude", "uA/cm2").root,
          num("count", "Amplitudes", "").root,
          num("start", "Step start", "ms").root,
          num("stop", "Step stop", "ms").root,
          num("duration", "Duration", "ms").root,
          overlay.root,
          this.ovMethod.root,
          this.ovDt.root,
        ),
        el(
          "div",
          { class: "fi-actions" },
          this.runButton,
          this.cancelButton,
          this.progress,
          this.progressText,
          this.stale,
          this.dataTools(),
        ),
        this.banner,
        this.rheobase,
        el(
          "div",
          { class: "fi-plots" },
          el("div", { class: "plot", id: "plot-fi-count" }, this.plotTools("count", "spike-count"), this.countHost),
          el("div", { class: "plot", id: "plot-fi-rate" }, this.plotTools("rate", "rate"), this.rateHost),
        ),
        el("details", { class: "marks" }, this.tableSummary, this.table),
      ),
    );
    this.syncOverlay();
  }

  private button(id: string, text: string, label: string, act: () => void): HTMLButtonElement {
    const b = el("button", { class: "small", type: "button", id, "aria-label": label }, text);
    b.addEventListener("click", act);
    return b;
  }

  private fileName(): string {
    return `spikelab-fi-${(this.shownSweep?.model ?? "lab").replace(/[^A-Za-z0-9_.-]+/g, "-")}-${this.shownSweep?.curves[0]?.method ?? ""}`;
  }

  /** CSV and JSON of the sweep on screen. */
  private dataTools(): HTMLElement {
    return el(
      "div",
      { class: "toolbar" },
      el("span", { class: "label", "aria-hidden": "true" }, "Sweep:"),
      this.button(
        "export-fi-csv",
        "CSV",
        "Download the sweep as CSV",
        () => this.shownSweep && download(`${this.fileName()}.csv`, fiCsv(this.shownSweep), "text/csv"),
      ),
      this.button(
        "export-fi-json",
        "JSON",
        "Download the sweep as JSON",
        () => this.shownSweep && download(`${this.fileName()}.json`, fiJson(this.shownSweep), "application/json"),
      ),
    );
  }

  /** PNG and SVG of one of the two plots. */
  private plotTools(which: "count" | "rate", what: string): HTMLElement {
    const plot = () => this.plots?.[which];
    return el(
      "div",
      { class: "plot-tools" },
      this.button(`export-fi-${which}-png`, "PNG", `Download the ${what} plot as PNG`, async () => {
        const p = plot();
        if (p) download(`${this.fileName()}-${which}.png`, await p.toPng());
      }),
      this.button(`export-fi-${which}-svg`, "SVG", `Download the ${what} plot as SVG`, () => {
        const p = plot();
        if (p) download(`${this.fileName()}-${which}.svg`, p.toSvg(), "image/svg+xml");
      }),
    );
  }

  private syncOverlay(): void {
    this.ovMethod.root.hidden = this.state.fi.overlay !== "method";
    this.ovDt.root.hidden = this.state.fi.overlay !== "dt";
  }

  /** The view became visible: run the sweep the first time. */
  shown(): void {
    if (!this.ranOnce) void this.run();
  }

  /** A setting changed: the sweep on screen no longer matches it. */
  settingsChanged(): void {
    if (this.shownSweep) this.stale.hidden = false;
  }

  private curves(): Curve[] {
    const s = this.state;
    const main = { method: s.method, dt_ms: s.dt };
    const runs =
      s.fi.overlay === "method"
        ? [main, { method: s.fi.overlayMethod, dt_ms: s.dt }]
        : s.fi.overlay === "dt"
          ? [main, { method: s.method, dt_ms: s.fi.overlayDt }]
          : [main];
    // legends that name what differs (an rk45 curve against itself at another dt: its output grid)
    const labels = curveLabels(runs);
    return runs.map((r, i) => ({ ...r, label: labels[i] as string }));
  }

  private setError(message: string | null, curve = 0): void {
    for (const [key, f] of this.fields) f.setError(this.local.get(key) ?? null);
    this.banner.hidden = true;
    if (message === null) return;
    const where = errorField("", message);
    const overlay = curve > 0;
    const key =
      where === "steps" || where === "amplitudes"
        ? "count"
        : where === "stimulus.start_ms"
          ? "start"
          : where === "stimulus.stop_ms"
            ? "stop"
            : where === "duration_ms"
              ? "duration"
              : where === "dt_ms" && overlay && this.state.fi.overlay === "dt"
                ? "overlayDt"
                : where === "method" && overlay
                  ? "overlayMethod"
                  : null;
    const f = key ? this.fields.get(key) : undefined;
    if (f) f.setError(message);
    else {
      this.banner.textContent = `${overlay ? "Second curve: " : ""}${message}${where === "dt_ms" || where === "method" || where?.startsWith("param:") ? " (see the settings on the left)" : ""}`;
      this.banner.hidden = false;
    }
    this.root.dataset.fiState = "error";
    this.hooks.setStatus("The sweep could not run: see the message in the f–I panel", true);
  }

  /** The sweep on screen (its first curve) with its settings, for the Compare panel; null before the first. */
  current(): Current | null {
    const sw = this.shownSweep;
    const r = sw?.results[0];
    if (!sw || !r) return null;
    const o = sw.options;
    return {
      settings: {
        model: sw.model,
        params: { ...sw.lab.params },
        block: sw.lab.block,
        method: o.method ?? "euler",
        dt_ms: o.dt_ms ?? 0.025,
        start_ms: o.start_ms ?? 50,
        stop_ms: o.stop_ms ?? 200,
        duration_ms: o.duration_ms ?? 200,
      },
      x: r.amplitudes_uA_per_cm2,
      y: r.spike_counts,
      rate: r.rates_Hz,
    };
  }

  /** Runs the sweep of the current settings on the worker pool. */
  async run(): Promise<void> {
    this.ranOnce = true;
    this.setError(null);
    if (this.local.size) {
      this.root.dataset.fiState = "error";
      return;
    }
    const s = this.state;
    let amplitudes: Float64Array;
    try {
      amplitudes = linspace(s.fi.from, s.fi.to, s.fi.count);
    } catch (e) {
      this.setError((e as Error).message);
      return;
    }
    const base: FiOptions = {
      model: modelRef(s.model),
      parameters: blockedParams(s, s.params),
      amplitudes: Array.from(amplitudes),
      start_ms: s.fi.start,
      stop_ms: s.fi.stop,
      duration_ms: s.fi.duration,
      dt_ms: s.dt,
      method: s.method,
    };
    const curves = this.curves();
    this.root.dataset.fiState = "running";
    this.root.dataset.fiRheobase = "measuring";
    // the library's rheobase bisection for the same step window, beside the sweep (its own worker)
    const rheobase: SweepShown["rheobase"] = { state: "measuring" };
    const rheobaseRun = this.measurer
      .rheobase({
        model: base.model ?? "lab",
        parameters: blockedParams(s, s.params),
        dt_ms: s.dt,
        method: s.method,
        start_ms: s.fi.start,
        stop_ms: s.fi.stop,
        duration_ms: s.fi.duration,
      })
      .then(
        (r) => Object.assign(rheobase, { state: "done", result: r.result, elapsed_ms: r.elapsed_ms }),
        (e: Error) => Object.assign(rheobase, { state: "error", message: e.message }),
      );
    this.progress.value = 0;
    this.cancelButton.hidden = false;
    this.hooks.setStatus("f–I sweep running…");
    const t0 = performance.now();
    try {
      const results = await fiSweep(this.pool, {
        curves: curves.map((c) => ({ label: c.label, options: { ...base, method: c.method, dt_ms: c.dt_ms } })),
        onProgress: ({ done, total }) => {
          this.progress.max = total;
          this.progress.value = done;
          this.progressText.textContent = `${done} of ${total} chunks on ${this.pool.size} worker${this.pool.size === 1 ? "" : "s"}`;
        },
      });
      this.cancelButton.hidden = true;
      const elapsed_ms = performance.now() - t0;
      const shown: SweepShown = {
        options: base,
        model: s.model,
        lab: { params: { ...s.params }, block: activeBlocks(s) },
        rheobase,
        curves,
        results,
        elapsed_ms,
      };
      this.shownSweep = shown;
      this.stale.hidden = true;
      this.render();
      void rheobaseRun.then(() => {
        if (this.shownSweep !== shown) return;
        this.render();
        this.root.dataset.fiRheobase = rheobase.state;
      });
      const runs = amplitudes.length * curves.length;
      this.progressText.textContent = `${runs} runs in ${(elapsed_ms / 1000).toFixed(2)} s on ${this.pool.size} worker${this.pool.size === 1 ? "" : "s"}`;
      this.root.dataset.fiState = "done";
      this.root.dataset.fiElapsedMs = elapsed_ms.toFixed(1);
      this.hooks.setStatus(`f–I sweep: ${runs} runs in ${(elapsed_ms / 1000).toFixed(2)} s`);
    } catch (e) {
      const err = e as Error & { curve?: number };
      if (err.name === "Superseded") return;
      this.cancelButton.hidden = true;
      if (err.name === "Cancelled") {
        this.progressText.textContent = "cancelled";
        this.root.dataset.fiState = "cancelled";
        this.hooks.setStatus("f–I sweep cancelled");
        return;
      }
      this.setError(err.message, err.curve ?? 0);
    }
  }

  private render(): void {
    const sw = this.shownSweep;
    if (!sw) return;
    const key = `${sw.model}|${sw.options.start_ms}|${sw.options.stop_ms}|${sw.curves.map((c) => c.label).join("|")}`;
    if (!this.plots || key !== this.plotKey) {
      this.plots?.count.destroy();
      this.plots?.rate.destroy();
      this.countHost.replaceChildren();
      this.rateHost.replaceChildren();
      this.plotKey = key;
      const window = `step on [${sw.options.start_ms}, ${sw.options.stop_ms}) ms`;
      const series = (unit: string, digits: number) =>
        sw.curves.map((c, i) => ({
          label: c.label,
          unit,
          color: SERIES_COLORS[i % SERIES_COLORS.length] as string,
          points: true,
          digits,
          ...(i ? { dash: [6, 4] } : {}),
        }));
      const count: FigureSpec = {
        title: `Spike count: ${sw.model}, ${window}`,
        xLabel: "step amplitude (µA/cm²)",
        yLabel: "spikes in the whole run",
        series: series("", 0),
      };
      const rate: FigureSpec = {
        title: `Firing rate: ${sw.model}, ${window}`,
        xLabel: "step amplitude (µA/cm²)",
        yLabel: "rate during the step (Hz)",
        series: series("Hz", 1),
      };
      this.plots = { count: new LivePlot(this.countHost, count, 300, "fi"), rate: new LivePlot(this.rateHost, rate, 300, "fi") };
    }
    const r0 = sw.results[0] as FiResult;
    const rb = sweepRheobase(r0);
    const unit = "µA/cm²";
    const mark = rheobaseMark(sw.rheobase, r0);
    const xMarks = mark ? [mark] : [];
    this.plots.count.set({ x: r0.amplitudes_uA_per_cm2, ys: sw.results.map((r) => r.spike_counts), xMarks });
    this.plots.rate.set({ x: r0.amplitudes_uA_per_cm2, ys: sw.results.map((r) => r.rates_Hz), xMarks });
    const b = sw.rheobase;
    const bisection =
      b.state === "measuring"
        ? [el("strong", { id: "fi-rheobase-bisection", class: "pending" }, "measuring…")]
        : b.state === "error"
          ? [el("strong", { id: "fi-rheobase-bisection" }, "not measured"), el("span", { class: "note" }, ` (${b.message})`)]
          : b.result.rheobase_uA_per_cm2 === null
            ? [el("strong", { id: "fi-rheobase-bisection" }, "none"), el("span", { class: "note" }, ` (${b.result.note})`)]
            : [
                el("strong", { id: "fi-rheobase-bisection" }, `${b.result.rheobase_uA_per_cm2.toFixed(4)} ${unit}`),
                el(
                  "span",
                  { class: "note" },
                  ` — the library's bisection: the smallest step on [${sw.options.start_ms}, ${sw.options.stop_ms}) ms that fires a spike, to ${b.result.tolerance_uA_per_cm2} ${unit} (${b.result.runs} batched runs, ${(b.elapsed_ms / 1000).toFixed(2)} s)`,
                ),
              ];
    const estimate =
      rb.amplitude_uA_per_cm2 === null
        ? ["No amplitude in this sweep fires during the step: widen the range."]
        : bisectionSaysNone(b, rb.amplitude_uA_per_cm2)
          ? [
              el("strong", { id: "fi-rheobase-value" }, "none"),
              el(
                "span",
                { class: "note" },
                ` — from ${rb.amplitude_uA_per_cm2} ${unit} this sweep's V crosses 0 mV during the step, but not with action potentials (above); ${sw.curves[0]?.label}.`,
              ),
            ]
          : [
              el("strong", { id: "fi-rheobase-value" }, `${rb.amplitude_uA_per_cm2} ${unit}`),
              el(
                "span",
                { class: "note" },
                ` — the smallest amplitude in this sweep that fires during the step${
                  rb.resolution_uA_per_cm2 !== null
                    ? ` (the true value lies within ${Number(rb.resolution_uA_per_cm2.toPrecision(6))} ${unit} below)`
                    : ""
                }; ${sw.curves[0]?.label}.`,
              ),
            ];
    this.rheobase.replaceChildren(
      el("span", { class: "rb-line" }, "Rheobase: ", ...bisection),
      el("span", { class: "rb-line" }, "Sweep estimate: ", ...estimate),
    );
    this.renderTable(sw);
  }

  private renderTable(sw: SweepShown): void {
    const head = el("tr", {}, el("th", { scope: "col" }, "amplitude (µA/cm²)"));
    for (const c of sw.curves)
      head.append(el("th", { scope: "col" }, `count, ${c.label}`), el("th", { scope: "col" }, `rate (Hz), ${c.label}`));
    const r0 = sw.results[0] as FiResult;
    const rows = r0.amplitudes_uA_per_cm2.map((a, i) => {
      const tr = el("tr", { "data-amplitude": String(a) }, el("td", {}, String(Number(a.toPrecision(10)))));
      sw.results.forEach((r, k) => {
        tr.append(
          el("td", { class: k ? "overlay-count" : "count", "data-count": String(r.spike_counts[i]) }, String(r.spike_counts[i])),
          el("td", {}, (r.rates_Hz[i] as number).toFixed(2)),
        );
      });
      return tr;
    });
    this.table.replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
    this.tableSummary.textContent = `Values (${r0.amplitudes_uA_per_cm2.length} amplitudes)`;
  }
}
