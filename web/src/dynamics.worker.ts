/**
 * The Dynamics view's worker: the bifurcation diagram in the injected current and the phase plane at the
 * live lab's amplitude, computed by the library (src/dynamics) off the page's thread.
 */
import { bifurcationDiagram } from "../../src/dynamics/diagram.js";
import { vectorField } from "../../src/dynamics/field.js";
import { phasePlane } from "../../src/dynamics/phasePlane.js";
import { resolveModel } from "../../src/models/index.js";
import type { NeuronModel } from "../../src/models/types.js";
import { planeY } from "./planeAxis.js";

export interface DynamicsRequest {
  readonly id: number;
  readonly what: "diagram" | "plane";
  readonly model: string | NeuronModel;
  readonly params: Record<string, number>;
  readonly from: number;
  readonly to: number;
  readonly amplitude: number;
}

const planeRanges = (model: NeuronModel) => ({
  x: "V",
  y: planeY(model),
  xRange: [-90, 60] as [number, number],
  yRange: [0, 1] as [number, number],
});

self.onmessage = (e: MessageEvent<DynamicsRequest>) => {
  const r = e.data;
  try {
    const model = resolveModel(r.model);
    const { I: _ignored, ...params } = r.params;
    if (r.what === "diagram") {
      const diagram = bifurcationDiagram(model, { from: r.from, to: r.to, parameters: params });
      self.postMessage({ id: r.id, what: r.what, diagram });
    } else {
      const t0 = performance.now();
      const field = vectorField(model, { ...params, I: r.amplitude });
      const ranges = planeRanges(model);
      const plane = phasePlane(field, { ...ranges, grid: 120, arrows: 18 });
      self.postMessage({ id: r.id, what: r.what, plane, ranges, elapsed_ms: performance.now() - t0 });
    }
  } catch (err) {
    self.postMessage({ id: r.id, what: r.what, error: (err as Error).message });
  }
};
