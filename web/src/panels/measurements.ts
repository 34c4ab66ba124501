/**
 * The live lab's measurements of the first action potential (threshold, peak, amplitude, half-width) and
 * the refractory periods, as `spikelab analyze` prints them for the same settings. The refractory periods
 * come from the paired-pulse protocol in a worker of its own (about a second): measured only when model,
 * parameters, method or dt change, debounced, remembered per settings.
 */
import { periodTexts, type Refractory, show } from "../annotations.js";
import { el } from "../controls.js";
import type { SimulationSpecInput } from "../lib.js";
import type { RunReply } from "../protocol.js";
import { MeasureRunner } from "../workers.js";

export class Measurements {
  private readonly measurer = new MeasureRunner();
  private readonly cache = new Map<string, Refractory>();
  private key = "";
  private timer = 0;
  /** The refractory periods of the settings shown (or that they are being measured, or why not). */
  refractory: Refractory = { state: "measuring" };

  private readonly mThreshold = measured("threshold", "threshold");
  private readonly mPeak = measured("peak", "action potential: peak");
  private readonly mAmplitude = measured("amplitude", "amplitude");
  private readonly mHalfWidth = measured("half-width", "half-width");
  private readonly mAbsolute = measured("absolute", "absolute refractory");
  private readonly mRelative = measured("relative", "relative refractory");
  private readonly note = el("p", { class: "meta measure-note", id: "measure-note" });
  readonly root = el(
    "section",
    { class: "measurements", id: "measurements", "aria-label": "Measurements of the first action potential" },
    el("dl", {}, ...[this.mThreshold, this.mPeak, this.mAmplitude, this.mHalfWidth, this.mAbsolute, this.mRelative].map((m) => m.root)),
    this.note,
  );

  /** `changed` hears each new refractory state (to redraw the run with it). */
  constructor(private readonly changed: (r: Refractory) => void) {}

  private set(r: Refractory): void {
    this.refractory = r;
    document.body.dataset.refractory = r.state;
    this.changed(r);
  }

  /** After a valid run: measure the refractory periods of its settings (debounced; remembered per settings). */
  schedule(spec: SimulationSpecInput, model: string): void {
    const settings = { model: spec.model, parameters: spec.parameters ?? {}, dt_ms: spec.dt_ms, method: spec.method ?? "euler" };
    const key = JSON.stringify([model, settings.parameters, settings.dt_ms, settings.method]);
    if (key === this.key) return;
    this.key = key;
    clearTimeout(this.timer);
    const cached = this.cache.get(key);
    if (cached) {
      this.set(cached);
      return;
    }
    this.set({ state: "measuring" });
    this.timer = window.setTimeout(() => {
      this.measurer
        .refractory(settings as Parameters<MeasureRunner["refractory"]>[0])
        .then(
          ({ result: r, elapsed_ms }): Refractory => ({
            state: "done",
            absolute_ms: r.absolute_refractory_ms,
            absolute_status: r.absolute_status,
            relative_ms: r.relative_refractory_ms,
            relative_status: r.relative_status,
            scanned_range_ms: r.scanned_range_ms,
            elapsed_ms,
          }),
          (e: Error): Refractory => ({ state: "error", message: e.message }),
        )
        .then((r) => {
          this.cache.set(key, r);
          if (key === this.key) this.set(r);
        });
    }, 300);
  }

  /** A file model loaded again under the same name: what was measured for the old one no longer holds. */
  forget(): void {
    this.cache.clear();
    this.key = "";
  }

  /** Shows the measurements of a run. */
  render(reply: RunReply): void {
    const first = reply.aps[0];
    const none = first ? "—" : "no action potential";
    this.mThreshold.value.textContent = first?.onset_mV != null ? show.mV(first.onset_mV) : none;
    this.mPeak.value.textContent = first ? `${show.mV(first.peak_mV)} at ${show.ms(first.peak_ms)}` : none;
    this.mAmplitude.value.textContent = first?.amplitude_mV != null ? show.mV(first.amplitude_mV) : none;
    this.mHalfWidth.value.textContent = first?.half_width_ms != null ? show.ms(first.half_width_ms) : none;
    const r = this.refractory;
    const words = r.state === "done" ? periodTexts(r) : null;
    const text = r.state === "measuring" ? "measuring…" : r.state === "error" ? "not measured" : null;
    this.mAbsolute.value.textContent = words?.absolute ?? text;
    this.mRelative.value.textContent = words?.relative ?? text;
    for (const m of [this.mAbsolute, this.mRelative]) m.value.classList.toggle("pending", r.state !== "done");
    this.note.textContent =
      `Threshold: the first action potential's onset, where dV/dt first exceeds ${reply.onset_dVdt_mV_per_ms} mV/ms; amplitude = peak − onset; half-width at half amplitude. ` +
      (r.state === "error"
        ? `Refractory periods: ${r.message}`
        : `Refractory periods: paired 1 ms pulses from rest (the library's protocol, as \`spikelab analyze\`), drawn from the first spike${
            r.state === "done" ? `; measured in ${(r.elapsed_ms / 1000).toFixed(1)} s` : ""
          }.`);
  }
}

/** One measured number: its label and value. */
function measured(id: string, label: string) {
  const value = el("dd", { id: `m-${id}` }, "…");
  return { value, root: el("div", { class: "measure" }, el("dt", {}, label), value) };
}
