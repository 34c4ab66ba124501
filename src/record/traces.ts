import type { MembraneSystem } from "../system/membrane.js";

/**
 * Where a run streams its traces instead of keeping them: it receives them in chunks of samples
 * as the run goes, so a run of any length records in bounded memory (e.g. a CSV file: io/csvSink.ts).
 */
export interface TraceSink {
  /** Called once, before the first chunk, with the recorded variables and neuron indices (and the samples to come, per trace). */
  open?(variables: readonly string[], neurons: readonly number[], samples?: number): void;
  /**
   * A chunk: sample times t_ms[0..count) and traces[variable][r][0..count) of neuron `neurons[r]`.
   * The arrays are reused for the next chunk once this returns: copy what you keep.
   */
  write(t_ms: Float64Array, traces: Readonly<Record<string, Float64Array[]>>, count: number): void;
  /** Called once after the last chunk of a run that finished. */
  close?(): void;
  /** Called instead of close when the run failed (e.g. diverged): discard what was written. */
  abort?(): void;
}

/** Samples per chunk when streaming to a sink (memory: chunk × (variables × neurons + 1) × 8 bytes). */
export const DEFAULT_CHUNK_SAMPLES = 4096;

const STATE = 0;
const CURRENT = 1;
const INJECTED = 2;

/**
 * Records chosen variables of chosen neurons into preallocated arrays: all samples of the run, or,
 * with a sink, one chunk at a time (written to the sink when full). Variables are state names
 * (V, m, h, n, …), channel currents `I_<channel>` (µA/cm², outward positive) and the injected
 * current `I_inj` (µA/cm²). Recording allocates nothing.
 */
export class TraceRecorder {
  readonly data: Record<string, Float64Array[]> = {};
  readonly t: Float64Array;
  /** Samples recorded so far (in memory and streamed). */
  recorded = 0;
  private fill = 0;
  private readonly currents: Float64Array;
  private readonly inj: Float64Array;
  private readonly kind: Int32Array;
  private readonly index: Int32Array;
  private readonly rows: Float64Array[][];
  private readonly needCurrents: boolean;
  private readonly needInj: boolean;

  constructor(
    private readonly system: MembraneSystem,
    readonly variables: readonly string[],
    readonly neurons: readonly number[],
    samples: number,
    private readonly sink?: TraceSink,
    chunk = DEFAULT_CHUNK_SAMPLES,
  ) {
    const capacity = sink ? Math.min(samples, chunk) : samples;
    this.t = new Float64Array(capacity);
    for (const v of variables) this.data[v] = neurons.map(() => new Float64Array(capacity));
    this.rows = variables.map((v) => this.data[v] as Float64Array[]);
    this.currents = new Float64Array(system.channelNames.length * system.n);
    this.inj = new Float64Array(system.n);
    this.kind = Int32Array.from(variables, (v) => (v === "I_inj" ? INJECTED : system.names.includes(v) ? STATE : CURRENT));
    this.index = Int32Array.from(variables, (v) =>
      v === "I_inj" ? 0 : system.names.includes(v) ? system.names.indexOf(v) : system.channelNames.indexOf(v.slice(2)),
    );
    this.needCurrents = this.kind.includes(CURRENT);
    this.needInj = this.kind.includes(INJECTED);
    sink?.open?.(variables, neurons, samples);
  }

  /** Variables that can be recorded for a system. */
  static available(system: MembraneSystem): string[] {
    return [...system.names, ...system.channelNames.map((c) => `I_${c}`), "I_inj"];
  }

  /** Records one sample: the time t (ms) and the recorded variables at state y (called at each sample time; a full buffer goes to the sink first). */
  record(t: number, y: Float64Array): void {
    if (this.fill === this.t.length) {
      if (!this.sink) return;
      this.flush();
    }
    const s = this.fill++;
    this.recorded++;
    const n = this.system.n;
    this.t[s] = t;
    if (this.needCurrents) this.system.channelCurrents(y, this.currents);
    if (this.needInj) this.system.injected(t, this.inj);
    const neurons = this.neurons;
    for (let v = 0; v < this.rows.length; v++) {
      const rows = this.rows[v] as Float64Array[];
      const kind = this.kind[v] as number;
      const base = (this.index[v] as number) * n;
      const src = kind === STATE ? y : kind === CURRENT ? this.currents : this.inj;
      const offset = kind === INJECTED ? 0 : base;
      for (let r = 0; r < neurons.length; r++) (rows[r] as Float64Array)[s] = src[offset + (neurons[r] as number)] as number;
    }
  }

  /** Writes the samples held so far to the sink (no-op without one). */
  flush(): void {
    if (this.sink && this.fill > 0) this.sink.write(this.t, this.data, this.fill);
    if (this.sink) this.fill = 0;
  }
}
