import { describe, expect, it } from "vitest";
import { linspace, simulate, spikeTimesOf } from "../src/index.js";

const base = { model: "lab", duration_ms: 200, dt_ms: 0.025, record: { variables: [] as string[] } };
const amplitudes = Array.from(linspace(0, 10, 51));

describe("batching", () => {
  const batch = simulate({ ...base, stimulus: { amplitude_uA_per_cm2: amplitudes, start_ms: 50, stop_ms: 200 } });

  it.each([0, 1, 7, 25, 50])("neuron %i fires the same spikes alone as inside a batch of 51", (i) => {
    const alone = simulate({ ...base, stimulus: { amplitude_uA_per_cm2: amplitudes[i] as number, start_ms: 50, stop_ms: 200 } });
    expect(Array.from(spikeTimesOf(batch.spikes, i))).toEqual(Array.from(alone.spikes.t_ms));
  });

  it("takes per-neuron parameters: a batch over gNa equals separate runs", () => {
    const gNa = [40, 50, 60];
    const b = simulate({ ...base, parameters: { gNa }, stimulus: { amplitude_uA_per_cm2: 5, start_ms: 50, stop_ms: 200 } });
    gNa.forEach((g, i) => {
      const one = simulate({ ...base, parameters: { gNa: g }, stimulus: { amplitude_uA_per_cm2: 5, start_ms: 50, stop_ms: 200 } });
      expect(Array.from(spikeTimesOf(b.spikes, i))).toEqual(Array.from(one.spikes.t_ms));
    });
  });
});
