/**
 * The parameter map: firing rate over a 2-D grid of step amplitude and/or model parameters,
 * one neuron per grid point, computed on the GPU through the library's browser-safe `gpuSweep`
 * (WebGPU, f32) or, where the browser has no WebGPU adapter (or the method is not a GPU one), on
 * the CPU by the Web Workers running the library's `runBatch` (f64); the library's `chooseBackend`
 * decides. The page always says which.
 *
 * The panel: its fields, running, the cursor (mouse or arrow keys, read out in words) and the
 * downloads; the drawing is draw/heatmap.ts, the settings map/settings.ts, the CSV map/csv.ts.
 */
import { activeBlocks } from "../blockState.js";
import { el, type Field, type NumberField, numberField, type SelectField, selectField } from "../controls.js";
import { webGpu } from "../device.js";
import { download } from "../download.js";
import { cellAt, drawEmpty, drawHeatmap, fmt, H, W } from "../draw/heatmap.js";
import { blocksLabel, chooseBackend, gpuSweep, type SweepSpecInput } from "../lib.js";
import { mapCsv, mapFileName } from "../map/csv.js";
import { axisOptions, axisRange, axisTitle, fieldOfMessage, keepAxes, mapGrid, unitOf } from "../map/settings.js";
import { WorkerPool } from "../pool.js";
import { gridSweep } from "../poolJobs.js";
import type { LabState, MapBackend, MapSettings } from "../state.js";

interface Hooks {
  saveUrl(): void;
  setStatus(text: string, bad?: boolean): void;
  /** Opens a grid point in the live lab (amplitude and parameter values by axis name, and the map's step window). */
  openPoint(values: Record<string, number>, window: { start: number; stop: number; duration: number }): void;
}

/** A map on screen: its grid, values and how they were computed. */
interface MapShown {
  model: string;
  /** The channel blocks it ran with ("TTX 50 %"; "" for none). */
  blocks: string;
  /** The block that scales each axis ("TTX 50 %"; "" for none): that axis shows the conductance left after it. */
  blockedBy: { x: string; y: string };
  /** The values asked for (the From/To fields, before a block): what "Open in live lab" sets, the block applied there again. */
  askedXs: Float64Array;
  askedYs: Float64Array;
  method: string;
  dt: number;
  settings: MapSettings;
  spec: SweepSpecInput;
  /** The values the neurons ran with (a blocked conductance scaled): the axes, the readout and the CSV. */
  xs: Float64Array;
  ys: Float64Array;
  count: ArrayLike<number>;
  rate: ArrayLike<number>;
  latency: ArrayLike<number>;
  backend: "gpu" | "cpu";
  precision: "f32" | "f64";
  /** What the backend note says (adapter, or why the CPU). */
  note: string;
  elapsed_ms: number;
  steps: number;
}

export class MapPanel {
  private readonly pool = new WorkerPool();
  private readonly fields = new Map<string, Field>();
  private readonly local = new Map<string, string>();
  private readonly canvas = el("canvas", {
    id: "map-canvas",
    tabindex: "0",
    role: "img",
    "aria-roledescription": "parameter map",
    "aria-describedby": "map-readout map-keys",
  });
  private readonly readout = el("p", { class: "map-readout", id: "map-readout", "aria-live": "polite" }, "…");
  private readonly backendNote = el("p", { class: "map-backend", id: "map-backend" });
  private readonly blockNote = el("p", { class: "meta", id: "map-block-note", hidden: "" });
  private readonly timing = el("span", { class: "meta", id: "map-timing" });
  private readonly progress = el("progress", { id: "map-progress", max: "1", value: "0", "aria-label": "Map progress", hidden: "" });
  private readonly banner = el("p", { class: "banner", id: "map-error", role: "alert", hidden: "" });
  private readonly cancelButton = el("button", { type: "button", id: "map-cancel", hidden: "" }, "Cancel");
  private readonly xSel: SelectField;
  private readonly ySel: SelectField;
  private readonly nums = new Map<string, NumberField>();
  private shown: MapShown | null = null;
  private cursor = { x: 0, y: 0 };
  private visible = false;
  private dirty = true;
  private timer = 0;
  private gen = 0;
  private gpuBusy = false;
  private again = false;
  /** The grid size came from the URL: keep it even on the CPU. */
  private readonly sized = new URLSearchParams(location.search).has("map.xn");
  private firstRun = true;

  constructor(
    private readonly root: HTMLElement,
    private readonly state: LabState,
    private readonly hooks: Hooks,
  ) {
    const m = state.map;
    const num = (key: keyof MapSettings & string, label: string, unit: string) => {
      const f = numberField({
        id: `map-${key}`,
        label,
        unit,
        value: m[key] as number,
        onInput: (v, problem) => {
          if (v === null) {
            this.local.set(key, problem ?? "not a number");
            f.setError(problem ?? "not a number");
          } else {
            this.local.delete(key);
            f.setError(null);
            (m as unknown as Record<string, number>)[key] = v;
          }
          hooks.saveUrl();
          this.schedule();
        },
      });
      this.fields.set(key, f);
      this.nums.set(key, f);
      return f;
    };
    const axisSelect = (which: "x" | "y") => {
      const f = selectField({
        id: `map-${which}`,
        label: which === "x" ? "Horizontal axis" : "Vertical axis",
        options: this.axisOptions(),
        value: m[which],
        onChange: (v) => {
          m[which] = v;
          const [from, to] = this.axisRange(v);
          m[`${which}From`] = from;
          m[`${which}To`] = to;
          this.nums.get(`${which}From`)?.set(from);
          this.nums.get(`${which}To`)?.set(to);
          this.syncUnits();
          hooks.saveUrl();
          this.schedule();
        },
      });
      this.fields.set(which, f);
      return f;
    };
    this.xSel = axisSelect("x");
    this.ySel = axisSelect("y");
    const backend = selectField({
      id: "map-backend-choice",
      label: "Compute on",
      options: [
        { value: "auto", label: "auto: GPU if available" },
        { value: "gpu", label: "GPU (WebGPU, f32)" },
        { value: "cpu", label: "CPU workers (f64)" },
      ],
      value: m.backend,
      onChange: (v) => {
        m.backend = v as MapBackend;
        hooks.saveUrl();
        this.schedule(0);
      },
    });
    const run = el("button", { class: "primary", type: "button", id: "map-run" }, "Compute map");
    run.addEventListener("click", () => this.schedule(0));
    this.cancelButton.addEventListener("click", () => this.pool.cancel());
    const tool = (id: string, text: string, label: string, act: () => void) => {
      const b = el("button", { class: "small", type: "button", id, "aria-label": label }, text);
      b.addEventListener("click", act);
      return b;
    };
    const open = tool("map-open", "Open in live lab", "Open in live lab: the point under the cursor", () => this.openCursor());
    root.append(
      el(
        "div",
        { class: "panel" },
        el("h2", {}, "Parameter map"),
        el(
          "div",
          { class: "map-grid" },
          this.xSel.root,
          num("xFrom", "From", "").root,
          num("xTo", "To", "").root,
          num("xCount", "Points", "").root,
          this.ySel.root,
          num("yFrom", "From", "").root,
          num("yTo", "To", "").root,
          num("yCount", "Points", "").root,
          num("start", "Step start", "ms").root,
          num("stop", "Step stop", "ms").root,
          num("duration", "Duration", "ms").root,
          backend.root,
        ),
        el(
          "div",
          { class: "fi-actions" },
          run,
          this.cancelButton,
          this.progress,
          this.timing,
          el(
            "div",
            { class: "toolbar" },
            el("span", { class: "label", "aria-hidden": "true" }, "Map:"),
            tool("export-map-csv", "CSV", "Download the map as CSV", () => this.csv()),
            tool("export-map-png", "PNG", "Download the map as PNG", () => this.png()),
            open,
          ),
        ),
        this.backendNote,
        this.blockNote,
        this.banner,
        el("div", { class: "plot map-plot" }, this.canvas),
        this.readout,
        el(
          "p",
          { class: "meta", id: "map-keys" },
          "Keyboard: focus the map, then arrow keys move the cursor one point (Shift: ten), Home/End and PageUp/PageDown jump to the edges, Enter opens the point in the live lab.",
        ),
      ),
    );
    this.canvas.width = W * devicePixelRatio;
    this.canvas.height = H * devicePixelRatio;
    this.canvas.addEventListener("keydown", (e) => this.key(e));
    this.canvas.addEventListener("mousemove", (e) => this.hover(e));
    this.canvas.addEventListener("click", (e) => this.hover(e));
    this.syncUnits();
    this.draw();
  }

  // ------------------------------------------------------------ axes

  private axisOptions(): { value: string; label: string }[] {
    return axisOptions(this.state.model);
  }

  private unitOf(axis: string): string {
    return unitOf(this.state.model, axis);
  }

  private axisRange(axis: string): [number, number] {
    return axisRange(this.state.model, axis);
  }

  private syncUnits(): void {
    for (const a of ["x", "y"] as const) {
      const unit = this.unitOf(this.state.map[a]);
      for (const k of ["From", "To"]) {
        const f = this.nums.get(`${a}${k}`);
        const label = f?.root.querySelector("label");
        if (label) label.textContent = `${k === "From" ? "From" : "To"}${unit ? ` (${unit})` : ""}`;
        f?.root.querySelector(".unit-tag")?.replaceChildren(unit);
      }
    }
  }

  /** The model changed: keep the axes it still has, otherwise amplitude × its first conductance. */
  modelChanged(): void {
    const m = this.state.map;
    for (const a of keepAxes(this.state.model, m)) {
      this.nums.get(`${a}From`)?.set(m[`${a}From`]);
      this.nums.get(`${a}To`)?.set(m[`${a}To`]);
    }
    const opts = this.axisOptions();
    this.xSel.setOptions(opts, m.x);
    this.ySel.setOptions(opts, m.y);
    this.syncUnits();
    this.settingsChanged();
  }

  // ------------------------------------------------------------ running

  /** The view became visible: compute if the settings changed since the last map. */
  show(): void {
    this.visible = true;
    if (this.dirty) this.schedule(0);
  }

  hide(): void {
    this.visible = false;
  }

  /** A setting of the side panel changed (model, parameters, method, dt). */
  settingsChanged(): void {
    this.dirty = true;
    if (this.visible) this.schedule();
  }

  private schedule(delay = 300): void {
    this.dirty = true;
    if (!this.visible) return;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.compute(), delay);
  }

  private setError(message: string | null): void {
    for (const [key, f] of this.fields) f.setError(this.local.get(key) ?? null);
    this.banner.hidden = true;
    if (message === null) return;
    // the library's messages start with the argument they name (stop_ms, stimulus.stop_ms, duration_ms, …)
    const key = fieldOfMessage(message);
    const f = key ? this.fields.get(key) : undefined;
    if (f) f.setError(message);
    else {
      this.banner.textContent = message;
      this.banner.hidden = false;
    }
    this.root.dataset.mapState = "error";
    this.hooks.setStatus("The map could not be computed: see the message in the map panel", true);
  }

  private async compute(): Promise<void> {
    if (this.gpuBusy) {
      this.again = true;
      return;
    }
    const gen = ++this.gen;
    this.dirty = false;
    this.setError(null);
    if (this.local.size) {
      this.root.dataset.mapState = "error";
      return;
    }
    const s = this.state;
    const m = s.map;
    // the library's chooser; the page always shows a map, so a method the GPU does not run goes to the CPU
    const backend = await chooseBackend(m.backend, { method: s.method, neuronSteps: 0 }, webGpu, { unsupportedMethod: "cpu" });
    let resized = "";
    if (backend.kind === "cpu" && this.firstRun && !this.sized && m.xCount * m.yCount > 64 * 64) {
      // the default grid is sized for a GPU; the CPU starts with a smaller one
      m.xCount = 64;
      m.yCount = 64;
      this.nums.get("xCount")?.set(64);
      this.nums.get("yCount")?.set(64);
      resized = " The grid starts at 64 × 64 on the CPU; raise the points for a finer map.";
      this.hooks.saveUrl();
    }
    this.firstRun = false;
    let grid: ReturnType<typeof mapGrid>;
    try {
      grid = mapGrid(this.state);
    } catch (e) {
      this.setError((e as Error).message);
      return;
    }
    const points = grid.xs.length * grid.ys.length;
    const steps = Math.round(m.duration / s.dt);
    this.root.dataset.mapState = "running";
    this.timing.textContent = `computing ${points.toLocaleString("en")} neurons…`;
    const t0 = performance.now();
    try {
      let result: Pick<MapShown, "count" | "rate" | "latency">;
      if (backend.kind === "gpu") {
        this.gpuBusy = true;
        try {
          const r = await gpuSweep(backend.device, grid.spec);
          result = { count: r.spike_count, rate: r.rate_Hz, latency: r.first_spike_latency_ms };
        } finally {
          this.gpuBusy = false;
        }
      } else {
        this.progress.hidden = false;
        this.cancelButton.hidden = false;
        this.hooks.setStatus(`Parameter map: computing ${points.toLocaleString("en")} neurons…`);
        const r = await gridSweep(this.pool, grid.spec, points, ({ done, total }) => {
          this.progress.max = total;
          this.progress.value = done;
        });
        result = { count: r.spike_count, rate: r.rate_Hz, latency: r.first_spike_latency_ms };
        this.progress.hidden = true;
        this.cancelButton.hidden = true;
      }
      const elapsed_ms = performance.now() - t0;
      if (gen === this.gen) {
        const note =
          backend.kind === "gpu"
            ? `Computed on the GPU: WebGPU on ${backend.adapter}, in f32 arithmetic (the CPU computes in f64; on the test sweeps every spike count agreed).`
            : `Computed on the CPU: ${this.pool.size} Web Worker${this.pool.size === 1 ? "" : "s"}, f64 arithmetic — ${
                backend.reason === "chosen" ? "as chosen" : `no GPU: ${backend.reason}`
              }.${resized}`;
        this.shown = {
          model: s.model,
          blocks: blocksLabel(activeBlocks(s)),
          method: s.method,
          dt: s.dt,
          settings: { ...m },
          spec: grid.spec,
          xs: grid.ranXs,
          ys: grid.ranYs,
          askedXs: grid.xs,
          askedYs: grid.ys,
          blockedBy: grid.blockedBy,
          ...result,
          backend: backend.kind,
          precision: backend.kind === "gpu" ? "f32" : "f64",
          note,
          elapsed_ms,
          steps,
        };
        this.cursor = { x: Math.min(this.cursor.x, grid.xs.length - 1), y: Math.min(this.cursor.y, grid.ys.length - 1) };
        this.backendNote.textContent = note;
        this.backendNote.dataset.backend = backend.kind;
        const rate = (points * steps) / (elapsed_ms / 1000);
        this.timing.textContent = `${points.toLocaleString("en")} neurons × ${steps.toLocaleString("en")} steps in ${(elapsed_ms / 1000).toFixed(2)} s (${rate.toExponential(2)} neuron-steps/s)`;
        this.draw();
        this.root.dataset.mapState = "done";
        this.root.dataset.mapBackend = backend.kind;
        this.root.dataset.mapPoints = String(points);
        this.root.dataset.mapElapsedMs = elapsed_ms.toFixed(1);
        this.hooks.setStatus(
          `Parameter map: ${points.toLocaleString("en")} neurons on the ${backend.kind === "gpu" ? "GPU (f32)" : "CPU (f64)"} in ${(elapsed_ms / 1000).toFixed(2)} s`,
        );
      }
    } catch (e) {
      this.progress.hidden = true;
      const err = e as Error;
      if (err.name === "Cancelled" && gen === this.gen) {
        this.cancelButton.hidden = true;
        this.timing.textContent = "cancelled";
        this.root.dataset.mapState = "cancelled";
        this.hooks.setStatus("Parameter map cancelled");
      } else if (err.name !== "Superseded" && gen === this.gen) {
        this.cancelButton.hidden = true;
        this.setError(err.message);
      }
    }
    if (this.again) {
      this.again = false;
      void this.compute();
    }
  }

  // ------------------------------------------------------------ drawing

  private draw(): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    const sh = this.shown;
    if (!sh) {
      drawEmpty(ctx);
      this.canvas.setAttribute("aria-label", "Parameter map: not computed yet");
      return;
    }
    const nx = sh.xs.length;
    const ny = sh.ys.length;
    const xTitle = axisTitle(sh.model, sh.settings.x, sh.blockedBy.x);
    const yTitle = axisTitle(sh.model, sh.settings.y, sh.blockedBy.y);
    const vmax = drawHeatmap(ctx, {
      xs: sh.xs,
      ys: sh.ys,
      rate: sh.rate,
      xTitle,
      yTitle,
      title: `Firing rate during the step [${fmt(sh.settings.start)}, ${fmt(sh.settings.stop)}) ms: ${sh.model}${sh.blocks ? ` (${sh.blocks})` : ""}, ${sh.method}, dt ${sh.dt} ms, ${sh.precision}`,
      cursor: this.cursor,
    });
    this.canvas.setAttribute(
      "aria-label",
      `Parameter map of the firing rate over ${yTitle} (vertical, ${ny} points from ${fmt(sh.ys[0] as number)} to ${fmt(sh.ys[ny - 1] as number)}) and ${xTitle} (horizontal, ${nx} points from ${fmt(sh.xs[0] as number)} to ${fmt(sh.xs[nx - 1] as number)}); rates from 0 to ${fmt(vmax)} Hz${sh.blocks ? `; with ${sh.blocks}` : ""}`,
    );
    this.blockNote.hidden = !(sh.blockedBy.x || sh.blockedBy.y);
    this.blockNote.textContent = (["x", "y"] as const)
      .filter((a) => sh.blockedBy[a])
      .map((a) => {
        const [ran, asked] = a === "x" ? [sh.xs, sh.askedXs] : [sh.ys, sh.askedYs];
        const unit = unitOf(sh.model, sh.settings[a]);
        const range = (v: Float64Array) => `${fmt(v[0] as number)} to ${fmt(v[v.length - 1] as number)} ${unit}`;
        return `The ${sh.settings[a]} axis shows the conductance the neurons ran with, ${range(ran)}: the From/To values ${range(asked)} with ${sh.blockedBy[a]} (the command below scales them the same way, with --block).`;
      })
      .join(" ");
    this.updateReadout();
  }

  private updateReadout(): void {
    const sh = this.shown;
    if (!sh) return;
    const nx = sh.xs.length;
    const i = this.cursor.y * nx + this.cursor.x;
    const x = sh.xs[this.cursor.x] as number;
    const y = sh.ys[this.cursor.y] as number;
    const count = sh.count[i] as number;
    const rate = sh.rate[i] as number;
    const lat = sh.latency[i] as number;
    // a blocked conductance: the value it ran with, and the value before the block
    const value = (a: "x" | "y", v: number, asked: number) =>
      `${sh.blockedBy[a] ? "effective " : ""}${sh.settings[a]} = ${fmt(v)} ${unitOf(sh.model, sh.settings[a])}${
        sh.blockedBy[a] ? ` (${fmt(asked)} before ${sh.blockedBy[a]})` : ""
      }`;
    this.readout.textContent = `${value("x", x, sh.askedXs[this.cursor.x] as number)}, ${value("y", y, sh.askedYs[this.cursor.y] as number)}: rate ${fmt(rate)} Hz during the step, ${count} spike${count === 1 ? "" : "s"} in the whole run${Number.isFinite(lat) ? `, first spike ${fmt(lat)} ms after the step starts` : ", no spike during the step"}.`;
    this.readout.dataset.count = String(count);
    this.readout.dataset.index = String(i);
  }

  private moveTo(x: number, y: number): void {
    const sh = this.shown;
    if (!sh) return;
    this.cursor = { x: Math.max(0, Math.min(sh.xs.length - 1, x)), y: Math.max(0, Math.min(sh.ys.length - 1, y)) };
    this.draw();
  }

  private key(e: KeyboardEvent): void {
    const sh = this.shown;
    if (!sh) return;
    const by = e.shiftKey ? 10 : 1;
    const { x, y } = this.cursor;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [x - by, y],
      ArrowRight: [x + by, y],
      ArrowUp: [x, y + by],
      ArrowDown: [x, y - by],
      Home: [0, y],
      End: [sh.xs.length - 1, y],
      PageUp: [x, sh.ys.length - 1],
      PageDown: [x, 0],
    };
    const to = moves[e.key];
    if (to) {
      e.preventDefault();
      this.moveTo(to[0], to[1]);
    } else if (e.key === "Enter") {
      e.preventDefault();
      this.openCursor();
    }
  }

  private hover(e: MouseEvent): void {
    const sh = this.shown;
    if (!sh) return;
    const r = this.canvas.getBoundingClientRect();
    const cell = cellAt(((e.clientX - r.left) / r.width) * W, ((e.clientY - r.top) / r.height) * H, sh.xs.length, sh.ys.length);
    if (cell) this.moveTo(cell.x, cell.y);
  }

  private openCursor(): void {
    const sh = this.shown;
    if (!sh) return;
    this.hooks.openPoint(
      // the values asked for: the live lab applies the same block to them
      { [sh.settings.x]: sh.askedXs[this.cursor.x] as number, [sh.settings.y]: sh.askedYs[this.cursor.y] as number },
      { start: sh.settings.start, stop: sh.settings.stop, duration: sh.settings.duration },
    );
  }

  // ------------------------------------------------------------ export

  private csv(): void {
    if (this.shown) download(`${mapFileName(this.shown)}.csv`, mapCsv(this.shown), "text/csv");
  }

  private png(): void {
    if (!this.shown) return;
    const sh = this.shown;
    this.canvas.toBlob((b) => b && download(`${mapFileName(sh)}.png`, b));
  }
}
