/**
 * The paired-pulse panel: the student moves a second pulse (drag its handle on the current trace, or on the
 * recovery plot, with a mouse, a pen or a finger; or type Δ and the amplitude) and sees whether it fires. Each
 * tried (Δ, amplitude) becomes a point on the recovery plot, next to the measured recovery curve (the library's
 * `refractoryPeriods`, in a worker) with the absolute and relative refractory periods and the +5 % criterion.
 * The trial itself is the library's `pairedPulse`, run in the page (two short runs). Export: PNG at 2×, CSV, JSON.
 */
import { blockedParams } from "../blockState.js";
import { el, type NumberField, numberField, type SelectField, selectField } from "../controls.js";
import { download } from "../download.js";
import { coverSteps, type PairedPulseResult, pairedPulse, type RefractoryResult, refractoryPhase } from "../lib.js";
import { modelRef } from "../models.js";
import { MAX_TRIED } from "../pairedPoints.js";
import type { LabState } from "../state.js";
import { svgToPng } from "../svgPng.js";
import { MeasureRunner } from "../workers.js";
import { type PlacedText, recoveryFigure, trialFigure } from "./pairedPulseDraw.js";
import { pairedCommandLine, pairedLibraryCall, pairedSettingsOf, trialsCsv } from "./pairedPulseText.js";

interface Hooks {
  saveUrl(): void;
}

const WINDOWS = [20, 50, 100, 200];

export class PairedPulsePanel {
  private readonly measurer = new MeasureRunner();
  private readonly interval: NumberField;
  private readonly amplitude: NumberField;
  private readonly window: SelectField;
  private readonly outcome = el("p", { class: "pp-outcome", id: "pp-outcome", "aria-live": "polite" }, "…");
  private readonly note = el("p", { class: "meta", id: "pp-note", "aria-live": "polite" });
  private readonly periods = el("dl", { class: "pp-periods", id: "pp-periods" });
  private readonly trialBox = el("div", { class: "pp-figure", id: "pp-trial" });
  private readonly trialSvg = el("div", { role: "img", "aria-label": "membrane potential and injected current of the paired-pulse trial" });
  private readonly trialDrag = el("div", { class: "pp-drag", id: "pp-trial-drag", "aria-hidden": "true" });
  private readonly recoveryBox = el("div", { class: "pp-figure", id: "pp-recovery" });
  private readonly recoverySvg = el("div", { role: "img", "aria-label": "recovery curve: second-pulse threshold against the interval" });
  private readonly recoveryDrag = el("div", { class: "pp-drag", id: "pp-recovery-drag", "aria-hidden": "true" });
  private readonly cli = el("code", { id: "pp-cli" });
  private readonly call = el("code", { id: "pp-call" });
  private measured: { key: string; r: RefractoryResult } | null = null;
  private measuring = "";
  private trial: PairedPulseResult | null = null;
  /**
   * The settings (key()) the tried points (state.pp.tried, in the URL) belong to: at first those of the page's state, so
   * points from a link stay with the curve measured for its settings; a change of model, parameters, method or dt
   * clears them.
   */
  private triedKey: string;
  private svgs = { trial: "", recovery: "" };
  private toSetting: {
    trial?: (x: number, y: number) => { interval_ms: number; amplitude_uA_per_cm2: number };
    recovery?: (x: number, y: number) => { interval_ms: number; amplitude_uA_per_cm2: number };
  } = {};
  private frame = 0;
  private timer = 0;
  private visible = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly state: LabState,
    private readonly hooks: Hooks,
  ) {
    const pp = state.pp;
    if (!WINDOWS.includes(pp.window)) pp.window = 50;
    this.interval = numberField({
      id: "pp-interval",
      label: "Δ after the first spike",
      unit: "ms",
      value: pp.interval,
      slider: { min: 0.1, max: pp.window, step: 0.05 },
      description: "interval from the first spike to the start of the second pulse",
      onInput: (v, problem) => this.setting("interval", v, problem),
    });
    this.amplitude = numberField({
      id: "pp-amplitude",
      label: "Second pulse amplitude",
      unit: "uA/cm2",
      value: pp.amplitude,
      slider: { min: 0, max: 20, step: 0.01 },
      onInput: (v, problem) => this.setting("amplitude", v, problem),
    });
    this.window = selectField({
      id: "pp-window",
      label: "Time shown after the first spike",
      options: WINDOWS.map((w) => ({ value: String(w), label: `${w} ms` })),
      value: String(pp.window),
      onChange: (v) => {
        pp.window = Number(v);
        pp.interval = Math.min(pp.interval, pp.window);
        this.interval.set(pp.interval);
        this.interval.setSliderRange(0.1, pp.window, 0.05);
        this.hooks.saveUrl();
        this.schedule();
      },
    });
    // a tried point is kept when the value is committed: a drag ends, a number is entered, a slider let go
    for (const f of [this.interval, this.amplitude]) for (const i of [f.input, f.slider]) i?.addEventListener("change", () => this.keep());
    const clear = el("button", { class: "small", type: "button", id: "pp-clear" }, "Clear points");
    clear.addEventListener("click", () => {
      this.state.pp.tried = [];
      this.hooks.saveUrl();
      this.render();
    });
    const button = (id: string, text: string, label: string, go: () => void) => {
      const b = el("button", { class: "small", type: "button", id, "aria-label": label }, text);
      b.addEventListener("click", go);
      return b;
    };
    this.trialBox.append(this.trialSvg, this.trialDrag);
    this.recoveryBox.append(this.recoverySvg, this.recoveryDrag);
    this.drag(this.trialDrag, "trial");
    this.drag(this.recoveryDrag, "recovery");
    root.append(
      el(
        "div",
        { class: "panel" },
        el("h2", {}, "Paired pulses"),
        el(
          "p",
          { class: "meta" },
          "A first 1 ms pulse evokes a spike; a second pulse follows it after Δ. Drag the round handle on the current trace (or anywhere on the recovery plot) to move the second pulse in time and amplitude, or type the numbers. Every point you try is kept on the recovery plot.",
        ),
        this.outcome,
        this.trialBox,
        el("div", { class: "fi-grid pp-controls" }, this.interval.root, this.amplitude.root, this.window.root),
        this.recoveryBox,
        this.periods,
        this.note,
        el(
          "div",
          { class: "toolbar" },
          clear,
          button("pp-png-trial", "trial as PNG", "Download the paired-pulse trial as PNG", () => this.png("trial")),
          button("pp-png-recovery", "recovery plot as PNG", "Download the recovery plot as PNG", () => this.png("recovery")),
          button("pp-csv", "CSV", "Download the tried points as CSV", () => this.csv()),
          button("pp-json", "JSON", "Download the trial, the tried points and the recovery curve as JSON", () => this.json()),
        ),
        el("p", { class: "meta pp-code" }, "The same trial from the command line: ", this.cli),
        el("p", { class: "meta pp-code" }, "The library calls: ", this.call),
      ),
    );
    new ResizeObserver(() => {
      if (this.visible) this.render();
    }).observe(this.trialBox);
    this.triedKey = this.key();
  }

  /** Called when the view is shown. */
  show(): void {
    this.visible = true;
    this.ensureMeasured();
  }

  hide(): void {
    this.visible = false;
  }

  /**
   * Called when the model, its parameters, the method or dt may have changed: the curve is measured again 300 ms
   * after the last change (a parameter slider dragged does not queue a measurement per step).
   */
  changed(): void {
    if (!this.visible) return;
    clearTimeout(this.timer);
    if (this.measured?.key === this.key()) {
      this.schedule();
      return;
    }
    this.pending();
    this.timer = window.setTimeout(() => this.ensureMeasured(), 300);
  }

  /** Says that the curve is being measured (the figures stay until the new one arrives). */
  private pending(): void {
    this.root.dataset.ppState = "measuring";
    this.outcome.textContent = "Measuring the recovery curve…";
    this.outcome.classList.add("pending");
    this.note.textContent = "";
  }

  private key(): string {
    const s = this.state;
    return JSON.stringify([s.model, blockedParams(s, s.params), s.dt, s.method]);
  }

  private ensureMeasured(): void {
    const key = this.key();
    if (this.measured?.key === key) {
      this.schedule();
      return;
    }
    if (this.measuring === key) return;
    this.measuring = key;
    if (this.triedKey !== key) {
      this.triedKey = key;
      this.state.pp.tried = [];
      this.hooks.saveUrl();
    }
    this.words();
    this.pending();
    const s = this.state;
    this.measurer
      .refractory({ model: modelRef(s.model), parameters: blockedParams(s, s.params), dt_ms: s.dt, method: s.method } as Parameters<
        MeasureRunner["refractory"]
      >[0])
      .then(
        ({ result, elapsed_ms }) => {
          if (this.measuring !== key) return;
          this.measuring = "";
          this.measured = { key, r: result };
          this.amplitude.setSliderRange(0, Number(result.cap_uA_per_cm2.toFixed(2)), 0.01);
          this.note.textContent = `Recovery curve: ${result.intervals_ms.length} intervals, each threshold by bisection to ${result.tolerance_uA_per_cm2} µA/cm², measured in ${(elapsed_ms / 1000).toFixed(1)} s (the protocol of \`spikelab analyze\`).`;
          this.schedule();
        },
        (e: Error) => {
          if (this.measuring !== key) return;
          this.measuring = "";
          this.measured = null;
          this.root.dataset.ppState = "error";
          this.outcome.classList.remove("pending", "fired");
          this.outcome.textContent = `The paired-pulse protocol cannot run for these settings: ${e.message}`;
        },
      );
  }

  private setting(which: "interval" | "amplitude", v: number | null, problem?: string): void {
    const f = which === "interval" ? this.interval : this.amplitude;
    const bad = v === null ? (problem ?? "not a number") : which === "interval" && !(v > 0) ? "Δ must be a positive number of ms" : null;
    f.setError(bad);
    if (bad !== null || v === null) return;
    this.state.pp[which] = v;
    this.hooks.saveUrl();
    this.schedule();
  }

  /** The shortest time window that shows the second pulse (a Δ typed, or dragged on the recovery plot, past the window). */
  private fitWindow(): void {
    const pp = this.state.pp;
    if (pp.interval <= pp.window) return;
    pp.window = WINDOWS.find((w) => w >= pp.interval) ?? (WINDOWS[WINDOWS.length - 1] as number);
    this.window.set(String(pp.window));
    this.interval.setSliderRange(0.1, pp.window, 0.05);
  }

  /** Runs the trial on the next frame (a drag moves many times a frame; only the last position runs). */
  private schedule(): void {
    this.fitWindow();
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.runTrial();
    });
  }

  private runTrial(): void {
    const m = this.measured;
    // the protocol (conditioning amplitude, first spike) belongs to the settings it was measured for
    if (!m || !this.visible || m.key !== this.key()) return;
    const s = this.state;
    const r = m.r;
    const t0 = performance.now();
    const start2 = r.first_spike_ms + s.pp.interval;
    try {
      this.trial = pairedPulse({
        model: modelRef(s.model),
        parameters: blockedParams(s, s.params),
        dt_ms: s.dt,
        method: s.method,
        interval_ms: s.pp.interval,
        amplitude_uA_per_cm2: s.pp.amplitude,
        conditioning_amplitude_uA_per_cm2: r.conditioning_amplitude_uA_per_cm2,
        first_spike_ms: r.first_spike_ms,
        duration_ms: coverSteps(Math.max(start2 + r.observe_ms, r.first_spike_ms + s.pp.window + 10), s.dt),
      });
    } catch (e) {
      // a value the library refuses (e.g. Δ ≤ 0 from a link): said beside its field and above the figure
      const message = (e as Error).message;
      this.trial = null;
      this.root.dataset.ppState = "error";
      this.outcome.textContent = message;
      this.outcome.classList.remove("pending", "fired");
      if (/interval/.test(message)) this.interval.setError(message);
      else if (/amplitude/.test(message)) this.amplitude.setError(message);
      return;
    }
    this.root.dataset.trialMs = (performance.now() - t0).toFixed(2);
    this.render();
  }

  /** Keeps the trial on screen as a point of the recovery plot. */
  private keep(): void {
    // the value just committed may still wait for its frame: run it now, so the point is that trial
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.runTrial();
    }
    const t = this.trial;
    if (!t || this.measured?.key !== this.key()) return;
    const tried = this.state.pp.tried;
    const last = tried[tried.length - 1];
    if (last && last.interval_ms === t.interval_ms && last.amplitude_uA_per_cm2 === t.amplitude_uA_per_cm2) return;
    tried.push({ interval_ms: t.interval_ms, amplitude_uA_per_cm2: t.amplitude_uA_per_cm2, fired: t.fired });
    if (tried.length > MAX_TRIED) tried.shift();
    this.hooks.saveUrl();
    this.render();
  }

  private render(): void {
    const m = this.measured;
    const t = this.trial;
    if (!m || !t || !this.visible) return;
    const r = m.r;
    const s = this.state;
    const width = Math.max(280, Math.floor(this.trialBox.clientWidth || 800));
    const periods = {
      absolute_ms: r.absolute_status === "measured" ? r.absolute_refractory_ms : null,
      relative_ms: r.relative_status === "measured" ? r.relative_refractory_ms : null,
    };
    const tf = trialFigure(
      {
        t_ms: t.t_ms,
        V_mV: t.V_mV,
        I_uA_per_cm2: t.I_inj_uA_per_cm2,
        first_spike_ms: t.first_spike_ms,
        first_pulse_start_ms: t.first_pulse_start_ms,
        pulse_ms: t.pulse_ms,
        interval_ms: t.interval_ms,
        amplitude_uA_per_cm2: t.amplitude_uA_per_cm2,
        fired: t.fired,
        window_ms: s.pp.window,
        iMax: r.cap_uA_per_cm2 * 1.1,
        periods,
      },
      width,
    );
    const rf = recoveryFigure(
      {
        intervals_ms: r.intervals_ms,
        thresholds_uA_per_cm2: r.thresholds_uA_per_cm2,
        single_pulse_threshold_uA_per_cm2: r.single_pulse_threshold_uA_per_cm2,
        recovery_fraction: r.recovery_fraction,
        cap_uA_per_cm2: r.cap_uA_per_cm2,
        cap_factor: r.cap_factor,
        periods,
        scanned_range_ms: r.scanned_range_ms,
        trials: this.state.pp.tried,
        current: { interval_ms: t.interval_ms, amplitude_uA_per_cm2: t.amplitude_uA_per_cm2, fired: t.fired },
      },
      width,
    );
    this.svgs = { trial: tf.svg, recovery: rf.svg };
    this.toSetting = { trial: tf.toSetting, recovery: rf.toSetting };
    this.trialSvg.innerHTML = tf.svg;
    this.recoverySvg.innerHTML = rf.svg;
    const place = (d: HTMLElement, b: { x0: number; y0: number; x1: number; y1: number }) =>
      Object.assign(d.style, { left: `${b.x0}px`, top: `${b.y0}px`, width: `${b.x1 - b.x0}px`, height: `${b.y1 - b.y0}px` });
    place(this.trialDrag, tf.currentFrame);
    place(this.recoveryDrag, rf.frame);
    const boxes = (l: PlacedText[]) => JSON.stringify(l.map((p) => ({ text: p.text, ...p.box })));
    this.trialBox.dataset.labels = boxes(tf.labels);
    this.recoveryBox.dataset.labels = boxes(rf.labels);
    // in words
    const phase = refractoryPhase(r, t.interval_ms);
    const where =
      phase === "absolute"
        ? "inside the absolute refractory period: no amplitude up to the cap fires"
        : phase === "relative"
          ? "in the relative refractory period: the threshold is raised"
          : "after the relative refractory period: the threshold is back within 5 %";
    this.outcome.textContent = `${t.fired ? `Fired: a spike at ${t.second_spike_ms?.toFixed(2)} ms.` : `Not fired: no spike within ${t.observe_ms} ms.`} Δ ${t.interval_ms.toFixed(2)} ms, ${t.amplitude_uA_per_cm2.toFixed(2)} µA/cm² (${where}).`;
    this.outcome.dataset.fired = String(t.fired);
    this.outcome.classList.toggle("fired", t.fired);
    this.outcome.classList.remove("pending");
    const dd = (label: string, value: string, id: string) => [el("dt", {}, label), el("dd", { id }, value)];
    const fmtPeriod = (v: number | null, status: string) =>
      v !== null
        ? `${v.toFixed(2)} ms`
        : status === "below-scanned-range"
          ? `below ${r.scanned_range_ms[0]} ms`
          : `not reached by ${r.scanned_range_ms[1]} ms`;
    this.periods.replaceChildren(
      ...dd("single-pulse threshold", `${r.single_pulse_threshold_uA_per_cm2.toFixed(3)} µA/cm²`, "pp-single"),
      ...dd(
        "absolute refractory",
        `${fmtPeriod(r.absolute_refractory_ms, r.absolute_status)} (no spike up to ${r.cap_factor}× threshold)`,
        "pp-absolute",
      ),
      ...dd(
        "relative refractory",
        `${fmtPeriod(r.relative_refractory_ms, r.relative_status)} (threshold above +${Math.round(r.recovery_fraction * 100)} % = ${(r.single_pulse_threshold_uA_per_cm2 * (1 + r.recovery_fraction)).toFixed(3)} µA/cm²)`,
        "pp-relative",
      ),
      ...dd("points tried", `${this.state.pp.tried.length} (${this.state.pp.tried.filter((x) => x.fired).length} fired)`, "pp-count"),
    );
    this.words();
    this.root.dataset.ppState = "ready";
  }

  /** The `spikelab paired` command and the library calls of the settings on screen. */
  private words(): void {
    const settings = pairedSettingsOf(this.state);
    this.cli.textContent = pairedCommandLine(settings);
    this.call.textContent = pairedLibraryCall(settings);
  }

  /** Pointer (mouse, pen, touch) drags on a figure's drag area set Δ and the amplitude; the release keeps the point. */
  private drag(area: HTMLElement, which: "trial" | "recovery"): void {
    let active: number | null = null;
    const at = (e: PointerEvent) => {
      const map = this.toSetting[which];
      if (!map) return;
      const box = (area.parentElement as HTMLElement).getBoundingClientRect();
      const v = map(e.clientX - box.left, e.clientY - box.top);
      const round = (x: number, d: number) => Number(x.toFixed(d));
      this.state.pp.interval = round(v.interval_ms, v.interval_ms < 10 ? 2 : 1);
      this.state.pp.amplitude = round(v.amplitude_uA_per_cm2, 2);
      this.interval.set(this.state.pp.interval);
      this.amplitude.set(this.state.pp.amplitude);
      this.interval.setError(null);
      this.amplitude.setError(null);
      this.hooks.saveUrl();
      this.schedule();
    };
    area.addEventListener("pointerdown", (e) => {
      if (active !== null) return;
      active = e.pointerId;
      this.root.dataset.pointer = e.pointerType;
      area.setPointerCapture(e.pointerId);
      e.preventDefault();
      at(e);
    });
    area.addEventListener("pointermove", (e) => {
      if (e.pointerId === active) at(e);
    });
    const end = (e: PointerEvent) => {
      if (e.pointerId !== active) return;
      active = null;
      this.keep();
    };
    area.addEventListener("pointerup", end);
    area.addEventListener("pointercancel", end);
  }

  private async png(which: "trial" | "recovery"): Promise<void> {
    if (this.svgs[which]) download(`spikelab-paired-${which}.png`, await svgToPng(this.svgs[which]));
  }

  private csv(): void {
    download("spikelab-paired-points.csv", trialsCsv(this.state.pp.tried), "text/csv");
  }

  private json(): void {
    const m = this.measured;
    const t = this.trial;
    if (!m || !t) return;
    const s = this.state;
    const r = m.r;
    const json = {
      model: s.model,
      parameters: blockedParams(s, s.params),
      method: s.method,
      dt_ms: s.dt,
      trial: {
        interval_ms: t.interval_ms,
        amplitude_uA_per_cm2: t.amplitude_uA_per_cm2,
        conditioning_amplitude_uA_per_cm2: t.conditioning_amplitude_uA_per_cm2,
        first_spike_ms: t.first_spike_ms,
        second_pulse_start_ms: t.second_pulse_start_ms,
        fired: t.fired,
        second_spike_ms: t.second_spike_ms,
        t_ms: Array.from(t.t_ms),
        V_mV: Array.from(t.V_mV),
        I_inj_uA_per_cm2: Array.from(t.I_inj_uA_per_cm2),
      },
      points: this.state.pp.tried,
      recovery: {
        intervals_ms: r.intervals_ms,
        thresholds_uA_per_cm2: r.thresholds_uA_per_cm2,
        single_pulse_threshold_uA_per_cm2: r.single_pulse_threshold_uA_per_cm2,
        criterion_uA_per_cm2: r.single_pulse_threshold_uA_per_cm2 * (1 + r.recovery_fraction),
        recovery_fraction: r.recovery_fraction,
        cap_uA_per_cm2: r.cap_uA_per_cm2,
        absolute_refractory_ms: r.absolute_refractory_ms,
        absolute_status: r.absolute_status,
        relative_refractory_ms: r.relative_refractory_ms,
        relative_status: r.relative_status,
      },
    };
    download("spikelab-paired.json", `${JSON.stringify(json, null, 1)}\n`, "application/json");
  }
}
