/**
 * The browser lab: the settings panel, the live lab (V, gates, currents with annotations) and
 * the f–I panel, all driven by one state object that is mirrored into the URL.
 */
import { refractoryMarks } from "./annotations.js";
import { activeBlocks } from "./blockState.js";
import { el, type Field, type NumberField, numberField, prettyUnit, type SelectField, selectField, sliderRange } from "./controls.js";
import { download } from "./download.js";
import { type ErrorField, errorField } from "./errors.js";
import { guideQuery, guideSuffix } from "./guideSteps.js";
import { methodNames, modelParameters, type SimulationSpecInput } from "./lib.js";
import { modelOf, modelOptions } from "./models.js";
import { BlockersPanel } from "./panels/blockers.js";
import { ClampPanel } from "./panels/clamp.js";
import { ComparePanel, traceCurrent } from "./panels/compare.js";
import { DynamicsPanel } from "./panels/dynamics.js";
import { type Equivalents, equivalents } from "./panels/equivalent.js";
import { FiPanel } from "./panels/fi.js";
import { FitPanel } from "./panels/fit.js";
import { guide } from "./panels/guide.js";
import { LabPlots } from "./panels/labPlots.js";
import { MapPanel } from "./panels/map.js";
import { Measurements } from "./panels/measurements.js";
import { modelFileField } from "./panels/modelFile.js";
import { PairedPulsePanel } from "./panels/pairedPulse.js";
import { recordingPanel } from "./panels/recording.js";
import type { RunReply, WorkerError } from "./protocol.js";
import { fromQuery, type LabState, MAX_STEPS, runSpec, toQuery } from "./state.js";
import { traceCsv, traceJson, traceName } from "./traceExport.js";
import { showUrlProblems } from "./urlNotes.js";
import { urlProblems } from "./urlProblems.js";
import { LiveRunner } from "./workers.js";

const state: LabState = fromQuery(guideQuery(location.search));
const $ = <T extends HTMLElement = HTMLElement>(sel: string) => document.querySelector(sel) as T;
const body = document.body;
const status = $("#status");

function setStatus(text: string, bad = false): void {
  status.textContent = text;
  status.classList.toggle("bad", bad);
}

// ---------------------------------------------------------------- URL

let urlTimer = 0;
let equiv: Equivalents | null = null;
/** Mirrors the state into the URL, at most every 150 ms (browsers throttle history updates); the guide's step stays. */
function saveUrl(): void {
  clearTimeout(urlTimer);
  urlTimer = window.setTimeout(() => history.replaceState(null, "", `?${toQuery(state)}${guideSuffix(location.search)}`), 150);
  equiv?.update();
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
  // the run is asked for first: the worker computes it while the page builds the plots
  changed();
  buildPlots();
  map.modelChanged();
}

/** A model file (JSON/YAML, or NeuroML with its channel files), parsed here by the library's parsers. */
const modelFile = modelFileField((key) => {
  measurements.forget();
  model.setOptions(modelOptions(), key);
  switchModel(key);
});

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
  const params = modelParameters(m);
  const roots = params.map((p) => {
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
  });
  // the gates' voltage shifts (one per gating variable, 0 by default) wait behind a fold, open when one is set
  const isShift = (name: string) => name.startsWith("vShift_");
  const shifts = params.flatMap((p, i) => (isShift(p.name) ? [roots[i] as HTMLElement] : []));
  const linked = new URLSearchParams(location.search);
  const shiftSet = params.some(
    (p) => isShift(p.name) && (p.name in state.params || localProblems.has(`param:${p.name}`) || linked.has(`p.${p.name}`)),
  );
  paramBox.replaceChildren(
    ...params.flatMap((p, i) => (isShift(p.name) ? [] : [roots[i] as HTMLElement])),
    ...(shifts.length
      ? [
          el(
            "details",
            { class: "shifts", ...(shiftSet ? { open: "" } : {}) },
            el("summary", {}, `Gate voltage shifts (mV, ${shifts.length})`),
            ...shifts,
          ),
        ]
      : []),
  );
  blockers.modelChanged(fields.get("param:celsius")?.root ?? null);
}

const blockers = new BlockersPanel(state, () => changed());
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
  blockers.root,
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
/** The measured numbers, as `spikelab analyze` prints them for the same settings (with the refractory periods). */
const measurements = new Measurements(() => {
  if (lastRun) render(lastRun.reply);
});
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

const plots = new LabPlots(plotsBox, () => [
  measurements.root,
  el("details", { class: "marks" }, el("summary", {}, "Annotations, in words"), marksList),
]);

/** Builds the plots for the model chosen (unless built for it) and draws the last run of that model on them. */
function buildPlots(): void {
  if (plots.build(state.model, state.currents) && lastRun && lastRun.model === state.model) render(lastRun.reply);
}

currentsToggle.addEventListener("change", () => {
  state.currents = currentsToggle.checked;
  if (plots.model !== null) {
    plots.showCurrents(state.currents);
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
  /** The parameter overrides and the blocks (TTX 50 %) the run was asked with, for the Compare legend. */
  lab: { params: Record<string, number>; block: ReturnType<typeof activeBlocks> };
}
let lastRun: Shown | null = null;
const specs = new Map<number, Omit<Shown, "reply">>();
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
  blockers.refresh();
  if (affectsSweep) {
    fi.settingsChanged();
    map.settingsChanged();
    clamp.shown();
  }
  dyn.changed();
  paired.changed();
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
  specs.set(id, { spec, model: state.model, lab: { params: { ...state.params }, block: activeBlocks(state) } });
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
  lastRun = { reply, spec, model: sent.model, lab: sent.lab };
  buildPlots();
  render(reply);
  measurements.schedule(spec, state.model);
  dyn.liveRun(reply);
  markStale(localProblems.size > 0);
  if (localProblems.size) return;
  body.dataset.labState = final ? "ready" : "running";
  body.dataset.labElapsedMs = reply.elapsed_ms.toFixed(3);
  setStatus(`${reply.steps.toLocaleString("en")} steps of ${spec.method} in ${reply.elapsed_ms.toFixed(1)} ms`);
}

function render(reply: RunReply): void {
  if (plots.model === null) return;
  const t = reply.t_ms;
  const end = (t[t.length - 1] as number | undefined) ?? 0;
  const marks = [...reply.marks, ...refractoryMarks(reply.aps, measurements.refractory, end)];
  plots.set(reply, marks, state.currents);
  const n = reply.spike_times_ms.length;
  spikeCount.textContent = `${n} spike${n === 1 ? "" : "s"}`;
  spikeCount.dataset.count = String(n);
  const highest = reply.aps.reduce<(typeof reply.aps)[number] | null>((a, b) => (a && a.peak_mV >= b.peak_mV ? a : b), null);
  runMeta.textContent = highest ? `highest peak ${highest.peak_mV.toFixed(2)} mV at ${highest.peak_ms.toFixed(3)} ms` : "no spike";
  marksList.replaceChildren(...marks.map((m) => el("li", {}, m.label)));
  measurements.render(reply);
}

// ---------------------------------------------------------------- export of the trace

exportCsv.addEventListener("click", () => {
  if (!lastRun) return;
  download(`${traceName(lastRun.spec)}.csv`, traceCsv(lastRun.reply), "text/csv");
});
exportJson.addEventListener("click", () => {
  if (!lastRun) return;
  download(`${traceName(lastRun.spec)}.json`, traceJson(lastRun.reply), "application/json");
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
const clamp = new ClampPanel($("#view-clamp"), state, { blockChanged: () => changed() });
const paired = new PairedPulsePanel($("#view-paired"), state, { saveUrl });
const fitPanel = new FitPanel($("#view-fit"), state);
const tabs = {
  lab: $("#tab-lab"),
  fi: $("#tab-fi"),
  map: $("#tab-map"),
  dynamics: $("#tab-dynamics"),
  clamp: $("#tab-clamp"),
  paired: $("#tab-paired"),
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
  if (view === "paired") paired.show();
  else paired.hide();
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

new ComparePanel(
  "trace",
  labView,
  () => lastRun && traceCurrent(lastRun.model, lastRun.spec, lastRun.reply.t_ms, lastRun.reply.traces.V, lastRun.lab),
  {
    target: body,
    attribute: "data-lab-shown",
  },
);
new ComparePanel("fi", $("#view-fi"), () => fi.current(), { target: $("#view-fi"), attribute: "data-fi-state" });
equiv = equivalents(state, () => clamp.s);
guide();
buildPlots();
showView(state.view);
showUrlProblems(urlProblems(location.search), $("main"));
changed();
