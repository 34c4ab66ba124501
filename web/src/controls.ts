/**
 * Labelled, keyboard-accessible controls: a number with its unit (optionally with a slider
 * that moves with it), and a select. Each has an error line beside it that a message from the
 * library (or the page's own parsing) goes into; the input is then marked aria-invalid.
 */

/** Units as the library spells them in ASCII → as a reader expects them. */
export const prettyUnit = (unit: string): string =>
  unit.replace("uA/cm2", "µA/cm²").replace("uF/cm2", "µF/cm²").replace("mS/cm2", "mS/cm²").replace("degC", "°C");

export const el = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
};

export interface Field {
  readonly root: HTMLElement;
  setError(message: string | null): void;
}

export interface NumberField extends Field {
  readonly input: HTMLInputElement;
  readonly slider: HTMLInputElement | null;
  set(value: number): void;
  setSliderRange(min: number, max: number, step: number): void;
}

export interface NumberFieldOptions {
  id: string;
  label: string;
  unit: string;
  value: number;
  /** A slider beside the number, over this range. */
  slider?: { min: number; max: number; step: number };
  /** A longer description, read by screen readers and shown as a tooltip. */
  description?: string;
  /** Called with the number, or with null and a message when the text is not a number. */
  onInput(value: number | null, problem?: string): void;
}

function errorLine(id: string): HTMLElement {
  return el("p", { class: "error", id: `${id}-error`, "aria-live": "polite", hidden: "" });
}

function showError(line: HTMLElement, inputs: (HTMLElement | null)[], message: string | null): void {
  line.textContent = message ?? "";
  line.hidden = message === null;
  for (const i of inputs) {
    if (!i) continue;
    if (message === null) i.removeAttribute("aria-invalid");
    else i.setAttribute("aria-invalid", "true");
  }
}

/** Shortest text for a number that reads back as the same number. */
const text = (v: number) => (Number.isFinite(v) ? String(v) : "");

export function numberField(o: NumberFieldOptions): NumberField {
  const unit = prettyUnit(o.unit);
  const input = el("input", {
    id: o.id,
    type: "text",
    inputmode: "decimal",
    autocomplete: "off",
    spellcheck: "false",
    class: "num",
    "aria-describedby": `${o.id}-error${o.description ? ` ${o.id}-desc` : ""}`,
  });
  input.value = text(o.value);
  const label = el("label", { for: o.id }, o.label, unit ? el("span", { class: "unit" }, ` (${unit})`) : "");
  const err = errorLine(o.id);
  let slider: HTMLInputElement | null = null;
  const row = el("div", { class: "field-row" });
  if (o.slider) {
    slider = el("input", {
      type: "range",
      id: `${o.id}-slider`,
      min: String(o.slider.min),
      max: String(o.slider.max),
      step: String(o.slider.step),
      "aria-label": `${o.label}${unit ? ` (${unit})` : ""}, slider`,
    });
    slider.value = text(o.value);
    const s = slider;
    s.addEventListener("input", () => {
      input.value = s.value;
      o.onInput(Number(s.value));
    });
    row.append(s);
  }
  row.append(input, el("span", { class: "unit-tag", "aria-hidden": "true" }, unit));
  input.addEventListener("input", () => {
    const raw = input.value.trim();
    const v = raw === "" ? Number.NaN : Number(raw);
    if (!Number.isFinite(v)) {
      o.onInput(null, `${o.label} needs a number${unit ? ` of ${unit}` : ""}; got ${raw === "" ? "nothing" : JSON.stringify(raw)}`);
      return;
    }
    if (slider) slider.value = String(v);
    o.onInput(v);
  });
  const root = el("div", { class: "field" }, label, row, err);
  if (o.description) root.append(el("p", { class: "desc", id: `${o.id}-desc` }, o.description));
  return {
    root,
    input,
    slider,
    set(v) {
      input.value = text(v);
      if (slider) slider.value = text(v);
    },
    setSliderRange(min, max, step) {
      if (!slider) return;
      Object.assign(slider, { min: String(min), max: String(max), step: String(step) });
    },
    setError: (m) => showError(err, [input, slider], m),
  };
}

export interface SelectField extends Field {
  readonly select: HTMLSelectElement;
  set(value: string): void;
  setOptions(options: { value: string; label: string }[], value: string): void;
}

export function selectField(o: {
  id: string;
  label: string;
  options: { value: string; label: string }[];
  value: string;
  onChange(value: string): void;
}): SelectField {
  const select = el("select", { id: o.id, "aria-describedby": `${o.id}-error` });
  const err = errorLine(o.id);
  const setOptions = (options: { value: string; label: string }[], value: string) => {
    const all = options.some((x) => x.value === value) ? options : [...options, { value, label: `${value} (unknown)` }];
    select.replaceChildren(...all.map((x) => el("option", { value: x.value }, x.label)));
    select.value = value;
  };
  setOptions(o.options, o.value);
  select.addEventListener("change", () => o.onChange(select.value));
  const root = el("div", { class: "field" }, el("label", { for: o.id }, o.label), select, err);
  return { root, select, set: (v) => (select.value = v), setOptions, setError: (m) => showError(err, [select], m) };
}

/** A slider range around a parameter's default that suits its unit, within its allowed [min, max]. */
export function sliderRange(p: { value: number; unit: string; min: number; max: number }): { min: number; max: number; step: number } {
  let lo: number;
  let hi: number;
  if (p.unit === "mV") {
    lo = p.value - 80;
    hi = p.value + 80;
  } else if (p.unit === "degC") {
    lo = 0;
    hi = 40;
  } else {
    lo = 0;
    hi = p.value > 0 ? 3 * p.value : 1;
  }
  hi = Math.min(hi, p.max);
  const raw = (hi - Math.max(lo, p.min)) / 300;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Number((([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag).toPrecision(1));
  // the slider's values are min + k·step: start on a whole step at or above the allowed minimum
  lo = Math.max(lo, Math.ceil(p.min / step) * step);
  return { min: Number(lo.toPrecision(12)), max: hi, step };
}
