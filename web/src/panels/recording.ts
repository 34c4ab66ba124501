/**
 * Drop a recording onto the live lab: the page reads it with the library's readers (text/CSV, ABF 1/2;
 * NWB through h5wasm, loaded only when an NWB file arrives), measures every sweep with the library's
 * `analyzeSweep` (the same code as `spikelab analyze --trace`) and draws the library's trace figure.
 * Errors are the library's one-line messages.
 */
import { el } from "../controls.js";
import { download } from "../download.js";
import type { Recording, SweepAnalysis } from "../recordingLib.js";

type Lib = typeof import("../recordingLib.js");
let lib: Promise<Lib> | null = null;
const library = (): Promise<Lib> => {
  lib ??= import("../recordingLib.js");
  return lib;
};

/** Reads a dropped or chosen file as a recording (NWB through h5wasm's in-memory file system). */
async function readRecording(file: File): Promise<Recording> {
  const { bytesSource, parseTextRecording, readAbf, sniffFormat } = await library();
  const bytes = new Uint8Array(await file.arrayBuffer());
  const src = bytesSource(bytes);
  const format = sniffFormat(src);
  if (format === "abf") return readAbf(src, file.name);
  if (format === "nwb") {
    const h5 = await import("h5wasm");
    const { FS } = await h5.ready;
    const path = `/${file.name.replace(/[^\w.-]/g, "_")}`;
    FS?.writeFile(path, bytes);
    const { readNwbFile } = await import("../../../src/io/recordings/nwb.js");
    try {
      return readNwbFile(h5, path, file.name);
    } finally {
      FS?.unlink(path);
    }
  }
  return parseTextRecording(new TextDecoder().decode(bytes), file.name);
}

const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? "—" : x.toFixed(d));

/** The "analyze a recording" box under the live lab: a drop zone, a file chooser, the summary, the figure. */
export function recordingPanel(dropTarget: HTMLElement): HTMLElement {
  const input = el("input", { type: "file", id: "recording-file", accept: ".txt,.csv,.dat,.abf,.nwb,.h5" });
  const message = el("p", { class: "meta", id: "recording-message", role: "status", "aria-live": "polite" }, "");
  const error = el("p", { class: "banner", id: "recording-error", role: "alert", hidden: "" });
  const summary = el("div", { id: "recording-summary" });
  const figure = el("div", { id: "recording-figure", class: "plot" });
  const root = el(
    "section",
    { class: "recording", id: "recording", "aria-label": "Analyze a recording" },
    el("h2", {}, "Analyze a recording"),
    el(
      "p",
      { class: "meta" },
      "Drop a voltage recording onto the live lab, or choose one: two columns (t in ms, V in mV), CSV with unit-named columns (t_ms,V_mV), Axon ABF 1/2, NWB. It is measured in this page with the library's analysis (as ",
      el("code", {}, "spikelab analyze --trace"),
      ").",
    ),
    el("label", { for: "recording-file" }, "Recording file: "),
    input,
    message,
    error,
    summary,
    figure,
  );

  async function analyze(file: File): Promise<void> {
    error.hidden = true;
    message.textContent = `reading ${file.name}…`;
    const t0 = performance.now();
    const L = await library();
    try {
      const rec = await readRecording(file);
      const numbers = [...(rec.sweep_numbers ?? rec.sweeps.map((_, i) => i))];
      const sweeps: SweepAnalysis[] = rec.sweeps.map((s) => L.analyzeSweep(s));
      show(L, file.name, rec, sweeps, numbers);
      // the Fit view (panels/fit.ts) offers the recording as its target
      document.dispatchEvent(new CustomEvent("spikelab-recording", { detail: { name: file.name, recording: rec } }));
      message.textContent = `${file.name}: ${rec.format}, ${rec.sweeps.length} sweep(s), measured in ${Math.round(performance.now() - t0)} ms`;
      root.dataset.sweeps = String(sweeps.length);
    } catch (e) {
      message.textContent = "";
      error.textContent = e instanceof L.SpikelabError ? e.message : `${file.name} could not be read: ${(e as Error).message}`;
      error.hidden = false;
    }
  }

  function show(L: Lib, name: string, rec: Recording, sweeps: SweepAnalysis[], numbers: number[]): void {
    const notes = [...rec.notes, ...sweeps.flatMap((s, i) => s.notes.map((n) => `sweep ${numbers[i]}: ${n}`))];
    const rows = sweeps.map((s, i) =>
      el(
        "tr",
        {},
        ...[
          String(numbers[i]),
          s.stimulus ? `${fmt(s.stimulus.amplitude, 1)} ${s.stimulus.unit}` : "—",
          String(s.spike_times_ms.length),
          fmt(s.firing.mean_rate_Hz),
          fmt(s.firing.first_isi_rate_Hz),
          fmt(s.firing.steady_state_rate_Hz),
          s.firing.sustained ? "yes" : "no",
          s.threshold_mV === null ? "—" : `${fmt(s.threshold_mV)} mV`,
        ].map((c) => el("td", {}, c)),
      ),
    );
    const head = ["sweep", "step", "spikes", "rate (Hz)", "first-ISI rate (Hz)", "steady-state rate (Hz)", "sustained", "threshold"];
    const fi = L.fiOfSweeps(sweeps, numbers);
    summary.replaceChildren(
      el("table", { id: "recording-table" }, el("tr", {}, ...head.map((h) => el("th", {}, h))), ...rows),
      ...(fi
        ? [
            el(
              "p",
              { id: "recording-fi" },
              `f–I: rheobase (smallest step that fires) ${fi.rheobase_estimate === null ? "none" : `${fi.rheobase_estimate} ${fi.unit}`}; sustained firing from ${fi.sustained_threshold_estimate === null ? "none of the steps" : `${fi.sustained_threshold_estimate} ${fi.unit}`}`,
            ),
          ]
        : []),
      ...(notes.length ? [el("ul", { class: "meta" }, ...notes.slice(0, 12).map((n) => el("li", {}, n)))] : []),
    );
    const svg = L.traceFigure(document, L.traceFigureInput(name, sweeps, rec.sweeps, numbers));
    const save = el("button", { class: "small", type: "button", "aria-label": "Download the recording's figure as SVG" }, "SVG");
    save.addEventListener("click", () => download(`${name}.svg`, svg, "image/svg+xml"));
    figure.replaceChildren(el("div", { class: "plot-tools" }, save));
    figure.insertAdjacentHTML("beforeend", svg);
  }

  input.addEventListener("change", () => {
    const f = input.files?.[0];
    if (f) void analyze(f);
  });
  dropTarget.addEventListener("dragover", (e) => {
    e.preventDefault();
    dropTarget.classList.add("dropping");
  });
  dropTarget.addEventListener("dragleave", () => dropTarget.classList.remove("dropping"));
  dropTarget.addEventListener("drop", (e) => {
    e.preventDefault();
    dropTarget.classList.remove("dropping");
    const f = e.dataTransfer?.files?.[0];
    if (f) {
      void analyze(f);
      root.scrollIntoView({ behavior: "smooth" });
    }
  });
  return root;
}
