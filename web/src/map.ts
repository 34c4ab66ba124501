/**
 * The parameter map: firing rate over a 2-D grid of step amplitude and/or model parameters,
 * one neuron per grid point, computed on the GPU through the library's browser-safe `gpuSweep`
 * (WebGPU, f32) or, where the browser has no WebGPU adapter (or the method is not a GPU one), on
 * the CPU by the Web Workers running the library's `runBatch` (f64). The page always says which.
 *
 * Drawn on a canvas as a heatmap with a colour legend and axes with units; the cell under the
 * cursor (mouse or arrow keys) is read out in words; CSV and PNG export.
 */
import { el, type Field, type NumberField, numberField, prettyUnit, type SelectField, selectField } from "./controls.js";
import { download } from "./download.js";
import {
  axisColumns,
  GPU_METHODS,
  gpuSweep,
  linspace,
  modelParameters,
  parseSweepSpec,
  type SweepSpecInput,
  shortestF32,
  toCsv,
} from "./lib.js";
import { modelOf, modelRef } from "./models.js";
import type { LabState, MapBackend, MapSettings } from "./state.js";
import { GridPool } from "./workers.js";

interface Hooks {
  saveUrl(): void;
  setStatus(text: string, bad?: boolean): void;
  /** Opens a grid point in the live lab (amplitude and parameter values by axis name, and the map's step window). */
  openPoint(values: Record<string, number>, window: { start: number; stop: number; duration: number }): void;
}

/** A map on screen: its grid, values and how they were computed. */
interface MapShown {
  model: string;
  method: string;
  dt: number;
  settings: MapSettings;
  spec: SweepSpecInput;
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

type Gpu = { device: GPUDevice; adapter: string } | { reason: string };
let gpu: Promise<Gpu> | null = null;

/** The page's WebGPU device (requested once), or why there is none, in words. */
export function webGpu(): Promise<Gpu> {
  gpu ??= (async (): Promise<Gpu> => {
    const nav = navigator as Navigator & { gpu?: GPU };
    if (!nav.gpu) return { reason: "this browser has no WebGPU (navigator.gpu is missing)" };
    try {
      const adapter = await nav.gpu.requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) return { reason: "WebGPU found no adapter in this browser" };
      const device = await adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
          maxBufferSize: adapter.limits.maxBufferSize,
        },
      });
      void device.lost.then(() => {
        gpu = null;
      });
      const info = adapter.info;
      const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";
      return { device, adapter: name };
    } catch (e) {
      return { reason: `WebGPU could not start: ${(e as Error).message}` };
    }
  })();
  return gpu;
}

/** Viridis, 11 stops: perceptually uniform and readable in grey and with colour-vision deficiencies. */
const VIRIDIS = [
  "#440154",
  "#482475",
  "#414487",
  "#355f8d",
  "#2a788e",
  "#21918c",
  "#22a884",
  "#44bf70",
  "#7ad151",
  "#bddf26",
  "#fde725",
].map((h) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number]);
function colour(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS[i] as [number, number, number];
  const b = VIRIDIS[i + 1] as [number, number, number];
  return [0, 1, 2].map((k) => Math.round((a[k] as number) + f * ((b[k] as number) - (a[k] as number)))) as [number, number, number];
}

/** About `n` round tick values (1, 2, 5 × 10^k) within [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const fmt = (v: number) => String(Number(v.toPrecision(6)));
const W = 860;
const H = 560;
const M = { left: 78, right: 124, top: 40, bottom: 62 };

export class MapPanel {
  private readonly pool = new GridPool();
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

  /** Amplitude and every model parameter that may vary per neuron (constants are one value per run). */
  private axisOptions(): { value: string; label: string }[] {
    const m = modelOf(this.state.model);
    const params = m ? modelParameters(m).filter((p) => !Object.hasOwn(m.constants ?? {}, p.name)) : [];
    return [
      { value: "amplitude", label: "amplitude (µA/cm²)" },
      ...params.map((p) => ({ value: p.name, label: `${p.name} (${prettyUnit(p.unit)})` })),
    ];
  }

  private unitOf(axis: string): string {
    if (axis === "amplitude") return "µA/cm²";
    const m = modelOf(this.state.model);
    const p = m ? modelParameters(m).find((q) => q.name === axis) : undefined;
    return p ? prettyUnit(p.unit) : "";
  }

  /** A range that suits an axis: amplitude 0–15 µA/cm²; a conductance 0 to 2× its default (Cm ¼ to 2×); a potential ±30 mV; … */
  private axisRange(axis: string): [number, number] {
    if (axis === "amplitude") return [0, 15];
    const m = modelOf(this.state.model);
    const p = m ? modelParameters(m).find((q) => q.name === axis) : undefined;
    if (!p) return [0, 1];
    const r = (x: number) => Number(x.toPrecision(6));
    if (p.unit === "mV") return [r(p.value - 30), r(p.value + 30)];
    if (p.unit === "degC") return [0, 40];
    if (p.unit === "uF/cm2") return [r(p.value / 4), r(p.value * 2)];
    if (p.value > 0) return [0, r(p.value * 2)];
    return [0, 1];
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
    const opts = this.axisOptions();
    const has = (v: string) => opts.some((o) => o.value === v);
    const m = this.state.map;
    for (const a of ["x", "y"] as const) {
      if (has(m[a]) && m[a] !== (a === "x" ? m.y : m.x)) continue;
      const other = a === "x" ? m.y : m.x;
      m[a] =
        a === "x" && other !== "amplitude"
          ? "amplitude"
          : (opts.find((o) => o.value !== other && o.value.startsWith("g"))?.value ??
            (opts.find((o) => o.value !== other)?.value as string));
      [m[`${a}From`], m[`${a}To`]] = this.axisRange(m[a]);
      this.nums.get(`${a}From`)?.set(m[`${a}From`]);
      this.nums.get(`${a}To`)?.set(m[`${a}To`]);
    }
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
    const head = message.split(" ")[0] ?? "";
    const key = /stop_ms$/.test(head) ? "stop" : /start_ms$/.test(head) ? "start" : /duration_ms$/.test(head) ? "duration" : null;
    const f = key ? this.fields.get(key) : undefined;
    if (f) f.setError(message);
    else {
      this.banner.textContent = message;
      this.banner.hidden = false;
    }
    this.root.dataset.mapState = "error";
    this.hooks.setStatus("The map could not be computed: see the message in the map panel", true);
  }

  private grid(): { xs: Float64Array; ys: Float64Array; spec: SweepSpecInput } {
    const s = this.state;
    const m = s.map;
    const xs = linspace(m.xFrom, m.xTo, m.xCount);
    const ys = linspace(m.yFrom, m.yTo, m.yCount);
    if (m.x === m.y) throw new Error(`the two axes must differ; both are "${m.x}"`);
    const spec: SweepSpecInput = {
      model: modelRef(s.model),
      method: s.method,
      dt_ms: s.dt,
      duration_ms: m.duration,
      start_ms: m.start,
      stop_ms: m.stop,
      parameters: Object.fromEntries(Object.entries(s.params).filter(([k]) => k !== m.x && k !== m.y)),
      // row-major, the last axis fastest: point iy·nx + ix
      axes: [
        { name: m.y, values: Array.from(ys) },
        { name: m.x, values: Array.from(xs) },
      ],
    };
    parseSweepSpec(spec); // the library's own checks and messages, before any work
    return { xs, ys, spec };
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
    let backend: { kind: "gpu"; device: GPUDevice; adapter: string } | { kind: "cpu"; reason: string };
    if (m.backend === "cpu") backend = { kind: "cpu", reason: "chosen" };
    else {
      const g = await webGpu();
      if (!("device" in g)) backend = { kind: "cpu", reason: g.reason };
      else if (!(GPU_METHODS as readonly string[]).includes(s.method))
        backend = { kind: "cpu", reason: `the GPU runs ${GPU_METHODS.join(" and ")}; the method ${s.method} runs on the CPU` };
      else backend = { kind: "gpu", device: g.device, adapter: g.adapter };
    }
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
    let grid: ReturnType<MapPanel["grid"]>;
    try {
      grid = this.grid();
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
        const r = await this.pool.compute(grid.spec, points, ({ done, total }) => {
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
          method: s.method,
          dt: s.dt,
          settings: { ...m },
          spec: grid.spec,
          xs: grid.xs,
          ys: grid.ys,
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

  private vmax(): number {
    const r = this.shown?.rate;
    let max = 0;
    if (r) for (let i = 0; i < r.length; i++) max = Math.max(max, (r[i] as number) || 0);
    if (max <= 0) return 1;
    const ticks = niceTicks(0, max, 5);
    const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : max;
    return Math.ceil(max / step - 1e-9) * step;
  }

  private draw(): void {
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, W, H);
    const pw = W - M.left - M.right;
    const ph = H - M.top - M.bottom;
    ctx.font = "13px system-ui, 'DejaVu Sans', sans-serif";
    ctx.fillStyle = "#1b1f24";
    const sh = this.shown;
    if (!sh) {
      ctx.fillStyle = "#5b6470";
      ctx.fillText("The map appears here once computed.", M.left + 20, M.top + 30);
      this.canvas.setAttribute("aria-label", "Parameter map: not computed yet");
      return;
    }
    const nx = sh.xs.length;
    const ny = sh.ys.length;
    const vmax = this.vmax();
    // the cells: one pixel per grid point, scaled up without smoothing
    const img = new ImageData(nx, ny);
    for (let iy = 0; iy < ny; iy++) {
      for (let ix = 0; ix < nx; ix++) {
        const [r, g, b] = colour(((sh.rate[iy * nx + ix] as number) || 0) / vmax);
        const o = 4 * ((ny - 1 - iy) * nx + ix); // higher y drawn higher
        img.data[o] = r;
        img.data[o + 1] = g;
        img.data[o + 2] = b;
        img.data[o + 3] = 255;
      }
    }
    const off = document.createElement("canvas");
    off.width = nx;
    off.height = ny;
    off.getContext("2d")?.putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, M.left, M.top, pw, ph);
    ctx.strokeStyle = "#1b1f24";
    ctx.lineWidth = 1;
    ctx.strokeRect(M.left - 0.5, M.top - 0.5, pw + 1, ph + 1);

    // axes: ticks at values, centred on the cells
    const xAt = (v: number) =>
      M.left +
      (nx > 1 ? ((v - (sh.xs[0] as number)) / ((sh.xs[nx - 1] as number) - (sh.xs[0] as number))) * (pw - pw / nx) + pw / nx / 2 : pw / 2);
    const yAt = (v: number) =>
      M.top +
      ph -
      (ny > 1 ? ((v - (sh.ys[0] as number)) / ((sh.ys[ny - 1] as number) - (sh.ys[0] as number))) * (ph - ph / ny) + ph / ny / 2 : ph / 2);
    ctx.fillStyle = "#1b1f24";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of niceTicks(sh.xs[0] as number, sh.xs[nx - 1] as number, 7)) {
      const x = xAt(v);
      ctx.beginPath();
      ctx.moveTo(x, M.top + ph);
      ctx.lineTo(x, M.top + ph + 5);
      ctx.stroke();
      ctx.fillText(fmt(v), x, M.top + ph + 8);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const v of niceTicks(sh.ys[0] as number, sh.ys[ny - 1] as number, 6)) {
      const y = yAt(v);
      ctx.beginPath();
      ctx.moveTo(M.left - 5, y);
      ctx.lineTo(M.left, y);
      ctx.stroke();
      ctx.fillText(fmt(v), M.left - 8, y);
    }
    const unitX = this.unitOf(sh.settings.x);
    const unitY = this.unitOf(sh.settings.y);
    const xTitle = `${sh.settings.x === "amplitude" ? "step amplitude" : sh.settings.x}${unitX ? ` (${unitX})` : ""}`;
    const yTitle = `${sh.settings.y === "amplitude" ? "step amplitude" : sh.settings.y}${unitY ? ` (${unitY})` : ""}`;
    ctx.font = "600 13px system-ui, 'DejaVu Sans', sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";
    ctx.fillText(xTitle, M.left + pw / 2, H - 14);
    ctx.save();
    ctx.translate(18, M.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(yTitle, 0, 0);
    ctx.restore();
    ctx.textAlign = "left";
    ctx.font = "600 14px system-ui, 'DejaVu Sans', sans-serif";
    ctx.fillText(
      `Firing rate during the step [${fmt(sh.settings.start)}, ${fmt(sh.settings.stop)}) ms: ${sh.model}, ${sh.method}, dt ${sh.dt} ms, ${sh.precision}`,
      M.left,
      M.top - 14,
    );

    // the legend: a vertical colour bar with rate ticks
    const lx = W - M.right + 28;
    const lw = 16;
    for (let k = 0; k < ph; k++) {
      const [r, g, b] = colour(1 - k / (ph - 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(lx, M.top + k, lw, 1);
    }
    ctx.strokeStyle = "#1b1f24";
    ctx.strokeRect(lx - 0.5, M.top - 0.5, lw + 1, ph + 1);
    ctx.font = "13px system-ui, 'DejaVu Sans', sans-serif";
    ctx.fillStyle = "#1b1f24";
    ctx.textBaseline = "middle";
    for (const v of niceTicks(0, vmax, 5)) {
      const y = M.top + ph - (v / vmax) * ph;
      ctx.beginPath();
      ctx.moveTo(lx + lw, y);
      ctx.lineTo(lx + lw + 4, y);
      ctx.stroke();
      ctx.fillText(fmt(v), lx + lw + 7, y);
    }
    ctx.save();
    ctx.translate(W - 12, M.top + ph / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = "center";
    ctx.font = "600 13px system-ui, 'DejaVu Sans', sans-serif";
    ctx.fillText("rate (Hz)", 0, 0);
    ctx.restore();

    // the cursor's cell
    const cw = pw / nx;
    const ch = ph / ny;
    const cx = M.left + this.cursor.x * cw;
    const cy = M.top + (ny - 1 - this.cursor.y) * ch;
    const pad = Math.max(0, (6 - Math.min(cw, ch)) / 2);
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#fff";
    ctx.strokeRect(cx - pad, cy - pad, cw + 2 * pad, ch + 2 * pad);
    ctx.lineWidth = 1;
    ctx.strokeStyle = "#1b1f24";
    ctx.strokeRect(cx - pad - 1.5, cy - pad - 1.5, cw + 2 * pad + 3, ch + 2 * pad + 3);
    this.canvas.setAttribute(
      "aria-label",
      `Parameter map of the firing rate over ${yTitle} (vertical, ${ny} points from ${fmt(sh.ys[0] as number)} to ${fmt(sh.ys[ny - 1] as number)}) and ${xTitle} (horizontal, ${nx} points from ${fmt(sh.xs[0] as number)} to ${fmt(sh.xs[nx - 1] as number)}); rates from 0 to ${fmt(vmax)} Hz`,
    );
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
    const unitX = this.unitOf(sh.settings.x);
    const unitY = this.unitOf(sh.settings.y);
    this.readout.textContent = `${sh.settings.x} = ${fmt(x)} ${unitX}, ${sh.settings.y} = ${fmt(y)} ${unitY}: rate ${fmt(rate)} Hz during the step, ${count} spike${count === 1 ? "" : "s"} in the whole run${Number.isFinite(lat) ? `, first spike ${fmt(lat)} ms after the step starts` : ", no spike during the step"}.`;
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
    const px = ((e.clientX - r.left) / r.width) * W;
    const py = ((e.clientY - r.top) / r.height) * H;
    const pw = W - M.left - M.right;
    const ph = H - M.top - M.bottom;
    if (px < M.left || px >= M.left + pw || py < M.top || py >= M.top + ph) return;
    const ix = Math.floor(((px - M.left) / pw) * sh.xs.length);
    const iy = sh.ys.length - 1 - Math.floor(((py - M.top) / ph) * sh.ys.length);
    this.moveTo(ix, iy);
  }

  private openCursor(): void {
    const sh = this.shown;
    if (!sh) return;
    this.hooks.openPoint(
      { [sh.settings.x]: sh.xs[this.cursor.x] as number, [sh.settings.y]: sh.ys[this.cursor.y] as number },
      { start: sh.settings.start, stop: sh.settings.stop, duration: sh.settings.duration },
    );
  }

  // ------------------------------------------------------------ export

  private fileName(): string {
    const sh = this.shown as MapShown;
    return `spikelab-map-${sh.model.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${sh.settings.y}-${sh.settings.x}-${sh.method}-${sh.precision}`;
  }

  private csv(): void {
    const sh = this.shown;
    if (!sh) return;
    const nx = sh.xs.length;
    const n = nx * sh.ys.length;
    const [yCol, xCol] = axisColumns(parseSweepSpec(sh.spec)) as [string, string];
    const f32 = sh.precision === "f32";
    const num = (v: number) => (Number.isNaN(v) ? "" : f32 ? String(shortestF32(v)) : String(v));
    const cols: Record<string, (number | string)[]> = {
      index: [],
      [yCol]: [],
      [xCol]: [],
      spike_count: [],
      rate_Hz: [],
      first_spike_latency_ms: [],
      precision: [],
    };
    for (let i = 0; i < n; i++) {
      cols.index?.push(i);
      cols[yCol]?.push(sh.ys[Math.floor(i / nx)] as number);
      cols[xCol]?.push(sh.xs[i % nx] as number);
      cols.spike_count?.push(sh.count[i] as number);
      cols.rate_Hz?.push(num(sh.rate[i] as number));
      cols.first_spike_latency_ms?.push(num(sh.latency[i] as number));
      cols.precision?.push(sh.precision);
    }
    download(`${this.fileName()}.csv`, toCsv(cols), "text/csv");
  }

  private png(): void {
    if (!this.shown) return;
    this.canvas.toBlob((b) => b && download(`${this.fileName()}.png`, b));
  }
}
