/**
 * The simulation worker: runs the library's simulate() for the live lab (annotated by the library's
 * analysis), fiCurve() for chunks of an f–I sweep, and the library's measurements (paired-pulse
 * refractory periods, rheobase bisection), so the page never blocks. Library errors come back as one line.
 */
import { libraryAnnotator } from "./annotations.js";
import {
  concentrationNames,
  fiCurve,
  parseSweepSpec,
  refractoryPeriods,
  rheobase,
  runBatch,
  runHeader,
  simulate,
  spikeTimesOf,
} from "./lib.js";
import type { WorkerReply, WorkerRequest } from "./protocol.js";

const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply, transfer?: Transferable[]): void;
};

function handle(req: WorkerRequest): void {
  const t0 = performance.now();
  if (req.kind === "fi") {
    const result = fiCurve(req.options);
    scope.postMessage({ kind: "fi", id: req.id, chunk: req.chunk, result, elapsed_ms: performance.now() - t0 });
    return;
  }
  if (req.kind === "batch") {
    const indices = Array.from({ length: req.to - req.from }, (_, i) => req.from + i);
    const b = runBatch(parseSweepSpec(req.spec), indices);
    const cols = [b.spike_count, b.rate_Hz, b.first_spike_latency_ms] as Float64Array<ArrayBuffer>[];
    scope.postMessage(
      {
        kind: "batch",
        id: req.id,
        chunk: req.chunk,
        spike_count: cols[0] as Float64Array<ArrayBuffer>,
        rate_Hz: cols[1] as Float64Array<ArrayBuffer>,
        first_spike_latency_ms: cols[2] as Float64Array<ArrayBuffer>,
        elapsed_ms: performance.now() - t0,
      },
      cols.map((c) => c.buffer),
    );
    return;
  }
  if (req.kind === "refractory") {
    const result = refractoryPeriods(req.options);
    scope.postMessage({ kind: "refractory", id: req.id, result, elapsed_ms: performance.now() - t0 });
    return;
  }
  if (req.kind === "rheobase") {
    const result = rheobase(req.options);
    scope.postMessage({ kind: "rheobase", id: req.id, result, elapsed_ms: performance.now() - t0 });
    return;
  }
  const r = simulate(req.spec);
  const elapsed_ms = performance.now() - t0;
  const traces: Record<string, Float64Array<ArrayBuffer>> = {};
  for (const [name, rows] of Object.entries(r.traces)) traces[name] = rows[0] as Float64Array<ArrayBuffer>;
  const spike_times_ms = spikeTimesOf(r.spikes, 0) as Float64Array<ArrayBuffer>;
  const { marks, aps, onset_dVdt_mV_per_ms } = libraryAnnotator({
    t_ms: r.t_ms,
    V_mV: traces.V as Float64Array,
    spike_threshold_mV: r.spec.spike_threshold_mV,
    ...(r.spec.stimulus ? { stimulus: r.spec.stimulus as { start_ms: number; stop_ms: number; amplitude_uA_per_cm2: number } } : {}),
    cm_uF_per_cm2: typeof r.spec.parameters.Cm === "number" ? r.spec.parameters.Cm : r.model.cm_uF_per_cm2,
  });
  const t_ms = r.t_ms as Float64Array<ArrayBuffer>;
  const reply: WorkerReply = {
    kind: "run",
    id: req.id,
    t_ms,
    traces,
    spike_times_ms,
    marks,
    aps,
    onset_dVdt_mV_per_ms,
    header: runHeader(r),
    concentrations: [...concentrationNames(r.model)],
    steps: r.steps,
    elapsed_ms,
  };
  scope.postMessage(reply, [t_ms.buffer, spike_times_ms.buffer, ...Object.values(traces).map((a) => a.buffer)]);
}

scope.onmessage = (e) => {
  const req = e.data;
  try {
    handle(req);
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    scope.postMessage({
      kind: "error",
      id: req.id,
      ...(req.kind === "fi" || req.kind === "batch" ? { chunk: req.chunk } : {}),
      name: error.name,
      message: error.message,
    });
  }
};
