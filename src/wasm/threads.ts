import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { builtFile } from "../io/dist.js";
import {
  type ChunkResult,
  type KernelView,
  type PairHelpers,
  type PairJob,
  pairHelpers,
  THREADS_MIN_NEURON_STEPS,
  takeChunks,
} from "./pairs.js";

/**
 * Helper threads for the fused WebAssembly runs of this thread (pairs.ts's PairHelpers): each run
 * above `minNeuronSteps` cuts its neuron pairs into chunks that this thread and the helpers take one
 * at a time, so a helper still starting costs this thread nothing. Each neuron is integrated as
 * alone, so the results are the same bit for bit as on one thread. The helpers are started on the
 * first such run (or by `start`), kept for later runs, and never keep the process alive.
 */
export class KernelThreads implements PairHelpers {
  private readonly workers: Worker[] = [];
  /** Chunks of the last shared run, and how many of them the helpers took. */
  lastShare = { chunks: 0, byHelpers: 0 };

  constructor(
    readonly helpers: number,
    readonly minNeuronSteps: number = THREADS_MIN_NEURON_STEPS,
  ) {}

  /** Starts the helper threads now (they boot while this thread goes on, e.g. compiling a kernel). */
  start(): this {
    const file = builtFile("wasm/pairWorker.js", import.meta.url, "wasm/threads.ts");
    while (this.workers.length < this.helpers) {
      // no inherited loader flags (a TypeScript runner's --import): the helper loads pairs.js alone
      const w = new Worker(file, { execArgv: [] });
      w.unref();
      this.workers.push(w);
    }
    return this;
  }

  share(job: PairJob, self: KernelView): ChunkResult[] {
    this.start();
    const next = new Int32Array(new SharedArrayBuffer(4));
    const offers = this.workers.map((w) => {
      const state = new Int32Array(new SharedArrayBuffer(4));
      const { port1, port2 } = new MessageChannel();
      w.postMessage({ job, next, state, port: port2 }, [port2]);
      return { state, port: port1 };
    });
    const results = takeChunks(self, job, next);
    const own = results.length;
    for (const { state, port } of offers) {
      // a helper that has not begun never will (every chunk is taken); one that has is waited for
      if (Atomics.compareExchange(state, 0, 0, 3) !== 0) {
        while (Atomics.load(state, 0) !== 2) Atomics.wait(state, 0, 1);
        const m = receiveMessageOnPort(port)?.message as ChunkResult[] | { error: string } | undefined;
        if (!m) throw new Error("a kernel helper thread finished without a result");
        if ("error" in m) throw new Error(`a kernel helper thread failed: ${m.error}`);
        results.push(...m);
      }
      port.close();
    }
    this.lastShare = { chunks: job.bounds.length - 1, byHelpers: results.length - own };
    return results;
  }

  /** Stops the helper threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/**
 * Fused runs of this thread use `workers` threads in all (this one and workers − 1 helpers) from now
 * on; 1 goes back to one thread. Returns the helpers (to `start` them early), or undefined for 1.
 */
export function useKernelThreads(workers: number, minNeuronSteps = THREADS_MIN_NEURON_STEPS): KernelThreads | undefined {
  const old = pairHelpers.current;
  if (old instanceof KernelThreads) void old.close();
  const threads = workers > 1 ? new KernelThreads(workers - 1, minNeuronSteps) : undefined;
  pairHelpers.current = threads;
  return threads;
}
