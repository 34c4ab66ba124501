// How a fused WebAssembly kernel (kernel.ts) is driven over a range of neuron pairs: the one loop that
// the runner (run.ts) and its helper threads (threads.ts, pairWorker.ts) share. No imports, so that a
// helper thread loads this file alone.

/** Steps per kernel call (kernel.ts's ON_STRIDE: the flags of one current are this many bytes apart). */
export const BLOCK_STEPS = 256;
/** Neuron pairs per tile (a tile's arrays stay in the CPU's L2 cache). */
export const TILE_PAIRS = 256;
/** One record: neuron i32, step i32, V before f64, V after f64. */
export const RECORD_BYTES = 24;

/** Where a kernel's arrays and buffers lie in its memory (see kernel.ts). */
export interface KernelLayout {
  /** Neurons (the last pair may hold a padding lane). */
  readonly n: number;
  /** Bytes per array (one f64 per neuron, padded to whole pairs). */
  readonly stride: number;
  /** Byte offsets of the current flags and of the records. */
  readonly onBase: number;
  readonly recBase: number;
  /** Currents (rows of the flags). */
  readonly currents: number;
  /** State variables: the arrays "y0"… at the start of memory. */
  readonly vars: number;
}

/** An instantiated kernel and views of its memory. */
export interface KernelView extends KernelLayout {
  /** The kernel's exported `run(p0, p1, k0, k1, stride, onBase, recBase, dt, threshold)` (kernel.ts). */
  readonly run: (...args: number[]) => number;
  /** Its memory as f64 (the arrays), i32 (the records) and bytes (the current flags). */
  readonly f64: Float64Array;
  readonly i32: Int32Array;
  readonly on: Uint8Array;
}

/** Instantiates a kernel module on a fresh memory of `bytes` bytes. */
export function kernelView(module: WebAssembly.Module, layout: KernelLayout, bytes: number): KernelView {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return {
    ...layout,
    run: instance.exports.run as (...args: number[]) => number,
    f64: new Float64Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    on: new Uint8Array(memory.buffer, layout.onBase, layout.currents * BLOCK_STEPS),
  };
}

/** The bytes of memory a kernel needs for `pairs` neuron pairs. */
export const kernelBytes = (recBase: number, pairs: number): number =>
  recBase + Math.min(pairs, TILE_PAIRS) * 2 * (BLOCK_STEPS / 2 + 1) * RECORD_BYTES;

/** Spikes as (step, neuron, t_ms), growing as they come. */
export class Records {
  k = new Int32Array(256);
  neuron = new Int32Array(256);
  t = new Float64Array(256);
  count = 0;

  push(k: number, neuron: number, t: number): void {
    if (this.count === this.k.length) {
      const grow = <A extends Int32Array | Float64Array>(a: A): A => {
        const b = new (a.constructor as new (n: number) => A)(2 * a.length);
        b.set(a);
        return b;
      };
      this.k = grow(this.k);
      this.neuron = grow(this.neuron);
      this.t = grow(this.t);
    }
    this.k[this.count] = k;
    this.neuron[this.count] = neuron;
    this.t[this.count] = t;
    this.count++;
  }
}

/** Writes the flags of steps [k0, k1) into `on` (current j's at j·BLOCK_STEPS + k − k0: 1 on, 0 off). */
export type FlagBlock = (on: Uint8Array, k0: number, k1: number) => void;

/** The FlagBlock of a table of flags of steps [from, to), current by current (what a helper thread receives). */
export const flagsFromTable =
  (table: Uint8Array, from: number, to: number, currents: number): FlagBlock =>
  (on, k0, k1) => {
    const span = to - from;
    for (let j = 0; j < currents; j++) on.set(table.subarray(j * span + k0 - from, j * span + k1 - from), j * BLOCK_STEPS);
  };

/**
 * Advances neuron pairs [pairsFrom, pairsTo) through steps [from, to), the current flags of each
 * block of steps written by `flags`, and passes their spikes to onSpike(neuron, t_ms, step)
 * in the order the step-by-step loop finds them: by step, then neuron. Returns false when a state
 * left the bounds.
 */
export function advancePairs(
  view: KernelView,
  from: number,
  to: number,
  pairsFrom: number,
  pairsTo: number,
  dt: number,
  threshold: number,
  flags: FlagBlock,
  onSpike: (neuron: number, t: number, k: number) => void,
): boolean {
  const { run, f64, i32, on, n, stride, onBase, recBase } = view;
  const tiles = Math.ceil((pairsTo - pairsFrom) / TILE_PAIRS);
  // with several tiles, a block's records (step, neuron, t) in the order of the tiles, then sorted by step
  const block = tiles > 1 ? new Records() : undefined;
  for (let k0 = from; k0 < to; k0 += BLOCK_STEPS) {
    const k1 = Math.min(k0 + BLOCK_STEPS, to);
    flags(on, k0, k1);
    if (block) block.count = 0;
    for (let p0 = pairsFrom; p0 < pairsTo; p0 += TILE_PAIRS) {
      const found = run(p0, Math.min(p0 + TILE_PAIRS, pairsTo), k0, k1, stride, onBase, recBase, dt, threshold);
      if (found < 0) return false;
      for (let r = 0; r < found; r++) {
        const at = (recBase + r * RECORD_BYTES) / 4;
        const neuron = i32[at] as number;
        if (neuron >= n) continue; // the padding lane
        const k = i32[at + 1] as number;
        const a = f64[at / 2 + 1] as number;
        const b = f64[at / 2 + 2] as number;
        // the crossing time exactly as SpikeDetector.after computes it
        const t = k * dt + (dt * (threshold - a)) / (b - a);
        if (block) block.push(k, neuron, t);
        else onSpike(neuron, t, k);
      }
    }
    if (block) {
      // a stable counting sort by step: within a step, tiles (and so neurons) stay in order
      const start = new Int32Array(k1 - k0 + 1);
      for (let r = 0; r < block.count; r++) {
        const s = (block.k[r] as number) - k0 + 1;
        start[s] = (start[s] as number) + 1;
      }
      for (let s = 1; s < start.length; s++) start[s] = (start[s] as number) + (start[s - 1] as number);
      const order = new Int32Array(block.count);
      for (let r = 0; r < block.count; r++) {
        const s = (block.k[r] as number) - k0;
        order[start[s] as number] = r;
        start[s] = (start[s] as number) + 1;
      }
      for (const r of order) onSpike(block.neuron[r] as number, block.t[r] as number, block.k[r] as number);
    }
  }
  return true;
}

/** The state of pairs [pairsFrom, pairsTo), variable by variable (what a helper thread sends back). */
export function pairState(view: KernelView, pairsFrom: number, pairsTo: number): Float64Array<ArrayBuffer> {
  const w = 2 * (pairsTo - pairsFrom);
  const out = new Float64Array(view.vars * w);
  for (let j = 0; j < view.vars; j++) {
    const at = (j * view.stride) / 8 + 2 * pairsFrom;
    out.set(view.f64.subarray(at, at + w), j * w);
  }
  return out;
}

/** Writes back what pairState read. */
export function setPairState(view: KernelView, pairsFrom: number, pairsTo: number, state: Float64Array): void {
  const w = 2 * (pairsTo - pairsFrom);
  for (let j = 0; j < view.vars; j++) view.f64.set(state.subarray(j * w, (j + 1) * w), (j * view.stride) / 8 + 2 * pairsFrom);
}

/** A share of a run for helper threads: chunks of pairs, taken one at a time by whoever is free. */
export interface PairJob {
  readonly module: WebAssembly.Module;
  readonly layout: KernelLayout;
  /** The kernel's memory at the start of the share (state after the quiet prefix, parameters). */
  readonly memory: Uint8Array;
  readonly onTable: Uint8Array;
  readonly from: number;
  readonly to: number;
  readonly dt: number;
  readonly threshold: number;
  /** Chunk c is pairs [bounds[c], bounds[c + 1]). */
  readonly bounds: Int32Array;
}

/** What one thread computed of a job: per chunk it took, its spikes and its pairs' end state. */
export interface ChunkResult {
  readonly chunk: number;
  readonly ok: boolean;
  readonly k: Int32Array<ArrayBuffer>;
  readonly neuron: Int32Array<ArrayBuffer>;
  readonly t: Float64Array<ArrayBuffer>;
  readonly state: Float64Array<ArrayBuffer>;
}

/** Takes chunks (next[0] is the next one free) until none are left, computing each on `view`. */
export function takeChunks(view: KernelView, job: PairJob, next: Int32Array): ChunkResult[] {
  const done: ChunkResult[] = [];
  const chunks = job.bounds.length - 1;
  const flags = flagsFromTable(job.onTable, job.from, job.to, job.layout.currents);
  for (let c = Atomics.add(next, 0, 1); c < chunks; c = Atomics.add(next, 0, 1)) {
    const p0 = job.bounds[c] as number;
    const p1 = job.bounds[c + 1] as number;
    const out = new Records();
    const ok = advancePairs(view, job.from, job.to, p0, p1, job.dt, job.threshold, flags, (neuron, t, k) => out.push(k, neuron, t));
    done.push({
      chunk: c,
      ok,
      k: out.k.slice(0, out.count),
      neuron: out.neuron.slice(0, out.count),
      t: out.t.slice(0, out.count),
      state: ok ? pairState(view, p0, p1) : new Float64Array(0),
    });
    if (!ok) {
      Atomics.store(next, 0, chunks); // the run will be rerun by the checked loop: stop everyone
      break;
    }
  }
  return done;
}

/**
 * Below this many neuron-steps (2 × pairs × steps after the quiet prefix) a fused run stays on the
 * calling thread even where helper threads are set. What sharing costs is a helper's start (Node's
 * worker bootstrap, ≈ 15–25 ms on the other core, during which this thread takes every chunk) and
 * ≈ 4 ms of this thread's time (creating the worker, the job's copy). Measured with the lab's f–I
 * curve at Euler, dt 0.025 ms (the cheapest step; Node 20, this 2-core machine, a fresh helper,
 * this thread's CPU time): 51 amplitudes (312,000 neuron-steps shared) 19.4 ms alone → 23.1 ms
 * shared; 101 (612,000) 33.1 → 33.1; 201 (1.2 M) 60.6 → 49.3. RK4 costs ≈ 4× a neuron-step, so
 * its break-even is lower and the converged lab curve (RK4, dt 0.01 ms: 780,000 shared) gains
 * (≈ 170 → 85 ms a thread). 2^19 keeps the lab's Euler curve on one thread.
 */
export const THREADS_MIN_NEURON_STEPS = 2 ** 19;

/** Helper threads that a fused run shares its pairs with (Node: threads.ts), when set. */
export interface PairHelpers {
  /** Helper threads (the calling thread works too). */
  readonly helpers: number;
  /** Neuron-steps of a run's shared part below which it runs on the calling thread alone. */
  readonly minNeuronSteps: number;
  /**
   * Offers `job` to the helpers, then takes chunks on this thread with `self` (its own memory, the
   * same contents), and returns every chunk's result once the helpers that took chunks are done.
   */
  share(job: PairJob, self: KernelView): ChunkResult[];
}

/** The helper threads fused runs may use in this thread; none unless Node code sets them (useKernelThreads). */
export const pairHelpers: { current?: PairHelpers } = {};

/** Pairs per chunk at least: one pair alone costs no more a pair-step than 26 in one tile (RK4, lab f–I: 161 against 160 ms CPU, medians of 7). */
export const MIN_CHUNK_PAIRS = 1;
/**
 * Chunks per thread: the last chunk a thread takes is what the other may wait for (≤ 1/64 of a run shared by
 * two), and a chunk costs nothing but its own kernel calls (its spikes and end state go back once per run).
 * The converged lab curve's 26 pairs become 26 chunks of one pair.
 */
export const CHUNKS_PER_THREAD = 32;

/** The chunk bounds of `pairs` pairs shared by `threads` threads: chunk c is pairs [b[c], b[c + 1]). */
export function chunkBounds(pairs: number, threads: number): Int32Array {
  const size = Math.max(MIN_CHUNK_PAIRS, Math.ceil(pairs / (threads * CHUNKS_PER_THREAD)));
  const chunks = Math.ceil(pairs / size);
  return Int32Array.from({ length: chunks + 1 }, (_, c) => Math.min(c * size, pairs));
}
