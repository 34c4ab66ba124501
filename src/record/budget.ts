import { ResourceLimitError } from "../errors.js";
import { count, MAX_TRACE_SAMPLES } from "../limits.js";
import type { Ms } from "../units.js";

/** Scratch vectors of the size of the state that a method may hold (rk45: 7 stages, error, dense output …), with room. */
const SCRATCH_VECTORS = 12;
const BYTES = 8; // a Float64

/** What a run will hold in memory, estimated before anything is allocated. */
export interface MemoryEstimate {
  /** Trace samples of the whole run (per variable and neuron). */
  readonly samples: number;
  readonly variables: number;
  readonly neurons: number;
  /** True when traces go to a sink in chunks rather than staying in memory. */
  readonly streamed: boolean;
  /** Bytes of traces held in memory: samples × (variables × neurons + 1) × 8, or one chunk's worth when streamed. */
  readonly trace_bytes: number;
  /** Bytes of the state and the method's scratch: state size × 12 × 8. */
  readonly state_bytes: number;
  readonly total_bytes: number;
  readonly limit_bytes: number;
}

export interface MemoryRequest {
  readonly samples: number;
  readonly variables: number;
  readonly neurons: number;
  /** Number of state components (variables × neurons of the ODE system). */
  readonly stateSize: number;
  readonly limit_MiB: number;
  /** Samples per chunk when streaming; undefined when the traces stay in memory. */
  readonly chunk?: number;
}

/** Memory of a run, from counts alone (no allocation). Spikes (16 bytes each) depend on the run and are not counted. */
export function estimateMemory(r: MemoryRequest): MemoryEstimate {
  const columns = r.variables * r.neurons;
  const held = r.chunk === undefined ? r.samples : Math.min(r.samples, r.chunk);
  const trace_bytes = columns === 0 ? 0 : held * (columns + 1) * BYTES;
  const state_bytes = r.stateSize * SCRATCH_VECTORS * BYTES;
  return {
    samples: r.samples,
    variables: r.variables,
    neurons: r.neurons,
    streamed: r.chunk !== undefined,
    trace_bytes,
    state_bytes,
    total_bytes: trace_bytes + state_bytes,
    limit_bytes: r.limit_MiB * 2 ** 20,
  };
}

/** Bytes for people: 1.5 GiB, 320 MiB, 12 KiB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let x = bytes;
  let u = 0;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${u === 0 ? x : +x.toPrecision(3)} ${units[u]}`;
}

const plural = (k: number, word: string) => `${k} ${word}${k === 1 ? "" : "s"}`;

/**
 * Throws a ResourceLimitError, before anything is allocated, when a run would need more memory than
 * its limit, naming the numbers and the ways out: a longer sample interval (the shortest that fits,
 * when one does), fewer variables, spikes only, streaming to a file, or a higher limit.
 */
export function checkMemory(e: MemoryEstimate, run: { steps: number; dt_ms: Ms; every: number }): void {
  // a kept trace is one typed array: V8 holds at most 2^32 elements in one, whatever the memory limit
  const tooLong = !e.streamed && e.samples > MAX_TRACE_SAMPLES;
  if (e.total_bytes <= e.limit_bytes && !tooLong) return;
  if (e.total_bytes <= e.limit_bytes) {
    throw new ResourceLimitError(
      `record: ${count(e.samples)} samples per trace, more than the ${count(MAX_TRACE_SAMPLES)} one trace can hold in memory; ` +
        "ways out: a longer sample interval (record.sample_ms, --sample-ms); spikes only (record.variables: [], --record none); " +
        "streaming the traces to a file (--csv FILE, or a TraceSink)",
    );
  }
  const ways: string[] = [];
  const columns = e.variables * e.neurons;
  const room = e.limit_bytes - e.state_bytes;
  if (columns > 0 && room > 0) {
    const fit = Math.floor(room / ((columns + 1) * BYTES)); // samples that fit
    if (fit >= 2) {
      const every = Math.max(e.samples > 1 ? run.every + 1 : 1, Math.ceil(run.steps / (fit - 1)));
      if (every <= run.steps)
        ways.push(`a sample interval of at least ${+(every * run.dt_ms).toPrecision(6)} ms (record.sample_ms, --sample-ms)`);
    }
    if (e.variables > 1) ways.push("fewer variables (record.variables, --record V)");
    if (e.neurons > 1) ways.push("fewer neurons (record.neurons)");
    ways.push("spikes only (record.variables: [], --record none)");
    if (!e.streamed) ways.push("streaming the traces to a file (--csv FILE, or a TraceSink)");
  }
  ways.push("a higher limit (memory_limit_MiB, --memory-limit-mib)");
  const what =
    columns > 0
      ? `${e.samples} samples × ${plural(e.variables, "variable")} × ${plural(e.neurons, "neuron")} need ${formatBytes(e.trace_bytes)} of traces`
      : "the run needs";
  throw new ResourceLimitError(
    `record: ${what} + ${formatBytes(e.state_bytes)} of state, more than memory_limit_MiB (${formatBytes(e.limit_bytes)}); ways out: ${ways.join("; ")}`,
  );
}
