/**
 * The browser lab: the settings panel, the live lab (V, gates, currents with annotations) and
 * the f–I panel, all driven by one state object that is mirrored into the URL.
 */
import { periodTexts, type Refractory, refractoryMarks, show } from "./annotations.js";
import { ClampPanel } from "./clamp.js";
import { el, type Field, type NumberField, numberField, prettyUnit, type SelectField, selectField, sliderRange } from "./controls.js";
import { download } from "./download.js";
import { DynamicsPanel } from "./dynamics.js";
import { type ErrorField, errorField } from "./errors.js";
import { FiPanel } from "./fi.js";
import type { FigureSpec } from "./figure.js";
import {
  builtinModels,
  columnName,
  methodNames,
  modelParameters,
  type NeuronModel,
  type SimulationSpecInput,
  stateNames,
  toCsv,
  variableColor,
} from "./lib.js";
import { MapPanel } from "./map.js";
import { addFileModel, modelFromFiles, modelOf, modelOptions, oneLine } from "./models.js";
import { FitPanel } from "./panels/fit.js";
import { LivePlot } from "./plots.js";
import type { RunReply, WorkerError } from "./protocol.js";
import { recordingPanel } from "./recording.js";
import { fromQuery, type LabState, MAX_STEPS, runSpec, toQuery } from "./state.js";
import { showUrlProblems } from "./urlNotes.js";
import { urlProblems } from "./urlProblems.js";
import { LiveRunner, MeasureRunner } from "./workers.js";

const state: LabState = fromQuery(location.search);
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector(sel) as T;
const body = document.body;
const status = $("#status");

function setStatus(text: string, bad = false): void {
  status.textContent = text;
  status.classList.toggle("bad", bad);
}

// ---------------------------------------------------------------- URL

let urlTimer = 0;
/** Mirrors the state into the URL, at most every 150 ms (browsers throttle history updates). */
function saveUrl(): void {
  clearTimeout(urlTimer);
  urlTimer = window.setTimeout(() => history.replaceState(null, "", `?${toQuery(state)}`), 150);
}

// ---------------------------------------------------------------- settings panel

/** Problems found by the page itself (text that is not a number), by field; they block a run. */
const localProblems = new Map<string, string>();
const fields = new Map<string, Field>();
const methodOptions = () => methodNames().map((m) => ({ value: m, label: m }));

type NumberKey = "amplitude" | "start" | "stop" | "duration" | "dt";
function labNumber(key: NumberKey, label: string, unit: string, slider?: { min: number; max: number; step: number }): NumberField {
  const f = numberField({
    id: `ctl-${key}`,
    label,
    unit,
    value: state[key],
    ...(slider ? { slider } : {}),
    onInput: (v, problem) => {
      if (v === null) {
        localProblems.set(key, problem ?? "not a number");
        f.setError(problem ?? "not a number");
        afterLocalProblem();
        return;
      }
      localProblems.delete(key);
      state[key] = v;
      if (key === "duration") syncTimeSliders();
      changed(key === "dt");
    },
  });
  fields.set(key, f);
  return f;
}

const amplitude = labNumber("amplitude", "Amplitude", "uA/cm2", { min: -10, max: 30, step: 0.1 });
const start = labNumber("start", "Start", "ms", { min: 0, max: 50, step: 0.5 });
const stop = labNumber("stop", "Stop", "ms", { min: 0, max: 50, step: 0.5 });
const duration = labNumber("duration", "Duration", "ms", { min: 10, max: 500, step: 5 });
const dt = labNumber("dt", "Time step dt", "ms");
function syncTimeSliders(): void {
  const d = Number.isFinite(state.duration) && state.duration > 0 ? state.duration : 50;
  for (const f of [start, stop]) f.setSliderRange(0, d, d <= 100 ? 0.5 : 1);
}
syncTimeSliders();

const method: SelectField = selectField({
  id: "ctl-method",
  label: "Method",
  options: methodOptions(),
  value: state.method,
  onChange: (v) => {
    state.method = v;
    changed();
  },
});
fields.set("method", method);

const model: SelectField = selectField({
  id: "ctl-model",
  label: "Model",
  options: modelOptions(),
  value: state.model,
  onChange: (v) => switchModel(v),
});
fields.set("model", model);

/** Switching models keeps the stimulus, duration, dt and method; parameters start at the new model's defaults. */
function switchModel(v: string): void {
  state.model = v;
  state.params = {};
  modelFile.setError(null);
  buildParameters();
  buildPlots();
  map.modelChanged();
  changed();
}

/** A model file (JSON/YAML, or NeuroML with its channel files), parsed here by the library's parsers. */
const modelFile = (() => {
  const id = "ctl-model-file";
  const input = el("input", {
    type: "file",
    id,
    accept: ".json,.yaml,.yml,.nml,.xml,.mod",
    multiple: "",
    "aria-describedby": `${id}-error ${id}-desc`,
  });
  const err = el("p", { class: "error", id: `${id}-error`, "aria-live": "polite", hidden: "" });
  // what was imported, in spikelab's own model format (the JSON of `spikelab model show FILE`), to read or keep
  const json = el("pre", {
    class: "model-json",
    id: `${id}-json`,
    tabindex: "0",
    role: "region",
    "aria-label": "Imported model as JSON in spikelab's model format",
  });
  const save = el("button", { class: "small", type: "button", id: `${id}-json-download` }, "Download JSON");
  const shown = el(
    "details",
    { class: "model-json-box", id: `${id}-shown`, hidden: "" },
    el("summary", {}, "Imported model (spikelab format)"),
    el(
      "p",
      { class: "desc" },
      "What spikelab made of the file; runs to the same numbers. Save it to edit and load again, or run it with ",
      el("code", {}, "spikelab run --model FILE.json"),
      ".",
    ),
    save,
    json,
  );
  let imported: { name: string; text: string } | null = null;
  save.addEventListener("click", () => {
    if (imported) download(`${imported.name}.json`, imported.text, "application/json");
  });
  const root = el(
    "div",
    { class: "field file-field" },
    el("label", { for: id }, "Or load a model file"),
    input,
    err,
    el("p", { class: "desc", id: `${id}-desc` }, "JSON or YAML in spikelab's model format, or a NeuroML 2 cell with its channel files"),
    shown,
  );
  const setError = (m: string | null) => {
    err.textContent = m ?? "";
    err.hidden = m === null;
    if (m === null) input.removeAttribute("aria-invalid");
    else input.setAttribute("aria-invalid", "true");
  };
  input.addEventListener("change", async () => {
    const files = await Promise.all([...(input.files ?? [])].map(async (f) => ({ name: f.name, text: await f.text() })));
    input.value = "";
    try {
      const m = modelFromFiles(files);
      const key = addFileModel(m);
      imported = { name: m.name, text: `${JSON.stringify(m, null, 2)}\n` };
      json.textContent = imported.text;
      shown.hidden = false;
      forgetMeasurements();
      model.setOptions(modelOptions(), key);
      switchModel(key);
      body.dataset.modelFile = "loaded";
    } catch (e) {
      setError(oneLine((e as Error).message));
      shown.hidden = true;
      body.dataset.modelFile = "error";
    }
  });
  return { root, setError };
})();

const modelDesc = el("p", { class: "model-desc", id: "model-desc" });
const paramBox = el("div", { class: "params" });
const resetParams = el("button", { class: "small", type: "button" }, "Reset to model defaults");
resetParams.addEventListener("click", () => {
  state.params = {};
  buildParameters();
  changed();
});

function buildParameters(): void {
  for (const key of [...fields.keys()]) if (key.startsWith("param:")) fields.delete(key);
  for (const key of [...localProblems.keys()]) if (key.startsWith("param:")) localProblems.delete(key);
  const m = modelOf(state.model);
  if (!m) return;
  modelDesc.replaceChildren(m.title, el("br"), el("details", {}, el("summary", {}, "Source"), m.source));
  paramBox.replaceChildren(
    ...modelParameters(m).map((p) => {
      const key = `param:${p.name}`;
      const f = numberField({
        id: `ctl-param-${p.name}`,
        label: p.name,
        unit: p.unit,
        value: state.params[p.name] ?? p.value,
        slider: sliderRange(p),
        description: `${p.description}; default ${p.value} ${prettyUnit(p.unit)}`,
        onInput: (v, problem) => {
          if (v === null) {
            localProblems.set(key, problem ?? "not a number");
            f.setError(problem ?? "not a number");
            afterLocalProblem();
            return;
          }
          localProblems.delete(key);
          if (v === p.value) delete state.params[p.name];
          else state.params[p.name] = v;
          changed();
        },
      });
      fields.set(key, f);
      return f.root;
    }),
  );
}

const labOnly = el(
  "section",
  { "aria-labelledby": "h-stim" },
  el("h2", { id: "h-stim" }, "Step current (live lab)"),
  amplitude.root,
  start.root,
  stop.root,
  duration.root,
);
$("#controls").append(
  labOnly,
  el("section", { "aria-labelledby": "h-int" }, el("h2", { id: "h-int" }, "Integration"), method.root, dt.root),
  el(
    "section",
    { "aria-labelledby": "h-model" },
    el("h2", { id: "h-model" }, "Model"),
    model.root,
    modelFile.root,
    modelDesc,
    paramBox,
    resetParams,
  ),
);
buildParameters();

// ---------------------------------------------------------------- live lab view

const labView = $("#view-lab");
const spikeCount = el("span", { class: "big", id: "spike-count", "aria-live": "polite" }, "…");
const runMeta = el("span", { class: "meta", id: "run-meta" });
const staleNote = el("span", { class: "meta stale-note", id: "stale-note", hidden: "" }, "showing the last valid run");
const currentsToggle = el("input", { type: "checkbox", id: "ctl-currents" });
currentsToggle.checked = state.currents;
const exportCsv = el("button", { class: "small", type: "button", id: "export-trace-csv" }, "CSV");
const exportJson = el("button", { class: "small", type: "button", id: "export-trace-json" }, "JSON");
const banner = el("p", { class: "banner", id: "lab-error", role: "alert", hidden: "" });
const plotsBox = el("div", { id: "lab-plots" });
const marksList = el("ul", { id: "marks" });
/** The measured numbers, as `spikelab analyze` prints them for the same settings. */
const measured = (id: string, label: string) => {
  const value = el("dd", { id: `m-${id}` }, "…");
  return { value, root: el("div", { class: "measure" }, el("dt", {}, label), value) };
};
const mThreshold = measured("threshold", "threshold");
const mPeak = measured("peak", "action potential: peak");
const mAmplitude = measured("amplitude", "amplitude");
const mHalfWidth = measured("half-width", "half-width");
const mAbsolute = measured("absolute", "absolute refractory");
const mRelative = measured("relative", "relative refractory");
const measureNote = el("p", { class: "meta measure-note", id: "measure-note" });
const measurements = el(
  "section",
  { class: "measurements", id: "measurements", "aria-label": "Measurements of the first action potential" },
  el("dl", {}, ...[mThreshold, mPeak, mAmplitude, mHalfWidth, mAbsolute, mRelative].map((m) => m.root)),
  measureNote,
);
labView.append(
  el(
    "div",
    { class: "summary" },
    spikeCount,
    runMeta,
    staleNote,
    el(
      "div",
      { class: "toolbar" },
      el("label", { class: "check", for: "ctl-currents" }, currentsToggle, "Ionic currents"),
      el("span", { class: "label", "aria-hidden": "true" }, " · Trace:"),
      exportCsv,
      exportJson,
    ),
  ),
  banner,
  plotsBox,
);
labView.append(recordingPanel(labView));
exportCsv.setAttribute("aria-label", "Download the trace as CSV");
exportJson.setAttribute("aria-label", "Download the trace as JSON");

interface LabPlots {
  model: string;
  v: LivePlot;
  gates: LivePlot | null;
  gateNames: string[];
  currents: LivePlot;
  currentNames: string[];
  currentsBox: HTMLElement;
}
let plots: LabPlots | null = null;

function plotBox(id: string, name: string, spec: FigureSpec, height: number): { box: HTMLElement; plot: LivePlot } {
  const png = el("button", { class: "small", type: "button", "aria-label": `Download ${name} as PNG` }, "PNG");
  const svg = el("button", { class: "small", type: "button", "aria-label": `Download ${name} as SVG` }, "SVG");
  const target = el("div");
  const box = el("div", { class: "plot", id }, el("div", { class: "plot-tools" }, png, svg), target);
  plotsBox.append(box);
  const plot = new LivePlot(target, spec, height, "lab");
  png.addEventListener("click", async () => download(`spikelab-${id}.png`, await plot.toPng()));
  svg.addEventListener("click", () => download(`spikelab-${id}.svg`, plot.toSvg(), "image/svg+xml"));
  return { box, plot };
}

function buildPlots(): void {
  if (plots?.model === state.model) return;
  if (plots) for (const p of [plots.v, plots.gates, plots.currents]) p?.destroy();
  plotsBox.replaceChildren();
  const m = modelOf(state.model) ?? (builtinModels.lab as NeuronModel);
  const gateNames = stateNames(m).slice(1);
  const currentNames = [...m.channels.map((c) => `I_${c.name}`), "I_inj"];
  const v = plotBox(
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
  plotsBox.append(measurements, el("details", { class: "marks" }, el("summary", {}, "Annotations, in words"), marksList));
  const gates = gateNames.length
    ? plotBox(
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
  const currents = plotBox(
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
  plots = {
    model: state.model,
    v: v.plot,
    gates: gates?.plot ?? null,
    gateNames,
    currents: currents.plot,
    currentNames,
    currentsBox: currents.box,
  };
  plots.currentsBox.hidden = !state.currents;
  if (lastRun && lastRun.model === state.model) render(lastRun.reply);
}

currentsToggle.addEventListener("change", () => {
  state.currents = currentsToggle.checked;
  if (plots) {
    plots.currentsBox.hidden = !state.currents;
    if (state.currents && lastRun) render(lastRun.reply);
  }
  saveUrl();
});

// ---------------------------------------------------------------- running

interface Shown {
  reply: RunReply;
  spec: SimulationSpecInput;
  /** The model select's value for this run (a built-in's name or "file:NAME"). */
  model: string;
}
let lastRun: Shown | null = null;
const specs = new Map<number, { spec: SimulationSpecInput; model: string }>();
const runner = new LiveRunner(onReply);

/** Field keys of the settings panel for each library argument. */
const LAB_FIELDS: Partial<Record<ErrorField, string>> = {
  dt_ms: "dt",
  duration_ms: "duration",
  "stimulus.amplitude": "amplitude",
  "stimulus.start_ms": "start",
  "stimulus.stop_ms": "stop",
  method: "method",
  model: "model",
};

function clearErrors(): void {
  for (const [key, f] of fields) f.setError(localProblems.get(key) ?? null);
  banner.hidden = true;
}

function showError(name: string, message: string): void {
  clearErrors();
  const where = errorField(name, message);
  const key = where === null ? undefined : where.startsWith("param:") ? where : LAB_FIELDS[where];
  const f = key ? fields.get(key) : undefined;
  if (f) f.setError(message);
  else {
    banner.textContent = message;
    banner.hidden = false;
  }
  markStale(true);
  setStatus(name === "DivergenceError" ? "The run diverged: see the message beside dt" : "Fix the highlighted setting", true);
  body.dataset.labState = "error";
}

/** Dims what the last valid run shows while the settings on screen cannot run. */
function markStale(stale: boolean): void {
  for (const b of [...plotsBox.querySelectorAll(".plot, .marks, .measurements"), spikeCount, runMeta]) b.classList.toggle("stale", stale);
  staleNote.hidden = !stale || lastRun === null;
}

function afterLocalProblem(): void {
  markStale(true);
  setStatus("Fix the highlighted setting", true);
  body.dataset.labState = "error";
  body.dataset.labShown = body.dataset.labRequested ?? "0";
  saveUrl();
}

/** Every change: mirror into the URL, re-run the live lab, and tell the f–I panel its sweep is out of date. */
function changed(affectsSweep = true): void {
  saveUrl();
  if (affectsSweep) {
    fi.settingsChanged();
    map.settingsChanged();
    clamp.shown();
  }
  dyn.changed();
  if (localProblems.size) {
    afterLocalProblem();
    return;
  }
  const steps = Math.round(state.duration / state.dt);
  if (state.dt > 0 && state.duration > 0 && steps > MAX_STEPS) {
    showError(
      "InvalidArgumentError",
      `dt_ms must give at most ${MAX_STEPS.toLocaleString("en")} steps in the live lab; duration ${state.duration} ms / dt ${state.dt} ms is ${steps.toLocaleString("en")} (use a larger dt or a shorter run)`,
    );
    body.dataset.labShown = body.dataset.labRequested ?? "0";
    return;
  }
  const spec = runSpec(state);
  const id = runner.request(spec);
  specs.set(id, { spec, model: state.model });
  body.dataset.labRequested = String(id);
  body.dataset.labState = "running";
}

function onReply(reply: RunReply | WorkerError): void {
  const sent = specs.get(reply.id);
  for (const id of specs.keys()) if (id <= reply.id) specs.delete(id);
  body.dataset.labShown = String(reply.id);
  if (reply.kind === "error") {
    showError(reply.name, reply.message);
    return;
  }
  // during a drag, intermediate runs are shown as they come; one for a model no longer chosen is not
  if (!sent || sent.model !== state.model) return;
  const spec = sent.spec;
  const final = reply.id === runner.latest;
  clearErrors();
  lastRun = { reply, spec, model: sent.model };
  buildPlots();
  render(reply);
  scheduleRefractory(spec);
  markStale(localProblems.size > 0);
  if (localProblems.size) return;
  body.dataset.labState = final ? "ready" : "running";
  body.dataset.labElapsedMs = reply.elapsed_ms.toFixed(3);
  setStatus(`${reply.steps.toLocaleString("en")} steps of ${spec.method} in ${reply.elapsed_ms.toFixed(1)} ms`);
}

// ---------------------------------------------------------------- refractory periods (measured in a worker)

/** The paired-pulse protocol takes about a second: it runs in its own worker, only when model, parameters, method or dt change. */
const measurer = new MeasureRunner();
const refractoryCache = new Map<string, Refractory>();
let refractory: Refractory = { state: "measuring" };
let refractoryKey = "";
let refractoryTimer = 0;

function setRefractory(r: Refractory): void {
  refractory = r;
  body.dataset.refractory = r.state;
  if (lastRun) render(lastRun.reply);
}

/** After a valid run: measure the refractory periods of its settings (debounced; remembered per settings). */
function scheduleRefractory(spec: SimulationSpecInput): void {
  const settings = { model: spec.model, parameters: spec.parameters ?? {}, dt_ms: spec.dt_ms, method: spec.method ?? "euler" };
  const key = JSON.stringify([state.model, settings.parameters, settings.dt_ms, settings.method]);
  if (key === refractoryKey) return;
  refractoryKey = key;
  clearTimeout(refractoryTimer);
  const cached = refractoryCache.get(key);
  if (cached) {
    setRefractory(cached);
    return;
  }
  setRefractory({ state: "measuring" });
  refractoryTimer = window.setTimeout(() => {
    measurer
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
        refractoryCache.set(key, r);
        if (key === refractoryKey) setRefractory(r);
      });
  }, 300);
}

/** A file model loaded again under the same name: what was measured for the old one no longer holds. */
function forgetMeasurements(): void {
  refractoryCache.clear();
  refractoryKey = "";
}

function renderMeasurements(reply: RunReply): void {
  const first = reply.aps[0];
  const none = first ? "—" : "no action potential";
  mThreshold.value.textContent = first?.onset_mV != null ? show.mV(first.onset_mV) : none;
  mPeak.value.textContent = first ? `${show.mV(first.peak_mV)} at ${show.ms(first.peak_ms)}` : none;
  mAmplitude.value.textContent = first?.amplitude_mV != null ? show.mV(first.amplitude_mV) : none;
  mHalfWidth.value.textContent = first?.half_width_ms != null ? show.ms(first.half_width_ms) : none;
  const r = refractory;
  const words = r.state === "done" ? periodTexts(r) : null;
  const text = r.state === "measuring" ? "measuring…" : r.state === "error" ? "not measured" : null;
  mAbsolute.value.textContent = words?.absolute ?? text;
  mRelative.value.textContent = words?.relative ?? text;
  for (const m of [mAbsolute, mRelative]) m.value.classList.toggle("pending", r.state !== "done");
  measureNote.textContent =
    `Threshold: the first action potential's onset, where dV/dt first exceeds ${reply.onset_dVdt_mV_per_ms} mV/ms; amplitude = peak − onset; half-width at half amplitude. ` +
    (r.state === "error"
      ? `Refractory periods: ${r.message}`
      : `Refractory periods: paired 1 ms pulses from rest (the library's protocol, as \`spikelab analyze\`), drawn from the first spike${
          r.state === "done" ? `; measured in ${(r.elapsed_ms / 1000).toFixed(1)} s` : ""
        }.`);
}

function render(reply: RunReply): void {
  if (!plots) return;
  const t = reply.t_ms;
  const none = new Float64Array(t.length).fill(Number.NaN);
  const end = (t[t.length - 1] as number | undefined) ?? 0;
  const marks = [...reply.marks, ...refractoryMarks(reply.aps, refractory, end)];
  plots.v.set({ x: t, ys: [reply.traces.V ?? none], marks });
  plots.gates?.set({ x: t, ys: plots.gateNames.map((g) => reply.traces[g] ?? none) });
  if (state.currents) plots.currents.set({ x: t, ys: plots.currentNames.map((c) => reply.traces[c] ?? none) });
  const n = reply.spike_times_ms.length;
  spikeCount.textContent = `${n} spike${n === 1 ? "" : "s"}`;
  spikeCount.dataset.count = String(n);
  const highest = reply.aps.reduce<(typeof reply.aps)[number] | null>((a, b) => (a && a.peak_mV >= b.peak_mV ? a : b), null);
  runMeta.textContent = highest ? `highest peak ${highest.peak_mV.toFixed(2)} mV at ${highest.peak_ms.toFixed(3)} ms` : "no spike";
  marksList.replaceChildren(...marks.map((m) => el("li", {}, m.label)));
  renderMeasurements(reply);
}

// ---------------------------------------------------------------- export of the trace

const traceColumns = (r: RunReply): Record<string, Float64Array> => {
  const cols: Record<string, Float64Array> = { t_ms: r.t_ms };
  for (const [v, a] of Object.entries(r.traces)) cols[columnName(v)] = a;
  return cols;
};
const traceName = (s: SimulationSpecInput) =>
  `spikelab-trace-${(typeof s.model === "string" ? s.model : (s.model?.name ?? "model")).replace(/[^A-Za-z0-9_.-]+/g, "-")}-${s.method}`;

exportCsv.addEventListener("click", () => {
  if (!lastRun) return;
  download(`${traceName(lastRun.spec)}.csv`, toCsv(traceColumns(lastRun.reply)), "text/csv");
});
exportJson.addEventListener("click", () => {
  if (!lastRun) return;
  const { reply, spec } = lastRun;
  const json = {
    model: spec.model,
    method: spec.method,
    dt_ms: spec.dt_ms,
    duration_ms: spec.duration_ms,
    stimulus: spec.stimulus,
    parameters: spec.parameters,
    spike_threshold_mV: 0,
    ...Object.fromEntries(Object.entries(traceColumns(reply)).map(([k, v]) => [k, Array.from(v)])),
    spike_times_ms: Array.from(reply.spike_times_ms),
    spike_count: reply.spike_times_ms.length,
  };
  download(`${traceName(spec)}.json`, `${JSON.stringify(json, null, 1)}\n`, "application/json");
});

// ---------------------------------------------------------------- views

const fi = new FiPanel($("#view-fi"), state, { saveUrl, setStatus, methods: methodOptions });
const map = new MapPanel($("#view-map"), state, {
  saveUrl,
  setStatus,
  openPoint(values, window) {
    for (const [name, v] of Object.entries(values)) {
      if (name === "amplitude") state.amplitude = v;
      else state.params[name] = v;
    }
    Object.assign(state, { start: window.start, stop: window.stop, duration: window.duration });
    for (const key of ["amplitude", "start", "stop", "duration"] as const) fields.get(key)?.setError(null);
    amplitude.set(state.amplitude);
    start.set(state.start);
    stop.set(state.stop);
    duration.set(state.duration);
    syncTimeSliders();
    buildParameters();
    showView("lab", true);
    changed();
  },
});
const dyn = new DynamicsPanel($("#view-dynamics"), state, { saveUrl, setStatus });
const clamp = new ClampPanel($("#view-clamp"), state);
const fitPanel = new FitPanel($("#view-fit"), state);
const tabs = {
  lab: $("#tab-lab"),
  fi: $("#tab-fi"),
  map: $("#tab-map"),
  dynamics: $("#tab-dynamics"),
  clamp: $("#tab-clamp"),
  fit: $("#tab-fit"),
};
const VIEWS = Object.keys(tabs) as LabState["view"][];

function showView(view: LabState["view"], focus = false): void {
  state.view = view;
  for (const [name, tab] of Object.entries(tabs)) {
    const on = name === view;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`#view-${name}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  labOnly.hidden = view !== "lab";
  body.dataset.view = view;
  if (view === "fi") fi.shown();
  if (view === "clamp") clamp.shown();
  if (view === "map") map.show();
  else map.hide();
  if (view === "dynamics") dyn.show();
  else dyn.hide();
  if (view === "fit") fitPanel.show();
  saveUrl();
}
for (const [name, tab] of Object.entries(tabs) as [LabState["view"], HTMLElement][]) {
  tab.addEventListener("click", () => showView(name));
  tab.addEventListener("keydown", (e) => {
    const k = VIEWS.indexOf(name);
    if (e.key === "ArrowRight") showView(VIEWS[(k + 1) % VIEWS.length] as LabState["view"], true);
    if (e.key === "ArrowLeft") showView(VIEWS[(k + VIEWS.length - 1) % VIEWS.length] as LabState["view"], true);
  });
}

buildPlots();
showView(state.view);
showUrlProblems(urlProblems(location.search), $("main"));
changed();
