/**
 * The Fit view: a model's parameters fitted to a target with the library's CMA-ES (src/fit, as `spikelab fit`),
 * in a worker, with progress after every generation and Cancel. The target is simulated from the live lab's
 * model at the lab's parameters (plus recording noise), or is the recording loaded in the live lab (its
 * current steps, in pA, scaled by an assumed membrane area). Shows the fitted traces over the target (the
 * library's fit figure), the parameters with their spread, and exports the fitted model file.
 */

import type { FitSweep } from "../../../src/fit/objective.js";
import type { Recording } from "../../../src/io/recordings/types.js";
import type { NeuronModel, ParameterInfo } from "../../../src/models/types.js";
import { blockedParams } from "../blockState.js";
import { el, prettyUnit } from "../controls.js";
import { download } from "../download.js";
import { modelParameters } from "../lib.js";
import { modelOf, modelRef } from "../models.js";
import type { LabState } from "../state.js";
import type { FitReply, FitRequest } from "./fit.worker.js";

/** What recording.ts announces when the live lab has read a recording. */
export const RECORDING_EVENT = "spikelab-recording";
export interface RecordingEventDetail {
  readonly name: string;
  readonly recording: Recording;
}

const FEATURES = ["Spikecount", "time_to_first_spike", "mean_frequency", "voltage_base", "steady_state_voltage_stimend"];
/** The parameters ticked by default, where the model has them. */
const DEFAULT_FITTED = ["gNa", "gK", "gL", "EL"];

const p5 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : String(+x.toPrecision(5)));

/** Default bounds around a parameter's value: ×½…×2 for a positive quantity, ±10 mV for a potential or a shift. */
function defaultBounds(p: ParameterInfo): [number, number] {
  if (p.unit === "mV") return [Math.max(p.min, p.value - 10), Math.min(p.max, p.value + 10)];
  if (p.value > 0) return [Math.max(p.min, p.value / 2), Math.min(p.max, p.value * 2)];
  if (p.value === 0) return [p.min < 0 ? -1 : 0, 1];
  return [p.value * 2, p.value / 2];
}

type Done = Extract<FitReply, { kind: "done" }>;

export class FitPanel {
  private worker: Worker | null = null;
  private readonly progress = el("p", { id: "fit-progress", class: "meta", role: "status", "aria-live": "polite" }, "");
  private readonly banner = el("p", { class: "banner", id: "fit-error", role: "alert", hidden: "" });
  private readonly paramsBox = el("div", { class: "fit-params-box" });
  private readonly figure = el("div", { id: "fit-figure", class: "fit-figure" });
  private svg: string | null = null;
  private readonly results = el("div", { id: "fit-results" });
  private readonly recordingNote = el(
    "p",
    { class: "meta", id: "fit-recording-note" },
    "No recording loaded: drop one onto the live lab first.",
  );
  private readonly startButton = el("button", { type: "button", id: "fit-start" }, "Start fit");
  private readonly cancelButton = el("button", { type: "button", id: "fit-cancel", disabled: "" }, "Cancel");
  private readonly exportModel = el("button", { type: "button", id: "fit-export-model", disabled: "" }, "Export model file");
  private readonly exportJson = el("button", { type: "button", id: "fit-export-json", disabled: "" }, "Export result (JSON)");
  private readonly simRadio = el("input", { type: "radio", name: "fit-target", id: "fit-target-sim", value: "sim", checked: "" });
  private readonly recRadio = el("input", { type: "radio", name: "fit-target", id: "fit-target-rec", value: "rec", disabled: "" });
  private readonly inputs = new Map<string, HTMLInputElement>();
  private recording: RecordingEventDetail | null = null;
  private modelKey = "";
  private rows = new Map<string, { use: HTMLInputElement; lo: HTMLInputElement; hi: HTMLInputElement; info: ParameterInfo }>();
  private history: number[] = [];
  private last: Done | null = null;
  private request: FitRequest | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly state: LabState,
  ) {
    const number = (id: string, label: string, value: string, unit: string, attrs: Record<string, string> = {}) => {
      const input = el("input", { type: "text", inputmode: "decimal", id, value, ...attrs });
      this.inputs.set(id, input);
      return el("div", { class: "field fit-field" }, el("label", { for: id }, `${label}${unit ? ` (${unit})` : ""}`), input);
    };
    const simBox = el(
      "div",
      { class: "fit-group", id: "fit-sim" },
      number("fit-amps", "Steps", "-2, 3, 8", "µA/cm², comma-separated"),
      number("fit-noise", "Noise", "0.5", "mV"),
      number("fit-noise-seed", "Noise seed", "1", ""),
    );
    const recBox = el(
      "div",
      { class: "fit-group", id: "fit-rec" },
      this.recordingNote,
      number("fit-area", "Membrane area", "20000", "µm²"),
    );
    const protocol = el(
      "div",
      { class: "fit-group" },
      number("fit-start-ms", "Step start", "20", "ms"),
      number("fit-stop-ms", "Step stop", "120", "ms"),
      number("fit-duration-ms", "Duration", "150", "ms"),
    );
    const optimizer = el(
      "div",
      { class: "fit-group" },
      number("fit-seed", "Optimizer seed", "1", ""),
      number("fit-generations", "Max generations", "200", "per stage"),
      el(
        "div",
        { class: "field fit-field" },
        el(
          "label",
          { for: "fit-refine" },
          el("input", { type: "checkbox", id: "fit-refine", checked: "" }),
          " refine with the trace distance (spread 2 mV)",
        ),
      ),
    );
    const targetChoice = el(
      "fieldset",
      { class: "fit-target" },
      el("legend", {}, "Target"),
      el("label", { for: "fit-target-sim" }, this.simRadio, " simulated from the live lab's model at the lab's parameters"),
      el("label", { for: "fit-target-rec" }, this.recRadio, " the recording loaded in the live lab"),
    );
    this.startButton.addEventListener("click", () => this.start());
    this.cancelButton.addEventListener("click", () => this.cancel());
    this.exportModel.addEventListener("click", () => this.saveModel());
    this.exportJson.addEventListener("click", () => this.saveJson());
    root.append(
      el("h2", {}, "Fit parameters to a target"),
      el(
        "p",
        { class: "meta" },
        "CMA-ES with the library's eFEL-feature objective (as ",
        el("code", {}, "spikelab fit"),
        "), each generation one batched run in a worker. Tick the parameters to fit and give their bounds; the search starts at the model's defaults.",
      ),
      targetChoice,
      simBox,
      recBox,
      protocol,
      el("h3", {}, "Parameters"),
      this.paramsBox,
      optimizer,
      el("div", { class: "exports" }, this.startButton, this.cancelButton, this.exportModel, this.exportJson),
      this.banner,
      this.progress,
      this.figure,
      this.results,
    );
    document.addEventListener(RECORDING_EVENT, (e) => {
      this.recording = (e as CustomEvent<RecordingEventDetail>).detail;
      this.recRadio.disabled = false;
      const r = this.recording.recording;
      this.recordingNote.textContent = `${this.recording.name}: ${r.sweeps.length} sweep(s); steps from its stimulus table (pA), scaled by the membrane area.`;
    });
  }

  show(): void {
    const key = this.state.model;
    if (key !== this.modelKey) {
      this.modelKey = key;
      this.buildParameters();
    }
  }

  private model(): NeuronModel | undefined {
    return modelOf(this.state.model);
  }

  private buildParameters(): void {
    const m = this.model();
    this.rows.clear();
    if (!m) {
      this.paramsBox.replaceChildren(el("p", { class: "meta" }, "No model."));
      return;
    }
    const info = modelParameters(m).filter((p) => p.name !== "V0" && !Object.hasOwn(m.constants ?? {}, p.name));
    const head = el("tr", {}, ...["fit", "parameter", "lower", "upper", "start (default)"].map((h) => el("th", { scope: "col" }, h)));
    const body = info.map((p) => {
      const [lo, hi] = defaultBounds(p);
      const use = el("input", { type: "checkbox", id: `fit-use-${p.name}`, "aria-label": `fit ${p.name}` });
      use.checked = DEFAULT_FITTED.includes(p.name);
      const lower = el("input", {
        type: "text",
        inputmode: "decimal",
        id: `fit-lo-${p.name}`,
        value: String(+lo.toPrecision(6)),
        "aria-label": `${p.name} lower bound`,
      });
      const upper = el("input", {
        type: "text",
        inputmode: "decimal",
        id: `fit-hi-${p.name}`,
        value: String(+hi.toPrecision(6)),
        "aria-label": `${p.name} upper bound`,
      });
      this.rows.set(p.name, { use, lo: lower, hi: upper, info: p });
      return el(
        "tr",
        {},
        el("td", {}, use),
        el("th", { scope: "row" }, `${p.name} (${prettyUnit(p.unit)})`),
        el("td", {}, lower),
        el("td", {}, upper),
        el("td", {}, p5(p.value)),
      );
    });
    this.paramsBox.replaceChildren(el("table", { id: "fit-params", class: "fit-table" }, el("thead", {}, head), el("tbody", {}, ...body)));
  }

  private num(id: string): number {
    const raw = this.inputs.get(id)?.value ?? "";
    const v = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(v)) throw new Error(`${id.replace(/^fit-/, "")} must be a number; got "${raw}"`);
    return v;
  }

  /** The request from the controls; a bad control is one line. */
  private buildRequest(): FitRequest {
    const m = this.model();
    if (!m) throw new Error("no model to fit");
    const parameters = [...this.rows.entries()]
      .filter(([, r]) => r.use.checked)
      .map(([name, r]) => {
        const lower = Number(r.lo.value);
        const upper = Number(r.hi.value);
        if (!Number.isFinite(lower) || !Number.isFinite(upper))
          throw new Error(`bounds of ${name} must be numbers; got "${r.lo.value}" and "${r.hi.value}"`);
        return { name, lower, upper };
      });
    if (!parameters.length) throw new Error("tick at least one parameter to fit");
    const fitted = new Set(parameters.map((p) => p.name));
    // the lab's own parameter values (blocked conductances included, as the live lab runs them): the truth of a
    // simulated target; held fixed for a recording unless fitted
    const labParams = Object.fromEntries(
      Object.entries(blockedParams(this.state, this.state.params)).filter(([k]) => modelParameters(m).some((p) => p.name === k)),
    );
    const fromRecording = this.recRadio.checked;
    const common = {
      model: modelRef(this.state.model),
      parameters,
      start_ms: this.num("fit-start-ms"),
      stop_ms: this.num("fit-stop-ms"),
      duration_ms: this.num("fit-duration-ms"),
      features: FEATURES,
      traceSpread_mV: (document.getElementById("fit-refine") as HTMLInputElement | null)?.checked ? 2 : 0,
      seed: this.num("fit-seed"),
      maxGenerations: this.num("fit-generations"),
    };
    if (!fromRecording) {
      const amps = (this.inputs.get("fit-amps")?.value ?? "").split(",").map((x) => Number(x.trim()));
      if (!amps.length || amps.some((a) => !Number.isFinite(a))) throw new Error("steps must be comma-separated numbers (µA/cm²)");
      const fixed = Object.fromEntries(Object.entries(labParams).filter(([k]) => !fitted.has(k)));
      return {
        ...common,
        fixed,
        target: {
          kind: "simulated",
          truth: labParams,
          amplitudes_uA_per_cm2: amps,
          noise_mV: this.num("fit-noise"),
          seed: this.num("fit-noise-seed"),
        },
      };
    }
    const rec = this.recording?.recording;
    if (!rec) throw new Error("no recording loaded: drop one onto the live lab first");
    const sweeps: FitSweep[] = rec.sweeps.map((s, i) => {
      const st = s.stimulus;
      if (!st) throw new Error(`sweep ${i} of ${this.recording?.name} has no stimulus table: its step amplitude is unknown`);
      return { t_ms: s.t_ms, V_mV: s.V_mV, amplitude: st.amplitude * (st.unit === "nA" ? 1000 : 1) };
    });
    const first = rec.sweeps[0]?.stimulus;
    const fixed = Object.fromEntries(Object.entries(labParams).filter(([k]) => !fitted.has(k)));
    return {
      ...common,
      start_ms: first?.start_ms ?? common.start_ms,
      stop_ms: first?.stop_ms ?? common.stop_ms,
      duration_ms: Math.min(...rec.sweeps.map((s) => s.t_ms[s.t_ms.length - 1] ?? 0)),
      fixed,
      target: { kind: "recording", sweeps, area_um2: this.num("fit-area") },
    };
  }

  private start(): void {
    this.banner.hidden = true;
    this.show(); // the lab's model may have changed since the view was opened
    let request: FitRequest;
    try {
      request = this.buildRequest();
    } catch (e) {
      this.fail((e as Error).message);
      return;
    }
    this.cancel(false);
    this.request = request;
    this.history = [];
    this.root.dataset.history = "[]";
    this.root.dataset.state = "running";
    this.progress.textContent = "starting the fit…";
    this.startButton.disabled = true;
    this.cancelButton.disabled = false;
    const worker = new Worker(new URL("./fit.worker.ts", import.meta.url), { type: "module" });
    this.worker = worker;
    worker.onmessage = (e: MessageEvent<FitReply>) => {
      if (worker !== this.worker) return;
      this.reply(e.data);
    };
    worker.onerror = (e) => this.fail(`the fit worker failed: ${e.message}`);
    worker.postMessage(request);
  }

  private cancel(say = true): void {
    this.worker?.terminate();
    this.worker = null;
    this.startButton.disabled = false;
    this.cancelButton.disabled = true;
    if (say && this.root.dataset.state === "running") {
      this.root.dataset.state = "cancelled";
      this.progress.textContent = `cancelled; ${this.progress.textContent}`;
    }
  }

  private fail(message: string): void {
    this.cancel(false);
    this.root.dataset.state = "error";
    this.banner.textContent = message;
    this.banner.hidden = false;
  }

  private reply(r: FitReply): void {
    if (r.kind === "error") {
      this.fail(r.message);
      return;
    }
    if (r.kind === "progress") {
      if (r.stage === 1) {
        this.history.push(r.best);
        this.root.dataset.history = JSON.stringify(this.history);
      }
      this.root.dataset.best = JSON.stringify(r.bestParameters);
      const p = Object.entries(r.bestParameters)
        .map(([k, v]) => `${k} ${p5(v)}`)
        .join(", ");
      this.progress.textContent = `stage ${r.stage} (${r.stage === 1 ? "features" : "features + trace"}), generation ${r.generation} (population ${r.populationSize}): best objective ${p5(r.best)}; ${p}; ${r.seconds.toFixed(1)} s`;
      return;
    }
    this.last = r;
    this.cancel(false);
    this.root.dataset.state = "done";
    this.exportModel.disabled = false;
    this.exportJson.disabled = false;
    void this.draw(r);
  }

  private async draw(d: Done): Promise<void> {
    const r = d.result;
    const truth = this.request?.target.kind === "simulated" ? this.request.target.truth : null;
    const starts = new Map([...this.rows.entries()].map(([k, row]) => [k, row.info.value]));
    this.progress.textContent = `done: objective ${p5(r.objective)} after ${r.generations} generations (${r.evaluations} model runs), ${r.seconds.toFixed(1)} s; stop: ${r.stop}`;
    const head = ["parameter", "start", "fitted", ...(truth ? ["truth"] : []), "± slice (Δobjective 1)", "population sd"];
    const rows = Object.entries(r.parameters).map(([k, v]) =>
      el(
        "tr",
        {},
        el("th", { scope: "row" }, k),
        el("td", {}, p5(starts.get(k))),
        el("td", { "data-name": k }, p5(v)),
        ...(truth ? [el("td", {}, p5(truth[k] ?? starts.get(k)))] : []),
        el("td", {}, p5(r.spread[k]?.slice_width)),
        el("td", {}, p5(r.spread[k]?.population_sd)),
      ),
    );
    this.results.replaceChildren(
      el(
        "table",
        { id: "fit-result-table", class: "fit-table" },
        el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, ...rows),
      ),
    );
    const { fitFigure } = await import("../../../src/plot/fitFigure.js");
    const unit = d.unit === "pA" ? "pA" : "µA/cm²";
    const svg = fitFigure(document, {
      title: `spikelab fit: ${r.model.name.replace(/-fit$/, "")} to ${this.request?.target.kind === "recording" ? (this.recording?.name ?? "a recording") : "a simulated target"}`,
      window_ms: [this.request?.start_ms ?? 0, this.request?.stop_ms ?? 0],
      sweeps: d.target.map((s, i) => ({
        label: `${p5(s.amplitude)} ${unit}`,
        target: s,
        fit: { t_ms: r.t_ms, V_mV: r.V_mV[i] as Float64Array },
      })),
      lines: [
        ["fitted parameters", ""],
        ...Object.entries(r.parameters).map(([k, v]) => `  ${k} = ${p5(v)} ± ${p5(r.spread[k]?.slice_width)}`),
        ["objective", `${p5(r.objective)} (Σ z²)`],
        ...Object.entries(r.parts_by_feature).map(([k, v]) => `  ${k}: ${p5(v)}`),
      ],
    });
    // an image of the library's SVG (its Plot marks carry aria-labels that an inline <g> may not have)
    this.svg = svg;
    const img = el("img", {
      id: "fit-figure-img",
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
      alt: `the fitted model's trace (red) over the target (grey) for each step; objective ${p5(r.objective)}`,
    });
    const save = el("button", { type: "button", class: "small", id: "fit-export-svg" }, "Export figure (SVG)");
    save.addEventListener("click", () => this.svg && download("spikelab-fit.svg", this.svg, "image/svg+xml"));
    this.figure.replaceChildren(el("div", { class: "plot-tools" }, save), img);
  }

  private saveModel(): void {
    const r = this.last?.result;
    if (r) download(`${r.model.name}.json`, `${JSON.stringify(r.model, null, 2)}\n`, "application/json");
  }

  private saveJson(): void {
    const r = this.last?.result;
    if (!r) return;
    const { t_ms: _t, V_mV: _v, ...rest } = r;
    download("spikelab-fit.json", `${JSON.stringify(rest, null, 1)}\n`, "application/json");
  }
}
