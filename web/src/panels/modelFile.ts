/**
 * The model-file field of the settings panel: a model file (JSON/YAML, NeuroML with its channel files, or
 * a NEURON .mod cell) parsed in the page by the library's parsers, its one-line error, and what was
 * imported shown in spikelab's own model format (to read or download).
 */
import { el } from "../controls.js";
import { download } from "../download.js";
import { addFileModel, modelFromFiles, oneLine } from "../models.js";

/** The field; `loaded` hears the select value of each model loaded. */
export function modelFileField(loaded: (key: string) => void): { root: HTMLElement; setError(message: string | null): void } {
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
      loaded(key);
      document.body.dataset.modelFile = "loaded";
    } catch (e) {
      setError(oneLine((e as Error).message));
      shown.hidden = true;
      document.body.dataset.modelFile = "error";
    }
  });
  return { root, setError };
}
