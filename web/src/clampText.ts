/** Pure helpers of the voltage-clamp panel (./panels/clamp.ts): its test potentials and its library call in words. */

/** The test potentials from `from` to `to` (inclusive) every `by` mV: an index times a step, never a running sum. */
export function testPotentials(from: number, to: number, by: number): number[] {
  if (!(Number.isFinite(from) && Number.isFinite(to) && by > 0 && to >= from)) return [];
  const n = Math.floor((to - from) / by + 1e-9) + 1;
  // rounded to 10 decimals (0.1 steps print as 0.1, not 0.30000000000000004; + 0 turns −0 into 0)
  return n > 41 ? [] : Array.from({ length: n }, (_, k) => Number((from + k * by).toFixed(10)) + 0);
}

/** The library call that computes what the panel shows. */
export function clampCall(model: string, holding: number, steps: number[], parameters: Record<string, number>): string {
  const params = Object.keys(parameters).length ? `, parameters: ${JSON.stringify(parameters)}` : "";
  return `voltageClamp({ model: ${JSON.stringify(model)}, holding_mV: ${holding}, steps_mV: [${steps.join(", ")}]${params} })`;
}
