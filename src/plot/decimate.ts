/** A series reduced for drawing. */
export interface XY {
  readonly x: number[];
  readonly y: number[];
}

/**
 * Reduces a long series for drawing without losing its extremes: the x range is cut into `columns`
 * pixel columns and each column keeps its first, minimum, maximum and last point (in x order), so a
 * spike one sample wide keeps its peak. Series with at most 4·columns points are returned whole.
 */
export function decimateMinMax(x: ArrayLike<number>, y: ArrayLike<number>, columns: number): XY {
  const n = Math.min(x.length, y.length);
  if (n <= 4 * columns || n < 2)
    return { x: Array.from({ length: n }, (_, i) => x[i] as number), y: Array.from({ length: n }, (_, i) => y[i] as number) };
  const x0 = x[0] as number;
  const span = (x[n - 1] as number) - x0 || 1;
  const ox: number[] = [];
  const oy: number[] = [];
  let i = 0;
  while (i < n) {
    const col = Math.min(columns - 1, Math.floor((((x[i] as number) - x0) / span) * columns));
    let lo = i;
    let hi = i;
    let j = i;
    for (; j < n && Math.min(columns - 1, Math.floor((((x[j] as number) - x0) / span) * columns)) === col; j++) {
      if ((y[j] as number) < (y[lo] as number)) lo = j;
      if ((y[j] as number) > (y[hi] as number)) hi = j;
    }
    for (const k of [...new Set([i, lo, hi, j - 1])].sort((a, b) => a - b)) {
      ox.push(x[k] as number);
      oy.push(y[k] as number);
    }
    i = j;
  }
  return { x: ox, y: oy };
}
