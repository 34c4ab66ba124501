/**
 * One colour per variable and per mark, for every figure: the CLI's SVG/PNG figures, the lab report and the
 * browser lab (which imports this module through web/src/lib.ts). Gates share their channel's hue family:
 * Na activation m and I_Na red, K activation n and I_K blue, Na inactivation h green, leak grey.
 */

/** Colours of named variables: V, gates and currents (without the I_ prefix: Na, K, L). */
export const VARIABLE_COLORS: Readonly<Record<string, string>> = {
  V: "#1b1f24",
  m: "#d62728",
  h: "#2ca02c",
  n: "#1f77b4",
  Na: "#d62728",
  K: "#1f77b4",
  L: "#7f7f7f",
  leak: "#7f7f7f",
  inj: "#6a4c93",
  clamp: "#6a4c93",
};

/** For variables the table does not name (other models' gates and channels), in order. */
export const EXTRA_COLORS = ["#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#bcbd22"] as const;

/** The colour of a variable by name (`I_Na` and `Na` alike); unnamed ones take `EXTRA_COLORS[index]`. */
export function variableColor(name: string, index = 0): string {
  const key = name.startsWith("I_") ? name.slice(2) : name;
  return VARIABLE_COLORS[key] ?? (EXTRA_COLORS[index % EXTRA_COLORS.length] as string);
}

/** Colours of the annotation marks. */
export const MARK_COLORS = {
  stimulus: "#4a90c2",
  absolute: "#e45756",
  relative: "#f2a541",
  pending: "#9aa1ab",
  stimulusText: "#24618f",
  absoluteText: "#a32020",
  relativeText: "#8a5300",
  threshold: "#555555",
  onset: "#ff7f0e",
  peak: "#6a3d9a",
  halfWidth: "#1b9e77",
  halfWidthText: "#137a5b",
  rheobase: "#a32020",
} as const;

/**
 * Fill opacity of each band. The stimulus is drawn as a strip along the top of the voltage panel (and shaded
 * only on the current panel), so it never blends with the refractory bands into a colour that looks like a band.
 */
export const BAND_OPACITY = { stimulus: 0.22, absolute: 0.28, relative: 0.16, pending: 0.14 } as const;

/** Series colours of overlaid curves (f–I series, pinned traces), the first is the current one. */
export const SERIES_COLORS = ["#1b1f24", "#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#6a4c93"] as const;

/** A variable name as subscript parts: "I_Na" → ["I", "Na"], "V" → ["V", ""]. */
export function subscriptParts(name: string): [string, string] {
  const k = name.indexOf("_");
  return k < 0 ? [name, ""] : [name.slice(0, k), name.slice(k + 1)];
}
