/**
 * The page's side of the workers.
 *
 * `LiveRunner` keeps the live lab responsive during a drag: one worker, at most one run in
 * flight and at most one waiting; a newer request replaces the waiting one (latest wins), and
 * a reply older than one already shown is dropped.
 *
 * `SweepPool` splits an f–I sweep into chunks of amplitudes, runs them on a pool of workers
 * (one per core, up to 8) and reports progress; a newer sweep makes an older one's replies stale.
 */
import type { FiOptions, FiResult, RefractoryOptions, RheobaseOptions, SimulationSpecInput, SweepSpecInput } from "./lib.js";
import type { FiReply, RefractoryReply, RheobaseReply, RunReply, WorkerError, WorkerReply, WorkerRequest } from "./protocol.js";

const newWorker = () => new Worker(new URL("./sim.worker.ts", import.meta.url), { type: "module" });

export class LiveRunner {
  private readonly worker = newWorker();
  private nextId = 1;
  private inFlight = 0;
  private waiting: WorkerRequest | null = null;
  private shown = 0;

  constructor(private readonly onReply: (reply: RunReply | WorkerError) => void) {
    this.worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      const reply = e.data;
      this.inFlight = 0;
      if (this.waiting) this.send(this.waiting);
      if ((reply.kind !== "run" && reply.kind !== "error") || reply.id <= this.shown) return;
      this.shown = reply.id;
      this.onReply(reply);
    };
    this.worker.onerror = (e) => {
      this.inFlight = 0;
      this.onReply({ kind: "error", id: this.nextId - 1, name: "Error", message: `the simulation worker failed: ${e.message}` });
    };
  }

  /** Asks for a run; returns its id. */
  request(spec: SimulationSpecInput): number {
    const id = this.nextId++;
    const req: WorkerRequest = { kind: "run", id, spec };
    if (this.inFlight) this.waiting = req;
    else this.send(req);
    return id;
  }

  /** The id of the newest request. */
  get latest(): number {
    return this.nextId - 1;
  }

  private send(req: WorkerRequest): void {
    this.waiting = null;
    this.inFlight = req.id;
    this.worker.postMessage(req);
  }
}

/**
 * `MeasureRunner`: one worker of its own for the library's slower measurements (the paired-pulse
 * refractory protocol, about a second; the rheobase bisection), so that they never hold up the live
 * run. Requests run in order; each returns a promise of its reply (rejected with the library's error).
 */
export class MeasureRunner {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(r: WorkerReply): void; reject(e: Error): void }>();

  refractory(options: RefractoryOptions): Promise<RefractoryReply> {
    return this.call({ kind: "refractory", id: this.nextId++, options }) as Promise<RefractoryReply>;
  }

  rheobase(options: RheobaseOptions): Promise<RheobaseReply> {
    return this.call({ kind: "rheobase", id: this.nextId++, options }) as Promise<RheobaseReply>;
  }

  private call(req: WorkerRequest): Promise<WorkerReply> {
    if (!this.worker) {
      const w = newWorker();
      w.onmessage = (e: MessageEvent<WorkerReply>) => {
        const p = this.pending.get(e.data.id);
        this.pending.delete(e.data.id);
        if (!p) return;
        if (e.data.kind === "error") p.reject(Object.assign(new Error(e.data.message), { name: e.data.name }));
        else p.resolve(e.data);
      };
      w.onerror = (e) => {
        for (const p of this.pending.values()) p.reject(new Error(`the measurement worker failed: ${e.message}`));
        this.pending.clear();
      };
      this.worker = w;
    }
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      (this.worker as Worker).postMessage(req);
    });
  }
}

export interface SweepProgress {
  done: number;
  total: number;
}

export interface SweepJob {
  /** One label per curve (e.g. "euler, dt 0.025 ms"), each with its options. */
  curves: { label: string; options: FiOptions }[];
  onProgress(p: SweepProgress): void;
}

interface Task {
  sweep: number;
  curve: number;
  chunk: number;
  options: FiOptions;
}

export class SweepPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private queue: Task[] = [];
  private sweep = 0;
  private readonly pending = new Map<Worker, Task>();
  private handlers: {
    onDone(curve: number, chunk: number, r: FiResult): void;
    onError(e: WorkerError, curve: number): void;
    supersede(): void;
    cancel(): void;
  } | null = null;

  constructor(readonly size = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2))) {}

  /**
   * Runs every curve of a job; resolves with one FiResult per curve, in amplitude order.
   * A newer run rejects this one's promise with an error named "Superseded".
   */
  run(job: SweepJob): Promise<FiResult[]> {
    this.ensureWorkers();
    this.handlers?.supersede();
    const sweep = ++this.sweep;
    const chunks = Math.max(1, this.size * 4);
    const tasks: Task[] = [];
    const parts: FiResult[][] = [];
    job.curves.forEach((c, curve) => {
      const amps = Array.from(c.options.amplitudes);
      const per = Math.max(1, Math.ceil(amps.length / chunks));
      parts.push([]);
      for (let i = 0, chunk = 0; i < amps.length; i += per, chunk++) {
        tasks.push({ sweep, curve, chunk, options: { ...c.options, amplitudes: amps.slice(i, i + per) } });
      }
    });
    const total = tasks.length;
    let done = 0;
    this.queue = tasks;
    job.onProgress({ done, total });
    return new Promise((resolve, reject) => {
      this.handlers = {
        onDone: (curve, chunk, r) => {
          (parts[curve] as FiResult[])[chunk] = r;
          done++;
          job.onProgress({ done, total });
          if (done === total) resolve(parts.map(merge));
        },
        onError: (e, curve) => {
          this.queue = [];
          reject(Object.assign(new Error(e.message), { name: e.name, curve }));
        },
        supersede: () => reject(Object.assign(new Error("a newer sweep replaced this one"), { name: "Superseded" })),
        cancel: () => reject(Object.assign(new Error("the sweep was cancelled"), { name: "Cancelled" })),
      };
      this.pump();
    });
  }

  /** Stops the running sweep: no more chunks start, the ones in flight are ignored; its promise rejects ("Cancelled"). */
  cancel(): void {
    this.queue = [];
    this.sweep++;
    const h = this.handlers;
    this.handlers = null;
    h?.cancel();
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.size) {
      const w = newWorker();
      w.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(w, e.data);
      w.onerror = (e) => this.receive(w, { kind: "error", id: this.sweep, name: "Error", message: `a sweep worker failed: ${e.message}` });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private receive(w: Worker, reply: WorkerReply): void {
    const task = this.pending.get(w);
    this.pending.delete(w);
    this.idle.push(w);
    if (task && task.sweep === this.sweep && this.handlers) {
      if (reply.kind === "error") this.handlers.onError(reply, task.curve);
      else if (reply.kind === "fi") this.handlers.onDone(task.curve, task.chunk, (reply as FiReply).result);
    }
    this.pump();
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop() as Worker;
      const task = this.queue.shift() as Task;
      this.pending.set(w, task);
      w.postMessage({ kind: "fi", id: task.sweep, chunk: task.chunk, options: task.options } satisfies WorkerRequest);
    }
  }
}

/** Chunks of one curve, in order, as one FiResult. */
const merge = (chunks: FiResult[]): FiResult => ({
  amplitudes_uA_per_cm2: chunks.flatMap((c) => c.amplitudes_uA_per_cm2),
  spike_counts: chunks.flatMap((c) => c.spike_counts),
  rates_Hz: chunks.flatMap((c) => c.rates_Hz),
});

/** Spike statistics of every point of a grid, in grid order (f64, from the CPU workers). */
export interface GridColumns {
  spike_count: Float64Array;
  rate_Hz: Float64Array;
  first_spike_latency_ms: Float64Array;
}

/**
 * `GridPool`: the parameter map's CPU fallback. Splits the points of a sweep spec into chunks, each
 * one batched run of the library's `runBatch` in a worker (one per core, up to 8), with progress.
 * A newer run supersedes an older one (its promise rejects with an error named "Superseded").
 */
export class GridPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private queue: WorkerRequest[] = [];
  private run = 0;
  private readonly pending = new Map<Worker, number>();
  private handlers: { onReply(w: WorkerReply): void; supersede(): void; cancel(): void } | null = null;

  constructor(readonly size = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2))) {}

  compute(spec: SweepSpecInput, points: number, onProgress: (p: SweepProgress) => void): Promise<GridColumns> {
    while (this.workers.length < this.size) {
      const w = newWorker();
      w.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(w, e.data);
      w.onerror = (e) => this.receive(w, { kind: "error", id: this.run, name: "Error", message: `a map worker failed: ${e.message}` });
      this.workers.push(w);
      this.idle.push(w);
    }
    this.handlers?.supersede();
    const id = ++this.run;
    const per = Math.max(16, Math.min(4096, Math.ceil(points / (this.size * 8))));
    this.queue = [];
    for (let from = 0, chunk = 0; from < points; from += per, chunk++) {
      this.queue.push({ kind: "batch", id, chunk, spec, from, to: Math.min(points, from + per) });
    }
    const total = this.queue.length;
    const out: GridColumns = {
      spike_count: new Float64Array(points),
      rate_Hz: new Float64Array(points),
      first_spike_latency_ms: new Float64Array(points),
    };
    let done = 0;
    onProgress({ done, total });
    return new Promise((resolve, reject) => {
      this.handlers = {
        onReply: (r) => {
          if (r.kind === "error") {
            this.queue = [];
            reject(Object.assign(new Error(r.message), { name: r.name }));
            this.handlers = null;
            return;
          }
          if (r.kind !== "batch") return;
          const from = r.chunk * per;
          out.spike_count.set(r.spike_count, from);
          out.rate_Hz.set(r.rate_Hz, from);
          out.first_spike_latency_ms.set(r.first_spike_latency_ms, from);
          done++;
          onProgress({ done, total });
          if (done === total) {
            this.handlers = null;
            resolve(out);
          }
        },
        supersede: () => reject(Object.assign(new Error("a newer map replaced this one"), { name: "Superseded" })),
        cancel: () => reject(Object.assign(new Error("the map was cancelled"), { name: "Cancelled" })),
      };
      this.pump();
    });
  }

  /** Stops the running map: no more chunks start, the ones in flight are ignored; its promise rejects ("Cancelled"). */
  cancel(): void {
    this.queue = [];
    this.run++;
    const h = this.handlers;
    this.handlers = null;
    h?.cancel();
  }

  private receive(w: Worker, reply: WorkerReply): void {
    const id = this.pending.get(w);
    this.pending.delete(w);
    this.idle.push(w);
    if (id === this.run && this.handlers) this.handlers.onReply(reply);
    this.pump();
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop() as Worker;
      const req = this.queue.shift() as WorkerRequest;
      this.pending.set(w, req.id);
      w.postMessage(req);
    }
  }
}
