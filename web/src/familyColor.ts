/** The voltage-clamp panel's colours for a family of traces (one per test potential). */

/** Colour k of n in a family of traces: a ramp from dark blue through teal to yellow-green (viridis-like). */
export const familyColor = (k: number, n: number): string => {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [190, 210, 40],
  ];
  const u = n > 1 ? (k / (n - 1)) * (stops.length - 1) : 0;
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const a = stops[i] as number[];
  const b = stops[i + 1] as number[];
  return `rgb(${a.map((x, j) => Math.round(x + ((b[j] as number) - x) * f)).join(",")})`;
};
