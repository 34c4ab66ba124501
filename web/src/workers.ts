/**
 * The page's side of the workers.
 *
 * `LiveRunner` keeps the live lab responsive during a drag: one worker, at most one run in
 * flight and at most one waiting; a newer request replaces the waiting one (latest wins), and
 * a reply older than one already shown is dropped.
 * `MeasureRunner` runs the library's slower measurements on a worker of their own. The f–I sweep and the
 * parameter map run on the generic `WorkerPool` (pool.ts, jobs in poolJobs.ts).
 */
import type { RefractoryOptions, RheobaseOptions, SimulationSpecInput } from "./lib.js";
import { newWorker } from "./pool.js";
import type { RefractoryReply, RheobaseReply, RunReply, WorkerError, WorkerReply, WorkerRequest } from "./protocol.js";

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
