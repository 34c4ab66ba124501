import type { MembraneSystem } from "../system/membrane.js";

/**
 * Records chosen variables of chosen neurons at every `every`-th step into preallocated
 * arrays. Variables are state names (V, m, h, n, …), channel currents `I_<channel>` (µA/cm²,
 * outward positive) and the injected current `I_inj` (µA/cm²).
 */
export class TraceRecorder {
  readonly data: Record<string, Float64Array[]> = {};
  readonly t: Float64Array;
  private sample = 0;
  private readonly currents: Float64Array;
  private readonly inj: Float64Array;

  constructor(
    private readonly system: MembraneSystem,
    readonly variables: readonly string[],
    readonly neurons: readonly number[],
    samples: number,
  ) {
    this.t = new Float64Array(samples);
    for (const v of variables) this.data[v] = neurons.map(() => new Float64Array(samples));
    this.currents = new Float64Array(system.channelNames.length * system.n);
    this.inj = new Float64Array(system.n);
  }

  /** Variables that can be recorded for a system. */
  static available(system: MembraneSystem): string[] {
    return [...system.names, ...system.channelNames.map((c) => `I_${c}`), "I_inj"];
  }

  record(t: number, y: Float64Array): void {
    const s = this.sample++;
    if (s >= this.t.length) return;
    const { n, names, channelNames } = this.system;
    this.t[s] = t;
    let needCurrents = false;
    let needInj = false;
    for (const v of this.variables) {
      if (v === "I_inj") needInj = true;
      else if (v.startsWith("I_")) needCurrents = true;
    }
    if (needCurrents) this.system.channelCurrents(y, this.currents);
    if (needInj) this.system.injected(t, this.inj);
    for (const v of this.variables) {
      const rows = this.data[v] as Float64Array[];
      const k = names.indexOf(v);
      const c = v.startsWith("I_") ? channelNames.indexOf(v.slice(2)) : -1;
      this.neurons.forEach((i, r) => {
        const row = rows[r] as Float64Array;
        row[s] = k >= 0 ? (y[k * n + i] as number) : c >= 0 ? (this.currents[c * n + i] as number) : (this.inj[i] as number);
      });
    }
  }
}
