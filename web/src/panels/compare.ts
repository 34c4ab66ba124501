/**
 * Compare: pin the trace (live lab) or the f–I curve on screen, and see later ones drawn over the pinned set,
 * each with its settings in the legend (what differs from the lab's defaults). Unpin one, clear all, export the
 * set (CSV or JSON with each curve's settings and command; SVG, or PNG at twice the size). Colours are the shared
 * palette's series colours: the current curve the first, pins the next ones.
 */

import { defaultBlock } from "../blockState.js";
import { equivalentOf } from "../commandLine.js";
import {
  alignCurves,
  type Current,
  legendText,
  type Pin,
  type PinKind,
  type PinSettings,
  pinsToCsv,
  pinsToJson,
  uniqueLabels,
} from "../compareText.js";
import { el } from "../controls.js";
import { download } from "../download.js";
import type { FigureSpec } from "../figure.js";
import { type BlockerName, type Blocks, SERIES_COLORS, type SimulationSpecInput } from "../lib.js";
import { LivePlot } from "../plots.js";
import { defaultState, type LabState } from "../state.js";

/** What the live lab shows: its run's settings (from the spec it ran) and its voltage trace. */
export function traceCurrent(
  model: string,
  spec: SimulationSpecInput,
  t_ms: Float64Array,
  V_mV: Float64Array | undefined,
  /** The overrides and blocks the run was asked with (its spec holds the blocked conductances); else the spec's parameters. */
  lab?: { params: Record<string, number>; block: Blocks },
): Current | null {
  const st = spec.stimulus;
  if (!V_mV || !st || st.type === "pulses") return null;
  return {
    settings: {
      model,
      params: { ...(lab?.params ?? (spec.parameters as Record<string, number>)) },
      ...(lab ? { block: lab.block } : {}),
      method: spec.method ?? "euler",
      dt_ms: spec.dt_ms,
      amplitude_uA_per_cm2: st.amplitude_uA_per_cm2 as number,
      start_ms: st.start_ms,
      stop_ms: st.stop_ms,
      duration_ms: spec.duration_ms,
    },
    x: t_ms,
    y: V_mV,
  };
}

/** Whether every curve has the same x values. */
const sameGrid = (curves: readonly Pin[]): boolean =>
  curves.every((c) => c.x.length === curves[0]?.x.length && c.x.every((v, i) => v === curves[0]?.x[i]));

/** Pins beside the current curve: one colour each from the shared palette. */
export const MAX_PINS = SERIES_COLORS.length - 1;

/** The state a pinned curve was computed with, for its command. */
function stateOf(kind: PinKind, p: PinSettings, x: ArrayLike<number>): LabState {
  const block = defaultBlock();
  for (const [b, f] of Object.entries(p.block ?? {})) block[b as BlockerName] = { on: true, f: f as number };
  const s = { ...defaultState(), model: p.model, params: { ...p.params }, block, method: p.method, dt: p.dt_ms };
  if (kind === "trace")
    return { ...s, amplitude: p.amplitude_uA_per_cm2 ?? s.amplitude, start: p.start_ms, stop: p.stop_ms, duration: p.duration_ms };
  const from = (x[0] as number | undefined) ?? 0;
  const to = (x[x.length - 1] as number | undefined) ?? from;
  return { ...s, view: "fi", fi: { ...s.fi, from, to, count: x.length, start: p.start_ms, stop: p.stop_ms, duration: p.duration_ms } };
}

export class ComparePanel {
  readonly root: HTMLElement;
  private pins: Pin[] = [];
  private emptyShown = false;
  private plot: LivePlot | null = null;
  private plotKey = "";
  private readonly host = el("div", { class: "compare-plot" });
  private readonly list = el("ul", { class: "pins" });
  private readonly note = el("p", { class: "meta", "aria-live": "polite" });
  private readonly pin: HTMLButtonElement;
  private readonly exports: HTMLElement;

  constructor(
    private readonly kind: PinKind,
    host: HTMLElement,
    private readonly current: () => Current | null,
    /** An element whose `attribute` changes when the view shows a new result. */
    watch: { target: HTMLElement; attribute: string },
  ) {
    const id = `compare-${kind}`;
    const what = kind === "trace" ? "trace" : "f–I curve";
    this.pin = el("button", { type: "button", id: `${id}-pin`, class: "primary" }, `Pin this ${what}`);
    const clear = el("button", { type: "button", class: "small", id: `${id}-clear` }, "Clear all");
    const button = (fmt: string, f: () => void | Promise<void>) => {
      const b = el(
        "button",
        { type: "button", class: "small", id: `${id}-${fmt.toLowerCase()}`, "aria-label": `Download the pinned ${what}s as ${fmt}` },
        fmt,
      );
      b.addEventListener("click", () => void f());
      return b;
    };
    const name = `spikelab-compare-${kind === "trace" ? "traces" : "fi"}`;
    this.exports = el(
      "span",
      { class: "compare-exports" },
      el("span", { class: "label", "aria-hidden": "true" }, "Export:"),
      button("CSV", () => download(`${name}.csv`, pinsToCsv(kind, this.withCurrent()), "text/csv")),
      button("JSON", () => download(`${name}.json`, pinsToJson(kind, this.withCurrent()), "application/json")),
      button("SVG", () => {
        if (this.plot) download(`${name}.svg`, this.plot.toSvg(), "image/svg+xml");
      }),
      button("PNG", async () => {
        if (this.plot) download(`${name}.png`, await this.plot.toPng());
      }),
    );
    this.pin.addEventListener("click", () => this.pinCurrent());
    clear.addEventListener("click", () => {
      this.pins = [];
      this.render();
    });
    this.root = el(
      "section",
      { class: "compare", id, "aria-labelledby": `${id}-h` },
      el("h2", { id: `${id}-h` }, kind === "trace" ? "Compare traces" : "Compare f–I curves"),
      el(
        "p",
        { class: "desc" },
        `Pin the ${what} on screen to keep it; change a setting and the new ${what} is drawn over the pinned ones. The legend names what differs from the lab's defaults.`,
      ),
      el("div", { class: "toolbar compare-tools" }, this.pin, clear, this.exports),
      this.list,
      this.note,
      this.host,
    );
    host.append(this.root);
    new MutationObserver(() => this.render()).observe(watch.target, { attributes: true, attributeFilter: [watch.attribute] });
    this.render();
  }

  /** The pinned curves, then the current one where it differs from the last pinned. */
  private withCurrent(): Pin[] {
    const c = this.currentPin();
    const last = this.pins[this.pins.length - 1];
    const same = c && last && c.command === last.command && c.y.length === last.y.length && c.y.every((v, i) => Object.is(v, last.y[i]));
    const all = c && !same ? [...this.pins, c] : [...this.pins];
    const labels = uniqueLabels(all.map((p) => legendText(this.kind, p.settings)));
    return all.map((p, i) => ({ ...p, label: i === this.pins.length ? `now: ${labels[i]}` : (labels[i] as string) }));
  }

  private currentPin(): Pin | null {
    const c = this.current();
    if (!c) return null;
    return {
      kind: this.kind,
      settings: c.settings,
      label: legendText(this.kind, c.settings),
      command: equivalentOf(this.kind === "trace" ? "lab" : "fi", stateOf(this.kind, c.settings, c.x)).command,
      x: Float64Array.from(c.x),
      y: Float64Array.from(c.y),
      ...(c.rate ? { rate: Float64Array.from(c.rate) } : {}),
    };
  }

  private pinCurrent(): void {
    const c = this.currentPin();
    if (!c || this.pins.length >= MAX_PINS) return;
    this.pins.push(c);
    this.render();
    this.note.textContent = `Pinned: ${legendText(this.kind, c.settings)}. Change a setting to draw the next one over it.`;
  }

  private render(): void {
    const full = this.pins.length >= MAX_PINS;
    const disabled = full || this.current() === null;
    if (this.pin.disabled !== disabled) this.pin.disabled = disabled;
    // nothing pinned and nothing drawn: a new run changes nothing else (the live lab's update stays as fast)
    if (this.pins.length === 0 && this.emptyShown) return;
    this.emptyShown = this.pins.length === 0;
    const all = this.pins.length ? this.withCurrent() : [];
    this.pin.title = full ? `At most ${MAX_PINS} pinned curves: unpin one first` : "";
    this.root.dataset.pins = String(this.pins.length);
    this.list.replaceChildren(
      ...this.pins.map((p, i) => {
        const label = all[i]?.label ?? p.label;
        const unpin = el("button", { type: "button", class: "small", "aria-label": `Unpin ${label}` }, "Unpin");
        unpin.addEventListener("click", () => {
          this.pins.splice(i, 1);
          this.render();
        });
        return el(
          "li",
          {},
          el("span", { class: "swatch", style: `background:${SERIES_COLORS[i + 1]}`, "aria-hidden": "true" }),
          el("span", { class: "pin-label" }, label),
          unpin,
        );
      }),
    );
    this.exports.hidden = this.pins.length === 0;
    this.host.hidden = this.pins.length === 0;
    if (this.pins.length === 0) {
      this.plot?.destroy();
      this.plot = null;
      this.plotKey = "";
      this.host.replaceChildren();
      return;
    }
    // colours by position: pins 1…, the current curve the first colour (drawn last, on top)
    const colors = all.map((_, i) => (i < this.pins.length ? SERIES_COLORS[i + 1] : SERIES_COLORS[0]) as string);
    const key = `${all.map((p, i) => `${p.label}|${colors[i]}`).join("\n")}|${sameGrid(all)}`;
    const trace = this.kind === "trace";
    if (!this.plot || key !== this.plotKey) {
      this.plot?.destroy();
      this.host.replaceChildren();
      const spec: FigureSpec = trace
        ? {
            title: "Membrane potential: pinned traces and the current one",
            xLabel: "t (ms)",
            yLabel: "V (mV)",
            series: all.map((p, i) => ({ label: p.label, unit: "mV", color: colors[i] as string })),
          }
        : {
            title: "Spike count: pinned f–I curves and the current one",
            xLabel: "step amplitude (µA/cm²)",
            yLabel: "spikes in the whole run",
            // points where every curve has its own values on the shared grid (no interpolated ones)
            series: all.map((p, i) => ({ label: p.label, unit: "", color: colors[i] as string, digits: 0, points: sameGrid(all) })),
          };
      this.plot = new LivePlot(this.host, spec, trace ? 300 : 280, `compare-${this.kind}`);
      this.plotKey = key;
    }
    const { x, ys } = alignCurves(all);
    this.plot.set({ x, ys });
  }
}
