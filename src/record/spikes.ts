import type { Ms, MV } from "../units.js";

/** Spikes of a batch as flat records, as Brian2's SpikeMonitor: neuron index and time, plus a count per neuron. */
export interface SpikeRecord {
  readonly neuron: Int32Array;
  readonly t_ms: Float64Array;
  readonly count: Int32Array;
}

/**
 * Detects upward crossings of a threshold (the lab's spike definition: V[k] < θ ≤ V[k+1]),
 * online during a run, with the crossing time interpolated linearly within the step.
 */
export class SpikeDetector {
  private readonly prev: Float64Array;
  private readonly neurons: number[] = [];
  private readonly times: number[] = [];
  readonly count: Int32Array;

  constructor(
    readonly n: number,
    readonly threshold: MV,
  ) {
    this.prev = new Float64Array(n);
    this.count = new Int32Array(n);
  }

  /** Remembers V at the start of a step (y[0..n) is V). */
  before(y: Float64Array): void {
    this.prev.set(y.subarray(0, this.n));
  }

  /** Checks the step [t0, t0 + dt] that ended at state y. */
  after(t0: Ms, dt: Ms, y: Float64Array): void {
    const th = this.threshold;
    for (let i = 0; i < this.n; i++) {
      const a = this.prev[i] as number;
      const b = y[i] as number;
      if (a < th && b >= th) this.record(i, t0 + (dt * (th - a)) / (b - a));
    }
  }

  /** Forgets every spike (a run that starts again). */
  reset(): void {
    this.neurons.length = 0;
    this.times.length = 0;
    this.count.fill(0);
  }

  /** Adds one spike (for methods that locate crossings themselves). */
  record(neuron: number, t: Ms): void {
    this.neurons.push(neuron);
    this.times.push(t);
    this.count[neuron] = (this.count[neuron] as number) + 1;
  }

  /** The spikes so far: neuron and time (ms) of each, in the order detected, and the count per neuron. */
  result(): SpikeRecord {
    return { neuron: Int32Array.from(this.neurons), t_ms: Float64Array.from(this.times), count: this.count };
  }
}

/** Spike times of one neuron from a flat record, in order. */
export function spikeTimesOf(spikes: SpikeRecord, neuron: number): Float64Array {
  const out: number[] = [];
  for (let j = 0; j < spikes.neuron.length; j++) if (spikes.neuron[j] === neuron) out.push(spikes.t_ms[j] as number);
  return Float64Array.from(out);
}
