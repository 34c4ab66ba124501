/**
 * Round numbers (1, 2 or 5 × 10ᵏ apart, about `target` of them) for axis ticks within [lo, hi]: the one
 * tick rule of the web app's figures and its parameter map. Each tick is k·step, printed to 12 significant
 * digits (never a running sum, whose rounding errors grow along the axis).
 */
export function niceTicks(lo: number, hi: number, target = 6): number[] {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return [];
  if (hi <= lo) return [lo];
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const err = raw / mag;
  const step = mag * (err >= Math.sqrt(50) ? 10 : err >= Math.sqrt(10) ? 5 : err >= Math.sqrt(2) ? 2 : 1);
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}
