import { type MessagePort, parentPort } from "node:worker_threads";
import { type ChunkResult, kernelBytes, kernelView, type PairJob, takeChunks } from "./pairs.js";

// A helper thread of fused WebAssembly runs (threads.ts): it loads pairs.ts alone, receives the kernel
// already compiled (a WebAssembly.Module is shared between threads, not compiled again) and takes chunks
// of neuron pairs until none are left.

/** A job as threads.ts posts it: `state[0]` is 0 until a thread begins it (the caller sets 3 when it no longer waits). */
interface Offer {
  readonly job: PairJob;
  readonly next: Int32Array;
  readonly state: Int32Array;
  readonly port: MessagePort;
}

parentPort?.on("message", ({ job, next, state, port }: Offer) => {
  if (Atomics.compareExchange(state, 0, 0, 1) !== 0) return; // the caller took every chunk itself
  try {
    const pairs = Math.ceil(job.layout.n / 2);
    const view = kernelView(job.module, job.layout, kernelBytes(job.layout.recBase, pairs));
    new Uint8Array(view.f64.buffer).set(job.memory);
    const done: ChunkResult[] = takeChunks(view, job, next);
    port.postMessage(
      done,
      done.flatMap((r) => [r.k.buffer, r.neuron.buffer, r.t.buffer, r.state.buffer]),
    );
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? e.message : String(e) });
  } finally {
    Atomics.store(state, 0, 2);
    Atomics.notify(state, 0);
  }
});
