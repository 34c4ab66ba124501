/**
 * `WorkerPool`: the one pool of simulation workers behind the f–I sweep and the parameter map's CPU
 * fallback (one worker per core, up to 8). A run is a list of requests; each reply goes to the run's
 * handler as it arrives, with progress; a newer run supersedes an older one (its promise rejects with an
 * error named "Superseded", its replies in flight are ignored), `cancel` stops one ("Cancelled"), and the
 * first error stops the run with the library's message (the error's `index` is the failing request's).
 */
import type { WorkerReply, WorkerRequest } from "./protocol.js";

/** A new simulation worker (src: sim.worker.ts). */
export const newWorker = () => new Worker(new URL("./sim.worker.ts", import.meta.url), { type: "module" });

export interface PoolProgress {
  done: number;
  total: number;
}

/** A request without the run id the pool gives it. */
export type PoolRequest = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

/** One job on the pool: its requests and what to do with each reply. */
export interface PoolRun {
  readonly requests: readonly PoolRequest[];
  /** Each reply (never an error) with the index of its request, in completion order. */
  onReply(reply: WorkerReply, index: number): void;
  onProgress(p: PoolProgress): void;
  /** The job in words, for the Superseded and Cancelled messages: "sweep", "map". */
  readonly what: string;
}

export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private queue: number[] = [];
  private runId = 0;
  private current: { run: PoolRun; done: number; resolve(): void; reject(e: Error): void } | null = null;
  private readonly pending = new Map<Worker, { run: number; index: number }>();

  constructor(readonly size = Math.max(1, Math.min(8, navigator.hardwareConcurrency || 2))) {}

  /** Runs every request of `run` on the pool; resolves when all have replied. */
  run(run: PoolRun): Promise<void> {
    this.ensureWorkers();
    const old = this.current;
    this.current = null;
    old?.reject(Object.assign(new Error(`a newer ${run.what} replaced this one`), { name: "Superseded" }));
    this.runId++;
    this.queue = run.requests.map((_, i) => i);
    run.onProgress({ done: 0, total: run.requests.length });
    return new Promise<void>((resolve, reject) => {
      this.current = { run, done: 0, resolve, reject };
      if (run.requests.length === 0) {
        this.current = null;
        resolve();
      }
      this.pump();
    });
  }

  /** Stops the running job: no more requests start, the ones in flight are ignored; its promise rejects ("Cancelled"). */
  cancel(): void {
    this.queue = [];
    this.runId++;
    const c = this.current;
    this.current = null;
    c?.reject(Object.assign(new Error(`the ${c.run.what} was cancelled`), { name: "Cancelled" }));
  }

  private ensureWorkers(): void {
    while (this.workers.length < this.size) {
      const w = newWorker();
      w.onmessage = (e: MessageEvent<WorkerReply>) => this.receive(w, e.data);
      w.onerror = (e) =>
        this.receive(w, {
          kind: "error",
          id: this.runId,
          name: "Error",
          message: `a ${this.current?.run.what ?? "pool"} worker failed: ${e.message}`,
        });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private receive(w: Worker, reply: WorkerReply): void {
    const task = this.pending.get(w);
    this.pending.delete(w);
    this.idle.push(w);
    const c = this.current;
    if (task && task.run === this.runId && c) {
      if (reply.kind === "error") {
        this.queue = [];
        this.current = null;
        c.reject(Object.assign(new Error(reply.message), { name: reply.name, index: task.index }));
      } else {
        c.run.onReply(reply, task.index);
        c.done++;
        c.run.onProgress({ done: c.done, total: c.run.requests.length });
        if (c.done === c.run.requests.length) {
          this.current = null;
          c.resolve();
        }
      }
    }
    this.pump();
  }

  private pump(): void {
    const c = this.current;
    while (c && this.idle.length && this.queue.length) {
      const w = this.idle.pop() as Worker;
      const index = this.queue.shift() as number;
      this.pending.set(w, { run: this.runId, index });
      w.postMessage({ ...c.run.requests[index], id: this.runId } as WorkerRequest);
    }
  }
}
